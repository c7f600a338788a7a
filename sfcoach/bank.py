"""Question banks: the format, validation with file:line:key.path, loading, lookup."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from sfcoach import fsio
from sfcoach.errors import UserError
from sfcoach.i18n import LANGS
from sfcoach.models import (
    CATEGORIES,
    CHANGES,
    KINDS,
    PHASES,
    REVIEW_CONDITIONS,
    Bank,
    Outcome,
    Phase,
    Question,
    When,
    WhenKind,
)
from sfcoach.schema import (
    COND_IDS,
    COND_LISTS,
    COND_NUMBERS,
    Bool,
    Cond,
    Either,
    Int,
    List,
    Map,
    Obj,
    Problem,
    Str,
    Text,
    check,
    cond_definitions,
    join,
    to_json_schema,
)
from sfcoach.yamlio import YamlError, load_located, read_text

BANK_SCHEMA_VERSION = 2  # the newest this sfcoach reads; schema 1 banks run unchanged
BANK_SCHEMAS = (1, 2)
MAX_BANK_BYTES = 1_000_000
ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,39}"
WHEN = Cond(ID_PATTERN, CHANGES)
FOLLOWUP = Either(
    Text(),
    Obj(fields={"text": Text(), "when": Cond(ID_PATTERN, CHANGES, short=True)}, required=("text",)),
    "text",
)
OUTCOME = Obj(
    fields={"ask": Text(), "options": Map(Text(max_len=200), ID_PATTERN, min_items=1)},
    required=("ask", "options"),
)
SCHEMA2_KEYS = ("when", "say", "outcome", "optional", "goal")
SCHEMA2_KINDS = ("goal-review",)

QUESTION = Obj(
    fields={
        "id": Str(pattern=ID_PATTERN),
        "kind": Str(enum=KINDS),
        "category": Str(enum=CATEGORIES),
        "text": Text(),
        "tip": Text(),
        "followups": List(FOLLOWUP),
        "min": Int(minimum=-100, maximum=100),
        "max": Int(minimum=-100, maximum=100),
        "low": Text(),
        "high": Text(),
        "label": Text(max_len=60),
        "when": WHEN,
        "say": Text(),
        "outcome": OUTCOME,
        "optional": Bool(),
        "goal": Str(pattern=ID_PATTERN),
    },
    required=("id", "kind", "text"),
)
PHASE = Obj(
    fields={
        "id": Str(enum=PHASES),
        "purpose": Text(),
        "tips": List(Text()),
        "questions": List(QUESTION, min_items=1),
    },
    required=("id", "questions"),
)
BANK = Obj(
    fields={
        "schema": Int(enum=BANK_SCHEMAS),
        "id": Str(pattern=ID_PATTERN),
        "version": Int(minimum=1),
        "languages": List(Str(enum=LANGS), min_items=1),
        "title": Text(max_len=200),
        "description": Text(),
        "phases": List(PHASE, min_items=1),
    },
    required=("schema", "id", "languages", "title", "phases"),
)

SCALE_ONLY = ("min", "max", "low", "high", "label", "goal")
PLACEHOLDERS = {
    "scale-followup": {"value", "next", "min", "max"},
    "step-review": {"step"},
    "goal-review": {"goal", "before"},
}
# What a question is tallied as in practice when its bank does not say.
DEFAULT_CATEGORY = {"P": "platform", "L": "future", "U": "exception", "S": "scaling"}


@dataclass(frozen=True)
class BankProblem:
    file: str
    line: int
    path: str
    key: str
    params: dict[str, Any]


class InvalidBank(UserError):
    """A bank (or role-card file) that cannot be used; the message names the first problem."""

    def __init__(self, problems: list[BankProblem], kind: str = "bank") -> None:
        first = problems[0]
        super().__init__(
            f"{kind}.invalid" if len(problems) > 1 else f"{kind}.invalid-one",
            file=first.file,
            count=len(problems) - 1,
            where=f"{first.file}:{first.line}: {first.path}: " if first.path else f"{first.file}: ",
            why_key=first.key,
            **first.params,
        )
        self.problems = problems


def json_schema() -> dict[str, Any]:
    schema = to_json_schema(BANK)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sfcoach question bank"
    schema["$defs"] = cond_definitions(WHEN)
    return schema


# --- validation ----------------------------------------------------------------


def problems_in(data: Any) -> list[Problem]:
    """Every problem in a parsed bank: structure first, then the rules between keys."""
    if not isinstance(data, dict):
        return [Problem(getattr(data, "line", 1), "", "bank.not-mapping")]
    version = data.get("schema")
    if "schema" in data and version not in BANK_SCHEMAS:
        wrong = Problem(key_line(data, "schema"), "schema", "bank.schema-version", {"got": version})
        if _is_int(version) and version > BANK_SCHEMA_VERSION:
            return [wrong]  # a newer format: its other keys would only add noise
        return [p for p in check(BANK, data, "", 1) if p.path != "schema"] + [wrong] + _rules(data)
    return check(BANK, data, "", 1) + _rules(data)


def _rules(bank: Any) -> list[Problem]:
    given = bank.get("languages") if isinstance(bank.get("languages"), list) else []
    langs = [x for x in given if isinstance(x, str) and x in LANGS]
    problems: list[Problem] = []
    if len(set(langs)) != len(langs):
        problems.append(Problem(key_line(bank, "languages"), "languages", "bank.duplicate-lang"))
    for key in ("title", "description"):
        problems += _langs_present(bank, key, key, langs)
    phases = bank.get("phases")
    if not isinstance(phases, list):
        return problems
    seen_questions: dict[str, str] = {}
    ctx = _Context(bank.get("schema") == 2, _all_ids(phases))
    last = -1
    for i, phase in enumerate(phases):
        ppath = join("phases", i)
        if not isinstance(phase, dict):
            continue
        pid = phase.get("id")
        if pid in PHASES:
            order = PHASES.index(pid)
            if order <= last:
                key = "bank.phase-repeated" if order == last else "bank.phase-order"
                problems.append(Problem(key_line(phase, "id"), join(ppath, "id"), key, {"id": pid}))
            last = max(last, order)
        problems += _langs_present(phase, "purpose", join(ppath, "purpose"), langs)
        for j, tip in enumerate(_list(phase.get("tips"))):
            problems += _text_langs(tip, join(join(ppath, "tips"), j), langs, key_line(phase))
        for j, question in enumerate(_list(phase.get("questions"))):
            qpath = join(join(ppath, "questions"), j)
            if isinstance(question, dict):
                problems += _question_rules(question, qpath, langs, seen_questions, ctx.schema2)
                problems += _schema2_rules(question, qpath, ctx)
                if isinstance(question.get("id"), str):
                    ctx.earlier.setdefault(question["id"], _outcome_names(question))
                    ctx.kinds.setdefault(question["id"], str(question.get("kind")))
    return problems


@dataclass
class _Context:
    """What the schema-2 rules of one question need to know about the rest of the bank."""

    schema2: bool
    all_ids: set[str]
    earlier: dict[str, tuple[str, ...] | None] = field(default_factory=dict)  # id -> outcomes
    kinds: dict[str, str] = field(default_factory=dict)  # id -> kind, of the earlier questions


def _all_ids(phases: list[Any]) -> set[str]:
    return {
        q["id"]
        for p in phases
        if isinstance(p, dict)
        for q in _list(p.get("questions"))
        if isinstance(q, dict) and isinstance(q.get("id"), str)
    }


def _outcome_names(q: Any) -> tuple[str, ...] | None:
    outcome = q.get("outcome")
    options = outcome.get("options") if isinstance(outcome, dict) else None
    return tuple(str(k) for k in options) if isinstance(options, dict) else None


def _schema2_rules(q: Any, path: str, ctx: _Context) -> list[Problem]:
    lines = q.key_lines
    followups = [(j, f) for j, f in enumerate(_list(q.get("followups"))) if _is_rich(f)]
    if not ctx.schema2:
        keys = [(lines[k], join(path, k)) for k in SCHEMA2_KEYS if k in q]
        if q.get("kind") in SCHEMA2_KINDS:
            keys.append((lines["kind"], join(path, "kind")))
        keys += [
            (getattr(f, "line", q.line), join(join(path, "followups"), j)) for j, f in followups
        ]
        return [Problem(line, where, "bank.needs-schema-2") for line, where in keys]
    problems = []
    if "outcome" in q and q.get("kind") != "text":
        problems.append(
            Problem(
                lines["outcome"],
                join(path, "outcome"),
                "bank.outcome-kind",
                {"kind": q.get("kind")},
            )
        )
    if "when" in q:
        problems += _when_rules(q["when"], join(path, "when"), lines["when"], ctx, None)
    if isinstance(q.get("goal"), str) and q.get("kind") == "scale":
        problems += _goal_rules(q["goal"], join(path, "goal"), lines["goal"], ctx)
    qid = q.get("id") if isinstance(q.get("id"), str) else ""
    own = _Own(qid, str(q.get("kind")), _outcome_names(q) if "outcome" in q else None)
    for j, f in followups:
        if "when" in f:
            where = join(join(join(path, "followups"), j), "when")
            problems += _when_rules(f["when"], where, key_line(f, "when"), ctx, own)
    return problems


def _goal_rules(qid: str, path: str, line: int, ctx: _Context) -> list[Problem]:
    """A goal scale's `goal` names an earlier text question of the same bank."""
    if qid not in ctx.earlier:
        key = "bank.goal-later" if qid in ctx.all_ids else "bank.goal-unknown"
        return [Problem(line, path, key, {"id": qid})]
    if ctx.kinds.get(qid) != "text":
        return [Problem(line, path, "bank.goal-kind", {"id": qid, "kind": ctx.kinds.get(qid)})]
    return []


