"""Face collections, their faces and the tombstones of deleted faces."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from argus.core.db.models.base import Base, utcnow


class Collection(Base):
    __tablename__ = "collections"
    # Primary keys are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL): index
    # snapshots and worker caches are keyed by them.
    __table_args__ = (
        Index("uq_collections_account_name", "account_id", "collection_id", unique=True),
        {"sqlite_autoincrement": True},
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(12))
    collection_id: Mapped[str] = mapped_column(String(255))
    face_model_version: Mapped[str] = mapped_column(String(32))
    tags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Faces get collection-local sequence numbers (their id in the vector index); every add or
    # delete bumps faces_version, so an index snapshot knows exactly how far behind it is.
    next_face_seq: Mapped[int] = mapped_column(BigInteger, default=1, server_default="1")
    faces_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    faces: Mapped[list[Face]] = relationship(
        back_populates="collection", cascade="all, delete-orphan", passive_deletes=True
    )


class Face(Base):
    """A face indexed into a collection; its embedding is float32 bytes, never text."""

    __tablename__ = "faces"
    __table_args__ = (
        Index("ix_faces_collection_external", "collection_pk", "external_image_id"),
        UniqueConstraint("collection_pk", "seq", name="uq_faces_collection_seq"),
        Index("ix_faces_collection_version", "collection_pk", "version"),
    )

    face_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    collection_pk: Mapped[int] = mapped_column(ForeignKey("collections.pk", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(BigInteger, doc="the collection's faces_version that added it")
    image_id: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    external_image_id: Mapped[str | None] = mapped_column(String(255))
    bbox_left: Mapped[float] = mapped_column(Float)
    bbox_top: Mapped[float] = mapped_column(Float)
    bbox_width: Mapped[float] = mapped_column(Float)
    bbox_height: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    embedding: Mapped[bytes] = mapped_column(LargeBinary, doc="L2-normalised float32 vector, native bytes")
    face_model_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    collection: Mapped[Collection] = relationship(back_populates="faces")


class FaceTombstone(Base):
    """A deleted face's sequence number, kept so vector indexes can catch up with deletions."""

    __tablename__ = "face_tombstones"
    __table_args__ = (
        PrimaryKeyConstraint("collection_pk", "seq"),
        Index("ix_face_tombstones_version", "collection_pk", "version"),
    )

    collection_pk: Mapped[int] = mapped_column(ForeignKey("collections.pk", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(BigInteger, doc="the collection's faces_version that deleted it")
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
