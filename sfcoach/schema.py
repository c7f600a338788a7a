"""A small declarative description of YAML formats (banks, role cards).

One description yields both the structural checks, with the line and key path
of every problem, and the JSON Schema that editors use, so the two cannot
drift apart. Checks that JSON Schema cannot express (order, uniqueness of
ids, one key depending on another) live beside each format.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from sfcoach.i18n import LANGS
from sfcoach.yamlio import LMap, LSeq


@dataclass(frozen=True)
class Problem:
    line: int
    path: str
    key: str  # message key in i18n
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Str:
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    max_len: int = 10_000


@dataclass(frozen=True)
class Int:
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Text:
    """A text in each language: {sv: ..., en: ...}."""

    max_len: int = 2_000


@dataclass(frozen=True)
class List:
    item: Any
    min_items: int = 0


@dataclass(frozen=True)
class Obj:
    fields: dict[str, Any]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bool:
    pass


@dataclass(frozen=True)
class Map:
    """A mapping whose keys are names (matching `key_pattern`), each value a `value`."""

    value: Any
    key_pattern: str
    min_items: int = 0


@dataclass(frozen=True)
class Either:
    """`second` when the value is a mapping with one of its keys (`key` names it in the
    JSON Schema), else `first`: a text, or a text with options ({text, when})."""

    first: Any
    second: Any
    key: str


@dataclass(frozen=True)
class Cond:
    """A condition (`when`). A mapping; several keys must all hold. `short` also allows
    a name or a list of names (a follow-up's own outcome or step status)."""

    id_pattern: str
    changes: tuple[str, ...]
    short: bool = False

    @property
    def ref(self) -> str:
        return "followup-when" if self.short else "when"


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _typename(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "text", LMap: "mapping", LSeq: "list"}.get(
        type(value), "empty" if value is None else type(value).__name__
    )


def check(spec: Any, value: Any, path: str, line: int) -> list[Problem]:
    """Structural problems of `value` against `spec`, with lines and key paths."""
    if isinstance(spec, Obj):
        return _check_obj(spec, value, path, line)
    if isinstance(spec, List):
        if not isinstance(value, list):
            return [Problem(line, path, "schema.type", {"want": "list", "got": _typename(value)})]
        problems = []
        if len(value) < spec.min_items:
            problems.append(Problem(getattr(value, "line", line), path, "schema.empty"))
        lines = getattr(value, "item_lines", [line] * len(value))
        for i, item in enumerate(value):
            problems += check(spec.item, item, join(path, i), lines[i])
        return problems
    if isinstance(spec, Text):
        return _check_text(spec, value, path, line)
    if isinstance(spec, Int):
        if not isinstance(value, int) or isinstance(value, bool):
            return [
                Problem(line, path, "schema.type", {"want": "integer", "got": _typename(value)})
            ]
        if spec.enum is not None and value not in spec.enum:
            return [Problem(line, path, "schema.enum", {"got": value, "allowed": _list(spec.enum)})]
        low, high = spec.minimum, spec.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            return [Problem(line, path, "schema.range", {"got": value, "low": low, "high": high})]
        return []
    if isinstance(spec, Str):
        return _check_str(spec, value, path, line)
    if isinstance(spec, Bool):
        if isinstance(value, bool):
            return []
        return [Problem(line, path, "schema.type", {"want": "true/false", "got": _typename(value)})]
    if isinstance(spec, Map):
        return _check_map(spec, value, path, line)
    if isinstance(spec, Either):
        keys = spec.second.fields if isinstance(spec.second, Obj) else (spec.key,)
        use_second = isinstance(value, dict) and any(k in value for k in keys)
        return check(spec.second if use_second else spec.first, value, path, line)
    if isinstance(spec, Cond):
        return _check_cond(spec, value, path, line)
    raise TypeError(spec)


def _check_map(spec: Map, value: Any, path: str, line: int) -> list[Problem]:
    import re

    if not isinstance(value, dict):
        return [Problem(line, path, "schema.type", {"want": "mapping", "got": _typename(value)})]
    problems = []
    if len(value) < spec.min_items:
        problems.append(Problem(getattr(value, "line", line), path, "schema.empty"))
    lines = getattr(value, "key_lines", {})
    for key, item in value.items():
        at = lines.get(key, line)
        if not isinstance(key, str) or not re.fullmatch(spec.key_pattern, key):
            problems.append(Problem(at, join(path, str(key)), "schema.pattern", {"got": key}))
        else:
            problems += check(spec.value, item, join(path, key), at)
    return problems


COND_LISTS = ("all", "any")
COND_IDS = ("answered", "skipped", "previous")
COND_NUMBERS = ("at_most", "at_least")


def _check_cond(spec: Cond, value: Any, path: str, line: int) -> list[Problem]:
    if spec.short and _names(value):
        return []
    if not isinstance(value, dict) or not value:
        want = "condition-short" if spec.short else "condition"
        return [Problem(line, path, f"schema.{want}", {"got": _typename(value)})]
    lines = getattr(value, "key_lines", {})
    problems = []
    for key, item in value.items():
        at, where = lines.get(key, line), join(path, str(key))
        if key in COND_LISTS:
            problems += check(List(spec, min_items=1), item, where, at)
        elif key in COND_IDS:
            problems += check(Str(pattern=spec.id_pattern), item, where, at)
        elif key in COND_NUMBERS:
            problems += check(Int(), item, where, at)
        elif key == "change":
            problems += check(Str(enum=spec.changes), item, where, at)
        elif not isinstance(key, str) or not _is_id(spec.id_pattern, key):
            problems.append(Problem(at, where, "schema.condition-key", {"got": key}))
        elif not _names(item):
            problems.append(Problem(at, where, "schema.condition-outcomes"))
    return problems


def _names(value: Any) -> bool:
    """A name, or a non-empty list of names."""
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _is_id(pattern: str, value: str) -> bool:
    import re

    return re.fullmatch(pattern, value) is not None


def _check_obj(spec: Obj, value: Any, path: str, line: int) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(line, path, "schema.type", {"want": "mapping", "got": _typename(value)})]
    lines = getattr(value, "key_lines", {})
    problems = []
    for key in value:
        if key not in spec.fields:
            near = difflib.get_close_matches(str(key), list(spec.fields), n=1)
            problems.append(
                Problem(
                    lines.get(key, line),
                    join(path, key),
                    "schema.unknown-key-near" if near else "schema.unknown-key",
                    {"near": near[0] if near else "", "allowed": _list(spec.fields)},
                )
            )
    for key in spec.required:
        if key not in value:
            problems.append(
                Problem(getattr(value, "line", line), join(path, key), "schema.missing")
            )
    for key, sub in spec.fields.items():
        if key in value:
            problems += check(sub, value[key], join(path, key), lines.get(key, line))
    return problems


