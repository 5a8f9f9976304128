"""The review store and the review HTTP API against a real PostgreSQL.

.ci/run installs and starts PostgreSQL and sets DOSSIER_REVIEW_TEST_POSTGRES_URL
(postgresql+psycopg://user:password@127.0.0.1:5432/dossier_review_test); without it every test here skips.
Each test runs in a schema of its own (search_path set through the URL) that is dropped afterwards, so
runs repeat cleanly and never touch other tables of that database.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from test_reviews_api import ITEMS, PDF, FakeReview, make_app, submit_done, wait_for

from service.settings import Settings
from service.store import INTERRUPTED_CODE, Repository, StoreLlmCache, llm_cache_key

URL_ENV = "DOSSIER_REVIEW_TEST_POSTGRES_URL"
BASE_URL = os.environ.get(URL_ENV, "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not BASE_URL, reason=f"{URL_ENV} is unset: no PostgreSQL to test against "
                                            "(.ci/run installs and starts one)"),
]

TABLES = {"uploads", "reviews", "overrides", "llm_cache"}
RESULT: dict[str, Any] = {
    "scope": "in_scope", "language": "zh",
    "profile": {"modality": "aav", "routes": ["静脉注射"], "evidence": {"modality": {"page": 1, "quote": "腺相关病毒载体"}}},
    "items": [
        {"requirement_id": "TOX-GROUPS", "status": "partial", "rationale": "未设置中剂量组",
         "clause": {"anchor": "2.3.1(3)", "title": "分组"}, "evidence": [{"page": 3, "quote": "高剂量组和对照组"}]},
        {"requirement_id": "PK-SHEDDING", "status": "missing", "rationale": "未见排泄研究\x00（原文如此）"},
        {"requirement_id": "GEN-GLP", "status": "met", "rationale": "符合 GLP 要求"},
    ],
}


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The test database's URL with search_path set to a fresh schema, dropped after the test."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(BASE_URL)
    assert admin.dialect.name == "postgresql", f"{URL_ENV} must be a postgresql+psycopg:// URL"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(BASE_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def repo(pg_url: str, tmp_path: Path) -> Iterator[Repository]:
    r = Repository(pg_url, tmp_path / "uploads")
    r.create_tables()
    yield r
    r.close()


def _scalar(repo: Repository, sql: str, **params: Any) -> Any:
    with repo.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_tables_created_in_own_schema(repo: Repository) -> None:
    assert repo.engine.dialect.name == "postgresql" and repo.engine.driver == "psycopg"
    schema = _scalar(repo, "SELECT current_schema()")
    assert schema.startswith("t_")
    assert _scalar(repo, "SHOW server_encoding") == "UTF8"
    assert set(inspect(repo.engine).get_table_names(schema=schema)) == TABLES
    repo.create_tables()  # idempotent, as at every service start
    columns = {c["name"]: c["type"] for c in inspect(repo.engine).get_columns("reviews", schema=schema)}
    assert type(columns["result"]).__name__ == "JSON"
    assert getattr(columns["created_at"], "timezone", False)


def test_review_lifecycle(repo: Repository) -> None:
    name = "基因治疗非临床研究计划（第二版）.pdf"
    up = repo.save_upload(PDF, name)
    assert repo.save_upload(PDF, "again.pdf").filename == name  # one row per content hash
    assert up.sha256 == hashlib.sha256(PDF).hexdigest() and repo.read_upload(up.sha256) == PDF
    first = repo.create_review(up.sha256, name, {"modality": "aav", "routes": ["鞘内注射"]})
    second = repo.create_review(up.sha256, "b.pdf")
    assert [r.id for r in repo.list_reviews()] == [second.id, first.id]
    # characters, not bytes: the database is UTF-8 and the column holds the text as text
    assert _scalar(repo, "SELECT length(filename) FROM reviews WHERE id = :id", id=first.id) == len(name)

    got = repo.get_review(first.id)
    assert got is not None and (got.state, got.progress, got.result) == ("queued", 0.0, None)
    assert got.overrides == {"modality": "aav", "routes": ["鞘内注射"]}
    assert repo.mark_running(first.id)
    assert repo.set_progress(first.id, "解析 PDF", 0.25)
    got = repo.get_review(first.id)
    assert got is not None and (got.state, got.stage, got.progress) == ("running", "解析 PDF", 0.25)
    assert not repo.requeue(first.id)  # running: not re-queued

    assert repo.mark_done(first.id, RESULT)
    got = repo.get_review(first.id)
    assert got is not None and got.state == "done" and got.result == RESULT
    assert (got.modality, got.gap_count, got.progress, got.stage) == ("aav", 2, 1.0, "done")
    assert isinstance(got.created_at, datetime) and got.created_at.tzinfo is not None
    assert got.updated_at >= got.created_at
    assert repo.requeue(first.id)
    got = repo.get_review(first.id)
    assert got is not None and (got.state, got.result, got.gap_count) == ("queued", None, None)

    # what SQLite lets through and PostgreSQL refuses: NUL characters, values longer than the column
    assert repo.mark_failed(second.id, "x" * 100, "解析失败：\x00第 3 页")
    got = repo.get_review(second.id)
    assert got is not None and got.error_code == "x" * 64 and got.error_message == "解析失败：第 3 页"
    long_name = "计划" * 200 + ".pdf"
    assert repo.create_review(up.sha256, long_name).filename == long_name[:255]
    repo.mark_done(second.id, {"profile": {"modality": "病毒" * 40}, "items": []})
    got = repo.get_review(second.id)
    assert got is not None and got.modality == "病毒" * 16 and got.result["profile"]["modality"] == "病毒" * 40
    assert repo.get_review("missing") is None and not repo.mark_running("missing")


def test_overrides_history_latest_wins(repo: Repository) -> None:
    rid = repo.create_review(repo.save_upload(PDF, "plan.pdf").sha256, "plan.pdf").id
    repo.add_override(rid, "A", "met", "见表 2", "李")
    repo.add_override(rid, "A", "justified", "第 9 页有论证\x00", "王" * 300)
    repo.add_override(rid, "B", "met")
    current = repo.current_overrides(rid)
    assert {k: v.status for k, v in current.items()} == {"A": "justified", "B": "met"}
    assert current["A"].comment == "第 9 页有论证" and current["A"].author == "王" * 200
    assert current["A"].as_dict()["at"].endswith("+00:00")
    repo.add_override(rid, "B", None)  # withdrawn
    assert set(repo.current_overrides(rid)) == {"A"}
    assert [o.status for o in repo.override_history(rid, "B")] == [None, "met"]
    assert [o.comment for o in repo.override_history(rid, "A")] == ["第 9 页有论证", "见表 2"]


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
    assert _scalar(repo, "SELECT count(*) FROM uploads") == 0
    assert not repo.delete_review(b)


def test_llm_cache(repo: Repository) -> None:
    key = llm_cache_key("qwen", "adjudicate-v1", "abc")
    assert repo.llm_cache_get(key) is None
    repo.llm_cache_put(key, {"status": "met", "rationale": "计划第 3 页写明了给药途径"})
    repo.llm_cache_put(key, {"status": "partial", "rationale": "缺少中剂量组"})  # replaces
    assert repo.llm_cache_get(key) == {"status": "partial", "rationale": "缺少中剂量组"}
    assert _scalar(repo, "SELECT count(*) FROM llm_cache") == 1
    cache = StoreLlmCache(repo)  # what service.llm.cache.cached_complete takes
    cache.put("k" * 64, {"answer": [1, 2.5, None, True]})
    assert cache.get("k" * 64) == {"answer": [1, 2.5, None, True]} and cache.get("x") is None


# --------------------------------------------------------------------------- the HTTP API


@pytest.fixture
def pg_settings(pg_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=pg_url, embedder="fake", data_dir=tmp_path / "var", cache_dir=tmp_path / "cache")


def test_api_end_to_end(pg_settings: Settings) -> None:
    fake = FakeReview()
    with TestClient(make_app(pg_settings, fake)) as c:
        rid = submit_done(c, name="plan-v2.pdf")
        body = c.get(f"/v1/reviews/{rid}").json()
        assert body["filename"] == "plan-v2.pdf" and body["progress"] == 1.0
        titles = {i["requirement_id"]: i["clause"]["title"] for i in body["result"]["items"]}
        assert titles == {rid_: title for rid_, _, title, _ in ITEMS}  # Chinese clause titles round-trip
        listed = c.get("/v1/reviews").json()
        assert [r["id"] for r in listed] == [rid] and listed[0]["gap_count"] == 2

        url = f"/v1/reviews/{rid}/items/TOX-GROUPS/override"
        assert c.put(url, json={"status": "met", "comment": "表 3 有中剂量组", "author": "李"}).status_code == 200
        c.put(url, json={"status": "justified", "comment": "第 9 页有论证", "author": "王"})
        assert c.post(f"/v1/reviews/{rid}/rerun").status_code == 202
        assert wait_for(c, rid)["state"] == "done" and len(fake.calls) == 2

    repo = Repository(pg_settings.effective_database_url, pg_settings.uploads_dir)  # as a dead process left it
    stuck = repo.create_review(repo.save_upload(PDF + b"stuck", "卡住.pdf").sha256, "卡住.pdf").id
    repo.mark_running(stuck)
    repo.close()
    with TestClient(make_app(pg_settings, fake)) as c:  # a restart on the same database
        body = c.get(f"/v1/reviews/{stuck}").json()
        assert body["state"] == "failed" and body["error"]["code"] == "interrupted"
        assert body["filename"] == "卡住.pdf"
        items = {i["requirement_id"]: i for i in c.get(f"/v1/reviews/{rid}/checklist").json()["items"]}
        assert items["TOX-GROUPS"]["status"] == "partial"  # the machine verdict stays
        assert items["TOX-GROUPS"]["override"] | {"at": None} == {
            "status": "justified", "comment": "第 9 页有论证", "author": "王", "at": None}
        assert c.delete(url).status_code == 204
        history = c.get(f"/v1/reviews/{rid}/overrides").json()
        assert [(h["status"], h["comment"]) for h in history] == [
            (None, ""), ("justified", "第 9 页有论证"), ("met", "表 3 有中剂量组")]
        md = c.get(f"/v1/reviews/{rid}/checklist", params={"format": "md", "lang": "zh"})
        assert md.status_code == 200 and "分组" in md.text

        uploads = sorted(pg_settings.uploads_dir.glob("*.pdf"))
        assert len(uploads) == 2
        for review_id in (rid, stuck):
            assert c.delete(f"/v1/reviews/{review_id}").status_code == 204
            assert c.get(f"/v1/reviews/{review_id}").status_code == 404
        assert c.get("/v1/reviews").json() == [] and not any(p.exists() for p in uploads)
