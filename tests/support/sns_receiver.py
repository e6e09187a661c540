"""A loopback HTTP endpoint that receives SNS-style messages the way a subscriber would.

It records every POST, confirms subscriptions by GETting the SubscribeURL, and verifies
signatures independently of Argus's own code: it rebuilds the string to sign from the AWS
documentation's field lists and checks it against the certificate fetched from SigningCertURL.
It can start "down" (its port reserved but nothing listening: connections are refused) and
come up later, or answer with an error status, to exercise retries.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# From "Verifying the signatures of Amazon SNS messages" (AWS SNS developer guide).
SIGNED_FIELDS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        "Message",
        "MessageId",
        "SubscribeURL",
        "Timestamp",
        "Token",
        "TopicArn",
        "Type",
    ),
    "UnsubscribeConfirmation": (
        "Message",
        "MessageId",
        "SubscribeURL",
        "Timestamp",
        "Token",
        "TopicArn",
        "Type",
    ),
}


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def message(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.raw)
        return parsed

    @property
    def type(self) -> str:
        return str(self.message["Type"])


def string_to_sign(message: dict[str, Any]) -> bytes:
    text = ""
    for name in SIGNED_FIELDS[message["Type"]]:
        if name in message:
            text += f"{name}\n{message[name]}\n"
    return text.encode()


def verify_signature(message: dict[str, Any], certificate_pem: bytes) -> bool:
    """SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2, as an SNS client checks."""
    algorithm: hashes.HashAlgorithm = {"1": hashes.SHA1(), "2": hashes.SHA256()}[message["SignatureVersion"]]
    key = x509.load_pem_x509_certificate(certificate_pem).public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        key.verify(
            base64.b64decode(message["Signature"]), string_to_sign(message), padding.PKCS1v15(), algorithm
        )
    except Exception:
        return False
    return True


@dataclass
class SnsReceiver:
    host: str = "127.0.0.1"
    port: int = 0
    status_code: int = 200
    auto_confirm: bool = True
    received: list[Received] = field(default_factory=list)
    confirmations: list[httpx.Response] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _certificates: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.port:
            with socket.socket() as sock:
                sock.bind((self.host, 0))
                self.port = int(sock.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/sns"

    @property
    def up(self) -> bool:
        return self._server is not None

    def come_up(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                item = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
                self.send_response(receiver.status_code)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with receiver._lock:
                    receiver.received.append(item)
                confirm = receiver.auto_confirm and receiver.status_code < 300
                if confirm and item.type == "SubscriptionConfirmation":
                    threading.Thread(target=receiver.confirm, args=(item,), daemon=True).start()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer((self.host, self.port), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    def go_down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def confirm(self, item: Received) -> httpx.Response:
        """GET the SubscribeURL, as a subscriber does to confirm."""
        response = httpx.get(item.message["SubscribeURL"], timeout=10)
        with self._lock:
            self.confirmations.append(response)
        return response

    def certificate(self, url: str) -> bytes:
        if url not in self._certificates:
            response = httpx.get(url, timeout=10)
            response.raise_for_status()
            self._certificates[url] = response.content
        return self._certificates[url]

    def verify(self, item: Received) -> bool:
        """Fetch SigningCertURL and check the signature, as an SNS client would."""
        message = item.message
        return verify_signature(message, self.certificate(message["SigningCertURL"]))

    def messages(self, message_type: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.received if message_type is None or r.type == message_type]

    def wait_for(
        self, predicate: Callable[[Received], bool], timeout: float = 30.0, poll: float = 0.05
    ) -> Received:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for item in self.received:
                    if predicate(item):
                        return item
            time.sleep(poll)
        raise TimeoutError(f"nothing matching arrived at {self.url} in {timeout}s; got {len(self.received)}")

    def wait_confirmed(self, timeout: float = 30.0) -> httpx.Response:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.confirmations:
                    return self.confirmations[-1]
            time.sleep(0.05)
        raise TimeoutError(f"no subscription confirmed at {self.url} in {timeout}s")


@contextmanager
def sns_receiver(*, up: bool = True, **options: Any) -> Iterator[SnsReceiver]:
    receiver = SnsReceiver(**options)
    if up:
        receiver.come_up()
    try:
        yield receiver
    finally:
        receiver.go_down()


def subscribe_receiver(
    endpoint: str, auth: tuple[str, str], topic_name: str, receiver: SnsReceiver, timeout: float = 60.0
) -> tuple[str, str]:
    """Create a topic through Argus's admin API, subscribe ``receiver`` and wait until it has
    confirmed; returns (topic ARN, subscription ARN). The receiver must be up."""
    from urllib.parse import quote

    created = httpx.post(f"{endpoint}/v1/topics", json={"Name": topic_name}, auth=auth, timeout=30)
    created.raise_for_status()
    topic_arn = str(created.json()["TopicArn"])
    subscribed = httpx.post(
        f"{endpoint}/v1/topics/{quote(topic_arn, safe='')}/subscriptions",
        json={"Endpoint": receiver.url},
        auth=auth,
        timeout=30,
    )
    subscribed.raise_for_status()
    subscription_arn = str(subscribed.json()["SubscriptionArn"])
    receiver.wait_for(
        lambda r: r.type == "SubscriptionConfirmation" and r.message["TopicArn"] == topic_arn, timeout
    )
    confirmed = receiver.wait_confirmed(timeout)
    confirmed.raise_for_status()
    return topic_arn, subscription_arn
