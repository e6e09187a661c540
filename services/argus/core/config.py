"""One settings object for every Argus process, read from the environment (prefix ``ARGUS_``).

Embedded mode fills the blanks with local stand-ins under ``data_dir``: SQLite for the
database, a filesystem broker for Celery and a local object store. Cluster mode needs real
endpoints and refuses to start with default secrets.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRETS = frozenset({"", "changeme", "change-me", "argus", "secret", "password"})


class Mode(StrEnum):
    EMBEDDED = "embedded"
    CLUSTER = "cluster"


class VideoSettings(BaseModel):
    """Stored-video jobs (``ARGUS_VIDEO__*``)."""

    model_config = ConfigDict(frozen=True)


class NotificationSettings(BaseModel):
    """SNS-style topics and webhook deliveries (``ARGUS_NOTIFICATIONS__*``)."""

    model_config = ConfigDict(frozen=True)


class TrainingSettings(BaseModel):
    """Custom Labels training and serving (``ARGUS_TRAINING__*``)."""

    model_config = ConfigDict(frozen=True)


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
