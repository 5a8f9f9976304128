"""Render labelled evaluation dossiers: ``source.yaml`` -> ``plan.pdf``, ``labels.src.yaml`` -> ``labels.json``.

Usage (from the project root)::

    python -m evals.dossiers.render [DIR ...]

Without arguments every folder under ``evals/dossiers`` (recursively) that holds a
``source.yaml`` is rendered.

Source format (one folder per dossier)
--------------------------------------
``source.yaml``::

    language: zh            # or en
    title_page: {title, subtitle, product, sponsor, version, date}
    header: "running header on every page but the title page"
    confidential: "running footer line (printed with the page number)"
    blocks:                 # in order
      - h1: "1 概述"
      - h2: "1.1 产品简介"
      - h3: "1.1.1 ..."     # optional third level
      - p: "paragraph text"
      - bullets: ["...", "..."]
      - table: {caption: "表 3 ...", header: [...], rows: [[...], ...], widths: [optional relative widths]}
      - pagebreak: true

``labels.src.yaml``::

    {id, language, scope: in_scope|out_of_scope, scope_reason?, profile: {...},
     requirements: {REQ-ID: {status, quote, why}}}

The gold ``pages`` of each requirement are computed from the rendered PDF: every
1-based page whose pdfplumber text contains the quote (``service.textnorm.quote_on_page``).
A non-empty quote found on no page stops the build with an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

from service.textnorm import quote_on_page

DOSSIERS_DIR = Path(__file__).resolve().parent

# The stable contract of /work/shared/checklist-spec.md (44 IDs, in spec order).
SPEC_IDS: tuple[str, ...] = (
    "GEN-GLP",
    "GEN-SPECIES-RELEVANCE",
    "GEN-NONSTANDARD-SPECIES",
    "GEN-TEST-ARTICLE",
    "GEN-BRIDGING",
    "PD-MODEL",
    "PD-POC-INVITRO",
    "PD-POC-INVIVO",
    "PD-DOSE-RESPONSE",
    "PD-ROUTE-REGIMEN",
    "PD-SURROGATE",
    "PD-SAFETY-PHARM",
    "PK-BD-DESIGN",
    "PK-BD-TIMEPOINTS",
    "PK-BD-TIMING",
    "PK-BD-METHOD-VALIDATION",
    "PK-SHEDDING",
    "PK-SHEDDING-INFECTIVITY",
    "TOX-SURROGATE",
    "TOX-SPECIES",
    "TOX-SEX-AGE",
    "TOX-DOSE-SELECTION",
    "TOX-GROUPS",
    "TOX-REGIMEN",
    "TOX-LONG-EXPRESSION",
    "TOX-DURATION-RECOVERY",
    "TOX-NECROPSY-TIMEPOINTS",
    "TOX-ENDPOINTS-SPECIAL",
    "TOX-SATELLITE-BD",
    "IMM-RESPONSES",
    "IMM-PREEXISTING",
    "IMM-COMPLEMENT",
    "IMM-IMMUNOTOX",
    "REPRO-RISK-ASSESSMENT",
    "REPRO-EFD-PPND",
    "REPRO-FERTILITY",
    "REPRO-GERMLINE",
    "GENO-INTEGRATION",
    "GENO-INSERTIONAL",
    "GENO-OFFTARGET",
    "CARC-WOE",
    "RCV-RISK",
    "LOCAL-TOLERANCE",
    "FIH-DOSE",
)
STATUSES = ("met", "partial", "missing", "justified", "not_applicable")
EVIDENCED = ("met", "partial", "justified")
SCOPES = ("in_scope", "out_of_scope")
LANGUAGES = ("zh", "en")

MODALITIES = (
    "aav",
    "adenovirus",
    "lentivirus",
    "gamma_retrovirus",
    "hsv",
    "vaccinia",
    "other_virus",
    "plasmid",
    "mrna",
    "lnp_editing",
    "bacteria",
    "fungus",
    "phage",
    "other",
)
ROUTES = (
    "iv",
    "intrathecal",
    "icv",
    "subretinal",
    "intravitreal",
    "intramuscular",
    "intratumoral",
    "intradermal",
    "subcutaneous",
    "oral",
    "inhaled",
    "other",
)
POPULATIONS = ("pediatric", "wocbp_or_pregnant", "advanced_cancer")
BOOL_PROFILE_FIELDS = (
    "replication_competent",
    "integrating",
    "genome_editing",
    "transposon",
    "immunomodulatory_transgene",
    "long_term_expression",
    "nonstandard_species",
    "surrogate_product",
    "major_change",
    "reproductive_organ_toxicity",
    "lnp_delivery",
)
PROFILE_FIELDS = ("modality", "routes", "clinical_dosing", "population", *BOOL_PROFILE_FIELDS)

QUOTE_MAX_CHARS = 160


class DossierError(Exception):
    """A dossier source that cannot be rendered or labelled; the message says where and why."""


# --------------------------------------------------------------------------- PDF


def _styles(language: str) -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if language == "zh":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        body_font = bold_font = "STSong-Light"
        wrap: str | None = "CJK"
        leading_factor = 1.55
    else:
        body_font, bold_font = "Times-Roman", "Helvetica-Bold"
        wrap = None
        leading_factor = 1.3

    def style(name: str, size: float, font: str = body_font, **kw: Any) -> ParagraphStyle:
        base: dict[str, Any] = dict(
            fontName=font, fontSize=size, leading=size * leading_factor, spaceAfter=size * 0.5
        )
        if wrap:
            base["wordWrap"] = wrap
        base.update(kw)
        return ParagraphStyle(name, **base)

    return {
        "body_font": body_font,
        "bold_font": bold_font,
        "title": style("title", 22, bold_font, alignment=TA_CENTER, spaceAfter=18, leading=30),
        "subtitle": style("subtitle", 14, body_font, alignment=TA_CENTER, spaceAfter=30),
        "meta": style("meta", 11.5, body_font, alignment=TA_CENTER, spaceAfter=8),
        "h1": style("h1", 15, bold_font, spaceBefore=10, spaceAfter=8, keepWithNext=1),
        "h2": style("h2", 12.5, bold_font, spaceBefore=6, spaceAfter=5, keepWithNext=1),
        "h3": style("h3", 11, bold_font, spaceBefore=4, spaceAfter=4, keepWithNext=1),
        "p": style("p", 10.5, body_font, spaceAfter=6),
        "bullet": style(
            "bullet", 10.5, body_font, leftIndent=16, bulletIndent=4, spaceAfter=3, bulletFontName=body_font
        ),
        "bullet_char": "\u25cf" if language == "zh" else "-",
        "caption": style("caption", 10, bold_font, spaceBefore=4, spaceAfter=4, keepWithNext=1),
        "cell": style("cell", 9, body_font, spaceAfter=0, leading=9 * 1.35),
        "cellhead": style("cellhead", 9, bold_font, spaceAfter=0, leading=9 * 1.35),
        "grid": colors.black,
        "headbg": colors.HexColor("#e6e6e6"),
    }


def _text(value: Any, where: str, language: str) -> str:
    if value is None:
        raise DossierError(f"{where}: empty text")
    text = str(value)
    if language == "en":
        try:
            text.encode("cp1252")
        except UnicodeEncodeError as exc:
            bad = text[exc.start : exc.end]
            raise DossierError(
                f"{where}: character {bad!r} cannot be drawn with the standard Latin fonts; "
                "use an ASCII/Latin-1 equivalent (e.g. '>=' for '≥')"
            ) from None
    return escape(text)


def _visual_len(text: str) -> float:
    return sum(2.0 if ord(c) > 0x2E80 else 1.0 for c in text)


def _auto_widths(cells: list[list[str]], st: dict[str, Any], width: float) -> list[float]:
    """Column widths: each column at least as wide as its longest unbreakable word, the rest
    shared in proportion to the column's longest cell."""
    import re

    from reportlab.pdfbase.pdfmetrics import stringWidth

    ncol = len(cells[0])
    pad = 10.0
    minimum, weight = [], []
    for c in range(ncol):
        words = [w for row in cells for w in re.split(r"[\s\u2e80-\u9fff\uff00-\uffef]+", row[c]) if w]
        longest_word = max((stringWidth(w, st["bold_font"], 9) for w in words), default=0.0)
        minimum.append(longest_word + pad)
        weight.append(min(max(max(_visual_len(row[c]) for row in cells), 6.0), 60.0))
    spare = width - sum(minimum)
    if spare <= 0:
        return [width * m / sum(minimum) for m in minimum]
    return [m + spare * w / sum(weight) for m, w in zip(minimum, weight, strict=True)]


