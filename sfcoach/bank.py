"""Question banks: the format, validation with file:line:key.path, loading, lookup."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from sfcoach import fsio
from sfcoach.errors import UserError
from sfcoach.i18n import LANGS
from sfcoach.models import CATEGORIES, KINDS, PHASES, Bank, Phase, Question
from sfcoach.schema import Int, List, Obj, Problem, Str, Text, check, join, to_json_schema
from sfcoach.yamlio import YamlError, load_located, read_text

BANK_SCHEMA_VERSION = 1
MAX_BANK_BYTES = 1_000_000
ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,39}"

QUESTION = Obj(
    fields={
        "id": Str(pattern=ID_PATTERN),
        "kind": Str(enum=KINDS),
        "category": Str(enum=CATEGORIES),
        "text": Text(),
        "tip": Text(),
        "followups": List(Text()),
        "min": Int(minimum=-100, maximum=100),
        "max": Int(minimum=-100, maximum=100),
        "low": Text(),
        "high": Text(),
        "label": Text(max_len=60),
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
        "schema": Int(enum=(BANK_SCHEMA_VERSION,)),
        "id": Str(pattern=ID_PATTERN),
        "version": Int(minimum=1),
        "languages": List(Str(enum=LANGS), min_items=1),
        "title": Text(max_len=200),
        "description": Text(),
        "phases": List(PHASE, min_items=1),
    },
    required=("schema", "id", "languages", "title", "phases"),
)

SCALE_ONLY = ("min", "max", "low", "high", "label")
PLACEHOLDERS = {"scale-followup": {"value", "next", "min", "max"}, "step-review": {"step"}}
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
    return schema


# --- validation ----------------------------------------------------------------


def problems_in(data: Any) -> list[Problem]:
    """Every problem in a parsed bank: structure first, then the rules between keys."""
    if not isinstance(data, dict):
        return [Problem(getattr(data, "line", 1), "", "bank.not-mapping")]
    version = data.get("schema")
    if "schema" in data and version != BANK_SCHEMA_VERSION:
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
                problems += _question_rules(question, qpath, langs, seen_questions)
    return problems


def _question_rules(q: Any, path: str, langs: list[str], seen: dict[str, str]) -> list[Problem]:
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
    for key in ("text", "tip", "low", "high", "label"):
        problems += _langs_present(q, key, join(path, key), langs)
    for j, followup in enumerate(_list(q.get("followups"))):
        problems += _text_langs(followup, join(join(path, "followups"), j), langs, q.line)
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
    if kind in ("step", "step-review") and "followups" in q:
        problems.append(
            Problem(
                lines["followups"], join(path, "followups"), "bank.no-followups", {"kind": kind}
            )
        )
    problems += _placeholder_rules(q, path)
    return problems


def _placeholder_rules(q: Any, path: str) -> list[Problem]:
    kind = q.get("kind")
    texts: list[tuple[str, Any, set[str]]] = [
        ("text", q.get("text"), PLACEHOLDERS["step-review"] if kind == "step-review" else set())
    ]
    allowed_followup = PLACEHOLDERS["scale-followup"] if kind == "scale" else set()
    for j, followup in enumerate(_list(q.get("followups"))):
        texts.append((join("followups", j), followup, allowed_followup))
    for key in ("tip", "low", "high", "label"):
        texts.append((key, q.get(key), set()))
    problems = []
    for key, value, allowed in texts:
        if not isinstance(value, dict):
            continue
        for lang, text in value.items():
            if not isinstance(text, str):
                continue
            bad = _bad_placeholder(text, allowed)
            if bad is not None:
                line = getattr(value, "key_lines", {}).get(lang, q.line)
                problems.append(
                    Problem(
                        line,
                        join(join(path, key), lang),
                        "bank.placeholder",
                        {"name": bad, "allowed": ", ".join(sorted(allowed)) or "-"},
                    )
                )
    return problems


def _bad_placeholder(text: str, allowed: set[str]) -> str | None:
    try:
        parts = [
            (f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f is not None
        ]
    except ValueError:
        return "{"
    for name, spec, conv in parts:
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
        source=source,
        builtin=builtin,
        raw=_plain(data),
    )


def _question(q: dict[str, Any], phase: str) -> Question:
    kind = q["kind"]
    category = q.get("category") or (
        "step" if kind in ("step", "step-review") else DEFAULT_CATEGORY[phase]
    )
    return Question(
        id=q["id"],
        kind=kind,
        text=_given_text(q["text"]),
        category=category,
        followups=tuple(_given_text(f) for f in q.get("followups", [])),
        tip=_text(q.get("tip")),
        min=q.get("min", 0),
        max=q.get("max", 10),
        low=_text(q.get("low")),
        high=_text(q.get("high")),
        label=_text(q.get("label")),
    )


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


def load_builtin(bank_id: str) -> Bank:
    path = builtin_dir() / f"{bank_id}.yaml"
    if not _is_safe_id(bank_id) or not path.is_file():
        raise UserError("bank.unknown", id=bank_id, known=", ".join(builtin_ids()))
    return load_file(path, builtin=True)


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
