"""Applicability predicates over the product profile, written as data in the catalog.

Grammar (YAML):
  {field: modality, in: [aav, lentivirus]}      scalar field is one of the values
  {field: routes, any_of: [subretinal, icv]}    list field shares a value with the list
  {field: integrating, is: true}                boolean (or scalar) field equals
  {all: [P, ...]}  {any: [P, ...]}  {not: P}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

PROFILE_FIELDS = {
    "modality": "scalar",
    "clinical_dosing": "scalar",
    "routes": "list",
    "population": "list",
    "replication_competent": "bool",
    "integrating": "bool",
    "genome_editing": "bool",
    "transposon": "bool",
    "immunomodulatory_transgene": "bool",
    "long_term_expression": "bool",
    "nonstandard_species": "bool",
    "surrogate_product": "bool",
    "major_change": "bool",
    "reproductive_organ_toxicity": "bool",
    "lnp_delivery": "bool",
}


class Predicate(BaseModel):
    op: Literal["in", "any_of", "is", "all", "any", "not"]
    field: str | None = None
    values: list[Any] = []
    children: list[Predicate] = []

    def evaluate(self, profile: Any) -> bool:
        if self.op == "all":
            return all(c.evaluate(profile) for c in self.children)
        if self.op == "any":
            return any(c.evaluate(profile) for c in self.children)
        if self.op == "not":
            return not self.children[0].evaluate(profile)
        value = getattr(profile, self.field or "")
        if self.op == "in":
            return value in self.values
        if self.op == "any_of":
            return bool(set(value or []) & set(self.values))
        return bool(value == self.values[0])

    def describe(self) -> str:
        if self.op in ("all", "any"):
            return "(" + f" {self.op} ".join(c.describe() for c in self.children) + ")"
        if self.op == "not":
            return f"not {self.children[0].describe()}"
        return f"{self.field} {self.op} {self.values if self.op != 'is' else self.values[0]}"


def parse_predicate(raw: Any) -> Predicate:
    if isinstance(raw, Predicate):
        return raw
    if not isinstance(raw, dict):
        raise ValueError(f"predicate must be a mapping, got {raw!r}")
    if "all" in raw or "any" in raw:
        op: Literal["all", "any"] = "all" if "all" in raw else "any"
        kids = raw[op]
        if len(raw) != 1 or not isinstance(kids, list) or not kids:
            raise ValueError(f"malformed {op!r} predicate: {raw!r}")
        return Predicate(op=op, children=[parse_predicate(k) for k in kids])
    if "not" in raw:
        if len(raw) != 1:
            raise ValueError(f"malformed 'not' predicate: {raw!r}")
        return Predicate(op="not", children=[parse_predicate(raw["not"])])
    field = raw.get("field")
    if field not in PROFILE_FIELDS:
        raise ValueError(f"unknown profile field {field!r} in predicate {raw!r}")
    ops = [k for k in raw if k != "field"]
    if len(ops) != 1 or ops[0] not in ("in", "any_of", "is"):
        raise ValueError(f"predicate needs exactly one of in/any_of/is: {raw!r}")
    op = ops[0]
    kind = PROFILE_FIELDS[field]
    arg = raw[op]
    if op == "is":
        if kind == "bool" and not isinstance(arg, bool):
            raise ValueError(f"{field} is boolean: {raw!r}")
        return Predicate(op="is", field=field, values=[arg])
    if not isinstance(arg, list) or not arg:
        raise ValueError(f"{op} needs a non-empty list: {raw!r}")
    if op == "any_of" and kind != "list":
        raise ValueError(f"any_of needs a list field, {field} is {kind}")
    if op == "in" and kind != "scalar":
        raise ValueError(f"in needs a scalar field, {field} is {kind}")
    return Predicate(op=op, field=field, values=list(arg))
