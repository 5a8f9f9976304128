"""The reviewer web UI end to end in real headless Chromium (Debian /usr/bin/chromium + Playwright).

A live uvicorn server (temp data dir, fake embedder, a fast fake review whose quotes are on the
uploaded plan's pages). Screenshots of the main pages go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_browser import FakeReview, live_server
from pdf_factory import image_only_pdf, make_sample_plan

from service.api.app import create_app
from service.settings import Settings

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
TIMEOUT = 30_000

if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian chromium at /usr/bin/chromium (scripts/setup.sh --with-browser)",
                allow_module_level=True)
try:
    from playwright.sync_api import Browser, FilePayload, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - the dev extra is not installed
    pytest.skip("the playwright Python package is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("web")
    settings = Settings(embedder="fake", data_dir=tmp / "var", cache_dir=tmp / "cache")
    app = create_app(settings, warm=False)
    app.state.review_fn = FakeReview(seconds=2.5)
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 860}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT)
    p = context.new_page()
    yield p
    context.close()


def shot(page: Page, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def upload(page: Page, name: str, data: bytes, mime: str = "application/pdf", *, goto: bool = True) -> None:
    if goto:
        page.goto("/reviews/new")
    page.set_input_files("#file", files=FilePayload(name=name, mimeType=mime, buffer=data))
    page.get_by_role("button", name=re.compile("开始审评|Start review")).click()


def test_lookup_in_chinese(page: Page) -> None:
    page.goto("/clauses")
    page.get_by_label("问题").fill("生物分布研究的取样时间点")
    page.keyboard.press("Enter")
    first = page.locator("#hits > li").first
    first.wait_for()
    assert first.locator(".anchor-pill").inner_text() == "2.2.2"
    assert first.locator("mark").count() > 0  # matching terms highlighted
    assert "PK-BD-TIMEPOINTS" in first.locator(".reqs").inner_text()
    shot(page, "lookup-zh", full=True)
    first.locator(".anchor-pill").click()
    page.wait_for_url(re.compile(r"/clauses/2\.2\.2$"))
    assert page.locator(".outline a[aria-current=page]").inner_text().startswith("2.2.2")
    page.goto("/clauses/2.3.1(3)")
    assert "分组" in page.locator("h1").inner_text()
    shot(page, "clause-2.3.1(3)")


def test_lookup_in_english_and_no_match(page: Page) -> None:
    page.goto("/clauses")
    page.locator(".lang-switch").click()
    page.wait_for_selector("html[lang=en]")
    page.get_by_label("Question").fill("biodistribution sampling time points")
    page.get_by_role("button", name="Search").click()
    first = page.locator("#hits > li").first
    first.wait_for()
    assert first.locator(".anchor-pill").inner_text() == "2.2.2"
    assert first.locator(".gloss mark").count() > 0
    shot(page, "lookup-en", full=True)
    page.get_by_label("Question").fill("what is the price of bitcoin")
    page.keyboard.press("Enter")
    page.locator("#no-match").wait_for()
    assert page.locator("#hits").count() == 0
    shot(page, "lookup-no-match")
    page.goto("/reviews")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "en"


def test_upload_progress_checklist_evidence_and_override(page: Page, base_url: str) -> None:
    page.goto("/reviews/new")
    page.get_by_label("临床给药方案").select_option("single")
    page.get_by_label("静脉").check()
    shot(page, "upload")
    upload(page, "XX-AAV-plan.pdf", make_sample_plan(None, "zh"), goto=False)
    page.wait_for_url(re.compile(r"/reviews/[0-9a-f]{32}$"))
    review_id = page.url.rsplit("/", 1)[1]
    page.locator("#progress").wait_for()
    page.wait_for_function("Number(document.getElementById('progressbar')?.getAttribute('aria-valuenow')) > 0")
    shot(page, "progress")
    page.locator(".summary").wait_for()  # the page turned into the result
    assert page.locator(".item").count() >= 44
    assert page.locator("[data-count=missing]").inner_text().isdigit()
    profile = page.locator(".profile-table")
    assert "AAV" in profile.inner_text()
    assert profile.locator("tr", has_text="临床给药方案").locator(".tag").count() == 1  # set at upload
    shot(page, "checklist")
    shot(page, "checklist-full", full=True)

    page.get_by_role("button", name=re.compile("^缺失")).click()
    visible = page.locator(".item:visible")
    assert visible.count() > 0
    assert set(visible.evaluate_all("els => els.map(e => e.dataset.status)")) == {"missing"}
    page.get_by_role("button", name=re.compile("^全部")).click()

    item = page.locator("#item-TOX-GROUPS")
    item.locator("button.quote").first.focus()  # keyboard: a quote is a real button
    page.keyboard.press("Enter")
    viewer = page.locator("#viewer")
    viewer.wait_for()
    page.wait_for_function("(() => { const i = document.getElementById('viewer-img');"
                           " return i && i.complete && i.naturalWidth > 0 && !i.hidden; })()")
    assert page.locator("#viewer-warn").is_hidden()  # the quote was located on the page
    assert "2.3.1(3)" in page.locator("#viewer-clause-ref").inner_text()
    shot(page, "evidence")
    meta = page.request.get(f"/v1/reviews/{review_id}/pages/1/highlight",
                            params={"quote": item.locator("button.quote").first.get_attribute("data-quote") or ""})
    assert meta.json()["found"] and len(meta.json()["boxes"]) >= 2  # the quote spans two lines
    page.keyboard.press("Escape")
    assert viewer.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('quote')")  # focus returns

    target = page.locator("#item-TOX-SEX-AGE")
    target.locator(".override summary").click()
    target.get_by_label("复核结论").select_option("met")
    target.get_by_label("意见").fill("年龄见附件 3：2–4 岁食蟹猴。")
    target.get_by_label("审评员").fill("王审评")
    target.get_by_role("button", name="保存").click()
    page.locator("#item-TOX-SEX-AGE .override-note").wait_for()
    page.reload()
    target = page.locator("#item-TOX-SEX-AGE")
    assert target.locator("[data-role=effective]").inner_text() == "符合"
    assert target.locator("[data-role=machine]").inner_text() == "部分符合"  # machine verdict stays visible
    assert "王审评" in target.locator(".override-note").inner_text()
    target.scroll_into_view_if_needed()
    shot(page, "override")
    exported = json.loads(page.request.get(f"/v1/reviews/{review_id}/checklist?format=json").text())
    row = next(i for i in exported["items"] if i["requirement_id"] == "TOX-SEX-AGE")
    assert row["override"]["status"] == "met" and row["status"] == "partial"
    page.goto(f"/reviews/{review_id}?lang=en")
    assert page.locator("[data-count=met]").inner_text() == "7"  # counts after the override
    shot(page, "checklist-en")


def test_non_pdf_upload_shows_the_api_error(page: Page) -> None:
    upload(page, "notes.txt", b"just some notes, not a plan", "text/plain")
    error = page.locator("#upload-error")
    error.wait_for()
    assert "not a PDF" in error.inner_text()
    assert page.url.endswith("/reviews/new")
    shot(page, "upload-error")


def test_failed_review_explains_and_offers_rerun(page: Page) -> None:
    upload(page, "scan.pdf", image_only_pdf())
    page.locator("#failure-message").wait_for()
    assert "no text layer" in page.locator("#failure-message").inner_text()
    assert page.locator("#rerun-button").is_visible()
    shot(page, "failed")


def test_reviews_list_and_delete_with_confirmation(page: Page) -> None:
    upload(page, "to-delete.pdf", make_sample_plan(None, "en"))
    page.wait_for_url(re.compile(r"/reviews/[0-9a-f]{32}$"))
    page.goto("/reviews")
    row = page.locator("tr", has_text="to-delete.pdf")
    row.wait_for()
    shot(page, "reviews")
    row.get_by_role("button", name=re.compile("删除|Delete")).click()
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for()
    assert "to-delete.pdf" in dialog.inner_text()
    dialog.get_by_role("button", name=re.compile("取消|Cancel")).click()
    assert row.count() == 1
    row.get_by_role("button", name=re.compile("删除|Delete")).click()
    dialog.get_by_role("button", name=re.compile("^(删除|Delete)$")).click()
    expect(page.locator("tr", has_text="to-delete.pdf")).to_have_count(0)
