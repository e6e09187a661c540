"""deploy/Dockerfile and .dockerignore, checked statically (no Docker engine in CI): one target
per role, CPU and CUDA variants, pinned bases, non-root, health checks, models at /models."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO_ROOT / "deploy" / "Dockerfile"
ROLE_TARGETS = {
    "gateway": ["argus", "serve", "--host", "0.0.0.0", "--port", "8080"],
    "worker-image": ["argus", "worker", "--queues", "image"],
    "worker-video": ["argus", "worker", "--queues", "video"],
    "worker-training": ["argus", "worker", "--queues", "training"],
}


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse(text: str) -> tuple[dict[str, str], dict[str, Stage], list[str]]:
    """Global ARG defaults, stages by name, and the stage names in file order."""
    logical: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    global_args: dict[str, str] = {}
    stages: dict[str, Stage] = {}
    order: list[str] = []
    stage: Stage | None = None
    for line in logical:
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            match = re.fullmatch(r"(\S+)\s+AS\s+(\S+)", args.strip(), flags=re.IGNORECASE)
            assert match, f"every stage is named: FROM {args}"
            stage = Stage(name=match[2], base=match[1])
            stages[stage.name] = stage
            order.append(stage.name)
        elif stage is None:
            assert keyword == "ARG", f"only ARG may precede the first FROM, found {keyword}"
            name, _, default = args.partition("=")
            global_args[name] = default
        else:
            stage.instructions.append((keyword, args.strip()))
    return global_args, stages, order


@pytest.fixture(scope="module")
def dockerfile() -> tuple[dict[str, str], dict[str, Stage], list[str]]:
    return parse(DOCKERFILE.read_text())


def lineage(stages: dict[str, Stage], name: str) -> list[Stage]:
    """The stage and the stages it is built FROM, nearest first (base-${VARIANT} stops the chain)."""
    chain = []
    while name in stages:
        chain.append(stages[name])
        name = stages[name].base
    return chain


def effective(stages: dict[str, Stage], target: str, keyword: str) -> str | None:
    for stage in lineage(stages, target):
        found = stage.all(keyword)
        if found:
            return found[-1]
    return None


def test_hadolint_passes(hadolint: Path) -> None:
    result = subprocess.run([str(hadolint), str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_there_is_a_target_per_role_and_the_default_target_is_the_gateway(
    dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]],
) -> None:
    _, stages, order = dockerfile
    assert set(ROLE_TARGETS) <= set(stages)
    assert order[-1] == "gateway"


def test_variant_build_arg_selects_a_cpu_or_cuda_base(
    dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]],
) -> None:
    global_args, stages, _ = dockerfile
    assert global_args["VARIANT"] == "cpu"
    assert stages["base"].base == "base-${VARIANT}"
    assert stages["base-cpu"].base == "${CPU_BASE_IMAGE}"
    assert stages["base-cuda"].base == "${CUDA_BASE_IMAGE}"


def test_base_images_are_pinned_to_exact_versions(
    dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]],
) -> None:
    global_args, _, _ = dockerfile
    assert re.fullmatch(
        r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", global_args["CPU_BASE_IMAGE"]
    )
    assert re.fullmatch(
        r"nvidia/cuda:12\.\d+\.\d+-runtime-ubuntu22\.04(@sha256:[0-9a-f]{64})?",
        global_args["CUDA_BASE_IMAGE"],
    )


@pytest.mark.parametrize("target", ROLE_TARGETS)
def test_each_role_runs_as_the_non_root_argus_user(
    target: str, dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]]
) -> None:
    _, stages, _ = dockerfile
    assert effective(stages, target, "USER") == "10001:10001"


@pytest.mark.parametrize(("target", "command"), ROLE_TARGETS.items())
def test_each_role_has_its_command(
    target: str, command: list[str], dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]]
) -> None:
    _, stages, _ = dockerfile
    assert stages[target].all("CMD") == [str(command).replace("'", '"')]
    assert effective(stages, target, "ENTRYPOINT") == '["/usr/bin/tini", "--"]'


@pytest.mark.parametrize("target", ROLE_TARGETS)
def test_each_role_has_a_healthcheck(
    target: str, dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]]
) -> None:
    _, stages, _ = dockerfile
    [healthcheck] = stages[target].all("HEALTHCHECK")
    if target == "gateway":
        assert "http://127.0.0.1:8080/healthz" in healthcheck
    else:
        assert healthcheck.endswith('CMD ["argus", "worker-alive", "--max-age", "60"]')


def test_no_stage_installs_a_system_ffmpeg(
    dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]],
) -> None:
    _, stages, _ = dockerfile
    with_ffmpeg = [name for name, stage in stages.items() if any("ffmpeg" in run for run in stage.all("RUN"))]
    assert with_ffmpeg == []


def test_the_builder_installs_the_no_deps_pins_after_the_project(
    dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]],
) -> None:
    _, stages, _ = dockerfile
    [install] = [run for run in stages["builder"].all("RUN") if "pip install" in run]
    no_deps = "pip install --no-deps -r deploy/requirements-nodeps.txt"
    assert install.index('pip install ".') < install.index(no_deps)


def test_model_weights_are_baked_by_argus_models_fetch_unless_bake_models_is_0(
    dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]],
) -> None:
    _, stages, _ = dockerfile
    models = stages["models"]
    assert models.all("ARG") == ["BAKE_MODELS=1"]
    [run] = models.all("RUN")
    assert 'if [ "$BAKE_MODELS" = "1" ]; then' in run
    assert "argus models fetch" in run
    assert "COPY --from=models /models /models" in [f"COPY {args}" for args in stages["runtime"].all("COPY")]
    assert "ARGUS_MODEL_DIR=/models" in " ".join(stages["base"].all("ENV"))


def test_the_project_is_installed_with_pip_from_pyproject(
    dockerfile: tuple[dict[str, str], dict[str, Stage], list[str]],
) -> None:
    _, stages, _ = dockerfile
    builder = stages["builder"]
    assert builder.all("COPY") == [
        "pyproject.toml ./",
        "deploy/requirements-nodeps.txt deploy/",
        "services/ services/",
    ]
    assert any('pip install ".${EXTRAS:+[$EXTRAS]}"' in run for run in builder.all("RUN"))


def test_dockerignore_admits_only_the_package_sources() -> None:
    lines = [
        line
        for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines[0] == "*"
    assert [line for line in lines if line.startswith("!")] == [
        "!pyproject.toml",
        "!deploy/requirements-nodeps.txt",
        "!services",
    ]
    assert {"**/.env", "**/__pycache__"} <= set(lines)