@dataclass(frozen=True)
class _Own:
    """The question a follow-up belongs to."""

    id: str
    kind: str
    outcomes: tuple[str, ...] | None


def _when_rules(cond: Any, path: str, line: int, ctx: _Context, own: _Own | None) -> list[Problem]:
    """References of a structurally valid condition: earlier questions, their outcomes, and
    the forms that only fit a follow-up of a certain kind."""
    if isinstance(cond, (str, list)):
        return _own_rules(cond, path, line, own) if own else []
    if not isinstance(cond, dict):
        return []
    lines = getattr(cond, "key_lines", {})
    problems = []
    for key, value in cond.items():
        at, where = lines.get(key, line), join(path, str(key))
        if key in COND_LISTS and isinstance(value, list):
            item_lines = getattr(value, "item_lines", [at] * len(value))
            for i, item in enumerate(value):
                problems += _when_rules(item, join(where, i), item_lines[i], ctx, own)
        elif key in ("answered", "skipped") and isinstance(value, str):
            problems += _refers(value, where, at, ctx, own)
        elif key in COND_NUMBERS or key == "change":
            if own is None or own.kind not in ("scale", "goal-review"):
                problems.append(Problem(at, where, "bank.when-scale-only"))
        elif key not in COND_IDS and isinstance(key, str):
            found = _refers(key, where, at, ctx, own)
            problems += found or _outcomes_known(key, value, where, at, ctx, own)
    return problems


