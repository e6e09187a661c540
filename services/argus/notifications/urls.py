"""The absolute URLs Argus puts in messages, rooted at ``NotificationSettings.public_url``."""

from __future__ import annotations

from urllib.parse import urlencode

from argus.core.config import Settings

CERTIFICATE_PATH = "/sns/certificates"
CONFIRM_PATH = "/sns/confirm"
UNSUBSCRIBE_PATH = "/sns/unsubscribe"


def public_base(settings: Settings) -> str:
    """Where receivers reach the gateway; defaults to http://<host>:<port>."""
    if settings.notifications.public_url:
        return settings.notifications.public_url.rstrip("/")
    host = settings.host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def certificate_url(settings: Settings, key_id: str) -> str:
    return f"{public_base(settings)}{CERTIFICATE_PATH}/{key_id}.pem"


def subscribe_url(settings: Settings, subscription_arn: str, token: str) -> str:
    query = urlencode({"Action": "ConfirmSubscription", "SubscriptionArn": subscription_arn, "Token": token})
    return f"{public_base(settings)}{CONFIRM_PATH}?{query}"


def unsubscribe_url(settings: Settings, subscription_arn: str, token: str) -> str:
    query = urlencode({"Action": "Unsubscribe", "SubscriptionArn": subscription_arn, "Token": token})
    return f"{public_base(settings)}{UNSUBSCRIBE_PATH}?{query}"
