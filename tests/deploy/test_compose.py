"""docker-compose.yml (CPU) and deploy/compose.gpu.yml (GPU override): the topology, start-up
order, persistence, health checks and secrets handling of Argus on one machine."""

from __future__ import annotations

import copy
import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
GPU_FILE = REPO_ROOT / "deploy" / "compose.gpu.yml"
ENV_EXAMPLE = REPO_ROOT / "deploy" / ".env.example"

ARGUS_SERVICES = ("migrate", "gateway", "worker-image", "worker-video", "worker-training")
WORKERS = ("worker-image", "worker-video", "worker-training")
GPU_WORKERS = ("worker-image", "worker-training")
REQUIRED_SECRETS = (
    "POSTGRES_PASSWORD",
    "MINIO_ROOT_USER",
    "MINIO_ROOT_PASSWORD",
    "ARGUS_ROOT_ACCESS_KEY_ID",
    "ARGUS_ROOT_SECRET_ACCESS_KEY",
    "ARGUS_SECRET_KEY",
)
TEST_ENV = {
    "POSTGRES_PASSWORD": "pgpass0123456789abcdef",
    "MINIO_ROOT_USER": "argus-admin",
    "MINIO_ROOT_PASSWORD": "miniopass0123456789",
    "ARGUS_ROOT_ACCESS_KEY_ID": "AKIAEXAMPLE000000000",
    "ARGUS_ROOT_SECRET_ACCESS_KEY": "rootsecret0123456789abcdef",
    "ARGUS_SECRET_KEY": "encryptionkey0123456789abcdef",
}
GPU_DEVICE = {"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}

_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariable(Exception):
    pass


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} interpolation ($$ stays literal)."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$$"
        name, op, arg = match["name"], match["op"], match["arg"]
        current = env.get(name)
        if op in (":-", "-"):
            use_default = not current if op == ":-" else current is None
            return str(arg) if use_default else str(current)
        if op in (":?", "?"):
            if not current:
                raise MissingVariable(f"{name}: {arg}")
            return current
        return current or ""

    return _VARIABLE.sub(substitute, value)


