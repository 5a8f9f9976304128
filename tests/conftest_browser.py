"""Helpers for the web UI tests: a fast, realistic fake review and a live uvicorn server.

The fake review reads the uploaded PDF with pdfplumber (so a scan without text fails as the real
one does) and returns a full checklist whose evidence quotes are verbatim on the sample plan's
pages (tests/pdf_factory.py make_sample_plan, Chinese).
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pdfplumber
import uvicorn
from fastapi import FastAPI

from corpus.catalog import load_catalog
from service.domain import (
    ClauseRef,
    Evidence,
    FieldEvidence,
    ProductProfile,
    ReviewItem,
    ReviewResult,
    Status,
)
from service.errors import NoTextLayer
from service.lookup import clause_hit
from service.settings import Settings

ROW_HIGH = "高剂量 | 2×10^13 | 5/5 | 最大可行剂量，含恢复期动物各 2 只并延长观察至第 91 天"
GROUPS = "设置低、中、高 3 个剂量组及溶媒对照组，每组雌雄各半"  # wraps onto a second line
NECROPSY = "给药后分别于第 14 天、第 28 天和第 91 天进行计划解剖，系统评价受试物的毒性反应"
ROUTE = "给药途径与临床拟用途径一致，均为静脉输注"
BD_METHOD = "采用qPCR方法检测载体基因组在各组织中的分布。"
BD_TIMES = "给药后第 7、28、91 天取样。"
ARTICLE = "受试物为重组腺相关病毒载体，批号 GT-2024-001，滴度 1.0×10^13 vg/mL。"
PRODUCT = "本文件为AAV基因治疗产品非临床研究计划。"
SPECIES = "本试验拟采用食蟹猴作为相关动物种属"
IMMUNO = "并同时开展毒代动力学和免疫原性研究"

# requirement -> (status, [(page, quote)], rationale)
FINDINGS: dict[str, tuple[Status, list[tuple[int, str]], str]] = {
    "GEN-TEST-ARTICLE": (Status.MET, [(1, ARTICLE)], "计划说明了受试物的载体类型、批号和滴度。"),
    "GEN-SPECIES-RELEVANCE": (Status.PARTIAL, [(1, SPECIES)], "选用了食蟹猴，但未论证其转导、表达和药理活性。"),
    "TOX-SPECIES": (Status.MET, [(1, SPECIES)], "一般毒理学采用食蟹猴一种相关种属。"),
    "TOX-SEX-AGE": (Status.PARTIAL, [(1, GROUPS)], "说明了雌雄各半，未说明动物年龄。"),
    "TOX-GROUPS": (Status.MET, [(1, GROUPS), (1, ROW_HIGH)], "设低、中、高剂量组及溶媒对照组。"),
    "TOX-DOSE-SELECTION": (Status.MET, [(1, ROW_HIGH)], "高剂量为最大可行剂量，低剂量相当于临床拟用剂量。"),
    "TOX-REGIMEN": (Status.MET, [(1, ROUTE)], "给药途径与临床一致。"),
    "TOX-NECROPSY-TIMEPOINTS": (Status.MET, [(1, NECROPSY)], "设置了三个计划解剖时间点。"),
    "TOX-DURATION-RECOVERY": (Status.PARTIAL, [(1, ROW_HIGH)], "设有恢复期动物，但未说明恢复期设置依据。"),
    "PK-BD-DESIGN": (Status.PARTIAL, [(2, BD_METHOD)], "采用qPCR检测组织分布，未列明非靶组织和体液。"),
    "PK-BD-TIMEPOINTS": (Status.PARTIAL, [(2, BD_TIMES)], "取样时间点未说明能否反映峰值和平台期。"),
    "IMM-RESPONSES": (Status.PARTIAL, [(1, IMMUNO)], "提及免疫原性研究，未区分载体与转基因产物。"),
    "GEN-GLP": (Status.JUSTIFIED, [(1, "研究计划依据《基因治疗产品非临床研究与评价技术指导原则》制定。")],
                "计划声明依据指导原则开展，GLP 安排另行说明。"),
}
NOT_APPLICABLE = {"GEN-NONSTANDARD-SPECIES", "GEN-BRIDGING", "PD-SURROGATE", "TOX-SURROGATE", "IMM-IMMUNOTOX",
                  "REPRO-FERTILITY", "GENO-INSERTIONAL", "GENO-OFFTARGET", "LOCAL-TOLERANCE"}


class FakeReview:
    """Stands in for service.review.pipeline.review_pdf: progress over `seconds`, then a checklist."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.calls = 0

    def __call__(self, data: bytes, *, overrides: dict[str, Any] | None = None, settings: Settings | None = None,
                 progress: Any = None) -> ReviewResult:
        self.calls += 1
        step = (lambda stage, f: progress(stage, f)) if progress else (lambda stage, f: None)
        step("parsing", 0.05)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not any(p.chars for p in pdf.pages):
                raise NoTextLayer("the PDF has no text layer (scanned pages?); OCR is not supported")
        time.sleep(self.seconds * 0.2)
        step("profiling", 0.3)
        for i in range(1, 6):
            time.sleep(self.seconds * 0.16)
            step("checking requirements", 0.35 + 0.6 * i / 5)
        return sample_result(overrides)


def sample_result(overrides: dict[str, Any] | None = None) -> ReviewResult:
    evidence = {"modality": FieldEvidence(page=1, quote=PRODUCT), "routes.iv": FieldEvidence(page=1, quote=ROUTE),
                "clinical_dosing": FieldEvidence(page=1, quote=NECROPSY)}
    profile = ProductProfile.model_validate({"modality": "aav", "routes": ["iv"], "long_term_expression": True,
                                             **(overrides or {}), "evidence": evidence})
    items = []
    for req in load_catalog().requirements:
        hit = clause_hit(req.anchors[0])
        clause = ClauseRef(anchor=hit.anchor, title=hit.title, text=hit.text)
        if req.id in NOT_APPLICABLE and req.not_applicable_reason:
            items.append(ReviewItem(requirement_id=req.id, status=Status.NOT_APPLICABLE, clause=clause,
                                    rationale=req.not_applicable_reason.zh, confidence=0.95,
                                    decided_by="applicability"))
            continue
        status, quotes, why = FINDINGS.get(req.id, (Status.MISSING, [], "计划未涉及该要求。"))
        items.append(ReviewItem(requirement_id=req.id, status=status, clause=clause, rationale=why,
                                evidence=[Evidence(page=p, quote=q) for p, q in quotes],
                                confidence=0.82 if quotes else 0.7, decided_by="rule"))
    return ReviewResult(scope="in_scope", language="zh", profile=profile, items=items)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
