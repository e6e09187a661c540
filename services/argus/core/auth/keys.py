"""Access keys: stored in the database with their secrets encrypted under ARGUS_SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib
import secrets
import string

from cryptography.fernet import Fernet, InvalidToken

from argus.core.db.engine import Database
from argus.core.db.models import ApiKey

_KEY_ALPHABET = string.ascii_uppercase + string.digits


def new_access_key_id() -> str:
    return "AKIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))


def new_secret_access_key() -> str:
    return base64.b64encode(secrets.token_bytes(30)).decode().replace("+", "A").replace("/", "B")


class SecretBox:
    """Symmetric encryption of stored secrets (Fernet, key derived from the settings secret)."""

    def __init__(self, secret_key: str) -> None:
        digest = hashlib.sha256(b"argus-api-keys\0" + secret_key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, token: str) -> str | None:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None


class KeyStore:
    def __init__(self, db: Database, box: SecretBox) -> None:
        self.db = db
        self.box = box

    def lookup(self, access_key_id: str) -> tuple[str, str] | None:
        """(secret, account id) of a known key, or None."""
        with self.db.session() as session:
            key = session.get(ApiKey, access_key_id)
            if key is None:
                return None
            secret = self.box.open(key.secret_ciphertext)
            return (secret, key.account_id) if secret is not None else None

    def put(self, access_key_id: str, secret: str, account_id: str, *, is_root: bool = False) -> None:
        """Create the key, or replace its secret (the root key follows the settings)."""
        with self.db.session() as session:
            key = session.get(ApiKey, access_key_id)
            if key is None:
                key = ApiKey(access_key_id=access_key_id, account_id=account_id, is_root=is_root)
                session.add(key)
            key.secret_ciphertext = self.box.seal(secret)
            key.account_id = account_id
            key.is_root = is_root

    def create(self, account_id: str) -> tuple[str, str]:
        access_key_id, secret = new_access_key_id(), new_secret_access_key()
        self.put(access_key_id, secret, account_id)
        return access_key_id, secret
