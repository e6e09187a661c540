"""The REST face for apps without an AWS SDK: same operations, HTTP Basic with an access key."""

from __future__ import annotations

import uuid

import httpx

from tests.e2e.servers import Server


def auth(server: Server) -> tuple[str, str]:
    return (server.access_key_id, server.secret_access_key)


def test_collection_lifecycle_over_rest(embedded: Server) -> None:
    name = f"rest-{uuid.uuid4().hex[:8]}"
    created = httpx.put(f"{embedded.endpoint}/v1/collections/{name}", auth=auth(embedded))
    assert created.status_code == 200
    assert created.json()["CollectionArn"].endswith(f":collection/{name}")
    described = httpx.get(f"{embedded.endpoint}/v1/collections/{name}", auth=auth(embedded)).json()
    assert described["FaceCount"] == 0
    assert isinstance(described["CreationTimestamp"], float)
    listed = httpx.get(f"{embedded.endpoint}/v1/collections", auth=auth(embedded)).json()
    assert name in listed["CollectionIds"]
    assert httpx.delete(f"{embedded.endpoint}/v1/collections/{name}", auth=auth(embedded)).status_code == 200
    missing = httpx.get(f"{embedded.endpoint}/v1/collections/{name}", auth=auth(embedded))
    assert missing.status_code == 400
    assert missing.json()["__type"] == "ResourceNotFoundException"


def test_detect_faces_on_an_uploaded_photo(embedded: Server, zidane_jpeg: bytes) -> None:
    response = httpx.post(
        f"{embedded.endpoint}/v1/faces/detect",
        auth=auth(embedded),
        files={"image": ("zidane.jpg", zidane_jpeg, "image/jpeg")},
        timeout=60,
    )
    assert response.status_code == 200
    assert len(response.json()["FaceDetails"]) == 2


def test_wrong_secret_is_refused(embedded: Server) -> None:
    response = httpx.get(f"{embedded.endpoint}/v1/collections", auth=(embedded.access_key_id, "wrong"))
    assert response.status_code == 401
    assert response.json()["__type"] == "UnrecognizedClientException"


def test_openapi_page_documents_the_rest_routes(embedded: Server) -> None:
    schema = httpx.get(f"{embedded.endpoint}/openapi.json").json()
    assert {
        "/v1/collections",
        "/v1/collections/{collection_id}",
        "/v1/faces/detect",
        "/healthz",
        "/readyz",
    } <= set(schema["paths"])
    assert httpx.get(f"{embedded.endpoint}/docs").status_code == 200
