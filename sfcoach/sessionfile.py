"""The session file format: Session <-> plain dict, versioned, strict on the way in.

The dict is what the YAML file holds and what `--json` prints. Reading checks
every type, because a file in the store may be truncated, hand-edited or
hostile; anything off raises `BadSession` with a reason that never quotes
the file's text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sfcoach import yamlio
from sfcoach.models import (
    SESSION_SCHEMA,
    SESSION_STATUSES,
    STEP_STATUSES,
    Answer,
    Cursor,
    Followup,
    Note,
    Rating,
    Session,
    Step,
)


class BadSession(Exception):
    """Not a session file this version can read; `key` is an i18n message key."""

    def __init__(self, message_key: str, /, **params: Any) -> None:
        super().__init__(message_key)
        self.key = message_key
        self.params = params


MAX_NUMBER = 10**12

# Converters from each older schema to the next; schema 1 is the first.
CONVERTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def to_dict(s: Session) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema": s.schema,
        "id": s.id,
        "client": s.client,
        "meeting": s.meeting,
        "bank": {"id": s.bank_id, "version": s.bank_version, "source": s.bank_source},
        "lang": s.lang,
        "practitioner": s.practitioner,
        "practice": s.practice,
        "status": s.status,
        "started": s.started,
        "ended": s.ended,
        "elapsed": round(s.elapsed, 1),
        "previous": s.previous,
        "answers": [_answer(a) for a in s.answers],
        "ratings": [_rating(r) for r in s.ratings],
        "steps": [_step(x) for x in s.steps],
        "notes": [{"text": n.text, "at": n.at} for n in s.notes],
        "skipped": list(s.skipped),
        "carried": [_step(x) for x in s.carried],
        "cursor": {
            "question": s.cursor.question,
            "stage": s.cursor.stage,
            "back": [list(p) for p in s.cursor.back],
            "forward": [list(p) for p in s.cursor.forward],
            "confirm": s.cursor.confirm,
        },
    }
    if s.practice_data is not None:
        out["practice_data"] = s.practice_data
    return out


# The lists that grow during a meeting, written from cached per-item YAML.
LISTS = ("answers", "ratings", "steps", "notes", "carried")
_fragments: dict[tuple[str, str], str] = {}
FRAGMENT_CACHE = 50_000


def to_yaml(s: Session) -> str:
    """The session file's text. Dumping YAML costs ~70 µs per answer, so each list
    item's YAML is cached by the item's value and only new or edited items are
    dumped: a save stays ~1 ms however long the meeting grows."""
    data = to_dict(s)
    head = {k: v for k, v in data.items() if k not in LISTS}
    parts = [yamlio.dump(head)]
    for name in LISTS:
        items = getattr(s, name)
        if not items:
            parts.append(f"{name}: []\n")
            continue
        parts.append(f"{name}:\n")
        for item, plain in zip(items, data[name], strict=True):
            key = (name, repr(item))
            text = _fragments.get(key)
            if text is None:
                if len(_fragments) >= FRAGMENT_CACHE:
                    _fragments.clear()
                text = _fragments[key] = yamlio.dump([plain])
            parts.append(text)
    return "".join(parts)


def _followups(items: list[Followup]) -> list[dict[str, Any]]:
    return [{"text": f.text, "answer": f.answer, "n": f.n} for f in items]


def _answer(a: Answer) -> dict[str, Any]:
    return {
        "phase": a.phase,
        "question": a.question,
        "asked": a.asked,
        "text": a.text,
        "followups": _followups(a.followups),
        "at": a.at,
    }


def _rating(r: Rating) -> dict[str, Any]:
    return {
        "scale": r.scale,
        "phase": r.phase,
        "value": r.value,
        "min": r.min,
        "max": r.max,
        "low": r.low,
        "high": r.high,
        "label": r.label,
        "asked": r.asked,
        "followups": _followups(r.followups),
        "at": r.at,
    }


def _step(x: Step) -> dict[str, Any]:
    return {
        "text": x.text,
        "status": x.status,
        "from_session": x.from_session,
        "question": x.question,
        "at": x.at,
    }


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
    return _session(_Reader(data, ""))


class _Reader:
    """Typed access to one mapping of a session file, naming the key on failure."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise BadSession("session.bad-key", key=path or "(top)")
        self.data, self.path = data, path

    def _fail(self, key: str) -> BadSession:
        return BadSession("session.bad-key", key=f"{self.path}.{key}" if self.path else key)

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data or self.data[key] is None:
            if default is ...:
                raise self._fail(key)
            return default
        value = self.data[key]
        if isinstance(value, bool) and kind is not bool and bool not in _tuple(kind):
            raise self._fail(key)
        if not isinstance(value, kind):
            raise self._fail(key)
        # Numbers a meeting can produce: no 100-digit ratings (the index stores 64 bits),
        # no NaN or infinity (JSON has no such values).
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise self._fail(key)
        if isinstance(value, float) and not math.isfinite(value):
            raise self._fail(key)
        return value

    def text(self, key: str, default: Any = ...) -> str:
        return self.get(key, str, default)

    def items(self, key: str) -> list[_Reader]:
        value = self.get(key, list, [])
        return [
            _Reader(item, f"{self.path}.{key}[{i}]".lstrip(".")) for i, item in enumerate(value)
        ]

    def sub(self, key: str) -> _Reader:
        return _Reader(self.get(key, dict, {}), f"{self.path}.{key}".lstrip("."))


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _session(r: _Reader) -> Session:
    bank = r.sub("bank")
    status = r.text("status")
    if status not in SESSION_STATUSES:
        raise r._fail("status")
    cursor = r.sub("cursor")
    practice_data = _practice_data(r)
    return Session(
        id=r.text("id"),
        client=r.text("client", None),
        meeting=r.text("meeting"),
        bank_id=bank.text("id"),
        bank_version=bank.get("version", int, 1),
        bank_source=bank.text("source", ""),
        lang=r.text("lang"),
        practitioner=r.text("practitioner", ""),
        practice=r.get("practice", bool, False),
        status=status,
        started=r.text("started"),
        ended=r.text("ended", None),
        elapsed=float(r.get("elapsed", (int, float), 0.0)),
        previous=r.text("previous", None),
        answers=[_read_answer(a) for a in r.items("answers")],
        ratings=[_read_rating(x) for x in r.items("ratings")],
        steps=[_read_step(x) for x in r.items("steps")],
        notes=[Note(n.text("text"), n.text("at", "")) for n in r.items("notes")],
        skipped=[_str(x, "skipped") for x in r.get("skipped", list, [])],
        carried=[_read_step(x) for x in r.items("carried")],
        cursor=Cursor(
            question=cursor.text("question", None),
            stage=cursor.get("stage", int, 0),
            back=[_position(p) for p in cursor.get("back", list, [])],
            forward=[_position(p) for p in cursor.get("forward", list, [])],
            confirm=cursor.get("confirm", bool, False),
        ),
        practice_data=practice_data,
        schema=SESSION_SCHEMA,
    )


