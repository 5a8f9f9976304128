"""Table-driven rule tests in both languages: status from element coverage, negation,
omission with and without a reason, integrated designs, risk conclusions, detectors."""

from __future__ import annotations

import pytest

from corpus.catalog import load_catalog
from service.domain import ProductProfile, Status
from service.ingest import FakePdfParser
from service.review.pipeline import review_document, review_requirement
from service.review.timepoints import time_points_days

AAV_IV = ProductProfile(modality="aav", routes=["iv"], long_term_expression=True)
LNP = ProductProfile(modality="mrna", routes=["iv"])


def status_of(requirement_id: str, page_text: str, profile: ProductProfile = AAV_IV, lang: str = "zh") -> Status:
    doc = FakePdfParser([page_text]).parse()
    req = load_catalog().get(requirement_id)
    assert req is not None
    item = review_requirement(req, doc, profile, lang)
    for ev in item.evidence:  # every returned quote is on its page
        assert ev.quote in doc.pages[ev.page - 1] or ev.quote.replace(" ", "") in doc.pages[ev.page - 1].replace(" ", "")
    return item.status


CASES = [
    # TOX-GROUPS: three dose levels and a control → met; no mid dose → partial; omitted with reason → justified
    ("TOX-GROUPS", "zh", "一般毒理学试验设溶媒对照组以及低剂量组、中剂量组和高剂量组，每组雌雄各5只。", Status.MET),
    ("TOX-GROUPS", "en", "The GLP study has a vehicle control group and low-dose, mid-dose and high-dose groups (5/sex/group).", Status.MET),
    ("TOX-GROUPS", "zh", "一般毒理学试验设溶媒对照组、低剂量组和高剂量组，未设中剂量组。", Status.PARTIAL),
    ("TOX-GROUPS", "en", "The toxicity study includes a vehicle control group, a low-dose group and a high-dose group; no mid-dose group is included.", Status.PARTIAL),
    ("TOX-GROUPS", "zh", "一般毒理学试验仅设溶媒对照组和高剂量组，未设低、中剂量组，因为本品的最大可行剂量仅为临床剂量的3倍，剂量间距无法拉开。", Status.JUSTIFIED),
    ("TOX-GROUPS", "en", "No intermediate or low dose group is included in the toxicity study because the maximum feasible dose is only 3-fold the clinical dose; the study has a vehicle control and a high-dose group.", Status.JUSTIFIED),
    # PD-SAFETY-PHARM: integrated into general toxicology is not an omission
    ("PD-SAFETY-PHARM", "zh", "不单独开展安全药理学试验，相关终点纳入GLP毒理学试验：神经系统检查、心电图和呼吸频率。", Status.MET),
    ("PD-SAFETY-PHARM", "en", "Safety pharmacology is not conducted as a stand-alone study but included in the GLP toxicology study: neurological examination, ECG and respiratory rate.", Status.MET),
    ("PD-SAFETY-PHARM", "en", "Safety pharmacology: neurological examination and ECG are recorded in the GLP toxicology study.", Status.PARTIAL),
    # Nothing on the topic → missing
    ("IMM-COMPLEMENT", "zh", "一般毒理学试验设溶媒对照组以及低剂量组、中剂量组和高剂量组。", Status.MISSING),
    ("IMM-COMPLEMENT", "en", "Complement activation markers (C3a, sC5b-9) are not included in the toxicology panel.", Status.MISSING),
    ("IMM-COMPLEMENT", "en", "Complement activation markers C3a, Bb and sC5b-9 are measured at 2, 6 and 24 h after dosing.", Status.MET),
    # Assessment requirements: a reasoned risk conclusion is the assessment
    ("GENO-INTEGRATION", "zh", "遗传毒性：本品为非整合型AAV载体，载体基因组主要以游离形式存在，整合进宿主基因组的可能性极低。", Status.MET),
    ("GENO-INTEGRATION", "en", "Genotoxicity: integration of the mRNA into the host genome is not expected because it is not reverse transcribed and does not enter the nucleus.", Status.MET),
    # REPRO-EFD-PPND: omitted with a reason → justified; without → missing
    ("REPRO-EFD-PPND", "zh", "鉴于目标人群为2岁以下婴幼儿，不开展胚胎-胎仔发育毒性和围产期毒性试验。", Status.JUSTIFIED),
    ("REPRO-EFD-PPND", "en", "Embryo-fetal development and pre- and postnatal development studies are not planned.", Status.MISSING),
    ("REPRO-EFD-PPND", "en", "EFD and PPND studies are not conducted because the patients have advanced cancer, per ICH S9.", Status.JUSTIFIED),
]


