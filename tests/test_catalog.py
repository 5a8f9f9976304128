"""The requirement catalog (corpus/data/requirements.yaml) and the clause glossary.

- the real catalog loads against the 35 anchors of checklist-spec.md, with the 44 contract IDs
  in the spec's order and the spec's anchors;
- loading fails loudly (CatalogError) on an unknown anchor, a missing or duplicate ID, a
  malformed applicability predicate and a bad regex;
- applicability of every conditional requirement for a table of representative products;
- element patterns fire on realistic zh and en sentences and stay silent on unrelated text;
- the clause glossary covers every anchor.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from corpus.catalog import (
    CATALOG_PATH,
    Catalog,
    CatalogError,
    Element,
    Requirement,
    load_catalog_file,
    parse_catalog,
)
from corpus.predicates import PROFILE_FIELDS, Predicate
from service.domain import ProductProfile

GLOSSARY_PATH = CATALOG_PATH.parent / "clause_glossary.yaml"

# The 35 clause anchors of checklist-spec.md.
KNOWN = frozenset(
    (
        "1 1.1 1.2 1.3 1.4 2 2.0 2.1 2.1.0 2.1.1 2.1.2 2.1.3 2.2 2.2.1 2.2.2 2.2.3 2.3 2.3.0 2.3.1 "
        "2.3.1(0) 2.3.1(1) 2.3.1(2) 2.3.1(3) 2.3.1(4) 2.3.1(5) 2.3.1(6) 2.3.2 2.3.3 2.3.4 2.3.5 2.3.6 "
        "2.3.7 3 3.1 3.2"
    ).split()
)
HEADINGS = {"1", "2", "2.1", "2.2", "2.3", "2.3.1", "3"}  # anchors whose text is their children's

# The requirements table of checklist-spec.md: ID -> anchors, in the spec's order.
SPEC: dict[str, list[str]] = {
    "GEN-GLP": ["1.3"],
    "GEN-SPECIES-RELEVANCE": ["2.0"],
    "GEN-NONSTANDARD-SPECIES": ["2.0"],
    "GEN-TEST-ARTICLE": ["2.0"],
    "GEN-BRIDGING": ["2.0"],
    "PD-MODEL": ["2.1.1"],
    "PD-POC-INVITRO": ["2.1.2"],
    "PD-POC-INVIVO": ["2.1.2"],
    "PD-DOSE-RESPONSE": ["2.1.2"],
    "PD-ROUTE-REGIMEN": ["2.1.2"],
    "PD-SURROGATE": ["2.1.2"],
    "PD-SAFETY-PHARM": ["2.1.3"],
    "PK-BD-DESIGN": ["2.2.2"],
    "PK-BD-TIMEPOINTS": ["2.2.2"],
    "PK-BD-TIMING": ["2.2.2", "3.2"],
    "PK-BD-METHOD-VALIDATION": ["2.2.2"],
    "PK-SHEDDING": ["2.2.3"],
    "PK-SHEDDING-INFECTIVITY": ["2.2.3"],
    "TOX-SURROGATE": ["2.3.0"],
    "TOX-SPECIES": ["2.3.1(1)"],
    "TOX-SEX-AGE": ["2.3.1(1)"],
    "TOX-DOSE-SELECTION": ["2.3.1(2)"],
    "TOX-GROUPS": ["2.3.1(3)"],
    "TOX-REGIMEN": ["2.3.1(4)"],
    "TOX-LONG-EXPRESSION": ["2.3.1(4)"],
    "TOX-DURATION-RECOVERY": ["2.3.1(5)"],
    "TOX-NECROPSY-TIMEPOINTS": ["2.3.1(5)"],
    "TOX-ENDPOINTS-SPECIAL": ["2.3.1(6)"],
    "TOX-SATELLITE-BD": ["2.3.1(6)"],
    "IMM-RESPONSES": ["2.3.2"],
    "IMM-PREEXISTING": ["2.3.2"],
    "IMM-COMPLEMENT": ["2.3.2"],
    "IMM-IMMUNOTOX": ["2.3.2"],
    "REPRO-RISK-ASSESSMENT": ["2.3.3"],
    "REPRO-EFD-PPND": ["2.3.3"],
    "REPRO-FERTILITY": ["2.3.3"],
    "REPRO-GERMLINE": ["2.3.3"],
    "GENO-INTEGRATION": ["2.3.4"],
    "GENO-INSERTIONAL": ["2.3.4"],
    "GENO-OFFTARGET": ["2.3.4"],
    "CARC-WOE": ["2.3.5"],
    "RCV-RISK": ["2.3.6"],
    "LOCAL-TOLERANCE": ["2.3.7"],
    "FIH-DOSE": ["3.1"],
}

# Requirements whose spec "applies" column is not "always".
CONDITIONAL = {
    "GEN-NONSTANDARD-SPECIES", "GEN-BRIDGING", "PD-SURROGATE", "PK-SHEDDING-INFECTIVITY",
    "TOX-SURROGATE", "TOX-LONG-EXPRESSION", "IMM-PREEXISTING", "IMM-COMPLEMENT", "IMM-IMMUNOTOX",
    "REPRO-FERTILITY", "GENO-INTEGRATION", "GENO-INSERTIONAL", "GENO-OFFTARGET", "RCV-RISK",
    "LOCAL-TOLERANCE",
}  # fmt: skip

MODALITIES = {
    "aav", "adenovirus", "lentivirus", "gamma_retrovirus", "hsv", "vaccinia", "other_virus",
    "plasmid", "mrna", "lnp_editing", "bacteria", "fungus", "phage", "other",
}  # fmt: skip
ROUTES = {
    "iv", "intrathecal", "icv", "subretinal", "intravitreal", "intramuscular", "intratumoral",
    "intradermal", "subcutaneous", "oral", "inhaled", "other",
}  # fmt: skip


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog_file(CATALOG_PATH, set(KNOWN))


@pytest.fixture(scope="module")
def _raw_once() -> dict[str, Any]:
    return yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def raw(_raw_once: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the real catalog's YAML data, to break in one place."""
    return copy.deepcopy(_raw_once)


def _entry(raw: dict[str, Any], requirement_id: str) -> dict[str, Any]:
    return next(r for r in raw["requirements"] if r["id"] == requirement_id)


def _load(raw: dict[str, Any], tmp_path: Path) -> Catalog:
    return parse_catalog(raw, set(KNOWN))  # what load_catalog_file runs on the parsed YAML


