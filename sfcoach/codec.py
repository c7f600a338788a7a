"""Records <-> plain data, driven by the dataclasses' own fields and type hints.

One encoder and one decoder serve every record of a session file, so adding a
field to `models` is the whole change. Decoding is strict, because a file in
the store may be truncated, hand-edited or hostile: every value's type is
checked (a bool is not an int, integers stay within MAX_NUMBER, floats are
finite, `Literal` values are among the allowed ones), and a failure names the
path of the key ("answers[3].value"), never the file's text.

Plain dataclasses rather than msgspec or pydantic: no extra dependency on the
start-up path; the error paths are the keys that tests and the translated
"bad key" message already rely on; the field metadata covers where the file
differs from the Python defaults; and the engine updates these records in
place, which frozen structs would not allow.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar

MAX_NUMBER = 10**12  # no 100-digit ratings: the index stores 64 bits

T = TypeVar("T")
_NONE = type(None)
_ABSENT: Any = object()


class BadValue(Exception):
    """A value of the wrong shape; `path` names its key, e.g. 'answers[3].value'."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path or "(top)"


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    key: tuple[str, ...]  # where in the mapping: ("text",) or ("bank", "id")
    hint: Any
    required: bool
    default: Callable[[], Any] | None  # None: required
    digits: int | None
    omit_none: bool
    omit_empty: bool
    position: bool
    scalar: bool  # written as it is: no need to encode


