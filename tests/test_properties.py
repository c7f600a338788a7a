"""Properties over generated input: the bank loader and the conversation engine.

Hypothesis runs derandomized and without an example database, so every run tries
the same inputs: a failure here is reproducible, never a flake.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

import yaml
from helpers import ROOT, engine_for
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sfcoach import sessionfile, yamlio
from sfcoach.bank import SCHEMA2_KINDS, InvalidBank, load_file, validate_file
from sfcoach.engine import MAX_ANSWER, Engine
from sfcoach.i18n import t
from sfcoach.models import CATEGORIES, KINDS, PHASES, STEP_STATUSES, Bank, Session

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def bank_file(content: str | bytes, suffix: str = ".yaml") -> Path:
    """A fresh file per example, so the bank cache (keyed by path) never mixes them."""
    folder = Path(tempfile.mkdtemp(prefix="bank-"))
    path = folder / f"bank{suffix}"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def check_loader(path: Path) -> None:
    """validate_file never raises; load_file agrees with it; every problem renders."""
    problems = validate_file(path)
    event(f"first problem: {problems[0].key}" if problems else "valid")
    assert isinstance(problems, list)
    for p in problems:
        message = t(p.key, "en", **p.params)  # what `bank validate` prints
        assert isinstance(message, str) and message and p.line >= 0
    try:
        bank = load_file(path)
    except InvalidBank as e:
        assert problems, "load_file refused a bank that validate_file passed"
        assert "\n" not in e.message("en") and e.message("sv")
    else:
        assert problems == [], "load_file accepted a bank that validate_file refused"
        assert isinstance(bank, Bank) and bank.questions


# --- the bank loader on anything -------------------------------------------------------

YAML_BITS = st.sampled_from(
    [
        "schema: 1\n", "schema: 2\n", "id: x\n", "id: Bad Id\n", "version: 0\n",
        "languages: [sv, en]\n", "languages: [sv, sv]\n", "title: {sv: T, en: T}\n",
        "phases:\n", "- id: P\n", "- id: S\n", "  questions:\n", "    - id: q\n",
        "    - id: q\n", "      kind: scale\n", "      kind: step-review\n",
        "      text: {sv: '{step}', en: '{value:>3}'}\n", "      min: 5\n", "      max: 1\n",
        "      followups:\n", "        - {sv: '{next}', en: '{x}'}\n", "&a ", "*a", "<<: *a\n",
        "!!python/object/apply:os.system ['true']\n", "!!int x", "!!binary ?", "!!set {a}",
        "!!timestamp 2001-02-30", "!!float nan", "[", "]", "{", "}", ": ", "- ", "? ", "\n",
        "  ", "\t", "'", '"', "#", "|\n", ">-\n", "~", "null", "yes", "0x1F", "1e400",
        "2001-02-30", "{value}", "%YAML 1.1\n", "---\n", "...\n", "\ufeff", "\x00", "\x85",
        "\u2028", "é", "å", "🙂", "9" * 5000,
    ]
)  # fmt: skip
YAMLISH = st.lists(st.one_of(YAML_BITS, st.text(max_size=6)), max_size=40).map("".join)


SEEDS = [
    (ROOT / "tests" / "banks" / name).read_text(encoding="utf-8")
    for name in ("engine.yaml", "sample.yaml")
] + [(ROOT / "questions" / "check-in.yaml").read_text(encoding="utf-8")]
VALUE_BITS = st.sampled_from(
    [
        "5", "-1", "101", "0", "2", "[]", "{}", "~", "''", "yes", "1e9", "text", "scale", "step",
        "step-review", "P", "L", "S", "Z", "[sv, de]", "[en]", "{sv: x}", "{en: x, sv: ''}",
        "{sv: '{value}', en: '{next}'}", "{sv: '{step}', en: '{step!r}'}", "{de: x}", "Bad-ID",
        "a" * 45, "{sv: [x], en: 1}", "[{id: S}, {id: P}]", "coping", "miracle", "&x [1]", "*x",
    ]
)  # fmt: skip


@st.composite
def mutated_banks(draw) -> str:
    """A real bank with a few lines deleted, doubled, moved or given other values, so
    most of the validator's rules get exercised, not only the YAML parser."""
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["value", "value", "delete", "double", "move", "insert"]))
        line = lines[i]
        if op == "value" and ": " in line:
            key = line.split(": ", 1)[0]
            lines[i] = f"{key}: {draw(VALUE_BITS)}\n"
        elif op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "double":
            lines.insert(i, line)
        elif op == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(i))
        elif op == "insert":
            lines.insert(i, draw(YAML_BITS))
    return "".join(lines)


