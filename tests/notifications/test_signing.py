"""The signing key: one per deployment, created lazily and race-safely, sealed with the secret;
signatures verify with its self-signed certificate the way SNS receivers check them."""

from __future__ import annotations

import threading

import pytest
from cryptography import x509

from argus.core.auth.keys import SecretBox
from argus.core.db.engine import Database
from argus.notifications import messages, signing
from tests.notifications.conftest import SECRET
from tests.support.sns_receiver import verify_signature

BODY = messages.notification(
    topic_arn="arn:aws:sns:us-east-1:111122223333:jobs",
    message='{"JobId":"42","Status":"SUCCEEDED"}',
    subject="job done",
)


@pytest.fixture(scope="module")
def signer() -> signing.Signer:
    key, certificate_pem, key_id = signing.generate()
    return signing.Signer(key_id, key, certificate_pem)


@pytest.mark.parametrize("version", ["1", "2"])
def test_a_signed_message_verifies_with_the_certificate(signer: signing.Signer, version: str) -> None:
    body = dict(BODY)
    signer.sign(body, version, "http://argus.test/sns/certificates/k.pem")  # type: ignore[arg-type]
    assert (body["SignatureVersion"], body["SigningCertURL"]) == (
        version,
        "http://argus.test/sns/certificates/k.pem",
    )
    assert verify_signature(body, signer.certificate_pem.encode())  # the receiver's own check
    assert signing.verify(body, signer.certificate_pem.encode())


def test_a_tampered_message_does_not_verify(signer: signing.Signer) -> None:
    body = dict(BODY)
    signer.sign(body, "2", "http://argus.test/c.pem")
    body["Message"] = body["Message"].replace("SUCCEEDED", "FAILED")
    assert not verify_signature(body, signer.certificate_pem.encode())
    assert not signing.verify(body, signer.certificate_pem.encode())


def test_another_keys_certificate_does_not_verify(signer: signing.Signer) -> None:
    body = dict(BODY)
    signer.sign(body, "2", "http://argus.test/c.pem")
    _, other_certificate, _ = signing.generate()
    assert not verify_signature(body, other_certificate.encode())


def test_the_certificate_is_self_signed_for_signing_only(signer: signing.Signer) -> None:
    certificate = x509.load_pem_x509_certificate(signer.certificate_pem.encode())
    assert certificate.issuer == certificate.subject
    assert certificate.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert len(signer.key_id) == 32


def test_every_process_gets_the_same_key_even_when_racing(db: Database, database_url: str) -> None:
    results: list[str] = []
    errors: list[BaseException] = []

    def load() -> None:
        other = Database(database_url)  # its own engine, like another worker process
        try:
            results.append(signing.load_or_create(other, SecretBox(SECRET)).key_id)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            other.dispose()

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert signing.load_or_create(db, SecretBox(SECRET)).key_id == results[0]
    assert signing.certificate_pem(db, results[0]) is not None


def test_the_private_key_is_stored_sealed(db: Database) -> None:
    from sqlalchemy import select

    from argus.core.db.models.notifications import SigningKey

    signer = signing.load_or_create(db, SecretBox(SECRET))
    with db.session() as session:
        row = session.scalar(select(SigningKey))
    assert row is not None and "PRIVATE KEY" not in row.private_key_ciphertext
    assert row.certificate_pem == signer.certificate_pem


def test_a_different_secret_cannot_use_the_stored_key(db: Database) -> None:
    signing.load_or_create(db, SecretBox(SECRET))
    with pytest.raises(signing.SigningKeyUnreadable, match="ARGUS_SECRET_KEY"):
        signing.load_or_create(db, SecretBox("another-secret-entirely-0000"))
