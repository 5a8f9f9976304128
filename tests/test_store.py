"""The review store and the background runner (with a fake review function), each test once per backend:
SQLite in a tmp dir, and a real PostgreSQL when DOSSIER_REVIEW_TEST_POSTGRES_URL is set (else those skip;
see store_backends). PostgreSQL-only checks (schema, encoding, driver) are in test_store_postgres.py.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from store_backends import BACKENDS, open_repository, postgres_schema_url, scalar

from service.errors import NoTextLayer
from service.jobs import ReviewRunner
from service.settings import Settings
from service.store import INTERRUPTED_CODE, Repository, StoreLlmCache, llm_cache_key

PDF = b"%PDF-1.4\nplan\n%%EOF\n"
RESULT: dict[str, Any] = {
    "scope": "in_scope", "scope_reason": None, "language": "zh",
    "profile": {"modality": "aav", "routes": ["静脉注射"], "evidence": {"modality": {"page": 1, "quote": "腺相关病毒载体"}}},
    "items": [
        {"requirement_id": "TOX-GROUPS", "status": "partial", "rationale": "未设置中剂量组",
         "clause": {"anchor": "2.3.1(3)", "title": "分组"}, "evidence": [{"page": 3, "quote": "高剂量组和对照组"}]},
        {"requirement_id": "PK-SHEDDING", "status": "missing", "rationale": "未见排泄研究\x00（原文如此）"},
        {"requirement_id": "GEN-GLP", "status": "met", "rationale": "符合 GLP 要求"},
    ],
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(embedder="fake", data_dir=tmp_path / "var", cache_dir=tmp_path / "cache")


@pytest.fixture(params=BACKENDS)
def repo(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Repository]:
    """A repository on each backend: SQLite under settings.data_dir, PostgreSQL in a schema of its own."""
    database: AbstractContextManager[str] = (
        postgres_schema_url() if request.param == "postgres" else nullcontext(settings.effective_database_url))
    with database as url, open_repository(url, settings.uploads_dir) as r:
        yield r


@pytest.mark.parametrize("repo", ["sqlite"], indirect=True)
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
    name = "基因治疗非临床研究计划（第二版）.pdf"
    up = repo.save_upload(PDF, name)
    assert repo.save_upload(PDF, "again.pdf").filename == name  # one row per content hash
    assert up.sha256 == hashlib.sha256(PDF).hexdigest() and repo.read_upload(up.sha256) == PDF
    first = repo.create_review(up.sha256, name, {"modality": "aav", "routes": ["鞘内注射"]})
    second = repo.create_review(up.sha256, "b.pdf")
    assert [r.id for r in repo.list_reviews()] == [second.id, first.id]
    # characters, not bytes: the column holds the text as text
    assert scalar(repo, "SELECT length(filename) FROM reviews WHERE id = :id", id=first.id) == len(name)

    got = repo.get_review(first.id)
    assert got is not None and (got.state, got.progress, got.result) == ("queued", 0.0, None)
    assert got.overrides == {"modality": "aav", "routes": ["鞘内注射"]}
    assert repo.mark_running(first.id)
    assert repo.set_progress(first.id, "解析 PDF", 0.25)
    got = repo.get_review(first.id)
    assert got is not None and (got.state, got.stage, got.progress) == ("running", "解析 PDF", 0.25)
    assert got.overrides == {"modality": "aav", "routes": ["鞘内注射"]}
    assert not repo.requeue(first.id)  # running: not re-queued

    assert repo.mark_done(first.id, RESULT)
    got = repo.get_review(first.id)
    assert got is not None and got.state == "done" and got.result == RESULT
    assert (got.modality, got.gap_count, got.progress, got.stage) == ("aav", 2, 1.0, "done")
    assert isinstance(got.created_at, datetime)  # timezone-aware on PostgreSQL: see test_store_postgres.py
    assert got.updated_at >= got.created_at
    assert repo.requeue(first.id)
    got = repo.get_review(first.id)
    assert got is not None and (got.state, got.result, got.gap_count) == ("queued", None, None)

    # what PostgreSQL refuses and SQLite would keep: NUL characters, values longer than the column; the
    # repository drops the one and clips the other on every backend, so both store the same
    assert repo.mark_failed(second.id, "x" * 100, "解析失败：\x00第 3 页")
    got = repo.get_review(second.id)
    assert got is not None and got.error_code == "x" * 64 and got.error_message == "解析失败：第 3 页"
    long_name = "计划" * 200 + ".pdf"
    assert repo.create_review(up.sha256, long_name).filename == long_name[:255]
    repo.mark_done(second.id, {"profile": {"modality": "病毒" * 40}, "items": []})
    got = repo.get_review(second.id)
    assert got is not None and got.modality == "病毒" * 16
    assert got.result is not None and got.result["profile"]["modality"] == "病毒" * 40
    assert repo.get_review("missing") is None and not repo.mark_running("missing")


def test_overrides_history_latest_wins(repo: Repository) -> None:
    rid = repo.create_review(repo.save_upload(PDF, "plan.pdf").sha256, "plan.pdf").id
    repo.add_override(rid, "A", "met", "见表 2", "李")
    repo.add_override(rid, "A", "justified", "第 9 页有论证\x00", "王" * 300)
    repo.add_override(rid, "B", "met")
    current = repo.current_overrides(rid)
    assert {k: v.status for k, v in current.items()} == {"A": "justified", "B": "met"}
    assert current["A"].comment == "第 9 页有论证" and current["A"].author == "王" * 200
    assert current["A"].as_dict()["author"] == "王" * 200
    assert current["A"].as_dict()["at"].endswith("+00:00")
    repo.add_override(rid, "B", None)  # withdrawn
    assert set(repo.current_overrides(rid)) == {"A"}
    assert [o.status for o in repo.override_history(rid, "B")] == [None, "met"]
    assert [o.comment for o in repo.override_history(rid, "A")] == ["第 9 页有论证", "见表 2"]


def test_delete_keeps_shared_upload(repo: Repository) -> None:
    up = repo.save_upload(PDF, "plan.pdf")
    a = repo.create_review(up.sha256, "a.pdf").id
    b = repo.create_review(up.sha256, "b.pdf").id
    repo.add_override(a, "A", "met")
    assert repo.delete_review(a)
    assert repo.override_history(a) == [] and repo.get_review(a) is None
    assert repo.upload_path(up.sha256).exists()
    assert repo.delete_review(b)
    assert not repo.upload_path(up.sha256).exists()
    assert scalar(repo, "SELECT count(*) FROM uploads") == 0
    assert not repo.delete_review(b)


def test_mark_interrupted(repo: Repository) -> None:
    sha = repo.save_upload(PDF, "plan.pdf").sha256
    running, queued, done, failed = (repo.create_review(sha, "p.pdf").id for _ in range(4))
    repo.mark_running(running)
    repo.mark_done(done, RESULT)
    repo.mark_failed(failed, "no_text_layer", "扫描件")
    assert repo.mark_interrupted() == 2
    for rid in (running, queued):
        r = repo.get_review(rid)
        assert r is not None and (r.state, r.error_code) == ("failed", INTERRUPTED_CODE)
    assert repo.mark_interrupted() == 0
    d, f = repo.get_review(done), repo.get_review(failed)
    assert d is not None and d.state == "done" and d.result == RESULT
    assert f is not None and f.error_code == "no_text_layer"


def test_llm_cache(repo: Repository) -> None:
    key = llm_cache_key("qwen", "adjudicate-v1", "abc")
    assert key != llm_cache_key("qwen", "adjudicate-v2", "abc") and len(key) == 64
    assert repo.llm_cache_get(key) is None
    repo.llm_cache_put(key, {"status": "met", "rationale": "计划第 3 页写明了给药途径"})
    repo.llm_cache_put(key, {"status": "partial", "rationale": "缺少中剂量组"})  # replaces
    assert repo.llm_cache_get(key) == {"status": "partial", "rationale": "缺少中剂量组"}
    assert scalar(repo, "SELECT count(*) FROM llm_cache") == 1
    cache = StoreLlmCache(repo)  # what service.llm.cache.cached_complete takes
    cache.put("k" * 64, {"answer": 1})
    assert cache.get("k" * 64) == {"answer": 1} and cache.get("x") is None
    cache.put("k" * 64, {"answer": [1, 2.5, None, True]})
    assert cache.get("k" * 64) == {"answer": [1, 2.5, None, True]}


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


def test_gap_count_follows_overrides(repo: Repository) -> None:
    """Regression: the reviews list counted machine gaps even after a reviewer overrode them."""
    rid = repo.create_review(repo.save_upload(PDF, "plan.pdf").sha256, "plan.pdf").id
    result = {"items": [{"requirement_id": "A", "status": "missing"}, {"requirement_id": "B", "status": "partial"},
                        {"requirement_id": "C", "status": "met"}]}
    repo.mark_done(rid, result)
    assert repo.get_review(rid).gap_count == 2  # type: ignore[union-attr]
    repo.add_override(rid, "A", "justified", "论证见第 4 页", "李")
    repo.add_override(rid, "C", "partial", "缺少平台期", "王")
    assert repo.get_review(rid).gap_count == 2  # type: ignore[union-attr]  # B and C
    repo.add_override(rid, "C", None)  # withdrawn: back to the machine's "met"
    assert repo.get_review(rid).gap_count == 1  # type: ignore[union-attr]
    assert repo.get_review(rid).result["items"][0]["status"] == "missing"  # type: ignore[union-attr,index]