def merge(base: Any, override: Any) -> Any:
    """Compose's merge of an override file for the keys used here: mappings merge, the rest replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(override)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())  # resolves anchors and << merges
    return data


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load(COMPOSE_FILE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = compose["services"]
    return result


@pytest.fixture(scope="module")
def gpu_services(compose: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = merge(compose, load(GPU_FILE))["services"]
    return result


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    assert isinstance(env, dict), "environment is written as a mapping"
    return env


# ------------------------------------------------------------------------------ topology


def test_services_are_the_data_stores_the_one_shots_the_gateway_and_three_workers(
    services: dict[str, Any],
) -> None:
    assert sorted(services) == sorted(
        ["postgres", "redis", "minio", "minio-init", "migrate", "gateway", *WORKERS]
    )


def test_postgres_is_version_16_with_a_volume_and_a_healthcheck(services: dict[str, Any]) -> None:
    postgres = services["postgres"]
    assert re.fullmatch(r"\$\{ARGUS_POSTGRES_IMAGE:-postgres:16\.\d+-bookworm\}", postgres["image"])
    assert postgres["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert postgres["healthcheck"]["test"] == ["CMD", "pg_isready", "--username=argus", "--dbname=argus"]


def test_redis_keeps_an_append_only_file_on_a_volume(services: dict[str, Any]) -> None:
    redis = services["redis"]
    assert redis["command"][:3] == ["redis-server", "--appendonly", "yes"]
    assert redis["volumes"] == ["redis-data:/data"]
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_minio_has_a_volume_and_a_healthcheck(services: dict[str, Any]) -> None:
    minio = services["minio"]
    assert minio["volumes"] == ["minio-data:/data"]
    assert minio["healthcheck"]["test"] == ["CMD", "mc", "ready", "local"]


def test_named_volumes_are_declared(compose: dict[str, Any]) -> None:
    assert sorted(compose["volumes"]) == ["minio-data", "postgres-data", "redis-data"]


def test_minio_init_creates_the_argus_bucket_once_minio_is_healthy(services: dict[str, Any]) -> None:
    init = services["minio-init"]
    assert init["image"].startswith("${ARGUS_MC_IMAGE:-minio/mc:RELEASE.")
    assert init["depends_on"] == {"minio": {"condition": "service_healthy"}}
    assert init["restart"] == "no"
    assert init["environment"]["ARGUS_BUCKETS"] == "${ARGUS_BUCKETS:-argus}"
    script = init["command"][0]
    assert 'mc mb --ignore-existing "local/$$bucket"' in script


def test_migrate_runs_argus_migrate_once_postgres_is_healthy(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert migrate["command"] == ["argus", "migrate"]
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert migrate["restart"] == "no"
    assert migrate["build"]["target"] == "gateway"


@pytest.mark.parametrize("name", ["gateway", *WORKERS])
def test_gateway_and_workers_wait_for_migrations_buckets_and_healthy_stores(
    name: str, services: dict[str, Any]
) -> None:
    assert services[name]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "minio": {"condition": "service_healthy"},
        "minio-init": {"condition": "service_completed_successfully"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_gateway_serves_port_8080_and_is_healthy_when_ready(services: dict[str, Any]) -> None:
    gateway = services["gateway"]
    assert gateway["command"] == ["argus", "serve", "--host", "0.0.0.0", "--port", "8080"]
    assert gateway["ports"] == ["${ARGUS_HTTP_BIND:-127.0.0.1}:${ARGUS_HTTP_PORT:-8080}:8080"]
    assert "http://127.0.0.1:8080/readyz" in " ".join(gateway["healthcheck"]["test"])


@pytest.mark.parametrize(
    ("name", "queue"), [("worker-image", "image"), ("worker-video", "video"), ("worker-training", "training")]
)
def test_each_worker_consumes_its_queue_and_reports_its_heartbeat(
    name: str, queue: str, services: dict[str, Any]
) -> None:
    worker = services[name]
    assert worker["command"] == ["argus", "worker", "--queues", queue]
    assert worker["healthcheck"]["test"] == ["CMD", "argus", "worker-alive", "--max-age", "60"]
    assert worker["build"]["target"] == name


@pytest.mark.parametrize("name", ["postgres", "redis", "minio", "gateway", *WORKERS])
def test_long_running_services_restart_unless_stopped(name: str, services: dict[str, Any]) -> None:
    assert services[name]["restart"] == "unless-stopped"


@pytest.mark.parametrize("name", ["gateway", *WORKERS])
def test_argus_containers_have_a_read_only_root_and_a_tmpfs(name: str, services: dict[str, Any]) -> None:
    assert services[name]["read_only"] is True
    assert services[name]["tmpfs"] == ["/tmp"]


@pytest.mark.parametrize("name", ARGUS_SERVICES)
def test_argus_services_build_from_the_deploy_dockerfile_in_cluster_mode(
    name: str, services: dict[str, Any]
) -> None:
    service = services[name]
    assert service["build"]["context"] == "."
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert service["build"]["args"]["VARIANT"] == "cpu"
    env = environment(service)
    assert env["ARGUS_MODE"] == "cluster"
    assert env["ARGUS_DATABASE_URL"].endswith("@postgres:5432/argus")
    assert env["ARGUS_BROKER_URL"] == "redis://redis:6379/0"
    assert env["ARGUS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert env["ARGUS_MODEL_DIR"] == "/models"


# ------------------------------------------------------------------------------ secrets


@pytest.mark.parametrize("name", REQUIRED_SECRETS)
def test_compose_refuses_to_start_without_each_secret(name: str, compose: dict[str, Any]) -> None:
    env = {key: value for key, value in TEST_ENV.items() if key != name}
    with pytest.raises(MissingVariable, match=rf"^{name}: set {name} in \.env$"):
        interpolate(compose, env)


def test_compose_interpolates_with_every_secret_set(compose: dict[str, Any]) -> None:
    resolved = interpolate(compose, TEST_ENV)
    env = resolved["services"]["gateway"]["environment"]
    assert (
        env["ARGUS_DATABASE_URL"]
        == f"postgresql+psycopg://argus:{TEST_ENV['POSTGRES_PASSWORD']}@postgres:5432/argus"
    )
    assert env["ARGUS_ROOT_SECRET_ACCESS_KEY"] == TEST_ENV["ARGUS_ROOT_SECRET_ACCESS_KEY"]


def test_no_secret_is_written_into_the_compose_files() -> None:
    for path in (COMPOSE_FILE, GPU_FILE):
        for service in load(path)["services"].values():
            for key, value in service.get("environment", {}).items():
                if re.search(r"PASSWORD|SECRET|ACCESS_KEY|ROOT_USER|DATABASE_URL", key):
                    assert "${" in str(value), f"{path.name}: {key} is hard-coded"


def test_env_example_names_every_required_variable_and_leaves_secrets_blank() -> None:
    text = ENV_EXAMPLE.read_text()
    assigned = dict(re.findall(r"^([A-Z0-9_]+)=(.*)$", text, flags=re.MULTILINE))
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", COMPOSE_FILE.read_text()))
    assert required == set(REQUIRED_SECRETS)
    assert required <= assigned.keys()
    assert {name: value for name, value in assigned.items() if name != "MINIO_ROOT_USER" and value} == {}


# ------------------------------------------------------------------------------ GPUs


def test_the_cpu_compose_file_reserves_no_gpu(services: dict[str, Any]) -> None:
    assert [name for name, service in services.items() if "deploy" in service] == []
    assert "nvidia" not in COMPOSE_FILE.read_text()


@pytest.mark.parametrize("name", GPU_WORKERS)
def test_gpu_override_reserves_an_nvidia_gpu_for_the_image_and_training_workers(
    name: str, gpu_services: dict[str, Any]
) -> None:
    worker = gpu_services[name]
    assert worker["deploy"]["resources"]["reservations"]["devices"] == [GPU_DEVICE]
    assert worker["build"]["args"]["VARIANT"] == "cuda"
    assert worker["build"]["target"] == name
    assert worker["environment"]["ARGUS_DEVICE"] == "cuda"
    assert worker["image"].endswith("-cuda")
    # The override adds to the base service; it does not drop its settings.
    assert worker["environment"]["ARGUS_MODE"] == "cluster"
    assert worker["command"][:2] == ["argus", "worker"]


def test_gpu_override_leaves_the_gateway_and_video_worker_on_the_cpu(gpu_services: dict[str, Any]) -> None:
    assert sorted(load(GPU_FILE)["services"]) == sorted(GPU_WORKERS)
    for name in ("gateway", "worker-video", "migrate"):
        assert "deploy" not in gpu_services[name]
        assert gpu_services[name]["build"]["args"]["VARIANT"] == "cpu"


# ------------------------------------------------------------------------------ images


def test_third_party_images_are_pinned_to_exact_tags(services: dict[str, Any]) -> None:
    for name in ("postgres", "redis", "minio", "minio-init"):
        default = re.fullmatch(r"\$\{ARGUS_[A-Z_]+_IMAGE:-(?P<image>[^}]+)\}", services[name]["image"])
        assert default, f"{name}: image is overridable from .env"
        repository, _, tag = default["image"].rpartition(":")
        assert repository and tag and tag != "latest", f"{name}: {default['image']}"
        assert re.search(r"\d", tag), f"{name}: {tag} is not a version"


# ------------------------------------------------------------------------------ validation


@pytest.fixture(scope="module")
def compose_spec(tools_dir: Path, install_hint: str) -> Any:
    python_dir = tools_dir / "python"
    if not (python_dir / "compose_spec" / "__init__.py").is_file():
        pytest.fail(f"{python_dir}/compose_spec is missing: {install_hint}", pytrace=False)
    sys.path.insert(0, str(python_dir))
    try:
        return importlib.import_module("compose_spec")
    finally:
        sys.path.remove(str(python_dir))


def test_compose_spec_parser_rejects_an_unknown_depends_on_condition(
    compose: dict[str, Any], compose_spec: Any
) -> None:
    broken = interpolate(compose, TEST_ENV)
    broken["services"]["gateway"]["depends_on"]["migrate"]["condition"] = "service_finished"
    with pytest.raises(Exception, match="unknown variant `service_finished`"):
        compose_spec.PyCompose.from_json(json.dumps(broken))


@pytest.mark.parametrize("files", [("docker-compose.yml",), ("docker-compose.yml", "deploy/compose.gpu.yml")])
def test_compose_files_conform_to_the_compose_specification(
    files: tuple[str, ...], compose_spec: Any
) -> None:
    merged: dict[str, Any] = {}
    for path in files:
        merged = merge(merged, load(REPO_ROOT / path))
    resolved = interpolate(merged, TEST_ENV)
    parsed = compose_spec.PyCompose.from_json(json.dumps(resolved))
    assert sorted(parsed.service_names()) == sorted(resolved["services"])


def _docker_compose_available() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _docker_compose_available(), reason="the docker compose client is not installed")
def test_docker_compose_config_accepts_the_cpu_and_gpu_stacks(tmp_path: Path) -> None:
    env_file = tmp_path / "env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in TEST_ENV.items()))
    for files in (["docker-compose.yml"], ["docker-compose.yml", "deploy/compose.gpu.yml"]):
        args = ["docker", "compose", "--env-file", str(env_file)]
        for path in files:
            args += ["-f", path]
        result = subprocess.run([*args, "config", "--quiet"], cwd=REPO_ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