@pytest.mark.parametrize(("requirement_id", "lang", "text", "expected"), CASES)
def test_status_from_plan_text(requirement_id: str, lang: str, text: str, expected: Status) -> None:
    assert status_of(requirement_id, text, lang=lang) == expected


def test_dose_table_counts_dose_levels() -> None:
    doc = FakePdfParser(["4 一般毒理学试验\n\n第1组 溶媒对照 雌雄各5只\n\n第2组 1.0×10^13 vg/kg\n\n第3组 1.0×10^14 vg/kg"]).parse()
    # the fake parser gives paragraphs; make them a dose table's rows
    for p in doc.passages[1:]:
        p.kind, p.table_id = "table_row", 1
    req = load_catalog().get("TOX-GROUPS")
    assert req is not None
    item = review_requirement(req, doc, AAV_IV, "zh")
    assert item.status == Status.PARTIAL  # two dose levels and a control: no mid dose


@pytest.mark.parametrize(
    ("text", "profile", "expected"),
    [
        ("生物分布研究采样时间点为给药后第7天和第28天。", AAV_IV, Status.PARTIAL),  # no plateau for AAV
        ("生物分布研究采样时间点为给药后第3、7、28、91和182天。", AAV_IV, Status.MET),
        ("Biodistribution: animals are sampled at 0.5, 2, 6, 24 and 48 h and on Days 7, 14 and 28.", LNP, Status.MET),
        ("Biodistribution: animals are sampled at 0.5, 2, 6, 24 and 48 hours post-dose.", LNP, Status.PARTIAL),
    ],
)
def test_biodistribution_time_points(text: str, profile: ProductProfile, expected: Status) -> None:
    assert status_of("PK-BD-TIMEPOINTS", text, profile, "zh" if "生物" in text else "en") == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("于给药后第2、28和182天解剖", [2.0, 28.0, 182.0]),
        ("necropsy at Week 13 and Week 26", [91.0, 182.0]),
        ("sampled at 0.5, 2 and 6 h and on Day 7", [0.5 / 24, 2 / 24, 0.25, 7.0]),
        ("给药后6个月", [180.0]),
        ("1×10^14 vg/kg in 2 mL", []),
    ],
)
def test_time_points_in_days(text: str, days: list[float]) -> None:
    assert time_points_days(text) == pytest.approx(days)


def test_applicability_gives_not_applicable_with_reason() -> None:
    doc = FakePdfParser(["本品为腺相关病毒（AAV9）载体，单次静脉给药。"]).parse()
    req = load_catalog().get("RCV-RISK")
    assert req is not None
    item = review_requirement(req, doc, ProductProfile(modality="hsv", replication_competent=True), "zh")
    assert item.status == Status.NOT_APPLICABLE and item.decided_by == "applicability" and item.rationale


def test_every_requirement_appears_once_and_quotes_verify() -> None:
    pages = [
        "一、概述\n\n本品为重组腺相关病毒（AAV9）载体，拟单次静脉给药用于脊髓性肌萎缩症患儿。",
        "二、毒理学\n\n关键毒理学试验在GLP认证机构开展。一般毒理学试验设溶媒对照组以及低、中、高剂量组，雌雄各半。",
    ]
    result = review_document(FakePdfParser(pages).parse())
    ids = [i.requirement_id for i in result.items]
    assert ids == load_catalog().ids()
    assert result.scope == "in_scope" and result.profile.modality == "aav"


def test_passages_under_an_on_topic_chapter_heading_are_topic_passages() -> None:
    # Regression: "4.2 Design" under "4 Biodistribution" was not read for biodistribution, so its
    # peak and plateau wording went unseen.
    from service.review.rules import topic_passages

    doc = FakePdfParser(["4 Biodistribution\n\n4.2 Design of the rat study\n\n"
                         "Concentrations peaked at 6 h and reached a plateau from Day 28 onwards."]).parse()
    req = load_catalog().get("PK-BD-TIMEPOINTS")
    assert req is not None
    topic = topic_passages(req, doc)
    assert any("peaked" in p.text for p in topic)


PEDIATRIC = ProductProfile(modality="aav", routes=["iv"], long_term_expression=True, population=["pediatric"])

