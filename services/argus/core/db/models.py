"""Metadata tables. PostgreSQL in a cluster, SQLite when embedded; same code for both."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    """An access key pair. The secret is stored encrypted (SigV4 needs the plain secret back)."""

    __tablename__ = "api_keys"

    access_key_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    secret_ciphertext: Mapped[str] = mapped_column(String(512))
    account_id: Mapped[str] = mapped_column(String(12))
    is_root: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Collection(Base):
    __tablename__ = "collections"
    __table_args__ = (Index("uq_collections_account_name", "account_id", "collection_id", unique=True),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(12))
    collection_id: Mapped[str] = mapped_column(String(255))
    face_model_version: Mapped[str] = mapped_column(String(32))
    tags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    faces: Mapped[list[Face]] = relationship(
        back_populates="collection", cascade="all, delete-orphan", passive_deletes=True
    )


class Face(Base):
    """A face indexed into a collection; its embedding is float32 bytes, never text."""

    __tablename__ = "faces"
    __table_args__ = (Index("ix_faces_collection_external", "collection_pk", "external_image_id"),)

    face_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    collection_pk: Mapped[int] = mapped_column(ForeignKey("collections.pk", ondelete="CASCADE"), index=True)
    image_id: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    external_image_id: Mapped[str | None] = mapped_column(String(255))
    bbox_left: Mapped[float] = mapped_column(Float)
    bbox_top: Mapped[float] = mapped_column(Float)
    bbox_width: Mapped[float] = mapped_column(Float)
    bbox_height: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    embedding: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    collection: Mapped[Collection] = relationship(back_populates="faces")
