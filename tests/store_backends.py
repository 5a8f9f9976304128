"""The review store's backends for tests: SQLite (always) and a real PostgreSQL (when configured).

.ci/run installs and starts PostgreSQL and sets DOSSIER_REVIEW_TEST_POSTGRES_URL
(postgresql+psycopg://user:password@127.0.0.1:5432/dossier_review_test); without it PostgreSQL tests skip.
Each PostgreSQL test runs in a schema of its own (search_path set through the URL) that is dropped
afterwards, so runs repeat cleanly and never touch other tables of that database.

Import the fixtures by their function names (pytest finds them by their `name=`), e.g.
`from store_backends import pg_url_fixture  # noqa: F401`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.store import Repository

URL_ENV = "DOSSIER_REVIEW_TEST_POSTGRES_URL"
BASE_URL = os.environ.get(URL_ENV, "")
NO_POSTGRES = f"{URL_ENV} is unset: no PostgreSQL to test against (.ci/run installs and starts one)"

# params of a fixture that runs a test once per backend; the PostgreSQL run counts as an integration test
BACKENDS = [pytest.param("sqlite", id="sqlite"),
            pytest.param("postgres", id="postgres", marks=pytest.mark.integration)]


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """The test database's URL with search_path set to a fresh schema, dropped afterwards.
    Skips the test when no PostgreSQL is configured."""
    if not BASE_URL:
        pytest.skip(NO_POSTGRES)
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


@contextmanager
def open_repository(url: str, uploads_dir: Path) -> Iterator[Repository]:
    """A repository on the URL with its tables created, closed afterwards."""
    repo = Repository(url, uploads_dir)
    repo.create_tables()
    try:
        yield repo
    finally:
        repo.close()


def scalar(repo: Repository, sql: str, **params: Any) -> Any:
    """One value of raw SQL, straight from the database (not through the repository)."""
    with repo.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


@pytest.fixture(name="pg_url")
def pg_url_fixture() -> Iterator[str]:
    """The PostgreSQL URL of a schema of the test's own (see postgres_schema_url)."""
    with postgres_schema_url() as url:
        yield url
