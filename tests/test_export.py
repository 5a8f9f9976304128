"""Checklist exports on a hand-made review result, and the `dossier-review review` command."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from service import export, jobs
from service.cli import app as cli_app
from service.errors import EncryptedPdf

RESULT: dict[str, Any] = {
    "scope": "in_scope", "scope_reason": None, "language": "zh",
    "profile": {"modality": "aav", "routes": ["iv", "intrathecal"], "replication_competent": False,
                "evidence": {"modality": {"page": 2, "quote": "本品为重组AAV9载体"}}},
    "items": [
        {"requirement_id": "GEN-GLP", "status": "met",
         "clause": {"anchor": "1.3", "title": "一般原则", "text": "…"},
         "evidence": [{"page": 3, "quote": "关键毒理试验在GLP条件下开展"}], "rationale": "GLP stated.",
         "confidence": 0.9, "decided_by": "rule"},
        {"requirement_id": "TOX-GROUPS", "status": "partial",
         "clause": {"anchor": "2.3.1(3)", "title": "分组", "text": "…"},
         "evidence": [{"page": 7, "quote": "设低、高两个剂量组 | 对照组"}, {"page": 8, "quote": "溶媒对照"}],
         "rationale": "No mid dose.", "confidence": 0.7, "decided_by": "rule"},
        {"requirement_id": "PK-SHEDDING", "status": "missing",
         "clause": {"anchor": "2.2.3", "title": "排泄", "text": "…"}, "evidence": [],
         "rationale": "Not addressed.", "confidence": 0.6, "decided_by": "llm"},
        {"requirement_id": "RCV-RISK", "status": "not_applicable",
         "clause": {"anchor": "2.3.6", "title": "复制型病毒", "text": "…"}, "evidence": [],
         "rationale": "n/a", "confidence": 1.0, "decided_by": "applicability"},
    ],
}
OVERRIDES = {"TOX-GROUPS": {"status": "justified", "comment": "mid dose argued in 4.2", "author": "li",
                            "at": "2025-01-02T03:04:05+00:00"}}
OUT_OF_SCOPE = {"scope": "out_of_scope", "scope_reason": "CAR-T: a genetically modified cell product",
                "profile": {"modality": "other", "evidence": {}}, "items": []}


def test_apply_overrides_keeps_machine_status() -> None:
    out = export.apply_overrides(RESULT, OVERRIDES)
    items = {i["requirement_id"]: i for i in out["items"]}
    assert items["TOX-GROUPS"]["status"] == "partial"
    assert items["TOX-GROUPS"]["override"]["status"] == "justified"
    assert items["GEN-GLP"]["override"] is None
    assert "override" not in RESULT["items"][0]  # the input is not changed
    assert export.status_counts(RESULT, OVERRIDES)["partial"] == (1, 0)


def test_markdown() -> None:
    md = export.to_markdown(RESULT, OVERRIDES, "en", title="plan.pdf")
    assert md.startswith("# Non-clinical study plan review")
    assert "| partial | 1 | 0 |" in md and "| justified | 0 | 1 |" in md
    assert "Gaps (missing or partial): 2 → 1" in md
    assert md.index("### 1 Introduction") < md.index("### 2.2 Pharmacokinetics") < md.index("### 2.3 Toxicology")
    assert "~~**partial**~~ → justified" in md and "mid dose argued in 4.2" in md
    assert "设低、高两个剂量组 \\| 对照组" in md  # a pipe in a quote does not break the table
    assert "p. 2: “本品为重组AAV9载体”" in md and "iv, intrathecal" in md
    zh = export.to_markdown(RESULT, {}, "zh")
    assert "非临床研究计划审评核查表" in zh and "部分符合" in zh and "### 2.3 毒理学" in zh


def test_markdown_out_of_scope() -> None:
    md = export.to_markdown(OUT_OF_SCOPE, {}, "en")
    assert "Out of scope" in md and "CAR-T" in md and "### " not in md


def test_xlsx() -> None:
    wb = load_workbook(io.BytesIO(export.to_xlsx(RESULT, OVERRIDES)))
    assert wb.sheetnames == ["Checklist", "Profile", "Summary"]
    ws = wb["Checklist"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["Requirement", "Clause anchor", "Clause title", "Status", "Human override",
                          "Override comment", "Override author", "Override at"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:M5"
    assert ws["A1"].font.bold and ws.column_dimensions["L"].width == 70
    row = {h: c.value for h, c in zip(header, ws[3], strict=True)}
    assert row["Requirement"].startswith("TOX-GROUPS") and row["Clause anchor"] == "2.3.1(3)"
    assert (row["Status"], row["Human override"], row["Override author"]) == ("partial", "justified", "li")
    assert row["Evidence pages"] == "7, 8" and "p. 8: 溶媒对照" in row["Evidence quotes"]
    assert row["Confidence"] == 0.7 and row["Decided by"] == "rule"
    assert ws["D3"].fill.fgColor.rgb.endswith("FFEB9C") and ws["E3"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws["D4"].fill.fgColor.rgb.endswith("FFC7CE") and ws["D3"].alignment.wrap_text
    profile = {r[0]: r[1:] for r in wb["Profile"].iter_rows(min_row=2, values_only=True)}
    assert profile["modality"] == ("aav", 2, "本品为重组AAV9载体")
    summary = {r[0]: r[1:] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["partial"] == (1, 0) and summary["missing"] == (1, 1) and summary["total"] == (4, 4)


def test_xlsx_out_of_scope() -> None:
    wb = load_workbook(io.BytesIO(export.to_xlsx(OUT_OF_SCOPE, {})))
    assert wb["Checklist"]["B2"].value == OUT_OF_SCOPE["scope_reason"]
    assert wb["Summary"]["A2"].value == "scope" and wb["Summary"]["B2"].value == "out_of_scope"


# ------------------------------------------------------------------ CLI


@pytest.fixture
def fake_review(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []

    def fake(data: bytes, *, overrides: Any = None, settings: Any = None, progress: Any = None) -> Any:
        calls.append(overrides)
        progress("parsing", 0.5)
        if b"ENCRYPTED" in data:
            raise EncryptedPdf("PDF is encrypted")
        return RESULT

    monkeypatch.setattr(jobs, "default_review_fn", fake)
    return calls


def _plan(folder: Path, content: bytes = b"%PDF-1.4\n%%EOF\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.pdf").write_bytes(content)
    return folder / "plan.pdf"


def test_cli_one_file_to_stdout(fake_review: list[Any], tmp_path: Path) -> None:
    pdf = _plan(tmp_path / "01-aav")
    result = CliRunner().invoke(cli_app, ["review", str(pdf), "--profile", '{"modality": "aav"}'])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["items"][1]["requirement_id"] == "TOX-GROUPS"
    assert fake_review == [{"modality": "aav"}]
    bad = CliRunner().invoke(cli_app, ["review", str(pdf), "--profile", '{"colour": 1}'])
    assert bad.exit_code == 2 and "colour" in bad.stderr


def test_cli_several_files_to_folder(fake_review: list[Any], tmp_path: Path) -> None:
    good = [_plan(tmp_path / "01-aav"), _plan(tmp_path / "02-hsv")]
    bad = _plan(tmp_path / "03-locked", b"%PDF-1.4 ENCRYPTED")
    text = tmp_path / "04-text" / "plan.pdf"
    _plan(text.parent, "纯文本".encode())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli_app, ["review", *map(str, [good[0], bad, text, good[1]]),
                                          "--format", "md", "-o", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["01-aav.md", "02-hsv.md"]
    assert "encrypted_pdf" in result.stderr and "invalid_pdf" in result.stderr
    assert "2 of 4 review(s) failed" in result.stderr
    assert "TOX-GROUPS" in (out / "01-aav.md").read_text()
    xl = CliRunner().invoke(cli_app, ["review", str(good[0]), "-f", "xlsx", "-o", str(tmp_path / "one.xlsx")])
    assert xl.exit_code == 0 and load_workbook(tmp_path / "one.xlsx").sheetnames[0] == "Checklist"
