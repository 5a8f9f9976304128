"""Optional LLM assistance: narrow, verified questions on the checklist items the rules are unsure of.

Off by default: `build_llm(settings)` is None unless DOSSIER_REVIEW_LLM_ENABLED is true and
DOSSIER_REVIEW_LLM_BASE_URL is set, and `adjudicate(..., llm=None, ...)` returns the items unchanged.
"""

from __future__ import annotations

from service.llm.adjudicate import (
    Adjudication,
    AdjudicationStats,
    ElementAnswer,
    OmissionAnswer,
    RationaleAnswer,
    adjudicate,
    is_eligible,
)
from service.llm.cache import InMemoryLlmCache, LlmCache, cache_key, cached_complete
from service.llm.client import LLM, OpenAICompatibleLLM, TokenBudget, Usage, parse_json_answer
from service.llm.fake import FakeLLM
from service.llm.wiring import adjudication_inputs
from service.settings import Settings


def build_llm(settings: Settings) -> OpenAICompatibleLLM | None:
    """The configured LLM client, or None when LLM assistance is off (the default)."""
    if not settings.llm_enabled or not settings.llm_base_url.strip():
        return None
    return OpenAICompatibleLLM.from_settings(settings)


__all__ = [
    "LLM",
    "Adjudication",
    "AdjudicationStats",
    "ElementAnswer",
    "FakeLLM",
    "InMemoryLlmCache",
    "LlmCache",
    "OmissionAnswer",
    "OpenAICompatibleLLM",
    "RationaleAnswer",
    "TokenBudget",
    "Usage",
    "adjudicate",
    "adjudication_inputs",
    "build_llm",
    "cache_key",
    "cached_complete",
    "is_eligible",
    "parse_json_answer",
]
