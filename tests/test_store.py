"""The review store (SQLite in a tmp dir) and the background runner, with a fake review function."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import pytest

from service.errors import NoTextLayer
from service.jobs import ReviewRunner
from service.settings import Settings
from service.store import INTERRUPTED_CODE, Repository, StoreLlmCache, llm_cache_key

PDF = b"%PDF-1.4\nplan\n%%EOF\n"
RESULT = {"scope": "in_scope", "scope_reason": None, "profile": {"modality": "hsv", "evidence": {}},
          "items": [{"requirement_id": "A", "status": "missing"}, {"requirement_id": "B", "status": "partial"},
                    {"requirement_id": "C", "status": "met"}]}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(embedder="fake", data_dir=tmp_path / "var", cache_dir=tmp_path / "cache")


@pytest.fixture
def repo(settings: Settings) -> Any:
    r = Repository(settings.effective_database_url, settings.uploads_dir)
    r.create_tables()
    yield r
    r.close()


def test_sqlite_created_on_first_use(settings: Settings, repo: Repository) -> None:
    assert (settings.data_dir / "dossier-review.sqlite3").is_file()


def test_upload_saved_once_by_hash(repo: Repository, settings: Settings) -> None:
    a = repo.save_upload(PDF, "a.pdf")
    b = repo.save_upload(PDF, "b.pdf")
    sha = hashlib.sha256(PDF).hexdigest()
    assert a.sha256 == b.sha256 == sha and b.filename == "a.pdf" and a.size == len(PDF)
    assert [p.name for p in settings.uploads_dir.iterdir()] == [f"{sha}.pdf"]  # no temp file left
    assert repo.read_upload(sha) == PDF


def test_review_lifecycle(repo: Repository) -> None:
    up = repo.save_upload(PDF, "plan.pdf")
    first = repo.create_review(up.sha256, "plan.pdf", {"modality": "hsv"})
    second = repo.create_review(up.sha256, "again.pdf")
    assert [r.id for r in repo.list_reviews()] == [second.id, first.id]
    assert repo.mark_running(first.id)
    repo.set_progress(first.id, "parsing", 0.25)
    got = repo.get_review(first.id)
    assert got is not None and (got.state, got.stage, got.progress) == ("running", "parsing", 0.25)
    assert got.overrides == {"modality": "hsv"}
    assert not repo.requeue(first.id)  # running: not re-queued
    repo.mark_done(first.id, RESULT)
    got = repo.get_review(first.id)
    assert got is not None and got.state == "done" and got.result == RESULT
    assert (got.modality, got.gap_count, got.progress) == ("hsv", 2, 1.0)
    assert repo.requeue(first.id)
    got = repo.get_review(first.id)
    assert got is not None and got.state == "queued" and got.result is None
    assert repo.get_review("missing") is None


def test_overrides_history_latest_wins(repo: Repository) -> None:
    up = repo.save_upload(PDF, "plan.pdf")
    rid = repo.create_review(up.sha256, "plan.pdf").id
    repo.add_override(rid, "A", "met", "table 2", "li")
    repo.add_override(rid, "A", "justified", "argued", "wang")
    repo.add_override(rid, "B", "met")
    current = repo.current_overrides(rid)
    assert {k: v.status for k, v in current.items()} == {"A": "justified", "B": "met"}
    assert current["A"].as_dict()["author"] == "wang"
    repo.add_override(rid, "B", None)  # withdrawn
    assert set(repo.current_overrides(rid)) == {"A"}
    assert [o.status for o in repo.override_history(rid, "B")] == [None, "met"]


def test_delete_keeps_shared_upload(repo: Repository) -> None:
    up = repo.save_upload(PDF, "plan.pdf")
    a = repo.create_review(up.sha256, "a.pdf").id
    b = repo.create_review(up.sha256, "b.pdf").id
    repo.add_override(a, "A", "met")
    assert repo.delete_review(a)
    assert repo.override_history(a) == []
    assert repo.upload_path(up.sha256).exists()
    assert repo.delete_review(b)
    assert not repo.upload_path(up.sha256).exists()
    assert not repo.delete_review(b)


def test_mark_interrupted(repo: Repository) -> None:
    up = repo.save_upload(PDF, "plan.pdf")
    running, queued, done = (repo.create_review(up.sha256, "p.pdf").id for _ in range(3))
    repo.mark_running(running)
    repo.mark_done(done, RESULT)
    assert repo.mark_interrupted() == 2
    for rid in (running, queued):
        r = repo.get_review(rid)
        assert r is not None and r.state == "failed" and r.error_code == INTERRUPTED_CODE
    d = repo.get_review(done)
    assert d is not None and d.state == "done"


def test_llm_cache(repo: Repository) -> None:
    key = llm_cache_key("qwen", "adjudicate-v1", "abc")
    assert key != llm_cache_key("qwen", "adjudicate-v2", "abc") and len(key) == 64
    assert repo.llm_cache_get(key) is None
    repo.llm_cache_put(key, {"status": "met"})
    repo.llm_cache_put(key, {"status": "partial"})
    assert repo.llm_cache_get(key) == {"status": "partial"}
    cache = StoreLlmCache(repo)  # what service.llm.cache.cached_complete takes
    cache.put("k" * 64, {"answer": 1})
    assert cache.get("k" * 64) == {"answer": 1} and cache.get("x") is None


def _wait(repo: Repository, rid: str) -> Any:
    deadline = time.monotonic() + 10
    while (r := repo.get_review(rid)) is not None and r.state not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return r


def test_runner_states_and_progress(repo: Repository, settings: Settings) -> None:
    seen: list[tuple[str | None, float]] = []

    def review_fn(data: bytes, *, overrides: Any = None, settings: Any = None, progress: Any = None) -> Any:
        progress("parsing", 0.1)
        r = repo.get_review(rid)
        assert r is not None
        seen.append((r.stage, r.progress))
        for i in range(100):  # throttled: not a write each
            progress("checking", i / 100)
        if data.endswith(b"scan"):
            raise NoTextLayer("PDF has no usable text layer")
        if data.endswith(b"bug"):
            raise KeyError("bug")
        return RESULT

    runner = ReviewRunner(repo, settings, review_fn, progress_interval=60)
    rid = repo.create_review(repo.save_upload(PDF, "p.pdf").sha256, "p.pdf").id
    runner.submit(rid).result(10)
    assert seen == [("parsing", 0.1)]
    assert _wait(repo, rid).result == RESULT
    scan = repo.create_review(repo.save_upload(PDF + b"scan", "s.pdf").sha256, "s.pdf").id
    bug = repo.create_review(repo.save_upload(PDF + b"bug", "b.pdf").sha256, "b.pdf").id
    runner.submit(scan)
    runner.submit(bug)
    s, b = _wait(repo, scan), _wait(repo, bug)
    assert (s.state, s.error_code, s.error_message) == ("failed", "no_text_layer", "PDF has no usable text layer")
    assert (b.state, b.error_code) == ("failed", "internal_error")
    assert runner.rerun(rid) and _wait(repo, rid).state == "done"
    runner.shutdown(wait=True)
