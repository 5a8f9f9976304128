"""The searchable document of each guideline clause: its Chinese text plus the English and
Chinese gloss (corpus/data/clause_glossary.yaml) and the titles and summaries of the
requirements tied to it, so English questions can find Chinese clauses."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from corpus.catalog import Catalog
from corpus.guideline import Guideline
from index.chunks import chunk_text
from index.hybrid import IndexDoc

GLOSSARY_PATH = Path(__file__).parent / "data" / "clause_glossary.yaml"
OFF_TOPICS_PATH = Path(__file__).parent / "data" / "off_topics.yaml"
OFF_TOPIC_PREFIX = "~"  # keys of reject documents: a best match among them means "no match"


class ClauseGloss(BaseModel):
    title_zh: str = ""
    title_en: str = ""
    summary_en: str = ""
    keywords_en: list[str] = Field(default_factory=list)
    keywords_zh: list[str] = Field(default_factory=list)


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_PATH) -> dict[str, ClauseGloss]:
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(anchor): ClauseGloss.model_validate(v) for anchor, v in raw.items()}


def clause_documents(guideline: Guideline, catalog: Catalog) -> list[IndexDoc]:
    """One IndexDoc per leaf clause (the citable units)."""
    glossary = load_glossary()
    by_anchor = {r.id: r for r in catalog.requirements}
    req_ids = catalog.by_anchor()
    docs = []
    for clause in guideline.leaves():
        gloss = glossary.get(clause.anchor, ClauseGloss())
        reqs = [by_anchor[i] for i in req_ids.get(clause.anchor, [])]
        title = " > ".join(clause.path)
        dense = [f"{title}：{c.text}" for c in chunk_text(clause.anchor, clause.text)]
        english = " ".join([gloss.title_en + ".", gloss.summary_en, "; ".join(gloss.keywords_en)]).strip()
        if english.strip(". "):
            dense.append(english)
        for r in reqs:
            dense.append(f"{r.title.en}: {r.summary.en}")
            dense.append(f"{r.title.zh}：{r.summary.zh}")
        sparse = "\n".join(
            [title, clause.text, gloss.title_en, gloss.summary_en, " ".join(gloss.keywords_en),
             " ".join(gloss.keywords_zh)]
            + [f"{r.title.en} {r.summary.en} {r.title.zh} {r.summary.zh}" for r in reqs]
        )
        docs.append(IndexDoc(clause.anchor, tuple(dense), sparse))
    return docs


def off_topic_documents(path: Path = OFF_TOPICS_PATH) -> list[IndexDoc]:
    """Reject documents for subjects this guideline does not address (see off_topics.yaml)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [IndexDoc(OFF_TOPIC_PREFIX + name, (v["zh"], v["en"]), f"{v['zh']} {v['en']}") for name, v in raw.items()]