def _refers(qid: str, path: str, line: int, ctx: _Context, own: _Own | None) -> list[Problem]:
    if qid in ctx.earlier or (own is not None and qid == own.id):
        return []
    key = "bank.when-later" if qid in ctx.all_ids else "bank.when-unknown"
    return [Problem(line, path, key, {"id": qid})]


def _outcomes_known(
    qid: str, value: Any, path: str, line: int, ctx: _Context, own: _Own | None
) -> list[Problem]:
    have = own.outcomes if own is not None and qid == own.id else ctx.earlier.get(qid)
    if have is None:
        return [Problem(line, path, "bank.when-no-outcome", {"id": qid})]
    names = [value] if isinstance(value, str) else _list(value)
    return [
        Problem(line, path, "bank.when-outcome", {"id": qid, "name": n, "allowed": ", ".join(have)})
        for n in names
        if n not in have
    ]


def _own_rules(cond: Any, path: str, line: int, own: _Own) -> list[Problem]:
    """A bare name or list on a follow-up: its question's outcome, or a reviewed step's status."""
    names = [cond] if isinstance(cond, str) else cond
    if own.kind == "step-review":
        have: tuple[str, ...] | None = REVIEW_CONDITIONS
    else:
        have = own.outcomes
    if have is None:
        return [Problem(line, path, "bank.when-no-outcome", {"id": own.id})]
    return [
        Problem(
            line, path, "bank.when-outcome", {"id": own.id, "name": n, "allowed": ", ".join(have)}
        )
        for n in names
        if n not in have
    ]


