"""Prompt templates for the optional LLM assistance (see prompts/loader.py)."""

from prompts.loader import (
    REGISTRY,
    PromptError,
    PromptRegistry,
    RenderedPrompt,
    Template,
    get_template,
    plan_block,
    render,
)

__all__ = [
    "REGISTRY",
    "PromptError",
    "PromptRegistry",
    "RenderedPrompt",
    "Template",
    "get_template",
    "plan_block",
    "render",
]
