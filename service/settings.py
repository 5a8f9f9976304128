"""One Settings object for the whole service, read from DOSSIER_REVIEW_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOSSIER_REVIEW_", env_file=None, extra="ignore")

    # where converted model weights, the built index and embeddings live (ignored by git)
    cache_dir: Path = PROJECT_ROOT / ".cache"
    data_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""  # empty: SQLite file in data_dir

    host: str = "127.0.0.1"
    port: int = 8000

    # uploads
    max_upload_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500
    parse_timeout_seconds: float = 120.0

    # background reviews: a process touches its queued/running reviews every heartbeat; one not
    # touched for review_stale_seconds belongs to a stopped process and is marked interrupted
    review_heartbeat_seconds: float = 15.0
    review_stale_seconds: float = 90.0

    # lookup
    lookup_max_k: int = 50
    lookup_max_query_chars: int = 2000

    # embedder: "e5" (real model) or "fake" (hermetic tests)
    embedder: str = "e5"

    # LLM assistance (off unless a base URL is given and enabled)
    llm_enabled: bool = False
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout_seconds: float = 60.0
    llm_max_retries: int = 2
    llm_concurrency: int = 2
    llm_token_budget: int = 60000
    llm_confidence_threshold: float = 0.6
    # per question: plan passages shown, characters per passage, answer tokens; a rationale call per change
    llm_max_passages: int = 4
    llm_passage_chars: int = 1200
    llm_max_answer_tokens: int = 400
    llm_write_rationale: bool = True

    @property
    def model_dir(self) -> Path:
        return self.cache_dir / "models" / "multilingual-e5-small"

    @property
    def index_dir(self) -> Path:
        return self.cache_dir / "index"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'dossier-review.sqlite3'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
