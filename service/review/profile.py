"""Scope and product profile from the plan, each field with the page and quote that gave it.

Patterns are data (corpus/data/profile.yaml). Mentions are counted; the title page and the
first pages (where a plan states what the product is) weigh more than passing mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus.patterns import compile_any
from service.domain import Document, FieldEvidence, Passage, ProductProfile, ScopeDecision
from service.errors import BadRequest
from service.review.text import first_match_quote, sentences

PROFILE_RULES_PATH = Path(__file__).resolve().parents[2] / "corpus" / "data" / "profile.yaml"
VIRAL = ("aav", "adenovirus", "lentivirus", "gamma_retrovirus", "hsv", "vaccinia", "other_virus")


@dataclass
class _Mentions:
    weight: float
    first: tuple[Passage, re.Match[str]] | None


@lru_cache(maxsize=1)
def profile_rules() -> dict[str, Any]:
    return yaml.safe_load(PROFILE_RULES_PATH.read_text(encoding="utf-8"))


def _rx(patterns: tuple[str, ...]) -> re.Pattern[str]:
    rx = compile_any(patterns)
    assert rx is not None, "empty pattern list in profile.yaml"
    return rx


def _weight(p: Passage) -> float:
    return 3.0 if p.page <= 2 else (1.5 if p.page <= 3 else 1.0)


def mentions(
    doc: Document,
    patterns: list[str],
    pages: int | None = None,
    *,
    context: re.Pattern[str] | None = None,
    asserted_only: bool = False,
    exclude: re.Pattern[str] | None = None,
) -> _Mentions:
    """Weighted count of pattern matches, sentence by sentence. `context`: the sentence must also
    match it; `asserted_only`: skip conditional or negated sentences ("if…", "未见…", "no…")."""
    rx = _rx(tuple(patterns))
    skip = _rx(tuple(profile_rules()["not_asserted"])) if asserted_only else None
    weight, first = 0.0, None
    for p in doc.passages:
        if pages is not None and p.page > pages:
            break
        if not rx.search(p.text):
            continue
        for s, e in sentences(p.text, hard=True):
            sent = p.text[s:e]
            found = list(rx.finditer(sent))
            if not found or (context and not context.search(sent)) or (skip and skip.search(sent)):
                continue
            if exclude and exclude.search(sent):
                continue
            weight += _weight(p) * len(found)
            if first is None or (_weight(p) > _weight(first[0])):
                first = (p, next(rx.finditer(p.text, s, e)))
    return _Mentions(weight, first)


def _evidence(m: _Mentions) -> FieldEvidence | None:
    if m.first is None:
        return None
    passage, match = m.first
    return FieldEvidence(page=passage.page, quote=first_match_quote(passage.text, match))


def detect_scope(doc: Document) -> ScopeDecision:
    """Out of scope when an excluded product type dominates the opening pages of the plan."""
    rules = profile_rules()["scope"]
    lang = doc.language
    head_pages = min(3, doc.page_count)
    gene_therapy = mentions(doc, [p for ps in profile_rules()["modality"].values() for p in ps], head_pages)
    for kind in ("cell_product", "oligonucleotide", "prophylactic_vaccine"):
        rule = rules[kind]
        head = mentions(doc, rule["patterns"], head_pages)
        whole = mentions(doc, rule["patterns"])
        against = mentions(doc, rule["weigh_against"], head_pages) if "weigh_against" in rule else gene_therapy
        if head.weight >= 3 and whole.weight >= 6 and head.weight >= 0.5 * against.weight:
            return ScopeDecision(scope="out_of_scope", reason=rule["reason"][lang], evidence=_evidence(head))
    return ScopeDecision(scope="in_scope")


def detect_profile(doc: Document) -> ProductProfile:
    rules = profile_rules()
    ev: dict[str, FieldEvidence] = {}
    profile = ProductProfile()

    scores = {name: mentions(doc, pats) for name, pats in rules["modality"].items()}
    editing = mentions(doc, rules["genome_editing"])
    best = max(scores, key=lambda k: scores[k].weight)
    # An LNP carrying an editor is lnp_editing; an mRNA or LNP without one is an mRNA product.
    if best in ("mrna", "lnp_editing"):
        best = "lnp_editing" if editing.weight >= 2 and scores["lnp_editing"].weight else "mrna"
    if scores[best].weight > 0:
        profile.modality = best
        _put(ev, "modality", scores[best])

    _flag(profile, ev, "genome_editing", editing, threshold=2)
    _flag(profile, ev, "lnp_delivery", scores["lnp_editing"], threshold=2)
    _flag(profile, ev, "transposon", mentions(doc, rules["transposon"], asserted_only=True), threshold=2)

    integ = mentions(doc, rules["integrating"])
    if profile.transposon:  # a transposon integrates by design
        integ.weight += mentions(doc, rules["transposon"]).weight
    non_integ = mentions(doc, rules["non_integrating"])
    if profile.modality in rules["integrating_modalities"] and non_integ.weight < 2:
        profile.integrating = True
        _put(ev, "integrating", scores[profile.modality])
    elif integ.weight > non_integ.weight:
        _flag(profile, ev, "integrating", integ)

    competent = mentions(doc, rules["replication_competent"], asserted_only=True)
    deficient = mentions(doc, rules["replication_deficient"])
    if profile.modality in rules["replicating_modalities"]:
        profile.replication_competent = True
        _put(ev, "replication_competent", scores[profile.modality])
    elif competent.weight > deficient.weight:
        _flag(profile, ev, "replication_competent", competent)

    clinical = _rx(tuple(rules["clinical_context"]))
    comparison = _rx(tuple(rules["route_comparison"]))
    route_scores = {r: mentions(doc, pats, context=clinical, exclude=comparison) for r, pats in rules["routes"].items()}
    if not any(m.weight for m in route_scores.values()):
        route_scores = {r: mentions(doc, pats) for r, pats in rules["routes"].items()}
    top = max((m.weight for m in route_scores.values()), default=0.0)
    for route, m in route_scores.items():
        if m.weight > 0 and (m.weight == top or m.weight >= max(2.0, 0.4 * top)):
            profile.routes.append(route)
            _put(ev, f"routes.{route}", m)

    repeat = mentions(doc, rules["repeat_cues"], context=clinical)
    single = mentions(doc, rules["single_cues"], context=clinical)
    if repeat.weight > single.weight:
        profile.clinical_dosing = "repeat"
        _put(ev, "clinical_dosing", repeat)
    else:
        _put(ev, "clinical_dosing", single)

    _flag(profile, ev, "immunomodulatory_transgene",
          mentions(doc, rules["immunomodulatory_transgene"], asserted_only=True))
    for flag, pats in rules["population"].items():
        m = mentions(doc, pats, asserted_only=True)
        if m.weight >= 2:
            profile.population.append(flag)
            _put(ev, f"population.{flag}", m)

    lte = mentions(doc, rules["long_term_expression"])
    if profile.modality in rules["long_term_modalities"] or profile.integrating or profile.transposon:
        profile.long_term_expression = True
        _put(ev, "long_term_expression", lte if lte.first else scores[profile.modality])
    else:
        _flag(profile, ev, "long_term_expression", lte, threshold=2)

    for flag in ("nonstandard_species", "surrogate_product", "major_change", "reproductive_organ_toxicity"):
        _flag(profile, ev, flag, mentions(doc, rules[flag], asserted_only=True))
    profile.evidence = ev
    return profile


def _put(ev: dict[str, FieldEvidence], name: str, m: _Mentions) -> None:
    e = _evidence(m)
    if e:
        ev[name] = e


def _flag(profile: ProductProfile, ev: dict[str, FieldEvidence], name: str, m: _Mentions,
          threshold: float = 1.0) -> None:
    if m.weight >= threshold:
        setattr(profile, name, True)
        _put(ev, name, m)


def apply_overrides(profile: ProductProfile, overrides: dict[str, Any] | None) -> ProductProfile:
    """The sponsor knows its product: any field it gives replaces the detected one."""
    if not overrides:
        return profile
    unknown = set(overrides) - (set(ProductProfile.model_fields) - {"evidence"})
    if unknown:
        raise BadRequest(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    data = profile.model_dump()
    data.update(overrides)
    try:
        updated = ProductProfile.model_validate(data)
    except ValueError as exc:
        raise BadRequest(f"invalid profile override: {exc}") from exc
    for name in overrides:  # evidence of a replaced field no longer applies ("routes.iv" for routes)
        for key in [k for k in updated.evidence if k == name or k.startswith(f"{name}.")]:
            del updated.evidence[key]
    return updated

