"""Build small study-plan PDFs with reportlab for tests (Chinese or English).

    make_plan_pdf(path_or_None, blocks, "zh", header="...", footer="机密 第 {page} 页 共 {pages} 页")

blocks are (kind, payload) pairs: ("h1" | "h2" | "h3" | "p", text), ("table", [[cell, ...], ...])
with the first row as header, ("pagebreak", None). Returns the PDF bytes (and writes them when a
path is given). Also: sample_plan_blocks(), long_plan_blocks(), image_only_pdf(), encrypted_pdf(),
zero_page_pdf() for the bad-input cases.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

Block = tuple[str, Any]
Language = Literal["zh", "en"]

_CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(_CJK_FONT))


def _styles(language: Language, indent: bool = False) -> dict[str, ParagraphStyle]:
    zh = language == "zh"
    body_font = _CJK_FONT if zh else "Helvetica"
    bold_font = _CJK_FONT if zh else "Helvetica-Bold"
    wrap = "CJK" if zh else None
    base = ParagraphStyle("p", fontName=body_font, fontSize=10.5, leading=16, spaceAfter=6, wordWrap=wrap)
    if indent:  # Chinese office style: no space between paragraphs, first line indented 2 chars
        base = ParagraphStyle("p", parent=base, spaceAfter=0, firstLineIndent=21)
    return {
        "p": base,
        "h1": ParagraphStyle("h1", parent=base, fontName=bold_font, fontSize=16, leading=22, spaceBefore=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold_font, fontSize=13, leading=18, spaceBefore=6),
        "h3": ParagraphStyle("h3", parent=base, fontName=bold_font, fontSize=11.5, leading=16),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13, spaceAfter=0),
    }


def _numbered_canvas(header: str | None, footer: str | None, font: str) -> type[rl_canvas.Canvas]:
    """A canvas that draws the running header/footer once the page total is known."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._draw_running(total)
                super().showPage()
            super().save()

        def _draw_running(self, total: int) -> None:
            width, height = self._pagesize
            self.setFont(font, 9)
            if header:
                self.drawString(20 * mm, height - 12 * mm, header.format(page=self._pageNumber, pages=total))
                self.line(20 * mm, height - 14 * mm, width - 20 * mm, height - 14 * mm)
            if footer:  # one or more lines, the last one lowest
                lines = footer.format(page=self._pageNumber, pages=total).split("\n")
                for k, text in enumerate(reversed(lines)):
                    self.drawCentredString(width / 2, (8 + 4.5 * k) * mm, text)

    return NumberedCanvas


