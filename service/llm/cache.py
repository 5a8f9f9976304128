"""Answer cache for LLM questions.

The key is sha256 over (model, "<prompt name>@<template version hash>", sha256 of the inputs), so a
changed template file, model or input never reuses an old answer. Only answers that parsed against
their schema are stored; a cached answer is verified again like a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from service.llm.client import LLM, Message, TokenBudget, Usage

T = TypeVar("T", bound=BaseModel)


class LlmCache(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, value: dict[str, Any]) -> None: ...


class InMemoryLlmCache:
    def __init__(self) -> None:
        self._data: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            value = self._data.get(key)
            return dict(value) if value is not None else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._data[key] = dict(value)

    def __len__(self) -> int:
        return len(self._data)


def input_hash(inputs: Mapping[str, object]) -> str:
    blob = json.dumps({k: str(v) for k, v in inputs.items()}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def cache_key(model: str, prompt_name: str, version_hash: str, inputs: Mapping[str, object]) -> str:
    """sha256(model, "<name>@<version hash>", input hash); the same formula as service/store's key."""
    prompt_version = f"{prompt_name}@{version_hash}"
    return hashlib.sha256(f"{model}\x00{prompt_version}\x00{input_hash(inputs)}".encode()).hexdigest()


def cached_complete(
    llm: LLM,
    cache: LlmCache | None,
    key: str,
    messages: Sequence[Message],
    schema: type[T],
    *,
    max_tokens: int,
    budget: TokenBudget | None = None,
) -> tuple[T | None, Usage]:
    """Ask `llm` unless `cache` holds an answer under `key`; store a valid fresh answer."""
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            try:
                return schema.model_validate(hit), Usage(cached=True)
            except ValidationError:
                pass  # a stale shape: ask again and overwrite
    answer, usage = llm.complete_json(messages, schema, max_tokens=max_tokens, budget=budget)
    if answer is not None and cache is not None:
        cache.put(key, answer.model_dump(mode="json"))
    return answer, usage