def _check_text(spec: Text, value: Any, path: str, line: int) -> list[Problem]:
    if isinstance(value, str):
        return [Problem(line, path, "schema.text-needs-langs")]
    if not isinstance(value, dict):
        return [Problem(line, path, "schema.type", {"want": "mapping", "got": _typename(value)})]
    problems = []
    if not value:
        problems.append(Problem(line, path, "schema.text-needs-langs"))
    lines = getattr(value, "key_lines", {})
    for lang, text in value.items():
        at = lines.get(lang, line)
        if lang not in LANGS:
            problems.append(Problem(at, join(path, lang), "schema.unknown-lang"))
        elif not isinstance(text, str):
            problems.append(
                Problem(
                    at, join(path, lang), "schema.type", {"want": "text", "got": _typename(text)}
                )
            )
        elif not text.strip():
            problems.append(Problem(at, join(path, lang), "schema.blank"))
        elif len(text) > spec.max_len:
            problems.append(Problem(at, join(path, lang), "schema.too-long", {"max": spec.max_len}))
    return problems


def _check_str(spec: Str, value: Any, path: str, line: int) -> list[Problem]:
    import re

    if not isinstance(value, str):
        return [Problem(line, path, "schema.type", {"want": "text", "got": _typename(value)})]
    if spec.enum is not None and value not in spec.enum:
        return [Problem(line, path, "schema.enum", {"got": value, "allowed": _list(spec.enum)})]
    if spec.pattern and not re.fullmatch(spec.pattern, value):
        return [Problem(line, path, "schema.pattern", {"got": value, "pattern": spec.pattern})]
    if len(value) > spec.max_len:
        return [Problem(line, path, "schema.too-long", {"max": spec.max_len})]
    return []