# Elements taken back by the plan's own wording (`contradicted_by`), elements the plan's wording
# makes required (`required_if`), and the paediatric age element.
WORDING_CASES = [
    ("PK-BD-METHOD-VALIDATION", "en", "Biodistribution: vector DNA in tissues is measured by a qPCR assay that has been validated "
     "for accuracy, precision and specificity in every tissue matrix.", AAV_IV, Status.MET),
    ("PK-BD-METHOD-VALIDATION", "en", "Biodistribution: vector DNA in tissues is measured by a qPCR assay that has been qualified "
     "for specificity and LLOQ; full validation will follow after the study.", AAV_IV, Status.PARTIAL),
    ("PK-BD-METHOD-VALIDATION", "zh", "生物分布：采用qPCR方法检测各组织载体DNA，方法已完成方法学验证（准确度、精密度、特异性）。", AAV_IV, Status.MET),
    ("PK-BD-METHOD-VALIDATION", "zh", "生物分布：采用qPCR方法检测各组织载体DNA，方法仅在肝脏和全血中完成方法学验证，其他组织参照肝脏方法检测。",
     AAV_IV, Status.PARTIAL),
    ("PK-BD-TIMING", "en", "The biodistribution study will be completed before the first patient is dosed.", AAV_IV, Status.MET),
    ("PK-BD-TIMING", "en", "For the biodistribution study, an interim report of the early cohorts will be available before "
     "the first patient is dosed; later cohorts are reported during the clinical trial.", AAV_IV, Status.PARTIAL),
    ("PK-BD-TIMING", "zh", "生物分布研究的中期分析将在首例患者给药前完成，其余时间点在临床试验开始后完成。", AAV_IV, Status.PARTIAL),
    ("GEN-GLP", "en", "The pivotal toxicology study is run under GLP in a GLP-certified facility.", AAV_IV, Status.MET),
    ("GEN-GLP", "en", "The pivotal toxicology study is run under GLP in a GLP-certified facility; "
     "pharmacology studies are non-GLP.", AAV_IV, Status.PARTIAL),
    ("GEN-GLP", "en", "The pivotal toxicology study is run under GLP in a GLP-certified facility; pharmacology studies "
     "are non-GLP but follow approved protocols, with raw data in an audited LIMS.", AAV_IV, Status.MET),
    ("GEN-GLP", "zh", "关键毒理学试验在GLP认证机构按GLP开展；药效学试验为非GLP试验。", AAV_IV, Status.PARTIAL),
    ("GEN-GLP", "zh", "关键毒理学试验在GLP认证机构按GLP开展；药效学试验为非GLP试验，按经批准的试验方案执行，原始记录可溯源。",
     AAV_IV, Status.MET),
    ("TOX-SEX-AGE", "en", "The general toxicology study uses both sexes, 6-8 weeks of age.", AAV_IV, Status.MET),
    ("TOX-SEX-AGE", "en", "The general toxicology study uses both sexes, 6-8 weeks of age.", PEDIATRIC, Status.PARTIAL),
    ("TOX-SEX-AGE", "en", "The general toxicology study uses juvenile animals of both sexes, 3 weeks of age, "
     "matching the infants to be treated.", PEDIATRIC, Status.MET),
    ("TOX-SEX-AGE", "zh", "一般毒理学试验采用幼龄食蟹猴，雌雄各半，给药时6月龄，与患儿年龄相当。", PEDIATRIC, Status.MET),
    # a high dose that only equals the top clinical dose is not a multiple, unless it is the MFD
    ("TOX-DOSE-SELECTION", "en", "Dose selection: the low and mid doses cover the clinical dose range; the high dose is 10-fold "
     "the top clinical dose.", AAV_IV, Status.MET),
    ("TOX-DOSE-SELECTION", "en", "Dose selection: the low and mid doses cover the clinical dose range and the MED; the high dose "
     "equals the top clinical dose, 5-fold the MED.", AAV_IV, Status.PARTIAL),
    ("TOX-DOSE-SELECTION", "en", "Dose selection: the low and mid doses cover the clinical dose range; the high dose equals the "
     "top clinical dose, which is the maximum feasible dose given the formulation concentration.", AAV_IV, Status.MET),
    ("TOX-DOSE-SELECTION", "zh", "剂量选择：低、中剂量覆盖临床拟用剂量范围；高剂量相当于临床拟定最高剂量，为最低有效剂量的5倍。",
     AAV_IV, Status.PARTIAL),
    # a research lot in the pivotal study, clinical material made later elsewhere, nothing bridging
    ("GEN-TEST-ARTICLE", "en", "Test article: the GLP toxicology study will use research lot R07 (titre, identity, potency "
     "tested). Clinical material will be manufactured later at 200-L scale.", AAV_IV, Status.MISSING),
    ("GEN-TEST-ARTICLE", "en", "Test article: the GLP toxicology study will use research lot R07 (titre, identity, potency "
     "tested). Clinical material will be manufactured later at 200-L scale; comparability with the research lot will "
     "be shown by the release panel and a bridging study.", AAV_IV, Status.MET),
    # sampling that stops while levels are still rising has not reached the plateau
    ("PK-BD-TIMEPOINTS", "en", "Biodistribution: tissues are sampled on Days 1, 7, 28 and 91 to capture the peak and the "
     "plateau of vector genomes.", AAV_IV, Status.MET),
    ("PK-BD-TIMEPOINTS", "en", "4 Biodistribution\n\nTissues are sampled on Days 1, 7, 28 and 91 to capture the peak and the "
     "plateau of vector genomes. In the pilot, liver vector genomes were still rising at Day 91.", AAV_IV, Status.PARTIAL),
    # a standalone safety-pharmacology study left out while its endpoints sit in general toxicology
    ("PD-SAFETY-PHARM", "en", "Systemic exposure is low, so no standalone safety pharmacology study was conducted. "
     "Cardiovascular (ECG, blood pressure), respiratory (respiratory rate) and neurological examinations are built "
     "into the GLP toxicity study.", AAV_IV, Status.MET),
    # the recovery period must be argued from persistence where it is set
    ("TOX-DURATION-RECOVERY", "zh", "试验期限13周，覆盖表达稳态后9周。\n\n恢复期4周，为常规设置。\n\n"
     "载体在肝脏中持续表达。", AAV_IV, Status.PARTIAL),
    ("TOX-DURATION-RECOVERY", "zh", "试验期限13周，覆盖表达稳态后9周。\n\n恢复期13周，其长度参照肝脏载体拷贝数的下降速率设定，"
     "载体长期存留。", AAV_IV, Status.MET),
]


