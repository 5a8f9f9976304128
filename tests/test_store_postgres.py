"""What only PostgreSQL has: the schema, encoding and driver, and the review HTTP API end to end on it.

The store's behaviour (lifecycle, overrides, interruption, deletion, LLM cache, runner) is tested once for
both backends in test_store.py. .ci/run installs and starts PostgreSQL and sets
DOSSIER_REVIEW_TEST_POSTGRES_URL; without it every test here skips. Each test runs in a schema of its own
(see store_backends).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from store_backends import (
    BASE_URL,
    NO_POSTGRES,
    open_repository,
    pg_url_fixture,  # noqa: F401 (the pg_url fixture)
    scalar,
)
from test_reviews_api import ITEMS, PDF, FakeReview, make_app, make_stale, submit_done, wait_for

from service.settings import Settings
from service.store import Repository

pytestmark = [pytest.mark.integration, pytest.mark.skipif(not BASE_URL, reason=NO_POSTGRES)]

TABLES = {"uploads", "reviews", "overrides", "llm_cache"}


@pytest.fixture
def repo(pg_url: str, tmp_path: Path) -> Iterator[Repository]:
    with open_repository(pg_url, tmp_path / "uploads") as r:
        yield r


def test_tables_created_in_own_schema(repo: Repository) -> None:
    assert repo.engine.dialect.name == "postgresql" and repo.engine.driver == "psycopg"
    schema = scalar(repo, "SELECT current_schema()")
    assert schema.startswith("t_")
    assert scalar(repo, "SHOW server_encoding") == "UTF8"
    assert set(inspect(repo.engine).get_table_names(schema=schema)) == TABLES
    repo.create_tables()  # idempotent, as at every service start
    columns = {c["name"]: c["type"] for c in inspect(repo.engine).get_columns("reviews", schema=schema)}
    assert type(columns["result"]).__name__ == "JSON"
    assert getattr(columns["created_at"], "timezone", False)


def test_timestamps_come_back_timezone_aware(repo: Repository) -> None:
    """timestamptz through psycopg; SQLite hands them back naive (service.store.models.as_utc)."""
    rid = repo.create_review(repo.save_upload(PDF, "plan.pdf").sha256, "plan.pdf").id
    assert repo.mark_running(rid)
    got = repo.get_review(rid)
    assert got is not None and isinstance(got.created_at, datetime) and got.created_at.tzinfo is not None
    assert got.updated_at.tzinfo is not None and got.updated_at >= got.created_at


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
    make_stale(repo, stuck)  # its process stopped beating two minutes ago
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
