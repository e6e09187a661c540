"""One training attempt of a project version, from manifests to a completed (or failed) version.

The attempt first takes the version's training lease (:func:`repository.claim_training`) and keeps
renewing it from a background thread. It validates the manifests, lays out the dataset, trains,
evaluates on the test set and writes every artefact under OutputConfig; only then does one
conditional UPDATE, made while still holding the lease, mark the version TRAINING_COMPLETED with
the weights' location. An attempt that loses its lease (another attempt took over after it stalled)
stops at its next epoch and writes nothing more; a killed attempt leaves an expired lease that the
sweeper re-enqueues, and the next attempt resumes from the last uploaded checkpoint.
"""

from __future__ import annotations

import io
import json
import logging
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.db.models import custom_labels as tables
from argus.core.db.models.base import utcnow
from argus.core.models.ultralytics import pick_device
from argus.core.storage import ObjectNotFound, ObjectRef, ObjectStore
from argus.custom_labels import evaluation, manifests, repository
from argus.custom_labels.datasets import LaidOut, auto_split, lay_out
from argus.custom_labels.manifests import BadLine, Entry, LineError, Manifest
from argus.custom_labels.outputs import OutputLayout
from argus.custom_labels.serving import CustomModel
from argus.custom_labels.states import VersionStatus
from argus.custom_labels.training import TrainConfig, TrainingCancelled, train

log = logging.getLogger(__name__)
MAX_MANIFEST_BYTES = 1024 * 1024 * 1024


