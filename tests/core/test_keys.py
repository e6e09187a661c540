"""Stored access keys: secrets encrypted at rest, readable only with the settings secret."""

from __future__ import annotations

from pathlib import Path

from argus.core.auth.keys import KeyStore, SecretBox
from argus.core.db.engine import Database
from argus.core.db.migrate import upgrade
from argus.core.db.models import ApiKey


def store(tmp_path: Path, secret_key: str = "settings-secret-0123456789") -> KeyStore:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    upgrade(url)
    return KeyStore(Database(url), SecretBox(secret_key))


def test_created_key_is_found_with_its_secret_and_account(tmp_path: Path) -> None:
    keys = store(tmp_path)
    access_key_id, secret = keys.create("123456789012")
    assert keys.lookup(access_key_id) == (secret, "123456789012")


def test_secret_is_not_stored_in_plain_text(tmp_path: Path) -> None:
    keys = store(tmp_path)
    access_key_id, secret = keys.create("123456789012")
    with keys.db.session() as session:
        stored = session.get(ApiKey, access_key_id)
        assert stored is not None
        assert secret not in stored.secret_ciphertext


def test_another_settings_secret_cannot_read_the_keys(tmp_path: Path) -> None:
    access_key_id, _ = store(tmp_path).create("123456789012")
    assert store(tmp_path, "another-secret-0123456789").lookup(access_key_id) is None


def test_unknown_key_is_none(tmp_path: Path) -> None:
    assert store(tmp_path).lookup("AKIANOTHERE") is None
