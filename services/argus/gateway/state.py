"""What the gateway process holds while it runs (built at start-up, closed at shutdown)."""

from __future__ import annotations

from dataclasses import dataclass

from celery import Celery

from argus.core.auth.keys import KeyStore, SecretBox
from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.index.catalog import INDEX_BUCKET, CollectionIndexes
from argus.core.models.registry import ModelRegistry
from argus.core.storage import ObjectStore, open_object_store
from argus.gateway.dispatch import ImageDispatcher
from argus.workers.celery_app import make_celery


@dataclass
class GatewayState:
    settings: Settings
    db: Database
    keys: KeyStore
    celery: Celery
    store: ObjectStore
    models: ModelRegistry
    images: ImageDispatcher
    indexes: CollectionIndexes  # the gateway only drops snapshots; workers hold the indexes

    @classmethod
    def build(cls, settings: Settings) -> GatewayState:
        if settings.secret_key is None:
            raise ValueError("ARGUS_SECRET_KEY is required")
        db = Database(settings.effective_database_url)
        celery = make_celery(settings)
        store = open_object_store(settings)
        store.ensure_bucket(INDEX_BUCKET)
        return cls(
            settings=settings,
            db=db,
            keys=KeyStore(db, SecretBox(settings.secret_key.get_secret_value())),
            celery=celery,
            store=store,
            models=ModelRegistry(settings),
            images=ImageDispatcher(celery, settings.image_task_timeout_s),
            indexes=CollectionIndexes(db, store, bucket=INDEX_BUCKET),
        )

    def install_root_key(self) -> None:
        """The root key follows the settings: created on first start, its secret updated after."""
        settings = self.settings
        if settings.root_access_key_id and settings.root_secret_access_key:
            self.keys.put(
                settings.root_access_key_id,
                settings.root_secret_access_key.get_secret_value(),
                settings.account_id,
                is_root=True,
            )

    def close(self) -> None:
        self.db.dispose()