@settings(max_examples=300, **SETTINGS)
@given(text=st.one_of(mutated_banks(), mutated_banks(), YAMLISH, st.text(max_size=200)))
def test_the_bank_loader_never_crashes_on_any_text(text):
    check_loader(bank_file(text))


@settings(max_examples=60, **SETTINGS)
@given(data=st.binary(max_size=300))
def test_the_bank_loader_never_crashes_on_any_bytes(data):
    check_loader(bank_file(data))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["sv", "en", "P", "L", "U", "S", "text", "scale", "step", "step-review"]),
)
ANYTHING = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.one_of(st.text(max_size=8), st.integers(), st.booleans()), inner, max_size=4
        )
    ),
    max_leaves=25,
)


def shaped(keys: list[str], value) -> st.SearchStrategy:
    return st.fixed_dictionaries({}, optional={k: value for k in keys})


QUESTIONISH = shaped(
    [
        "id",
        "kind",
        "category",
        "text",
        "tip",
        "followups",
        "min",
        "max",
        "low",
        "high",
        "label",
        "x",
    ],
    ANYTHING,
)
PHASEISH = st.fixed_dictionaries(
    {}, optional={"id": ANYTHING, "purpose": ANYTHING, "tips": ANYTHING,
                  "questions": st.lists(QUESTIONISH | ANYTHING, max_size=3)}
)  # fmt: skip
BANKISH = st.fixed_dictionaries(
    {}, optional={"schema": ANYTHING, "id": ANYTHING, "version": ANYTHING,
                  "languages": ANYTHING, "title": ANYTHING, "description": ANYTHING,
                  "phases": st.lists(PHASEISH | ANYTHING, max_size=3)}
)  # fmt: skip


@settings(max_examples=200, **SETTINGS)
@given(data=st.one_of(ANYTHING, BANKISH), as_json=st.booleans())
def test_the_bank_loader_never_crashes_on_any_structure(data, as_json):
    if as_json:
        text = json.dumps(data, ensure_ascii=False, default=str)
    else:
        text = yaml.safe_dump(data, allow_unicode=True)
    check_loader(bank_file(text))


# --- valid banks ---------------------------------------------------------------------

WORDS = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="{}"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip())
IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,39}", fullmatch=True)


def texts(words=WORDS) -> st.SearchStrategy:
    return st.fixed_dictionaries({"sv": words, "en": words})


@st.composite
def questions(draw, qid: str) -> dict:
    kind = draw(st.sampled_from([k for k in KINDS if k not in SCHEMA2_KINDS]))  # schema 1
    q = {"id": qid, "kind": kind, "text": draw(texts())}
    if draw(st.booleans()):
        q["category"] = draw(st.sampled_from(CATEGORIES))
    if draw(st.booleans()):
        q["tip"] = draw(texts())
    if kind in ("text", "scale") and draw(st.booleans()):
        q["followups"] = draw(st.lists(texts(), min_size=1, max_size=3))
    if kind == "scale":
        if draw(st.booleans()):
            low = draw(st.integers(-100, 99))
            q["min"], q["max"] = low, draw(st.integers(low + 1, 100))
        for key in ("low", "high"):
            if draw(st.booleans()):
                q[key] = draw(texts())
        if draw(st.booleans()):
            q["label"] = draw(texts(WORDS.filter(lambda s: len(s) <= 60)))
    return q


@st.composite
def valid_banks(draw) -> dict:
    phase_ids = draw(st.lists(st.sampled_from(PHASES), min_size=1, max_size=4, unique=True))
    phase_ids.sort(key=PHASES.index)
    counts = [draw(st.integers(1, 3)) for _ in phase_ids]
    qids = iter(draw(st.lists(IDS, min_size=sum(counts), max_size=sum(counts), unique=True)))
    phases = []
    for pid, n in zip(phase_ids, counts, strict=True):
        phase = {"id": pid, "questions": [draw(questions(next(qids))) for _ in range(n)]}
        if draw(st.booleans()):
            phase["purpose"] = draw(texts())
        if draw(st.booleans()):
            phase["tips"] = draw(st.lists(texts(), max_size=2))
        phases.append(phase)
    bank = {
        "schema": 1,
        "id": draw(IDS),
        "version": draw(st.integers(1, 10**6)),
        "languages": draw(st.sampled_from([["sv", "en"], ["en", "sv"], ["sv"], ["en"]])),
        "title": draw(texts()),
        "phases": phases,
    }
    if draw(st.booleans()):
        bank["description"] = draw(texts())
    return bank


