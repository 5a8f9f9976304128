"""LLM clients that answer with JSON validated by a pydantic model.

`OpenAICompatibleLLM` POSTs {base_url}/chat/completions over httpx: bearer key when set, timeout,
exponential backoff on 429/5xx/connection errors (up to max_retries), a semaphore bounding concurrent
requests, and `response_format` json_schema (strict) -> json_object with a schema (llama-cpp-python's
grammar) -> json_object -> none, stepping down when the server refuses one (400/422, or an error that
names response_format). A malformed answer (not JSON, or not the schema) is asked once more, then
dropped (None). Transport failures after the retries raise LlmError. `TokenBudget` stops calls once a
review's tokens are spent.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from service.errors import LlmError
from service.settings import Settings

log = logging.getLogger("dossier_review.llm")

T = TypeVar("T", bound=BaseModel)
Message = dict[str, str]

_FENCE = re.compile(r"^\s*```[A-Za-z0-9_-]*\s*\n?(.*?)\n?\s*```\s*$", re.S)
# response_format, most to least constrained. "json_object_schema" is llama-cpp-python's extension
# ({"type": "json_object", "schema": ...}, grammar-constrained decoding); OpenAI-style servers that
# reject it fall through to plain json_object.
_MODES = ("json_schema", "json_object_schema", "json_object", "none")


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0  # HTTP requests answered (including malformed ones and format fallbacks)
    seconds: float = 0.0
    cached: bool = False
    skipped_budget: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.calls += other.calls
        self.seconds += other.seconds


class TokenBudget:
    """Tokens one review may spend. Calls start only while something is left; in-flight calls may
    overshoot by at most (concurrency x one call's tokens)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._spent = 0
        self._lock = threading.Lock()

    @property
    def spent(self) -> int:
        return self._spent

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self._spent)

    @property
    def exhausted(self) -> bool:
        return self._spent >= self.limit

    def charge(self, tokens: int) -> None:
        with self._lock:
            self._spent += max(0, tokens)


class LLM(Protocol):
    model: str

    def complete_json(
        self,
        messages: Sequence[Message],
        schema: type[T],
        *,
        max_tokens: int,
        budget: TokenBudget | None = None,
    ) -> tuple[T | None, Usage]: ...


def parse_json_answer(content: str, schema: type[T]) -> T | None:
    """The model's text as `schema`, or None. Strips ``` fences and prose around one JSON object."""
    text = content.strip()
    m = _FENCE.match(text)
    if m:
        text = m.group(1).strip()
    if not text.startswith("{"):
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            return None
        text = text[start : end + 1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return schema.model_validate(data)
    except ValidationError:
        return None


def _rejects_format(resp: httpx.Response) -> bool:
    """The server refused the request's response_format: a 400/422, or an error naming it (llama-cpp-python
    answers an unknown response_format type with a 500 whose message names `response_format`)."""
    if resp.status_code in (400, 422):
        return True
    return resp.status_code >= 500 and "response_format" in resp.text


def _estimate_tokens(text: str) -> int:
    return max(1, len(text) // 3)


class OpenAICompatibleLLM:
    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str = "",
        timeout: float = 60.0,
        max_retries: int = 2,
        concurrency: int = 2,
        backoff_seconds: float = 0.5,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.max_retries = max(0, max_retries)
        self.backoff_seconds = backoff_seconds
        self._sleep = sleep
        self._sem = threading.BoundedSemaphore(max(1, concurrency))
        self._mode = 0  # index into _MODES; steps down for good once the server rejects a format
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(timeout=timeout, headers=headers, transport=transport)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, transport: httpx.BaseTransport | None = None
    ) -> OpenAICompatibleLLM:
        return cls(
            settings.llm_base_url,
            settings.llm_model,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
            concurrency=settings.llm_concurrency,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    @property
    def response_format_mode(self) -> str:
        return _MODES[self._mode]

    def complete_json(
        self,
        messages: Sequence[Message],
        schema: type[T],
        *,
        max_tokens: int,
        budget: TokenBudget | None = None,
    ) -> tuple[T | None, Usage]:
        usage = Usage()
        for attempt in range(2):  # a malformed answer is asked once more, then dropped
            if budget is not None and budget.exhausted:
                usage.skipped_budget = True
                return None, usage
            content, call_usage = self._chat(messages, schema, max_tokens)
            usage.add(call_usage)
            if budget is not None:
                budget.charge(call_usage.total_tokens)
            parsed = parse_json_answer(content, schema)
            if parsed is not None:
                return parsed, usage
            log.warning("malformed LLM answer (attempt %d): %.200r", attempt + 1, content)
        return None, usage

    # ---------------------------------------------------------------- HTTP

    def _body(self, messages: Sequence[Message], schema: type[BaseModel], max_tokens: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": 0,
        }
        mode = _MODES[self._mode]
        if mode == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": schema.__name__,
                    "schema": schema.model_json_schema(),
                    "strict": True,
                },
            }
        elif mode == "json_object_schema":
            body["response_format"] = {"type": "json_object", "schema": schema.model_json_schema()}
        elif mode == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def _chat(
        self, messages: Sequence[Message], schema: type[BaseModel], max_tokens: int
    ) -> tuple[str, Usage]:
        usage = Usage()
        attempt = 0
        while True:
            mode = self._mode
            started = time.monotonic()
            try:
                with self._sem:
                    resp = self._http.post(
                        f"{self.base_url}/chat/completions", json=self._body(messages, schema, max_tokens)
                    )
                error = f"HTTP {resp.status_code}"
            except httpx.TransportError as exc:
                resp, error = None, f"{type(exc).__name__}: {exc}"
            usage.seconds += time.monotonic() - started
            if resp is not None and resp.status_code == 200:
                return self._read(resp, messages, usage)
            if resp is not None and mode < len(_MODES) - 1 and _rejects_format(resp):
                if self._mode == mode:
                    self._mode = mode + 1
                    log.info(
                        "LLM server rejected response_format %s; using %s", _MODES[mode], _MODES[mode + 1]
                    )
                continue  # a format fallback is not a retry
            retryable = resp is None or resp.status_code == 429 or resp.status_code >= 500
            if not retryable or attempt >= self.max_retries:
                detail = "" if resp is None else f": {resp.text[:200]}"
                raise LlmError(f"LLM request failed after {attempt + 1} attempt(s): {error}{detail}")
            self._sleep(self._backoff(attempt, resp))
            attempt += 1

    def _backoff(self, attempt: int, resp: httpx.Response | None) -> float:
        delay = self.backoff_seconds * (2**attempt)
        if resp is not None:
            try:
                delay = max(delay, min(float(resp.headers.get("retry-after", "")), 30.0))
            except ValueError:
                pass
        return delay

    def _read(self, resp: httpx.Response, messages: Sequence[Message], usage: Usage) -> tuple[str, Usage]:
        usage.calls += 1
        try:
            data = resp.json()
            content = data["choices"][0]["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError):
            return "", usage
        raw_usage = data.get("usage") or {}
        prompt_tokens = raw_usage.get("prompt_tokens")
        completion_tokens = raw_usage.get("completion_tokens")
        usage.prompt_tokens += (
            int(prompt_tokens)
            if isinstance(prompt_tokens, int)
            else sum(_estimate_tokens(m.get("content", "")) for m in messages)
        )
        usage.completion_tokens += (
            int(completion_tokens) if isinstance(completion_tokens, int) else _estimate_tokens(content)
        )
        return str(content), usage
