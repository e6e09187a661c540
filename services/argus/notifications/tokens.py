"""Subscription tokens.

Confirmation tokens are random (64 hex digits, like the ones SNS sends); the table keeps only
their SHA-256, so reading the subscriptions table is not enough to confirm one. Unsubscribe
tokens are an HMAC of the subscription ARN under the settings secret: nothing to store, and
only Argus can mint one, so strangers who learn an ARN cannot unsubscribe it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_confirmation_token() -> str:
    return secrets.token_hex(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)


def unsubscribe_token(secret_key: str, subscription_arn: str) -> str:
    key = hashlib.sha256(b"argus-sns-unsubscribe\0" + secret_key.encode()).digest()
    return hmac.new(key, subscription_arn.encode(), hashlib.sha256).hexdigest()


def unsubscribe_matches(secret_key: str, subscription_arn: str, token: str) -> bool:
    return hmac.compare_digest(unsubscribe_token(secret_key, subscription_arn), token)
