"""The review store: SQLAlchemy models, the repository, uploaded files by content hash."""

from service.store.models import Base, LlmCache, Override, Review, Upload, make_engine
from service.store.repository import (
    INTERRUPTED_CODE,
    INTERRUPTED_MESSAGE,
    Repository,
    StoreLlmCache,
    llm_cache_key,
)

__all__ = [
    "Base", "LlmCache", "Override", "Review", "Upload", "make_engine", "Repository", "StoreLlmCache", "llm_cache_key",
    "INTERRUPTED_CODE", "INTERRUPTED_MESSAGE",
]
