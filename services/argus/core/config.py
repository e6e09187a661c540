"""One settings object for every Argus process, read from the environment (prefix ``ARGUS_``).

Embedded mode fills the blanks with local stand-ins under ``data_dir``: SQLite for the
database, a filesystem broker for Celery and a local object store. Cluster mode needs real
endpoints and refuses to start with default secrets.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, IPvAnyNetwork, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRETS = frozenset({"", "changeme", "change-me", "argus", "secret", "password"})


class Mode(StrEnum):
    EMBEDDED = "embedded"
    CLUSTER = "cluster"


class VideoSettings(BaseModel):
    """Stored-video jobs (``ARGUS_VIDEO__*``)."""

    model_config = ConfigDict(frozen=True)

    # Frames per second each job kind analyzes (segments and person tracking choose their own).
    label_sample_fps: float = Field(default=2.0, gt=0)
    face_sample_fps: float = Field(default=5.0, gt=0)
    face_search_sample_fps: float = Field(default=5.0, gt=0)
    celebrity_sample_fps: float = Field(default=2.0, gt=0)
    moderation_sample_fps: float = Field(default=2.0, gt=0)
    text_sample_fps: float = Field(default=1.0, gt=0)
    # A running job holds a lease, renewed every lease_ttl_s / 3; the sweeper in every video
    # worker re-enqueues jobs whose lease expired (their worker died) every sweep_interval_s.
    lease_ttl_s: float = Field(default=60.0, gt=0)
    sweep_interval_s: float = Field(default=15.0, gt=0)
    max_attempts: int = Field(default=3, ge=1, description="Workers a job may die on before it FAILS.")
    requeue_unclaimed_after_s: float = Field(
        default=3600.0,
        gt=0,
        description="A job no worker claimed for this long is enqueued again (its message may be lost).",
    )
    result_batch_size: int = Field(default=200, ge=1, description="Result items per insert.")
    # Rekognition Video's documented limits.
    max_file_bytes: int = Field(default=10 * 1024**3, ge=1)
    max_duration_s: float = Field(default=6 * 3600.0, gt=0)
    # Person tracking (docs/video-tracking.md): frames per second given to the person detector and
    # ByteTrack, and how long a person out of sight keeps their Index.
    person_tracking_sample_fps: float = Field(default=5.0, gt=0)
    person_lost_s: float = Field(default=2.0, gt=0)
    person_faces: bool = Field(default=True, description="Add each tracked person's visible face.")
    # Person Index across cuts and long absences (docs/video-tracking.md): a hard cut restarts motion
    # tracking, and new tracks are re-identified by face embedding or torso colours against the
    # Indices seen at most person_reid_memory_s ago.
    person_reid: bool = Field(default=True, description="Cut-aware tracking with re-identification.")
    person_reid_memory_s: float = Field(default=600.0, gt=0)
    # AggregateBy SEGMENTS (docs/video.md): a label's detections at consecutive samples belong to one
    # segment while the gap between them is at most this many sampling intervals.
    segment_gap_samples: float = Field(
        default=1.5,
        ge=1.0,
        description="Largest gap between two detections of one segment, in sampling intervals.",
    )


class NotificationSettings(BaseModel):
    """SNS-style topics and webhook deliveries (``ARGUS_NOTIFICATIONS__*``)."""

    model_config = ConfigDict(frozen=True)

    # Base of the absolute URLs in messages (SigningCertURL, SubscribeURL, UnsubscribeURL);
    # empty means http://<host>:<port> from the top-level settings.
    public_url: str | None = None
    # Private, loopback, link-local, multicast and reserved webhook targets are refused unless
    # inside one of these CIDRs (JSON list or comma-separated, e.g. "127.0.0.0/8,10.0.0.0/8").
    allowed_networks: Annotated[tuple[IPvAnyNetwork, ...], NoDecode] = ()
    poll_interval_s: float = Field(default=1.0, gt=0, description="How often dispatchers look for due rows.")
    batch_size: int = Field(default=16, ge=1, description="Deliveries one dispatcher claims at a time.")
    claim_lease_s: float = Field(default=120.0, gt=0, description="A claim expires after this long.")
    max_attempts: int = Field(default=12, ge=1)
    max_age_s: float = Field(default=24 * 3600.0, gt=0, description="Give up on a delivery after this.")
    backoff_base_s: float = Field(default=2.0, gt=0)
    backoff_cap_s: float = Field(default=600.0, gt=0)
    request_timeout_s: float = Field(default=10.0, gt=0)
    signature_version: Literal["1", "2"] = "2"

    @field_validator("allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value


class TrainingSettings(BaseModel):
    """Custom Labels training and serving (``ARGUS_TRAINING__*``)."""

    model_config = ConfigDict(frozen=True)

    epochs: int = Field(default=60, ge=1, description="Training epochs of a project version.")
    image_size: int = Field(default=320, ge=32, description="Training and inference image size (pixels).")
    batch: int = Field(default=16, ge=1)
    patience: int = Field(default=20, ge=0, description="Epochs without improvement before stopping early.")
    checkpoint_every_epochs: int = Field(
        default=5, ge=1, description="How often training uploads a checkpoint it can resume from."
    )
    heartbeat_ttl_s: float = Field(
        default=120.0, gt=0, description="A training lease not renewed for this long is re-enqueued."
    )
    sweep_interval_s: float = Field(default=30.0, gt=0, description="How often training workers sweep.")
    max_attempts: int = Field(default=3, ge=1, description="Training attempts before TRAINING_FAILED.")
    serving_sync_s: float = Field(
        default=2.0, gt=0, description="How often image workers sync which versions they hold."
    )
    replica_ttl_s: float = Field(default=30.0, gt=0, description="A replica not seen for this long is gone.")
    model_cache_size: int = Field(default=8, ge=1, description="Custom models held per image worker.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ARGUS_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    mode: Mode = Mode.CLUSTER
    data_dir: Path = Path(".argus")
    host: str = "127.0.0.1"
    port: int = 8080

    database_url: str | None = None
    broker_url: str | None = None
    result_backend_url: str | None = None

    s3_endpoint_url: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None
    s3_region: str = "us-east-1"

    root_access_key_id: str | None = None
    root_secret_access_key: SecretStr | None = None
    secret_key: SecretStr | None = Field(
        default=None, description="Encrypts stored secret access keys; required in cluster mode."
    )
    account_id: str = Field(default="000000000000", pattern=r"^\d{12}$")

    model_dir: Path = Path.home() / ".cache" / "argus" / "models"
    device: Literal["auto", "cpu", "cuda"] = "auto"

    image_task_timeout_s: float = 30.0
    index_memory_budget_mb: int = Field(
        default=4096, ge=1, description="In-memory face indexes per worker process before LRU eviction."
    )
    signature_max_skew_s: int = 15 * 60
    log_level: str = "INFO"

    video: VideoSettings = VideoSettings()
    notifications: NotificationSettings = NotificationSettings()
    training: TrainingSettings = TrainingSettings()

    @property
    def embedded(self) -> bool:
        return self.mode is Mode.EMBEDDED

    @cached_property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.embedded:
            return f"sqlite:///{self.resolved_data_dir / 'argus.db'}"
        raise ValueError("ARGUS_DATABASE_URL is required in cluster mode")

    @property
    def effective_broker_url(self) -> str:
        if self.broker_url:
            return self.broker_url
        if self.embedded:
            return "argusfs://"
        raise ValueError("ARGUS_BROKER_URL is required in cluster mode")

    @property
    def effective_result_backend_url(self) -> str:
        if self.result_backend_url:
            return self.result_backend_url
        if self.broker_url and self.broker_url.startswith(("redis://", "rediss://")):
            return self.broker_url
        if self.embedded:
            return f"file://{self.resolved_data_dir / 'broker' / 'results'}"
        raise ValueError("ARGUS_RESULT_BACKEND_URL is required with a non-Redis broker")

    @property
    def broker_dir(self) -> Path:
        return self.resolved_data_dir / "broker"

    @property
    def object_store_dir(self) -> Path:
        return self.resolved_data_dir / "objects"

    def check_cluster_secrets(self) -> list[str]:
        """Problems that forbid starting in cluster mode (empty when it may start)."""
        if self.embedded:
            return []
        problems = []
        for name, value in (
            ("ARGUS_SECRET_KEY", self.secret_key),
            ("ARGUS_ROOT_SECRET_ACCESS_KEY", self.root_secret_access_key),
        ):
            raw = value.get_secret_value() if value else ""
            if raw.lower() in DEFAULT_SECRETS or len(raw) < 16:
                problems.append(f"{name} must be set to a non-default secret of at least 16 characters")
        if not self.root_access_key_id:
            problems.append("ARGUS_ROOT_ACCESS_KEY_ID must be set")
        for name, url in (("ARGUS_DATABASE_URL", self.database_url), ("ARGUS_BROKER_URL", self.broker_url)):
            if not url:
                problems.append(f"{name} must be set")
        return problems


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
