"""Glue for the review pipeline: from the catalog and the rules' findings to adjudicate()'s inputs.

    llm = build_llm(settings)                       # None unless LLM assistance is configured
    if llm is not None:
        candidates, info = adjudication_inputs(catalog.requirements, findings, doc.language)
        items, stats = adjudicate(items, candidates, doc.pages, info, llm, settings, cache, lang=doc.language)

`findings` maps requirement_id to the rules' Finding (service/review/rules.py): its `candidates`
(passages about the requirement) are what the LLM is shown, and its `absent` element names are the
elements asked about, so partial→met needs exactly the elements the rules did not find.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from corpus.catalog import Requirement
    from service.review.rules import Finding


def adjudication_inputs(
    requirements: Iterable[Requirement],
    findings: Mapping[str, Finding],
    lang: Literal["zh", "en"],
) -> tuple[dict[str, list[tuple[int, str]]], dict[str, tuple[str, str, list[str]]]]:
    """(candidates, requirement_info) for the requirements that have a finding."""
    candidates: dict[str, list[tuple[int, str]]] = {}
    info: dict[str, tuple[str, str, list[str]]] = {}
    for req in requirements:
        finding = findings.get(req.id)
        if finding is None:
            continue
        labels = {e.name: (e.label.zh if lang == "zh" else e.label.en) for e in req.elements}
        absent = [labels[name] for name in finding.absent if name in labels]
        title = req.title.zh if lang == "zh" else req.title.en
        summary = req.summary.zh if lang == "zh" else req.summary.en
        candidates[req.id] = [(p.page, p.text) for p in finding.candidates if p.kind != "heading"]
        info[req.id] = (title, summary, absent)
    return candidates, info