def _list(items: Any) -> str:
    return ", ".join(str(i) for i in items)


def to_json_schema(spec: Any) -> dict[str, Any]:
    """The same description as JSON Schema (draft 2020-12)."""
    if isinstance(spec, Obj):
        out: dict[str, Any] = {
            "type": "object",
            "properties": {k: to_json_schema(v) for k, v in spec.fields.items()},
            "additionalProperties": False,
        }
        if spec.required:
            out["required"] = list(spec.required)
        return out
    if isinstance(spec, List):
        out = {"type": "array", "items": to_json_schema(spec.item)}
        if spec.min_items:
            out["minItems"] = spec.min_items
        return out
    if isinstance(spec, Text):
        lang = {"type": "string", "minLength": 1, "maxLength": spec.max_len, "pattern": r"\S"}
        return {
            "type": "object",
            "properties": {code: lang for code in LANGS},
            "additionalProperties": False,
            "minProperties": 1,
        }
    if isinstance(spec, Int):
        out = {"type": "integer"}
        if spec.enum is not None:
            out["enum"] = list(spec.enum)
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
        return out
    if isinstance(spec, Str):
        out = {"type": "string", "maxLength": spec.max_len}
        if spec.enum is not None:
            out["enum"] = list(spec.enum)
        if spec.pattern:
            out["pattern"] = f"^(?:{spec.pattern})$"
        return out
    if isinstance(spec, Bool):
        return {"type": "boolean"}
    if isinstance(spec, Map):
        out = {
            "type": "object",
            "propertyNames": {"pattern": f"^(?:{spec.key_pattern})$"},
            "additionalProperties": to_json_schema(spec.value),
        }
        if spec.min_items:
            out["minProperties"] = spec.min_items
        return out
    if isinstance(spec, Either):
        return {"anyOf": [to_json_schema(spec.first), to_json_schema(spec.second)]}
    if isinstance(spec, Cond):
        return {"$ref": f"#/$defs/{spec.ref}"}
    raise TypeError(spec)


def cond_definitions(spec: Cond) -> dict[str, Any]:
    """The JSON Schema `$defs` a condition refers to (conditions nest, so by reference)."""
    out = {}
    for short in (False, True):
        cond = Cond(spec.id_pattern, spec.changes, short)
        names = {"type": "array", "items": {"type": "string"}, "minItems": 1}
        one_of_names = {"anyOf": [{"type": "string", "minLength": 1}, names]}
        mapping: dict[str, Any] = {
            "type": "object",
            "minProperties": 1,
            "properties": {
                **{k: {"type": "array", "items": {"$ref": f"#/$defs/{cond.ref}"}, "minItems": 1}
                   for k in COND_LISTS},
                **{k: to_json_schema(Str(pattern=spec.id_pattern)) for k in COND_IDS},
                **{k: {"type": "integer"} for k in COND_NUMBERS},
                "change": {"enum": list(spec.changes)},
            },
            "propertyNames": {"pattern": f"^(?:{spec.id_pattern}|at_most|at_least)$"},
            "additionalProperties": one_of_names,
        }  # fmt: skip
        out[cond.ref] = {"anyOf": [*one_of_names["anyOf"], mapping]} if short else mapping
    return out
