"""The per-account celebrity gallery."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, PrimaryKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from argus.core.db.models.base import Base, utcnow


class Celebrity(Base):
    """A person of an account's celebrity gallery (``argus celebrities import``).

    The gallery's faces live in an ordinary face collection that user APIs cannot reach (see
    :mod:`argus.celebrities.store`); each carries its celebrity's ``celebrity_id`` as ExternalImageId.
    """

    __tablename__ = "celebrities"
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "celebrity_id"),
        UniqueConstraint("account_id", "name", name="uq_celebrities_account_name"),
    )

    account_id: Mapped[str] = mapped_column(String(12))
    celebrity_id: Mapped[str] = mapped_column(String(16), doc="RecognizeCelebrities' Id: 8 base-36 chars")
    name: Mapped[str] = mapped_column(String(255))
    urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    known_gender: Mapped[str] = mapped_column(String(16), doc="Male, Female, Nonbinary or Unlisted")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