def _practice_data(r: _Reader) -> dict[str, Any] | None:
    """A practice round's own data, kept as it is once every key the practice code
    reads has the shape it expects (a hand-edited `asked: [1]` is a bad file, not a
    crash in `sessions show` or a resume)."""
    data = r.get("practice_data", dict, None)
    if data is not None:
        p = r.sub("practice_data")
        for key in ("asked", "feedback"):
            p.items(key)
        for key in ("roles", "phase_seconds"):
            p.sub(key)
        for key in ("round", "rounds", "minutes", "usefulness", "first"):
            p.get(key, int, None)
        for key in ("stage", "group", "scenario", "fixed", "cards"):
            p.get(key, str, None)
        for name in p.get("names", list, []):
            _str(name, "practice_data.names")
    return data


def _str(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise BadSession("session.bad-key", key=key)
    return value


def _position(value: Any) -> tuple[str, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], str)
        or not isinstance(value[1], int)
        or isinstance(value[1], bool)
    ):
        raise BadSession("session.bad-key", key="cursor")
    return value[0], value[1]


def _read_followups(r: _Reader) -> list[Followup]:
    # Files without `n` kept follow-ups in order, one per slot.
    return [
        Followup(f.text("text"), f.text("answer"), f.get("n", int, i + 1))
        for i, f in enumerate(r.items("followups"))
    ]


def _read_answer(r: _Reader) -> Answer:
    return Answer(
        phase=r.text("phase"),
        question=r.text("question"),
        text=r.text("text", ""),
        followups=_read_followups(r),
        at=r.text("at", ""),
        asked=r.text("asked", ""),
    )


def _read_rating(r: _Reader) -> Rating:
    return Rating(
        scale=r.text("scale"),
        phase=r.text("phase"),
        value=r.get("value", int),
        min=r.get("min", int, 0),
        max=r.get("max", int, 10),
        low=r.text("low", ""),
        high=r.text("high", ""),
        label=r.text("label", ""),
        followups=_read_followups(r),
        at=r.text("at", ""),
        asked=r.text("asked", ""),
    )


def _read_step(r: _Reader) -> Step:
    status = r.text("status", "agreed")
    if status not in STEP_STATUSES:
        raise r._fail("status")
    return Step(
        text=r.text("text"),
        status=status,
        from_session=r.text("from_session", None),
        question=r.text("question", None),
        at=r.text("at", ""),
    )