def _question_rules(
    q: Any, path: str, langs: list[str], seen: dict[str, str], schema2: bool = False
) -> list[Problem]:
    problems: list[Problem] = []
    lines = q.key_lines
    qid, kind = q.get("id"), q.get("kind")
    if isinstance(qid, str):
        if qid in seen:
            problems.append(
                Problem(
                    lines["id"],
                    join(path, "id"),
                    "bank.duplicate-id",
                    {"id": qid, "first": seen[qid]},
                )
            )
        else:
            seen[qid] = path
    for key in ("text", "tip", "low", "high", "label", "say"):
        problems += _langs_present(q, key, join(path, key), langs)
    for j, followup in enumerate(_list(q.get("followups"))):
        fpath, text = join(join(path, "followups"), j), _followup_text(followup)
        problems += _text_langs(
            text, fpath if text is followup else join(fpath, "text"), langs, q.line
        )
    outcome = q.get("outcome")
    if isinstance(outcome, dict):
        problems += _langs_present(outcome, "ask", join(join(path, "outcome"), "ask"), langs)
        options = outcome.get("options")
        if isinstance(options, dict):
            for name, text in options.items():
                where = join(join(join(path, "outcome"), "options"), str(name))
                problems += _text_langs(text, where, langs, key_line(options, name))
    if kind != "scale":
        for key in SCALE_ONLY:
            if key in q:
                problems.append(
                    Problem(lines[key], join(path, key), "bank.scale-only", {"kind": kind})
                )
    else:
        low, high = q.get("min", 0), q.get("max", 10)
        if _is_int(low) and _is_int(high) and low >= high:
            problems.append(
                Problem(
                    lines.get("max", q.line),
                    join(path, "max"),
                    "bank.scale-range",
                    {"min": low, "max": high},
                )
            )
    stepwise = ("step",) if schema2 else ("step", "step-review")
    if kind in stepwise and "followups" in q:
        problems.append(
            Problem(
                lines["followups"], join(path, "followups"), "bank.no-followups", {"kind": kind}
            )
        )
    problems += _placeholder_rules(q, path, schema2)
    return problems


def _followup_text(followup: Any) -> Any:
    """A follow-up's text: the follow-up itself, or its `text` (schema 2's {text, when})."""
    return followup.get("text") if _is_rich(followup) else followup


def _is_rich(followup: Any) -> bool:
    """A schema-2 follow-up {text, when}, not a plain text."""
    return isinstance(followup, dict) and ("text" in followup or "when" in followup)


