"""Integration: the real e5 model, the real clause index, real PDFs, the CLI end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.lookup import lookup
from service.settings import get_settings

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.mark.parametrize(
    ("question", "anchor"),
    [
        ("生物分布研究应在何时完成？", "2.2.2"),
        ("When must the biodistribution study be completed?", "2.2.2"),
        ("Do we need to measure complement activation markers?", "2.3.2"),
        ("一般毒理学试验的分组怎么设", "2.3.1(3)"),
        ("How should the first-in-human starting dose be derived?", "3.1"),
    ],
)
def test_real_lookup_bilingual(question: str, anchor: str) -> None:
    result = lookup(question, 5, settings=get_settings())
    assert not result.no_match
    assert anchor in [h.anchor for h in result.hits]


@pytest.mark.parametrize("question", ["III期临床试验样本量怎么计算？", "What is the reimbursement price of the product?"])
def test_real_lookup_no_match(question: str) -> None:
    assert lookup(question, 5, settings=get_settings()).no_match


def test_eval_lookup_runs_on_any_query_file(tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "a", "lang": "en", "query": "shedding infectivity", "gold": ["2.2.3"], "also_ok": [], "kind": "keyword"}\n'
        '{"id": "b", "lang": "zh", "query": "药品定价和医保谈判", "gold": [], "also_ok": [], "kind": "no-match"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "answers.jsonl"
    r = runner.invoke(app, ["eval", "lookup", "--queries", str(queries), "--results-out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    metrics = json.loads(r.stdout[r.stdout.index("{"):])
    assert set(metrics) >= {"hybrid", "bm25", "dense"}
    assert metrics["hybrid"]["all"]["recall_at_5"] == 1.0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"] and lines[1]["no_match"] is True


def test_eval_dossiers_on_a_copied_folder(tmp_path: Path) -> None:
    src = ROOT / "evals" / "dossiers" / "02-aav-subretinal-en"
    shutil.copytree(src, tmp_path / "set" / "x-dossier")
    out = tmp_path / "out"
    report = tmp_path / "report.md"
    r = runner.invoke(app, ["eval", "dossiers", str(tmp_path / "set"), "--results-out", str(out),
                            "--report", str(report), "--json"])
    assert r.exit_code == 0, r.output
    metrics = json.loads(r.stdout[r.stdout.index("{"):])
    rules = metrics["systems"]["rules"]["dev"]
    assert rules["scope_accuracy"] == 1.0 and rules["status_accuracy"] > 0.6
    review = json.loads((out / "x-dossier.json").read_text())
    assert review["scope"] == "in_scope" and len(review["items"]) == 44
    assert "Most frequent failures" in report.read_text()


def test_review_cli_writes_one_json_per_folder(tmp_path: Path) -> None:
    pdfs = [str(p) for p in sorted((ROOT / "evals" / "dossiers").glob("0[15]-*/plan.pdf"))]
    r = runner.invoke(app, ["review", *pdfs, "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    cart = json.loads((tmp_path / "05-cart-out-of-scope-zh.json").read_text())
    aav = json.loads((tmp_path / "01-aav9-iv-sma-zh.json").read_text())
    assert cart["scope"] == "out_of_scope" and cart["items"] == [] and cart["scope_reason"]
    assert aav["scope"] == "in_scope" and aav["profile"]["modality"] == "aav"
