"""Shared fixtures: hermetic settings (fake embedder, temp data dir) for unit tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from service.settings import Settings  # noqa: E402


@pytest.fixture
def fake_settings(tmp_path: Path) -> Settings:
    return Settings(embedder="fake", data_dir=tmp_path / "var", cache_dir=tmp_path / "cache")
