"""Stored-video jobs through boto3 against live servers: Start*, poll Get*, page the results."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from tests.conftest import SHARED_DATA
from tests.e2e.conftest import client_for
from tests.e2e.servers import Server
from tests.support import videos
from tests.video.jobs_client import all_pages, place_video, wait_job
from tests.video.media import fit, solid, write_video

W, H = 320, 240


def face(name: str) -> np.ndarray:
    return fit(np.asarray(Image.open(SHARED_DATA / "faces" / name).convert("RGB")), W, H)


@pytest.fixture(scope="module")
def face_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """2 s of Obama's face then 1 s of black, 320x240 at 10 fps (H.264 in MP4)."""
    path = tmp_path_factory.mktemp("clips") / "face.mp4"
    return write_video(path, [(face("obama_1.jpg"), 2.0), (solid((0, 0, 0), W, H), 1.0)]).read_bytes()


@pytest.fixture(scope="module")
def text_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """2 s of black with the word ARGUS in large white letters (AVI, MPEG-4 part 2)."""
    frame = solid((0, 0, 0), W, H)
    cv2.putText(frame, "ARGUS", (40, 140), cv2.FONT_HERSHEY_SIMPLEX, 2.2, (255, 255, 255), 5, cv2.LINE_AA)
    return write_video(tmp_path_factory.mktemp("clips") / "text.avi", [(frame, 2.0)]).read_bytes()


def test_face_detection_job_finds_the_face_while_it_is_on_screen(
    server: Server, request: pytest.FixtureRequest, face_clip: bytes
) -> None:
    client = client_for(server)
    video = place_video(server, request, "face.mp4", face_clip)
    job_id = client.start_face_detection(Video=video, JobTag="faces-1")["JobId"]
    result = wait_job(client.get_face_detection, job_id)
    assert result["JobStatus"] == "SUCCEEDED"
    assert result["JobTag"] == "faces-1"
    assert result["Video"] == video
    assert result["VideoMetadata"] == {
        "Codec": "h264",
        "DurationMillis": 3000,
        "Format": "QuickTime / MOV",
        "FrameRate": 10.0,
        "FrameHeight": 240,
        "FrameWidth": 320,
    }
    assert [item["Timestamp"] for item in result["Faces"]] == list(range(0, 2000, 200))


def test_label_detection_pages_through_next_tokens(
    cluster: Server, request: pytest.FixtureRequest, face_clip: bytes
) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "face.mp4", face_clip)
    job_id = client.start_label_detection(Video=video, MinConfidence=20)["JobId"]
    whole = wait_job(client.get_label_detection, job_id)
    assert whole["JobStatus"] == "SUCCEEDED"
    assert whole["LabelModelVersion"]
    assert whole["GetRequestMetadata"] == {"SortBy": "TIMESTAMP", "AggregateBy": "TIMESTAMPS"}
    labels = whole["Labels"]
    assert len(labels) >= 3 and "NextToken" not in whole
    assert [label["Timestamp"] for label in labels] == sorted(label["Timestamp"] for label in labels)
    paged = all_pages(client.get_label_detection, job_id, "Labels", MaxResults=2)
    assert paged == labels
    by_name = all_pages(client.get_label_detection, job_id, "Labels", MaxResults=2, SortBy="NAME")
    keys = [(label["Label"]["Name"], label["Timestamp"]) for label in by_name]
    assert keys == sorted(keys)
    assert sorted(map(repr, by_name)) == sorted(map(repr, labels))
    token = client.get_label_detection(JobId=job_id, MaxResults=1)["NextToken"]
    with pytest.raises(client.exceptions.InvalidPaginationTokenException):
        client.get_label_detection(JobId=job_id, MaxResults=1, SortBy="NAME", NextToken=token)


@pytest.fixture(scope="module")
def cup_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """1 s of black, a coffee cup from 1 s to 3 s, a cat from 3 s to 4 s (320x240, 10 fps)."""
    cup, cat = (videos.fit(videos.photo(name), W, H) for name in ("coffee", "chelsea"))
    scenes = [(solid((0, 0, 0), W, H), 1.0), (cup, 2.0), (cat, 1.0)]
    return write_video(tmp_path_factory.mktemp("clips") / "cup.mp4", scenes).read_bytes()


