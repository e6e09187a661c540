"""Face search indexes: FAISS per collection, rebuilt from and kept in step with the database."""

from argus.core.index.catalog import INDEX_BUCKET, CollectionIndexes, IndexInfo
from argus.core.index.vector_index import IndexParams, VectorIndex

__all__ = ["INDEX_BUCKET", "CollectionIndexes", "IndexInfo", "IndexParams", "VectorIndex"]