@functools.cache
def _plan(cls: type) -> tuple[_Field, ...]:
    """The fields of a record in the order they are written."""
    hints = typing.get_type_hints(cls)
    out: list[_Field] = []
    for f in dataclasses.fields(cls):
        meta = f.metadata
        default: Callable[[], Any] | None = None
        if "missing" in meta:
            default = functools.partial(lambda v: v, meta["missing"])
        elif f.default is not dataclasses.MISSING:
            default = functools.partial(lambda v: v, f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory
        if meta.get("required"):
            default = None
        key = tuple(meta.get("file_key", (f.name,)))
        out.append(
            _Field(
                f.name,
                key,
                hints[f.name],
                default is None,
                default,
                meta.get("digits"),
                bool(meta.get("omit_none")),
                bool(meta.get("omit_empty")),
                bool(meta.get("position")),
                _is_scalar(hints[f.name]),
            )
        )
    for f in dataclasses.fields(cls):
        before = f.metadata.get("before")
        if before:
            moved = next(x for x in out if x.name == f.name)
            out.remove(moved)
            out.insert(next(i for i, x in enumerate(out) if x.key[0] == before), moved)
    return tuple(out)


def _is_scalar(hint: Any) -> bool:
    if hint in (str, int, float, bool, _NONE):
        return True
    origin = typing.get_origin(hint)
    if origin is Literal:
        return all(type(a) in (str, int, bool) for a in typing.get_args(hint))
    if origin is typing.Union or origin is types.UnionType:
        return all(_is_scalar(a) for a in typing.get_args(hint))
    return False


# --- encoding ----------------------------------------------------------------------

_SCALARS = (str, int, float, bool, _NONE)


def encode(value: Any) -> Any:
    """A record as the plain dicts, lists and scalars that YAML and JSON hold."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [encode(x) for x in value]
    if kind is dict:
        return {k: encode(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        return _encode_record(value)
    if isinstance(value, str):  # a str subclass (an enum member): its plain value
        return str.__str__(value)
    raise TypeError(f"cannot encode {kind.__name__}")


def _encode_record(record: Any) -> dict[str, Any]:
    cls: type = type(record)
    out: dict[str, Any] = _encoder(cls)(record)
    return out


@functools.cache
def _encoder(cls: type) -> Callable[[Any], dict[str, Any]]:
    """A function that writes one `cls` record, made from its plan once, the way
    `dataclasses` makes __init__: a save encodes every record of the session on every
    line, and a loop over the plan per record made that four times slower."""
    lines = ["def encode_record(r):", "    out = {}"]
    names: dict[str, Any] = {"encode": encode}
    for f in _plan(cls):
        value = _expression(f, names)
        if f.digits is not None:
            value = f"round({value}, {f.digits})"
        target = "out" + "".join(f"[{k!r}]" for k in f.key)
        if len(f.key) > 1:
            lines.append(f"    out.setdefault({f.key[0]!r}, {{}})")
        if f.omit_none or f.omit_empty:
            test = "is not None" if f.omit_none else ""
            lines.append(f"    if r.{f.name} {test}:")
            lines.append(f"        {target} = {value}")
        else:
            lines.append(f"    {target} = {value}")
    lines.append("    return out")
    exec("\n".join(lines), names)
    made: Callable[[Any], dict[str, Any]] = names["encode_record"]
    return made


def _expression(f: _Field, names: dict[str, Any]) -> str:
    """Python for the plain value of field `f` of record `r`."""
    if f.scalar:
        return f"r.{f.name}"
    hint = f.hint
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and dataclasses.is_dataclass(args[0]):
        names[f"encode_{f.name}"] = _encoder(typing.cast(type, args[0]))
        return f"[encode_{f.name}(x) for x in r.{f.name}]"
    if origin is list and _is_scalar(args[0]):
        return f"list(r.{f.name})"
    return f"encode(r.{f.name})"


# --- decoding ----------------------------------------------------------------------


def decode(cls: type[T], data: Any, path: str = "") -> T:
    """`data` as a `cls` record, checked through and through; BadValue names what is off."""
    return typing.cast(T, _record(cls, data, path, 0))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _record(cls: type, data: Any, path: str, position: int) -> Any:
    if type(data) is not dict:
        raise BadValue(path)
    values: dict[str, Any] = {}
    for f in _plan(cls):
        raw: Any = data
        where = path
        for part in f.key[:-1]:  # a nested key: its mapping may be absent
            where = _join(where, part)
            raw = raw.get(part)
            if raw is None:
                raw = {}
            elif type(raw) is not dict:
                raise BadValue(where)
        where = _join(where, f.key[-1])
        value = raw.get(f.key[-1])
        if value is None:  # absent or null: the default
            if f.default is None:
                raise BadValue(where)
            values[f.name] = position if f.position and position else f.default()
            continue
        values[f.name] = _value(f.hint, value, where)
    return cls(**values)


def _value(hint: Any, value: Any, path: str) -> Any:
    if hint is str:
        if type(value) is not str:
            raise BadValue(path)
        return value
    if hint is int:
        if type(value) is not int or abs(value) > MAX_NUMBER:
            raise BadValue(path)
        return value
    if hint is bool:
        if type(value) is not bool:
            raise BadValue(path)
        return value
    if hint is float:  # JSON has no NaN or infinity
        if type(value) is int and abs(value) <= MAX_NUMBER:
            return float(value)
        if type(value) is not float or not math.isfinite(value):
            raise BadValue(path)
        return value
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is list:
        if type(value) is not list:
            raise BadValue(path)
        return [_item(args[0], x, f"{path}[{i}]", i + 1) for i, x in enumerate(value)]
    if origin is tuple:
        if type(value) is not list or len(value) != len(args):
            raise BadValue(path)
        return tuple(
            _value(a, x, f"{path}[{i}]") for i, (a, x) in enumerate(zip(args, value, strict=True))
        )
    if origin is dict:  # keys come from the file: errors name the mapping, not the key
        if type(value) is not dict or any(type(k) is not str for k in value):
            raise BadValue(path)
        return {k: _value(args[1], v, path) for k, v in value.items()}
    if origin is Literal:
        if type(value) is not str or value not in args:
            raise BadValue(path)
        return value
    if origin is typing.Union or origin is types.UnionType:
        if value is None and _NONE in args:
            return None
        (inner,) = [a for a in args if a is not _NONE]
        return _value(inner, value, path)
    if dataclasses.is_dataclass(hint):
        return _record(typing.cast(type, hint), value, path, 0)
    raise TypeError(f"no decoder for {hint!r}")


def _item(hint: Any, value: Any, path: str, position: int) -> Any:
    if dataclasses.is_dataclass(hint):
        return _record(typing.cast(type, hint), value, path, position)
    if value is None:
        raise BadValue(path)
    return _value(hint, value, path)