def _placeholder_rules(q: Any, path: str, schema2: bool = False) -> list[Problem]:
    kind = q.get("kind")
    own = PLACEHOLDERS.get(kind, set()) if kind in ("step-review", "goal-review") else set()
    asked = own | ({"before"} if schema2 and kind == "scale" else set())
    texts: list[tuple[str, Any, set[str]]] = [("text", q.get("text"), asked)]
    if kind in ("scale", "goal-review"):
        allowed_followup = PLACEHOLDERS["scale-followup"] | ({"before"} if schema2 else set())
        allowed_followup |= own
    else:
        allowed_followup = own if schema2 else set()
    for j, followup in enumerate(_list(q.get("followups"))):
        text = _followup_text(followup)
        key = join("followups", j) if text is followup else join(join("followups", j), "text")
        texts.append((key, text, allowed_followup))
    # A goal review's `say` comes once, before the first goal: it has no goal's words.
    texts.append(("say", q.get("say"), set() if kind == "goal-review" else asked))
    for key in ("tip", "low", "high", "label"):
        texts.append((key, q.get(key), set()))
    problems = []
    for key, value, allowed in texts:
        if not isinstance(value, dict):
            continue
        for lang, text in value.items():
            if not isinstance(text, str):
                continue
            earlier = schema2 and key not in ("tip", "low", "high", "label")
            bad = _bad_placeholder(text, allowed, earlier)
            if bad is not None:
                line = getattr(value, "key_lines", {}).get(lang, q.line)
                shown = sorted(allowed) + (["prev:ID", "first:ID"] if earlier else [])
                problems.append(
                    Problem(
                        line,
                        join(join(path, key), lang),
                        "bank.placeholder",
                        {"name": bad, "allowed": ", ".join(shown) or "-"},
                    )
                )
    return problems


