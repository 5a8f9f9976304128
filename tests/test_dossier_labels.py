"""The committed labelled dossiers (plan.pdf + labels.json) agree with each other and with the spec.

The PDFs and labels.json are build outputs of ``python -m evals.dossiers.render``; this test only
reads them, it never rebuilds.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from evals.dossiers.render import (
    DOSSIERS_DIR,
    EVIDENCED,
    SPEC_IDS,
    STATUSES,
    pdf_page_texts,
    validate_labels,
)
from service.textnorm import quote_on_page

FOLDERS = sorted(p.parent for p in DOSSIERS_DIR.rglob("labels.json") if (p.parent / "plan.pdf").is_file())


def _id(folder: Path) -> str:
    return str(folder.relative_to(DOSSIERS_DIR))


@cache
def _pages(folder: Path) -> tuple[str, ...]:
    return tuple(pdf_page_texts(folder / "plan.pdf"))


def _labels(folder: Path) -> dict:
    return json.loads((folder / "labels.json").read_text(encoding="utf-8"))


def test_dossiers_exist() -> None:
    assert FOLDERS, f"no dossier with plan.pdf + labels.json under {DOSSIERS_DIR}"


@pytest.mark.parametrize("folder", FOLDERS, ids=_id)
def test_labels_valid(folder: Path) -> None:
    labels = _labels(folder)
    pages = _pages(folder)
    problems = validate_labels(labels, _id(folder), page_count=len(pages))
    assert not problems, "\n".join(problems)
    assert set(labels) <= {"id", "language", "scope", "scope_reason", "profile", "requirements"}
    if labels["scope"] == "in_scope":
        assert set(labels["requirements"]) == set(SPEC_IDS)
    else:
        assert labels["requirements"] == {}
        assert labels["scope_reason"]
    for rid, item in labels["requirements"].items():
        assert set(item) == {"status", "pages", "quote", "why"}, rid
        assert item["status"] in STATUSES, rid
        assert all(1 <= p <= len(pages) for p in item["pages"]), rid
        if item["status"] in EVIDENCED:
            assert item["quote"].strip(), f"{rid}: gold {item['status']} without a quote"
            assert item["pages"], f"{rid}: gold {item['status']} without pages"


@pytest.mark.parametrize("folder", FOLDERS, ids=_id)
def test_quotes_on_gold_pages(folder: Path) -> None:
    labels = _labels(folder)
    pages = _pages(folder)
    wrong = []
    for rid, item in labels["requirements"].items():
        quote = item["quote"]
        if not quote.strip():
            continue
        if not item["pages"]:
            wrong.append(f"{rid}: quote without pages")
        for p in item["pages"]:
            if not quote_on_page(quote, pages[p - 1]):
                wrong.append(f"{rid}: quote not on page {p}: {quote!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("folder", FOLDERS, ids=_id)
def test_language_matches_pdf(folder: Path) -> None:
    from service.textnorm import is_cjk_text

    labels = _labels(folder)
    body = "\n".join(_pages(folder)[1:])
    assert is_cjk_text(body) == (labels["language"] == "zh")


@pytest.mark.parametrize("folder", FOLDERS, ids=_id)
def test_labels_json_is_current(folder: Path) -> None:
    """labels.json was built from the committed labels.src.yaml (re-run the renderer after editing it)."""
    import yaml

    src_path = folder / "labels.src.yaml"
    if not src_path.is_file():
        pytest.skip("no labels.src.yaml (external dossier)")
    src = yaml.safe_load(src_path.read_text(encoding="utf-8"))
    labels = _labels(folder)
    for key in ("id", "language", "scope", "profile"):
        assert labels[key] == src[key], f"{key} differs from labels.src.yaml: re-run the renderer"
    src_reqs = src.get("requirements") or {}
    assert set(labels["requirements"]) == set(src_reqs)
    for rid, item in labels["requirements"].items():
        want = src_reqs[rid]
        got = (item["status"], item["quote"], item["why"])
        assert got == (want["status"], str(want.get("quote") or ""), str(want["why"]).strip()), (
            f"{rid} differs from labels.src.yaml: re-run python -m evals.dossiers.render {folder}"
        )
