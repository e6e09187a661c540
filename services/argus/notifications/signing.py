"""The RSA key that signs SNS messages and the self-signed certificate receivers verify with.

One key for the whole deployment, kept in the database with the private key encrypted under
the settings secret (the same :class:`SecretBox` that protects access keys). The first process
that needs it creates it; a unique ``slot`` makes concurrent creators agree on one row.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from argus.core.auth.keys import SecretBox
from argus.core.db.engine import Database
from argus.core.db.models.notifications import SigningKey
from argus.notifications import messages

ACTIVE_SLOT = "active"
KEY_BITS = 2048
CERTIFICATE_DAYS = 3650


def _hash_for(version: messages.SignatureVersion) -> hashes.HashAlgorithm:
    return hashes.SHA1() if version == "1" else hashes.SHA256()  # SignatureVersion 1 is SHA1withRSA


class SigningKeyUnreadable(RuntimeError):
    """The stored key was sealed with a different ARGUS_SECRET_KEY."""


@dataclass(frozen=True)
class Signer:
    key_id: str
    private_key: rsa.RSAPrivateKey
    certificate_pem: str

    def signature(self, body: dict[str, str], version: messages.SignatureVersion) -> str:
        data = messages.string_to_sign(body).encode()
        raw = self.private_key.sign(data, padding.PKCS1v15(), _hash_for(version))
        return base64.b64encode(raw).decode()

    def sign(self, body: dict[str, str], version: messages.SignatureVersion, certificate_url: str) -> None:
        """Add SignatureVersion, Signature and SigningCertURL to ``body``."""
        body["SignatureVersion"] = version
        body["Signature"] = self.signature(body, version)
        body["SigningCertURL"] = certificate_url


def verify(body: dict[str, str], certificate_pem: bytes) -> bool:
    """Check a message's signature with a certificate, the way an SNS receiver does."""
    certificate = x509.load_pem_x509_certificate(certificate_pem)
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    version = body.get("SignatureVersion")
    if version not in ("1", "2"):
        return False
    try:
        public_key.verify(
            base64.b64decode(body["Signature"]),
            messages.string_to_sign(body).encode(),
            padding.PKCS1v15(),
            _hash_for(version),  # type: ignore[arg-type]
        )
    except Exception:
        return False
    return True


def generate(common_name: str = "argus-sns") -> tuple[rsa.RSAPrivateKey, str, str]:
    """A new key, its self-signed certificate (PEM) and the key id (from the certificate)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=CERTIFICATE_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    key_id = hashlib.sha256(der).hexdigest()[:32]
    return key, certificate.public_bytes(serialization.Encoding.PEM).decode(), key_id


def load_or_create(db: Database, box: SecretBox) -> Signer:
    """The deployment's signer, creating the key on first use (race-safe across processes)."""
    row = _active(db)
    if row is None:
        key, certificate_pem, key_id = generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        try:
            with db.session() as session:
                session.add(
                    SigningKey(
                        key_id=key_id,
                        slot=ACTIVE_SLOT,
                        private_key_ciphertext=box.seal(pem),
                        certificate_pem=certificate_pem,
                    )
                )
        except IntegrityError:
            pass  # another process created it first: use theirs
        row = _active(db)
        assert row is not None
    pem_text = box.open(row.private_key_ciphertext)
    if pem_text is None:
        raise SigningKeyUnreadable(
            f"the SNS signing key {row.key_id} was sealed with a different ARGUS_SECRET_KEY"
        )
    private_key = serialization.load_pem_private_key(pem_text.encode(), password=None)
    assert isinstance(private_key, rsa.RSAPrivateKey)
    return Signer(row.key_id, private_key, row.certificate_pem)


def certificate_pem(db: Database, key_id: str) -> str | None:
    """The certificate of a signing key, for the public SigningCertURL."""
    with db.session() as session:
        row = session.get(SigningKey, key_id)
        return row.certificate_pem if row is not None else None


def _active(db: Database) -> SigningKey | None:
    with db.session() as session:
        return session.scalar(select(SigningKey).where(SigningKey.slot == ACTIVE_SLOT))
