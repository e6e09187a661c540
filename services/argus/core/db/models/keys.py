"""Access keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from argus.core.db.models.base import Base, utcnow


class ApiKey(Base):
    """An access key pair. The secret is stored encrypted (SigV4 needs the plain secret back)."""

    __tablename__ = "api_keys"

    access_key_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    secret_ciphertext: Mapped[str] = mapped_column(String(512))
    account_id: Mapped[str] = mapped_column(String(12))
    is_root: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
