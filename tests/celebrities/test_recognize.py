"""RecognizeCelebrities on an image worker's runtime (real models, SQLite, the vector indexes)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import botocore.session
import numpy as np
import pytest
import skimage.data
from PIL import Image

from argus.celebrities.importer import import_gallery
from argus.celebrities.store import GALLERY_OWNER, find_gallery
from argus.contracts.image import ImageSource, ImageTask
from argus.core.db import faces as repository
from argus.core.db.models import Collection
from argus.core.images import decode_image
from argus.core.models.registry import FACE_MODEL_VERSION
from argus.gateway.protocol.encoding import encode_output
from argus.workers.image.celebrities import RECOGNITION_THRESHOLD, recognize_celebrities
from argus.workers.image.pipelines import PIPELINES
from argus.workers.runtime import WorkerRuntime
from tests.celebrities.helpers import ACCOUNT, person
from tests.conftest import encode, ultralytics_asset

EILEEN = {"name": "Eileen Collins", "urls": ["www.nasa.gov/people/eileen-collins"], "known_gender": "Female"}
OPERATION = (
    botocore.session.get_session().get_service_model("rekognition").operation_model("RecognizeCelebrities")
)


def recognize(runtime: WorkerRuntime, data: bytes, account_id: str = ACCOUNT) -> dict[str, Any]:
    task = ImageTask(
        request_id=str(uuid.uuid4()),
        operation="RecognizeCelebrities",
        account_id=account_id,
        region="us-east-1",
        images={"Image": ImageSource(bytes_b64="")},
    )
    body = recognize_celebrities(runtime, task, {"Image": decode_image(data)})
    assert encode_output(OPERATION, body) == body  # exactly botocore's output shape, nothing else
    return body


def flipped_astronaut() -> bytes:
    return encode(np.ascontiguousarray(skimage.data.astronaut()[:, ::-1]), quality=90)


@pytest.fixture
def eileen_gallery(tmp_path: Path, runtime: WorkerRuntime) -> str:
    person(tmp_path / "gallery", "eileen", EILEEN, {"1.jpg": encode(skimage.data.astronaut(), quality=95)})
    [eileen] = import_gallery(runtime.db, runtime.registry, ACCOUNT, tmp_path / "gallery").people
    return eileen.celebrity_id


def test_the_pipeline_is_registered() -> None:
    assert PIPELINES["RecognizeCelebrities"] is recognize_celebrities


def test_a_gallery_member_is_recognized_in_another_photo(runtime: WorkerRuntime, eileen_gallery: str) -> None:
    body = recognize(runtime, flipped_astronaut())
    [celebrity] = body["CelebrityFaces"]
    assert body["UnrecognizedFaces"] == []
    assert celebrity["Id"] == eileen_gallery
    assert celebrity["Name"] == "Eileen Collins"
    assert celebrity["Urls"] == ["www.nasa.gov/people/eileen-collins"]
    assert celebrity["KnownGender"] == {"Type": "Female"}
    assert RECOGNITION_THRESHOLD <= celebrity["MatchConfidence"] <= 100
    face = celebrity["Face"]
    assert set(face) <= {"BoundingBox", "Confidence", "Landmarks", "Pose", "Quality", "Emotions", "Smile"}
    assert {"BoundingBox", "Confidence", "Landmarks", "Pose", "Quality"} <= set(face)
    assert [mark["Type"] for mark in face["Landmarks"]] == [
        "eyeLeft",
        "eyeRight",
        "mouthLeft",
        "mouthRight",
        "nose",
    ]
    assert 0.4 < face["BoundingBox"]["Left"] + face["BoundingBox"]["Width"] / 2 < 0.7  # mirrored


def test_strangers_are_unrecognized_faces(runtime: WorkerRuntime, eileen_gallery: str) -> None:
    body = recognize(runtime, ultralytics_asset("zidane.jpg").read_bytes())
    assert body["CelebrityFaces"] == []
    assert len(body["UnrecognizedFaces"]) == 2
    areas = [f["BoundingBox"]["Width"] * f["BoundingBox"]["Height"] for f in body["UnrecognizedFaces"]]
    assert areas == sorted(areas, reverse=True)  # largest first


def test_a_person_is_recognized_once_per_photo(runtime: WorkerRuntime, eileen_gallery: str) -> None:
    pixels = skimage.data.astronaut()
    twice = np.zeros((512, 1024, 3), np.uint8)
    twice[:, :512] = pixels
    twice[:, 512:] = np.asarray(Image.fromarray(pixels).resize((512, 512), Image.Resampling.BILINEAR))
    body = recognize(runtime, encode(twice, quality=90))
    assert [c["Id"] for c in body["CelebrityFaces"]] == [eileen_gallery]
    assert len(body["UnrecognizedFaces"]) == 1


def test_without_a_gallery_no_one_is_recognized(runtime: WorkerRuntime, eileen_gallery: str) -> None:
    body = recognize(runtime, flipped_astronaut(), account_id="210987654321")
    assert body["CelebrityFaces"] == []
    assert len(body["UnrecognizedFaces"]) == 1


def test_an_empty_gallery_recognizes_no_one(runtime: WorkerRuntime, eileen_gallery: str) -> None:
    with runtime.db.session() as session:
        gallery = find_gallery(session, ACCOUNT, for_update=True)
        assert gallery is not None
        repository.delete_faces(session, gallery, [f.face_id for f in gallery.faces])
    body = recognize(runtime, flipped_astronaut())
    assert body == {"CelebrityFaces": [], "UnrecognizedFaces": body["UnrecognizedFaces"]}
    assert len(body["UnrecognizedFaces"]) == 1


def test_a_gallery_collection_without_faces_recognizes_no_one(runtime: WorkerRuntime) -> None:
    with runtime.db.session() as session:
        session.add(
            Collection(
                account_id=GALLERY_OWNER,
                collection_id=ACCOUNT,
                face_model_version=FACE_MODEL_VERSION,
                tags={},
            )
        )
    body = recognize(runtime, flipped_astronaut())
    assert body["CelebrityFaces"] == []


def test_an_image_without_faces_is_an_empty_answer(runtime: WorkerRuntime, eileen_gallery: str) -> None:
    assert recognize(runtime, encode(skimage.data.coffee())) == {
        "CelebrityFaces": [],
        "UnrecognizedFaces": [],
    }


def test_the_index_follows_reimports(tmp_path: Path, runtime: WorkerRuntime, eileen_gallery: str) -> None:
    assert recognize(runtime, flipped_astronaut())["CelebrityFaces"]
    # The same person re-imported under another name from a photo of someone else: the old faces go.
    renamed = tmp_path / "renamed"
    person(renamed, "eileen", EILEEN, {"1.jpg": ultralytics_asset("zidane.jpg")})
    import_gallery(runtime.db, runtime.registry, ACCOUNT, renamed)
    assert recognize(runtime, flipped_astronaut())["CelebrityFaces"] == []


def test_people_of_the_shared_photos(tmp_path: Path, runtime: WorkerRuntime, shared_faces: Path) -> None:
    gallery = tmp_path / "people"
    for folder, name, photos in (
        ("obama", "Barack Obama", ["obama_1.jpg", "obama_2.jpg"]),
        ("biden", "Joe Biden", ["biden_1.jpg"]),
        ("harington", "Kit Harington", ["harington_1.jpg", "harington_2.jpg"]),
    ):
        person(gallery, folder, {"name": name, "known_gender": "Male"}, {})
        for photo in photos:
            (gallery / folder / photo).symlink_to(shared_faces / photo)  # never copied
    ids = {
        p.name: p.celebrity_id for p in import_gallery(runtime.db, runtime.registry, ACCOUNT, gallery).people
    }

    def names(photo: str) -> list[str]:
        return [c["Name"] for c in recognize(runtime, (shared_faces / photo).read_bytes())["CelebrityFaces"]]

    assert names("obama_3.jpg") == ["Barack Obama"]
    assert names("harington_3.jpg") == ["Kit Harington"]
    assert names("leslie_1.jpg") == []
    assert sorted(names("group_obama_biden.jpg")) == ["Barack Obama", "Joe Biden"]
    group = recognize(runtime, (shared_faces / "group_harington_leslie.jpg").read_bytes())
    assert [c["Id"] for c in group["CelebrityFaces"]] == [ids["Kit Harington"]]
    assert len(group["UnrecognizedFaces"]) == 1


def test_a_gallery_of_another_face_model_is_never_compared_and_is_rebuilt(
    tmp_path: Path, runtime: WorkerRuntime, eileen_gallery: str
) -> None:
    with runtime.db.session() as session:
        gallery = find_gallery(session, ACCOUNT, for_update=True)
        assert gallery is not None
        gallery.face_model_version = "0.9"
    assert recognize(runtime, flipped_astronaut())["CelebrityFaces"] == []

    report = import_gallery(runtime.db, runtime.registry, ACCOUNT, tmp_path / "gallery")
    assert [p.celebrity_id for p in report.people] == [eileen_gallery]
    assert report.warnings == [
        "the gallery held faces of face model version 0.9; they were removed, so people not in this "
        "import have no faces until they are imported again"
    ]
    assert [c["Id"] for c in recognize(runtime, flipped_astronaut())["CelebrityFaces"]] == [eileen_gallery]
