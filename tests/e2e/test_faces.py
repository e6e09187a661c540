"""Face collections end to end: IndexFaces, ListFaces, DeleteFaces, SearchFaces, SearchFacesByImage,
CompareFaces through a real boto3 client, in the embedded and the cluster mode."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageFilter

from tests.conftest import encode


def unique(prefix: str = "faces") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def astronaut_variant(kind: str) -> bytes:
    image = Image.fromarray(skimage.data.astronaut())
    if kind == "flipped":
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    elif kind == "rescaled":
        image = image.resize((307, 307), Image.Resampling.LANCZOS)
    elif kind == "blurred":
        image = image.filter(ImageFilter.GaussianBlur(6))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=40 if kind == "jpeg40" else 92)
    return buffer.getvalue()


@pytest.fixture
def collection(rekognition: Any) -> str:
    name = unique()
    rekognition.create_collection(CollectionId=name)
    return name


def test_index_faces_stores_the_face_with_ids_and_versions(
    rekognition: Any, collection: str, astronaut_jpeg: bytes
) -> None:
    response = rekognition.index_faces(
        CollectionId=collection, Image={"Bytes": astronaut_jpeg}, ExternalImageId="astronaut"
    )
    assert response["FaceModelVersion"] == "1.0"
    assert response["UnindexedFaces"] == []
    [record] = response["FaceRecords"]
    face = record["Face"]
    assert uuid.UUID(face["FaceId"]).version == 4
    assert uuid.UUID(face["ImageId"]).version == 4
    assert face["ExternalImageId"] == "astronaut"
    assert face["IndexFacesModelVersion"] == "1.0"
    assert face["BoundingBox"] == record["FaceDetail"]["BoundingBox"]
    assert rekognition.describe_collection(CollectionId=collection)["FaceCount"] == 1


def test_indexing_the_same_image_again_adds_no_duplicate(
    rekognition: Any, collection: str, astronaut_jpeg: bytes
) -> None:
    first = rekognition.index_faces(
        CollectionId=collection, Image={"Bytes": astronaut_jpeg}, ExternalImageId="a"
    )
    second = rekognition.index_faces(
        CollectionId=collection, Image={"Bytes": astronaut_jpeg}, ExternalImageId="a"
    )
    assert second["FaceRecords"][0]["Face"]["FaceId"] == first["FaceRecords"][0]["Face"]["FaceId"]
    assert rekognition.describe_collection(CollectionId=collection)["FaceCount"] == 1


def test_max_faces_keeps_the_best_and_reports_the_rest(
    rekognition: Any, collection: str, zidane_jpeg: bytes
) -> None:
    response = rekognition.index_faces(
        CollectionId=collection, Image={"Bytes": zidane_jpeg}, MaxFaces=1, QualityFilter="NONE"
    )
    assert len(response["FaceRecords"]) == 1
    assert [face["Reasons"] for face in response["UnindexedFaces"]] == [["EXCEEDS_MAX_FACES"]]


def test_quality_filter_refuses_a_blurred_face_with_its_reason(rekognition: Any, collection: str) -> None:
    response = rekognition.index_faces(
        CollectionId=collection, Image={"Bytes": astronaut_variant("blurred")}, QualityFilter="HIGH"
    )
    assert response["FaceRecords"] == []
    assert "LOW_SHARPNESS" in response["UnindexedFaces"][0]["Reasons"]


def test_index_into_a_missing_collection_is_not_found(rekognition: Any, astronaut_jpeg: bytes) -> None:
    with pytest.raises(rekognition.exceptions.ResourceNotFoundException):
        rekognition.index_faces(CollectionId=unique("missing"), Image={"Bytes": astronaut_jpeg})


@pytest.mark.parametrize("variant", ["flipped", "rescaled", "jpeg40"])
def test_search_by_image_finds_the_same_face_after_changes(
    rekognition: Any, collection: str, astronaut_jpeg: bytes, variant: str
) -> None:
    indexed = rekognition.index_faces(CollectionId=collection, Image={"Bytes": astronaut_jpeg})
    face_id = indexed["FaceRecords"][0]["Face"]["FaceId"]
    response = rekognition.search_faces_by_image(
        CollectionId=collection, Image={"Bytes": astronaut_variant(variant)}
    )
    assert [match["Face"]["FaceId"] for match in response["FaceMatches"]] == [face_id]
    assert response["FaceMatches"][0]["Similarity"] >= 90
    assert response["SearchedFaceConfidence"] > 50
    assert set(response["SearchedFaceBoundingBox"]) == {"Width", "Height", "Left", "Top"}
    assert response["FaceModelVersion"] == "1.0"


def test_search_by_image_does_not_match_different_people(
    rekognition: Any, collection: str, astronaut_jpeg: bytes, zidane_jpeg: bytes
) -> None:
    rekognition.index_faces(CollectionId=collection, Image={"Bytes": astronaut_jpeg})
    response = rekognition.search_faces_by_image(CollectionId=collection, Image={"Bytes": zidane_jpeg})
    assert response["FaceMatches"] == []


def test_search_by_image_without_a_face_is_invalid(
    rekognition: Any, collection: str, coffee_jpeg: bytes
) -> None:
    with pytest.raises(rekognition.exceptions.InvalidParameterException) as raised:
        rekognition.search_faces_by_image(CollectionId=collection, Image={"Bytes": coffee_jpeg})
    assert (
        raised.value.response["Error"]["Message"] == "There are no faces in the image. Should be at least 1."
    )


def test_search_faces_by_id_finds_the_others_but_not_itself(
    rekognition: Any, collection: str, astronaut_jpeg: bytes, zidane_jpeg: bytes
) -> None:
    first = rekognition.index_faces(
        CollectionId=collection, Image={"Bytes": astronaut_jpeg}, ExternalImageId="one"
    )
    second = rekognition.index_faces(
        CollectionId=collection, Image={"Bytes": astronaut_variant("rescaled")}, ExternalImageId="two"
    )
    rekognition.index_faces(CollectionId=collection, Image={"Bytes": zidane_jpeg}, ExternalImageId="three")
    face_id = first["FaceRecords"][0]["Face"]["FaceId"]
    response = rekognition.search_faces(CollectionId=collection, FaceId=face_id)
    assert response["SearchedFaceId"] == face_id
    assert [m["Face"]["FaceId"] for m in response["FaceMatches"]] == [
        second["FaceRecords"][0]["Face"]["FaceId"]
    ]
    assert response["FaceMatches"][0]["Face"]["ExternalImageId"] == "two"


def test_search_faces_with_an_unknown_face_id_is_invalid(rekognition: Any, collection: str) -> None:
    with pytest.raises(rekognition.exceptions.InvalidParameterException) as raised:
        rekognition.search_faces(CollectionId=collection, FaceId=str(uuid.uuid4()))
    assert raised.value.response["Error"]["Message"] == "faceId was not found in the collection."


def test_deleted_face_is_gone_from_list_and_search(
    rekognition: Any, collection: str, astronaut_jpeg: bytes
) -> None:
    face_id = rekognition.index_faces(CollectionId=collection, Image={"Bytes": astronaut_jpeg})[
        "FaceRecords"
    ][0]["Face"]["FaceId"]
    assert rekognition.search_faces_by_image(CollectionId=collection, Image={"Bytes": astronaut_jpeg})[
        "FaceMatches"
    ]
    missing = str(uuid.uuid4())
    deleted = rekognition.delete_faces(CollectionId=collection, FaceIds=[face_id, missing])
    assert deleted["DeletedFaces"] == [face_id]
    assert deleted["UnsuccessfulFaceDeletions"] == [{"FaceId": missing, "Reasons": ["FACE_NOT_FOUND"]}]
    assert rekognition.list_faces(CollectionId=collection)["Faces"] == []
    after = rekognition.search_faces_by_image(CollectionId=collection, Image={"Bytes": astronaut_jpeg})
    assert after["FaceMatches"] == []


def test_list_faces_paginator_walks_every_face(
    rekognition: Any, collection: str, astronaut_jpeg: bytes, zidane_jpeg: bytes
) -> None:
    indexed = []
    for external, data in (("a", astronaut_jpeg), ("b", astronaut_variant("rescaled")), ("z", zidane_jpeg)):
        response = rekognition.index_faces(
            CollectionId=collection, Image={"Bytes": data}, ExternalImageId=external, QualityFilter="NONE"
        )
        indexed += [record["Face"]["FaceId"] for record in response["FaceRecords"]]
    assert len(indexed) == 4
    pages = list(
        rekognition.get_paginator("list_faces").paginate(
            CollectionId=collection, PaginationConfig={"PageSize": 3}
        )
    )
    assert [len(page["Faces"]) for page in pages] == [3, 1]
    assert [face["FaceId"] for page in pages for face in page["Faces"]] == indexed
    assert all(page["FaceModelVersion"] == "1.0" for page in pages)


def test_compare_faces_matches_the_same_person(rekognition: Any, astronaut_jpeg: bytes) -> None:
    response = rekognition.compare_faces(
        SourceImage={"Bytes": astronaut_jpeg}, TargetImage={"Bytes": astronaut_variant("flipped")}
    )
    assert len(response["FaceMatches"]) == 1
    assert response["FaceMatches"][0]["Similarity"] >= 90
    assert response["UnmatchedFaces"] == []
    assert set(response["SourceImageFace"]) == {"BoundingBox", "Confidence"}
    assert {"BoundingBox", "Confidence", "Landmarks", "Pose", "Quality"} <= set(
        response["FaceMatches"][0]["Face"]
    )


def test_compare_faces_keeps_different_people_unmatched(
    rekognition: Any, astronaut_jpeg: bytes, zidane_jpeg: bytes
) -> None:
    response = rekognition.compare_faces(
        SourceImage={"Bytes": astronaut_jpeg}, TargetImage={"Bytes": zidane_jpeg}
    )
    assert response["FaceMatches"] == []
    assert len(response["UnmatchedFaces"]) == 2


def test_compare_faces_lower_threshold_reports_the_best_other_person(
    rekognition: Any, astronaut_jpeg: bytes, zidane_jpeg: bytes
) -> None:
    response = rekognition.compare_faces(
        SourceImage={"Bytes": astronaut_jpeg}, TargetImage={"Bytes": zidane_jpeg}, SimilarityThreshold=0
    )
    similarities = [match["Similarity"] for match in response["FaceMatches"]]
    assert len(similarities) == 2
    assert similarities == sorted(similarities, reverse=True)
    assert all(score < 80 for score in similarities)


def test_compare_faces_without_a_source_face_is_invalid(
    rekognition: Any, coffee_jpeg: bytes, astronaut_jpeg: bytes
) -> None:
    with pytest.raises(rekognition.exceptions.InvalidParameterException):
        rekognition.compare_faces(SourceImage={"Bytes": coffee_jpeg}, TargetImage={"Bytes": astronaut_jpeg})


def test_people_in_real_photos_are_found_by_identity(
    rekognition: Any, collection: str, shared_faces: Path
) -> None:
    for person in ("obama", "biden", "harington"):
        rekognition.index_faces(
            CollectionId=collection,
            Image={"Bytes": (shared_faces / f"{person}_1.jpg").read_bytes()},
            ExternalImageId=person,
            MaxFaces=1,
        )
    for person in ("obama", "biden", "harington"):
        response = rekognition.search_faces_by_image(
            CollectionId=collection, Image={"Bytes": (shared_faces / f"{person}_2.jpg").read_bytes()}
        )
        assert [match["Face"]["ExternalImageId"] for match in response["FaceMatches"]] == [person]


def test_grey_png_of_a_face_is_searchable(rekognition: Any, collection: str, astronaut_jpeg: bytes) -> None:
    rekognition.index_faces(CollectionId=collection, Image={"Bytes": astronaut_jpeg})
    grey = np.asarray(Image.fromarray(skimage.data.astronaut()).convert("L"))
    response = rekognition.search_faces_by_image(
        CollectionId=collection, Image={"Bytes": encode(grey, "PNG")}
    )
    assert len(response["FaceMatches"]) == 1


def test_a_recreated_collection_starts_empty(rekognition: Any, astronaut_jpeg: bytes) -> None:
    name = unique("reborn")
    rekognition.create_collection(CollectionId=name)
    rekognition.index_faces(CollectionId=name, Image={"Bytes": astronaut_jpeg})
    assert rekognition.search_faces_by_image(CollectionId=name, Image={"Bytes": astronaut_jpeg})[
        "FaceMatches"
    ]
    rekognition.delete_collection(CollectionId=name)
    rekognition.create_collection(CollectionId=name)
    assert rekognition.describe_collection(CollectionId=name)["FaceCount"] == 0
    assert rekognition.list_faces(CollectionId=name)["Faces"] == []
    after = rekognition.search_faces_by_image(CollectionId=name, Image={"Bytes": astronaut_jpeg})
    assert after["FaceMatches"] == []


def test_detect_faces_all_attributes_come_from_models(rekognition: Any, astronaut_jpeg: bytes) -> None:
    face = rekognition.detect_faces(Image={"Bytes": astronaut_jpeg}, Attributes=["ALL"])["FaceDetails"][0]
    assert len(face["Landmarks"]) == 30
    assert face["Gender"]["Value"] == "Female"
    assert face["Smile"]["Value"] is True
    assert face["Emotions"][0]["Type"] == "HAPPY"
    assert len(face["Emotions"]) == 8
    assert 18 <= face["AgeRange"]["Low"] < face["AgeRange"]["High"] <= 70
    assert {
        "Eyeglasses",
        "Sunglasses",
        "Beard",
        "Mustache",
        "EyesOpen",
        "MouthOpen",
        "FaceOccluded",
        "EyeDirection",
    } <= set(face)


def test_detect_faces_single_attribute_adds_only_that_member(rekognition: Any, astronaut_jpeg: bytes) -> None:
    face = rekognition.detect_faces(Image={"Bytes": astronaut_jpeg}, Attributes=["AGE_RANGE"])["FaceDetails"][
        0
    ]
    assert set(face) == {"BoundingBox", "AgeRange", "Landmarks", "Pose", "Quality", "Confidence"}