def test_label_detection_aggregated_by_segments_finds_when_each_object_is_on_screen(
    cluster: Server, request: pytest.FixtureRequest, cup_clip: bytes
) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "cup.mp4", cup_clip)
    job_id = client.start_label_detection(Video=video, MinConfidence=60)["JobId"]
    whole = wait_job(client.get_label_detection, job_id, AggregateBy="SEGMENTS")
    assert whole["JobStatus"] == "SUCCEEDED"
    assert whole["GetRequestMetadata"] == {"SortBy": "TIMESTAMP", "AggregateBy": "SEGMENTS"}
    segments = {item["Label"]["Name"]: item for item in whole["Labels"]}
    assert len(segments) == len(whole["Labels"])  # each label is on screen once: one segment
    interval = 500  # 2 frames a second
    for name, (start, end) in {"Coffee Cup": (1000, 3000), "Cat": (3000, 4000)}.items():
        segment = segments[name]
        assert abs(segment["StartTimestampMillis"] - start) <= interval
        assert abs(segment["EndTimestampMillis"] - end) <= interval
        assert segment["DurationMillis"] == segment["EndTimestampMillis"] - segment["StartTimestampMillis"]
        assert segment["Timestamp"] == segment["StartTimestampMillis"]
        assert segment["Label"]["Instances"] == []
    paged = all_pages(client.get_label_detection, job_id, "Labels", AggregateBy="SEGMENTS", MaxResults=2)
    assert paged == whole["Labels"]
    by_name = all_pages(
        client.get_label_detection, job_id, "Labels", AggregateBy="SEGMENTS", SortBy="NAME", MaxResults=2
    )
    assert [item["Label"]["Name"] for item in by_name] == sorted(segments)
    frames = client.get_label_detection(JobId=job_id, MaxResults=1)
    assert frames["GetRequestMetadata"]["AggregateBy"] == "TIMESTAMPS"
    assert "StartTimestampMillis" not in frames["Labels"][0]
    with pytest.raises(client.exceptions.InvalidPaginationTokenException):
        client.get_label_detection(
            JobId=job_id, MaxResults=1, AggregateBy="SEGMENTS", NextToken=frames["NextToken"]
        )


def test_text_detection_reads_the_word_in_an_avi(
    cluster: Server, request: pytest.FixtureRequest, text_clip: bytes
) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "text.avi", text_clip)
    job_id = client.start_text_detection(Video=video, Filters={"WordFilter": {"MinConfidence": 50}})["JobId"]
    result = wait_job(client.get_text_detection, job_id)
    assert result["JobStatus"] == "SUCCEEDED"
    assert result["TextModelVersion"]
    words = {(d["Timestamp"], d["TextDetection"]["DetectedText"]) for d in result["TextDetections"]}
    assert words >= {(0, "ARGUS"), (1000, "ARGUS")}


def test_content_moderation_of_a_portrait_is_clean(
    cluster: Server, request: pytest.FixtureRequest, face_clip: bytes
) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "face.mp4", face_clip)
    job_id = client.start_content_moderation(Video=video, MinConfidence=80)["JobId"]
    result = wait_job(client.get_content_moderation, job_id)
    assert result["JobStatus"] == "SUCCEEDED"
    assert result["ModerationModelVersion"]
    assert result["ModerationLabels"] == []


def test_celebrity_recognition_without_a_gallery_recognizes_no_one(
    cluster: Server, request: pytest.FixtureRequest, face_clip: bytes
) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "face.mp4", face_clip)
    job_id = client.start_celebrity_recognition(Video=video)["JobId"]
    result = wait_job(client.get_celebrity_recognition, job_id, SortBy="ID")
    assert result["JobStatus"] == "SUCCEEDED"
    assert result["Celebrities"] == []


def test_same_client_request_token_starts_one_job(
    cluster: Server, request: pytest.FixtureRequest, face_clip: bytes
) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "face.mp4", face_clip)
    first = client.start_face_detection(Video=video, ClientRequestToken="same-token")["JobId"]
    again = client.start_face_detection(Video=video, ClientRequestToken="same-token")["JobId"]
    assert again == first
    with pytest.raises(client.exceptions.IdempotentParameterMismatchException):
        client.start_face_detection(Video=video, ClientRequestToken="same-token", FaceAttributes="ALL")
    assert wait_job(client.get_face_detection, first)["JobStatus"] == "SUCCEEDED"


def test_an_unreadable_video_fails_with_a_status_message(
    cluster: Server, request: pytest.FixtureRequest
) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "notes.mp4", b"these are meeting notes, not a video\n" * 40)
    job_id = client.start_label_detection(Video=video)["JobId"]
    result = wait_job(client.get_label_detection, job_id)
    assert result["JobStatus"] == "FAILED"
    assert result["StatusMessage"].startswith("The video could not be read")
    assert result["Labels"] == []


def test_a_missing_s3_object_is_invalid_s3_object(cluster: Server, request: pytest.FixtureRequest) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "real.mp4", b"x")
    video["S3Object"]["Name"] = "missing.mp4"
    with pytest.raises(client.exceptions.InvalidS3ObjectException):
        client.start_label_detection(Video=video)


def test_an_unknown_topic_is_an_invalid_parameter(cluster: Server, request: pytest.FixtureRequest) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "v.mp4", b"x")
    channel = {
        "SNSTopicArn": "arn:aws:sns:eu-west-1:111122223333:nobody",
        "RoleArn": "arn:aws:iam::111122223333:role/rekognition",
    }
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.start_label_detection(Video=video, NotificationChannel=channel)


def test_face_search_needs_an_existing_collection(cluster: Server, request: pytest.FixtureRequest) -> None:
    client = client_for(cluster)
    video = place_video(cluster, request, "v.mp4", b"x")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.start_face_search(Video=video, CollectionId="no-such-collection")


def test_an_unknown_job_id_is_not_found(cluster: Server) -> None:
    client = client_for(cluster)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_label_detection(JobId="0" * 32)