def make_plan_pdf(
    path: str | Path | None,
    blocks: Sequence[Block],
    language: Language = "zh",
    *,
    header: str | None = None,
    footer: str | None = None,
    encrypt: str | None = None,
    indent_paragraphs: bool = False,
) -> bytes:
    """Render blocks to a PDF. header/footer may use {page} and {pages}; a footer may have several
    lines ("\n"). encrypt = a user password. indent_paragraphs: first-line indent, no spacing."""
    styles = _styles(language, indent_paragraphs)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title="plan",
        encrypt=encrypt,
    )
    flow: list[Any] = []
    for kind, payload in blocks:
        if kind in ("h1", "h2", "h3", "p"):
            flow.append(Paragraph(_escape(str(payload)), styles[kind]))
        elif kind == "table":
            rows = [[Paragraph(_escape(str(c)), styles["cell"]) for c in row] for row in payload]
            ncols = max(len(r) for r in rows)
            table = Table(rows, colWidths=[doc.width / ncols] * ncols, repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            flow += [table, Spacer(1, 6)]
        elif kind == "pagebreak":
            flow.append(PageBreak())
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    font = _CJK_FONT if language == "zh" else "Helvetica"
    doc.build(flow, canvasmaker=_numbered_canvas(header, footer, font))
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------ sample content

ZH_LONG = (
    "本试验拟采用食蟹猴作为相关动物种属，通过静脉输注给予受试物AAV9-hFXN，设置低、中、高 3 个剂量组及溶媒对照组，"
    "每组雌雄各半，给药后分别于第 14 天、第 28 天和第 91 天进行计划解剖，系统评价受试物的毒性反应、"
    "靶器官、剂量-反应关系及毒性反应的可逆性，并同时开展毒代动力学和免疫原性研究。"
)
EN_LONG = (
    "The pivotal toxicology study will use cynomolgus monkeys as the pharmacologically relevant species. "
    "AAV9-hFXN will be administered as a single intravenous infusion at three dose levels together with a "
    "vehicle control group, with equal numbers of males and females, and scheduled necropsies on Days 14, 28 "
    "and 91 to characterise toxicity, target organs, dose-response and reversibility."
)


def sample_plan_blocks(language: Language) -> list[Block]:
    """A small but complete plan: headings at three levels (by font and by numbering only),
    consecutive paragraphs, a wrapped paragraph, a wrapped numbered list item, a dose table
    with a wrapped cell, and a second page."""
    if language == "zh":
        return [
            ("h1", "一、概述"),
            ("p", "本文件为AAV基因治疗产品非临床研究计划。"),
            ("p", "研究计划依据《基因治疗产品非临床研究与评价技术指导原则》制定。"),
            ("h2", "（一）受试物"),
            ("p", "受试物为重组腺相关病毒载体，批号 GT-2024-001，滴度 1.0×10^13 vg/mL。"),
            ("h1", "二、毒理学研究"),
            ("h2", "2.1 重复给药毒性试验"),
            ("p", ZH_LONG),
            (
                "p",
                "1. 给药途径与临床拟用途径一致，均为静脉输注，输注速率按体重折算，"
                "给药体积不超过 10 mL/kg，给药后观察动物的一般状态和输注部位反应。",
            ),
            ("p", "表1 剂量设计"),
            (
                "table",
                [
                    ["组别", "剂量（vg/kg）", "动物数（雌/雄）", "备注"],
                    ["溶媒对照", "0", "5/5", "—"],
                    ["低剂量", "1×10^12", "5/5", "相当于临床拟用剂量"],
                    ["中剂量", "5×10^12", "5/5", "—"],
                    ["高剂量", "2×10^13", "5/5", "最大可行剂量，含恢复期动物各 2 只并延长观察至第 91 天"],
                ],
            ),
            ("pagebreak", None),
            ("h2", "2.2 生物分布研究"),
            ("p", "采用qPCR方法检测载体基因组在各组织中的分布。"),
            ("p", "（二）取样时间点"),
            ("p", "给药后第 7、28、91 天取样。"),
        ]
    return [
        ("h1", "1. Introduction"),
        ("p", "This document describes the non-clinical study plan for an AAV gene therapy product."),
        ("p", "It follows the CDE guideline on non-clinical research of gene therapy products."),
        ("h2", "1.1 Test Article"),
        ("p", "The test article is a recombinant adeno-associated virus vector, lot GT-2024-001."),
        ("h1", "2. Toxicology Studies"),
        ("h2", "2.1 Repeat-Dose Toxicity"),
        ("p", EN_LONG),
        (
            "p",
            "1. The route of administration is the intended clinical route, an intravenous infusion, "
            "with a dose volume of no more than 10 mL/kg and observation of the infusion site.",
        ),
        ("p", "Table 1 Dose groups"),
        (
            "table",
            [
                ["Group", "Dose (vg/kg)", "Animals (M/F)", "Remarks"],
                ["Vehicle control", "0", "5/5", "-"],
                ["Low dose", "1E12", "5/5", "Equivalent to the proposed clinical dose"],
                ["Mid dose", "5E12", "5/5", "-"],
                [
                    "High dose",
                    "2E13",
                    "5/5",
                    "Maximum feasible dose, with 2 recovery animals per sex observed until Day 91",
                ],
            ],
        ),
        ("pagebreak", None),
        ("h2", "2.2 Biodistribution"),
        ("p", "Vector genomes will be quantified in tissues by qPCR."),
        ("h3", "2.2.1 Sampling Time Points"),
        ("p", "Tissues will be sampled on Days 7, 28 and 91."),
        ("p", "III. References"),
        ("p", "Guideline for non-clinical research and evaluation of gene therapy products (2024)."),
    ]


SAMPLE_HEADER = {"zh": "XX-AAV 非临床研究计划 V1.0", "en": "XX-AAV Non-clinical Study Plan v1.0"}
SAMPLE_FOOTER = {
    "zh": "公司机密，未经许可不得复制\n- {page} -",
    "en": "CONFIDENTIAL - for regulatory review only\nPage {page} of {pages}",
}


def make_sample_plan(path: str | Path | None, language: Language = "zh", **kwargs: Any) -> bytes:
    return make_plan_pdf(
        path,
        sample_plan_blocks(language),
        language,
        header=SAMPLE_HEADER[language],
        footer=SAMPLE_FOOTER[language],
        **kwargs,
    )


def long_plan_blocks(language: Language, sections: int = 30) -> list[Block]:
    """About one page per section: headings, wrapped paragraphs, a table every 3rd section."""
    text = ZH_LONG if language == "zh" else EN_LONG
    blocks: list[Block] = []
    for i in range(1, sections + 1):
        blocks.append(("h1", f"{i}. {'研究项目' if language == 'zh' else 'Study item'} {i}"))
        for j in range(1, 4):
            blocks.append(("h2", f"{i}.{j} {'试验设计' if language == 'zh' else 'Design'}"))
            blocks += [("p", text), ("p", text[: len(text) // 2] + ("。" if language == "zh" else "."))]
        if i % 3 == 0:
            blocks.append(("table", next(b[1] for b in sample_plan_blocks(language) if b[0] == "table")))
        blocks.append(("pagebreak", None))
    return blocks


# ------------------------------------------------------------------ bad inputs


def image_only_pdf(pages: int = 2) -> bytes:
    """Pages with drawings only (what a scan looks like to a text extractor)."""
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=A4)
    for _ in range(pages):
        c.setFillColor(colors.lightgrey)
        c.rect(50, 300, 400, 400, fill=1)
        c.circle(250, 500, 80, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(password: str = "pw") -> bytes:
    return make_plan_pdf(None, [("p", "secret plan text")], "en", encrypt=password)


def zero_page_pdf() -> bytes:
    """A syntactically valid PDF whose page tree is empty, with a correct xref table."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)
