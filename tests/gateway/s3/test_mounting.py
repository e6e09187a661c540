"""The S3 endpoint exists only where the local object store is the store: embedded without S3."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.routing import NoMatchFound

from argus.core.config import Mode, Settings
from argus.gateway.app import create_app


def test_embedded_mode_serves_s3_under_the_s3_prefix(tmp_path: Path) -> None:
    app = create_app(Settings(mode=Mode.EMBEDDED, data_dir=tmp_path))
    assert app.url_path_for("s3_endpoint", path="media/clip.mp4") == "/s3/media/clip.mp4"


@pytest.mark.parametrize(
    "settings",
    [
        Settings(mode=Mode.CLUSTER),
        Settings(mode=Mode.EMBEDDED, s3_endpoint_url="http://127.0.0.1:9000"),
    ],
    ids=["cluster", "embedded-with-external-s3"],
)
def test_there_is_no_s3_endpoint_when_s3_itself_is_the_store(settings: Settings) -> None:
    with pytest.raises(NoMatchFound):
        create_app(settings).url_path_for("s3_endpoint", path="media/clip.mp4")
