from pathlib import Path

import pytest

from corpus.guideline import (
    CLEAN_PATH,
    RAW_PATH,
    clean_guideline_text,
    heading_of,
    load_guideline,
    parse_guideline,
)

GOLDEN = Path(__file__).parent / "golden" / "guideline.zh.clean.txt"
SPEC_ANCHORS = (
    "1 1.1 1.2 1.3 1.4 2 2.0 2.1 2.1.0 2.1.1 2.1.2 2.1.3 2.2 2.2.1 2.2.2 2.2.3 2.3 2.3.0 2.3.1 2.3.1(0) "
    "2.3.1(1) 2.3.1(2) 2.3.1(3) 2.3.1(4) 2.3.1(5) 2.3.1(6) 2.3.2 2.3.3 2.3.4 2.3.5 2.3.6 2.3.7 3 3.1 3.2"
).split()
HEADINGS_ONLY = {"1", "2", "2.1", "2.2", "2.3", "2.3.1", "3"}


def test_cleaning_matches_golden_and_shipped_text() -> None:
    cleaned = clean_guideline_text(RAW_PATH.read_text(encoding="utf-8"))
    assert cleaned == GOLDEN.read_text(encoding="utf-8")
    assert CLEAN_PATH.read_text(encoding="utf-8") == cleaned


def test_cleaning_removes_page_numbers_and_rejoins_lines() -> None:
    raw = "（一）背景 \n\n随着基因转导和修饰技术、递送载体系统、细胞培养技术等领\n\n 4 \n\n域在基础研究上的快速发展。\n"
    assert clean_guideline_text(raw) == "（一）背景\n随着基因转导和修饰技术、递送载体系统、细胞培养技术等领域在基础研究上的快速发展。\n"
    assert clean_guideline_text("最低起效剂量（Minimal \n\nEffective Dose）。") == "最低起效剂量（Minimal Effective Dose）。\n"


def test_exactly_the_spec_anchors_in_order() -> None:
    g = load_guideline()
    assert g.anchors() == SPEC_ANCHORS
    assert {c.anchor for c in g.leaves()} == set(SPEC_ANCHORS) - HEADINGS_ONLY
    assert len(g.leaves()) == 28


@pytest.mark.parametrize(
    ("anchor", "title", "starts"),
    [
        ("1.3", "一般原则", "源于对基因治疗产品多样性"),
        ("2.0", "非临床研究", "基因治疗产品的非临床研究应在相关动物种属中开展"),
        ("2.1.0", "药理学", "基因治疗产品药理学研究是为了"),
        ("2.3.1(0)", "一般毒理学", "一般毒理学试验用以评价"),
        ("2.3.1(3)", "分组", "一般毒理学试验原则上应设低、中、高"),
        ("2.2.2", "生物分布", "基因治疗产品生物分布是受试物"),
        ("3.2", "关键非临床研究", "非临床研究信息应能充分支持"),
    ],
)
def test_clause_text_title_and_offsets(anchor: str, title: str, starts: str) -> None:
    g = load_guideline()
    c = g.clauses[anchor]
    assert c.title == title
    assert c.text.startswith(starts)
    assert g.text[c.start : c.end] == c.text


def test_paths_and_children() -> None:
    g = load_guideline()
    assert g.clauses["2.3.1(3)"].path == ["非临床研究", "毒理学", "一般毒理学", "分组"]
    assert g.clauses["2.3.1"].children[:2] == ["2.3.1(0)", "2.3.1(1)"]
    assert g.clauses["2"].text == ""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("二、非临床研究", (1, 2, "非临床研究")),
        ("（三）毒理学", (2, 3, "毒理学")),
        ("3.安全药理学", (3, 3, "安全药理学")),
        ("（6）检测指标", (4, 6, "检测指标")),
        ("POC 研究的目标包括：1. 确定基因治疗产品的有效剂量范围，", None),
        ("（Transgene）特性、载体生物学特征、研究模型的可行性/可获得", None),
    ],
)
def test_heading_detection(line: str, expected: tuple[int, int, str] | None) -> None:
    assert heading_of(line) == expected


def test_parser_rejects_text_before_any_heading() -> None:
    with pytest.raises(ValueError):
        parse_guideline("没有标题的文字。\n")