@settings(max_examples=150, **SETTINGS)
@given(bank=valid_banks(), style=st.sampled_from(["yamlio", "json", "flow"]))
def test_every_valid_bank_validates_clean_and_loads_as_written(bank, style):
    if style == "json":
        text = json.dumps(bank, ensure_ascii=False, indent=1)
    elif style == "flow":
        text = yaml.safe_dump(bank, allow_unicode=True, default_flow_style=True, width=80)
    else:
        text = yamlio.dump(bank)
    path = bank_file(text)
    assert validate_file(path) == []
    loaded = load_file(path)
    assert [q.id for _, q in loaded.questions] == [
        q["id"] for p in bank["phases"] for q in p["questions"]
    ]
    assert [p.id for p in loaded.phases] == [p["id"] for p in bank["phases"]]
    assert (loaded.id, loaded.version, loaded.title) == (bank["id"], bank["version"], bank["title"])
    for (_, q), raw in zip(
        loaded.questions, [q for p in bank["phases"] for q in p["questions"]], strict=True
    ):
        assert (q.kind, q.text, q.min, q.max) == (
            raw["kind"], raw["text"], raw.get("min", 0), raw.get("max", 10)
        )  # fmt: skip
        assert [dict(f) for f in q.followups] == raw.get("followups", [])
    assert load_file(path) == loaded  # the second time from the cache: the same bank


# --- the conversation engine, line by line -------------------------------------------

BANK = load_file(ROOT / "tests" / "banks" / "engine.yaml")
QUESTIONS = {q.id: q for _, q in BANK.questions}
AT = "2026-11-23T10:00:00+01:00"

COMMAND_LINES = st.sampled_from(
    [
        "/back", "/tillbaka", "/BACK", "/skip", "/hoppa", "/phase S", "/phase P", "/fas l",
        "/phase U", "/phase X", "/phase", "/phase SS", "/end", "/avsluta", "/note en anteckning",
        "/notera", "/step Ringa banken", "/steg", "/pause", "/help", "/?", "/tips", "/nonsense",
        "/", "//", "//x", "// /back", "y", "n", "j", "ja", "", " ", "\t", "klart", "delvis",
        "inte", "not yet", "done.", "Partly!", "0", "1", "2", "3", "5", "10", "11", "-1", "+5",
        " 7 ", "007", "1.5", "٣", "²", "Ett svar med å ä ö", "x" * 300,
    ]
)  # fmt: skip
HOT_LINES = st.sampled_from(["/end", "y", "/back", "/phase S", "0", "5", "10", "", "an answer"])
LINES = st.lists(
    st.one_of(
        COMMAND_LINES, HOT_LINES, HOT_LINES, st.integers(-2, 12).map(str), st.text(max_size=20)
    ),
    max_size=60,
)
CARRIED = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["Ringa banken", "Gå ut"]), st.text(min_size=1, max_size=8)),
        st.sampled_from(STEP_STATUSES),
        st.sampled_from(["20261001-100000-aaaa", "20260901-100000-bbbb", None]),
    ),
    max_size=3,
)


def new_engine(lang: str, carried) -> Engine:
    return engine_for(BANK, lang, carried, {"progress": 4})


def check_round_trip(engine: Engine) -> None:
    """The session survives its own file format exactly, and resumes where it stands."""
    s = engine.session
    data = sessionfile.to_dict(s)
    text = sessionfile.to_yaml(s)
    assert yamlio.load(text) == data
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data  # the first save is JSON
    again = sessionfile.from_dict(yamlio.load(text))
    assert sessionfile.to_dict(again) == data
    resumed = Engine(BANK, again, {"progress": 4}, clock=lambda: AT)
    assert resumed.prompt() == engine.prompt()
    assert sessionfile.to_dict(resumed.session) == data  # resuming moves nothing


def holder(s: Session, qid: str):
    return s.rating(qid) if QUESTIONS[qid].kind == "scale" else s.answer(qid)


def check_nothing_lost(s: Session, expected: dict) -> None:
    """Every answer still in force is in the session where it belongs: a text answer
    as its question's text, a follow-up among its question's follow-ups under the bank
    number it was asked as, a step among the steps recorded at its question (counted,
    so two equal answers need two)."""
    followups: dict[str, Counter] = {}
    steps: dict[str, Counter] = {}
    for (qid, kind, stage), text in expected.items():
        if kind == "text":
            answer = s.answer(qid)
            assert answer is not None and answer.text == text, (qid, text)
        elif kind == "followup":
            followups.setdefault(qid, Counter())[text] += 1
            h = holder(s, qid)
            by_n = {f.n: f.answer for f in (h.followups if h else [])}
            assert by_n.get(stage) == text, f"follow-up {stage} to {qid}: {by_n}"
        else:
            steps.setdefault(qid, Counter())[text] += 1
    for qid, want in followups.items():
        h = holder(s, qid)
        have = Counter(f.answer for f in (h.followups if h else []))
        assert not want - have, f"follow-up answers to {qid} lost: {want - have}"
    for qid, want in steps.items():
        have = Counter(x.text for x in s.steps if x.question == qid and x.from_session == s.id)
        assert not want - have, f"steps at {qid} lost: {want - have}"


