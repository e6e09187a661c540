"""Fixtures for the deployment checks: the repository, the offline tools and chart rendering.

The tools (helm, kubectl, hadolint, the Kubernetes JSON schemas and the compose-spec parser)
live in .argus-tools/ and are put there by deploy/tools/install-helm.sh. A missing tool fails
the test that needs it, with that command in the message: CI runs the script first.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS_DIR = Path(os.environ.get("ARGUS_TOOLS_DIR", REPO_ROOT / ".argus-tools"))
CHART_DIR = REPO_ROOT / "charts" / "argus"
INSTALL_HINT = "run `deploy/tools/install-helm.sh` first (installs the deploy tools into .argus-tools/)"

Manifest = dict[str, Any]


def _tool(name: str) -> Path:
    path = TOOLS_DIR / "bin" / name
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: {INSTALL_HINT}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def tools_dir() -> Path:
    return TOOLS_DIR


@pytest.fixture(scope="session")
def install_hint() -> str:
    return INSTALL_HINT


@pytest.fixture(scope="session")
def helm() -> Path:
    return _tool("helm")


@pytest.fixture(scope="session")
def hadolint() -> Path:
    return _tool("hadolint")


@pytest.fixture(scope="session")
def run_helm(helm: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run helm offline with an isolated home (no repositories, no plugins, no cache)."""

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        home = TOOLS_DIR / "helm-home"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "HELM_CACHE_HOME": str(home / "cache"),
            "HELM_CONFIG_HOME": str(home / "config"),
            "HELM_DATA_HOME": str(home / "data"),
            "KUBECONFIG": str(home / "no-kubeconfig"),
        }
        result = subprocess.run(
            [str(helm), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        if check and result.returncode != 0:
            pytest.fail(f"helm {' '.join(args)} exited {result.returncode}:\n{result.stderr}", pytrace=False)
        return result

    return run


@pytest.fixture(scope="session")
def render(run_helm: Callable[..., subprocess.CompletedProcess[str]]) -> Callable[..., list[Manifest]]:
    """`helm template` the chart (release "argus", namespace "argus") and parse every document."""
    cache: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Manifest]] = {}

    def _render(values_files: Sequence[str] = (), set_values: Sequence[str] = ()) -> list[Manifest]:
        key = (tuple(values_files), tuple(set_values))
        if key not in cache:
            args = ["template", "argus", str(CHART_DIR), "--namespace", "argus"]
            for path in values_files:
                args += ["--values", str(REPO_ROOT / path)]
            for assignment in set_values:
                args += ["--set", assignment]
            output = run_helm(*args).stdout
            cache[key] = [doc for doc in yaml.safe_load_all(output) if doc]
        return [dict(doc) for doc in cache[key]]

    return _render
