"""Settings: embedded defaults and the cluster mode's refusal of default secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from argus.core.bootstrap import complete_settings
from argus.core.config import Mode, Settings


def cluster(**values: object) -> Settings:
    base: dict[str, object] = {
        "mode": Mode.CLUSTER,
        "database_url": "postgresql+psycopg://db/argus",
        "broker_url": "redis://redis:6379/0",
        "root_access_key_id": "AKIAEXAMPLE",
        "root_secret_access_key": "a-long-enough-root-secret",
        "secret_key": "a-long-enough-settings-secret",
    }
    return Settings(**{**base, **values})  # type: ignore[arg-type]


def test_settings_are_read_from_argus_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGUS_S3_ENDPOINT_URL", "http://minio:9000")
    monkeypatch.setenv("ARGUS_PORT", "9090")
    settings = Settings()
    assert settings.s3_endpoint_url == "http://minio:9000"
    assert settings.port == 9090


def test_cluster_with_real_secrets_may_start() -> None:
    assert cluster().check_cluster_secrets() == []


@pytest.mark.parametrize("secret", ["changeme", "short", ""])
def test_cluster_refuses_a_default_or_short_root_secret(secret: str) -> None:
    assert cluster(root_secret_access_key=secret).check_cluster_secrets() == [
        "ARGUS_ROOT_SECRET_ACCESS_KEY must be set to a non-default secret of at least 16 characters"
    ]


def test_cluster_refuses_to_start_without_a_database() -> None:
    assert cluster(database_url=None).check_cluster_secrets() == ["ARGUS_DATABASE_URL must be set"]


def test_embedded_uses_sqlite_and_a_filesystem_broker_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(mode=Mode.EMBEDDED, data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'argus.db'}"
    assert settings.effective_broker_url == "argusfs://"
    assert settings.effective_result_backend_url == f"file://{tmp_path / 'broker' / 'results'}"


def test_embedded_first_start_generates_and_keeps_credentials(tmp_path: Path) -> None:
    first = complete_settings(Settings(mode=Mode.EMBEDDED, data_dir=tmp_path))
    second = complete_settings(Settings(mode=Mode.EMBEDDED, data_dir=tmp_path))
    assert first.root_access_key_id is not None and first.root_access_key_id.startswith("AKIA")
    assert first.root_access_key_id == second.root_access_key_id
    assert first.root_secret_access_key == second.root_secret_access_key
    assert (tmp_path / "credentials.json").stat().st_mode & 0o777 == 0o600


def test_cluster_settings_are_not_completed_with_generated_secrets(tmp_path: Path) -> None:
    settings = complete_settings(Settings(mode=Mode.CLUSTER, data_dir=tmp_path))
    assert settings.root_access_key_id is None
    assert not (tmp_path / "credentials.json").exists()
