"""Where a project version's training writes under ``OutputConfig`` (S3Bucket, S3KeyPrefix)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OutputLayout:
    bucket: str
    base: str  # "<prefix>/<project>/<version>/"

    @classmethod
    def of(cls, output_config: dict[str, Any], project: str, version: str) -> OutputLayout:
        prefix = str(output_config.get("S3KeyPrefix") or "").strip("/")
        base = f"{prefix}/{project}/{version}/" if prefix else f"{project}/{version}/"
        return cls(str(output_config["S3Bucket"]), base)

    def key(self, relative: str) -> str:
        return self.base + relative

    def s3_object(self, relative: str) -> dict[str, str]:
        return {"Bucket": self.bucket, "Name": self.key(relative)}

    def asset(self, relative: str) -> dict[str, Any]:
        return {"GroundTruthManifest": {"S3Object": self.s3_object(relative)}}

    def weights(self, attempt: int) -> str:
        return self.key(f"model/attempt-{attempt}/weights.pt")

    def checkpoint(self, attempt: int) -> str:
        return self.key(f"checkpoints/attempt-{attempt}/last.pt")

    MANIFEST_SUMMARY = "manifests/manifest_summary.json"
    TRAIN_VALIDATION = "manifests/validation/training.validation.jsonl"
    TEST_VALIDATION = "manifests/validation/testing.validation.jsonl"
    TRAIN_OUTPUT = "manifests/output/training.manifest"
    TEST_OUTPUT = "manifests/output/testing.manifest"
    EVALUATION = "evaluation/summary.json"
