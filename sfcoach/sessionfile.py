"""The session file format: Session <-> plain dict, versioned, strict on the way in.

The dict is what the YAML file holds and what `--json` prints. Reading checks
every type, because a file in the store may be truncated, hand-edited or
hostile; anything off raises `BadSession` with a reason that never quotes
the file's text.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

from sfcoach import codec, yamlio
from sfcoach.codec import MAX_NUMBER
from sfcoach.models import SESSION_SCHEMA, Session


class BadSession(Exception):
    """Not a session file this version can read; `key` is an i18n message key."""

    def __init__(self, message_key: str, /, **params: Any) -> None:
        super().__init__(message_key)
        self.key = message_key
        self.params = params


__all__ = ["MAX_NUMBER", "BadSession", "from_dict", "session_json", "to_dict", "to_yaml"]

# Converters from each older schema to the next; schema 1 is the first.
CONVERTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def to_dict(s: Session) -> dict[str, Any]:
    """What the file holds: the session's fields, as `models` declares them."""
    data: dict[str, Any] = codec.encode(s)
    return data


def session_json(session: Session, reflection: bool = False) -> dict[str, Any]:
    """The session as DESIGN.md's JSON: the file's keys without the resume cursor. A
    reflection partner's feedback and tally are private to the pair: only the colleague's
    name is shown, unless `reflection` asks for all."""
    data = to_dict(session)
    del data["cursor"]
    if "reflection" in data and not reflection:
        data["reflection"] = {"colleague": data["reflection"]["colleague"]}
    return data


# The lists that grow during a meeting, written from cached per-item YAML.
LISTS = ("answers", "ratings", "steps", "notes", "carried")
FRAGMENT_CACHE = 50_000
# id(item) -> (a deep copy of the item as it was dumped, its YAML).
_fragments: dict[int, tuple[object, str]] = {}


def to_yaml(s: Session) -> str:
    """The session file's text. Dumping YAML costs ~70 µs per answer and encoding
    ~3 µs, so each list item's YAML is kept with a copy of the item it was made from,
    and an item is encoded and dumped again only when it no longer equals that copy
    (dataclass equality: every field, follow-ups included). A save then costs about a
    microsecond per unchanged answer, ~10 ms at 10,000 answers instead of ~50 ms.
    A stale text can never be written: it is used only for an item equal to its copy."""
    empty: dict[str, Any] = {name: [] for name in LISTS}
    head = codec.encode(dataclasses.replace(s, **empty))
    parts = [yamlio.dump({k: v for k, v in head.items() if k not in LISTS})]
    for name in LISTS:
        items = getattr(s, name)
        if not items:
            parts.append(f"{name}: []\n")
            continue
        parts.append(f"{name}:\n")
        parts += [_fragment(item) for item in items]
    return "".join(parts)


def _fragment(item: object) -> str:
    cached = _fragments.get(id(item))
    if cached is not None and cached[0] == item:
        return cached[1]
    if len(_fragments) >= FRAGMENT_CACHE:
        _fragments.clear()
    text = yamlio.dump([codec.encode(item)])
    _fragments[id(item)] = (copy.deepcopy(item), text)
    return text


# --- reading -------------------------------------------------------------------


def from_dict(data: Any) -> Session:
    if not isinstance(data, dict):
        raise BadSession("session.not-mapping")
    version = data.get("schema")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadSession("session.no-schema")
    if version > SESSION_SCHEMA:
        raise BadSession("session.future", version=version)
    while version < SESSION_SCHEMA:
        data = CONVERTERS[version](data)
        version = data["schema"]
    try:
        return codec.decode(Session, data)
    except codec.BadValue as e:
        raise BadSession("session.bad-key", key=e.path) from None