@pytest.mark.parametrize(("requirement_id", "lang", "text", "profile", "expected"), WORDING_CASES)
def test_plan_wording_takes_back_or_adds_elements(requirement_id: str, lang: str, text: str,
                                                  profile: ProductProfile, expected: Status) -> None:
    assert status_of(requirement_id, text, profile, lang) == expected


def test_toxicology_design_is_read_in_the_toxicology_study() -> None:
    # Regression: "雌雄各半" of a pharmacology study answered for a male-only toxicology study.
    pages = ["3 药效学研究\n\n疾病模型大鼠每组10只，雌雄各半，连续给药7天。",
             "5 毒性研究\n\n5.1 大鼠28天重复给药毒性试验\n\n选用健康SD大鼠，动物选用雄性，给药开始时6～7周龄。"]
    assert status_of("TOX-SEX-AGE", "\n\n".join(pages)) == Status.PARTIAL
    doc = FakePdfParser(pages).parse()
    req = load_catalog().get("TOX-SEX-AGE")
    assert req is not None
    item = review_requirement(req, doc, AAV_IV, "zh")
    assert item.status == Status.PARTIAL and all(ev.page == 2 for ev in item.evidence)


@pytest.mark.parametrize(
    ("requirement_id", "lang", "text", "expected"),
    [
        # regression: the comma inside "(EFD, PPND)" cut the omission off from the studies it omits
        ("REPRO-EFD-PPND", "en", "No DART studies (EFD, PPND) are planned for the first clinical trial.", Status.MISSING),
        ("REPRO-EFD-PPND", "zh", "不开展胚胎-胎仔发育（EFD，PPND）毒性试验。", Status.MISSING),
        # regression: a risk conclusion listing what is absent ("no known tumour-promoting effect") is the assessment
        ("CARC-WOE", "en", "The weight of evidence indicates a low carcinogenic risk: silencing has no known tumour-promoting "
         "effect, the vector is non-integrating and the target cells do not divide.", Status.MET),
    ],
)
def test_parenthesised_lists_and_risk_conclusions(requirement_id: str, lang: str, text: str, expected: Status) -> None:
    assert status_of(requirement_id, text, AAV_IV, lang) == expected


