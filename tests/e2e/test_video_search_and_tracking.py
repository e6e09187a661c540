"""Stored-video face search, person tracking and segment detection through boto3 (cluster mode),
plus face detection on the real Hamilton clip."""

from __future__ import annotations

import json
import secrets
import subprocess
import uuid
from pathlib import Path
from typing import Any

import boto3
import numpy as np
import pytest
from PIL import Image

from tests.conftest import SHARED_DATA, encode
from tests.e2e.conftest import client_for
from tests.e2e.servers import Server, argus
from tests.video.jobs_client import all_pages, place_video, wait_job
from tests.video.media import fit, solid, write_video

W, H = 320, 240


def face(name: str) -> np.ndarray:
    return np.asarray(Image.open(SHARED_DATA / "faces" / name).convert("RGB"))


@pytest.fixture(scope="module")
def obama_then_black(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("clips") / "obama.mp4"
    scenes = [(fit(face("obama_1.jpg"), W, H), 2.0), (solid((0, 0, 0), W, H), 1.0)]
    return write_video(path, scenes).read_bytes()


def test_face_search_matches_the_indexed_face_with_one_person_index(
    cluster: Server, request: pytest.FixtureRequest, obama_then_black: bytes
) -> None:
    client = client_for(cluster)
    collection = f"people-{uuid.uuid4().hex[:8]}"
    client.create_collection(CollectionId=collection)
    indexed = client.index_faces(
        CollectionId=collection, Image={"Bytes": encode(face("obama_2.jpg"))}, ExternalImageId="obama"
    )
    face_id = indexed["FaceRecords"][0]["Face"]["FaceId"]
    client.index_faces(
        CollectionId=collection, Image={"Bytes": encode(face("biden_1.jpg"))}, ExternalImageId="biden"
    )
    video = place_video(cluster, request, "obama.mp4", obama_then_black)
    job_id = client.start_face_search(Video=video, CollectionId=collection, FaceMatchThreshold=80)["JobId"]
    result = wait_job(client.get_face_search, job_id, SortBy="INDEX")
    assert result["JobStatus"] == "SUCCEEDED"
    persons = result["Persons"]
    assert [p["Timestamp"] for p in persons] == list(range(0, 2000, 200))
    assert {p["Person"]["Index"] for p in persons} == {0}
    for person in persons:
        assert [m["Face"]["FaceId"] for m in person["FaceMatches"]] == [face_id]
        assert person["FaceMatches"][0]["Face"]["ExternalImageId"] == "obama"
        assert person["FaceMatches"][0]["Similarity"] >= 80
    assert all_pages(client.get_face_search, job_id, "Persons", MaxResults=3, SortBy="INDEX") == persons


def test_person_tracking_follows_the_walker(
    cluster: Server, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    from tests.support.videos import Walker, person_walk_frames

    frames = [frame for frame, _ in person_walk_frames([Walker("bus", 200, 10, 200, 20)], 30)]
    path = tmp_path / "walk.mp4"
    write_video(path, [(frame, 0.1) for frame in frames], fps=10)
    client = client_for(cluster)
    video = place_video(cluster, request, "walk.mp4", path.read_bytes())
    job_id = client.start_person_tracking(Video=video)["JobId"]
    result = wait_job(client.get_person_tracking, job_id)
    assert result["JobStatus"] == "SUCCEEDED"
    assert result["Persons"]
    assert {p["Person"]["Index"] for p in result["Persons"]} == {0}


def test_segment_detection_reports_the_selected_types_and_the_shots(
    cluster: Server, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    red, blue = solid((200, 30, 30), W, H), solid((30, 30, 200), W, H)
    path = write_video(tmp_path / "cuts.mp4", [(red, 2.0), (blue, 2.0)], fps=10, audio_rate=16000)
    client = client_for(cluster)
    video = place_video(cluster, request, "cuts.mp4", path.read_bytes())
    job_id = client.start_segment_detection(Video=video, SegmentTypes=["SHOT"])["JobId"]
    result = wait_job(client.get_segment_detection, job_id)
    assert result["JobStatus"] == "SUCCEEDED"
    assert [t["Type"] for t in result["SelectedSegmentTypes"]] == ["SHOT"]
    assert result["VideoMetadata"][0]["DurationMillis"] == 4000
    assert [(a["Codec"], a["SampleRate"], a["NumberOfChannels"]) for a in result["AudioMetadata"]] == [
        ("aac", 16000, 1)
    ]
    assert all(segment["Type"] == "SHOT" for segment in result["Segments"])


def test_face_detection_on_the_real_hamilton_clip(cluster: Server, request: pytest.FixtureRequest) -> None:
    data = (SHARED_DATA / "video" / "hamilton_clip.mp4").read_bytes()
    client = client_for(cluster)
    video = place_video(cluster, request, "hamilton.mp4", data)
    job_id = client.start_face_detection(Video=video)["JobId"]
    result = wait_job(client.get_face_detection, job_id, timeout=420)
    assert result["JobStatus"] == "SUCCEEDED"
    metadata: dict[str, Any] = result["VideoMetadata"]
    assert metadata["Codec"] == "h264" and metadata["DurationMillis"] > 0
    faces = all_pages(client.get_face_detection, job_id, "Faces", MaxResults=50)
    assert len(faces) > 10
    assert all(0 <= f["Timestamp"] <= metadata["DurationMillis"] for f in faces)


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argus(*args), env=env, capture_output=True, text=True, timeout=300)


def test_celebrity_recognition_names_the_gallery_member(
    cluster: Server, request: pytest.FixtureRequest, obama_then_black: bytes, tmp_path: Path
) -> None:
    account_id = f"{secrets.randbelow(10**11) + 10**11:012d}"
    env = {**cluster.env, "ARGUS_ACCOUNT_ID": account_id}
    for name, info, photos in (
        ("obama", {"name": "Barack Obama", "urls": ["en.wikipedia.org/wiki/Barack_Obama"]}, ["obama_2.jpg"]),
        ("biden", {"name": "Joe Biden", "urls": []}, ["biden_1.jpg"]),
    ):
        folder = tmp_path / "gallery" / name
        folder.mkdir(parents=True)
        (folder / "info.json").write_text(json.dumps({**info, "known_gender": "Male"}))
        for photo in photos:
            (folder / photo).write_bytes((SHARED_DATA / "faces" / photo).read_bytes())
    imported = cli(env, "celebrities", "import", str(tmp_path / "gallery"))
    assert imported.returncode == 0, imported.stderr
    made = cli(env, "keys", "create")
    key = json.loads(made.stdout)
    client = boto3.client(
        "rekognition",
        endpoint_url=cluster.endpoint,
        region_name="eu-west-1",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    video = place_video(cluster, request, "obama.mp4", obama_then_black)
    job_id = client.start_celebrity_recognition(Video=video)["JobId"]
    result = wait_job(client.get_celebrity_recognition, job_id, SortBy="ID")
    assert result["JobStatus"] == "SUCCEEDED"
    celebrities = result["Celebrities"]
    assert [c["Timestamp"] for c in celebrities] == [0, 500, 1000, 1500]
    for found in celebrities:
        celebrity = found["Celebrity"]
        assert (celebrity["Name"], celebrity["Urls"]) == (
            "Barack Obama",
            ["en.wikipedia.org/wiki/Barack_Obama"],
        )
        assert celebrity["KnownGender"] == {"Type": "Male"}
        assert celebrity["Confidence"] >= 90
        assert celebrity["BoundingBox"] == celebrity["Face"]["BoundingBox"]
