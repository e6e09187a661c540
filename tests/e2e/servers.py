"""Live Argus servers for end-to-end tests: real processes on loopback, nothing mocked.

Embedded: `argus serve --embedded` in a temporary data directory.
Cluster: a fresh PostgreSQL database, a Redis database, the moto S3 server, `argus migrate`,
`argus serve` and two `argus worker` processes.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

POSTGRES_ADMIN_URL = os.environ.get("ARGUS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("ARGUS_TEST_REDIS", "redis://127.0.0.1:6379")
READY_TIMEOUT_S = 120.0
REDIS_DATABASES = (14, 15, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 13)
REDIS_LOCK = "argus-test-server-lock"
REDIS_LOCK_TTL_S = 3 * 3600
# Custom Labels: small, short training; quick lease expiry, sweeps and serving syncs.
TRAINING_ENV = {
    "ARGUS_TRAINING__EPOCHS": "40",
    "ARGUS_TRAINING__IMAGE_SIZE": "96",
    "ARGUS_TRAINING__BATCH": "16",
    "ARGUS_TRAINING__CHECKPOINT_EVERY_EPOCHS": "2",
    "ARGUS_TRAINING__HEARTBEAT_TTL_S": "15",
    "ARGUS_TRAINING__SWEEP_INTERVAL_S": "2",
    "ARGUS_TRAINING__SERVING_SYNC_S": "0.5",
    "ARGUS_TRAINING__REPLICA_TTL_S": "10",
}
# Notifications: let deliveries reach receivers on loopback, and retry quickly.
NOTIFICATION_ENV = {
    "ARGUS_NOTIFICATIONS__ALLOWED_NETWORKS": "127.0.0.0/8",
    "ARGUS_NOTIFICATIONS__POLL_INTERVAL_S": "0.2",
    "ARGUS_NOTIFICATIONS__BACKOFF_BASE_S": "0.2",
    "ARGUS_NOTIFICATIONS__BACKOFF_CAP_S": "1.0",
}
# Stored-video jobs: short leases and frequent sweeps, so a killed worker's job comes back fast.
VIDEO_ENV = {
    "ARGUS_VIDEO__LEASE_TTL_S": "6",
    "ARGUS_VIDEO__SWEEP_INTERVAL_S": "1",
}


@dataclass
class Server:
    mode: str
    endpoint: str
    access_key_id: str
    secret_access_key: str
    env: dict[str, str]
    s3_endpoint: str | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    data_dir: Path | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def argus(*args: str) -> list[str]:
    return [sys.executable, "-m", "argus.cli", *args]


def wait_ready(endpoint: str, processes: dict[str, subprocess.Popen[bytes]], log_dir: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    last = ""
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {process.returncode}:\n{tail(log_dir / f'{name}.log')}"
                )
        try:
            response = httpx.get(f"{endpoint}/readyz", timeout=5)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as error:
            last = str(error)
        time.sleep(0.3)
    logs = "\n".join(tail(path) for path in log_dir.glob("*.log"))
    raise TimeoutError(f"{endpoint} not ready after {READY_TIMEOUT_S}s: {last}\n{logs}")


def tail(path: Path, lines: int = 40) -> str:
    return f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start(name: str, command: list[str], env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    log = (log_dir / f"{name}.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def embedded_server(tmp: Path, extra_env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """An embedded server in ``tmp``; ``extra_env`` overrides the test knobs (benchmarks use it)."""
    port = free_port()
    data_dir = tmp / "data"
    env = {
        **os.environ,
        "ARGUS_LOG_LEVEL": "INFO",
        **NOTIFICATION_ENV,
        **TRAINING_ENV,
        **VIDEO_ENV,
        **(extra_env or {}),
    }
    env.pop("ARGUS_MODE", None)
    processes = {
        "serve": start(
            "serve", argus("serve", "--embedded", "--port", str(port), "--data-dir", str(data_dir)), env, tmp
        )
    }
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_ready(endpoint, processes, tmp)
        credentials = json.loads((data_dir / "credentials.json").read_text())
        yield Server(
            "embedded",
            endpoint,
            credentials["root_access_key_id"],
            credentials["root_secret_access_key"],
            env,
            processes=processes,
            data_dir=data_dir,
        )
    finally:
        stop(processes)


@contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    name = f"argus_test_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def redis_database() -> Iterator[str]:
    """A Redis database no other test server on this machine uses now (each holds a lock key in its
    own), emptied before and after: servers sharing one would run each other's tasks."""
    import redis

    token = secrets.token_hex(8)
    for number in REDIS_DATABASES:
        url = f"{REDIS_URL}/{number}"
        client = redis.Redis.from_url(url)
        if client.set(REDIS_LOCK, token, nx=True, ex=REDIS_LOCK_TTL_S):
            break
    else:
        raise RuntimeError("every Redis database is held by another test server")
    for key in client.scan_iter():
        if key != REDIS_LOCK.encode():
            client.delete(key)
    try:
        yield url
    finally:
        client.flushdb()  # drops the lock too


@contextmanager
def moto_s3(log_dir: Path) -> Iterator[str]:
    port = free_port()
    process = start(
        "moto",
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        dict(os.environ),
        log_dir,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(tail(log_dir / "moto.log")) from None
                time.sleep(0.2)
        yield endpoint
    finally:
        stop({"moto": process})


@contextmanager
def cluster_server(tmp: Path) -> Iterator[Server]:
    with ExitStack() as stack:
        database_url = stack.enter_context(postgres_database())
        broker_url = stack.enter_context(redis_database())
        s3_endpoint = stack.enter_context(moto_s3(tmp))
        port = free_port()
        access_key_id, secret = "AKIAARGUSTESTROOT001", secrets.token_urlsafe(30)
        env = {
            **os.environ,
            "ARGUS_MODE": "cluster",
            "ARGUS_DATABASE_URL": database_url,
            "ARGUS_BROKER_URL": broker_url,
            "ARGUS_S3_ENDPOINT_URL": s3_endpoint,
            "ARGUS_S3_ACCESS_KEY": "testing",
            "ARGUS_S3_SECRET_KEY": "testing",
            "ARGUS_ROOT_ACCESS_KEY_ID": access_key_id,
            "ARGUS_ROOT_SECRET_ACCESS_KEY": secret,
            "ARGUS_SECRET_KEY": secrets.token_urlsafe(32),
            "ARGUS_ACCOUNT_ID": "111122223333",
            "ARGUS_LOG_LEVEL": "INFO",
            "ARGUS_NOTIFICATIONS__PUBLIC_URL": f"http://127.0.0.1:{port}",
            **NOTIFICATION_ENV,
            **TRAINING_ENV,
            **VIDEO_ENV,
        }
        subprocess.run(argus("migrate"), env=env, check=True, capture_output=True)
        processes: dict[str, subprocess.Popen[bytes]] = {}
        stack.callback(stop, processes)
        processes["serve"] = start("serve", argus("serve", "--port", str(port)), env, tmp)
        for queues in ("image", "video,training"):
            name = "worker-" + queues.replace(",", "+")
            worker_env = {**env, "ARGUS_WORKER_HEARTBEAT": str(tmp / f"{name}.heartbeat")}
            processes[name] = start(name, argus("worker", "--queues", queues), worker_env, tmp)
        endpoint = f"http://127.0.0.1:{port}"
        wait_ready(endpoint, processes, tmp)
        yield Server(
            "cluster", endpoint, access_key_id, secret, env, s3_endpoint=s3_endpoint, processes=processes
        )