class ValidationFailed(Exception):
    """The data cannot train; ``results`` are the Describe members already known (validation files)."""

    def __init__(self, message: str, results: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.results = results or {}


@dataclass
class Request:
    pk: int
    arn: str
    project: str
    name: str
    output: OutputLayout
    training_data: dict[str, Any]
    testing_data: dict[str, Any]
    created: Any


def load_request(db: Database, pk: int) -> Request | None:
    with db.session() as session:
        version = repository.version_by_pk(session, pk)
        if version is None:
            return None
        project = session.get(tables.CustomLabelsProject, version.project_pk)
        assert project is not None
        return Request(
            pk,
            version.arn,
            project.name,
            version.name,
            OutputLayout.of(version.output_config, project.name, version.name),
            dict(version.training_data),
            dict(version.testing_data),
            version.training_started_at,
        )


@contextmanager
def keep_lease(db: Database, pk: int, owner: str, ttl_s: float) -> Iterator[threading.Event]:
    """Renew the lease every third of its TTL; the event is set once the lease is lost."""
    lost = threading.Event()
    done = threading.Event()

    def renew() -> None:
        while not done.wait(ttl_s / 3):
            try:
                if not repository.renew_lease(db, pk, owner, ttl_s):
                    lost.set()
                    return
            except Exception:  # a database blip: try again at the next tick
                log.warning("could not renew the training lease of version %s", pk, exc_info=True)

    thread = threading.Thread(target=renew, name=f"argus-lease-{pk}", daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        done.set()
        thread.join(5)


def read_manifests(store: ObjectStore, assets: list[dict[str, Any]], role: str) -> Manifest:
    combined = Manifest()
    offset = 0
    for asset in assets:
        s3 = (asset.get("GroundTruthManifest") or {}).get("S3Object") or {}
        ref = ObjectRef(str(s3.get("Bucket", "")), str(s3.get("Name", "")), s3.get("Version"))
        try:
            text = store.get(ref, max_bytes=MAX_MANIFEST_BYTES).decode("utf-8")
        except ObjectNotFound as missing:
            raise ValidationFailed(
                f"The {role} manifest s3://{ref.bucket}/{ref.name} does not exist"
            ) from missing
        except UnicodeDecodeError as error:
            raise ValidationFailed(
                f"The {role} manifest s3://{ref.bucket}/{ref.name} is not UTF-8"
            ) from error
        parsed = manifests.parse_manifest(text)
        # Line numbers run on across the manifests of one role.
        combined.entries.extend(
            Entry(e.line + offset, e.bucket, e.key, e.raw, e.class_labels, e.boxes, e.has_detection)
            for e in parsed.entries
        )
        combined.bad_lines.extend(
            BadLine(b.line + offset, b.raw, b.errors, b.source_ref) for b in parsed.bad_lines
        )
        offset += len(text.splitlines())
    return combined


class TrainingAttempt:
    def __init__(self, settings: Settings, db: Database, store: ObjectStore, owner: str) -> None:
        self.settings = settings
        self.config = settings.training
        self.db = db
        self.store = store
        self.owner = owner

    def run(self, pk: int) -> None:
        claim = repository.claim_training(self.db, pk, self.owner, self.config.heartbeat_ttl_s)
        if claim is None:
            log.info("version %s is not waiting for training (done, or another attempt holds it)", pk)
            return
        request = load_request(self.db, pk)
        assert request is not None
        if claim.attempt > self.config.max_attempts:
            self._fail(request, f"Training was interrupted {claim.attempt - 1} times; giving up", {})
            return
        log.info("training version %s (attempt %d, from epoch %d)", pk, claim.attempt, claim.epochs_done)
        started = time.monotonic()
        try:
            with keep_lease(self.db, pk, self.owner, self.config.heartbeat_ttl_s) as lost:
                self._train(request, claim, lost, started)
        except TrainingCancelled as cancelled:
            log.warning("training of version %s stopped: %s", pk, cancelled)
        except ValidationFailed as invalid:
            self._fail(request, str(invalid), invalid.results)
        except Exception as error:
            log.exception("training of version %s failed", pk)
            self._fail(request, f"Training failed: {type(error).__name__}: {error}", {})

    def _fail(self, request: Request, message: str, results: dict[str, Any]) -> None:
        repository.finish_training(
            self.db,
            request.pk,
            self.owner,
            VersionStatus.TRAINING_FAILED,
            status_message=message,
            results=results,
        )

    def _put_json(self, out: OutputLayout, relative: str, document: Any) -> None:
        data = json.dumps(document, indent=1, sort_keys=True).encode()
        self.store.put(ObjectRef(out.bucket, out.key(relative)), data, content_type="application/json")

    def _put_text(self, out: OutputLayout, relative: str, text: str) -> None:
        self.store.put(
            ObjectRef(out.bucket, out.key(relative)), text.encode(), content_type="application/jsonl"
        )

    def _validate(self, request: Request) -> tuple[Manifest, Manifest | None, dict[str, Any]]:
        out = request.output
        train = read_manifests(self.store, request.training_data.get("Assets") or [], "training")
        auto = bool(request.testing_data.get("AutoCreate"))
        test = (
            None if auto else read_manifests(self.store, request.testing_data.get("Assets") or [], "testing")
        )
        errors = manifests.dataset_errors(train)
        if test is not None and not errors:
            errors = _test_errors(train, test)
        results = self._results(request, auto)
        self._put_text(out, out.TRAIN_VALIDATION, manifests.validation_lines(train.bad_lines))
        if test is not None:
            self._put_text(out, out.TEST_VALIDATION, manifests.validation_lines(test.bad_lines))
        self._put_json(
            out,
            out.MANIFEST_SUMMARY,
            manifests.manifest_summary([m for m in (train, test) if m is not None], errors),
        )
        problems = []
        for role, manifest in (("training", train), ("testing", test)):
            # Invalid lines are left out of training, unless they are more than a fifth of the lines.
            if manifest is not None and manifests.too_many_invalid(
                len(manifest.bad_lines), manifest.total_lines
            ):
                problems.append(
                    f"The {role} manifest has {len(manifest.bad_lines)} invalid line(s) of "
                    f"{manifest.total_lines}: {manifests.describe_bad_lines(manifest.bad_lines)}"
                )
        problems.extend(f"{error.code}: {error.message}" for error in errors)
        if problems:
            raise ValidationFailed(
                ". ".join(problems)
                + f". See the validation manifests under s3://{out.bucket}/{out.key('manifests/validation/')}",
                results,
            )
        return train, test, results

    def _results(self, request: Request, auto: bool) -> dict[str, Any]:
        out = request.output
        testing_output: dict[str, Any] = {"Assets": [out.asset(out.TEST_OUTPUT)], "AutoCreate": auto}
        return {
            "TrainingDataResult": {
                "Input": request.training_data,
                "Output": {"Assets": [out.asset(out.TRAIN_OUTPUT)]},
                "Validation": {"Assets": [out.asset(out.TRAIN_VALIDATION)]},
            },
            "TestingDataResult": {
                "Input": request.testing_data,
                "Output": testing_output,
                "Validation": {"Assets": [out.asset(out.TRAIN_VALIDATION if auto else out.TEST_VALIDATION)]},
            },
            "ManifestSummary": {"S3Object": out.s3_object(out.MANIFEST_SUMMARY)},
        }

    def _train(
        self, request: Request, claim: repository.Claim, lost: threading.Event, started: float
    ) -> None:
        train_manifest, test_manifest, results = self._validate(request)
        out = request.output
        kind = "detection" if train_manifest.is_detection else "classification"
        labels = train_manifest.labels()
        if test_manifest is None:
            train_entries, test_entries = auto_split(train_manifest.entries)
        else:
            train_entries, test_entries = train_manifest.entries, test_manifest.entries
        with tempfile.TemporaryDirectory(prefix=f"argus-training-{request.pk}-") as folder:
            work = Path(folder)
            layout = lay_out(work / "data", kind, labels, train_entries, test_entries, self.store)
            if layout.bad_lines:
                self._put_text(
                    out,
                    out.TRAIN_VALIDATION,
                    manifests.validation_lines(train_manifest.bad_lines + layout.bad_lines),
                )
            used = len(train_entries) + len(test_entries)
            if manifests.too_many_invalid(len(layout.bad_lines), used):
                raise ValidationFailed(
                    f"{len(layout.bad_lines)} image(s) could not be used: "
                    f"{manifests.describe_bad_lines(layout.bad_lines)}",
                    results,
                )
            if not layout.test:
                raise ValidationFailed(
                    "The testing dataset is empty: give more images or a testing manifest", results
                )
            self._put_text(out, out.TRAIN_OUTPUT, "".join(e.raw + "\n" for e, _, _ in layout.train))
            self._put_text(out, out.TEST_OUTPUT, "".join(e.raw + "\n" for e, _, _ in layout.test))
            start_weights = None
            if claim.checkpoint_key and claim.epochs_done:
                try:
                    start_weights = work / "resume.pt"
                    start_weights.write_bytes(self.store.get(ObjectRef(out.bucket, claim.checkpoint_key)))
                except ObjectNotFound:
                    start_weights = None
            done_before = claim.epochs_done if start_weights else 0
            checkpoint_key = out.checkpoint(claim.attempt)

            def on_epoch(done: int, checkpoint: Path) -> None:
                if lost.is_set():
                    raise TrainingCancelled("the training lease was lost")
                values: dict[str, Any] = {}
                if done % self.config.checkpoint_every_epochs == 0 and checkpoint.is_file():
                    self.store.put(ObjectRef(out.bucket, checkpoint_key), checkpoint.read_bytes())
                    values = {"epochs_done": done, "checkpoint_key": checkpoint_key}
                if not repository.renew_lease(
                    self.db, request.pk, self.owner, self.config.heartbeat_ttl_s, **values
                ):
                    raise TrainingCancelled("the training lease was lost")

            config = TrainConfig(
                kind,
                self.config.epochs,
                self.config.image_size,
                self.config.batch,
                self.config.patience,
                pick_device(self.settings.device),
            )
            weights = train(layout.data, work, config, on_epoch, start_weights, done_before)
            model = CustomModel.from_file(weights, kind, labels, config.image_size, config.device)
            metrics = evaluate(model, layout)
            if lost.is_set():
                raise TrainingCancelled("the training lease was lost")
            weights_key = out.weights(claim.attempt)
            self.store.put(ObjectRef(out.bucket, weights_key), weights.read_bytes())
        ended = utcnow()
        document = evaluation.summary(
            metrics, request.arn, len(layout.train), len(layout.test), ended.isoformat()
        )
        self._put_json(out, out.EVALUATION, document)
        f1 = float(document["AggregatedEvaluationResults"]["F1Score"])
        results["EvaluationResult"] = {"F1Score": f1, "Summary": {"S3Object": out.s3_object(out.EVALUATION)}}
        finished = repository.finish_training(
            self.db,
            request.pk,
            self.owner,
            VersionStatus.TRAINING_COMPLETED,
            status_message="The model is ready to run.",
            kind=kind,
            labels=labels,
            thresholds={m.label: round(m.threshold * 100, 3) for m in metrics},
            weights_key=weights_key,
            f1_score=f1,
            results=results,
            billable_training_s=round(time.monotonic() - started),
        )
        if not finished:
            log.warning(
                "version %s: the lease was lost before completion; this attempt is dropped", request.pk
            )


def _test_errors(train: Manifest, test: Manifest) -> list[LineError]:
    if not test.entries:
        return [LineError("ERROR_MANIFEST_NO_VALID_LINES", "the testing manifest has no valid JSON lines")]
    if test.is_detection != train.is_detection:
        return [LineError("ERROR_LABEL_KIND_MISMATCH", "training and testing manifests label differently")]
    unknown = sorted(set(test.labels()) - set(train.labels()))
    if unknown:
        return [
            LineError(
                "ERROR_TEST_LABELS_NOT_IN_TRAINING",
                f"testing labels {', '.join(unknown)} do not occur in the training manifest",
            )
        ]
    return []


def evaluate(model: CustomModel, layout: LaidOut) -> list[evaluation.LabelMetrics]:
    """Per-label metrics of ``model`` on the laid-out test set."""
    scored: dict[str, list[evaluation.Scored]] = defaultdict(list)
    positives: dict[str, int] = defaultdict(int)
    images: dict[str, int] = defaultdict(int)
    for entry, path, _size in layout.test:
        rgb = np.asarray(Image.open(io.BytesIO(path.read_bytes())).convert("RGB"))
        predictions = model.predict(rgb)
        if layout.kind == "classification":
            truth = entry.class_labels[0]
            positives[truth] += 1
            images[truth] += 1
            top = predictions[0]
            scored[top.label].append(evaluation.Scored(top.confidence, top.label == truth))
            continue
        for label in {box.label for box in entry.boxes}:
            images[label] += 1
        for label in layout.labels:
            truths = [
                (box.left, box.top, box.left + box.width, box.top + box.height)
                for box in entry.boxes
                if box.label == label
            ]
            positives[label] += len(truths)
            found = [(p.confidence, p.box) for p in predictions if p.label == label and p.box is not None]
            scored[label].extend(evaluation.score_detections(found, truths))
    return [
        evaluation.best_threshold(label, scored[label], positives[label], images[label])
        for label in layout.labels
    ]
