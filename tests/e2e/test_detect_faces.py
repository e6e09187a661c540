"""DetectFaces end to end: gateway -> image queue -> image worker -> real face models."""

from __future__ import annotations

import io
import uuid
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.conftest import encode
from tests.e2e.servers import Server

DEFAULT_LANDMARKS = {"eyeLeft", "eyeRight", "mouthLeft", "mouthRight", "nose"}


def box_center(face: dict[str, Any]) -> tuple[float, float]:
    box = face["BoundingBox"]
    return box["Left"] + box["Width"] / 2, box["Top"] + box["Height"] / 2


def test_astronaut_has_one_face_where_her_face_is(rekognition: Any, astronaut_jpeg: bytes) -> None:
    faces = rekognition.detect_faces(Image={"Bytes": astronaut_jpeg})["FaceDetails"]
    assert len(faces) == 1
    x, y = box_center(faces[0])
    # Her face spans about x 175-265, y 75-170 of the 512x512 picture.
    assert 175 / 512 < x < 265 / 512
    assert 75 / 512 < y < 170 / 512
    assert faces[0]["Confidence"] > 80


def test_default_attributes_are_box_confidence_landmarks_pose_quality(
    rekognition: Any, astronaut_jpeg: bytes
) -> None:
    face = rekognition.detect_faces(Image={"Bytes": astronaut_jpeg})["FaceDetails"][0]
    assert set(face) == {"BoundingBox", "Confidence", "Landmarks", "Pose", "Quality"}
    assert {landmark["Type"] for landmark in face["Landmarks"]} == DEFAULT_LANDMARKS
    assert set(face["Pose"]) == {"Roll", "Yaw", "Pitch"}
    assert 0 <= face["Quality"]["Brightness"] <= 100
    assert 0 <= face["Quality"]["Sharpness"] <= 100


def test_zidane_has_both_faces(rekognition: Any, zidane_jpeg: bytes) -> None:
    faces = rekognition.detect_faces(Image={"Bytes": zidane_jpeg})["FaceDetails"]
    assert len(faces) == 2
    centers = sorted(box_center(face)[0] for face in faces)
    assert centers[0] < 0.5 < centers[1]  # one man on each side of the frame


def test_picture_without_people_has_no_face(rekognition: Any, coffee_jpeg: bytes) -> None:
    assert rekognition.detect_faces(Image={"Bytes": coffee_jpeg})["FaceDetails"] == []


def test_png_is_accepted(rekognition: Any) -> None:
    import skimage.data

    faces = rekognition.detect_faces(Image={"Bytes": encode(skimage.data.astronaut(), "PNG")})["FaceDetails"]
    assert len(faces) == 1


def test_exif_orientation_is_applied_before_detection(rekognition: Any, astronaut_jpeg: bytes) -> None:
    import skimage.data

    upright = rekognition.detect_faces(Image={"Bytes": astronaut_jpeg})["FaceDetails"][0]
    # Store the picture turned 90 degrees clockwise with EXIF orientation 6 ("rotate 90 CW to view").
    sideways = Image.fromarray(np.rot90(skimage.data.astronaut(), k=1))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    sideways.save(buffer, format="JPEG", quality=95, exif=exif)
    corrected = rekognition.detect_faces(Image={"Bytes": buffer.getvalue()})["FaceDetails"]
    assert len(corrected) == 1
    assert box_center(corrected[0]) == pytest.approx(box_center(upright), abs=0.03)


def test_not_an_image_is_invalid_image_format(rekognition: Any) -> None:
    with pytest.raises(rekognition.exceptions.InvalidImageFormatException):
        rekognition.detect_faces(Image={"Bytes": b"GIF89a definitely not a jpeg"})


def test_truncated_jpeg_is_invalid_image_format(rekognition: Any, astronaut_jpeg: bytes) -> None:
    with pytest.raises(rekognition.exceptions.InvalidImageFormatException):
        rekognition.detect_faces(Image={"Bytes": astronaut_jpeg[: len(astronaut_jpeg) // 3]})


def test_decompression_bomb_is_invalid_image_format(rekognition: Any) -> None:
    bomb = encode(np.zeros((9000, 9000, 3), dtype=np.uint8), "PNG", optimize=True)
    assert len(bomb) < 5 * 1024 * 1024
    with pytest.raises(rekognition.exceptions.InvalidImageFormatException) as raised:
        rekognition.detect_faces(Image={"Bytes": bomb})
    assert "exceeds" in raised.value.response["Error"]["Message"]


def test_image_over_5_mb_is_too_large(rekognition: Any) -> None:
    noise = np.random.default_rng(7).integers(0, 256, size=(1800, 1800, 3), dtype=np.uint8)
    big = encode(noise, "PNG")
    assert len(big) > 5 * 1024 * 1024
    with pytest.raises(rekognition.exceptions.ImageTooLargeException):
        rekognition.detect_faces(Image={"Bytes": big})


def test_image_without_bytes_or_s3_object_is_invalid_parameter(raw_rekognition: Any) -> None:
    with pytest.raises(raw_rekognition.exceptions.InvalidParameterException):
        raw_rekognition.detect_faces(Image={})


def test_s3_object_image_is_read_by_the_worker(cluster: Server, s3: Any, astronaut_jpeg: bytes) -> None:
    from tests.e2e.conftest import client_for

    bucket = f"photos-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="people/astronaut.jpg", Body=astronaut_jpeg)
    faces = client_for(cluster).detect_faces(
        Image={"S3Object": {"Bucket": bucket, "Name": "people/astronaut.jpg"}}
    )
    assert len(faces["FaceDetails"]) == 1


def test_missing_s3_object_is_invalid_s3_object(cluster: Server, s3: Any) -> None:
    from tests.e2e.conftest import client_for

    bucket = f"photos-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    client = client_for(cluster)
    with pytest.raises(client.exceptions.InvalidS3ObjectException):
        client.detect_faces(Image={"S3Object": {"Bucket": bucket, "Name": "nobody.jpg"}})
    with pytest.raises(client.exceptions.InvalidS3ObjectException):
        client.detect_faces(Image={"S3Object": {"Bucket": "no-such-bucket-" + bucket, "Name": "x.jpg"}})