def test_dose_levels_detector_counts_a_pharmacology_dose_table() -> None:
    from service.domain import Document, Passage

    section = "3.3 In vivo PoC and dose-response"
    texts = ["Grp | Article | Dose (TU/kg)", "1 | Vehicle | 0", "2 | GRX-107 | 3 x 10^8", "3 | GRX-107 | 1 x 10^9",
             "4 | GRX-107 | 3 x 10^9"]
    passages = [Passage(idx=0, page=1, text=section, kind="heading", section=section),
                Passage(idx=1, page=1, text="MED = lowest dose giving a significant reduction of liver copper.", section=section)]
    passages += [Passage(idx=i + 2, page=1, text=t, kind="table_row", section=section, table_id=0) for i, t in enumerate(texts)]
    doc = Document(pages=["\n".join(p.text for p in passages)], passages=passages, language="en", sha256="x")
    req = load_catalog().get("PD-DOSE-RESPONSE")
    assert req is not None
    assert review_requirement(req, doc, AAV_IV, "en").status == Status.MET
    doc.passages = doc.passages[:2] + doc.passages[2:4]  # one dose level only
    assert review_requirement(req, doc, AAV_IV, "en").status == Status.PARTIAL


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Patients receive up to 12 injections, every 2 weeks.", [12]),
        ("Four instillations are given in the first year.", [4]),
        ("Animals receive 4 weekly doses of 1, 3 or 10 mg/kg.", [4]),
        ("Three doses (1, 3 and 10 mg/kg) are tested; dosing is twice daily for 28 days.", []),
        ("受试者共接受4次肌内注射。", [4]),
        ("每2周给药1次，共给药4次。", [1, 4]),
        ("治疗持续至疾病进展，最多给药12次。", [12]),
    ],
)
def test_administration_counts(text: str, counts: list[int]) -> None:
    from service.review.regimen import administration_counts

    assert sorted(administration_counts(text)) == sorted(counts)


def test_fewer_toxicology_administrations_than_clinical_ones_is_partial() -> None:
    clinical = "2 临床试验方案\n\n临床给药方案：受试者共接受4次肌内注射，间隔14天，模拟临床。"
    tox_short = "5 重复给药毒性试验\n\n大鼠肌内注射给药2次（第1天、第15天），给药途径与临床一致，模拟临床给药方案。"
    tox_full = "5 重复给药毒性试验\n\n大鼠肌内注射给药4次（每14天一次），给药途径与临床一致，模拟临床给药方案。"
    assert status_of("TOX-REGIMEN", clinical + "\n\n" + tox_short) == Status.PARTIAL
    assert status_of("TOX-REGIMEN", clinical + "\n\n" + tox_full) == Status.MET


def test_the_reason_for_an_omission_may_open_the_next_bullet() -> None:
    # Regression: "- EFD and PPND studies are not planned." followed by a "- Justification: …"
    # bullet was read as an unreasoned omission.
    page = ("9.2 Developmental toxicity studies\n\n- Embryo-fetal development and pre- and postnatal development studies "
            "are not planned.\n\n- Justification: with no measurable systemic exposure, neither the vector nor the "
            "protein is expected to reach the conceptus.")
    assert status_of("REPRO-EFD-PPND", page, AAV_IV, "en") == Status.JUSTIFIED


def test_an_example_set_off_by_commas_belongs_to_the_negated_subject() -> None:
    # Regression: "A dedicated immunotoxicity study, such as a T-cell-dependent antibody response
    # assay, was not performed." counted the TDAR example as a measured endpoint.
    page = ("7 Immunotoxicity\n\nThe transgene is an immunomodulatory cytokine. A dedicated immunotoxicity study, such as a "
            "T-cell-dependent antibody response assay, was not performed. The rationale is that serum levels stayed "
            "below the LLOQ in all animals.")
    cytokine_aav = ProductProfile(modality="aav", routes=["iv"], immunomodulatory_transgene=True)
    assert status_of("IMM-IMMUNOTOX", page, cytokine_aav, "en") == Status.JUSTIFIED


def test_an_early_necropsy_catches_the_expression_peak_of_a_persisting_vector() -> None:
    page = ("5 Toxicology\n\n5.3 Necropsies\n\nAnimals are necropsied on Days 29, 91 and 183: Day 29 during rising "
            "expression, Day 91 at the plateau and Day 183 at steady state.")
    aav = ProductProfile(modality="aav", routes=["iv"], long_term_expression=True)
    assert status_of("TOX-NECROPSY-TIMEPOINTS", page, aav, "en") == Status.MET
    transient = ProductProfile(modality="adenovirus", routes=["iv"])
    late_only = "5 Toxicology\n\n5.3 Necropsies\n\nAnimals are necropsied on Days 29 and 57 (end of recovery)."
    assert status_of("TOX-NECROPSY-TIMEPOINTS", late_only, transient, "en") == Status.PARTIAL
