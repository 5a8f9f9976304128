"""Scorer, report and dossier-eval runner on hand-made labels and reviews with hand-computed metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals.dossier_eval import everything_met_baseline, run_dossier_eval
from evals.report import render_markdown_report, render_text_summary
from evals.scorer import (
    ABSENT,
    METRIC_NAMES,
    SPEC_REQUIREMENT_IDS,
    aggregate,
    everything_met_review,
    load_labelled_set,
    score_dossier,
    score_set,
)


def gold(status: str, pages: list[int] | None = None, quote: str = "", why: str = "") -> dict[str, Any]:
    return {"status": status, "pages": pages or [], "quote": quote, "why": why}


def item(rid: str, status: str, pages: list[int] | None = None, rationale: str = "") -> dict[str, Any]:
    return {"requirement_id": rid, "status": status, "rationale": rationale, "decided_by": "rule",
            "evidence": [{"page": p, "quote": f"quote on p{p}"} for p in pages or []]}


def labels(reqs: dict[str, dict[str, Any]], dossier_id: str = "d1", scope: str = "in_scope") -> dict[str, Any]:
    return {"id": dossier_id, "language": "zh", "scope": scope, "profile": {}, "requirements": reqs}


def review(items: list[dict[str, Any]], scope: str = "in_scope") -> dict[str, Any]:
    return {"scope": scope, "scope_reason": None, "profile": {}, "items": items}


# Six items: gold gaps B, C; predicted gaps B, D -> 1 true gap, 1 false gap, 1 missed gap.
SIX_LABELS = labels({
    "A": gold("met", [3], "A is done"), "B": gold("missing"), "C": gold("partial", [5], "C half"),
    "D": gold("met", [7]), "E": gold("not_applicable"), "F": gold("justified", [9], "F omitted because"),
})
SIX_REVIEW = review([
    item("A", "met", [3]), item("B", "missing"), item("C", "met", [4], rationale="C looked complete"),
    item("D", "partial", [2, 7]), item("E", "not_applicable"), item("F", "met"),
])


def test_six_items_hand_computed() -> None:
    m = score_dossier(SIX_LABELS, SIX_REVIEW).metrics()
    assert m == {
        "gap_precision": 0.5, "gap_recall": 0.5, "gap_f1": 0.5,
        "status_accuracy": 3 / 6,  # A, B, E
        "applicability_accuracy": 1.0,  # no not_applicable confusion
        "evidence_page_hit": 2 / 4,  # A (p3) and D (p7) hit; C cites p4, F cites nothing
        "scope_accuracy": 1.0,
    }
    assert set(m) == set(METRIC_NAMES)


@pytest.mark.parametrize(
    ("gold_scope", "pred_scope", "expected"),
    [
        # gold in scope, predicted out: every item "absent" -> wrong, gold gaps missed, no predicted gaps
        ("in_scope", "out_of_scope", {"status_accuracy": 0.0, "applicability_accuracy": 0.0, "gap_recall": 0.0,
                                      "gap_precision": None, "gap_f1": None, "evidence_page_hit": 0.0,
                                      "scope_accuracy": 0.0}),
        # gold out of scope: no gold items, only scope accuracy counts, whatever the items say
        ("out_of_scope", "in_scope", {"status_accuracy": None, "gap_recall": None, "gap_precision": None,
                                      "evidence_page_hit": None, "scope_accuracy": 0.0}),
        ("out_of_scope", "out_of_scope", {"status_accuracy": None, "applicability_accuracy": None,
                                          "scope_accuracy": 1.0}),
    ],
)
def test_scope_mismatch(gold_scope: str, pred_scope: str, expected: dict[str, float | None]) -> None:
    lab = SIX_LABELS if gold_scope == "in_scope" else labels({}, scope="out_of_scope")
    rev = SIX_REVIEW if pred_scope == "in_scope" else review([], scope="out_of_scope")
    score = score_dossier(lab, rev)
    m = score.metrics()
    for name, value in expected.items():
        assert m[name] == value, name
    if gold_scope == "in_scope":
        assert {it.pred for it in score.items} == {ABSENT}
    if gold_scope == "out_of_scope" and pred_scope == "in_scope":
        assert score.unscored_items == 6


def test_missing_and_extra_items() -> None:
    lab = labels({"A": gold("missing"), "B": gold("met", [2])})
    rev = review([item("B", "met", [2]), item("NEW-REQ", "missing"), item("B", "missing")])  # first B wins
    score = score_dossier(lab, rev)
    by_id = {it.requirement_id: it for it in score.items}
    assert by_id["A"].pred == ABSENT and by_id["B"].pred == "met"
    m = score.metrics()
    assert (m["status_accuracy"], m["applicability_accuracy"]) == (0.5, 0.5)
    assert (m["gap_recall"], m["gap_precision"]) == (0.0, None)
    assert score.unscored_items == 1


@pytest.mark.parametrize(
    ("gold_statuses", "pred_statuses", "expected"),
    [
        (["met", "met"], ["met", "met"], {"gap_precision": None, "gap_recall": None, "gap_f1": None}),
        (["met", "missing"], ["missing", "met"], {"gap_precision": 0.0, "gap_recall": 0.0, "gap_f1": 0.0}),
        (["met", "met"], ["missing", "met"], {"gap_precision": 0.0, "gap_recall": None, "gap_f1": None}),
        (["partial", "missing"], ["missing", "partial"], {"gap_f1": 1.0, "status_accuracy": 0.0}),
        (["not_applicable", "met"], ["met", "not_applicable"], {"applicability_accuracy": 0.0}),
        (["not_applicable", "missing"], ["not_applicable", "partial"], {"applicability_accuracy": 1.0}),
    ],
)
def test_gap_and_applicability_table(gold_statuses: list[str], pred_statuses: list[str],
                                     expected: dict[str, float | None]) -> None:
    lab = labels({f"R{i}": gold(s) for i, s in enumerate(gold_statuses)})
    rev = review([item(f"R{i}", s) for i, s in enumerate(pred_statuses)])
    m = score_dossier(lab, rev).metrics()
    for name, value in expected.items():
        assert m[name] == value, name
    assert m["evidence_page_hit"] is None  # no gold pages anywhere


def test_set_is_micro_averaged_with_confusion() -> None:
    one = (labels({"A": gold("missing"), "B": gold("met")}, "d1"), review([item("A", "missing"), item("B", "met")]))
    two = (labels({"A": gold("missing"), "B": gold("partial"), "C": gold("missing")}, "d2"),
           review([item("A", "met"), item("B", "met"), item("C", "met")]))
    s = score_set([one, two])
    m = s.metrics()
    assert m["gap_recall"] == 1 / 4  # micro (macro would be 0.5)
    assert m["status_accuracy"] == 2 / 5
    assert m["scope_accuracy"] == 1.0
    conf = s.confusion()
    assert conf[("missing", "missing")] == 1 and conf[("missing", "met")] == 2
    assert conf[("partial", "met")] == 1 and conf[("met", "met")] == 1
    per = s.per_requirement()
    assert (per["A"].n, per["A"].correct, per["A"].accuracy) == (2, 1, 0.5)
    assert per["B"].confusion[("partial", "met")] == 1
    assert [(rid, len(wrong)) for rid, wrong in s.failures()] == [("A", 1), ("B", 1), ("C", 1)]


def test_failed_review_scored_all_wrong() -> None:
    score = score_dossier(SIX_LABELS, None, seconds=1.5, error="boom")
    m = score.metrics()
    assert m["status_accuracy"] == 0.0 and m["scope_accuracy"] == 0.0 and m["gap_recall"] == 0.0
    s = aggregate([score, score_dossier(SIX_LABELS, SIX_REVIEW, seconds=2.5)])
    assert s.seconds_mean == 2.0 and s.metrics()["status_accuracy"] == 3 / 12


def test_everything_met_baseline() -> None:
    rev = everything_met_review()
    assert [i["requirement_id"] for i in rev["items"]] == list(SPEC_REQUIREMENT_IDS)
    assert {i["status"] for i in rev["items"]} == {"met"} and len(SPEC_REQUIREMENT_IDS) == 44
    assert everything_met_review(["A"], scope="out_of_scope")["items"] == []
    m = score_dossier(SIX_LABELS, everything_met_review("ABCDEF")).metrics()
    assert (m["gap_precision"], m["gap_recall"], m["status_accuracy"]) == (None, 0.0, 2 / 6)


def write_dossier(root: Path, rel: str, lab: dict[str, Any] | None) -> Path:
    folder = root / rel
    folder.mkdir(parents=True)
    (folder / "plan.pdf").write_bytes(b"%PDF-1.4 fake")
    if lab is not None:
        (folder / "labels.json").write_text(json.dumps(lab), encoding="utf-8")
    return folder


def test_load_labelled_set(tmp_path: Path) -> None:
    write_dossier(tmp_path, "dev/01-aav", labels({}, "01-aav"))
    write_dossier(tmp_path, "dev/nested/02-lenti", None)
    write_dossier(tmp_path, "heldout/03-hsv", labels({}, "03-hsv"))
    found = load_labelled_set([tmp_path])
    assert [(d.folder.name, d.labelled, d.split) for d in found] == [
        ("01-aav", True, "dev"), ("02-lenti", False, "dev"), ("03-hsv", True, "heldout")]
    assert found[1].dossier_id == "02-lenti" and found[0].pdf.name == "plan.pdf"
    assert len(load_labelled_set([tmp_path, tmp_path / "dev"])) == 3  # each folder once
    assert [d.split for d in load_labelled_set([tmp_path / "heldout"])] == ["heldout"]  # the dir passed counts
    (tmp_path / "dev/01-aav/labels.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match="JSON object"):
        load_labelled_set([tmp_path])


@pytest.fixture
def dossier_tree(tmp_path: Path) -> Path:
    root = tmp_path / "dossiers"
    write_dossier(root, "01-aav", SIX_LABELS | {"id": "01-aav"})
    write_dossier(root, "02-broken", SIX_LABELS | {"id": "02-broken"})
    write_dossier(root, "03-unlabelled", None)
    write_dossier(root, "heldout/04-car-t", labels({}, "04-car-t", scope="out_of_scope"))
    return root


def fake_review(pdf: Path) -> tuple[dict[str, Any], float]:
    name = pdf.parent.name
    if name == "02-broken":
        raise RuntimeError("parser exploded")
    if name == "04-car-t":
        return review([], scope="out_of_scope"), 0.5
    return SIX_REVIEW, 2.0


def test_run_dossier_eval(dossier_tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    calls: list[tuple[int, int, str]] = []
    run = run_dossier_eval([dossier_tree], fake_review, results_out=out, system="rules",
                           baselines={"everything met": everything_met_baseline("ABCDEF")},
                           progress=lambda i, n, msg: calls.append((i, n, msg)))
    assert sorted(p.name for p in out.iterdir()) == [
        "01-aav.json", "02-broken.json", "03-unlabelled.json", "04-car-t.json"]
    assert json.loads((out / "02-broken.json").read_text())["error"]["code"] == "review_failed"
    assert json.loads((out / "01-aav.json").read_text())["items"][0]["requirement_id"] == "A"
    assert [c[:2] for c in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)] and "parser exploded" in calls[1][2]
    assert list(run.set_scores) == ["rules (dev)", "rules (heldout)", "everything met (dev)",
                                    "everything met (heldout)"]
    assert run.errors == [("rules", "02-broken", "RuntimeError: parser exploded")]
    assert [d.folder.name for d in run.unlabelled] == ["03-unlabelled"]
    dev = run.set_scores["rules (dev)"].metrics()
    assert dev["status_accuracy"] == 3 / 12 and dev["scope_accuracy"] == 0.5
    assert run.set_scores["rules (heldout)"].metrics()["scope_accuracy"] == 1.0
    assert run.set_scores["everything met (heldout)"].metrics()["scope_accuracy"] == 0.0
    js = json.loads(json.dumps(run.to_json()))
    assert set(METRIC_NAMES) <= set(js["systems"]["rules"]["dev"])
    assert js["systems"]["rules"]["heldout"]["status_accuracy"] is None
    assert js["systems"]["everything met"]["dev"]["gap_recall"] == 0.0
    assert js["errors"][0]["dossier"] == "02-broken"
    report = run.markdown_report()
    assert "## rules (dev)" in report and "## everything met (dev)" not in report
    assert "parser exploded" in report and "03-unlabelled" in report


def test_results_file_names_disambiguated(tmp_path: Path) -> None:
    write_dossier(tmp_path / "in", "dev/01", None)
    write_dossier(tmp_path / "in", "heldout/01", None)
    run_dossier_eval([tmp_path / "in"], lambda pdf: SIX_REVIEW, results_out=tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["dev__01.json", "heldout__01.json"]


def test_markdown_report_failures_and_na() -> None:
    empty = score_set([(labels({}, "cart", scope="out_of_scope"), review([], scope="out_of_scope"))])
    main = aggregate([score_dossier(SIX_LABELS, SIX_REVIEW, seconds=3.0)])
    md = render_markdown_report({"rules (dev)": main, "rules (heldout)": empty})
    assert md.index("## Summary") < md.index("## rules (dev)") < md.index("### Most frequent failures")
    assert "## rules (heldout)" not in md  # details default to the first set
    failures = md[md.index("### Most frequent failures"):]
    # C: gold partial predicted met, with the gold quote, predicted evidence and rationale
    assert "gold `partial` → predicted `met`" in failures
    assert 'gold: p. 5 "C half"' in failures and 'p. 4 "quote on p4"' in failures
    assert "C looked complete" in failures and "F omitted because" in failures
    assert "| rules (heldout) | 1 | 0 | n/a | n/a | n/a | n/a | n/a | n/a | 1.000 | n/a |" in md
    text = render_text_summary({"rules (dev)": main, "rules (heldout)": empty})
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1 and "n/a" in lines[3] and "0.500" in lines[2]


def test_review_fn_may_return_a_model_or_a_bare_dict(tmp_path: Path) -> None:
    from service.domain import ProductProfile, ReviewResult

    write_dossier(tmp_path, "a", labels({}, "a", scope="out_of_scope"))
    model = ReviewResult(scope="out_of_scope", scope_reason="CAR-T", profile=ProductProfile())
    run = run_dossier_eval([tmp_path], lambda pdf: model, baselines={"bare": lambda pdf: review([])})
    assert run.set_scores["service (dev)"].metrics()["scope_accuracy"] == 1.0
    assert run.set_scores["bare (dev)"].metrics()["scope_accuracy"] == 0.0
    assert run.dossiers[0].systems["service"].seconds is not None and not run.errors
