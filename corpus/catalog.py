"""The requirement catalog: data in YAML, validated through pydantic on load.

Loading fails loudly on an unknown anchor, a missing or duplicate ID, a malformed
applicability predicate or an evidence pattern that is not a valid regex.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, PrivateAttr, field_validator, model_validator

from corpus.predicates import Predicate, parse_predicate

CATALOG_PATH = Path(__file__).parent / "data" / "requirements.yaml"

# The IDs the checklist contract (checklist-spec.md) fixes; the catalog may add more, never drop these.
CONTRACT_IDS: tuple[str, ...] = (
    "GEN-GLP", "GEN-SPECIES-RELEVANCE", "GEN-NONSTANDARD-SPECIES", "GEN-TEST-ARTICLE", "GEN-BRIDGING",
    "PD-MODEL", "PD-POC-INVITRO", "PD-POC-INVIVO", "PD-DOSE-RESPONSE", "PD-ROUTE-REGIMEN",
    "PD-SURROGATE", "PD-SAFETY-PHARM", "PK-BD-DESIGN", "PK-BD-TIMEPOINTS", "PK-BD-TIMING",
    "PK-BD-METHOD-VALIDATION", "PK-SHEDDING", "PK-SHEDDING-INFECTIVITY", "TOX-SURROGATE", "TOX-SPECIES",
    "TOX-SEX-AGE", "TOX-DOSE-SELECTION", "TOX-GROUPS", "TOX-REGIMEN", "TOX-LONG-EXPRESSION",
    "TOX-DURATION-RECOVERY", "TOX-NECROPSY-TIMEPOINTS", "TOX-ENDPOINTS-SPECIAL", "TOX-SATELLITE-BD",
    "IMM-RESPONSES", "IMM-PREEXISTING", "IMM-COMPLEMENT", "IMM-IMMUNOTOX", "REPRO-RISK-ASSESSMENT",
    "REPRO-EFD-PPND", "REPRO-FERTILITY", "REPRO-GERMLINE", "GENO-INTEGRATION", "GENO-INSERTIONAL",
    "GENO-OFFTARGET", "CARC-WOE", "RCV-RISK", "LOCAL-TOLERANCE", "FIH-DOSE",
)


class Bilingual(BaseModel):
    zh: str
    en: str


class Terms(BaseModel):
    """Regular expressions (case-insensitive) in each language."""

    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    @field_validator("zh", "en")
    @classmethod
    def _compile(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"bad regex {p!r}: {exc}") from exc
        return patterns

    def all(self) -> list[str]:
        return [*self.zh, *self.en]


class Element(BaseModel):
    """One thing the clause asks the plan to show; present when any pattern matches."""

    name: str
    label: Bilingual
    patterns: Terms
    required: bool = True  # optional elements raise confidence but never make an item partial
    when: Predicate | None = None  # required only for products matching this (e.g. replicating ones)
    # Wording that takes the element back when the plan says it on the requirement's subject
    # ("the qPCR method is qualified; full validation will follow", "only an interim report
    # precedes first dosing"): the element then counts as stated absent.
    contradicted_by: Terms = Field(default_factory=Terms)
    # ...unless the plan also says this (a high dose equal to the top clinical dose is fine when it
    # is the maximum feasible dose, or is also a multiple of it on another scale)
    unless: Terms = Field(default_factory=Terms)
    # The element counts only in a passage that also says this (a persistence argument counts
    # for the recovery period only where the plan discusses the recovery period).
    in_passage_with: Terms = Field(default_factory=Terms)
    # An optional element becomes required when the plan's passages on the subject say this
    # (data-quality assurance is asked for once the plan runs parts outside GLP).
    required_if: Terms = Field(default_factory=Terms)

    @field_validator("when", mode="before")
    @classmethod
    def _when(cls, raw: Any) -> Predicate | None:
        return None if raw is None else parse_predicate(raw)


class Requirement(BaseModel):
    id: str
    anchors: list[str]
    title: Bilingual
    summary: Bilingual
    applies: Predicate | None = None  # None: always applies
    not_applicable_reason: Bilingual | None = None
    topic: Terms  # words that locate where a plan addresses this requirement
    # Where the clause's study lives (e.g. the toxicology sections for TOX-*): when the plan has
    # such sections, evidence is read there only, so "both sexes" of a pharmacology study does not
    # answer for a single-sex toxicology study.
    sections: Terms = Field(default_factory=Terms)
    elements: list[Element] = Field(default_factory=list)
    detector: str | None = None  # name of a special detector in service/review/detectors.py
    justifiable: bool = True  # the guideline allows a reasoned omission
    # The clause accepts its study "standalone or within general toxicology": not running a
    # standalone study ("不单独开展", "no stand-alone study") is a design choice, not an omission.
    integrable: bool = False
    # The requirement asks for an assessment: a reasoned conclusion ("整合风险极低，因为…",
    # "germline transmission is not expected because…") is the assessment itself, so it is met.
    assessment: bool = False
    # What a reasoned omission of the clause's content means: usually a justified deviation, but
    # for some clauses (no recovery phase because the vector persists) it is how they are met.
    reasoned_omission: Literal["justified", "met"] = "justified"
    # Status when every element is present. Requirements that are themselves a deviation plus
    # its reason (a non-standard species used with a justification) are "justified" then.
    met_status: Literal["met", "justified"] = "met"
    # Every element is a distinct item the clause lists (three dose levels, CNS/CV/respiratory):
    # one left unmentioned makes the item partial, never "largely covered".
    strict: bool = False

    @field_validator("applies", mode="before")
    @classmethod
    def _predicate(cls, raw: Any) -> Predicate | None:
        if raw is None or raw == "always":
            return None
        return parse_predicate(raw)

    @model_validator(mode="after")
    def _reason_when_conditional(self) -> Requirement:
        if self.applies is not None and self.not_applicable_reason is None:
            raise ValueError(f"{self.id}: a conditional requirement needs not_applicable_reason")
        return self


class Catalog(BaseModel):
    requirements: list[Requirement]

    # Lookup maps built once: the catalog does not change after loading, and lookups and reviews
    # ask for them on every hit / item.
    _by_id: dict[str, Requirement] = PrivateAttr(default_factory=dict)
    _by_anchor: dict[str, list[str]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._by_id = {r.id: r for r in self.requirements}
        for r in self.requirements:
            for a in r.anchors:
                self._by_anchor.setdefault(a, []).append(r.id)

    def get(self, requirement_id: str) -> Requirement | None:
        return self._by_id.get(requirement_id)

    def ids(self) -> list[str]:
        return [r.id for r in self.requirements]

    def by_anchor(self) -> dict[str, list[str]]:
        """Requirement IDs per clause anchor (shared: do not modify)."""
        return self._by_anchor


class CatalogError(ValueError):
    pass


def validate_catalog(catalog: Catalog, known_anchors: set[str]) -> None:
    seen: set[str] = set()
    for r in catalog.requirements:
        if r.id in seen:
            raise CatalogError(f"duplicate requirement id {r.id}")
        seen.add(r.id)
        for a in r.anchors:
            if a not in known_anchors:
                raise CatalogError(f"{r.id}: unknown clause anchor {a!r}")
        if not r.anchors:
            raise CatalogError(f"{r.id}: no anchor")
    missing = [i for i in CONTRACT_IDS if i not in seen]
    if missing:
        raise CatalogError(f"catalog lacks contract ids: {', '.join(missing)}")


def parse_catalog(raw: Any, known_anchors: set[str]) -> Catalog:
    if not isinstance(raw, dict) or "requirements" not in raw:
        raise CatalogError("catalog YAML must be a mapping with a 'requirements' list")
    try:
        catalog = Catalog.model_validate(raw)
    except ValueError as exc:
        raise CatalogError(str(exc)) from exc
    validate_catalog(catalog, known_anchors)
    return catalog


def load_catalog_file(path: Path, known_anchors: set[str]) -> Catalog:
    return parse_catalog(yaml.safe_load(path.read_text(encoding="utf-8")), known_anchors)


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    from corpus.guideline import load_guideline

    return load_catalog_file(CATALOG_PATH, set(load_guideline().anchors()))
