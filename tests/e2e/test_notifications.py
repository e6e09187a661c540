"""SNS-style notifications against live servers: topics and subscriptions through the admin
API and CLI, the SubscriptionConfirmation handshake, and signed notifications delivered by the
real worker processes to a receiver on loopback, which verifies them with the served
certificate. Messages are published with ``outbox.publish`` in a transaction on the server's
own database, exactly as a job runner does."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from argus.core.db.engine import Database
from argus.notifications import outbox
from tests.e2e.servers import Server, argus, start, stop, wait_ready
from tests.support.sns_receiver import sns_receiver, subscribe_receiver

JOB_MESSAGE = json.dumps(
    {
        "JobId": "4f2a9b7c",
        "Status": "SUCCEEDED",
        "API": "StartLabelDetection",
        "JobTag": "e2e",
        "Timestamp": 1764081000000,
        "Video": {"S3ObjectName": "clip.mp4", "S3Bucket": "videos"},
    }
)


def auth(server: Server) -> tuple[str, str]:
    return (server.access_key_id, server.secret_access_key)


def database_url(server: Server) -> str:
    if server.mode == "cluster":
        return server.env["ARGUS_DATABASE_URL"]
    assert server.data_dir is not None
    return f"sqlite:///{server.data_dir / 'argus.db'}"


def publish(server: Server, topic_arn: str, message: str = JOB_MESSAGE) -> str:
    db = Database(database_url(server))
    try:
        with db.session() as session:
            assert outbox.topic_exists(session, topic_arn)
            return outbox.publish(session, topic_arn=topic_arn, message=message)
    finally:
        db.dispose()


def topic_name() -> str:
    return f"jobs-{uuid.uuid4().hex[:8]}"


def test_a_subscriber_confirms_and_receives_a_verifiable_notification(cluster: Server) -> None:
    with sns_receiver() as receiver:
        topic_arn, subscription_arn = subscribe_receiver(
            cluster.endpoint, auth(cluster), topic_name(), receiver
        )
        [confirmation] = receiver.messages("SubscriptionConfirmation")
        assert confirmation.message["SigningCertURL"].startswith(f"{cluster.endpoint}/sns/certificates/")
        assert receiver.verify(confirmation)
        assert subscription_arn in receiver.confirmations[-1].text  # ConfirmSubscriptionResponse
        listed = httpx.get(
            f"{cluster.endpoint}/v1/topics/{quote(topic_arn, safe='')}/subscriptions", auth=auth(cluster)
        ).json()
        assert [(s["SubscriptionArn"], s["Status"]) for s in listed["Subscriptions"]] == [
            (subscription_arn, "Confirmed")
        ]

        message_id = publish(cluster, topic_arn)
        item = receiver.wait_for(lambda r: r.type == "Notification")
        assert receiver.verify(item)
        assert (item.message["MessageId"], item.message["TopicArn"]) == (message_id, topic_arn)
        assert json.loads(item.message["Message"]) == json.loads(JOB_MESSAGE)
        assert item.headers["x-amz-sns-subscription-arn"] == subscription_arn


def test_a_receiver_that_is_down_gets_the_notification_after_it_comes_back(cluster: Server) -> None:
    with sns_receiver() as receiver:
        topic_arn, _ = subscribe_receiver(cluster.endpoint, auth(cluster), topic_name(), receiver)
        receiver.go_down()
        message_id = publish(cluster, topic_arn)
        deadline = time.monotonic() + 30
        while True:  # the workers try, fail and schedule retries while it is down
            log = httpx.get(f"{cluster.endpoint}/v1/deliveries", auth=auth(cluster)).json()["Deliveries"]
            mine = [d for d in log if d["MessageId"] == message_id]
            if mine and mine[0]["Attempts"] >= 2:
                break
            assert time.monotonic() < deadline, mine
            time.sleep(0.2)
        assert mine[0]["Status"] == "pending" and "ConnectError" in mine[0]["LastError"]
        receiver.come_up()
        item = receiver.wait_for(lambda r: r.type == "Notification")
        assert item.message["MessageId"] == message_id
        assert receiver.verify(item)


def test_the_unsubscribe_url_works_only_with_its_token(cluster: Server) -> None:
    with sns_receiver() as receiver:
        topic_arn, _ = subscribe_receiver(cluster.endpoint, auth(cluster), topic_name(), receiver)
        publish(cluster, topic_arn)
        url = receiver.wait_for(lambda r: r.type == "Notification").message["UnsubscribeURL"]
        forged = httpx.get(url.rsplit("Token=", 1)[0] + "Token=" + "0" * 64)
        assert forged.status_code == 403 and "AuthorizationError" in forged.text
        assert httpx.get(url).status_code == 200
        listed = httpx.get(
            f"{cluster.endpoint}/v1/topics/{quote(topic_arn, safe='')}/subscriptions", auth=auth(cluster)
        ).json()
        assert listed["Subscriptions"] == []


@pytest.mark.parametrize("endpoint", ["http://[::1]:9/hook", "http://169.254.169.254/latest/meta-data"])
def test_a_target_outside_the_allow_list_is_refused(cluster: Server, endpoint: str) -> None:
    topic_arn = httpx.post(
        f"{cluster.endpoint}/v1/topics", json={"Name": topic_name()}, auth=auth(cluster)
    ).json()["TopicArn"]
    refused = httpx.post(
        f"{cluster.endpoint}/v1/topics/{quote(topic_arn, safe='')}/subscriptions",
        json={"Endpoint": endpoint},
        auth=auth(cluster),
    )
    assert refused.status_code == 400
    assert refused.json()["__type"] == "InvalidParameterException"
    assert "ALLOWED_NETWORKS" in refused.json()["message"]


def test_the_admin_api_needs_credentials(cluster: Server) -> None:
    assert httpx.get(f"{cluster.endpoint}/v1/topics").status_code == 401
    assert (
        httpx.get(f"{cluster.endpoint}/v1/topics", auth=(cluster.access_key_id, "wrong")).status_code == 401
    )


def test_the_cli_creates_lists_and_subscribes(cluster: Server) -> None:
    name = topic_name()
    with sns_receiver() as receiver:
        created = subprocess.run(
            argus("topics", "create", name), env=cluster.env, capture_output=True, text=True, check=True
        )
        topic_arn = json.loads(created.stdout)["TopicArn"]
        assert topic_arn == f"arn:aws:sns:us-east-1:111122223333:{name}"
        subscribed = subprocess.run(
            argus("topics", "subscribe", topic_arn, receiver.url),
            env=cluster.env,
            capture_output=True,
            check=True,
        )
        assert json.loads(subscribed.stdout)["Status"] == "PendingConfirmation"
        receiver.wait_confirmed()
        listed = subprocess.run(
            argus("topics", "list"), env=cluster.env, capture_output=True, text=True, check=True
        )
        [entry] = [json.loads(line) for line in listed.stdout.splitlines() if topic_arn in line]
        assert [s["Status"] for s in entry["Subscriptions"]] == ["Confirmed"]


def test_embedded_mode_delivers_a_verifiable_notification(embedded: Server) -> None:
    with sns_receiver() as receiver:
        topic_arn, _ = subscribe_receiver(embedded.endpoint, auth(embedded), topic_name(), receiver)
        message_id = publish(embedded, topic_arn)
        item = receiver.wait_for(lambda r: r.type == "Notification")
        assert item.message["MessageId"] == message_id
        assert receiver.verify(item)


def test_deliveries_do_not_depend_on_the_gateway(cluster: Server, tmp_path: Path) -> None:
    """The gateway is stopped while a message is published: the workers still deliver it, and
    once the gateway is back the receiver fetches the certificate and verifies it."""
    with sns_receiver() as receiver:
        topic_arn, _ = subscribe_receiver(cluster.endpoint, auth(cluster), topic_name(), receiver)
        gateway = {"serve": cluster.processes["serve"]}
        stop(gateway)
        try:
            message_id = publish(cluster, topic_arn)
            item = receiver.wait_for(lambda r: r.type == "Notification")
            assert item.message["MessageId"] == message_id
        finally:
            port = cluster.endpoint.rsplit(":", 1)[1]
            restarted = {"serve": start("serve", argus("serve", "--port", port), cluster.env, tmp_path)}
            cluster.processes.update(restarted)
            wait_ready(cluster.endpoint, restarted, tmp_path)
        assert receiver.verify(item)
