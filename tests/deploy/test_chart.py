"""The Helm chart charts/argus: it lints, renders valid Kubernetes objects for every example
values file, and the rendered objects have the properties a GPU cluster of Argus needs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource

Manifest = dict[str, Any]

K8S_SCHEMA_VERSION = "v1.33.0-local-strict"
DEFAULTS = "defaults"
VALUES_FILES = {
    DEFAULTS: [],
    "cpu-only": ["deploy/values/cpu-only.yaml"],
    "single-gpu": ["deploy/values/single-gpu.yaml"],
    "multi-gpu": ["deploy/values/multi-gpu.yaml"],
}
# GPUs per pod that each example asks for, by component (nothing else may ask for any).
EXPECTED_GPUS = {
    DEFAULTS: {},
    "cpu-only": {},
    "single-gpu": {"worker-image": 1},
    "multi-gpu": {"worker-image": 1, "worker-training": 2},
}
EXTERNAL_DB = [
    "database.url=postgresql+psycopg://argus:db-pass-123@db.example.com:5432/argus",
    "broker.url=redis://:redis-pass-123@redis.example.com:6379/0",
    "s3.endpointUrl=https://s3.example.com",
    "s3.accessKey=s3-user",
    "s3.secretKey=s3-pass-123456",
    "bundled.enabled=false",
]
WORKER_ROLES = ("image", "video", "training")

example = pytest.mark.parametrize("example", list(VALUES_FILES))


# ------------------------------------------------------------------------------ helpers


def of_kind(docs: list[Manifest], kind: str) -> list[Manifest]:
    return [doc for doc in docs if doc["kind"] == kind]


def named(docs: list[Manifest], kind: str, name: str) -> Manifest:
    matches = [doc for doc in of_kind(docs, kind) if doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def component(doc: Manifest) -> str:
    return str(doc["metadata"]["labels"]["app.kubernetes.io/component"])


def pod_spec(doc: Manifest) -> Manifest:
    spec: Manifest = doc["spec"]["template"]["spec"]
    return spec


def all_containers(doc: Manifest) -> list[Manifest]:
    spec = pod_spec(doc)
    return [*spec.get("initContainers", []), *spec["containers"]]


def workloads(docs: list[Manifest]) -> list[Manifest]:
    return [doc for doc in docs if doc["kind"] in ("Deployment", "StatefulSet", "Job")]


def env_names(container: Manifest) -> list[str]:
    return [entry["name"] for entry in container.get("env", [])]


# ------------------------------------------------------------------------------ lint / render


@example
def test_helm_lint_strict_passes(example: str, run_helm: Callable[..., Any]) -> None:
    args = ["lint", "--strict", "charts/argus"]
    for path in VALUES_FILES[example]:
        args += ["--values", path]
    result = run_helm(*args)
    assert "0 chart(s) failed" in result.stdout


@example
def test_helm_template_renders_the_gateway_and_three_worker_deployments(
    example: str, render: Callable[..., list[Manifest]]
) -> None:
    docs = render(VALUES_FILES[example])
    assert sorted(doc["metadata"]["name"] for doc in of_kind(docs, "Deployment")) == [
        "argus-gateway",
        "argus-worker-image",
        "argus-worker-training",
        "argus-worker-video",
    ]


@pytest.fixture(scope="session")
def kubernetes_validator(tools_dir: Path, install_hint: str) -> Callable[[Manifest], list[str]]:
    schema_dir = tools_dir / "kubernetes-json-schema" / K8S_SCHEMA_VERSION
    definitions_file = schema_dir / "_definitions.json"
    if not definitions_file.is_file():
        pytest.fail(f"{definitions_file} is missing: {install_hint}", pytrace=False)
    registry = Resource.from_contents(json.loads(definitions_file.read_text())) @ Registry()

    def validate(doc: Manifest) -> list[str]:
        # apps/v1 -> apps-v1, networking.k8s.io/v1 -> networking-v1, v1 -> v1
        api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", doc["apiVersion"])
        schema_file = schema_dir / f"{doc['kind'].lower()}-{api}.json"
        if not schema_file.is_file():
            return [f"no Kubernetes {K8S_SCHEMA_VERSION} schema for {doc['apiVersion']} {doc['kind']}"]
        validator = jsonschema.Draft202012Validator(json.loads(schema_file.read_text()), registry=registry)
        return [f"{'.'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(doc)]

    return validate


def test_kubernetes_validator_rejects_an_unknown_container_field(
    kubernetes_validator: Callable[[Manifest], list[str]],
) -> None:
    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {
            "selector": {"matchLabels": {"a": "b"}},
            "template": {
                "metadata": {"labels": {"a": "b"}},
                "spec": {"containers": [{"name": "c", "image": "i:1", "livenessProbes": {}}]},
            },
        },
    }
    assert kubernetes_validator(bad) == [
        "spec.template.spec.containers.0: "
        "Additional properties are not allowed ('livenessProbes' was unexpected)"
    ]


@pytest.mark.parametrize("example", [*VALUES_FILES, "external-url", "models-s3", "models-pvc-created"])
def test_rendered_manifests_validate_against_the_kubernetes_schemas(
    example: str, render: Callable[..., list[Manifest]], kubernetes_validator: Callable[[Manifest], list[str]]
) -> None:
    extra: dict[str, tuple[list[str], list[str]]] = {
        "external-url": ([], [*EXTERNAL_DB, "ingress.enabled=true"]),
        "models-s3": ([], ["models.source=s3"]),
        "models-pvc-created": ([], ["models.source=pvc", "models.persistentVolumeClaim.create=true"]),
    }
    files, sets = extra.get(example, (VALUES_FILES.get(example, []), []))
    problems = {
        f"{doc['kind']}/{doc['metadata']['name']}": errors
        for doc in render(files, sets)
        if (errors := kubernetes_validator(doc))
    }
    assert problems == {}


# ------------------------------------------------------------------------------ GPUs


@example
def test_gpu_limits_exactly_on_the_gpu_workers(example: str, render: Callable[..., list[Manifest]]) -> None:
    found = {}
    for deployment in of_kind(render(VALUES_FILES[example]), "Deployment"):
        for container in all_containers(deployment):
            for section in ("limits", "requests"):
                gpus = container.get("resources", {}).get(section, {}).get("nvidia.com/gpu")
                if gpus is not None:
                    assert section == "limits", f"{component(deployment)} puts GPUs in requests"
                    found[component(deployment)] = gpus
    assert found == EXPECTED_GPUS[example]


@example
def test_gateway_never_requests_a_gpu(example: str, render: Callable[..., list[Manifest]]) -> None:
    gateway = named(render(VALUES_FILES[example]), "Deployment", "argus-gateway")
    assert "gpu" not in json.dumps(pod_spec(gateway)["containers"][0]["resources"])
    assert "tolerations" not in pod_spec(gateway)
    assert "runtimeClassName" not in pod_spec(gateway)


@example
def test_gpu_workers_run_the_cuda_image_with_device_cuda_and_tolerate_the_gpu_taint(
    example: str, render: Callable[..., list[Manifest]]
) -> None:
    for deployment in of_kind(render(VALUES_FILES[example]), "Deployment"):
        container = pod_spec(deployment)["containers"][0]
        device = next(e["value"] for e in container["env"] if e["name"] == "ARGUS_DEVICE")
        if component(deployment) in EXPECTED_GPUS[example]:
            assert container["image"].endswith("-cuda")
            assert device == "cuda"
            assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod_spec(
                deployment
            )["tolerations"]
        else:
            assert container["image"].endswith("-cpu")
            assert device in ("cpu", "auto")


def test_single_gpu_example_pins_the_image_worker_to_gpu_nodes(render: Callable[..., list[Manifest]]) -> None:
    worker = named(render(VALUES_FILES["single-gpu"]), "Deployment", "argus-worker-image")
    assert pod_spec(worker)["nodeSelector"] == {"nvidia.com/gpu.present": "true"}


# ------------------------------------------------------------------------------ probes


@example
def test_every_deployment_has_liveness_readiness_and_startup_probes(
    example: str, render: Callable[..., list[Manifest]]
) -> None:
    for deployment in of_kind(render(VALUES_FILES[example]), "Deployment"):
        container = pod_spec(deployment)["containers"][0]
        assert {"livenessProbe", "readinessProbe", "startupProbe"} <= container.keys(), component(deployment)


def test_gateway_probes_are_healthz_for_liveness_and_readyz_for_readiness(
    render: Callable[..., list[Manifest]],
) -> None:
    container = pod_spec(named(render(), "Deployment", "argus-gateway"))["containers"][0]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]


@pytest.mark.parametrize("role", WORKER_ROLES)
def test_worker_probes_exec_worker_alive(role: str, render: Callable[..., list[Manifest]]) -> None:
    container = pod_spec(named(render(), "Deployment", f"argus-worker-{role}"))["containers"][0]
    alive = {"command": ["argus", "worker-alive", "--max-age", "60"]}
    assert container["livenessProbe"]["exec"] == alive
    assert container["readinessProbe"]["exec"] == alive
    assert container["startupProbe"]["exec"] == alive


# ------------------------------------------------------------------------------ commands


def test_gateway_serves_on_port_8080(render: Callable[..., list[Manifest]]) -> None:
    container = pod_spec(named(render(), "Deployment", "argus-gateway"))["containers"][0]
    assert container["args"] == ["argus", "serve", "--host", "0.0.0.0", "--port", "8080"]


@pytest.mark.parametrize("role", WORKER_ROLES)
def test_each_worker_consumes_its_own_queue(role: str, render: Callable[..., list[Manifest]]) -> None:
    container = pod_spec(named(render(), "Deployment", f"argus-worker-{role}"))["containers"][0]
    assert container["args"] == ["argus", "worker", "--queues", role]


def test_disabled_worker_role_renders_no_deployment(render: Callable[..., list[Manifest]]) -> None:
    docs = render(set_values=["workers.video.enabled=false"])
    assert "argus-worker-video" not in [doc["metadata"]["name"] for doc in docs]


def test_gateway_service_targets_the_http_port(render: Callable[..., list[Manifest]]) -> None:
    service = named(render(), "Service", "argus-gateway")
    assert service["spec"]["ports"] == [
        {"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP"}
    ]
    assert service["spec"]["selector"]["app.kubernetes.io/component"] == "gateway"


# ------------------------------------------------------------------------------ secrets / config


def test_configmap_holds_no_secret_values(render: Callable[..., list[Manifest]]) -> None:
    secrets = [
        "db-pass-123",
        "redis-pass-123",
        "s3-pass-123456",
        "root-secret-0123456789",
        "enc-key-0123456789",
        "AKIAROOTKEY000000000",
    ]
    docs = render(
        set_values=[
            *EXTERNAL_DB,
            f"auth.rootSecretAccessKey={secrets[3]}",
            f"auth.secretKey={secrets[4]}",
            f"auth.rootAccessKeyId={secrets[5]}",
        ]
    )
    [configmap] = of_kind(docs, "ConfigMap")
    text = json.dumps(configmap)
    assert [secret for secret in secrets if secret in text] == []
    assert sorted(configmap["data"]) == [
        "ARGUS_ACCOUNT_ID",
        "ARGUS_IMAGE_TASK_TIMEOUT_S",
        "ARGUS_LOG_LEVEL",
        "ARGUS_MODE",
        "ARGUS_MODEL_DIR",
        "ARGUS_NOTIFICATIONS__ALLOWED_NETWORKS",
        "ARGUS_NOTIFICATIONS__PUBLIC_URL",
        "ARGUS_S3_ENDPOINT_URL",
        "ARGUS_S3_REGION",
    ]
    # ...and the secrets are in Secrets.
    secret_text = json.dumps(of_kind(docs, "Secret"))
    assert [secret for secret in secrets if secret not in secret_text] == []


def test_schema_refuses_secret_looking_names_in_config_extra_env(run_helm: Callable[..., Any]) -> None:
    result = run_helm(
        "template", "argus", "charts/argus", "--set", "config.extraEnv.ARGUS_S3_SECRET_KEY=x", check=False
    )
    assert result.returncode != 0
    assert "invalid propertyName 'ARGUS_S3_SECRET_KEY'" in result.stderr


@pytest.mark.parametrize("role", ["gateway", *(f"worker-{r}" for r in WORKER_ROLES)])
def test_argus_containers_read_credentials_from_secrets(
    role: str, render: Callable[..., list[Manifest]]
) -> None:
    container = pod_spec(named(render(), "Deployment", f"argus-{role}"))["containers"][0]
    from_secrets = {
        e["name"]: e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e
    }
    assert from_secrets == {
        "ARGUS_ROOT_ACCESS_KEY_ID": "argus-auth",
        "ARGUS_ROOT_SECRET_ACCESS_KEY": "argus-auth",
        "ARGUS_SECRET_KEY": "argus-auth",
        "ARGUS_DATABASE_URL": "argus-database",
        "ARGUS_BROKER_URL": "argus-broker",
        "ARGUS_RESULT_BACKEND_URL": "argus-broker",
        "ARGUS_S3_ACCESS_KEY": "argus-s3",
        "ARGUS_S3_SECRET_KEY": "argus-s3",
    }
    assert container["envFrom"] == [{"configMapRef": {"name": "argus-config"}}]


def test_generated_secrets_are_long_enough_for_cluster_mode(render: Callable[..., list[Manifest]]) -> None:
    auth = named(render(), "Secret", "argus-auth")["stringData"]
    assert re.fullmatch(r"AKIA[A-Z0-9]{16}", auth["ARGUS_ROOT_ACCESS_KEY_ID"])
    assert len(auth["ARGUS_ROOT_SECRET_ACCESS_KEY"]) >= 16
    assert len(auth["ARGUS_SECRET_KEY"]) >= 16


def test_bundled_database_url_uses_the_bundled_password(render: Callable[..., list[Manifest]]) -> None:
    data = named(render(), "Secret", "argus-database")["stringData"]
    assert data["ARGUS_DATABASE_URL"] == (
        f"postgresql+psycopg://argus:{data['POSTGRES_PASSWORD']}@argus-postgresql:5432/argus"
    )


def test_existing_secrets_replace_the_chart_secrets(render: Callable[..., list[Manifest]]) -> None:
    docs = render(VALUES_FILES["multi-gpu"])
    assert of_kind(docs, "Secret") == []
    container = pod_spec(named(docs, "Deployment", "argus-gateway"))["containers"][0]
    refs = {e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e}
    assert refs == {"argus-auth", "argus-database", "argus-broker", "argus-s3"}


def test_bundled_off_without_a_database_fails_with_a_message(run_helm: Callable[..., Any]) -> None:
    result = run_helm("template", "argus", "charts/argus", "--set", "bundled.enabled=false", check=False)
    assert result.returncode != 0
    assert "the bundled PostgreSQL is disabled: set database.url or database.existingSecret" in result.stderr


def test_checksum_annotation_rolls_pods_when_the_config_changes(
    render: Callable[..., list[Manifest]],
) -> None:
    def checksum(level: str) -> str:
        gateway = named(render(set_values=[f"config.logLevel={level}"]), "Deployment", "argus-gateway")
        return str(gateway["spec"]["template"]["metadata"]["annotations"]["checksum/config"])

    assert re.fullmatch(r"[0-9a-f]{64}", checksum("INFO"))
    assert checksum("INFO") != checksum("DEBUG")


@example
def test_every_argus_pod_template_carries_config_and_secret_checksums(
    example: str, render: Callable[..., list[Manifest]]
) -> None:
    for deployment in of_kind(render(VALUES_FILES[example]), "Deployment"):
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert {"checksum/config", "checksum/secrets"} <= annotations.keys(), component(deployment)


# ------------------------------------------------------------------------------ migrations


def test_migration_job_is_a_pre_install_pre_upgrade_hook_with_an_external_database(
    render: Callable[..., list[Manifest]],
) -> None:
    job = named(render(VALUES_FILES["multi-gpu"]), "Job", "argus-migrate")
    assert job["metadata"]["annotations"] == {
        "helm.sh/hook": "pre-install,pre-upgrade",
        "helm.sh/hook-weight": "0",
        "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
    }
    [container] = pod_spec(job)["containers"]
    assert container["args"] == ["argus", "migrate"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    database = next(e for e in container["env"] if e["name"] == "ARGUS_DATABASE_URL")
    assert database["valueFrom"]["secretKeyRef"] == {"name": "argus-database", "key": "ARGUS_DATABASE_URL"}


def test_pre_install_migration_reads_the_url_from_a_hook_secret_created_before_it(
    render: Callable[..., list[Manifest]],
) -> None:
    docs = render(set_values=EXTERNAL_DB)
    hook_secret = named(docs, "Secret", "argus-migrate")
    job = named(docs, "Job", "argus-migrate")
    assert hook_secret["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert int(hook_secret["metadata"]["annotations"]["helm.sh/hook-weight"]) < int(
        job["metadata"]["annotations"]["helm.sh/hook-weight"]
    )
    assert hook_secret["stringData"] == {
        "ARGUS_DATABASE_URL": "postgresql+psycopg://argus:db-pass-123@db.example.com:5432/argus"
    }
    database = next(e for e in pod_spec(job)["containers"][0]["env"] if e["name"] == "ARGUS_DATABASE_URL")
    assert database["valueFrom"]["secretKeyRef"]["name"] == "argus-migrate"
    # A pre-install hook runs before the chart's ServiceAccount exists.
    assert "serviceAccountName" not in pod_spec(job)


def test_bundled_database_migrates_in_a_pre_upgrade_hook_and_a_gateway_init_container(
    render: Callable[..., list[Manifest]],
) -> None:
    docs = render()
    job = named(docs, "Job", "argus-migrate")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-upgrade"
    init = pod_spec(named(docs, "Deployment", "argus-gateway"))["initContainers"]
    assert [c["name"] for c in init] == ["migrate"]
    assert "argus migrate && exit 0" in init[0]["args"][2]


def test_external_database_has_no_gateway_migration_init_container(
    render: Callable[..., list[Manifest]],
) -> None:
    gateway = named(render(set_values=EXTERNAL_DB), "Deployment", "argus-gateway")
    assert "initContainers" not in pod_spec(gateway)


# ------------------------------------------------------------------------------ schema


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("gateway.replicas=-1", "at '/gateway/replicas': minimum: got -1, want 0"),
        ("workers.image.replicas=-2", "at '/workers/image/replicas': minimum: got -2, want 0"),
        (
            "workers.image.device=tpu",
            "at '/workers/image/device': value must be one of 'auto', 'cpu', 'cuda'",
        ),
        ("gateway.device=cuda", "at '/gateway/device': value must be one of 'auto', 'cpu'"),
        ("gateway.image.repository=", "at '/gateway/image/repository': minLength: got 0, want 1"),
        ("workers.video.image.repository=null", "at '/workers/video/image': missing property 'repository'"),
        ("image.tag=latest", "at '/image/tag': 'anyOf' failed"),
        ("models.source=hub", "at '/models/source': value must be one of 'image', 'pvc', 's3'"),
        ("workers.training.gpu.count=0", "at '/workers/training/gpu/count': minimum: got 0, want 1"),
        ("gatway.replicas=1", "additional properties 'gatway' not allowed"),
        ("auth.rootSecretAccessKey=changeme", "at '/auth/rootSecretAccessKey': 'anyOf' failed"),
        ("gateway.resources.limits.nvidia\\.com/gpu=1", "invalid propertyName 'nvidia.com/gpu'"),
    ],
)
def test_values_schema_rejects_bad_values(
    assignment: str, message: str, run_helm: Callable[..., Any]
) -> None:
    result = run_helm("template", "argus", "charts/argus", "--set", assignment, check=False)
    assert result.returncode == 1
    assert "values don't meet the specifications of the schema" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    ("assignments", "message"),
    [
        (
            ["workers.image.gpu.enabled=true", "workers.image.device=cpu"],
            "workers.image: gpu.enabled=true with device=cpu would waste the GPU",
        ),
        (["workers.training.device=cuda"], "workers.training: device=cuda needs gpu.enabled=true"),
        (
            ["gateway.autoscaling.minReplicas=5", "gateway.autoscaling.maxReplicas=2"],
            "gateway.autoscaling.minReplicas (5) exceeds maxReplicas (2)",
        ),
        (["models.source=pvc"], "models.source=pvc needs models.persistentVolumeClaim.claimName"),
    ],
)
def test_chart_rejects_inconsistent_values(
    assignments: list[str], message: str, run_helm: Callable[..., Any]
) -> None:
    args = ["template", "argus", "charts/argus"]
    for assignment in assignments:
        args += ["--set", assignment]
    result = run_helm(*args, check=False)
    assert result.returncode == 1
    assert message in result.stderr


def test_every_values_key_is_described_by_the_schema(repo_root: Path) -> None:
    schema = json.loads((repo_root / "charts/argus/values.schema.json").read_text())
    values = yaml.safe_load((repo_root / "charts/argus/values.yaml").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    assert [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(values)] == []
    assert schema["additionalProperties"] is False


# ------------------------------------------------------------------------------ images

IMAGE_REF = re.compile(
    r"^(?P<name>[a-z0-9][a-z0-9._/:-]*?):(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})(@sha256:[a-f0-9]{64})?$"
)


@pytest.mark.parametrize("example", [*VALUES_FILES, "models-s3"])
def test_every_image_is_pinned_to_an_exact_tag(example: str, render: Callable[..., list[Manifest]]) -> None:
    sets = ["models.source=s3"] if example == "models-s3" else []
    images = {
        c["image"]
        for doc in workloads(render(VALUES_FILES.get(example, []), sets))
        for c in all_containers(doc)
    }
    assert images
    for image in images:
        match = IMAGE_REF.match(image)
        assert match, f"{image} has no explicit tag"
        assert match["tag"] not in ("latest", "stable", "main", "master"), image


def test_image_names_follow_registry_role_and_variant(render: Callable[..., list[Manifest]]) -> None:
    docs = render(VALUES_FILES["single-gpu"])
    images = {component(d): pod_spec(d)["containers"][0]["image"] for d in of_kind(docs, "Deployment")}
    assert images == {
        "gateway": "registry.example.com/argus/argus-gateway:0.1.0-cpu",
        "worker-image": "registry.example.com/argus/argus-worker-image:0.1.0-cuda",
        "worker-video": "registry.example.com/argus/argus-worker-video:0.1.0-cpu",
        "worker-training": "registry.example.com/argus/argus-worker-training:0.1.0-cpu",
    }


def test_image_digest_is_appended_to_the_tag(render: Callable[..., list[Manifest]]) -> None:
    digest = "sha256:" + "a" * 64
    gateway = named(render(set_values=[f"gateway.image.digest={digest}"]), "Deployment", "argus-gateway")
    assert pod_spec(gateway)["containers"][0]["image"] == f"argus-gateway:0.1.0-cpu@{digest}"


# ------------------------------------------------------------------------------ scaling


def test_hpas_scale_the_gateway_and_the_image_workers(render: Callable[..., list[Manifest]]) -> None:
    docs = render()
    hpas = {hpa["spec"]["scaleTargetRef"]["name"]: hpa for hpa in of_kind(docs, "HorizontalPodAutoscaler")}
    assert sorted(hpas) == ["argus-gateway", "argus-worker-image"]
    for name, hpa in hpas.items():
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
        # The HPA owns the replica count.
        assert "replicas" not in named(docs, "Deployment", name)["spec"]


def test_replicas_are_set_per_role_when_autoscaling_is_off(render: Callable[..., list[Manifest]]) -> None:
    docs = render(
        set_values=[
            "gateway.autoscaling.enabled=false",
            "gateway.replicas=3",
            "workers.video.replicas=0",
            "workers.training.replicas=2",
        ]
    )
    assert named(docs, "Deployment", "argus-gateway")["spec"]["replicas"] == 3
    assert named(docs, "Deployment", "argus-worker-video")["spec"]["replicas"] == 0
    assert named(docs, "Deployment", "argus-worker-training")["spec"]["replicas"] == 2


@example
def test_every_deployment_with_pdb_enabled_has_a_matching_budget(
    example: str, render: Callable[..., list[Manifest]]
) -> None:
    docs = render(VALUES_FILES[example])
    budgets = {pdb["metadata"]["name"]: pdb for pdb in of_kind(docs, "PodDisruptionBudget")}
    for name, pdb in budgets.items():
        deployment = named(docs, "Deployment", name)
        assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    expected = {"multi-gpu": 4, "single-gpu": 0}.get(example, 4)
    assert len(budgets) == expected


# ------------------------------------------------------------------------------ security


@example
def test_argus_pods_run_as_non_root_with_a_read_only_root_and_a_tmp_emptydir(
    example: str, render: Callable[..., list[Manifest]]
) -> None:
    for deployment in of_kind(render(VALUES_FILES[example]), "Deployment"):
        spec = pod_spec(deployment)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == 10001
        assert {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}} in spec["volumes"]
        for container in all_containers(deployment):
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]


def test_service_account_is_created_without_a_token(render: Callable[..., list[Manifest]]) -> None:
    docs = render()
    [account] = of_kind(docs, "ServiceAccount")
    assert account["automountServiceAccountToken"] is False
    for deployment in of_kind(docs, "Deployment"):
        assert pod_spec(deployment)["serviceAccountName"] == account["metadata"]["name"]


# ------------------------------------------------------------------------------ models


def test_baked_models_need_no_volume(render: Callable[..., list[Manifest]]) -> None:
    for deployment in of_kind(render(), "Deployment"):
        assert "models" not in [v["name"] for v in pod_spec(deployment)["volumes"]]


def test_models_from_a_pvc_are_mounted_read_only_at_models(render: Callable[..., list[Manifest]]) -> None:
    docs = render(VALUES_FILES["multi-gpu"])
    for deployment in of_kind(docs, "Deployment"):
        spec = pod_spec(deployment)
        assert {
            "name": "models",
            "persistentVolumeClaim": {"claimName": "argus-models", "readOnly": True},
        } in spec["volumes"]
        assert {"name": "models", "mountPath": "/models", "readOnly": True} in spec["containers"][0][
            "volumeMounts"
        ]
    assert of_kind(docs, "PersistentVolumeClaim") == []


def test_models_from_s3_are_copied_by_an_init_container(render: Callable[..., list[Manifest]]) -> None:
    docs = render(set_values=["models.source=s3"])
    for deployment in of_kind(docs, "Deployment"):
        spec = pod_spec(deployment)
        fetch = next(c for c in spec["initContainers"] if c["name"] == "fetch-models")
        assert fetch["image"] == "minio/mc:RELEASE.2024-11-21T17-21-54Z"
        assert {"name": "models", "mountPath": "/models"} in fetch["volumeMounts"]
        assert {"name": "models", "mountPath": "/models", "readOnly": True} in spec["containers"][0][
            "volumeMounts"
        ]
    # The bundled MinIO gets the models bucket too.
    buckets_job = named(docs, "Job", "argus-minio-buckets")
    buckets = next(
        e["value"] for e in pod_spec(buckets_job)["containers"][0]["env"] if e["name"] == "BUCKETS"
    )
    assert buckets == "argus models"


def test_configmap_points_argus_at_models(render: Callable[..., list[Manifest]]) -> None:
    [configmap] = of_kind(render(), "ConfigMap")
    assert configmap["data"]["ARGUS_MODEL_DIR"] == "/models"
    assert configmap["data"]["ARGUS_MODE"] == "cluster"


# ------------------------------------------------------------------------------ bundled services


def test_bundled_services_are_statefulsets_with_persistent_volumes(
    render: Callable[..., list[Manifest]],
) -> None:
    docs = render()
    sets = {s["metadata"]["name"]: s for s in of_kind(docs, "StatefulSet")}
    assert sorted(sets) == ["argus-minio", "argus-postgresql", "argus-redis"]
    for statefulset in sets.values():
        assert statefulset["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    postgres = pod_spec(sets["argus-postgresql"])["containers"][0]
    assert postgres["image"] == "postgres:16.6-bookworm"
    redis = pod_spec(sets["argus-redis"])["containers"][0]
    assert redis["args"][redis["args"].index("--appendonly") + 1] == "yes"


def test_bundled_off_renders_no_statefulsets_and_points_at_external_endpoints(
    render: Callable[..., list[Manifest]],
) -> None:
    docs = render(set_values=EXTERNAL_DB)
    assert of_kind(docs, "StatefulSet") == []
    [configmap] = of_kind(docs, "ConfigMap")
    assert configmap["data"]["ARGUS_S3_ENDPOINT_URL"] == "https://s3.example.com"


def test_minio_bucket_job_is_a_post_install_hook(render: Callable[..., list[Manifest]]) -> None:
    job = named(render(), "Job", "argus-minio-buckets")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "post-install,post-upgrade"


# ------------------------------------------------------------------------------ ingress / notes


def test_ingress_routes_to_the_gateway_service(render: Callable[..., list[Manifest]]) -> None:
    docs = render(VALUES_FILES["multi-gpu"])
    [ingress] = of_kind(docs, "Ingress")
    [rule] = ingress["spec"]["rules"]
    assert rule["host"] == "rekognition.example.com"
    assert rule["http"]["paths"][0]["backend"] == {
        "service": {"name": "argus-gateway", "port": {"name": "http"}}
    }
    assert of_kind(render(), "Ingress") == []


def test_notes_print_the_endpoint_and_how_to_read_the_root_key(run_helm: Callable[..., Any]) -> None:
    result = run_helm("install", "argus", "charts/argus", "--namespace", "argus", "--dry-run=client")
    notes = result.stdout.split("NOTES:", 1)[1]
    assert "http://argus-gateway.argus.svc:8080" in notes
    assert (
        "kubectl get secret --namespace argus argus-auth -o jsonpath='{.data.ARGUS_ROOT_SECRET_ACCESS_KEY}'"
        " | base64 -d"
    ) in notes


def test_notification_urls_default_to_the_gateway_service(render: Callable[..., list[Manifest]]) -> None:
    [configmap] = of_kind(render(), "ConfigMap")
    assert configmap["data"]["ARGUS_NOTIFICATIONS__PUBLIC_URL"] == "http://argus-gateway.argus.svc:8080"
    assert configmap["data"]["ARGUS_NOTIFICATIONS__ALLOWED_NETWORKS"] == ""
    [configmap] = of_kind(
        render(
            set_values=[
                "config.publicUrl=https://argus.example.com",
                "config.webhookAllowedNetworks={10.0.0.0/8,192.168.0.0/16}",
            ]
        ),
        "ConfigMap",
    )
    assert configmap["data"]["ARGUS_NOTIFICATIONS__PUBLIC_URL"] == "https://argus.example.com"
    assert configmap["data"]["ARGUS_NOTIFICATIONS__ALLOWED_NETWORKS"] == "10.0.0.0/8,192.168.0.0/16"
