"""The review HTTP API end to end with a fake review function (hermetic: tmp data dir, no model)."""

from __future__ import annotations

import io
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.domain import ClauseRef, Evidence, ProductProfile, ReviewItem, ReviewResult, Status
from service.errors import EncryptedPdf
from service.settings import Settings
from service.store import Repository

PDF = b"%PDF-1.7\n% a plan the fake review does not parse\n%%EOF\n"
ITEMS = [("GEN-GLP", "1.3", "一般原则", Status.MET), ("TOX-GROUPS", "2.3.1(3)", "分组", Status.PARTIAL),
         ("PK-SHEDDING", "2.2.3", "排泄", Status.MISSING), ("RCV-RISK", "2.3.6", "复制型病毒", Status.NOT_APPLICABLE)]


class FakeReview:
    """Stands in for service.review.pipeline.review_pdf; records calls; can be held at a gate."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.gate: threading.Event | None = None

    def __call__(self, data: bytes, *, overrides: dict[str, Any] | None = None, settings: Settings | None = None,
                 progress: Any = None) -> ReviewResult:
        self.calls.append({"data": data, "overrides": overrides})
        if progress:
            progress("parsing", 0.1)
        if self.gate is not None:
            assert self.gate.wait(10)
        if b"ENCRYPTED" in data:
            raise EncryptedPdf("PDF is encrypted or password-protected; remove the protection")
        if b"BUG" in data:
            raise RuntimeError("a bug in the review")
        if progress:
            progress("checking requirements", 0.7)
        profile = ProductProfile.model_validate({"modality": "aav", "routes": ["iv"], **(overrides or {})})
        items = [ReviewItem(requirement_id=rid, status=st, clause=ClauseRef(anchor=a, title=t, text="…"),
                            evidence=[Evidence(page=2, quote=f"quote for {rid}")], rationale="why",
                            confidence=0.8) for rid, a, t, st in ITEMS]
        return ReviewResult(scope="in_scope", language="zh", profile=profile, items=items)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(embedder="fake", data_dir=tmp_path / "var", cache_dir=tmp_path / "cache",
                    max_upload_bytes=64 * 1024)


@pytest.fixture
def fake() -> FakeReview:
    return FakeReview()


def make_app(settings: Settings, fake: FakeReview) -> FastAPI:
    app = create_app(settings, warm=False)
    app.state.review_fn = fake
    return app


@pytest.fixture
def client(settings: Settings, fake: FakeReview):  # type: ignore[no-untyped-def]
    with TestClient(make_app(settings, fake)) as c:
        yield c


def upload(client: TestClient, data: bytes = PDF, name: str = "plan.pdf", profile: str | None = None) -> Any:
    form = {"profile": profile} if profile is not None else {}
    return client.post("/v1/reviews", files={"file": (name, data, "application/pdf")}, data=form)


def wait_for(client: TestClient, review_id: str, states: tuple[str, ...] = ("done", "failed")) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/v1/reviews/{review_id}").json()
        if body["state"] in states:
            return body
        time.sleep(0.02)
    raise AssertionError(f"review {review_id} never reached {states}")


def submit_done(client: TestClient, data: bytes = PDF, name: str = "plan.pdf") -> str:
    r = upload(client, data, name)
    assert r.status_code == 202, r.text
    assert wait_for(client, r.json()["id"])["state"] == "done"
    return str(r.json()["id"])


def test_upload_poll_result(client: TestClient, fake: FakeReview) -> None:
    r = upload(client)
    assert r.status_code == 202
    body = r.json()
    assert body["state"] == "queued" and len(body["id"]) == 32
    assert r.headers["location"] == f"/v1/reviews/{body['id']}"
    done = wait_for(client, body["id"])
    assert done["state"] == "done" and done["progress"] == 1.0 and done["error"] is None
    assert done["filename"] == "plan.pdf"
    assert {i["requirement_id"] for i in done["result"]["items"]} == {i[0] for i in ITEMS}
    assert done["result"]["profile"]["modality"] == "aav"
    assert fake.calls[0]["data"] == PDF


def test_list_newest_first(client: TestClient) -> None:
    first = submit_done(client, name="a.pdf")
    second = submit_done(client, PDF + b"x", name="b.pdf")
    listed = client.get("/v1/reviews").json()
    assert [r["id"] for r in listed] == [second, first]
    assert listed[0] == listed[0] | {"filename": "b.pdf", "state": "done", "modality": "aav", "gap_count": 2}
    assert listed[0]["created_at"]


def test_checklist_formats(client: TestClient) -> None:
    rid = submit_done(client)
    js = client.get(f"/v1/reviews/{rid}/checklist?format=json")
    assert js.status_code == 200
    items = {i["requirement_id"]: i for i in js.json()["items"]}
    assert items["TOX-GROUPS"]["status"] == "partial" and items["TOX-GROUPS"]["override"] is None
    md = client.get(f"/v1/reviews/{rid}/checklist", params={"format": "md", "lang": "en"})
    assert md.headers["content-type"].startswith("text/markdown")
    assert "TOX-GROUPS" in md.text and "2.3 Toxicology" in md.text
    xl = client.get(f"/v1/reviews/{rid}/checklist?format=xlsx")
    assert "attachment" in xl.headers["content-disposition"]
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xl.content))
    assert wb.sheetnames == ["Checklist", "Profile", "Summary"]
    ws = wb["Checklist"]
    assert ws["A1"].value == "Requirement" and ws["D1"].value == "Status"
    assert [ws.cell(row=r, column=4).value for r in range(2, 6)] == [s.value for *_, s in ITEMS]
    assert client.get(f"/v1/reviews/{rid}/checklist?format=pdf").status_code == 422


def test_checklist_conflict_while_running(client: TestClient, fake: FakeReview) -> None:
    fake.gate = threading.Event()
    rid = upload(client).json()["id"]
    wait_for(client, rid, ("running",))
    r = client.get(f"/v1/reviews/{rid}/checklist")
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    assert client.post(f"/v1/reviews/{rid}/rerun").status_code == 409
    fake.gate.set()
    assert wait_for(client, rid)["state"] == "done"


def test_override_kept_across_restart(settings: Settings, fake: FakeReview) -> None:
    with TestClient(make_app(settings, fake)) as c:
        rid = submit_done(c)
        url = f"/v1/reviews/{rid}/items/TOX-GROUPS/override"
        r = c.put(url, json={"status": "met", "comment": "mid dose in table 3", "author": "li"})
        assert r.status_code == 200 and r.json()["status"] == "met"
        c.put(url, json={"status": "justified", "comment": "argued on p. 9", "author": "wang"})
        assert c.put(url, json={"status": "fine"}).status_code == 422
        assert c.put(f"/v1/reviews/{rid}/items/NOPE/override", json={"status": "met"}).status_code == 404
        assert c.put("/v1/reviews/nope/items/TOX-GROUPS/override", json={"status": "met"}).status_code == 404
    with TestClient(make_app(settings, fake)) as c:  # a restart on the same database
        items = {i["requirement_id"]: i for i in c.get(f"/v1/reviews/{rid}/checklist").json()["items"]}
        assert items["TOX-GROUPS"]["status"] == "partial"  # the machine verdict stays
        assert items["TOX-GROUPS"]["override"] | {"at": None} == {
            "status": "justified", "comment": "argued on p. 9", "author": "wang", "at": None}
        assert c.delete(url).status_code == 204
        items = {i["requirement_id"]: i for i in c.get(f"/v1/reviews/{rid}/checklist").json()["items"]}
        assert items["TOX-GROUPS"]["override"] is None
        history = c.get(f"/v1/reviews/{rid}/overrides").json()
        assert [h["status"] for h in history] == [None, "justified", "met"]


def test_delete_removes_review_and_unused_upload(client: TestClient, settings: Settings) -> None:
    a = submit_done(client, name="a.pdf")
    b = submit_done(client, name="same-bytes.pdf")
    files = list(settings.uploads_dir.glob("*.pdf"))
    assert len(files) == 1  # deduplicated by hash
    client.put(f"/v1/reviews/{a}/items/GEN-GLP/override", json={"status": "missing"})
    assert client.delete(f"/v1/reviews/{a}").status_code == 204
    assert client.get(f"/v1/reviews/{a}").status_code == 404
    assert files[0].exists()  # still used by b
    assert client.delete(f"/v1/reviews/{b}").status_code == 204
    assert not files[0].exists()
    assert client.delete(f"/v1/reviews/{b}").status_code == 404


def test_rerun(client: TestClient, fake: FakeReview) -> None:
    rid = submit_done(client)
    r = client.post(f"/v1/reviews/{rid}/rerun")
    assert r.status_code == 202 and r.json()["id"] == rid
    assert wait_for(client, rid)["state"] == "done"
    assert len(fake.calls) == 2 and fake.calls[1]["data"] == PDF
    assert client.post("/v1/reviews/nope/rerun").status_code == 404


def test_too_large(client: TestClient, settings: Settings) -> None:
    r = upload(client, PDF + b"0" * settings.max_upload_bytes)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large" and str(settings.max_upload_bytes) in r.json()["error"]["message"]
    r = upload(client, PDF + b"0" * (3 * 1024 * 1024))  # refused while streaming, past the form allowance
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"

    def chunked() -> Any:  # no Content-Length: counted as it streams in
        yield b'--B\r\nContent-Disposition: form-data; name="file"; filename="p.pdf"\r\n\r\n%PDF-1.4\n'
        for _ in range(48):
            yield b"0" * 65536
        yield b"\r\n--B--\r\n"

    r = client.post("/v1/reviews", content=chunked(), headers={"content-type": "multipart/form-data; boundary=B"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert client.get("/v1/reviews").json() == []


def test_not_a_pdf_by_content(client: TestClient) -> None:
    r = upload(client, "这不是 PDF，只是文本。\n".encode(), name="plan.pdf")
    assert r.status_code == 415 and r.json()["error"]["code"] == "invalid_pdf"


def test_profile_field(client: TestClient, fake: FakeReview) -> None:
    r = upload(client, profile="{not json")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_profile"
    assert "JSON" in r.json()["error"]["message"]
    r = upload(client, profile='{"modality": "aav", "colour": "red"}')
    assert r.status_code == 422 and "colour" in r.json()["error"]["message"]
    assert upload(client, profile='["aav"]').status_code == 422
    assert upload(client, profile='{"clinical_dosing": "weekly"}').status_code == 422
    r = upload(client, profile='{"modality": "lentivirus", "integrating": true}')
    assert r.status_code == 202
    done = wait_for(client, r.json()["id"])
    assert fake.calls[-1]["overrides"] == {"modality": "lentivirus", "integrating": True}
    assert done["result"]["profile"]["modality"] == "lentivirus"


def test_background_failures(client: TestClient) -> None:
    enc = upload(client, PDF + b"ENCRYPTED").json()["id"]
    body = wait_for(client, enc)
    assert body["state"] == "failed" and body["error"]["code"] == "encrypted_pdf"
    assert "encrypted" in body["error"]["message"] and body["result"] is None
    bug = upload(client, PDF + b"BUG").json()["id"]
    assert wait_for(client, bug)["error"]["code"] == "internal_error"


def make_stale(repo: Repository, *review_ids: str, seconds: float = 120) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from service.store.models import Review

    with repo.session() as s:
        s.execute(update(Review).where(Review.id.in_(review_ids))
                  .values(updated_at=datetime.now(UTC) - timedelta(seconds=seconds)))
        s.commit()


def test_live_reviews_of_another_process_are_left_alone(settings: Settings, fake: FakeReview) -> None:
    """Regression: a second server sharing the database failed the first one's running reviews."""
    repo = Repository(settings.effective_database_url, settings.uploads_dir)
    repo.create_tables()
    up = repo.save_upload(PDF, "plan.pdf")
    live = repo.create_review(up.sha256, "plan.pdf")
    repo.mark_running(live.id)  # another process is working on it right now
    with TestClient(make_app(settings, fake)) as c:
        assert c.get(f"/v1/reviews/{live.id}").json()["state"] == "running"
    make_stale(repo, live.id)  # that process died: no heartbeat for two minutes
    assert repo.mark_interrupted(stale_after=settings.review_stale_seconds) == 1
    assert repo.get_review(live.id).error_code == "interrupted"  # type: ignore[union-attr]
    repo.close()


