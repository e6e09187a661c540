"""Metadata tables, one module per domain. PostgreSQL in a cluster, SQLite when embedded.

Importing this package registers every table on ``Base.metadata`` (Alembic compares against it).
"""

from __future__ import annotations

from argus.core.db.models import custom_labels, notifications, video
from argus.core.db.models.base import Base, utcnow
from argus.core.db.models.celebrities import Celebrity
from argus.core.db.models.faces import Collection, Face, FaceTombstone
from argus.core.db.models.keys import ApiKey

__all__ = [
    "ApiKey",
    "Base",
    "Celebrity",
    "Collection",
    "Face",
    "FaceTombstone",
    "custom_labels",
    "notifications",
    "utcnow",
    "video",
]
