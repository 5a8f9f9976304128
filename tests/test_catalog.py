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
        "TOX-NECROPSY-TIMEPOINTS": "timepoints",
        "TOX-SEX-AGE": "sexes",
    }
    for rid, detector in expected.items():
        assert by_id[rid].detector == detector, rid
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
