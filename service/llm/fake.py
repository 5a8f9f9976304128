"""A scripted LLM for tests: answers from a list or a function, records every prompt it was shown.

An answer may be a pydantic model, a dict, raw text (parsed like a real model's content), None (no
answer), or an exception instance (raised, e.g. LlmError). Dicts and text are validated against the
requested schema exactly as the real client does, so an answer the schema forbids comes back as None.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from service.llm.client import Message, TokenBudget, Usage, parse_json_answer

T = TypeVar("T", bound=BaseModel)
Answer = BaseModel | dict[str, Any] | str | BaseException | None
Responder = Callable[[Sequence[Message], type[BaseModel]], Answer]


@dataclass(frozen=True)
class FakeCall:
    messages: list[Message]
    schema: str

    @property
    def system(self) -> str:
        return self.messages[0]["content"] if self.messages else ""

    @property
    def user(self) -> str:
        return self.messages[-1]["content"] if self.messages else ""


class FakeLLM:
    def __init__(
        self,
        script: Sequence[Answer] | Responder = (),
        *,
        model: str = "fake-llm",
        tokens_per_call: int = 100,
    ) -> None:
        self.model = model
        self.tokens_per_call = tokens_per_call
        self._responder = script if callable(script) else None
        self._queue: list[Answer] = [] if callable(script) else list(script)
        self.calls: list[FakeCall] = []
        self._lock = threading.Lock()

    @property
    def prompts(self) -> list[str]:
        return [c.user for c in self.calls]

    def complete_json(
        self,
        messages: Sequence[Message],
        schema: type[T],
        *,
        max_tokens: int,
        budget: TokenBudget | None = None,
    ) -> tuple[T | None, Usage]:
        if budget is not None and budget.exhausted:
            return None, Usage(skipped_budget=True)
        with self._lock:
            self.calls.append(FakeCall(messages=[dict(m) for m in messages], schema=schema.__name__))
            if self._responder is not None:
                answer = self._responder(messages, schema)
            else:
                answer = self._queue.pop(0) if self._queue else None
        usage = Usage(
            prompt_tokens=self.tokens_per_call // 2, completion_tokens=self.tokens_per_call // 2, calls=1
        )
        if budget is not None:
            budget.charge(usage.total_tokens)
        if isinstance(answer, BaseException):
            raise answer
        return _coerce(answer, schema), usage


def _coerce(answer: Answer, schema: type[T]) -> T | None:
    if answer is None:
        return None
    if isinstance(answer, str):
        return parse_json_answer(answer, schema)
    data = answer.model_dump() if isinstance(answer, BaseModel) else answer
    try:
        return schema.model_validate(data)
    except ValidationError:
        return None
