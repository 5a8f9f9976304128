"""Domain types shared by every room: a parsed plan, the product profile, checklist items, reviews.

API schemas live apart (service/api/schemas.py) and map from these.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Status(StrEnum):
    MET = "met"
    PARTIAL = "partial"
    MISSING = "missing"
    JUSTIFIED = "justified"
    NOT_APPLICABLE = "not_applicable"


GAP_STATUSES = frozenset({Status.MISSING, Status.PARTIAL})


# ---------------------------------------------------------------- parsed plan


class Passage(BaseModel):
    """A run of plan text on one page: a paragraph, a heading, or one table row.

    `text` is exactly what the page holds (after whitespace normalisation), so any
    substring of it is a verbatim quote of that page.
    """

    idx: int
    page: int  # 1-based PDF page number
    text: str
    kind: Literal["heading", "paragraph", "table_row"] = "paragraph"
    section: str = ""  # the nearest heading above, for context
    context: str = ""  # the headings enclosing `section`, outermost first ("4 PK > 4.1 Biodistribution")
    table_id: int | None = None  # passages of one table share an id

    @property
    def headings(self) -> str:
        """Every heading the passage sits under, outermost first."""
        return f"{self.context} {self.section}"


class Table(BaseModel):
    table_id: int
    page: int
    rows: list[list[str]]


class Document(BaseModel):
    """A plan after ingest: what every later step reads."""

    pages: list[str]  # cleaned page text (headers/footers removed), index 0 = page 1
    passages: list[Passage]
    tables: list[Table] = Field(default_factory=list)
    language: Literal["zh", "en"] = "zh"
    sha256: str = ""

    @property
    def page_count(self) -> int:
        return len(self.pages)


# ------------------------------------------------------------ product profile


class FieldEvidence(BaseModel):
    page: int
    quote: str


class ProductProfile(BaseModel):
    modality: str = "other"
    replication_competent: bool = False
    integrating: bool = False
    genome_editing: bool = False
    transposon: bool = False
    routes: list[str] = Field(default_factory=list)
    clinical_dosing: Literal["single", "repeat"] = "single"
    immunomodulatory_transgene: bool = False
    population: list[str] = Field(default_factory=list)
    long_term_expression: bool = False
    # Facts the plan reports that condition some requirements (catalog predicates read them).
    nonstandard_species: bool = False
    surrogate_product: bool = False
    major_change: bool = False
    reproductive_organ_toxicity: bool = False
    lnp_delivery: bool = False  # any payload (mRNA, DNA, editor) carried in lipid nanoparticles
    evidence: dict[str, FieldEvidence] = Field(default_factory=dict)


class ScopeDecision(BaseModel):
    scope: Literal["in_scope", "out_of_scope"]
    reason: str | None = None
    evidence: FieldEvidence | None = None


# ------------------------------------------------------------------ checklist


class Evidence(BaseModel):
    page: int
    quote: str


class ClauseRef(BaseModel):
    anchor: str
    title: str
    text: str


class ReviewItem(BaseModel):
    requirement_id: str
    status: Status
    clause: ClauseRef
    evidence: list[Evidence] = Field(default_factory=list)
    rationale: str = ""
    confidence: float = 0.0
    decided_by: Literal["rule", "applicability", "llm"] = "rule"
    model: str | None = None
    prompt: str | None = None


class ReviewResult(BaseModel):
    scope: Literal["in_scope", "out_of_scope"]
    scope_reason: str | None = None
    language: Literal["zh", "en"] = "zh"
    profile: ProductProfile
    items: list[ReviewItem] = Field(default_factory=list)