def _bad_placeholder(text: str, allowed: set[str], earlier: bool = False) -> str | None:
    """The first placeholder not allowed; `earlier` allows {prev:ID} and {first:ID}."""
    import re

    try:
        parts = [
            (f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f is not None
        ]
    except ValueError:
        return "{"
    for name, spec, conv in parts:
        if (
            earlier
            and name in ("prev", "first")
            and not conv
            and re.fullmatch(ID_PATTERN, spec or "")
        ):
            continue
        if name not in allowed or spec or conv:  # {value:>3} or {value!r} would crash a meeting
            return "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
    return None


def _langs_present(obj: Any, key: str, path: str, langs: list[str]) -> list[Problem]:
    if key not in obj:
        return []
    return _text_langs(obj[key], path, langs, obj.key_lines.get(key, obj.line))


def _text_langs(value: Any, path: str, langs: list[str], line: int) -> list[Problem]:
    if not isinstance(value, dict):
        return []
    line = getattr(value, "line", line)
    return [
        Problem(line, join(path, lang), "bank.missing-lang") for lang in langs if lang not in value
    ]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


# --- loading -------------------------------------------------------------------


def validate_file(path: Path) -> list[BankProblem]:
    """Every problem in one bank file, as (file, line, key path, message key)."""
    return parse(path)[1]


def parse(
    path: Path, find: Callable[[Any], list[Problem]] | None = None
) -> tuple[Any, list[BankProblem]]:
    """The file's data (with lines) and every problem `find` (by default the bank
    checks) sees in it; a file that cannot be read or parsed is one problem."""
    name = str(path)
    try:
        fsio.require_regular(path)  # a FIFO would block the read below forever
        data = load_located(read_text(path, MAX_BANK_BYTES))
    except YamlError as e:
        return None, [BankProblem(name, e.line or 1, "", e.key, e.params)]
    except FileNotFoundError:
        return None, [BankProblem(name, 0, "", "bank.no-file", {})]
    except IsADirectoryError:
        return None, [BankProblem(name, 0, "", "bank.is-dir", {})]
    except fsio.NotRegular:
        return None, [BankProblem(name, 0, "", "bank.not-file", {})]
    except OSError as e:
        return None, [BankProblem(name, 0, "", "bank.unreadable", {"reason": e.strerror})]
    found = (find or problems_in)(data)
    return data, [BankProblem(name, p.line, p.path, p.key, p.params) for p in found]


def load_file(path: Path, builtin: bool = False) -> Bank:
    """A valid bank, from the cache when the file is unchanged since it was checked."""
    cached = _from_cache(path)
    if cached is not None:
        try:
            return _build(cached, str(path), builtin)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            pass  # a damaged cache entry is a miss: checked again below, and rewritten
    data, problems = parse(path)
    if problems:
        raise InvalidBank(problems)
    _to_cache(path, data)
    return _build(data, str(path), builtin)


# Parsing and validating a bank costs ~15 ms plus importing PyYAML, on every start;
# a checked bank is kept as JSON in the user cache folder, keyed by file and version.
def _cache_file(path: Path) -> tuple[Path, list[Any]] | None:
    import hashlib

    from sfcoach import __version__
    from sfcoach.paths import cache_dir

    try:
        info = path.stat()
        real = str(path.resolve())
    except OSError:
        return None
    name = hashlib.sha256(real.encode()).hexdigest()[:24]
    return cache_dir() / "banks" / f"{name}.json", [
        real,
        info.st_mtime_ns,
        info.st_size,
        __version__,
    ]


def _from_cache(path: Path) -> Any:
    import json

    found = _cache_file(path)
    if found is None:
        return None
    try:
        entry = json.loads(found[0].read_text(encoding="utf-8"))
        return entry["data"] if entry.get("key") == found[1] else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _to_cache(path: Path, data: Any) -> None:
    import json

    from sfcoach import privacy
    from sfcoach.fsio import write_atomic

    found = _cache_file(path)
    if found is None:
        return
    try:
        privacy.make_private_dir(found[0].parent)
        entry = {"key": found[1], "data": _plain(data)}
        write_atomic(found[0], json.dumps(entry, ensure_ascii=False).encode())
    except OSError:
        pass  # a cache that cannot be written is only a slower start


def _build(data: Any, source: str, builtin: bool) -> Bank:
    phases = []
    for p in data["phases"]:
        questions = tuple(_question(q, p["id"]) for q in p["questions"])
        phases.append(
            Phase(
                p["id"],
                questions,
                _text(p.get("purpose")),
                tuple(_given_text(x) for x in p.get("tips", [])),
            )
        )
    return Bank(
        id=data["id"],
        title=_given_text(data["title"]),
        languages=tuple(data["languages"]),
        phases=tuple(phases),
        version=data.get("version", 1),
        description=_text(data.get("description")),
        schema=data.get("schema", 1),
        source=source,
        builtin=builtin,
        raw=_plain(data),
    )


def _question(q: dict[str, Any], phase: str) -> Question:
    kind = q["kind"]
    category = q.get("category") or (
        "step"
        if kind in ("step", "step-review")
        else "scaling"
        if kind == "goal-review"
        else DEFAULT_CATEGORY[phase]
    )
    followups = q.get("followups", [])
    return Question(
        id=q["id"],
        kind=kind,
        text=_given_text(q["text"]),
        category=category,
        followups=tuple(_given_text(_followup_text(f)) for f in followups),
        tip=_text(q.get("tip")),
        min=q.get("min", 0),
        max=q.get("max", 10),
        low=_text(q.get("low")),
        high=_text(q.get("high")),
        label=_text(q.get("label")),
        when=_when(q["when"]) if "when" in q else None,
        say=_text(q.get("say")),
        outcome=_outcome(q.get("outcome")),
        followup_when=tuple(
            _when(f["when"], kind) if _is_rich(f) and "when" in f else None for f in followups
        ),
        optional=bool(q.get("optional", False)),
        goal=q.get("goal"),
    )


def _outcome(value: Any) -> Outcome | None:
    if value is None:
        return None
    options = tuple((str(name), dict(text)) for name, text in value["options"].items())
    return Outcome(dict(value["ask"]), options)


def _when(value: Any, kind: str = "") -> When:
    """A checked condition as data; a bare name or list on a follow-up is its question's
    outcome, or on a step review the step's status."""
    if isinstance(value, (str, list)):
        names = (value,) if isinstance(value, str) else tuple(value)
        return When("status" if kind == "step-review" else "own", values=names)
    parts = tuple(_when_part(k, v, kind) for k, v in value.items())
    return parts[0] if len(parts) == 1 else When("all", parts=parts)


WHEN_KEYS: dict[str, WhenKind] = {
    k: k for k in ("all", "any", "answered", "skipped", "previous", "at_most", "at_least")
}


def _when_part(key: str, value: Any, kind: str) -> When:
    form = WHEN_KEYS.get(key)
    if form in ("all", "any"):
        return When(form, parts=tuple(_when(v, kind) for v in value))
    if form in ("answered", "skipped", "previous"):
        return When(form, ref=value)
    if form in ("at_most", "at_least"):
        return When(form, number=value)
    if key == "change":
        return When("change", values=(value,))
    return When("outcome", ref=key, values=(value,) if isinstance(value, str) else tuple(value))


def _text(value: Any) -> dict[str, str] | None:
    return dict(value) if value is not None else None


def _given_text(value: Any) -> dict[str, str]:
    """A text the bank's schema requires, so it is there."""
    return dict(value)


def key_line(mapping: Any, key: str | None = None) -> int:
    """The line of a key of a mapping read by `yamlio.load_located`, or of the mapping."""
    line: int = mapping.line if key is None else mapping.key_lines[key]
    return line


def _plain(value: Any) -> Any:
    """LMap/LSeq back to dict/list, so JSON output has the YAML's keys and nothing else."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- lookup --------------------------------------------------------------------


def builtin_dir() -> Path:
    """The banks inside the installed package, else the repository's questions/."""
    here = Path(__file__).resolve().parent
    packaged = here / "questions"
    return packaged if packaged.is_dir() else here.parent / "questions"


def builtin_files() -> list[Path]:
    return sorted(builtin_dir().glob("*.yaml"))


def builtin_ids() -> list[str]:
    return [p.stem for p in builtin_files()]


# Short names a practitioner types for a built-in bank, besides its titles in any language.
SHORT_NAMES = {"avstämning": "check-in", "avslutande": "closing", "övning": "practice"}


def load_builtin(bank_id: str) -> Bank:
    path = builtin_dir() / f"{bank_id}.yaml"
    if not _is_safe_id(bank_id) or not path.is_file():
        found = builtin_by_name(bank_id)
        if found is None:
            raise UserError("bank.unknown", id=bank_id, known=", ".join(builtin_ids()))
        path = builtin_dir() / f"{found}.yaml"
    return load_file(path, builtin=True)


def builtin_by_name(name: str) -> str | None:
    """The id of the built-in bank titled `name` in any language (`nybesök`, `First
    visit`), or known by a short name, whatever the case; None for no such bank."""
    wanted = " ".join(name.split()).casefold()
    if wanted in SHORT_NAMES:
        return SHORT_NAMES[wanted]
    for path in builtin_files():  # only on a miss, so the titles are read only then
        titles = load_file(path, builtin=True).title.values()
        if any(title.casefold() == wanted for title in titles):
            return path.stem
    return None


def resolve(ref: str) -> Bank:
    """A built-in bank's id, or the path of a bank file."""
    if _is_safe_id(ref) and (builtin_dir() / f"{ref}.yaml").is_file():
        return load_builtin(ref)
    path = Path(ref).expanduser()
    if path.suffix in (".yaml", ".yml") or path.exists() or "/" in ref:
        if not path.is_file():
            raise UserError("bank.no-such-file", path=ref)
        return load_file(path)
    return load_builtin(ref)


def _is_safe_id(value: str) -> bool:
    import re

    return re.fullmatch(ID_PATTERN, value) is not None


def catalogue() -> list[dict[str, Any]]:
    """The built-in banks as `bank list --json` shows them."""
    rows = []
    for path in builtin_files():
        b = load_file(path, builtin=True)
        rows.append(
            {
                "id": b.id,
                "title": b.title,
                "languages": list(b.languages),
                "questions": len(b.questions),
                "description": b.description,
            }
        )
    return rows
