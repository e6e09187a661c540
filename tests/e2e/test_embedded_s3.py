"""An embedded server's S3 endpoint with the real tools: boto3's S3 client and ``aws s3``, then
Rekognition reading what they uploaded (DetectFaces on an image, a label detection video job)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from tests.conftest import SHARED_DATA
from tests.e2e.conftest import REGION, client_for
from tests.e2e.servers import Server
from tests.support import videos
from tests.video.jobs_client import wait_job
from tests.video.media import solid, write_video

W, H = 320, 240


@pytest.fixture(scope="module")
def s3(embedded: Server) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=f"{embedded.endpoint}/s3",
        region_name=REGION,
        aws_access_key_id=embedded.access_key_id,
        aws_secret_access_key=embedded.secret_access_key,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def _aws(embedded: Server, tmp_path: Path, *args: str) -> str:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": embedded.access_key_id,
        "AWS_SECRET_ACCESS_KEY": embedded.secret_access_key,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
    }
    aws = Path(sys.executable).with_name("aws")
    done = subprocess.run(
        [str(aws), *args, "--endpoint-url", f"{embedded.endpoint}/s3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_image_put_with_boto3_is_read_by_detect_faces(embedded: Server, s3: Any) -> None:
    s3.create_bucket(Bucket="photos")
    s3.put_object(
        Bucket="photos",
        Key="people/obama 1.jpg",
        Body=(SHARED_DATA / "faces" / "obama_1.jpg").read_bytes(),
        ContentType="image/jpeg",
    )
    image = {"S3Object": {"Bucket": "photos", "Name": "people/obama 1.jpg"}}
    faces = client_for(embedded).detect_faces(Image=image)["FaceDetails"]
    assert len(faces) == 1
    assert faces[0]["Confidence"] > 90


def test_aws_s3_cp_uploads_lists_and_downloads(embedded: Server, s3: Any, tmp_path: Path) -> None:
    source = SHARED_DATA / "faces" / "group_two_people.jpg"
    s3.create_bucket(Bucket="cli-uploads")
    _aws(embedded, tmp_path, "s3", "cp", str(source), "s3://cli-uploads/groups/two.jpg")

    assert (
        s3.head_object(Bucket="cli-uploads", Key="groups/two.jpg")["ContentLength"] == source.stat().st_size
    )
    assert "two.jpg" in _aws(embedded, tmp_path, "s3", "ls", "s3://cli-uploads/groups/")
    _aws(embedded, tmp_path, "s3", "cp", "s3://cli-uploads/groups/two.jpg", str(tmp_path / "back.jpg"))
    assert (tmp_path / "back.jpg").read_bytes() == source.read_bytes()

    image = {"S3Object": {"Bucket": "cli-uploads", "Name": "groups/two.jpg"}}
    assert len(client_for(embedded).detect_faces(Image=image)["FaceDetails"]) == 2


def test_a_video_uploaded_with_upload_file_is_labelled_by_a_video_job(
    embedded: Server, s3: Any, tmp_path: Path
) -> None:
    cup = videos.fit(videos.photo("coffee"), W, H)
    clip = write_video(tmp_path / "cup.mp4", [(solid((0, 0, 0), W, H), 1.0), (cup, 2.0)])
    s3.create_bucket(Bucket="clips")
    # a multipart upload (one part), as boto3 does for any file over the threshold
    s3.upload_file(str(clip), "clips", "kitchen/cup.mp4", Config=TransferConfig(multipart_threshold=1024))
    assert s3.head_object(Bucket="clips", Key="kitchen/cup.mp4")["ETag"].endswith('-1"')

    rekognition = client_for(embedded)
    video = {"S3Object": {"Bucket": "clips", "Name": "kitchen/cup.mp4"}}
    job_id = rekognition.start_label_detection(Video=video, MinConfidence=60)["JobId"]
    result = wait_job(rekognition.get_label_detection, job_id, AggregateBy="SEGMENTS")
    assert result["JobStatus"] == "SUCCEEDED"
    segments = {item["Label"]["Name"]: item for item in result["Labels"]}
    assert abs(segments["Coffee Cup"]["StartTimestampMillis"] - 1000) <= 500