def counts(s: Session) -> tuple[int, ...]:
    return len(s.answers), len(s.ratings), len(s.steps), len(s.notes)


def drive(lang: str, carried, lines: list[str], check_lost: bool) -> None:
    engine = new_engine(lang, carried)
    check_round_trip(engine)
    expected: dict[tuple[str, str, int], str] = {}
    for line in lines:
        s = engine.session
        before, asked = counts(s), engine.prompt()
        answering = not (engine.done or engine.confirming or engine.pos is None)
        engine.handle(line)  # never raises
        check_round_trip(engine)
        after = counts(s)
        assert all(a >= b for a, b in zip(after, before, strict=True)), (line, before, after)
        for r in s.ratings:
            q = QUESTIONS[r.scale]
            assert (r.min, r.max) == (q.min, q.max) and q.min <= r.value <= q.max
        for h in [*s.answers, *s.ratings]:  # follow-ups by bank number: one each, in order
            numbers = [f.n for f in h.followups]
            bank_count = len(QUESTIONS[getattr(h, "question", None) or h.scale].followups)
            assert numbers == sorted(set(numbers)), numbers
            assert all(1 <= n <= bank_count for n in numbers), numbers
        for qid in s.skipped:  # a skipped question has no answer of its own
            if QUESTIONS[qid].kind == "text":
                assert s.answer(qid) is None or not s.answer(qid).text, qid
            elif QUESTIONS[qid].kind == "scale":
                assert s.rating(qid) is None, qid
        text = line.strip()
        if not answering or (text.startswith("/") and not text.startswith("//")):
            continue
        text = text[1:] if text.startswith("//") else text
        if not text or len(text) > MAX_ANSWER:
            continue
        qid = asked.question.id
        if asked.kind in ("text", "followup", "step"):
            expected[(qid, asked.kind, asked.stage)] = text
        elif asked.kind == "scale" and text.lstrip("+-").isdigit():
            try:
                value = int(text)
            except ValueError:
                continue
            if asked.question.min <= value <= asked.question.max:
                assert s.rating(qid).value == value
        if check_lost:
            check_nothing_lost(s, expected)
    if check_lost:
        check_nothing_lost(engine.session, expected)
    event(f"reached: {engine.prompt().kind}, status {engine.session.status}")
    event(
        f"answers kept: {min(len(expected), 5)}+"
        if len(expected) >= 5
        else f"answers kept: {len(expected)}"
    )


@settings(max_examples=400, **SETTINGS)
@given(lang=st.sampled_from(["sv", "en"]), carried=CARRIED, lines=LINES)
def test_any_lines_keep_the_session_whole_and_resumable(lang, carried, lines):
    drive(lang, carried, lines, check_lost=False)


@settings(max_examples=400, **SETTINGS)
@given(lang=st.sampled_from(["sv", "en"]), carried=CARRIED, lines=LINES)
def test_no_accepted_answer_is_ever_lost(lang, carried, lines):
    drive(lang, carried, lines, check_lost=True)


def test_a_follow_up_answer_survives_a_re_rating():
    e = new_engine("en", [])
    for line in ("Hopes", "", "Miracle", "Works", "0"):
        e.handle(line)
    assert e.prompt().stage == 2  # '{value} and not 0?' makes no sense at 0: skipped
    e.handle("One would be a walk")
    e.handle("/phase S")
    e.handle("5")
    assert e.prompt().stage == 1 and e.prompt().prefill == ""  # nothing was said to this one
    e.handle("I open the post")
    answers = [f.answer for f in e.session.rating("progress").followups]
    assert "One would be a walk" in answers and "I open the post" in answers
    # Each under the follow-up it answered: the one skipped at 0 never shifted the other.
    assert [(f.n, f.text, f.answer) for f in e.session.rating("progress").followups] == [
        (1, "What puts you at 5 and not 0?", "I open the post"),
        (2, "What would 1 look like?", "One would be a walk"),
    ]
    # and so they stay, through the file and a resume
    data = sessionfile.to_dict(e.session)
    assert [f["n"] for f in data["ratings"][0]["followups"]] == [1, 2]
    again = sessionfile.from_dict(yamlio.load(sessionfile.to_yaml(e.session)))
    assert again.rating("progress").followups == e.session.rating("progress").followups
    resumed = Engine(BANK, again, {"progress": 4}, clock=lambda: AT)
    assert resumed.prompt() == e.prompt()
