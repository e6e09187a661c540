"""Alembic environment: runs migrations against the URL set by argus.core.db.migrate."""

from __future__ import annotations

from alembic import context

from argus.core.db.engine import make_engine
from argus.core.db.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "sqlalchemy.url must be set by argus.core.db.migrate"

engine = make_engine(url)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
