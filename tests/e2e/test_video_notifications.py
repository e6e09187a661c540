"""A job with a NotificationChannel: the subscriber receives one signed completion message."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from tests.e2e.conftest import client_for
from tests.e2e.servers import Server
from tests.support.sns_receiver import sns_receiver, subscribe_receiver
from tests.video.jobs_client import place_video
from tests.video.media import solid, write_video

ROLE = "arn:aws:iam::111122223333:role/rekognition-video"


def test_the_completion_notification_is_signed_and_echoes_the_job_tag(
    cluster: Server, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = write_video(tmp_path_factory.mktemp("clips") / "red.mp4", [(solid((200, 0, 0)), 1.0)]).read_bytes()
    client = client_for(cluster)
    video = place_video(cluster, request, "red.mp4", data)
    with sns_receiver() as receiver:
        topic_arn, _ = subscribe_receiver(
            cluster.endpoint,
            (cluster.access_key_id, cluster.secret_access_key),
            f"jobs-{uuid.uuid4().hex[:8]}",
            receiver,
        )
        job_id = client.start_face_detection(
            Video=video, JobTag="nightly-42", NotificationChannel={"SNSTopicArn": topic_arn, "RoleArn": ROLE}
        )["JobId"]
        arrived = receiver.wait_for(lambda r: r.type == "Notification", timeout=120)
        assert client.get_face_detection(JobId=job_id)["JobStatus"] == "SUCCEEDED"
        assert receiver.verify(arrived)
        assert arrived.message["TopicArn"] == topic_arn
        message = json.loads(arrived.message["Message"])
        assert {key: message[key] for key in ("JobId", "Status", "API", "JobTag", "Video")} == {
            "JobId": job_id,
            "Status": "SUCCEEDED",
            "API": "StartFaceDetection",
            "JobTag": "nightly-42",
            "Video": {"S3ObjectName": "red.mp4", "S3Bucket": video["S3Object"]["Bucket"]},
        }
        assert abs(message["Timestamp"] / 1000 - time.time()) < 120
        time.sleep(2)
        assert len(receiver.messages("Notification")) == 1
