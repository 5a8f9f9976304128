"""The reviewer web UI without a browser: pages, language choice, page images with highlights."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pytest
from conftest_browser import GROUPS, NECROPSY, ROW_HIGH, FakeReview
from fastapi.testclient import TestClient
from pdf_factory import image_only_pdf, make_sample_plan
from PIL import Image

from service.api.app import create_app
from service.domain import ProductProfile, ReviewResult
from service.settings import Settings
from service.textnorm import normalize_ws
from service.web.pdfpages import find_highlight, render_page

DOSSIERS = Path(__file__).resolve().parents[1] / "evals" / "dossiers"


def make_client(tmp_path: Path, review_fn: Any = None) -> TestClient:
    settings = Settings(embedder="fake", data_dir=tmp_path / "var", cache_dir=tmp_path / "cache")
    app = create_app(settings, warm=False)
    app.state.review_fn = review_fn or FakeReview()
    return TestClient(app)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path) as c:
        yield c


def submit(client: TestClient, data: bytes, name: str = "plan.pdf", profile: str | None = None) -> str:
    form = {"profile": profile} if profile else {}
    r = client.post("/v1/reviews", files={"file": (name, data, "application/pdf")}, data=form)
    assert r.status_code == 202, r.text
    review_id: str = r.json()["id"]
    client.app.state.runner.wait(review_id, timeout=30)  # type: ignore[attr-defined]
    return review_id


@pytest.fixture
def done(client: TestClient) -> str:
    return submit(client, make_sample_plan(None, "zh"), "XX-AAV.pdf", '{"clinical_dosing": "single"}')


# ------------------------------------------------------------------ pages and language


def test_pages_render_in_both_languages(client: TestClient) -> None:
    for lang, word in (("zh", "条款检索"), ("en", "Guideline lookup")):
        for url in ("/reviews", "/reviews/new", "/clauses", "/clauses/2.3.1(3)", "/clauses/2"):
            r = client.get(url, params={"lang": lang})
            assert r.status_code == 200, url
            assert word in r.text and f'lang="{"zh-CN" if lang == "zh" else "en"}"' in r.text
    assert client.get("/", follow_redirects=False).headers["location"] == "/reviews"


def test_language_choice_is_remembered_and_redirect_is_local(client: TestClient) -> None:
    r = client.get("/lang/en", params={"next": "/clauses?q=GLP"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/clauses?q=GLP"
    assert 'lang="en"' in client.get("/reviews").text  # the cookie now decides
    assert client.get("/lang/zh", params={"next": "//evil.example"}, follow_redirects=False).headers[
        "location"] == "/reviews"
    fresh = TestClient(client.app)
    assert 'lang="en"' in fresh.get("/reviews", headers={"accept-language": "en-GB,en"}).text
    assert 'lang="zh-CN"' in fresh.get("/reviews", headers={"accept-language": "zh-CN,zh"}).text


def test_clause_page_has_a_stable_url_path_and_requirements(client: TestClient) -> None:
    r = client.get("/clauses/2.3.1(3)")
    assert "分组" in r.text and "TOX-GROUPS" in r.text
    assert 'href="/clauses/2.3.1"' in r.text and 'aria-current="page"' in r.text
    missing = client.get("/clauses/9.9")
    assert missing.status_code == 404 and "9.9" in missing.text


def test_lookup_ranks_highlights_and_says_no_match(client: TestClient) -> None:
    zh = client.get("/clauses", params={"q": "生物分布研究的取样时间点"}).text
    first = zh.split('class="card hit"')[1]
    assert 'href="/clauses/2.2.2"' in first and "PK-BD-TIMEPOINTS" in first and "<mark>" in first
    en = client.get("/clauses", params={"q": "biodistribution sampling time points", "lang": "en"}).text
    assert 'href="/clauses/2.2.2"' in en.split('class="card hit"')[1]
    assert re.search(r"<mark>[Bb]iodistribution</mark>", en)
    none = client.get("/clauses", params={"q": "what is the price of bitcoin"}).text
    assert 'id="no-match"' in none and 'class="card hit"' not in none
    too_long = client.get("/clauses", params={"q": "x" * 3000})
    assert too_long.status_code == 200 and "limit" in too_long.text


# ------------------------------------------------------------------ reviews


def test_checklist_page_shows_summary_profile_groups_and_quotes(client: TestClient, done: str) -> None:
    html = client.get(f"/reviews/{done}").text
    assert html.count('class="item"') == 44
    assert 'data-count="missing"' in html and "产品类型" in html and "上传时指定" in html
    assert f'data-quote="{GROUPS}"' in html and "2.3.1(3)" in html
    assert f"/v1/reviews/{done}/checklist?format=xlsx" in html
    listing = client.get("/reviews").text
    assert "XX-AAV.pdf" in listing and "腺相关病毒" in listing


def test_override_is_shown_beside_the_machine_verdict(client: TestClient, done: str) -> None:
    url = f"/v1/reviews/{done}/items/TOX-SEX-AGE/override"
    assert client.put(url, json={"status": "met", "comment": "见附件", "author": "王审评"}).status_code == 200
    item = client.get(f"/reviews/{done}").text.split('id="item-TOX-SEX-AGE"')[1].split("</article>")[0]
    assert 'data-role="effective">符合' in item and 'data-role="machine">部分符合' in item
    assert "王审评" in item and "见附件" in item
    assert client.delete(url).status_code == 204
    item = client.get(f"/reviews/{done}").text.split('id="item-TOX-SEX-AGE"')[1].split("</article>")[0]
    assert 'data-role="effective"' not in item


def test_override_survives_a_restart(tmp_path: Path) -> None:
    with make_client(tmp_path) as c:
        review_id = submit(c, make_sample_plan(None, "zh"))
        c.put(f"/v1/reviews/{review_id}/items/GEN-GLP/override", json={"status": "missing", "author": "李"})
    with make_client(tmp_path) as c:  # a new process on the same data dir
        item = c.get(f"/reviews/{review_id}").text.split('id="item-GEN-GLP"')[1].split("</article>")[0]
    assert 'data-role="effective">缺失' in item and 'data-role="machine">已说明理由' in item and "李" in item


def test_failed_review_explains_and_reruns(client: TestClient) -> None:
    review_id = submit(client, image_only_pdf(), "scan.pdf")
    html = client.get(f"/reviews/{review_id}").text
    assert "no text layer" in html and "文字层" in html and 'id="rerun-button"' in html
    r = client.post(f"/reviews/{review_id}/rerun", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/reviews/{review_id}"


def test_delete_from_the_page(client: TestClient, done: str) -> None:
    r = client.post(f"/reviews/{done}/delete", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/reviews"
    assert client.get(f"/reviews/{done}").status_code == 404


def test_out_of_scope_review_says_so(tmp_path: Path) -> None:
    def out_of_scope(data: bytes, **_: Any) -> ReviewResult:
        return ReviewResult(scope="out_of_scope", scope_reason="CAR-T: a genetically modified cell product",
                            profile=ProductProfile())

    with make_client(tmp_path, out_of_scope) as c:
        review_id = submit(c, make_sample_plan(None, "en"))
        html = c.get(f"/reviews/{review_id}", params={"lang": "en"}).text
    assert "Out of scope" in html and "CAR-T" in html and 'class="item"' not in html


# ------------------------------------------------------------------ page images


def test_page_image_endpoint_highlights_and_caches(client: TestClient, done: str, tmp_path: Path) -> None:
    r = client.get(f"/v1/reviews/{done}/pages/1.png", params={"quote": GROUPS})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert int(r.headers["x-highlight-chars"]) >= len(GROUPS.replace(" ", "")) - 2
    assert Image.open(io.BytesIO(r.content)).size[0] > 1000
    meta = client.get(f"/v1/reviews/{done}/pages/1/highlight", params={"quote": GROUPS}).json()
    assert meta["found"] and meta["pages"] == 2 and len(meta["boxes"]) == 2  # across a line break
    assert client.get(f"/v1/reviews/{done}/pages").json() == {"pages": 2}
    cached = list((tmp_path / "var" / "uploads").glob("*.derived/*.png"))
    assert cached
    for bad in ("0", "3"):
        assert client.get(f"/v1/reviews/{done}/pages/{bad}.png").status_code == 404
    assert client.get("/v1/reviews/nope/pages/1.png").status_code == 404
    assert client.get(f"/v1/reviews/{done}/pages/x.png").status_code == 422
    # regression: rendered pages went on living after their review (and upload) was deleted
    assert client.delete(f"/v1/reviews/{done}").status_code == 204
    assert not any(p.exists() for p in cached)


def test_quotes_are_found_across_lines_and_in_table_rows() -> None:
    with pdfplumber.open(io.BytesIO(make_sample_plan(None, "zh"))) as pdf:
        page = pdf.pages[0]
        for quote, lines in ((GROUPS, 2), (NECROPSY, 2), (ROW_HIGH, 3)):
            h = find_highlight(page, quote)
            assert h.found and len(h.boxes) >= lines, quote
        assert not find_highlight(page, "完全不在页面上的一句话").found


@pytest.mark.parametrize("dossier", ["01-aav9-iv-sma-zh", "02-aav-subretinal-en"])
def test_real_dossier_quote_spanning_a_line_break(dossier: str) -> None:
    with pdfplumber.open(DOSSIERS / dossier / "plan.pdf") as pdf:
        page = pdf.pages[1]
        lines = (page.extract_text() or "").splitlines()
        i = next(i for i in range(len(lines) - 1) if min(len(lines[i]), len(lines[i + 1])) > 30)
        quote = normalize_ws(lines[i][-12:] + "\n" + lines[i + 1][:12])
        h = find_highlight(page, quote)
    assert h.found and len(h.boxes) >= 2


def _dark_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    gray = np.asarray(image.convert("L").crop(box))
    return float((gray < 128).mean())


def test_rendered_chinese_page_is_not_blank(tmp_path: Path) -> None:
    """STSong-Light is not embedded: without a CJK font on the machine the text renders blank
    (scripts/setup.sh installs fonts-wqy-zenhei). Measured: 0.07 dark with the font, 0.016 without."""
    path = tmp_path / "zh.pdf"
    make_sample_plan(path, "zh")
    rendered = render_page(path, 1, resolution=72)
    image = Image.open(io.BytesIO(rendered.png))
    w, h = image.size
    text_area = (int(w * 0.1), int(h * 0.1), int(w * 0.9), int(h * 0.5))
    assert _dark_share(image, text_area) > 0.04, "Chinese text rendered blank: install a CJK font"
    rgb = np.asarray(Image.open(io.BytesIO(render_page(path, 1, GROUPS, resolution=72).png)).convert("RGB"))
    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    yellow = int(((r > 200) & (g > 180) & (b < r - 50)).sum())  # the highlight tint
    assert yellow > 200
