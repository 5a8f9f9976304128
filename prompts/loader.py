"""Prompt templates: files `prompts/templates/<name>.<lang>.md`, loaded and validated once at import.

A template is YAML front matter `{name, version, variables, description}` and a body with a `## system`
and a `## user` section. `{{var}}` placeholders are the only substitution; every placeholder must be
declared, every declared variable used, and the zh and en files of one name declare the same variables.
Plan text is data: callers wrap it with `plan_block()` and the system messages say such blocks are
quoted material, never instructions.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LANGS = ("zh", "en")

_VAR = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
_SECTION = re.compile(r"^## (system|user)\s*$", re.M)
_FILE = re.compile(r"^([a-z][a-z0-9_]*)\.(zh|en)\.md$")
_BLOCK_OPEN = "<<<PLAN_PASSAGE page={page}>>>"
_BLOCK_CLOSE = "<<<END>>>"


class PromptError(ValueError):
    """A template that does not validate, or a render call with missing/unknown variables."""


@dataclass(frozen=True)
class Template:
    name: str
    lang: str
    version: str
    description: str
    variables: tuple[str, ...]
    system: str
    user: str
    version_hash: str  # sha256 of the file text, first 12 hex
    path: Path

    @property
    def prompt_id(self) -> str:
        """What a ReviewItem records in `prompt`: "<name>@<version>"."""
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class RenderedPrompt:
    template: Template
    messages: list[dict[str, str]]


def parse_template(path: Path) -> Template:
    m_file = _FILE.match(path.name)
    if not m_file:
        raise PromptError(f"{path.name}: template files are named <name>.<zh|en>.md")
    text = path.read_text(encoding="utf-8")
    m = _FRONT.match(text)
    if not m:
        raise PromptError(f"{path.name}: missing YAML front matter between --- lines")
    try:
        meta: Any = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        raise PromptError(f"{path.name}: bad front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise PromptError(f"{path.name}: front matter must be a mapping")
    missing = [k for k in ("name", "version", "variables", "description") if k not in meta]
    if missing:
        raise PromptError(f"{path.name}: front matter lacks {', '.join(missing)}")
    if meta["name"] != m_file.group(1):
        raise PromptError(f"{path.name}: front matter name {meta['name']!r} differs from the file name")
    declared = meta["variables"] or []
    if not isinstance(declared, list) or not all(isinstance(v, str) for v in declared):
        raise PromptError(f"{path.name}: variables must be a list of names")
    if len(set(declared)) != len(declared):
        raise PromptError(f"{path.name}: a variable is declared twice")
    body = m.group(2)
    parts = _SECTION.split(body)
    # parts: [preamble, "system", text, "user", text]
    if len(parts) != 5 or parts[1] != "system" or parts[3] != "user" or parts[0].strip():
        raise PromptError(f"{path.name}: body must be a '## system' section then a '## user' section")
    used = set(_VAR.findall(body))
    undeclared = sorted(used - set(declared))
    if undeclared:
        raise PromptError(f"{path.name}: variables used but not declared: {', '.join(undeclared)}")
    unused = sorted(set(declared) - used)
    if unused:
        raise PromptError(f"{path.name}: variables declared but not used: {', '.join(unused)}")
    return Template(
        name=meta["name"],
        lang=m_file.group(2),
        version=str(meta["version"]),
        description=str(meta["description"]),
        variables=tuple(declared),
        system=parts[2].strip(),
        user=parts[4].strip(),
        version_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
        path=path,
    )


class PromptRegistry:
    def __init__(self, templates: dict[tuple[str, str], Template]) -> None:
        self._templates = templates

    @classmethod
    def load(cls, directory: Path = TEMPLATES_DIR) -> PromptRegistry:
        templates: dict[tuple[str, str], Template] = {}
        for path in sorted(directory.glob("*.md")):
            t = parse_template(path)
            templates[(t.name, t.lang)] = t
        if not templates:
            raise PromptError(f"no templates in {directory}")
        for name in {n for n, _ in templates}:
            langs = {lang: templates.get((name, lang)) for lang in LANGS}
            absent = [lang for lang, t in langs.items() if t is None]
            if absent:
                raise PromptError(f"{name}: no template for language {', '.join(absent)}")
            zh, en = langs["zh"], langs["en"]
            assert zh is not None and en is not None
            if set(zh.variables) != set(en.variables):
                raise PromptError(
                    f"{name}: zh and en declare different variables: {sorted(zh.variables)} vs {sorted(en.variables)}"
                )
            if zh.version != en.version:
                raise PromptError(f"{name}: zh and en have different versions ({zh.version} vs {en.version})")
        return cls(templates)

    @property
    def names(self) -> list[str]:
        return sorted({n for n, _ in self._templates})

    def get(self, name: str, lang: str) -> Template:
        try:
            return self._templates[(name, lang)]
        except KeyError:
            raise PromptError(f"no template {name!r} in language {lang!r}") from None

    def render(self, name: str, lang: str, **variables: object) -> RenderedPrompt:
        t = self.get(name, lang)
        missing = sorted(set(t.variables) - set(variables))
        if missing:
            raise PromptError(f"{name}.{lang}: missing variables: {', '.join(missing)}")
        unknown = sorted(set(variables) - set(t.variables))
        if unknown:
            raise PromptError(f"{name}.{lang}: unknown variables: {', '.join(unknown)}")
        values = {k: str(v) for k, v in variables.items()}

        def fill(text: str) -> str:  # one pass: a value that contains {{x}} is not expanded again
            return _VAR.sub(lambda m: values[m.group(1)], text)

        messages = [{"role": "system", "content": fill(t.system)}, {"role": "user", "content": fill(t.user)}]
        return RenderedPrompt(template=t, messages=messages)


def neutralise(text: str) -> str:
    """Plan text cannot open or close a data block: the delimiters' brackets are replaced."""
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def plan_block(page: int, text: str) -> str:
    """One plan passage as a delimited data block."""
    return f"{_BLOCK_OPEN.format(page=int(page))}\n{neutralise(text)}\n{_BLOCK_CLOSE}"


REGISTRY = PromptRegistry.load()


def render(name: str, lang: str, **variables: object) -> RenderedPrompt:
    return REGISTRY.render(name, lang, **variables)


def get_template(name: str, lang: str) -> Template:
    return REGISTRY.get(name, lang)