def _table(block: dict[str, Any], st: dict[str, Any], width: float, where: str, language: str) -> list[Any]:
    from reportlab.platypus import Paragraph, Table, TableStyle

    header = block.get("header") or []
    rows = block.get("rows") or []
    if not header or not rows:
        raise DossierError(f"{where}: a table needs 'header' and 'rows'")
    ncol = len(header)
    for i, row in enumerate(rows):
        if len(row) != ncol:
            raise DossierError(f"{where}: row {i + 1} has {len(row)} cells, header has {ncol}")
    if block.get("widths"):
        weights = [float(w) for w in block["widths"]]
        if len(weights) != ncol:
            raise DossierError(f"{where}: 'widths' must have {ncol} entries")
        col_widths = [width * w / sum(weights) for w in weights]
    else:
        col_widths = _auto_widths([[str(c) for c in r] for r in [header, *rows]], st, width)
    data = [[Paragraph(_text(h, where, language), st["cellhead"]) for h in header]]
    for row in rows:
        data.append([Paragraph(_text(c, where, language), st["cell"]) for c in row])
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, st["grid"]),
                ("BACKGROUND", (0, 0), (-1, 0), st["headbg"]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    out: list[Any] = []
    if block.get("caption"):
        out.append(Paragraph(_text(block["caption"], where, language), st["caption"]))
    table.spaceAfter = 8
    out.append(table)
    return out


def render_pdf(source: dict[str, Any], out_path: Path, where: str = "source.yaml") -> int:
    """Render one dossier source to ``out_path``; returns the page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    language = source.get("language")
    if language not in LANGUAGES:
        raise DossierError(f"{where}: language must be one of {LANGUAGES}, got {language!r}")
    st = _styles(language)
    tp = source.get("title_page") or {}
    if not tp.get("title"):
        raise DossierError(f"{where}: title_page.title is required")
    header = str(source.get("header") or "")
    confidential = str(source.get("confidential") or "")
    _text(header, f"{where}: header", language)
    _text(confidential, f"{where}: confidential", language)

    page_w, page_h = A4
    margin_x, margin_top, margin_bottom = 22 * mm, 25 * mm, 22 * mm
    frame_w = page_w - 2 * margin_x

    def page_label(n: int) -> str:
        return f"第 {n} 页" if language == "zh" else f"Page {n}"

    def draw_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(st["body_font"], 8.5)
        canvas.setLineWidth(0.4)
        canvas.line(margin_x, 15 * mm, page_w - margin_x, 15 * mm)
        if confidential:
            canvas.drawString(margin_x, 10.5 * mm, confidential)
        canvas.drawRightString(page_w - margin_x, 10.5 * mm, page_label(doc.page))
        canvas.restoreState()

    def on_first(canvas: Any, doc: Any) -> None:
        draw_footer(canvas, doc)

    def on_later(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(st["body_font"], 8.5)
        if header:
            canvas.drawString(margin_x, page_h - 14 * mm, header)
        canvas.setLineWidth(0.4)
        canvas.line(margin_x, page_h - 16 * mm, page_w - margin_x, page_h - 16 * mm)
        canvas.restoreState()
        draw_footer(canvas, doc)

    story: list[Any] = [Spacer(1, 55 * mm)]
    story.append(Paragraph(_text(tp["title"], f"{where}: title", language), st["title"]))
    if tp.get("subtitle"):
        story.append(Paragraph(_text(tp["subtitle"], f"{where}: subtitle", language), st["subtitle"]))
    labels = (
        {"product": "产品", "sponsor": "申请人", "version": "版本", "date": "日期"}
        if language == "zh"
        else {"product": "Product", "sponsor": "Sponsor", "version": "Version", "date": "Date"}
    )
    sep = "：" if language == "zh" else ": "
    for key, label in labels.items():
        if tp.get(key):
            story.append(Paragraph(_text(f"{label}{sep}{tp[key]}", f"{where}: {key}", language), st["meta"]))
    story.append(PageBreak())

    blocks = source.get("blocks") or []
    if not blocks:
        raise DossierError(f"{where}: no blocks")
    for i, block in enumerate(blocks):
        bw = f"{where}: block {i + 1}"
        if not isinstance(block, dict) or len(block) != 1:
            raise DossierError(f"{bw}: each block is a mapping with exactly one key, got {block!r}")
        ((kind, value),) = block.items()
        if kind in ("h1", "h2", "h3", "p"):
            story.append(Paragraph(_text(value, bw, language), st[kind]))
        elif kind == "bullets":
            if not isinstance(value, list) or not value:
                raise DossierError(f"{bw}: bullets must be a non-empty list")
            items = [
                Paragraph(_text(item, bw, language), st["bullet"], bulletText=st["bullet_char"])
                for item in value
            ]
            items[-1].spaceAfter = 7
            story.extend(items)
        elif kind == "table":
            if not isinstance(value, dict):
                raise DossierError(f"{bw}: table must be a mapping")
            story.extend(_table(value, st, frame_w, bw, language))
        elif kind == "pagebreak":
            story.append(PageBreak())
        else:
            raise DossierError(f"{bw}: unknown block type {kind!r}")

    meta_title = str(tp["title"])
    doc = SimpleDocTemplate(
        str(out_path),
        pagesize=A4,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_top,
        bottomMargin=margin_bottom,
        title=meta_title,
        author=str(tp.get("sponsor") or ""),
        invariant=1,
    )
    doc.build(story, onFirstPage=on_first, onLaterPages=on_later)
    _check_extractable(_source_strings(source), out_path, where)
    return int(doc.page)


def _source_strings(source: dict[str, Any]) -> list[str]:
    out = [str(v) for v in (source.get("title_page") or {}).values() if v]
    out += [str(source.get("header") or ""), str(source.get("confidential") or "")]
    for block in source.get("blocks") or []:
        for kind, value in block.items():
            if kind == "table":
                out.append(str(value.get("caption") or ""))
                out += [
                    str(c) for row in [value.get("header") or [], *(value.get("rows") or [])] for c in row
                ]
            elif kind == "bullets":
                out += [str(v) for v in value]
            elif kind != "pagebreak":
                out.append(str(value))
    return out


def _check_extractable(strings: list[str], pdf_path: Path, where: str) -> None:
    """Every character of the source must come back out of the PDF's text layer: a glyph the
    font cannot map (e.g. U+2212 minus or U+00B5 micro in STSong-Light) would silently vanish
    from the extracted text and break verbatim quotes."""
    wanted = {c for s in strings for c in s if not c.isspace()}
    got = set("".join(pdf_page_texts(pdf_path)))
    lost = sorted(wanted - got)
    if lost:
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in lost)
        raise DossierError(
            f"{where}: these characters do not survive PDF text extraction: {shown}; "
            "replace them (e.g. '-' for U+2212, 'μ' U+03BC for U+00B5)"
        )


# ------------------------------------------------------------------------ labels


def pdf_page_texts(pdf_path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(pdf_path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def validate_labels(labels: dict[str, Any], where: str, page_count: int | None = None) -> list[str]:
    """Problems with a labels mapping (source or built); an empty list means valid."""
    problems: list[str] = []
    if not labels.get("id"):
        problems.append(f"{where}: 'id' is required")
    if labels.get("language") not in LANGUAGES:
        problems.append(f"{where}: language must be one of {LANGUAGES}")
    scope = labels.get("scope")
    if scope not in SCOPES:
        problems.append(f"{where}: scope must be one of {SCOPES}, got {scope!r}")
    profile = labels.get("profile")
    if not isinstance(profile, dict):
        problems.append(f"{where}: profile must be a mapping")
        profile = {}
    for key, value in profile.items():
        if key not in PROFILE_FIELDS:
            problems.append(f"{where}: unknown profile field {key!r}")
        elif key in BOOL_PROFILE_FIELDS and not isinstance(value, bool):
            problems.append(f"{where}: profile.{key} must be true/false")
    if "modality" in profile and profile["modality"] not in MODALITIES:
        problems.append(f"{where}: profile.modality {profile['modality']!r} not in {MODALITIES}")
    for r in profile.get("routes") or []:
        if r not in ROUTES:
            problems.append(f"{where}: profile.routes has unknown route {r!r}")
    for p in profile.get("population") or []:
        if p not in POPULATIONS:
            problems.append(f"{where}: profile.population has unknown flag {p!r}")
    if profile.get("clinical_dosing", "single") not in ("single", "repeat"):
        problems.append(f"{where}: profile.clinical_dosing must be single or repeat")

    reqs = labels.get("requirements")
    if reqs is None:
        reqs = {}
    if not isinstance(reqs, dict):
        problems.append(f"{where}: requirements must be a mapping")
        return problems
    if scope == "out_of_scope":
        if reqs:
            problems.append(f"{where}: an out-of-scope dossier has requirements {{}}")
        if not labels.get("scope_reason"):
            problems.append(f"{where}: an out-of-scope dossier needs scope_reason")
        return problems
    missing = [i for i in SPEC_IDS if i not in reqs]
    if missing:
        problems.append(f"{where}: requirement IDs missing: {', '.join(missing)}")
    for rid, item in reqs.items():
        iw = f"{where}: {rid}"
        if rid not in SPEC_IDS:
            problems.append(f"{iw}: not a spec requirement ID")
        if not isinstance(item, dict):
            problems.append(f"{iw}: must be a mapping")
            continue
        status = item.get("status")
        if status not in STATUSES:
            problems.append(f"{iw}: status {status!r} not in {STATUSES}")
        quote = item.get("quote")
        if quote is None or not isinstance(quote, str):
            problems.append(f'{iw}: quote must be a string (use "" for none)')
            quote = ""
        if status in EVIDENCED and not quote.strip():
            problems.append(f"{iw}: a {status} item needs a quote")
        if len(quote) > QUOTE_MAX_CHARS:
            problems.append(f"{iw}: quote longer than {QUOTE_MAX_CHARS} characters")
        if not str(item.get("why") or "").strip():
            problems.append(f"{iw}: 'why' is required")
        if page_count is not None:
            pages = item.get("pages")
            if not isinstance(pages, list):
                problems.append(f"{iw}: pages must be a list")
                continue
            for p in pages:
                if not isinstance(p, int) or not 1 <= p <= page_count:
                    problems.append(f"{iw}: page {p!r} outside 1..{page_count}")
            if quote.strip() and not pages:
                problems.append(f"{iw}: quote has no pages")
            if status in EVIDENCED and not pages:
                problems.append(f"{iw}: a {status} item needs pages")
    return problems


def build_labels(src: dict[str, Any], page_texts: list[str], where: str) -> dict[str, Any]:
    problems = validate_labels(src, where)
    if problems:
        raise DossierError("\n".join(problems))
    out: dict[str, Any] = {
        "id": src["id"],
        "language": src["language"],
        "scope": src["scope"],
    }
    if src["scope"] == "out_of_scope" or src.get("scope_reason"):
        out["scope_reason"] = src.get("scope_reason")
    out["profile"] = src["profile"]
    reqs: dict[str, Any] = {}
    errors: list[str] = []
    src_reqs = src.get("requirements") or {}
    for rid in SPEC_IDS:
        if rid not in src_reqs:
            continue
        item = src_reqs[rid]
        quote = str(item.get("quote") or "")
        pages: list[int] = []
        if quote.strip():
            pages = [n for n, text in enumerate(page_texts, start=1) if quote_on_page(quote, text)]
            if not pages:
                errors.append(f"{where}: {rid}: quote not found on any page of plan.pdf: {quote!r}")
        reqs[rid] = {
            "status": item["status"],
            "pages": pages,
            "quote": quote,
            "why": str(item["why"]).strip(),
        }
    if errors:
        raise DossierError(
            "\n".join(errors)
            + "\n(the quote must be verbatim on one page: not split across a page break, a table-cell "
            "line wrap or two paragraphs)"
        )
    out["requirements"] = reqs
    return out


# --------------------------------------------------------------------------- CLI


def render_dossier(folder: Path) -> tuple[int, dict[str, Any]]:
    """Render one folder. plan.pdf and labels.json are replaced together, and only when both
    built cleanly, so a failed build never leaves a new PDF next to stale labels."""
    folder = folder.resolve()
    src_path = folder / "source.yaml"
    if not src_path.is_file():
        raise DossierError(f"{folder}: no source.yaml")
    labels_src_path = folder / "labels.src.yaml"
    if not labels_src_path.is_file():
        raise DossierError(f"{folder}: no labels.src.yaml")
    try:
        source = yaml.safe_load(src_path.read_text(encoding="utf-8"))
        labels_src = yaml.safe_load(labels_src_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DossierError(f"{folder}: invalid YAML: {exc}") from None
    if not isinstance(source, dict) or not isinstance(labels_src, dict):
        raise DossierError(f"{folder}: source.yaml and labels.src.yaml must be mappings")
    if labels_src.get("language") != source.get("language"):
        raise DossierError(f"{labels_src_path}: language differs from source.yaml")
    tmp_pdf = folder / "plan.pdf.tmp"
    tmp_labels = folder / "labels.json.tmp"
    try:
        n_pages = render_pdf(source, tmp_pdf, where=str(src_path))
        texts = pdf_page_texts(tmp_pdf)
        labels = build_labels(labels_src, texts, str(labels_src_path))
        problems = validate_labels(labels, str(folder / "labels.json"), page_count=len(texts))
        if problems:
            raise DossierError("\n".join(problems))
        tmp_labels.write_text(json.dumps(labels, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp_pdf.replace(folder / "plan.pdf")
        tmp_labels.replace(folder / "labels.json")
    finally:
        tmp_pdf.unlink(missing_ok=True)
        tmp_labels.unlink(missing_ok=True)
    return n_pages, labels


def discover(root: Path = DOSSIERS_DIR) -> list[Path]:
    return sorted(p.parent for p in root.rglob("source.yaml"))


def _summary(labels: dict[str, Any]) -> str:
    if labels["scope"] == "out_of_scope":
        return "out_of_scope"
    counts: dict[str, int] = {}
    for item in labels["requirements"].values():
        counts[item["status"]] = counts.get(item["status"], 0) + 1
    return " ".join(f"{s}={counts[s]}" for s in STATUSES if s in counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.dossiers.render", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "dirs", nargs="*", type=Path, help="dossier folders (default: all under evals/dossiers)"
    )
    args = parser.parse_args(argv)
    folders = args.dirs or discover()
    if not folders:
        print("no dossier folders with source.yaml found", file=sys.stderr)
        return 1
    failed = 0
    for folder in folders:
        try:
            n_pages, labels = render_dossier(folder)
        except DossierError as exc:
            failed += 1
            print(f"ERROR {folder}:\n{exc}", file=sys.stderr)
            continue
        print(f"{folder.name}: {n_pages} pages, {_summary(labels)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
