"""View models for the templates: the checklist grouped by section, the profile with its sources,
the guideline outline, and query terms highlighted in clause text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from corpus.catalog import load_catalog
from corpus.clause_docs import load_glossary
from corpus.guideline import load_guideline
from index.tokenize import EN_STOP, ZH_STOP, _stem
from service.export import GAPS, STATUSES, effective_status, section_key, section_title
from service.web.i18n import PROFILE_FIELDS, Translator

EXCERPT_CHARS = 160
_ZH_RUN = re.compile(r"[\u4e00-\u9fff]+")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-']*")


def anchor_order(anchor: str) -> tuple[int, ...]:
    return tuple(int("".join(ch for ch in p if ch.isdigit()) or 0) for p in anchor.replace("(", ".").split("."))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------ checklist


@dataclass
class ItemView:
    rid: str
    title: str
    summary: str
    status: str  # the machine's
    effective: str
    override: Mapping[str, Any] | None
    anchor: str
    clause_title: str
    clause_text: str
    clause_excerpt: str
    rationale: str
    confidence: int  # percent
    decided_by: str
    evidence: list[dict[str, Any]]
    clause_title_en: str = ""
    clause_gloss_en: str = ""  # the glossary's English summary (not an official translation)


@dataclass
class Group:
    key: str
    title: str
    items: list[ItemView] = field(default_factory=list)


def item_view(item: Mapping[str, Any], overrides: Mapping[str, Mapping[str, Any]], lang: str) -> ItemView:
    rid = str(item.get("requirement_id", ""))
    req = load_catalog().get(rid)
    clause = item.get("clause") or {}
    text = str(clause.get("text") or "")
    gloss = load_glossary().get(str(clause.get("anchor", "")))
    return ItemView(
        rid=rid, title=getattr(req.title, lang) if req else rid, summary=getattr(req.summary, lang) if req else "",
        status=str(item.get("status", "")), effective=effective_status(item, overrides),
        override=overrides.get(rid), anchor=str(clause.get("anchor", "")), clause_title=str(clause.get("title", "")),
        clause_text=text, clause_excerpt=excerpt(text), rationale=str(item.get("rationale") or ""),
        confidence=round(float(item.get("confidence") or 0) * 100), decided_by=str(item.get("decided_by") or ""),
        evidence=[{"page": int(e.get("page", 0)), "quote": str(e.get("quote", ""))} for e in item.get("evidence") or []],
        clause_title_en=gloss.title_en if gloss else "", clause_gloss_en=gloss.summary_en if gloss else "",
    )


def checklist_groups(result: Mapping[str, Any], overrides: Mapping[str, Mapping[str, Any]],
                     lang: str) -> list[Group]:
    groups: dict[str, Group] = {}
    for item in result.get("items") or []:
        view = item_view(item, overrides, lang)
        key = section_key(view.anchor or "0")
        groups.setdefault(key, Group(key, section_title(key, lang))).items.append(view)
    for g in groups.values():
        g.items.sort(key=lambda v: anchor_order(v.anchor))
    return [groups[k] for k in sorted(groups, key=anchor_order)]


def summary(result: Mapping[str, Any], overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    items = result.get("items") or []
    machine = {s: sum(1 for i in items if i.get("status") == s) for s in STATUSES}
    after = {s: sum(1 for i in items if effective_status(i, overrides) == s) for s in STATUSES}
    return {"machine": machine, "after": after, "total": len(items),
            "gaps": sum(machine[g] for g in GAPS), "gaps_after": sum(after[g] for g in GAPS),
            "overridden": sum(1 for i in items if (overrides.get(i.get("requirement_id", "")) or {}).get("status"))}


@dataclass
class ProfileRow:
    name: str
    label: str
    value: str
    from_upload: bool
    evidence: list[dict[str, Any]]
    notable: bool = True  # shown in the table; the rest (false, empty, no source) on one line below


def profile_rows(profile: Mapping[str, Any], upload_overrides: Mapping[str, Any] | None,
                 t: Translator) -> list[ProfileRow]:
    """Every profile field in a fixed order, with the quotes behind it (keys `field` or `field.value`)."""
    evidence = profile.get("evidence") or {}
    rows = []
    for name in [*PROFILE_FIELDS, *(k for k in profile if k not in PROFILE_FIELDS and k != "evidence")]:
        if name not in profile:
            continue
        ev = [{"page": int(v.get("page", 0)), "quote": str(v.get("quote", "")),
               "detail": t.value(k.split(".", 1)[1]) if "." in k else ""}
              for k, v in evidence.items() if k == name or k.startswith(name + ".")]
        from_upload = bool(upload_overrides and name in upload_overrides)
        notable = bool(ev or from_upload or (profile[name] and profile[name] is not False))
        rows.append(ProfileRow(name, t.field(name), t.value(profile[name]), from_upload, ev, notable))
    return rows


# ------------------------------------------------------------------ guideline


@dataclass
class Node:
    anchor: str
    title: str
    title_en: str
    children: list[Node] = field(default_factory=list)


@lru_cache(maxsize=1)
def outline() -> list[Node]:
    g = load_guideline()
    gloss = load_glossary()

    def node(anchor: str) -> Node:
        c = g.clauses[anchor]
        return Node(anchor, c.title, gloss[anchor].title_en if anchor in gloss else "",
                    [node(ch) for ch in c.children])

    return [node(a) for a, c in g.clauses.items() if c.level == 1]


def neighbours(anchor: str) -> tuple[str | None, str | None]:
    anchors = load_guideline().anchors()
    i = anchors.index(anchor)
    return (anchors[i - 1] if i > 0 else None, anchors[i + 1] if i + 1 < len(anchors) else None)


def requirement_rows(ids: list[str], lang: str) -> list[dict[str, str]]:
    catalog = load_catalog()
    out = []
    for rid in ids:
        r = catalog.get(rid)
        out.append({"id": rid, "title": getattr(r.title, lang) if r else "", "summary": getattr(r.summary, lang) if r
                    else ""})
    return out


# ------------------------------------------------------------------ highlighting


def query_terms(query: str) -> tuple[list[str], set[str]]:
    """Chinese words (jieba, longest first) and English stems of the question."""
    import jieba

    zh: set[str] = set()
    for run in _ZH_RUN.findall(query):
        zh |= {w for w in jieba.cut_for_search(run) if len(w) > 1 and w not in ZH_STOP}
    en = {_stem(w.lower()) for w in _EN_WORD.findall(query) if w.lower() not in EN_STOP and len(w) > 1}
    return sorted(zh, key=len, reverse=True), en


@lru_cache(maxsize=1)
def _leaf_texts() -> tuple[str, ...]:
    return tuple(c.text for c in load_guideline().leaves())


@lru_cache(maxsize=4096)
def _common(term: str, share: float = 0.3) -> bool:
    """A word in more than `share` of the clauses (研究, 产品...) says nothing about the match."""
    texts = _leaf_texts()
    return sum(term in t for t in texts) > share * len(texts)


def highlight(text: str, query: str) -> Markup:
    """`text` HTML-escaped, with the question's (distinctive) words wrapped in <mark>."""
    zh, en = query_terms(query)
    zh = [w for w in zh if not _common(w)]
    patterns = [re.escape(w) for w in zh] + [_EN_WORD.pattern]
    if not zh and not en:
        return Markup(escape(text))
    out: list[str] = []
    pos = 0
    for m in re.finditer("|".join(patterns), text):
        word = m.group(0)
        is_term = word in zh or (_EN_WORD.fullmatch(word) and _stem(word.lower()) in en)
        if not is_term:
            continue
        out.append(str(escape(text[pos: m.start()])))
        out.append(f"<mark>{escape(word)}</mark>")
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