def test_heartbeat_keeps_own_reviews_fresh_and_fails_stale_ones(settings: Settings) -> None:
    import threading as _threading

    from service.jobs import ReviewRunner

    fast = settings.model_copy(update={"review_heartbeat_seconds": 0.05, "review_stale_seconds": 1.0})
    repo = Repository(fast.effective_database_url, fast.uploads_dir)
    repo.create_tables()
    up = repo.save_upload(PDF, "plan.pdf")
    orphan = repo.create_review(up.sha256, "plan.pdf")
    make_stale(repo, orphan.id)
    gate = _threading.Event()
    runner = ReviewRunner(repo, fast, lambda data, **kw: gate.wait(5) and None)  # type: ignore[arg-type,misc]
    own = repo.create_review(up.sha256, "plan.pdf")
    runner.submit(own.id)
    time.sleep(2.5)  # longer than review_stale_seconds: without its heartbeat `own` would look dead
    assert repo.get_review(orphan.id).error_code == "interrupted"  # type: ignore[union-attr]
    assert repo.get_review(own.id).state in ("queued", "running")  # type: ignore[union-attr]
    gate.set()
    runner.shutdown(wait=True)
    repo.close()


def test_interrupted_on_startup(settings: Settings, fake: FakeReview) -> None:
    repo = Repository(settings.effective_database_url, settings.uploads_dir)
    repo.create_tables()
    up = repo.save_upload(PDF, "plan.pdf")
    running = repo.create_review(up.sha256, "plan.pdf")
    repo.mark_running(running.id)
    queued = repo.create_review(up.sha256, "plan.pdf")
    make_stale(repo, running.id, queued.id)  # their process stopped beating two minutes ago
    repo.close()
    with TestClient(make_app(settings, fake)) as c:
        for rid in (running.id, queued.id):
            body = c.get(f"/v1/reviews/{rid}").json()
            assert body["state"] == "failed" and body["error"]["code"] == "interrupted"
            assert "re-run" in body["error"]["message"]
        assert c.post(f"/v1/reviews/{running.id}/rerun").status_code == 202
        assert wait_for(c, running.id)["state"] == "done"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.integration
def test_real_server_over_http(settings: Settings, fake: FakeReview) -> None:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(make_app(settings, fake), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            health = http.get("/healthz")
            assert health.status_code == 200 and health.json()["status"] == "ok"
            r = http.post("/v1/reviews", files={"file": ("plan.pdf", PDF, "application/pdf")})
            assert r.status_code == 202
            location = r.headers["location"]
            while (body := http.get(location).json())["state"] not in ("done", "failed"):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert body["state"] == "done" and body["result"]["scope"] == "in_scope"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.parametrize("fmt", ["json", "md", "xlsx"])
def test_checklist_of_a_chinese_file_name_downloads(client: TestClient, fmt: str) -> None:
    """Regression: a non-Latin-1 file name made the Content-Disposition header fail with a 500."""
    rid = submit_done(client, name="基因治疗非临床研究计划.pdf")
    r = client.get(f"/v1/reviews/{rid}/checklist", params={"format": fmt})
    assert r.status_code == 200
    header = r.headers["content-disposition"]
    assert "filename*=UTF-8''" in header and "%E5%9F%BA" in header  # 基, percent-encoded