def test_a_broken_file_fails_through_load_catalog_file(raw: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "requirements.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_catalog_file(path, set(KNOWN)).ids() == load_catalog_file(CATALOG_PATH, set(KNOWN)).ids()
    _entry(raw, "TOX-GROUPS")["anchors"] = ["2.3.1(9)"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown clause anchor"):
        load_catalog_file(path, set(KNOWN))


def _hits(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def _present(req: Requirement, lang: str, text: str) -> set[str]:
    return {e.name for e in req.elements if _hits(getattr(e.patterns, lang), text)}


def _required(req: Requirement, profile: ProductProfile) -> set[str]:
    return {e.name for e in req.elements if e.required and (e.when is None or e.when.evaluate(profile))}


def _predicates(p: Predicate) -> list[Predicate]:
    out = [p]
    for child in p.children:
        out.extend(_predicates(child))
    return out


# ---------------------------------------------------------------- the real catalog


def test_real_catalog_loads_with_spec_ids_in_order(catalog: Catalog) -> None:
    ids = catalog.ids()
    assert [i for i in ids if i in SPEC] == list(SPEC)
    assert len(ids) == len(set(ids))
    assert ids[: len(SPEC)] == list(SPEC)


def test_anchors_are_the_spec_anchors(catalog: Catalog) -> None:
    for r in catalog.requirements:
        if r.id in SPEC:
            assert r.anchors == SPEC[r.id], r.id
        assert set(r.anchors) <= KNOWN
        assert not set(r.anchors) & HEADINGS, f"{r.id} cites a heading, not the leaf that holds the text"


def test_load_catalog_uses_the_parsed_guideline() -> None:
    guideline = pytest.importorskip("corpus.guideline")
    if not hasattr(guideline, "load_guideline"):
        pytest.skip("corpus.guideline.load_guideline not available")
    from corpus.catalog import load_catalog

    assert set(guideline.load_guideline().anchors()) == KNOWN
    assert load_catalog().ids()[: len(SPEC)] == list(SPEC)


def test_texts_topics_and_elements_are_complete(catalog: Catalog) -> None:
    for r in catalog.requirements:
        for text in (r.title.zh, r.title.en, r.summary.zh, r.summary.en):
            assert text.strip(), r.id
        assert r.topic.zh and r.topic.en, r.id
        assert r.elements, r.id
        assert any(e.required for e in r.elements), f"{r.id} has no required element"
        names = [e.name for e in r.elements]
        assert len(names) == len(set(names)), r.id
        for e in r.elements:
            assert e.patterns.zh and e.patterns.en, f"{r.id}.{e.name}"
            assert e.label.zh.strip() and e.label.en.strip(), f"{r.id}.{e.name}"


def test_no_pattern_matches_empty_text_and_zh_patterns_avoid_word_boundaries(catalog: Catalog) -> None:
    # \b never fires between a CJK character and a Latin letter ("采用qPCR方法"), so zh
    # patterns guard Latin acronyms with lookarounds instead.
    for r in catalog.requirements:
        groups = [("topic", r.topic)] + [(e.name, e.patterns) for e in r.elements]
        for where, terms in groups:
            for p in terms.all():
                assert not re.search(p, "", re.IGNORECASE), f"{r.id}.{where}: {p!r} matches empty text"
                assert not re.search(p, "   ", re.IGNORECASE), f"{r.id}.{where}: {p!r} matches blanks"
            for p in terms.zh:
                assert r"\b" not in p, f"{r.id}.{where}: zh pattern uses \\b: {p!r}"


def test_no_pattern_escapes_its_backslash_twice(catalog: Catalog) -> None:
    # Regression: '\\b(?:tested|screened)…' in the YAML is a literal backslash and "b", so the
    # pre-existing-immunity patterns never matched anything.
    for r in catalog.requirements:
        for where, terms in [("topic", r.topic)] + [(e.name, e.patterns) for e in r.elements]:
            for p in terms.all():
                assert not re.search(r"\\\\[A-Za-z]", p), f"{r.id}.{where}: double-escaped backslash in {p!r}"


def test_conditional_requirements_match_the_spec(catalog: Catalog) -> None:
    conditional = {r.id for r in catalog.requirements if r.applies is not None}
    assert conditional & set(SPEC) == CONDITIONAL
    for r in catalog.requirements:
        if r.applies is not None:
            assert r.not_applicable_reason is not None
            assert r.not_applicable_reason.zh.strip() and r.not_applicable_reason.en.strip(), r.id


def test_predicates_name_real_profile_fields_and_values(catalog: Catalog) -> None:
    for r in catalog.requirements:
        roots = [r.applies] + [e.when for e in r.elements]
        for p in [q for root in roots if root is not None for q in _predicates(root)]:
            if p.field is None:
                continue
            assert p.field in PROFILE_FIELDS and p.field in ProductProfile.model_fields, r.id
            if p.field == "modality":
                assert set(p.values) <= MODALITIES, (r.id, p.values)
            if p.field == "routes":
                assert set(p.values) <= ROUTES, (r.id, p.values)


def test_detectors_and_justifiability(catalog: Catalog) -> None:
    by_id = {r.id: r for r in catalog.requirements}
    expected = {
        "TOX-GROUPS": "dose_groups",
        "PK-BD-TIMEPOINTS": "timepoints",
        "TOX-NECROPSY-TIMEPOINTS": "necropsy_timepoints",
        "PD-DOSE-RESPONSE": "dose_levels",
        "TOX-REGIMEN": "regimen_count",
    }
    for rid, detector in expected.items():
        assert by_id[rid].detector == detector, rid
    from service.review.detectors import DETECTORS

    assert {r.detector for r in catalog.requirements if r.detector} <= set(DETECTORS)
    # the guideline allows a reasoned omission here (需要提供科学合理性依据 / 除非…具有科学合理性)
    for rid in ("TOX-SEX-AGE", "REPRO-EFD-PPND", "TOX-SURROGATE", "GEN-NONSTANDARD-SPECIES", "TOX-GROUPS"):
        assert by_id[rid].justifiable, rid
    # ... and not here (应在临床试验开始前完成 / 应经过方法学验证 / 至少采用一种相关动物种属)
    for rid in ("PK-BD-TIMING", "PK-BD-METHOD-VALIDATION", "TOX-SPECIES", "RCV-RISK"):
        assert not by_id[rid].justifiable, rid


# ---------------------------------------------------------------- loading fails loudly


def test_unknown_anchor_fails(raw: dict[str, Any], tmp_path: Path) -> None:
    _entry(raw, "TOX-GROUPS")["anchors"] = ["2.3.1(9)"]
    with pytest.raises(CatalogError, match="unknown clause anchor"):
        _load(raw, tmp_path)


def test_empty_anchor_list_fails(raw: dict[str, Any], tmp_path: Path) -> None:
    _entry(raw, "TOX-GROUPS")["anchors"] = []
    with pytest.raises(CatalogError, match="no anchor"):
        _load(raw, tmp_path)


def test_missing_id_fails(raw: dict[str, Any], tmp_path: Path) -> None:
    raw["requirements"] = [r for r in raw["requirements"] if r["id"] != "FIH-DOSE"]
    with pytest.raises(CatalogError, match="FIH-DOSE"):
        _load(raw, tmp_path)


def test_duplicate_id_fails(raw: dict[str, Any], tmp_path: Path) -> None:
    raw["requirements"].append(copy.deepcopy(_entry(raw, "GEN-GLP")))
    with pytest.raises(CatalogError, match="duplicate requirement id GEN-GLP"):
        _load(raw, tmp_path)


def test_not_a_catalog_fails(tmp_path: Path) -> None:
    bad_inputs: list[Any] = [[], {"items": []}, "requirements"]
    for bad in bad_inputs:
        with pytest.raises(CatalogError):
            parse_catalog(bad, set(KNOWN))


@pytest.mark.parametrize(
    "predicate",
    [
        {"field": "colour", "is": True},  # unknown field
        {"field": "modality", "equals": ["aav"]},  # unknown operator
        {"field": "modality", "in": ["aav"], "is": "aav"},  # two operators
        {"field": "modality", "in": "aav"},  # `in` with a non-list
        {"field": "modality", "in": []},  # `in` with an empty list
        {"field": "routes", "in": ["iv"]},  # `in` on a list field
        {"field": "modality", "any_of": ["aav"]},  # `any_of` on a scalar field
        {"field": "integrating", "is": "yes"},  # non-boolean for a boolean field
        {"all": []},  # empty conjunction
        {"any": {"field": "integrating", "is": True}},  # children not a list
        {"not": {"field": "integrating", "is": True}, "all": [{"field": "transposon", "is": True}]},
        ["modality", "aav"],  # not a mapping
        "sometimes",  # only "always" is a valid string
    ],
)
def test_malformed_predicate_fails(raw: dict[str, Any], tmp_path: Path, predicate: Any) -> None:
    _entry(raw, "GENO-INSERTIONAL")["applies"] = predicate
    with pytest.raises(CatalogError):
        _load(raw, tmp_path)


def test_always_string_means_unconditional(raw: dict[str, Any], tmp_path: Path) -> None:
    entry = _entry(raw, "GEN-GLP")
    entry["applies"] = "always"
    assert _load(raw, tmp_path).get("GEN-GLP").applies is None  # type: ignore[union-attr]


def test_conditional_without_reason_fails(raw: dict[str, Any], tmp_path: Path) -> None:
    del _entry(raw, "RCV-RISK")["not_applicable_reason"]
    with pytest.raises(CatalogError, match="not_applicable_reason"):
        _load(raw, tmp_path)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda e: e["topic"]["zh"].append("生物分布(未闭合"),
        lambda e: e["topic"]["en"].append("[a-"),
        lambda e: e["elements"][0]["patterns"]["en"].append("(?<=a+)b"),
        lambda e: e["elements"][0]["patterns"]["zh"].append("*剂量"),
    ],
    ids=["topic-zh", "topic-en", "element-en", "element-zh"],
)
def test_bad_regex_fails(raw: dict[str, Any], tmp_path: Path, mutate: Any) -> None:
    mutate(_entry(raw, "PK-BD-DESIGN"))
    with pytest.raises(CatalogError, match="bad regex"):
        _load(raw, tmp_path)


# ---------------------------------------------------------------- applicability

PROFILES: dict[str, tuple[ProductProfile, set[str]]] = {
    "aav-iv": (
        ProductProfile(modality="aav", routes=["iv"], long_term_expression=True, population=["pediatric"]),
        {"PK-SHEDDING-INFECTIVITY", "TOX-LONG-EXPRESSION", "IMM-PREEXISTING", "IMM-COMPLEMENT",
         "GENO-INTEGRATION", "RCV-RISK"},
    ),
    "aav-subretinal": (
        ProductProfile(modality="aav", routes=["subretinal"], long_term_expression=True),
        {"PK-SHEDDING-INFECTIVITY", "TOX-LONG-EXPRESSION", "IMM-PREEXISTING", "GENO-INTEGRATION",
         "RCV-RISK", "LOCAL-TOLERANCE"},
    ),
    "lentivirus-iv": (
        ProductProfile(modality="lentivirus", routes=["iv"], integrating=True, long_term_expression=True),
        {"PK-SHEDDING-INFECTIVITY", "TOX-LONG-EXPRESSION", "IMM-PREEXISTING", "IMM-COMPLEMENT",
         "GENO-INTEGRATION", "GENO-INSERTIONAL", "RCV-RISK"},
    ),
    "oncolytic-hsv-intratumoral": (
        ProductProfile(
            modality="hsv", replication_competent=True, routes=["intratumoral"], clinical_dosing="repeat",
            immunomodulatory_transgene=True, population=["advanced_cancer"],
        ),
        {"PK-SHEDDING-INFECTIVITY", "IMM-PREEXISTING", "IMM-IMMUNOTOX", "GENO-INTEGRATION",
         "LOCAL-TOLERANCE"},
    ),
    "plasmid-intramuscular": (
        ProductProfile(modality="plasmid", routes=["intramuscular"], clinical_dosing="repeat"),
        {"GENO-INTEGRATION", "LOCAL-TOLERANCE"},
    ),
    "lnp-editing-iv": (
        ProductProfile(modality="lnp_editing", genome_editing=True, routes=["iv"], long_term_expression=True),
        {"TOX-LONG-EXPRESSION", "IMM-COMPLEMENT", "GENO-INTEGRATION", "GENO-OFFTARGET"},
    ),
    "bacteria-oral": (
        ProductProfile(modality="bacteria", routes=["oral"], clinical_dosing="repeat"),
        {"PK-SHEDDING-INFECTIVITY"},
    ),
    # further edges of the same predicates
    "aav-iv-with-reported-facts": (
        ProductProfile(
            modality="aav", routes=["iv"], nonstandard_species=True, surrogate_product=True,
            major_change=True, reproductive_organ_toxicity=True,
        ),
        {"GEN-NONSTANDARD-SPECIES", "GEN-BRIDGING", "PD-SURROGATE", "TOX-SURROGATE", "REPRO-FERTILITY",
         "PK-SHEDDING-INFECTIVITY", "IMM-PREEXISTING", "IMM-COMPLEMENT", "GENO-INTEGRATION", "RCV-RISK"},
    ),
    "mrna-lnp-iv": (
        ProductProfile(modality="mrna", routes=["iv"]),
        {"IMM-COMPLEMENT", "GENO-INTEGRATION"},
    ),
    "mrna-intramuscular": (
        ProductProfile(modality="mrna", routes=["intramuscular"]),
        {"GENO-INTEGRATION", "LOCAL-TOLERANCE"},
    ),
    "lentivirus-flag-unset": (  # lentiviral vectors integrate whatever the flag says
        ProductProfile(modality="lentivirus", routes=["intravitreal"]),
        {"PK-SHEDDING-INFECTIVITY", "IMM-PREEXISTING", "GENO-INTEGRATION", "GENO-INSERTIONAL", "RCV-RISK",
         "LOCAL-TOLERANCE"},
    ),
    "transposon-plasmid-iv": (
        ProductProfile(modality="plasmid", transposon=True, integrating=True, routes=["iv"]),
        {"GENO-INTEGRATION", "GENO-INSERTIONAL", "GENO-OFFTARGET"},
    ),
    "replicating-adenovirus-iv-and-oral": (
        ProductProfile(modality="adenovirus", replication_competent=True, routes=["iv", "oral"]),
        {"PK-SHEDDING-INFECTIVITY", "IMM-PREEXISTING", "IMM-COMPLEMENT", "GENO-INTEGRATION"},
    ),
    "phage-inhaled": (
        ProductProfile(modality="phage", routes=["inhaled"]),
        {"PK-SHEDDING-INFECTIVITY", "LOCAL-TOLERANCE"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(PROFILES))
def test_applicability(catalog: Catalog, name: str) -> None:
    profile, expected = PROFILES[name]
    applies = {r.id for r in catalog.requirements if r.applies is None or r.applies.evaluate(profile)}
    conditional_applying = applies & CONDITIONAL
    assert conditional_applying == expected, (
        f"unexpected: {sorted(conditional_applying - expected)}, missing: {sorted(expected - conditional_applying)}"
    )
    # every unconditional contract requirement applies to every in-scope product
    assert set(SPEC) - CONDITIONAL <= applies


def test_applicability_matches_the_labelled_dossiers(catalog: Catalog) -> None:
    import json

    root = Path(__file__).resolve().parents[1] / "evals" / "dossiers"
    labelled = sorted(root.glob("*/labels.json"))  # top level only: held-out sets stay unread
    checked = 0
    for path in labelled:
        labels = json.loads(path.read_text(encoding="utf-8"))
        if labels.get("scope") != "in_scope":
            continue
        fields = {
            k: v for k, v in labels["profile"].items() if k in ProductProfile.model_fields and k != "evidence"
        }
        profile = ProductProfile(**fields)
        for r in catalog.requirements:
            gold = labels["requirements"].get(r.id, {}).get("status")
            if gold is None:
                continue
            applies = r.applies is None or r.applies.evaluate(profile)
            assert applies == (gold != "not_applicable"), f"{path.parent.name}: {r.id} gold={gold}"
        checked += 1
    if not checked:
        pytest.skip("no labelled in-scope dossiers")


# ---------------------------------------------------------------- element patterns

UNRELATED = [
    "动物饲养于屏障环境中，温度20～26℃，湿度40%～70%，自由饮水。",
    "会议室的空调于周一维修完毕，行政部门已通知全体员工按时参加年会。",
    "本报告的页眉包含公司名称和文件编号，页脚显示页码与版本号。",
    "Animals were housed in a barrier facility with free access to water and a 12-hour light/dark cycle.",
    "The archive room in the Canadian office was repainted immediately after the holiday, and the "
    "cafeteria menu now includes coffee and pastries.",
    "Please contact the project manager by email if the invoice needs to be reissued; the accounting "
    "team will confirm receipt within two business days.",
]

# requirement -> language -> [(sentence, elements that must be present)]
ELEMENT_CASES: dict[str, dict[str, list[tuple[str, set[str]]]]] = {
    "TOX-GROUPS": {
        "zh": [
            ("本试验设低、中、高3个剂量组及溶媒对照组。", {"low_dose", "mid_dose", "high_dose", "control"}),
            ("设低剂量组（1×10^13 vg/kg）、中剂量组（3×10^13 vg/kg）和高剂量组（1×10^14 vg/kg），另设空载体对照组。",
             {"low_dose", "mid_dose", "high_dose", "control"}),
            ("疾病模型试验另设模型对照组和假手术组。", {"control", "model_sham_control"}),
        ],
        "en": [
            ("Animals will be assigned to low-dose, mid-dose and high-dose groups and a vehicle control group.",
             {"low_dose", "mid_dose", "high_dose", "control"}),
            ("Groups: vehicle, then low, intermediate and high dose (1E13, 3E13 and 1E14 vg/kg), plus an "
             "empty capsid control.", {"low_dose", "mid_dose", "high_dose", "control"}),
            ("4 Ad5-mIL12 mid 1.0E+9 10/10 5/5", {"mid_dose"}),
            ("A sham-operated group serves as the model control.", {"model_sham_control"}),
        ],
    },
    "PK-BD-TIMEPOINTS": {
        "zh": [
            ("于给药后第7天（预计峰值）和第90天（稳态期）采集组织。", {"peak", "plateau"}),
            ("溶瘤病毒的采样点包括第一、第二两个峰值和清除阶段。", {"peak", "second_peak", "clearance"}),
        ],
        "en": [
            ("Tissues are sampled on Day 7 (expected peak) and Day 90 (plateau).", {"peak", "plateau"}),
            ("Sampling captures the peak, steady state and clearance from non-target tissues.",
             {"peak", "plateau", "clearance"}),
            ("For this replicating virus the first and second peaks are sampled.", {"peak", "second_peak"}),
        ],
    },
    "GEN-GLP": {
        "zh": [
            ("关键毒理学试验将在通过GLP认证的机构按照《药物非临床研究质量管理规范》开展。",
             {"glp", "certified_facility"}),
            ("非GLP药效研究按方案和SOP开展，并由QA审计，以保证数据质量和完整性。", {"glp", "data_quality"}),
        ],
        "en": [
            ("The pivotal toxicity study will be conducted in a GLP-certified test facility in compliance with "
             "Good Laboratory Practice.", {"glp", "certified_facility"}),
            ("The non-GLP efficacy study follows an approved protocol and is audited by quality assurance to "
             "assure data integrity.", {"glp", "data_quality"}),
        ],
    },
    "TOX-SEX-AGE": {
        "zh": [
            ("每组10只动物，雌雄各半，给药时约3～4周龄。", {"both_sexes", "age"}),
            ("每组5♂/5♀，约2～4岁。", {"both_sexes", "age"}),
        ],
        "en": [
            ("Each group has 5 males and 5 females, 2-4 years old at dosing.", {"both_sexes", "age"}),
            ("Both sexes will be used (10/sex/group); juvenile animals aged 3 weeks.", {"both_sexes", "age"}),
        ],
    },
}  # fmt: skip

# omissions are not presence: the both-sexes element must stay silent on a single-sex design
SINGLE_SEX = {
    "zh": "由于本病为X连锁遗传病，毒理学试验仅使用雄性动物。",
    "en": "Only male animals will be used because the disease is X-linked.",
}


@pytest.mark.parametrize("rid", list(ELEMENT_CASES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_element_patterns_fire_on_realistic_sentences(catalog: Catalog, rid: str, lang: str) -> None:
    req = catalog.get(rid)
    assert req is not None
    for sentence, expected in ELEMENT_CASES[rid][lang]:
        present = _present(req, lang, sentence)
        assert expected <= present, f"{rid}/{lang}: {sorted(expected - present)} not found in {sentence!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_single_sex_design_is_not_both_sexes(catalog: Catalog, lang: str) -> None:
    req = catalog.get("TOX-SEX-AGE")
    assert req is not None
    present = _present(req, lang, SINGLE_SEX[lang])
    assert "both_sexes" not in present
    assert "single_sex_or_age_reason" in present


@pytest.mark.parametrize("sentence", UNRELATED)
def test_no_pattern_fires_on_unrelated_text(catalog: Catalog, sentence: str) -> None:
    for r in catalog.requirements:
        assert not _hits(r.topic.all(), sentence), f"{r.id} topic fires on {sentence!r}"
        for e in r.elements:
            assert not _hits(e.patterns.all(), sentence), f"{r.id}.{e.name} fires on {sentence!r}"


# One realistic sentence per requirement and language that states everything the clause demands:
# every required element must be found in it.
FULL_SENTENCES: dict[str, tuple[str, str]] = {
    "GEN-GLP": (
        "关键毒理学试验将在通过GLP认证的机构按照《药物非临床研究质量管理规范》开展；非GLP的整合性研究将由QA部门监督以保证数据质量和完整性。",
        "Pivotal toxicology studies will be conducted in a GLP-certified test facility in compliance with Good Laboratory Practice; non-GLP parts are audited by QA to assure data integrity.",
    ),
    "GEN-SPECIES-RELEVANCE": (
        "食蟹猴为相关种属：AAV9可在其肝脏有效转导，转基因可转录和翻译，表达产物与人源蛋白具有相同的药理学活性。",
        "The cynomolgus monkey is a relevant species: AAV9 transduces its liver, the transgene is transcribed and expressed, and the protein has pharmacological activity comparable to humans.",
    ),
    "GEN-NONSTANDARD-SPECIES": (
        "药效研究采用GAA基因敲除小鼠，因为该模型能够模拟患者的糖原蓄积表型。",
        "Efficacy will be tested in GAA knockout mice because this strain recapitulates glycogen accumulation seen in patients.",
    ),
    "GEN-TEST-ARTICLE": (
        "非临床研究受试物采用与临床批次相同的生产工艺制备，经放行检测（滴度、纯度、空壳率），剂型与临床拟用剂型一致，具有代表性。",
        "The test article is manufactured with the same process as the clinical lot, characterised by release testing (titer, purity, full/empty ratio) in the clinical formulation, and is representative.",
    ),
    "GEN-BRIDGING": (
        "由于生产工艺由贴壁培养变更为悬浮培养，将开展可比性研究并评估桥接毒理学试验的必要性。",
        "Because the manufacturing process changed from adherent to suspension culture, a comparability study and a bridging toxicology study are planned.",
    ),
    "PD-MODEL": (
        "选择Gaa-/-敲除小鼠作为疾病模型，理由是其表型与患者相似；其局限性在于无法完全模拟人类疾病进程。",
        "The Gaa knockout mouse disease model was chosen because it recapitulates the cardiac phenotype; its limitations are that it does not fully reflect human disease progression.",
    ),
    "PD-POC-INVITRO": (
        "在HEK293细胞系及患者来源原代细胞中体外检测转基因表达水平和酶活，并验证其作用机制。",
        "In vitro, HEK293 cell lines and patient primary cells will be transduced to measure expression and enzyme activity and to confirm the mechanism of action.",
    ),
    "PD-POC-INVIVO": (
        "在疾病模型小鼠体内评价表型改善、转基因的体内表达（免疫组化）及底物水平等生物标志物。",
        "In vivo, the mouse disease model will be assessed for phenotype rescue, transgene expression by immunohistochemistry and biomarkers such as substrate levels.",
    ),
    "PD-DOSE-RESPONSE": (
        "设置4个剂量组探索量效关系，确定最低起效剂量和有效剂量范围。",
        "Four dose levels will be tested to characterise the dose-response and identify the minimal effective dose and effective dose range.",
    ),
    "PD-ROUTE-REGIMEN": (
        "比较静脉与鞘内给药途径，并在疾病早期与晚期给药以优化给药方案和给药时机。",
        "Intravenous and intrathecal routes will be compared, and dosing at early versus late disease stage will optimise the regimen and timing.",
    ),
    "PD-SURROGATE": (
        "由于人源蛋白在小鼠中具有免疫原性，采用表达小鼠同源基因的替代产品，并论证其对临床产品的支持性和差异。",
        "A surrogate vector carrying the murine homolog will be used; its relevance to the clinical product and differences are discussed.",
    ),
    "PD-SAFETY-PHARM": (
        "安全药理学终点（中枢神经系统功能观察组合、心电图和血压、呼吸频率）将纳入重复给药毒性试验，在临床试验前完成。",
        "Safety pharmacology endpoints (CNS functional observational battery, ECG and blood pressure by telemetry, respiratory rate) will be incorporated into the GLP toxicology study before the first clinical dose.",
    ),
    "PK-BD-DESIGN": (
        "生物分布研究在食蟹猴中以临床拟用给药途径静脉给予高剂量，检测注射部位、肝脏、性腺等靶组织和非靶组织及血液、脑脊液中的载体基因组拷贝数。",
        "Biodistribution will be studied in cynomolgus monkeys given the high dose by the intended IV route, measuring vector genomes in the liver, gonads and other target and non-target tissues and in blood and CSF.",
    ),
    "PK-BD-TIMEPOINTS": (
        "生物分布采样时间点包括给药后第7天（预计峰值）和第90天（稳态期）。",
        "Biodistribution sampling time points include Day 7 (expected peak) and Day 90 (plateau / steady state).",
    ),
    "PK-BD-TIMING": (
        "生物分布研究将在首次人体试验开始前完成。",
        "The biodistribution study will be completed before the first-in-human trial.",
    ),
    "PK-BD-METHOD-VALIDATION": (
        "组织中载体基因组采用qPCR方法检测，该方法已完成方法学验证。",
        "Vector genomes in tissues will be quantified by a validated qPCR assay.",
    ),
    "PK-SHEDDING": (
        "脱落研究收集尿液、粪便和唾液样本，检测载体排出体外情况。",
        "Shedding will be assessed in urine, feces and saliva samples.",
    ),
    "PK-SHEDDING-INFECTIVITY": (
        "对qPCR阳性的脱落样本进一步采用TCID50法检测感染性。",
        "qPCR-positive shedding samples will be tested for infectivity by TCID50 assay.",
    ),
    "TOX-SURROGATE": (
        "由于临床产品在大鼠中无交叉反应，毒理学试验采用替代产品，并说明其与临床样品在生产工艺和杂质方面的差异。",
        "Because the clinical product is not cross-reactive in rats, a surrogate will be used in toxicology; differences in manufacturing and impurities are described.",
    ),
    "TOX-SPECIES": (
        "一般毒理学试验选用食蟹猴，该种属对AAV9敏感，为相关种属。",
        "General toxicology will use cynomolgus monkeys, a relevant species permissive to AAV9 transduction.",
    ),
    "TOX-SEX-AGE": (
        "每组10只动物，雌雄各半，给药时约3～4周龄。",
        "Each group has 5 males and 5 females, aged 2-4 years at dosing.",
    ),
    "TOX-DOSE-SELECTION": (
        "高剂量为临床拟用最高剂量的10倍，低剂量接近药效剂量。",
        "The high dose is a 10-fold multiple of the proposed clinical dose; the low dose approximates the effective dose.",
    ),
    "TOX-GROUPS": (
        "本试验设低、中、高3个剂量组及溶媒对照组。",
        "Animals will be assigned to low-dose, mid-dose and high-dose groups and a vehicle control group.",
    ),
    "TOX-REGIMEN": (
        "采用与临床一致的静脉给药途径，单次给药。",
        "A single intravenous dose will be given, consistent with the intended clinical regimen.",
    ),
    "TOX-LONG-EXPRESSION": (
        "鉴于转基因长期表达，观察期延长至表达达稳态之后，以评价毒性的持续时间和可逆性。",
        "Given long-term expression, observation continues beyond steady state to assess reversibility of findings.",
    ),
    "TOX-DURATION-RECOVERY": (
        "试验期限为给药后26周；鉴于转基因持续表达，另设恢复组观察13周以评价可逆性。",
        "The study duration is 26 weeks after dosing; because expression persists, a 13-week recovery period follows.",
    ),
    "TOX-NECROPSY-TIMEPOINTS": (
        "设置中期解剖（第28天，表达峰值）和终末解剖（第182天，稳态）。",
        "Interim necropsy on Day 28 (expression peak) and terminal necropsy on Day 182 (steady state) are scheduled.",
    ),
    "TOX-ENDPOINTS-SPECIAL": (
        "除常规指标外，增加细胞因子（IL-6、TNF-α）、异位增生病变的组织病理评价及免疫原性（中和抗体）检测。",
        "In addition to routine endpoints, cytokines (IL-6, TNF-alpha), hyperplasia and ectopic proliferation, and immunogenicity (neutralizing antibodies) will be evaluated.",
    ),
    "TOX-SATELLITE-BD": (
        "设置卫星组检测载体在组织中的分布、存续及转基因mRNA表达水平。",
        "Satellite animals will be used to measure vector distribution and persistence and transgene mRNA expression.",
    ),
    "IMM-RESPONSES": (
        "检测抗AAV9衣壳的结合抗体和中和抗体、抗转基因蛋白抗体，并采用ELISpot评价T细胞反应。",
        "Binding and neutralizing antibodies against the capsid and the transgene product will be measured, and T-cell responses assessed by ELISpot.",
    ),
    "IMM-PREEXISTING": (
        "入组前筛选预存AAV9中和抗体阴性的动物。",
        "Animals will be screened for pre-existing neutralizing antibodies to AAV9 before assignment.",
    ),
    "IMM-COMPLEMENT": (
        "给药后2小时和24小时检测血清补体激活标志物C3a、Bb和sC5b-9。",
        "Complement activation markers C3a, Bb and sC5b-9 will be measured 2 hours post-dose.",
    ),
    "IMM-IMMUNOTOX": (
        "由于导入基因编码细胞因子，将开展免疫毒性研究，包括TDAR和淋巴细胞亚群分析。",
        "Because the transgene encodes a cytokine, an immunotoxicity study will include TDAR and lymphocyte subset analysis.",
    ),
    "REPRO-RISK-ASSESSMENT": (
        "将根据产品类型、作用机制、一般毒理发现、性腺分布及患者人群评估生殖毒性风险，参考ICH S5(R3)。",
        "Reproductive risk assessment will consider product type, mechanism of action, general toxicology findings, gonadal biodistribution and the patient population, per ICH S5(R3).",
    ),
    "REPRO-EFD-PPND": (
        "计划开展胚胎-胎仔发育毒性试验和围产期毒性试验。",
        "Embryo-fetal development and pre- and postnatal development (PPND) studies are planned.",
    ),
    "REPRO-FERTILITY": (
        "鉴于一般毒理学试验中睾丸出现病变，将开展生育力和早期胚胎发育毒性试验。",
        "Given testicular findings in general toxicology, a fertility and early embryonic development study will be conducted.",
    ),
    "REPRO-GERMLINE": (
        "如载体在睾丸和卵巢中持续存在，将检测精子中的载体拷贝并评估生殖系整合风险。",
        "If vector persists in testes and ovaries, sperm will be analysed and the germline integration risk assessed.",
    ),
    "GENO-INTEGRATION": (
        "AAV载体主要以游离体形式存在，整合进宿主基因组的可能性低，不进行标准遗传毒性组合试验。",
        "AAV vectors persist mainly as episomes and the likelihood of integration into the host genome is low; a standard genotoxicity battery is not planned.",
    ),
    "GENO-INSERTIONAL": (
        "采用LAM-PCR分析整合位点，并检测插入拷贝数（VCN）。",
        "Integration sites will be analysed by LAM-PCR and vector copy number (VCN) measured.",
    ),
    "GENO-OFFTARGET": (
        "采用GUIDE-seq和生物信息学预测筛选脱靶位点，并以扩增子测序验证。",
        "Off-target sites will be nominated by GUIDE-seq and in silico prediction and verified by amplicon sequencing.",
    ),
    "CARC-WOE": (
        "采用证据权重方法评估致癌性风险，考虑插入突变、增生性病变及导入基因是否为生长因子。",
        "Carcinogenicity risk will be assessed by weight of evidence, considering insertional mutagenesis, hyperplasia and whether the transgene is a growth factor.",
    ),
    "RCV-RISK": (
        "采用经方法学验证的细胞培养法检测每批次中的复制型腺病毒（RCA），评估生产过程中重组产生复制型病毒的风险。",
        "Each lot will be tested for replication-competent adenovirus (RCA) with a validated assay, and the risk of recombination during manufacturing assessed.",
    ),
    "LOCAL-TOLERANCE": (
        "局部耐受性将结合在一般毒理学试验中评价注射部位反应。",
        "Local tolerance at the injection site will be evaluated within the general toxicology study.",
    ),
    "FIH-DOSE": (
        "起始剂量基于最低起效剂量和NOAEL两种方法，并按体表面积进行种属间换算。",
        "The starting dose is derived from the minimal effective dose and the NOAEL, with interspecies scaling by body surface area.",
    ),
}


def test_replicating_products_need_two_peaks_and_clearance(catalog: Catalog) -> None:
    timepoints, species = catalog.get("PK-BD-TIMEPOINTS"), catalog.get("GEN-SPECIES-RELEVANCE")
    assert timepoints is not None and species is not None
    aav = ProductProfile(modality="aav", routes=["iv"])
    hsv = ProductProfile(modality="hsv", replication_competent=True, routes=["intratumoral"])
    assert _required(timepoints, aav) == {"peak", "plateau"}
    assert _required(timepoints, hsv) == {"peak", "second_peak", "clearance"}
    assert "replication" not in _required(species, aav)
    assert "replication" in _required(species, hsv)


def test_every_contract_id_has_a_full_sentence() -> None:
    assert set(FULL_SENTENCES) == set(SPEC)


@pytest.mark.parametrize("rid", list(FULL_SENTENCES))
def test_required_elements_found_in_a_complete_statement(catalog: Catalog, rid: str) -> None:
    req = catalog.get(rid)
    assert req is not None
    for lang, sentence in zip(("zh", "en"), FULL_SENTENCES[rid], strict=True):
        required = _required(req, ProductProfile(modality="aav", routes=["iv"]))
        present = _present(req, lang, sentence)
        assert required <= present, f"{rid}/{lang}: {sorted(required - present)} not found in {sentence!r}"
        assert _hits(getattr(req.topic, lang), sentence), f"{rid}/{lang}: topic misses {sentence!r}"


# ---------------------------------------------------------------- vocabulary

# Vocabulary pass: sentences phrased as different sponsors write them (CRO protocol, big-pharma
# overview, academic spin-out, terse table cell, Chinese regulatory writer) for different product
# types. requirement -> language -> [(sentence, names that must be found)]; 'topic' is the
# requirement's topic, 'conclusion' a reasoned risk conclusion on the topic (assessment route).
VOCABULARY: dict[str, dict[str, list[tuple[str, set[str]]]]] = {
    'GEN-GLP': {
        'zh': [
            ('关键的重复给药毒性试验将在具有NMPA GLP资质的机构开展，并遵循《药物非临床研究质量管理规范》。', {'certified_facility', 'glp', 'topic'}),
            ('本试验符合GLP要求，试验机构已通过国家药监局GLP认证检查。', {'certified_facility', 'glp', 'topic'}),
            ('非GLP的疾病模型药效研究由质量保证部门进行稽查，原始数据可追溯。', {'data_quality', 'glp', 'topic'}),
            ('生物分布检测在非GLP条件下进行，但参照GLP原则管理，确保数据的可靠性与完整性。', {'data_quality', 'glp', 'topic'}),
            ('GLP状态：GLP（毒理）；非GLP（药效，QA稽查）', {'data_quality', 'glp', 'topic'}),
            ('特殊指标检测由委托实验室按照其标准操作规程（SOP）完成，并接受申办方质量审计。', {'data_quality', 'topic'}),
        ],
        'en': [
            ('The pivotal 26-week study will be performed at a GLP-compliant CRO in accordance with OECD Principles of GLP.', {'certified_facility', 'glp', 'topic'}),
            ('All IND-enabling safety studies were conducted in compliance with 21 CFR Part 58 at an AAALAC-accredited, GLP-inspected facility.', {'certified_facility', 'glp', 'topic'}),
            ('Exploratory pharmacology studies were non-GLP but were conducted according to study-specific protocols with QA oversight to ensure data integrity.', {'data_quality', 'glp', 'topic'}),
            ('Non-GLP special endpoints (ELISpot) are performed in a GLP-like manner; raw data are archived and audited by Quality Assurance.', {'data_quality', 'glp', 'topic'}),
            ('GLP status: GLP (tox), non-GLP (PD)', {'glp', 'topic'}),
            ("Biodistribution analyses were performed by the sponsor's bioanalytical laboratory under a quality system equivalent to GLP, with audit trails maintained.", {'data_quality', 'glp', 'topic'}),
        ],
    },
    'GEN-SPECIES-RELEVANCE': {
        'zh': [
            ('食蟹猴为相关种属：AAV8在其肝细胞中转导效率高，人FIX蛋白可分泌入血并具有凝血活性。', {'activity', 'expression', 'topic', 'transduction'}),
            ('小鼠肝细胞可摄取LNP并翻译mRNA，产生的MUT酶具有催化活性，因此小鼠为药理学相关种属。', {'activity', 'expression', 'transduction'}),
            ('种属选择依据：大鼠和食蟹猴的视网膜细胞均表达LRP受体，慢病毒载体可有效进入细胞，转基因产物与人源蛋白序列一致性为98%。', {'activity', 'topic', 'transduction'}),
            ('溶瘤HSV-1可在小鼠肿瘤细胞中感染并复制，表达的GM-CSF对小鼠有交叉反应性。', {'activity', 'expression', 'replication', 'transduction'}),
            ('该工程菌在小鼠肠道中定植并表达苯丙氨酸解氨酶，酶活性可被检测。', {'activity', 'expression', 'transduction'}),
            ('动物种属相关性：sgRNA靶序列在食蟹猴PCSK9基因中完全保守，LNP递送至肝脏后可实现有效编辑。', {'activity', 'expression', 'topic', 'transduction'}),
            ('腺病毒载体可在棉鼠中复制，棉鼠为该病毒的易感动物。', {'replication', 'topic'}),
        ],
        'en': [
            ('The cynomolgus monkey is the pharmacologically relevant species because AAV9 efficiently transduces its motor neurons and the hSMN1 transgene is expressed at therapeutic levels.', {'activity', 'expression', 'topic', 'transduction'}),
            ('Mouse hepatocytes take up the LNP and translate the mRNA into enzymatically active MUT protein, supporting the mouse as a relevant species.', {'activity', 'expression', 'transduction'}),
            ('Species selection: the target receptor (CAR) is expressed in rat and NHP airway epithelium, supporting vector entry; the transgene product cross-reacts with the rodent receptor.', {'activity', 'topic', 'transduction'}),
            ('The oncolytic vaccinia virus infects and replicates in murine tumour cells, and the encoded murine GM-CSF is biologically active in mice.', {'activity', 'replication', 'transduction'}),
            ('Relevance of the test system: the sgRNA target sequence is 100% conserved in cynomolgus PCSK9 and LNP delivery to the liver results in on-target editing.', {'activity', 'expression', 'topic', 'transduction'}),
            ('The engineered E. coli strain colonises the murine gut and produces functional PAL, demonstrating pharmacological activity in this species.', {'activity', 'expression', 'transduction'}),
            ('Plasmid DNA was taken up by muscle fibres after electroporation and HGF protein was detected, with angiogenic activity in the rabbit hindlimb.', {'activity', 'expression', 'transduction'}),
        ],
    },
    'GEN-NONSTANDARD-SPECIES': {
        'zh': [
            ('选用Mut-/-;TgINS-MCK-Mut小鼠作为疾病模型，因为该品系可模拟MMA患者的代谢表型。', {'justification', 'species_named', 'topic'}),
            ('采用叙利亚仓鼠评价溶瘤腺病毒的毒性，原因是该种属为人腺病毒的复制许可宿主。', {'justification', 'species_named', 'topic'}),
            ('人源化FcRn小鼠被用于评估，其合理性在于能反映人体抗体循环特征。', {'justification', 'species_named', 'topic'}),
            ('鉴于小型猪眼球大小与人接近，视网膜下给药研究选用巴马小型猪。', {'justification', 'species_named', 'topic'}),
            ('棉鼠对人腺病毒易感，故作为复制型腺病毒毒理学研究的动物种属。', {'justification', 'species_named', 'topic'}),
        ],
        'en': [
            ('The Fah-/- knockout mouse was selected because it is the only model in which corrected hepatocytes show a selective growth advantage.', {'justification', 'species_named', 'topic'}),
            ('Syrian hamsters are used since they are permissive for replication of human species C adenoviruses.', {'justification', 'species_named', 'topic'}),
            ('Humanized-liver FRG mice were used to assess editing of the human target sequence, as the guide does not recognise the murine locus.', {'justification', 'species_named', 'topic'}),
            ('Göttingen minipigs were chosen for subretinal delivery given their eye size is comparable to the human eye.', {'justification', 'species_named', 'topic'}),
            ('Sheep are the species of choice for intrathecal AAV delivery owing to a CSF volume closer to humans.', {'justification', 'species_named', 'topic'}),
        ],
    },
    'GEN-TEST-ARTICLE': {
        'zh': [
            ('毒理学试验所用受试物为GMP工程批（批号ENG-2301），与临床批采用相同工艺生产，放行检测包括基因组滴度、感染滴度、纯度和效价。', {'characterised', 'quality_attributes', 'representative', 'topic'}),
            ('供试品：mRNA-LNP，批号TL-001，浓度1 mg/mL，包封率93%，与拟用于临床的制剂处方一致。', {'characterised', 'quality_attributes', 'representative', 'topic'}),
            ('非临床研究用样品的生产工艺和质量与临床样品具有可比性，提供检验报告书（CoA）。', {'characterised', 'quality_attributes', 'representative', 'topic'}),
            ('受试物为毒理批，其滴度、空壳率、残留宿主细胞DNA等质量属性均符合临床放行标准，具有代表性。', {'characterised', 'quality_attributes', 'representative', 'topic'}),
            ('试验样品由申办方提供，经效价测定确认其在大鼠细胞中的生物学活性。', {'characterised', 'species_specific_activity', 'topic'}),
            ('溶瘤病毒受试物采用与临床相同的悬浮培养工艺，蚀斑滴度为1×10^9 PFU/mL。', {'quality_attributes', 'representative', 'topic'}),
        ],
        'en': [
            ('The test item is an engineering run (lot ENG-01) manufactured by the same process as the clinical GMP lots and released against the clinical specifications (vg titre, infectious titre, potency, purity).', {'characterised', 'quality_attributes', 'representative', 'topic'}),
            ('Test article: LNP-formulated sgRNA/Cas9 mRNA, tox lot 22-003, encapsulation efficiency 95%, in the clinical formulation buffer.', {'quality_attributes', 'representative', 'topic'}),
            ('The toxicology batch is comparable to the intended clinical material in terms of process, impurity profile and potency.', {'characterised', 'quality_attributes', 'representative', 'topic'}),
            ('Material: GMP lot, 1.2E13 vg/mL, CoA attached', {'characterised', 'quality_attributes', 'representative', 'topic'}),
            ('Nonclinical lots were produced at scale using the commercial-intent process and characterised for identity, strength and potency; the potency assay confirmed activity in murine cells.', {'characterised', 'quality_attributes', 'representative', 'species_specific_activity'}),
            ('The bacterial test article was released on viable count (CFU/g), strain identity and absence of contaminants, representative of the Phase 1 drug product.', {'characterised', 'quality_attributes', 'representative', 'topic'}),
        ],
    },
    'GEN-BRIDGING': {
        'zh': [
            ('Ⅰ期后生产工艺由贴壁HEK293变更为悬浮培养，拟通过可比性研究评估是否需要补充毒理学试验。', {'bridging_assessment', 'change_described', 'topic'}),
            ('启动子由CAG替换为肝特异性LP1，申请人将评估重新开展非临床研究的必要性。', {'bridging_assessment', 'change_described', 'topic'}),
            ('衣壳经定向进化改造后，计划开展一项桥接性毒理研究。', {'bridging_assessment', 'change_described', 'topic'}),
            ('LNP处方中可电离脂质发生变更，将开展对比毒理学研究以桥接既往数据。', {'bridging_assessment', 'change_described', 'topic'}),
            ('工艺放大至500L后，开展头对头比较研究，确认产品质量可比。', {'bridging_assessment', 'change_described', 'topic'}),
        ],
        'en': [
            ('Following the switch from transient transfection to a producer cell line, a comparability exercise and a bridging single-dose toxicity study will be performed.', {'bridging_assessment', 'change_described', 'topic'}),
            ('The codon-optimised second-generation construct replaces the original cassette; the need for additional nonclinical studies was assessed.', {'bridging_assessment', 'change_described', 'topic'}),
            ('Because the ionizable lipid was changed, a head-to-head toxicology study comparing old and new formulations is planned.', {'bridging_assessment', 'change_described', 'topic'}),
            ('Process change (scale-up to 200 L): analytical comparability plus a 4-week bridging study in mice.', {'bridging_assessment', 'change_described', 'topic'}),
            ('The promoter was modified; prior data are bridged via an in vivo expression comparison.', {'bridging_assessment', 'change_described', 'topic'}),
        ],
    },
    'PD-MODEL': {
        'zh': [
            ('选用Mut基因敲除小鼠作为疾病模型，该模型可模拟MMA患者的代谢危象；局限在于新生期致死率高。', {'limitations', 'model_named', 'rationale', 'topic'}),
            ('采用CT26同基因荷瘤小鼠模型评价溶瘤病毒，理由是该模型具有完整免疫系统；但该模型与人类肿瘤微环境存在差异。', {'limitations', 'model_named', 'rationale', 'topic'}),
            ('rd10小鼠是经典的视网膜色素变性模型，广泛用于基因治疗药效评价，其缺点为病程进展较快。', {'limitations', 'model_named', 'rationale', 'topic'}),
            ('由于缺乏合适的动物模型，采用患者来源iPSC分化的视网膜类器官作为补充。', {'additional_models', 'model_named', 'rationale', 'topic'}),
            ('下肢缺血模型通过结扎股动脉建立，能够反映严重肢体缺血的病理特征，但不能完全模拟人类慢性病程。', {'limitations', 'model_named', 'rationale', 'topic'}),
            ('药效模型：mdx小鼠和GRMD犬两种模型互为补充。', {'additional_models', 'model_named', 'topic'}),
        ],
        'en': [
            ('The Mut-/- mouse was selected as it reproduces the biochemical phenotype of MMA; a limitation is the neonatal lethality, which restricts the dosing window.', {'limitations', 'model_named', 'rationale', 'topic'}),
            ('A syngeneic MC38 tumour model in immunocompetent mice was chosen to capture immune-mediated effects of the oncolytic HSV; however, subcutaneous tumours do not fully reflect the human tumour microenvironment.', {'limitations', 'model_named', 'rationale', 'topic'}),
            ('Model: rd10 mouse (PDE6b mutant); rationale: rapid photoreceptor degeneration; caveat: faster progression than in patients.', {'limitations', 'model_named', 'rationale', 'topic'}),
            ('Given the absence of a suitable animal model, patient iPSC-derived retinal organoids and a humanized mouse model were used.', {'additional_models', 'model_named', 'topic'}),
            ('The hindlimb ischemia model in rabbits is well established for angiogenic plasmid therapies, although it cannot be directly extrapolated to chronic limb-threatening ischaemia.', {'limitations', 'model_named', 'rationale', 'topic'}),
            ('The PAH-deficient Pah-enu2 mouse mimics human phenylketonuria; it is the most widely used PKU model.', {'model_named', 'rationale', 'topic'}),
        ],
    },
    'PD-POC-INVITRO': {
        'zh': [
            ('体外研究中，在HepG2细胞中转染mRNA-LNP后检测MUT蛋白表达及酶活性。', {'in_vitro', 'topic', 'transgene_function'}),
            ('利用患者来源成纤维细胞评价转基因对细胞功能的挽救作用，并验证作用机制。', {'in_vitro', 'mechanism', 'transgene_function'}),
            ('在A549、HepG2等肿瘤细胞系中测定溶瘤病毒的杀伤活性（IC50）。', {'in_vitro', 'transgene_function'}),
            ('在HEK293T细胞中评估sgRNA的切割效率，靶位点编辑效率通过NGS测定。', {'in_vitro', 'transgene_function'}),
            ('细胞水平实验：原代人肝细胞中检测FIX分泌量。', {'in_vitro', 'topic', 'transgene_function'}),
        ],
        'en': [
            ('In vitro, HepG2 cells transfected with the mRNA-LNP produced MUT protein with enzymatic activity restored to normal levels.', {'in_vitro', 'topic', 'transgene_function'}),
            ('Patient-derived fibroblasts were transduced to confirm functional correction and the mechanism of action.', {'in_vitro', 'mechanism', 'transgene_function'}),
            ('Oncolytic potency was determined in a panel of human tumour cell lines (cytotoxicity EC50).', {'in_vitro', 'topic', 'transgene_function'}),
            ('Editing efficiency at the target locus was quantified in primary human hepatocytes by NGS.', {'in_vitro', 'transgene_function'}),
            ('In vitro PoC: iPSC-derived cardiomyocytes, transgene expression and calcium handling.', {'in_vitro', 'topic', 'transgene_function'}),
        ],
    },
    'PD-POC-INVIVO': {
        'zh': [
            ('在Mut-/-小鼠体内，单次静脉给予mRNA-LNP后检测血浆甲基丙二酸水平、体重增长及肝脏MUT蛋白表达。', {'biomarkers', 'endpoints', 'in_vivo', 'transgene_expression'}),
            ('CT26荷瘤小鼠瘤内注射溶瘤病毒后监测肿瘤体积及生存期。', {'endpoints', 'in_vivo', 'phenotype'}),
            ('体内药效研究中，PKU小鼠血苯丙氨酸水平下降作为主要药效指标。', {'biomarkers', 'endpoints', 'in_vivo', 'topic'}),
            ('rd10小鼠视网膜下给药后，通过视网膜电图和视网膜外核层厚度评价视功能改善。', {'endpoints', 'in_vivo', 'phenotype'}),
            ('食蟹猴单次给予LNP-CRISPR后检测肝脏编辑效率及血清PCSK9和LDL-C水平。', {'biomarkers', 'endpoints', 'in_vivo', 'transgene_expression'}),
        ],
        'en': [
            ('In Mut-/- mice, a single IV dose of mRNA-LNP reduced plasma methylmalonic acid and improved weight gain, with hepatic MUT protein confirmed by western blot.', {'biomarkers', 'endpoints', 'in_vivo', 'transgene_expression'}),
            ('Intratumoral injection in CT26 tumour-bearing mice led to tumour regression and prolonged survival.', {'endpoints', 'in_vivo', 'phenotype'}),
            ('In vivo efficacy: PKU mice, blood Phe reduction (primary PD marker).', {'biomarkers', 'endpoints', 'in_vivo', 'topic'}),
            ('Electroretinography and outer nuclear layer thickness were used to assess functional rescue in rd10 mice.', {'endpoints', 'in_vivo', 'phenotype'}),
            ('In NHPs, LNP-CRISPR achieved dose-dependent editing in liver and reduced serum TTR by >90%.', {'biomarkers', 'endpoints', 'in_vivo'}),
        ],
    },
    'PD-DOSE-RESPONSE': {
        'zh': [
            ('药效研究设置0.1、0.3、1.0 mg/kg三个剂量水平，以确定最低有效剂量。', {'dose_levels', 'med', 'topic'}),
            ('设1×10^12、3×10^12和1×10^13 vg/kg三个剂量组，探索量效关系并确定最小有效剂量（MED）。', {'dose_levels', 'dose_response', 'med', 'topic'}),
            ('剂量探索试验包括4个剂量组，结果呈剂量依赖性，最低起效剂量为3×10^11 vg/眼。', {'dose_levels', 'dose_response', 'med', 'topic'}),
            ('溶瘤病毒以1×10^6至1×10^8 PFU的剂量范围进行剂量递增研究，确定有效剂量范围。', {'dose_levels', 'effective_range', 'topic'}),
            ('起效剂量为0.3 mg/kg，剂量-效应关系见表5。', {'dose_response', 'med', 'topic'}),
        ],
        'en': [
            ('A dose-ranging study at 0.1, 0.3 and 1 mg/kg identified 0.3 mg/kg as the minimum effective dose.', {'dose_levels', 'dose_response', 'med', 'topic'}),
            ('Three dose levels (1E12, 3E12, 1E13 vg/kg) were tested; the MED was defined as the lowest dose giving a statistically significant reduction in substrate.', {'dose_levels', 'med', 'topic'}),
            ('Dose-response was characterised over a 30-fold range, establishing the efficacious dose range and the lowest efficacious dose.', {'dose_response', 'effective_range', 'med', 'topic'}),
            ('Dose levels: 1E6, 1E7, 1E8 PFU/tumour; MED 1E7 PFU.', {'dose_levels', 'med', 'topic'}),
            ('EC50 was estimated from the dose-response curve across five dose groups, and the minimally efficacious dose was identified.', {'dose_levels', 'dose_response', 'med', 'topic'}),
        ],
    },
    'PD-ROUTE-REGIMEN': {
        'zh': [
            ('比较了静脉注射与门静脉注射两种给药途径，发现静脉给药可充分到达肝脏。', {'route', 'route_rationale', 'topic'}),
            ('在发病前（P1）和发病后（P30）分别给药，以确定最佳给药时机。', {'regimen_timing', 'topic'}),
            ('溶瘤病毒采用瘤内注射，每3天给药一次，共3次。', {'regimen_timing', 'route'}),
            ('给药方案：静脉输注，每2周一次，共4次，与临床拟用方案一致。', {'regimen_timing', 'route', 'topic'}),
            ('鞘内给药优于静脉给药，可在较低剂量下使载体递送至脊髓运动神经元。', {'route', 'route_rationale'}),
        ],
        'en': [
            ('Intravenous and hepatic artery delivery were compared; IV delivery reached the target hepatocytes efficiently.', {'route', 'route_rationale', 'topic'}),
            ('Mice were treated at pre-symptomatic (P1) and symptomatic (P30) stages to define the treatment window.', {'regimen_timing', 'topic'}),
            ('The oncolytic vaccinia is injected intratumorally every 3 days for three doses.', {'regimen_timing', 'route'}),
            ('Route/regimen: IV infusion, q2w x 4, mirroring the intended clinical schedule.', {'regimen_timing', 'route', 'topic'}),
            ('Intrathecal administration was preferred over IV as it delivered vector to spinal cord motor neurons at lower doses.', {'route', 'route_rationale'}),
        ],
    },
    'PD-SURROGATE': {
        'zh': [
            ('由于人源IL-12对小鼠受体缺乏交叉反应，药效研究采用表达鼠源IL-12的替代病毒，并论证其与临床产品的相关性。', {'relevance', 'surrogate_described', 'topic'}),
            ('采用靶向小鼠Pcsk9的替代sgRNA，其与临床sgRNA的差异在于靶序列。', {'relevance', 'surrogate_described', 'topic'}),
            ('替代构建体仅将人源转基因替换为小鼠同源基因，其余元件相同，因而数据可支持临床产品。', {'relevance', 'surrogate_described', 'topic'}),
            ('鼠源化GM-CSF溶瘤病毒作为替代产品，科学评估其对临床试验的支持性。', {'relevance', 'surrogate_described', 'topic'}),
            ('采用编码大鼠同源蛋白的载体（替代分子），并说明两者在表达水平上的可比性。', {'relevance', 'surrogate_described', 'topic'}),
        ],
        'en': [
            ('Because human IL-12 is not active in mice, a surrogate virus encoding murine IL-12 was used; its relevance to the clinical candidate is discussed.', {'relevance', 'surrogate_described', 'topic'}),
            ('A mouse-specific guide targeting the murine Pcsk9 ortholog was used as a surrogate, differing from the clinical guide only in spacer sequence.', {'relevance', 'surrogate_described', 'topic'}),
            ('The surrogate construct carries the murine homologue under the same promoter; data are considered supportive of the clinical product.', {'relevance', 'surrogate_described', 'topic'}),
            ('Surrogate: mGM-CSF-armed HSV; justification: species specificity of GM-CSF.', {'relevance', 'surrogate_described', 'topic'}),
            ('A rat homologue vector served as a surrogate, and its comparability with the clinical vector in expression kinetics is shown.', {'relevance', 'surrogate_described', 'topic'}),
        ],
    },
    'PD-SAFETY-PHARM': {
        'zh': [
            ('安全药理学终点纳入食蟹猴重复给药毒性试验，包括神经系统检查、心电图和呼吸频率。', {'cardiovascular', 'cns', 'respiratory', 'timing_or_integration', 'topic'}),
            ('采用Irwin法观察大鼠行为，植入遥测装置监测血压和心率，全身体积描记法测定潮气量。', {'cardiovascular', 'cns', 'respiratory', 'topic'}),
            ('安全药理：FOB（大鼠）、ECG/血压（猴，遥测）、呼吸功能（大鼠，WBP）。', {'cardiovascular', 'cns', 'respiratory', 'topic'}),
            ('中枢神经系统评价采用功能观察组合，心血管系统采用植入式遥测，呼吸系统监测血氧饱和度，均在首次临床给药前完成。', {'cardiovascular', 'cns', 'respiratory', 'timing_or_integration', 'topic'}),
            ('神经学检查包括意识、步态、反射；同时检测QTc间期和呼吸频率。', {'cardiovascular', 'cns', 'respiratory'}),
        ],
        'en': [
            ('Safety pharmacology endpoints (neurological examination, ECG, respiratory rate) are incorporated into the GLP repeat-dose NHP study.', {'cardiovascular', 'cns', 'respiratory', 'timing_or_integration', 'topic'}),
            ('A modified Irwin screen, jacketed external telemetry for blood pressure and heart rate, and whole-body plethysmography will be performed.', {'cardiovascular', 'cns', 'respiratory', 'topic'}),
            ('Safety pharm: FOB (rat), ECG/BP telemetry (NHP), respiratory function by WBP (rat).', {'cardiovascular', 'cns', 'respiratory', 'topic'}),
            ('CNS, cardiovascular and respiratory assessments will be completed before the first-in-human dose.', {'cardiovascular', 'cns', 'respiratory', 'timing_or_integration', 'topic'}),
            ('Neurobehavioural observations, QTc interval and SpO2 were recorded at pre-dose and 2 h post-dose.', {'cardiovascular', 'cns', 'respiratory'}),
        ],
    },
    'PK-BD-DESIGN': {
        'zh': [
            ('生物分布研究：SD大鼠单次静脉注射高剂量mRNA-LNP，于不同时间点采集血浆、肝脏、脾脏、肺、心脏、肾脏、脑、睾丸/卵巢及注射部位，采用RT-qPCR检测mRNA，ELISA检测蛋白。', {'clinical_route', 'dose', 'expression_product', 'fluids', 'relevant_species', 'tissues', 'topic', 'transgene'}),
            ('食蟹猴鞘内注射AAV9（临床拟用途径，3×10^13 vg/只），采集脑脊液、血液及脑、脊髓、背根神经节、肝脏、性腺，以qPCR测定载体基因组拷贝数。', {'clinical_route', 'dose', 'fluids', 'relevant_species', 'tissues', 'transgene'}),
            ('溶瘤痘苗病毒瘤内注射后，检测肿瘤、血液、肝、脾、肺、卵巢中的病毒基因组。', {'clinical_route', 'fluids', 'tissues', 'transgene'}),
            ('采用兔玻璃体腔内给药，检测房水、玻璃体液、视网膜、视神经及血清中的载体DNA。', {'clinical_route', 'fluids', 'relevant_species', 'tissues', 'transgene'}),
            ('工程菌口服给药后，采用菌落计数和qPCR检测粪便、肠道各段、肠系膜淋巴结、肝脏和血液中的菌株分布。', {'clinical_route', 'fluids', 'tissues', 'transgene'}),
            ('质粒肌肉注射（拟临床剂量的10倍），检测注射部位肌肉、引流淋巴结、远端组织和全血中的质粒拷贝数。', {'clinical_route', 'dose', 'fluids', 'tissues', 'transgene'}),
            ('转录本采用RT-qPCR检测，组织样本包括肝脏和脾脏。', {'expression_product', 'tissues'}),
            ('组织分布：LNP-Cas9 mRNA，小鼠，静脉，肝/脾/肺/肾/心/脑/性腺/血浆，检测sgRNA、Cas9 mRNA及编辑效率。', {'clinical_route', 'fluids', 'relevant_species', 'tissues', 'topic', 'transgene'}),
        ],
        'en': [
            ('Biodistribution will be assessed in Sprague-Dawley rats after a single IV dose of the mRNA-LNP at the high dose; plasma, liver, spleen, lungs, heart, kidneys, brain, gonads and the injection site will be analysed for mRNA by RT-qPCR and protein by ELISA.', {'clinical_route', 'dose', 'expression_product', 'fluids', 'relevant_species', 'tissues', 'topic', 'transgene'}),
            ('NHPs receive AAV9 intrathecally at the clinical route (3E13 vg/animal); CSF, blood, brain, spinal cord, DRG, liver and gonads will be assayed for vector genomes by qPCR.', {'clinical_route', 'dose', 'fluids', 'relevant_species', 'tissues', 'transgene'}),
            ('After intratumoral injection of the oncolytic vaccinia, viral genomes will be quantified in tumour, whole blood, liver, spleen, lung and ovaries.', {'clinical_route', 'fluids', 'tissues', 'transgene'}),
            ('Rabbits dosed intravitreally: aqueous humour, vitreous, retina, optic nerve and serum will be collected for vector DNA.', {'clinical_route', 'fluids', 'relevant_species', 'tissues', 'transgene'}),
            ('Tissue distribution of the orally administered engineered bacteria will be determined by CFU counts and strain-specific qPCR in faeces, GI tract segments, mesenteric lymph nodes, liver and blood.', {'clinical_route', 'fluids', 'tissues', 'topic', 'transgene'}),
            ('Plasmid copies will be measured in the injected muscle, draining lymph nodes, distal organs and whole blood after intramuscular dosing at 10x the clinical dose.', {'clinical_route', 'dose', 'fluids', 'tissues', 'transgene'}),
            ('Transgene transcripts will be quantified by RT-qPCR in liver and vitreous samples.', {'expression_product', 'fluids', 'tissues'}),
            ('BD (mouse, IV, 3 mg/kg): liver/spleen/lung/kidney/heart/brain/gonads/plasma; LNP lipid, Cas9 mRNA, sgRNA and editing.', {'clinical_route', 'dose', 'fluids', 'relevant_species', 'tissues', 'transgene'}),
        ],
    },
    'PK-BD-TIMEPOINTS': {
        'zh': [
            ('采样时间点为给药后第1、7、28、90天，分别代表达峰期、平台期及清除期。', {'clearance', 'peak', 'plateau', 'topic'}),
            ('根据既往数据，肝脏载体拷贝在第14天达到最高水平，第56天后保持稳定。', {'peak', 'plateau'}),
            ('溶瘤HSV在肿瘤内呈现两个复制高峰，采样覆盖首个峰值、第二个峰值及病毒清除阶段。', {'clearance', 'peak', 'second_peak'}),
            ('mRNA-LNP的采样时间点：给药后2、6、24、48、168小时，覆盖Cmax及降至定量下限以下的时间。', {'clearance', 'peak', 'topic'}),
            ('解剖时间点选择在表达高峰（第4周）和表达平台期（第13周）。', {'peak', 'plateau'}),
        ],
        'en': [
            ('Sampling time points: Days 3, 14, 90 and 180 to capture the peak, plateau and decline.', {'clearance', 'peak', 'plateau', 'topic'}),
            ('Vector genomes reach maximum levels around Day 14 and remain stable thereafter; sampling on Day 14 and Day 91 covers both phases.', {'peak', 'plateau', 'topic'}),
            ('For the replicating HSV, sampling covers the initial peak, a second peak from replication in tumour, and clearance from blood.', {'clearance', 'peak', 'second_peak'}),
            ('mRNA and LNP lipid were measured at 2, 6, 24, 48 and 168 h post-dose to define Cmax and decline to below the LLOQ.', {'clearance', 'peak'}),
            ('Necropsy days were chosen at the time of peak expression (Week 4) and at steady state (Week 13).', {'peak', 'plateau', 'topic'}),
        ],
    },
    'PK-BD-TIMING': {
        'zh': [
            ('生物分布研究已完成，结果将随IND申报资料一并提交。', {'bd_study', 'before_clinical', 'topic'}),
            ('组织分布试验计划于2025年第二季度完成，早于Ⅰ期临床试验首例受试者给药。', {'bd_study', 'before_clinical', 'topic'}),
            ('生物分布研究将在临床试验申请递交前完成，为种属选择和临床方案设计提供依据。', {'bd_study', 'before_clinical', 'topic'}),
            ('生物分布数据拟于首次人体给药前获得。', {'bd_study', 'before_clinical', 'topic'}),
            ('研究进度：生物分布（GLP）——IND前完成。', {'bd_study', 'before_clinical', 'topic'}),
        ],
        'en': [
            ('The GLP biodistribution study is complete and the report will be included in the IND.', {'bd_study', 'before_clinical', 'topic'}),
            ('Biodistribution data will be available before the first participant is dosed in the Phase 1 study.', {'bd_study', 'before_clinical', 'topic'}),
            ('The tissue distribution study is IND-enabling and will be finalised ahead of CTA submission.', {'bd_study', 'before_clinical', 'topic'}),
            ('Timeline: biodistribution (Q2 2025), completion prior to FIH.', {'bd_study', 'before_clinical', 'topic'}),
            ('The biodistribution study was finalised in 2024, before initiation of clinical dosing.', {'bd_study', 'before_clinical', 'topic'}),
        ],
    },
    'PK-BD-METHOD-VALIDATION': {
        'zh': [
            ('组织样品中载体DNA采用经验证的qPCR方法测定，定量下限为50拷贝/μg基因组DNA。', {'assay', 'topic', 'validated', 'validation_parameters'}),
            ('ddPCR方法已按照生物分析方法验证指导原则完成验证，包括准确度、精密度、特异性和稳定性。', {'assay', 'topic', 'validated', 'validation_parameters'}),
            ('RT-qPCR检测方法的验证报告将随研究报告一并提交。', {'assay', 'topic', 'validated'}),
            ('采用的荧光定量PCR方法经过方法学确认（Fit-for-purpose）。', {'assay', 'topic'}),
            ('菌株特异性qPCR方法已完成验证，灵敏度为10 CFU当量/mg粪便。', {'assay', 'topic', 'validated'}),
        ],
        'en': [
            ('Vector DNA in tissues will be quantified by a validated qPCR assay with an LLOQ of 50 copies/µg gDNA.', {'assay', 'topic', 'validated', 'validation_parameters'}),
            ('The ddPCR method was validated for accuracy, precision, specificity and stability in each tissue matrix.', {'assay', 'topic', 'validated', 'validation_parameters'}),
            ('The RT-qPCR method has been qualified (fit-for-purpose) prior to sample analysis.', {'assay', 'topic'}),
            ('Bioanalytical method: qPCR, GLP-validated, LOD 10 copies/reaction.', {'assay', 'topic', 'validated', 'validation_parameters'}),
            ('The hybridisation ELISA for sgRNA and the branched-DNA assay for mRNA will be validated before use.', {'validated'}),
        ],
    },
    'PK-SHEDDING': {
        'zh': [
            ('脱落研究在给药后不同时间点采集尿液、粪便、唾液和鼻拭子样本。', {'matrices', 'shedding', 'topic'}),
            ('溶瘤痘苗病毒为复制型病毒，需检测注射部位皮肤拭子、口腔拭子、尿液和粪便中的病毒排出。', {'matrices', 'necessity_assessment', 'topic'}),
            ('工程菌口服后，检测粪便中活菌排出情况直至连续两次阴性。', {'matrices', 'shedding', 'topic'}),
            ('排出研究：泪液、结膜拭子、尿液（玻璃体腔给药）。', {'matrices', 'shedding', 'topic'}),
            ('鉴于AAV为复制缺陷型载体，脱落研究纳入生物分布试验，采集尿液、粪便。', {'matrices', 'necessity_assessment', 'shedding', 'topic'}),
        ],
        'en': [
            ('Shedding will be characterised in urine, faeces, saliva and nasal swabs collected at pre-dose, 24 h, Day 7 and Day 28.', {'matrices', 'shedding', 'topic'}),
            ('As the vaccinia virus is replication-competent, virus excretion in buccal swabs, lesion swabs at the injection site, urine and stool will be monitored.', {'matrices', 'necessity_assessment', 'topic'}),
            ('Faecal excretion of the live bacteria will be followed until two consecutive negative samples.', {'matrices', 'shedding', 'topic'}),
            ('Shedding matrices: tears, conjunctival swabs, urine.', {'matrices', 'shedding', 'topic'}),
            ('Given the replication-deficient AAV, shedding in urine and faeces is assessed within the biodistribution study.', {'matrices', 'necessity_assessment', 'shedding', 'topic'}),
            ('Viral DNA in excreta (urine, feces) and secretions (saliva, nasal wash) will be measured.', {'matrices', 'shedding', 'topic'}),
        ],
    },
    'PK-SHEDDING-INFECTIVITY': {
        'zh': [
            ('qPCR阳性的尿液和拭子样本将采用空斑试验检测具有感染性的病毒。', {'infectivity', 'nucleic_acid', 'topic'}),
            ('脱落样本的感染性采用TCID50法测定。', {'infectivity', 'topic'}),
            ('粪便样本中的活菌通过选择性平板计数（CFU）测定。', {'infectivity', 'topic'}),
            ('对脱落物进行细胞培养法检测，以确认是否存在复制型病毒。', {'infectivity', 'topic'}),
            ('脱落分析：qPCR（全部样本）+噬斑测定（阳性样本）。', {'infectivity', 'nucleic_acid', 'topic'}),
        ],
        'en': [
            ('qPCR-positive urine and swab samples will be tested for infectious virus by plaque assay.', {'infectivity', 'nucleic_acid', 'topic'}),
            ('Infectious titre in shed samples will be determined by TCID50.', {'infectivity', 'topic'}),
            ('Viable bacteria in faeces will be enumerated by selective plating (CFU/g) to assess shedding of live organisms.', {'infectivity', 'topic'}),
            ('Shed material will be assessed by a culture-based assay for replication-competent virus.', {'infectivity', 'topic'}),
            ('Shedding: qPCR (all), plaque assay (positives).', {'infectivity', 'nucleic_acid', 'topic'}),
        ],
    },
    'TOX-SURROGATE': {
        'zh': [
            ('由于人IL-12在大鼠中无活性，毒理学试验采用编码大鼠IL-12的替代病毒，其与临床产品在生产工艺和杂质方面的差异见表3。', {'differences', 'justification', 'topic'}),
            ('替代产品仅用于危害识别，不用于定量风险评估，因为其与临床产品的药代动力学可能不同。', {'differences', 'justification', 'topic', 'use_scope'}),
            ('毒理学研究采用靶向食蟹猴序列的替代sgRNA，理由是临床sgRNA在猴中无完全匹配的靶位点；两者仅在间隔序列上存在区别。', {'differences', 'justification', 'topic'}),
            ('鉴于人源转基因蛋白在小鼠中具有免疫原性，采用鼠源同源基因替代物，两者表达元件相同、氨基酸序列不同。', {'differences', 'justification', 'topic'}),
            ('替代构建体：鼠源GM-CSF；依据：种属特异性；差异：转基因序列。', {'differences', 'justification', 'topic'}),
        ],
        'en': [
            ('Because human IL-12 is inactive in rats, a surrogate encoding rat IL-12 was used in toxicology; differences in manufacturing and impurity profile are tabulated.', {'differences', 'justification', 'topic'}),
            ('Data from the surrogate support hazard identification only, as its pharmacokinetics may differ from the clinical product.', {'differences', 'topic', 'use_scope'}),
            ('A cyno-targeting surrogate guide was used since the clinical guide has no perfectly matched site in monkeys; the two differ only in the spacer.', {'differences', 'justification', 'topic'}),
            ('The murine homologue surrogate is justified by the immunogenicity of the human protein in mice; the constructs share all regulatory elements but differ in coding sequence.', {'differences', 'justification', 'topic'}),
            ('Surrogate: mGM-CSF vector; rationale: species specificity; differences: transgene only.', {'differences', 'justification', 'topic'}),
        ],
    },
    'TOX-SPECIES': {
        'zh': [
            ('一般毒理学试验选用食蟹猴，因AAV9在猴中的组织嗜性与人相似。', {'relevance_argued', 'relevant_species', 'topic'}),
            ('选择SD大鼠为毒理学动物种属，理由是LNP在大鼠肝脏中的摄取与翻译已被证实，且sgRNA与大鼠靶序列完全匹配。', {'relevance_argued', 'relevant_species', 'topic'}),
            ('采用健康Balb/c小鼠开展溶瘤病毒重复给药毒性试验，小鼠细胞可被病毒感染并支持有限复制。', {'health_status', 'relevance_argued', 'relevant_species', 'topic'}),
            ('毒理种属：新西兰兔（玻璃体腔给药），眼球大小接近人眼。', {'relevance_argued', 'relevant_species', 'topic'}),
            ('毒理学试验在疾病模型动物中进行，因为健康动物无法体现底物蓄积相关毒性。', {'health_status', 'relevance_argued', 'topic'}),
        ],
        'en': [
            ('General toxicology will be conducted in cynomolgus monkeys, as AAV9 tropism in NHPs closely resembles that in humans.', {'relevance_argued', 'relevant_species', 'topic'}),
            ('The Sprague-Dawley rat was selected because hepatic LNP uptake and translation have been demonstrated and the sgRNA target is fully conserved.', {'relevance_argued', 'relevant_species', 'topic'}),
            ('Naive BALB/c mice are used for the oncolytic HSV toxicity study; murine cells support infection and limited replication.', {'health_status', 'relevance_argued', 'relevant_species', 'topic'}),
            ('Tox species: New Zealand White rabbit (intravitreal); eye size close to human.', {'relevance_argued', 'relevant_species', 'topic'}),
            ('Toxicity is evaluated in the disease model because healthy animals lack the substrate accumulation relevant to the target population.', {'health_status', 'relevance_argued', 'topic'}),
        ],
    },
    'TOX-SEX-AGE': {
        'zh': [
            ('每组20只SD大鼠，雌雄各10只，6～8周龄。', {'age', 'both_sexes', 'topic'}),
            ('动物：食蟹猴，3♂+3♀/组，2.5～4岁。', {'age', 'both_sexes', 'topic'}),
            ('由于目标人群为新生儿，采用出生后7天的幼龄小鼠，雌雄兼用。', {'age', 'both_sexes', 'topic'}),
            ('Ⅰ型血友病B仅见于男性，故仅使用雄性食蟹猴，年龄2～3岁。', {'age', 'single_sex_or_age_reason', 'topic'}),
            ('每组雄性5只、雌性5只，体重180～220 g，约7周龄。', {'age', 'both_sexes', 'topic'}),
        ],
        'en': [
            ('Each group consists of 10 male and 10 female Sprague-Dawley rats, 6-8 weeks of age at dosing.', {'age', 'both_sexes', 'topic'}),
            ('Animals: cynomolgus, 3M/3F per group, 2.5-4 yrs.', {'age', 'both_sexes', 'topic'}),
            ('Juvenile mice (postnatal day 7) of both sexes are used because the target population is neonates.', {'age', 'both_sexes', 'topic'}),
            ('Only male monkeys aged 2-3 years are used, as haemophilia B affects males.', {'age', 'single_sex_or_age_reason', 'topic'}),
            ('Sexually mature animals of either sex, approximately 3 years old, will be assigned.', {'age', 'both_sexes', 'topic'}),
        ],
    },
    'TOX-DOSE-SELECTION': {
        'zh': [
            ('高剂量为临床拟用最高剂量的10倍，低剂量与药效学有效剂量相当。', {'efficacy_or_clinical_range', 'high_dose_basis', 'topic'}),
            ('受病毒滴度和给药体积限制，高剂量采用最大可行剂量（1×10^14 vg/kg），约为临床剂量的5倍。', {'efficacy_or_clinical_range', 'high_dose_basis', 'mfd_reason', 'topic'}),
            ('剂量设计依据：MED为0.3 mg/kg，低、中、高剂量分别为MED的1、3、10倍。', {'efficacy_or_clinical_range', 'high_dose_basis', 'topic'}),
            ('高剂量预期产生明显毒性，基于剂量探索试验的最大耐受剂量确定。', {'high_dose_basis', 'topic'}),
            ('剂量选择：覆盖拟定人体剂量，安全范围≥10倍。', {'efficacy_or_clinical_range', 'high_dose_basis', 'topic'}),
        ],
        'en': [
            ('The high dose represents a 10-fold multiple of the highest proposed clinical dose; the low dose approximates the efficacious dose.', {'efficacy_or_clinical_range', 'high_dose_basis', 'topic'}),
            ('The top dose is the maximum feasible dose (1E14 vg/kg) given the vector concentration and dose volume, about 5x the planned human dose.', {'efficacy_or_clinical_range', 'high_dose_basis', 'mfd_reason', 'topic'}),
            ('Dose rationale: MED 0.3 mg/kg; low/mid/high at 1x, 3x and 10x MED.', {'efficacy_or_clinical_range', 'high_dose_basis', 'topic'}),
            ('The high dose is expected to produce dose-limiting toxicity based on the MTD from the dose range-finding study.', {'high_dose_basis', 'topic'}),
            ('Doses bracket the anticipated human dose with a ≥10-fold safety margin at the high dose.', {'efficacy_or_clinical_range', 'high_dose_basis', 'topic'}),
        ],
    },
    'TOX-GROUPS': {
        'zh': [
            ('设溶媒对照组、低剂量组、中剂量组和高剂量组共4组。', {'control', 'high_dose', 'low_dose', 'mid_dose', 'topic'}),
            ('对照组给予LNP空白制剂（不含mRNA），另设低、中、高三个剂量组。', {'control', 'high_dose', 'low_dose', 'mid_dose', 'topic'}),
            ('1组：PBS；2组：1×10^12 vg/kg（低）；3组：3×10^12 vg/kg（中）；4组：1×10^13 vg/kg（高）。', {'high_dose', 'low_dose', 'mid_dose'}),
            ('对照品为表达非功能性GFP的空载体，剂量与高剂量组相同。', {'control', 'high_dose'}),
            ('疾病模型动物另设模型对照组和假手术组。', {'control', 'model_sham_control', 'topic'}),
        ],
        'en': [
            ('Four groups: vehicle control, low, mid and high dose.', {'control', 'high_dose', 'low_dose', 'mid_dose', 'topic'}),
            ('Control animals receive LNP without mRNA (empty LNP); test groups receive the low, intermediate and high dose.', {'control', 'high_dose', 'low_dose', 'mid_dose', 'topic'}),
            ('Group 1 PBS; Group 2 1E12 vg/kg (low); Group 3 3E12 vg/kg (mid); Group 4 1E13 vg/kg (high).', {'control', 'high_dose', 'low_dose', 'mid_dose', 'topic'}),
            ('The control article is a null vector expressing a non-functional GFP at the high-dose level.', {'control', 'high_dose'}),
            ('A sham-operated group and an untreated disease control group are included.', {'control', 'model_sham_control', 'topic'}),
        ],
    },
    'TOX-REGIMEN': {
        'zh': [
            ('与临床拟用方案一致，大鼠每4周静脉给药1次，共给药3次。', {'clinical_mirror', 'frequency', 'route', 'topic'}),
            ('单次视网膜下注射，与临床给药途径和手术操作相同。', {'clinical_mirror', 'frequency', 'route', 'topic'}),
            ('临床拟每周瘤内注射一次共4次，毒理试验每周给药一次共5次，给药次数不少于临床。', {'clinical_mirror', 'frequency', 'route', 'topic'}),
            ('给药方案：单次静脉输注，输注速度与临床一致。', {'clinical_mirror', 'frequency', 'route', 'topic'}),
            ('工程菌每日经口灌胃给药，连续28天，覆盖临床拟用疗程。', {'clinical_mirror', 'frequency', 'route', 'topic'}),
        ],
        'en': [
            ('Consistent with the clinical plan, rats receive an IV dose every 4 weeks for 3 doses.', {'clinical_mirror', 'frequency', 'route', 'topic'}),
            ('A single subretinal injection is given using the same surgical technique as in the clinic.', {'clinical_mirror', 'frequency', 'route', 'topic'}),
            ('Weekly intratumoral injections x5 exceed the four doses planned clinically.', {'clinical_mirror', 'frequency', 'route', 'topic'}),
            ('Regimen: single IV infusion over 1 h, matching the clinical infusion rate.', {'clinical_mirror', 'frequency', 'route', 'topic'}),
            ('Daily oral gavage for 28 days covers the intended clinical treatment duration.', {'clinical_mirror', 'frequency', 'route', 'topic'}),
        ],
    },
    'TOX-LONG-EXPRESSION': {
        'zh': [
            ('鉴于AAV介导的转基因可长期表达，毒性观察期延长至给药后52周，以覆盖表达稳态后阶段并评价可逆性。', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
            ('由于转基因持续表达，观察期设为26周，超过表达达到平台期的时间（约8周），并观察毒性持续时间。', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
            ('长期表达产品：主试验观察至第6个月，恢复期另观察3个月以判断毒性是否可逆。', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
            ('慢病毒转导细胞可终身表达转基因，因此设置长期随访组（12个月），评价迟发毒性和可逆性。', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
            ('表达在第4周达稳态，观察期延长至第26周，以确认毒性反应是否持续或恢复。', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
        ],
        'en': [
            ('Because AAV-mediated expression is lifelong, the observation period extends to 52 weeks, well beyond steady state, to assess reversibility.', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
            ('Expression plateaus by Week 8; animals are followed to Week 26 to characterise the persistence and reversibility of any findings.', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
            ('Given durable expression, a 6-month main phase and a 3-month recovery phase are included.', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
            ('Long-term follow-up (12 months) will capture delayed toxicities and whether they resolve.', {'beyond_steady_state', 'duration_reversibility'}),
            ('The duration covers the period after expression has stabilised, so that the time course and recovery of toxicity can be judged.', {'beyond_steady_state', 'duration_reversibility', 'topic'}),
        ],
    },
    'TOX-DURATION-RECOVERY': {
        'zh': [
            ('主试验期为给药后13周，鉴于表达持续存在，另设13周恢复期。', {'duration_justified', 'persistence_basis', 'recovery', 'topic'}),
            ('试验期限为26周，依据转基因表达在第8周后达到稳定；恢复组动物观察至第39周。', {'duration_justified', 'persistence_basis', 'recovery', 'topic'}),
            ('由于mRNA-LNP表达为一过性，表达在72小时内回落至本底，恢复期设为4周。', {'persistence_basis', 'recovery', 'topic'}),
            ('观察期28天；恢复期28天（鉴于病毒在48小时内清除）。', {'duration_justified', 'persistence_basis', 'recovery', 'topic'}),
            ('给药后观察6个月，并设停药恢复观察，以评价毒性的可逆性；持续时间根据载体存续特点确定。', {'duration_justified', 'persistence_basis', 'recovery', 'topic'}),
        ],
        'en': [
            ('The main study lasts 13 weeks post-dose; given persistent expression, a 13-week recovery phase follows.', {'duration_justified', 'persistence_basis', 'recovery', 'topic'}),
            ('Study duration (26 weeks) was selected based on expression reaching a plateau by Week 8; recovery animals are kept to Week 39.', {'duration_justified', 'persistence_basis', 'recovery', 'topic'}),
            ('As mRNA expression is transient and returns to baseline within 72 h, a 4-week treatment-free period is adequate.', {'persistence_basis', 'recovery', 'topic'}),
            ('In-life 28 days; recovery 28 days (virus cleared within 48 h).', {'duration_justified', 'persistence_basis', 'recovery', 'topic'}),
            ('A 6-month observation with reversal cohorts is justified by the long persistence of vector genomes in liver.', {'duration_justified', 'persistence_basis', 'recovery'}),
        ],
    },
    'TOX-NECROPSY-TIMEPOINTS': {
        'zh': [
            ('于给药后第14天（表达峰值）和第91天（稳态）分别解剖主试验动物。', {'multiple_necropsies', 'peak', 'steady_state', 'topic'}),
            ('计划剖检：第29天（期中，表达高峰）、第183天（终末，平台期）、第274天（恢复期末）。', {'multiple_necropsies', 'peak', 'steady_state', 'topic'}),
            ('每个解剖时间点每性别3只动物，解剖时间分别对应表达达峰和稳定表达阶段。', {'multiple_necropsies', 'peak', 'steady_state', 'topic'}),
            ('第3天和第28天安乐死，以覆盖病毒复制高峰和清除阶段。', {'multiple_necropsies', 'peak', 'topic'}),
            ('中期解剖安排在表达峰值附近（第4周），终末解剖在第26周。', {'multiple_necropsies', 'peak', 'topic'}),
        ],
        'en': [
            ('Main-study animals will be necropsied on Day 14 (expected expression peak) and Day 91 (steady state).', {'multiple_necropsies', 'peak', 'steady_state', 'topic'}),
            ('Scheduled sacrifices: Day 29 (interim; peak), Day 183 (terminal; plateau), Day 274 (recovery).', {'multiple_necropsies', 'peak', 'steady_state', 'topic'}),
            ('Necropsy time points correspond to maximal and stable expression, with 3/sex at each.', {'multiple_necropsies', 'peak', 'steady_state', 'topic'}),
            ('Animals are euthanised on Days 3 and 28 to capture peak viral replication and clearance.', {'multiple_necropsies', 'peak', 'topic'}),
            ('An interim necropsy near the expression maximum (Week 4) and a terminal necropsy at Week 26 are planned.', {'multiple_necropsies', 'peak', 'topic'}),
        ],
    },
    'TOX-ENDPOINTS-SPECIAL': {
        'zh': [
            ('特殊检测指标包括血清细胞因子（IL-6、IFN-γ、MCP-1）、异位增生及免疫原性。', {'cytokines', 'immunogenicity', 'proliferation', 'topic'}),
            ('溶瘤病毒表达GM-CSF，增加血清GM-CSF浓度及骨髓造血增生的组织病理评价。', {'cytokines', 'proliferation'}),
            ('除临床观察、体重、血液学、血生化外，重点观察注射部位及远端组织的异常增殖性病变。', {'proliferation', 'routine', 'topic'}),
            ('附加终点：炎性因子、抗药抗体（ADA）、肝脏Ki-67免疫组化。', {'cytokines', 'immunogenicity', 'proliferation', 'topic'}),
            ('LNP给药后2、6、24小时检测IL-6、TNF-α等炎症细胞因子。', {'cytokines'}),
        ],
        'en': [
            ('Additional endpoints include serum cytokines (IL-6, IFN-γ, MCP-1), ectopic proliferation and immunogenicity.', {'cytokines', 'immunogenicity', 'proliferation', 'topic'}),
            ('Serum GM-CSF and histopathological evaluation of myeloid hyperplasia are added for the GM-CSF-armed virus.', {'cytokines', 'proliferation', 'routine', 'topic'}),
            ('Beyond standard clinical pathology, tissues are examined for pre-neoplastic or proliferative lesions.', {'proliferation', 'topic'}),
            ('Special endpoints: cytokine panel, ADA, Ki-67 IHC in liver.', {'cytokines', 'immunogenicity', 'proliferation', 'topic'}),
            ('Inflammatory markers (CRP, IL-6, TNF-alpha) are measured at 2, 6 and 24 h after LNP dosing.', {'cytokines'}),
        ],
    },
    'TOX-SATELLITE-BD': {
        'zh': [
            ('毒理学试验另设卫星组，检测肝脏、性腺等组织中载体基因组拷贝数及转基因mRNA。', {'distribution_persistence', 'expression', 'satellite', 'topic'}),
            ('每个解剖时间点采集主要组织，测定载体DNA的分布及存续。', {'distribution_persistence', 'topic'}),
            ('伴随毒代动力学：血浆中mRNA和可电离脂质浓度及肝脏蛋白表达。', {'distribution_persistence', 'expression', 'topic'}),
            ('于主试验动物中同时评价病毒在肿瘤及正常组织中的分布和清除。', {'distribution_persistence'}),
            ('卫星动物用于检测转基因蛋白在血清中的水平。', {'expression', 'satellite', 'topic'}),
        ],
        'en': [
            ('Satellite animals in the toxicity study will be used for vector genome copies in liver and gonads and transgene mRNA.', {'distribution_persistence', 'expression', 'satellite', 'topic'}),
            ('At each necropsy, tissues are sampled to determine vector DNA distribution and persistence.', {'distribution_persistence', 'topic'}),
            ('Toxicokinetics: plasma mRNA and ionizable lipid concentrations, and hepatic protein expression.', {'distribution_persistence', 'expression', 'topic'}),
            ('Tissue levels of viral DNA in tumour and normal organs are assessed in the toxicology animals to follow clearance.', {'distribution_persistence', 'topic'}),
            ('TK satellites (3/sex/group) for serum transgene protein.', {'expression', 'satellite', 'topic'}),
        ],
    },
    'IMM-RESPONSES': {
        'zh': [
            ('检测血清中抗MUT抗体和抗PEG抗体，并采用ELISpot评估MUT特异性T细胞反应。', {'against_vector', 'antibodies', 'cellular', 'topic'}),
            ('免疫原性：ADA（ECL法）、NAb（细胞法），D1/D29/D91；IFN-γ ELISpot（PBMC）。', {'antibodies', 'cellular', 'topic'}),
            ('评价针对AAV衣壳和转基因产物的体液免疫及细胞免疫应答。', {'against_transgene', 'against_vector', 'antibodies', 'cellular', 'topic'}),
            ('溶瘤痘苗病毒给药后检测抗病毒中和抗体滴度及外周血淋巴细胞中IFN-γ分泌细胞。', {'against_vector', 'antibodies', 'cellular'}),
            ('细胞免疫：ICS（CD4/CD8，IFN-γ/TNF-α）。', {'cellular'}),
            ('采用胞内细胞因子染色（ICS）评估Cas9特异性CD8+ T细胞，ELISA检测抗Cas9 IgG。', {'antibodies', 'cellular'}),
            ('LNP给药后检测补体及炎症因子等先天免疫指标，并检测抗PEG IgM/IgG。', {'against_vector', 'antibodies', 'innate', 'topic'}),
        ],
        'en': [
            ('Serum antibodies against MUT and against PEG will be measured, and MUT-specific T-cell responses assessed by IFN-γ ELISpot.', {'antibodies', 'cellular', 'topic'}),
            ('Immunogenicity: ADA (ECL), NAb (cell-based) D1/D29/D91; ELISpot (PBMC).', {'antibodies', 'cellular', 'topic'}),
            ('Humoral and cellular immune responses to the AAV capsid and the transgene product will be characterised.', {'against_transgene', 'against_vector', 'antibodies', 'cellular', 'topic'}),
            ('Anti-vaccinia neutralising titres and virus-specific IFN-gamma-secreting cells in PBMCs will be determined after intratumoral dosing.', {'against_vector', 'antibodies', 'cellular'}),
            ('Cas9-specific CD8+ T cells will be assessed by intracellular cytokine staining and anti-Cas9 IgG by ELISA.', {'antibodies', 'cellular', 'topic'}),
            ('Anti-drug antibodies to the encoded enzyme and anti-capsid antibodies will be measured, with innate cytokine responses at 6 h.', {'against_transgene', 'against_vector', 'antibodies', 'innate', 'topic'}),
        ],
    },
    'IMM-PREEXISTING': {
        'zh': [
            ('入组前筛选AAV9中和抗体滴度<1:5的食蟹猴。', {'preexisting', 'screening', 'topic'}),
            ('动物在给药前检测抗AAV8预存抗体，仅使用血清阴性动物。', {'preexisting', 'screening', 'topic'}),
            ('考虑到食蟹猴可能自然感染腺病毒，给药前测定基线中和抗体，并在结果解释时予以考虑。', {'preexisting', 'screening', 'topic'}),
            ('预存免疫：HSV-1抗体阳性动物予以剔除。', {'preexisting', 'topic'}),
            ('动物筛选标准：AAV5总抗体阴性（TAb<1:50）。', {'screening', 'topic'}),
        ],
        'en': [
            ('Cynomolgus monkeys will be pre-screened and only those with AAV9 NAb titres < 1:5 will be enrolled.', {'preexisting', 'screening', 'topic'}),
            ('Animals seronegative for anti-AAV8 antibodies at baseline will be selected.', {'preexisting', 'screening', 'topic'}),
            ('As monkeys may carry naturally acquired adenovirus immunity, baseline neutralising antibodies will be measured and considered in interpretation.', {'preexisting', 'screening', 'topic'}),
            ('Pre-existing immunity: animals positive for HSV-1 antibodies are excluded.', {'preexisting', 'topic'}),
            ('Screening criterion: AAV5 TAb-negative (<1:50).', {'screening', 'topic'}),
        ],
    },
    'IMM-COMPLEMENT': {
        'zh': [
            ('给药前及给药后2、6、24小时检测血浆C3a、C5a、Bb及sC5b-9。', {'complement_markers', 'timing', 'topic'}),
            ('补体激活：CH50、C3、Bb（给药后1h）。', {'complement_markers', 'timing', 'topic'}),
            ('LNP输注后检测补体活化产物SC5b-9，评估输注相关反应风险。', {'complement_markers', 'topic'}),
            ('在高剂量AAV给药后早期时间点监测补体消耗（C3、C4降低）。', {'complement_markers', 'timing', 'topic'}),
            ('血清补体成分C3、C4及末端补体复合物水平。', {'complement_markers', 'topic'}),
        ],
        'en': [
            ('Plasma C3a, C5a, Bb and sC5b-9 will be measured pre-dose and 2, 6 and 24 h post-dose.', {'complement_markers', 'timing', 'topic'}),
            ('Complement activation: CH50, C3, Bb (1 h post-infusion).', {'complement_markers', 'timing', 'topic'}),
            ('SC5b-9 will be monitored after LNP infusion to assess the risk of infusion reactions.', {'complement_markers', 'topic'}),
            ('Complement consumption (decreased C3 and C4) will be monitored at early time points after high-dose AAV.', {'complement_markers', 'timing', 'topic'}),
            ('Terminal complement complex and the alternative pathway fragment Bb will be quantified.', {'complement_markers', 'topic'}),
        ],
    },
    'IMM-IMMUNOTOX': {
        'zh': [
            ('由于转基因编码IL-12，将在重复给药毒性试验中增加免疫毒性评价，包括T细胞依赖性抗体反应（TDAR）和淋巴细胞亚群分析。', {'humoral_cellular', 'immunotox', 'topic'}),
            ('免疫表型分析采用流式细胞术检测CD3+、CD4+、CD8+、CD19+和NK细胞。', {'humoral_cellular', 'topic'}),
            ('免疫功能评价包括KLH免疫后的IgM/IgG应答及NK细胞活性。', {'humoral_cellular', 'topic'}),
            ('采用小鼠同源IL-12序列的替代载体评价免疫毒性。', {'homologous', 'immunotox', 'topic'}),
            ('免疫系统评价：脾脏、胸腺、淋巴结组织病理及免疫球蛋白水平。', {'humoral_cellular', 'topic'}),
        ],
        'en': [
            ('Because the transgene encodes IL-12, immunotoxicity will be evaluated with a KLH T-cell dependent antibody response and lymphocyte subset analysis.', {'humoral_cellular', 'immunotox', 'topic'}),
            ('Immunophenotyping by flow cytometry (CD3+, CD4+, CD8+, CD20+, NK cells) will be performed.', {'humoral_cellular', 'topic'}),
            ('Immune function testing will include NK cell activity and anti-KLH IgM/IgG.', {'humoral_cellular', 'topic'}),
            ('A murine IL-12 homologous construct will be used for the immunotoxicity assessment.', {'homologous', 'immunotox', 'topic'}),
            ('Immune system endpoints: spleen, thymus and lymph node histopathology and immunoglobulin levels.', {'humoral_cellular', 'topic'}),
        ],
    },
    'REPRO-RISK-ASSESSMENT': {
        'zh': [
            ('鉴于AAV为非整合载体、一般毒理试验中未见生殖器官病变，且目标人群为儿童，生殖毒性风险低。', {'findings_and_population', 'product_nature', 'topic'}),
            ('将参考ICH S5(R3)，结合产品作用机制、性腺分布数据和患者人群评估生殖与发育毒性风险。', {'findings_and_population', 'ich_reference', 'product_nature', 'risk_assessment', 'topic'}),
            ('生殖毒性：基于mRNA的瞬时表达特点及重复给药毒性试验中生殖器官的组织病理学结果，综合评估对生育力的潜在影响。', {'findings_and_population', 'product_nature', 'risk_assessment', 'topic'}),
            ('晚期癌症患者预期生存期短，按照ICH S9，不开展生殖毒性研究。', {'findings_and_population', 'ich_reference', 'topic'}),
            ('生殖发育毒性风险评估考虑了LNP在卵巢和睾丸中的分布及编辑产物的性质。', {'findings_and_population', 'product_nature', 'risk_assessment', 'topic'}),
        ],
        'en': [
            ('Given the non-integrating AAV vector, the absence of reproductive organ findings in general toxicology and the paediatric population, the reproductive risk is low.', {'findings_and_population', 'product_nature', 'risk_assessment', 'topic'}),
            ('Per ICH S5(R3), the reproductive and developmental risk will be assessed from the mechanism of action, gonadal biodistribution and the patient population.', {'findings_and_population', 'ich_reference', 'product_nature', 'risk_assessment', 'topic'}),
            ('DART strategy: a weight-of-evidence assessment integrating the transient expression of mRNA and reproductive tract histopathology from the repeat-dose studies.', {'findings_and_population', 'product_nature', 'risk_assessment', 'topic'}),
            ('Consistent with ICH S9, reproductive toxicity studies are not warranted for patients with advanced cancer.', {'ich_reference', 'topic'}),
            ('The reproductive risk evaluation considers LNP distribution to ovaries and testes and the nature of the edit.', {'findings_and_population', 'product_nature', 'risk_assessment', 'topic'}),
        ],
    },
    'REPRO-EFD-PPND': {
        'zh': [
            ('将在大鼠中开展胚胎-胎仔发育（EFD）毒性试验和围产期毒性试验。', {'efd', 'ppnd', 'topic'}),
            ('生殖毒性：EFD（兔）、PPND（大鼠）。', {'efd', 'ppnd', 'topic'}),
            ('采用增强型围产期发育毒性试验（ePPND）在食蟹猴中同时评价胚胎胎仔和出生后发育。', {'efd', 'ppnd', 'topic'}),
            ('开展大鼠胚胎-胎儿发育毒性研究和出生前后发育毒性研究。', {'efd', 'ppnd', 'topic'}),
            ('由于拟用于育龄期女性，计划开展致畸性试验和围生期毒性试验。', {'efd', 'ppnd', 'topic'}),
        ],
        'en': [
            ('Embryo-fetal development (EFD) and pre- and postnatal development (PPND) studies will be conducted in rats.', {'efd', 'ppnd', 'topic'}),
            ('DART: EFD (rabbit), PPND (rat).', {'efd', 'ppnd', 'topic'}),
            ('An enhanced PPND (ePPND) study in cynomolgus monkeys will cover embryofetal and postnatal development.', {'efd', 'ppnd', 'topic'}),
            ('Embryofoetal development and pre-/postnatal development toxicity studies are planned.', {'efd', 'ppnd', 'topic'}),
            ('Developmental toxicity (EFD, rat and rabbit) and a peri-/postnatal study will support dosing of women of childbearing potential.', {'efd', 'ppnd', 'topic'}),
        ],
    },
    'REPRO-FERTILITY': {
        'zh': [
            ('由于重复给药毒性试验中发现睾丸生精小管变性，将开展大鼠生育力与早期胚胎发育毒性试验。', {'fertility', 'topic'}),
            ('生育力研究（FEED）：雄性大鼠交配前给药4周。', {'fertility', 'topic'}),
            ('将评价对雄性和雌性生育力的影响，包括交配行为、受孕率、黄体数和着床数。', {'fertility', 'topic'}),
            ('在一般毒理学试验中增加精子计数、精子活力和动情周期评价，以评估对生殖功能的影响。', {'fertility'}),
            ('生殖器官毒性提示需开展Ⅰ段生殖毒性试验。', {'fertility', 'topic'}),
        ],
        'en': [
            ('Given seminiferous tubule degeneration in the repeat-dose study, a rat fertility and early embryonic development study will be conducted.', {'fertility', 'topic'}),
            ('FEED study: males dosed 4 weeks prior to mating.', {'fertility', 'topic'}),
            ('Effects on male and female fertility (mating, conception rate, corpora lutea, implantation) will be evaluated.', {'fertility', 'topic'}),
            ('Sperm count, motility and oestrous cyclicity will be added to the general toxicology study to address reproductive function.', {'fertility'}),
            ('Reproductive organ toxicity triggers a Segment I study.', {'fertility', 'topic'}),
        ],
    },
    'REPRO-GERMLINE': {
        'zh': [
            ('慢病毒载体在卵巢和睾丸中可检出，将进一步检测精子中的载体拷贝，评估生殖系传递风险。', {'germ_cell_exposure', 'germline_risk', 'gonadal_persistence', 'topic'}),
            ('AAV在性腺中分布但不整合，种系整合风险极低。', {'conclusion', 'germline_risk', 'gonadal_persistence', 'topic'}),
            ('采集精液并分离精子，检测载体DNA以评估对生殖细胞的暴露。', {'germ_cell_exposure', 'topic'}),
            ('性腺持续存在：睾丸中载体拷贝在第26周仍可检出，将开展精子DNA分析。', {'germ_cell_exposure', 'gonadal_persistence', 'topic'}),
            ('鉴于载体在生殖器官中长期存在，将评价其向后代遗传的可能性。', {'germline_risk', 'gonadal_persistence'}),
        ],
        'en': [
            ('As lentiviral vector was detected in ovaries and testes, vector copies in sperm will be measured to assess germline transmission risk.', {'germ_cell_exposure', 'germline_risk', 'gonadal_persistence', 'topic'}),
            ('AAV distributes to the gonads but does not integrate; inadvertent germline modification is considered unlikely.', {'conclusion', 'germline_risk', 'gonadal_persistence', 'topic'}),
            ('Semen will be collected and sperm isolated for vector DNA to evaluate germ cell exposure.', {'germ_cell_exposure', 'topic'}),
            ('Gonadal persistence: testis vector copies at Week 26; sperm DNA analysis planned.', {'germ_cell_exposure', 'gonadal_persistence', 'topic'}),
            ('Because vector persists in reproductive tissues, the potential for transmission to offspring will be evaluated.', {'germline_risk', 'gonadal_persistence'}),
        ],
    },
    'GENO-INTEGRATION': {
        'zh': [
            ('mRNA不进入细胞核，亦不具备逆转录能力，不会整合进宿主基因组。', {'conclusion', 'topic'}),
            ('AAV载体主要以附加体形式存在，整合风险极低，不开展标准遗传毒性组合试验。', {'conclusion', 'integration_assessed', 'topic'}),
            ('质粒DNA与宿主基因组DNA的整合频率将采用凝胶纯化结合qPCR测定。', {'integration_assessed', 'topic'}),
            ('LNP和sgRNA的脂质成分将按ICH S2(R1)开展Ames试验和微核试验。', {'standard_battery_position'}),
            ('溶瘤痘苗病毒在胞质中复制，不进入细胞核，无整合可能。', {'topic'}),
        ],
        'en': [
            ('Integration of the mRNA into the host genome is not considered plausible, as mRNA does not enter the nucleus and cannot be reverse transcribed.', {'conclusion', 'topic'}),
            ('AAV vectors persist predominantly as episomes; the integration risk is negligible and a standard genotoxicity battery is not planned.', {'conclusion', 'integration_assessed', 'topic'}),
            ('The plasmid is not expected to integrate; integration frequency in muscle DNA will be measured by gel-purification qPCR.', {'integration_assessed', 'topic'}),
            ('The novel ionisable lipid will be tested in an Ames test and an in vitro micronucleus assay per ICH S2(R1).', {'standard_battery_position'}),
            ('Vaccinia replicates in the cytoplasm and does not enter the nucleus, so genomic insertion is not anticipated.', {'conclusion', 'topic'}),
        ],
    },
    'GENO-INSERTIONAL': {
        'zh': [
            ('采用LAM-PCR和高通量测序分析整合位点分布，关注原癌基因附近的插入。', {'integration_sites', 'topic'}),
            ('通过INSPIIRED流程鉴定慢病毒插入位点，并采用ddPCR测定每个细胞的载体拷贝数。', {'copy_number', 'integration_sites', 'topic'}),
            ('整合位点分析：nrLAM-PCR；VCN：qPCR（拷贝/二倍体基因组）。', {'copy_number', 'integration_sites', 'topic'}),
            ('将监测克隆扩增，计算克隆多样性指数以发现克隆优势。', {'abnormal_behaviour', 'topic'}),
            ('采用靶向富集测序检测转座子插入位点，并评估每个基因组的平均插入数。', {'copy_number', 'integration_sites'}),
        ],
        'en': [
            ('Integration sites will be mapped by LAM-PCR and next-generation sequencing, with attention to insertions near proto-oncogenes.', {'integration_sites', 'topic'}),
            ('Lentiviral insertion sites will be identified by the INSPIIRED pipeline and vector copies per cell measured by ddPCR.', {'copy_number', 'integration_sites', 'topic'}),
            ('IS analysis: nrLAM-PCR; VCN: qPCR (copies/diploid genome).', {'copy_number', 'integration_sites', 'topic'}),
            ('Clonal abundance will be tracked to detect clonal expansion or dominance.', {'abnormal_behaviour', 'topic'}),
            ('Transposon insertion sites will be determined by targeted enrichment sequencing, and the average number of insertions per genome reported.', {'copy_number', 'integration_sites', 'topic'}),
        ],
    },
    'GENO-OFFTARGET': {
        'zh': [
            ('通过生物信息学预测和GUIDE-seq筛选潜在脱靶位点，并采用扩增子深度测序验证。', {'method', 'offtarget', 'topic'}),
            ('采用CIRCLE-seq和DISCOVER-seq在原代肝细胞中鉴定脱靶编辑，并检测染色体易位。', {'method', 'offtarget', 'structural', 'topic'}),
            ('非预期编辑：ONE-seq/CHANGE-seq + 靶向NGS。', {'method', 'offtarget'}),
            ('将采用长读长测序检测靶位点的大片段缺失和结构变异。', {'structural'}),
            ('PiggyBac转座子的转座印迹将通过全基因组测序评估。', {'method', 'offtarget', 'topic'}),
        ],
        'en': [
            ('Candidate off-target sites will be nominated in silico and by GUIDE-seq and verified by amplicon sequencing.', {'method', 'offtarget', 'topic'}),
            ('CIRCLE-seq and DISCOVER-seq will identify off-target editing in primary hepatocytes, and translocations will be assessed.', {'method', 'offtarget', 'structural', 'topic'}),
            ('Off-target: ONE-seq/CHANGE-seq + targeted NGS (hybrid capture).', {'method', 'offtarget', 'topic'}),
            ('Long-read sequencing will assess large deletions and structural variants at the on-target site.', {'structural'}),
            ('Transposon footprints will be evaluated by whole-genome sequencing.', {'method', 'offtarget', 'topic'}),
        ],
    },
    'CARC-WOE': {
        'zh': [
            ('采用证据权重法评估致癌风险，考虑载体整合特性、转基因功能、增生性病变及文献数据。', {'risk_factors', 'topic', 'woe'}),
            ('由于导入基因编码生长因子，将综合分析长期毒性试验中的增生和肿瘤发现，评估致瘤性风险。', {'risk_factors', 'topic', 'woe'}),
            ('不开展标准两年致癌试验；致癌性风险基于插入突变数据和组织病理学结果进行评估。', {'risk_factors', 'topic'}),
            ('致瘤性：mRNA不整合、表达短暂，致癌风险可忽略。', {'conclusion', 'topic'}),
            ('致癌性评估：WoE（整合位点、克隆扩增、增生）。', {'risk_factors', 'topic', 'woe'}),
        ],
        'en': [
            ('Carcinogenic risk will be addressed by a weight-of-evidence approach considering integration, transgene biology, hyperplasia and published data.', {'risk_factors', 'topic', 'woe'}),
            ('Because the transgene encodes a growth factor, proliferative and neoplastic findings from chronic toxicology will be integrated into a tumorigenicity assessment.', {'risk_factors', 'topic', 'woe'}),
            ('A 2-year rodent bioassay is not considered appropriate; carcinogenicity risk is evaluated from insertional mutagenesis data and histopathology.', {'risk_factors', 'topic'}),
            ('Tumorigenicity: mRNA does not integrate and expression is transient; no oncogenic concern.', {'risk_factors', 'topic'}),
            ('Carcinogenicity assessment: WoE (IS profile, clonal expansion, hyperplasia).', {'risk_factors', 'topic', 'woe'}),
        ],
    },
    'RCV-RISK': {
        'zh': [
            ('每批慢病毒载体采用经验证的C8166细胞扩增法检测复制型慢病毒（RCL），检测限为1 TU。', {'model_assessment', 'rcv_assay', 'sources', 'topic', 'validated'}),
            ('采用经方法学验证的A549细胞培养法检测每批次中的复制型腺病毒（RCA）。', {'model_assessment', 'rcv_assay', 'sources', 'topic', 'validated'}),
            ('rcAAV检测采用经过验证的三轮扩增qPCR法，评估包装质粒与辅助质粒重组产生rcAAV的风险。', {'rcv_assay', 'sources', 'topic', 'validated'}),
            ('RCR检测：PG-4 S+L-法（已验证），每批放行；毒理动物血清RCR监测。', {'model_assessment', 'rcv_assay', 'sources', 'topic', 'validated'}),
            ('生产用HEK293细胞含有腺病毒E1序列，存在与载体同源重组产生RCA的可能，已采用无同源重叠设计降低风险。', {'rcv_assay', 'sources', 'topic'}),
        ],
        'en': [
            ('Each lentiviral lot is tested for RCL by a validated C8166 amplification assay (LOD 1 TU).', {'rcv_assay', 'sources', 'topic', 'validated'}),
            ('Replication-competent adenovirus is tested in every batch by a validated A549 cell-based assay.', {'model_assessment', 'rcv_assay', 'sources', 'topic', 'validated'}),
            ('rcAAV is assessed by a qualified three-passage amplification qPCR, addressing recombination between the packaging and helper plasmids.', {'rcv_assay', 'sources', 'topic', 'validated'}),
            ('RCR: PG-4 S+L- assay (validated), each lot at release; serum RCR monitoring in toxicology animals.', {'model_assessment', 'rcv_assay', 'sources', 'topic', 'validated'}),
            ('HEK293 production cells carry Ad5 E1 sequences; the vector was designed without homologous overlap to minimise RCA generation.', {'rcv_assay', 'sources', 'topic'}),
        ],
    },
    'LOCAL-TOLERANCE': {
        'zh': [
            ('局部耐受性结合在重复给药毒性试验中评价，观察注射部位红斑、水肿并进行组织病理学检查。', {'local_tolerance', 'standalone_or_integrated', 'topic'}),
            ('玻璃体腔给药后采用裂隙灯和眼底检查进行眼部炎症评分。', {'local_tolerance', 'topic'}),
            ('肌内注射部位的Draize评分及组织病理学检查将纳入GLP毒理学试验。', {'local_tolerance', 'standalone_or_integrated', 'topic'}),
            ('单独开展兔皮下注射局部刺激性试验。', {'local_tolerance', 'standalone_or_integrated', 'topic'}),
            ('瘤内注射部位反应：炎症、坏死和溃疡评价。', {'local_tolerance', 'topic'}),
        ],
        'en': [
            ('Local tolerance will be assessed within the repeat-dose study by scoring erythema and oedema at the injection site, with histopathology.', {'local_tolerance', 'standalone_or_integrated', 'topic'}),
            ('Ocular inflammation will be scored by slit-lamp biomicroscopy and indirect ophthalmoscopy after intravitreal injection.', {'local_tolerance', 'topic'}),
            ('Draize scoring of intramuscular injection sites will be incorporated into the GLP toxicology study.', {'local_tolerance', 'standalone_or_integrated', 'topic'}),
            ('A stand-alone local irritation study will be performed in rabbits.', {'local_tolerance', 'standalone_or_integrated', 'topic'}),
            ('Injection-site reactions (inflammation, necrosis, ulceration) will be evaluated at the tumour injection site.', {'local_tolerance', 'topic'}),
        ],
    },
    'FIH-DOSE': {
        'zh': [
            ('FIH起始剂量基于MABEL和食蟹猴NOAEL推算，按体重换算并采用10倍安全系数。', {'efficacy_based', 'safety_based', 'scaling', 'topic'}),
            ('起始剂量为小鼠最低有效剂量按体表面积换算的人体等效剂量，同时低于NOAEL的1/10。', {'efficacy_based', 'safety_based', 'scaling', 'topic'}),
            ('鞘内给药的起始剂量按脑脊液体积比例由食蟹猴NOAEL换算。', {'safety_based', 'scaling', 'topic'}),
            ('首次临床剂量：药效剂量（MED）的1/3，HNSTD的1/6（晚期肿瘤患者）。', {'efficacy_based', 'safety_based', 'topic'}),
            ('视网膜下给药剂量按视网膜面积/玻璃体体积进行种属间换算。', {'scaling'}),
        ],
        'en': [
            ('The FIH starting dose is based on MABEL and the NHP NOAEL, scaled by body weight with a 10-fold safety factor.', {'efficacy_based', 'safety_based', 'scaling', 'topic'}),
            ('The starting dose is the HED of the mouse MED using body surface area conversion, and is below 1/10 of the NOAEL.', {'efficacy_based', 'safety_based', 'scaling', 'topic'}),
            ('For intrathecal dosing, the NOAEL in monkeys was scaled to humans by CSF volume.', {'safety_based', 'scaling'}),
            ('Starting dose: 1/3 of the MED and 1/6 of the HNSTD (advanced cancer).', {'efficacy_based', 'safety_based', 'topic'}),
            ('Subretinal doses were converted across species based on retinal surface area and vitreous volume.', {'scaling'}),
        ],
    },
}  # fmt: skip

# Near misses whose words must not fire at all: (requirement, element or 'topic', sentence).
NEAR_MISSES: list[tuple[str, str, str]] = [
    # a bridging immunoassay is not a bridging assessment
    ("GEN-BRIDGING", "bridging_assessment", "Anti-drug antibodies are measured with a bridging ELISA."),
    ("GEN-BRIDGING", "bridging_assessment", "抗ABE-R8抗体采用桥接电化学发光法检测。"),
    # a qualified (fit-for-purpose) method is not a validated one
    ("PK-BD-METHOD-VALIDATION", "validated", "The RT-qPCR method has been qualified (fit-for-purpose) prior to sample analysis."),
    ("PK-BD-METHOD-VALIDATION", "validated", "采用的荧光定量PCR方法经过方法学确认（Fit-for-purpose）。"),
    ('GEN-GLP', 'data_quality', '动物自由饮水，饲料由供应商提供。'),
    ('GEN-GLP', 'certified_facility', '实验室按认证流程采购试剂。'),
    ('GEN-GLP', 'data_quality', 'Quality of the feed was checked by the vendor.'),
    ('GEN-GLP', 'certified_facility', 'The laboratory technician was certified in animal handling.'),
    ('GEN-SPECIES-RELEVANCE', 'expression', '请翻阅附录三。'),
    ('GEN-SPECIES-RELEVANCE', 'expression', 'The translation of this report into Chinese is provided in Appendix 2.'),
    ('GEN-NONSTANDARD-SPECIES', 'species_named', '动物饲养使用的垫料为玉米芯。'),
    ('GEN-NONSTANDARD-SPECIES', 'species_named', 'The mice were purchased from a commercial vendor.'),
    ('GEN-NONSTANDARD-SPECIES', 'justification', 'The pig iron price rose.'),
    ('GEN-TEST-ARTICLE', 'representative', 'The study director is representative of the sponsor.'),
    ('GEN-BRIDGING', 'change_described', '动物房换气次数为每小时15次。'),
    ('GEN-BRIDGING', 'bridging_assessment', 'Body weight changes will be recorded weekly.'),
    ('PD-MODEL', 'model_named', '动物饲养于屏障环境，自由饮水。'),
    ('PD-MODEL', 'limitations', 'The model number of the centrifuge is recorded in the raw data.'),
    ('PD-POC-INVITRO', 'in_vitro', '动物体重未见异常。'),
    ('PD-POC-INVITRO', 'transgene_function', 'The vendor provided cultured pearls for the office.'),
    ('PD-POC-INVIVO', 'endpoints', '本报告不包括动物福利部分。'),
    ('PD-POC-INVIVO', 'in_vivo', 'The office was rescued from a flood in 2019.'),
    ('PD-DOSE-RESPONSE', 'med', 'The medical director approved the protocol.'),
    ('PD-DOSE-RESPONSE', 'med', 'MEDLINE was searched for publications.'),
    ('PD-ROUTE-REGIMEN', 'route', '请通过行政途径提交报销单。'),
    ('PD-ROUTE-REGIMEN', 'regimen_timing', 'The en route shipment was delayed.'),
    ('PD-SURROGATE', 'surrogate_described', '会议由副经理替代出席。'),
    ('PD-SURROGATE', 'surrogate_described', 'The report supports several file formats.'),
    ('PD-SAFETY-PHARM', 'cns', 'Respiratory protection masks are worn by staff.'),
    ('PK-BD-DESIGN', 'tissues', '动物供应商负责运输。'),
    ('PK-BD-DESIGN', 'fluids', 'Blood pressure was not measured.'),
    ('PK-BD-DESIGN', 'tissues', 'The courier delivered the samples on time.'),
    ('PK-BD-TIMEPOINTS', 'peak', '工作日高峰时段电梯拥挤。'),
    ('PK-BD-TIMEPOINTS', 'plateau', 'The peak season for holidays is August.'),
    ('PK-BD-TIMING', 'bd_study', '临床前研究人员需要在会议前完成签到。'),
    ('PK-BD-TIMING', 'bd_study', 'Participants will complete a questionnaire before the clinical visit.'),
    ('PK-BD-METHOD-VALIDATION', 'assay', 'Parking validation is available at reception.'),
    ('PK-SHEDDING', 'matrices', '动物皮毛脱落属正常生理现象。'),
    ('PK-SHEDDING', 'matrices', 'The nasal spray in the first-aid kit is expired.'),
    ('PK-SHEDDING-INFECTIVITY', 'topic', '动物房的菌落总数符合标准。'),
    ('PK-SHEDDING-INFECTIVITY', 'topic', 'The canteen provides viable options for vegetarians.'),
    ('TOX-SURROGATE', 'topic', '请使用替代方案提交发票。'),
    ('TOX-SURROGATE', 'justification', 'The difference in opinion was resolved in the meeting.'),
    ('TOX-SPECIES', 'relevant_species', '本公司不饲养犬类。'),
    ('TOX-SPECIES', 'relevance_argued', 'The species list of office plants was updated.'),
    ('TOX-SEX-AGE', 'both_sexes', '仅使用雄性动物。'),
    ('TOX-SEX-AGE', 'both_sexes', 'Pages are numbered per section.'),
    ('TOX-SEX-AGE', 'age', 'The manager will engage the team.'),
    ('TOX-DOSE-SELECTION', 'efficacy_or_clinical_range', '会议室可容纳10倍于平时的人数。'),
    ('TOX-DOSE-SELECTION', 'high_dose_basis', 'The clinical team doses the budget carefully.'),
    ('TOX-GROUPS', 'control', 'The control of the HVAC system is automatic.'),
    ('TOX-GROUPS', 'high_dose', 'High expectations were set for the team.'),
    ('TOX-REGIMEN', 'route', '临床医生每周开会一次。'),
    ('TOX-REGIMEN', 'frequency', 'The route to the facility is described in the map.'),
    ('TOX-LONG-EXPRESSION', 'duration_reversibility', 'The duration of the meeting is 1 hour.'),
    ('TOX-DURATION-RECOVERY', 'recovery', 'The IT recovery plan covers data backups.'),
    ('TOX-NECROPSY-TIMEPOINTS', 'steady_state', 'Traffic peaks at 5 pm.'),
    ('TOX-ENDPOINTS-SPECIAL', 'proliferation', '会议纪要由行政部门增补。'),
    ('TOX-ENDPOINTS-SPECIAL', 'cytokines', 'The tilted monitor was replaced.'),
    ('TOX-SATELLITE-BD', 'distribution_persistence', '卫星电视在会议室可用。'),
    ('TOX-SATELLITE-BD', 'satellite', 'The distribution list for this memo is attached.'),
    ('IMM-RESPONSES', 'antibodies', '抗震等级为8级。'),
    ('IMM-RESPONSES', 'antibodies', 'Anti-theft devices are installed in the archive room.'),
    ('IMM-RESPONSES', 'cellular', 'The cell phone policy applies to all staff.'),
    ('IMM-PREEXISTING', 'preexisting', '预存样品保存于-80℃冰箱。'),
    ('IMM-PREEXISTING', 'screening', 'Pre-existing office furniture will be reused.'),
    ('IMM-COMPLEMENT', 'complement_markers', 'Compliments were paid to the study team.'),
    ('IMM-COMPLEMENT', 'complement_markers', 'The complementary DNA strand was sequenced.'),
    ('IMM-IMMUNOTOX', 'humoral_cellular', 'The cellular phone network was down.'),
    ('REPRO-RISK-ASSESSMENT', 'findings_and_population', '会议室的风险评估表已更新。'),
    ('REPRO-RISK-ASSESSMENT', 'findings_and_population', 'The mechanism of the door lock was repaired.'),
    ('REPRO-EFD-PPND', 'efd', 'The prenatal clinic is on the 3rd floor.'),
    ('REPRO-FERTILITY', 'topic', '餐厅提供交配餐。'),
    ('REPRO-FERTILITY', 'fertility', 'The fertile soil in the garden was replanted.'),
    ('REPRO-GERMLINE', 'gonadal_persistence', '生殖中心的停车场已关闭。'),
    ('REPRO-GERMLINE', 'germline_risk', 'The germ-free lab coat policy is enforced.'),
    ('GENO-INTEGRATION', 'integration_assessed', '团队整合了两个部门的资源。'),
    ('GENO-INTEGRATION', 'integration_assessed', 'The CRO will integrate the reports into one dossier.'),
    ('GENO-INTEGRATION', 'integration_assessed', 'Data integration across sites is managed by IT.'),
    ('GENO-INSERTIONAL', 'integration_sites', '复印件拷贝数量为3份。'),
    ('GENO-INSERTIONAL', 'integration_sites', 'The insertion of a new page in the binder is required.'),
    ('GENO-OFFTARGET', 'offtarget', 'The marketing team missed its target this quarter.'),
    ('CARC-WOE', 'risk_factors', '本年度公司整体业绩增长。'),
    ('CARC-WOE', 'risk_factors', 'The hormone-free milk option was added to the cafeteria.'),
    ('RCV-RISK', 'validated', '本产品为复制型溶瘤病毒，不适用。'),
    ('RCV-RISK', 'rcv_assay', 'The parking permit was validated at reception.'),
    ('LOCAL-TOLERANCE', 'local_tolerance', 'The local office will host the meeting.'),
    ('FIH-DOSE', 'scaling', 'The medical team will scale up hiring.'),
    ('FIH-DOSE', 'efficacy_based', 'Immediately after arrival, animals are weighed.'),
]  # fmt: skip

# Near misses that name the element under a negation or an omission: the engine must not count them.
NEGATED: list[tuple[str, str, str]] = [
    ('GEN-GLP', 'glp', '该试验无需遵循GLP。'),
    ('GEN-GLP', 'glp', 'The study will not be conducted under GLP.'),
    ('GEN-SPECIES-RELEVANCE', 'expression', '大鼠未检测到转基因表达。'),
    ('GEN-SPECIES-RELEVANCE', 'transduction', '本研究未评估受体分布。'),
    ('GEN-SPECIES-RELEVANCE', 'expression', 'Expression was not detected in rat liver.'),
    ('GEN-SPECIES-RELEVANCE', 'transduction', 'The vector does not transduce rodent retina.'),
    ('GEN-TEST-ARTICLE', 'characterised', '该批次未进行放行检测。'),
    ('GEN-TEST-ARTICLE', 'characterised', '本批次未进行放行检测，其效价未测定。'),
    ('GEN-TEST-ARTICLE', 'quality_attributes', 'The titre was not determined for this lot.'),
    ('PD-MODEL', 'limitations', 'No limitation on food intake was imposed.'),
    ('PD-DOSE-RESPONSE', 'med', '本试验未设剂量梯度，未确定最低有效剂量。'),
    ('PD-SAFETY-PHARM', 'cardiovascular', '未进行心电图检查。'),
    ('PK-BD-DESIGN', 'fluids', '本研究不检测脑脊液。'),
    ('PK-BD-METHOD-VALIDATION', 'validated', '方法验证尚未开展。'),
    ('PK-SHEDDING', 'matrices', '未检测精液样本。'),
    ('PK-SHEDDING', 'matrices', 'No urine samples will be collected.'),
    ('PK-SHEDDING-INFECTIVITY', 'infectivity', '脱落样本不进行感染性检测。'),
    ('PK-SHEDDING-INFECTIVITY', 'infectivity', 'Infectivity of shed material will not be assessed.'),
    ('TOX-GROUPS', 'mid_dose', '本试验不设中剂量组。'),
    ('TOX-LONG-EXPRESSION', 'beyond_steady_state', '本品为mRNA，不需延长观察期。'),
    ('TOX-DURATION-RECOVERY', 'recovery', '不设恢复期。'),
    ('TOX-NECROPSY-TIMEPOINTS', 'multiple_necropsies', '本试验未设中期解剖。'),
    ('IMM-RESPONSES', 'antibodies', '本研究未检测中和抗体。'),
    ('IMM-RESPONSES', 'cellular', '未评估T细胞反应。'),
    ('IMM-RESPONSES', 'antibodies', 'Neutralising antibodies will not be measured.'),
    ('IMM-COMPLEMENT', 'complement_markers', '本试验不检测补体。'),
    ('IMM-IMMUNOTOX', 'humoral_cellular', '未开展TDAR试验。'),
    ('REPRO-EFD-PPND', 'ppnd', '本品不开展围产期毒性试验。'),
    ('GENO-OFFTARGET', 'method', '未进行全基因组测序。'),
    ('LOCAL-TOLERANCE', 'local_tolerance', '未开展局部耐受性试验。'),
    ('FIH-DOSE', 'safety_based', '起始剂量计算没有参考NOAEL。'),
]  # fmt: skip


def _engine_present(element: Element, text: str) -> bool:
    """Present as the rule engine sees it: a match that is neither negated nor omitted."""
    from service.domain import Passage
    from service.review.rules import find_element

    positive, _ = find_element(element, [Passage(idx=0, page=1, text=text)])
    return positive is not None


@pytest.mark.parametrize("rid", list(VOCABULARY))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_vocabulary_sentences_hit_topic_and_elements(catalog: Catalog, rid: str, lang: str) -> None:
    from service.review.text import RISK_CONCLUSION

    req = catalog.get(rid)
    assert req is not None
    topic = getattr(req.topic, lang)
    for sentence, expected in VOCABULARY[rid][lang]:
        if "topic" in expected:
            assert _hits(topic, sentence), f"{rid}/{lang}: topic misses {sentence!r}"
        if "conclusion" in expected:
            assert RISK_CONCLUSION.search(sentence) and _hits(topic, sentence), f"{rid}/{lang}: no conclusion {sentence!r}"
        wanted = expected - {"topic", "conclusion"}
        present = _present(req, lang, sentence)
        assert wanted <= present, f"{rid}/{lang}: {sorted(wanted - present)} not found in {sentence!r}"


@pytest.mark.parametrize(("rid", "name", "sentence"), NEAR_MISSES)
def test_near_misses_do_not_fire(catalog: Catalog, rid: str, name: str, sentence: str) -> None:
    req = catalog.get(rid)
    assert req is not None
    if name == "topic":
        assert not _hits(req.topic.all(), sentence), f"{rid} topic fires on {sentence!r}"
        return
    element = next(e for e in req.elements if e.name == name)
    assert not _hits(element.patterns.all(), sentence), f"{rid}.{name} fires on {sentence!r}"


@pytest.mark.parametrize(("rid", "name", "sentence"), NEGATED)
def test_negated_near_misses_are_not_presence(catalog: Catalog, rid: str, name: str, sentence: str) -> None:
    req = catalog.get(rid)
    assert req is not None
    element = next(e for e in req.elements if e.name == name)
    assert _hits(element.patterns.all(), sentence), f"{rid}.{name}: the near miss should name the element"
    assert not _engine_present(element, sentence), f"{rid}.{name} counted present in {sentence!r}"


# ---------------------------------------------------------------- clause glossary


@pytest.fixture(scope="module")
def glossary() -> dict[str, dict[str, Any]]:
    raw = yaml.safe_load(GLOSSARY_PATH.read_text(encoding="utf-8"))
    return {str(k): v for k, v in raw.items()}


def test_glossary_covers_every_anchor(glossary: dict[str, dict[str, Any]]) -> None:
    assert set(glossary) == KNOWN
    for anchor, gloss in glossary.items():
        assert set(gloss) == {"title_zh", "title_en", "summary_en", "keywords_en", "keywords_zh"}, anchor
        assert gloss["title_zh"].strip() and gloss["title_en"].strip(), anchor
        sentences = [s for s in re.split(r"(?<=\.)\s+", gloss["summary_en"].strip()) if s]
        assert 2 <= len(sentences) <= 4, (anchor, len(sentences))
        assert gloss["keywords_en"] and all(isinstance(k, str) and k.strip() for k in gloss["keywords_en"])
        assert gloss["keywords_zh"] and all(isinstance(k, str) and k.strip() for k in gloss["keywords_zh"])


def test_glossary_agrees_with_the_guideline(glossary: dict[str, dict[str, Any]]) -> None:
    guideline = pytest.importorskip("corpus.guideline")
    if not hasattr(guideline, "load_guideline"):
        pytest.skip("corpus.guideline.load_guideline not available")
    g = guideline.load_guideline()
    for anchor, gloss in glossary.items():
        clause = g.get(anchor)
        assert clause is not None, anchor
        if anchor not in {"2.0", "2.1.0", "2.3.0", "2.3.1(0)"}:  # index-0 anchors carry a descriptive title
            assert gloss["title_zh"] == clause.title, anchor
        text = clause.text or "".join(
            c.text
            for c in g.leaves()
            if c.anchor.startswith(anchor + ".") or c.anchor.startswith(anchor + "(")
        )
        # Chinese keywords add synonyms; a keyword already in the clause text adds nothing to search.
        literal = [k for k in gloss["keywords_zh"] if k in text]
        assert not literal, f"{anchor}: keywords_zh already in the clause text: {literal}"
