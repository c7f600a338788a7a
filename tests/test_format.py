"""The session file format: versioned, with a converter from every older version, and
a file written by the first released format (schema 1) that must always load.

tests/sessions/schema1-first-release.yaml was written by a real plain-mode meeting
(`sfcoach start --plain`, first-visit bank, Swedish, --date 2026-03-02T10:00) and
copied unchanged. Never regenerate it: it stands for files already out there.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, SFCOACH, lines, no_traceback, sf, sf_json

from sfcoach import sessionfile, yamlio
from sfcoach.models import (
    SESSION_SCHEMA,
    Answer,
    Feedback,
    Followup,
    Note,
    OwnQuestion,
    PracticeRound,
    Rating,
    Session,
    Step,
)
from sfcoach.sessionfile import CONVERTERS, BadSession
from sfcoach.store import Store

FIRST_RELEASE = ROOT / "tests" / "sessions" / "schema1-first-release.yaml"
FIRST_ID = "20260302-100000-000dd"
FIRST_CLIENT = "K-Ö7"


def raw_first() -> dict:
    return yaml.safe_load(FIRST_RELEASE.read_text(encoding="utf-8"))


def raw_first_as_read() -> dict:
    """The fixture's content as sfcoach reads it: the first release wrote follow-ups
    without their bank number, so each is numbered by its place (1, 2, ...)."""
    raw = raw_first()
    for holder in raw["answers"] + raw["ratings"]:
        for n, f in enumerate(holder["followups"], 1):
            assert "n" not in f  # as the first release wrote them
            f["n"] = n
    return raw


def place_first(store_dir: Path) -> Path:
    """The first-release file where a store keeps it: STORE/<client>/<id>.yaml (Store.load
    checks that a file sits where its content says it belongs)."""
    folder = store_dir / FIRST_CLIENT
    folder.mkdir(parents=True, mode=0o700)
    store_dir.chmod(0o700)
    path = folder / f"{FIRST_ID}.yaml"
    shutil.copyfile(FIRST_RELEASE, path)
    path.chmod(0o600)
    return path


def load_first(store_dir: Path) -> Session:
    return Store(store_dir).load(place_first(store_dir))


@pytest.fixture
def first_in_store(store_dir) -> Path:
    return place_first(store_dir)


# --- the first released format ------------------------------------------------------------


def test_the_fixture_is_a_schema_1_file_with_everything_in_it():
    raw = raw_first()
    assert raw["schema"] == 1 and raw["id"] == FIRST_ID and raw["client"] == FIRST_CLIENT
    assert raw["status"] == "completed" and raw["lang"] == "sv"
    assert any(a["followups"] for a in raw["answers"]) and raw["ratings"] and raw["steps"]
    assert raw["notes"] and "å" in FIRST_RELEASE.read_text(encoding="utf-8")


def test_a_file_of_the_first_released_format_loads_with_all_its_content(store_dir):
    s = load_first(store_dir)
    assert (s.id, s.client, s.meeting, s.lang, s.status) == (
        FIRST_ID, FIRST_CLIENT, "first-visit", "sv", "completed"
    )  # fmt: skip
    assert (s.bank_id, s.bank_version, s.bank_source) == ("first-visit", 1, "builtin")
    assert s.practitioner == "Åke Påhittad" and s.practice is False
    assert s.started == "2026-03-02T10:00:00+00:00" and s.ended.startswith("2026-03-02")
    assert len(s.answers) == 16
    hopes = s.answer("best-hopes")
    assert hopes.phase == "P" and hopes.text == "Att få ordning på räkningarna och må bättre"
    assert hopes.asked == "Vad hoppas du ska komma ut av vårt möte i dag?"
    assert [f.answer for f in hopes.followups] == [
        "Jag skulle sova lugnare på nätterna",
        "Min dotter skulle märka att jag är gladare",
    ]
    assert hopes.followups[0].text == "Vad skulle det göra för skillnad för dig?"
    assert [f.n for f in hopes.followups] == [1, 2]  # no number in the file: by place
    assert s.answer("miracle").followups[1].answer == "Grannen Åsa skulle säga hej först"
    assert [(r.scale, r.value, r.min, r.max, r.label) for r in s.ratings] == [
        ("progress", 4, 0, 10, "Framsteg"),
        ("confidence", 6, 0, 10, "Tilltro"),
        ("good-enough", 7, 0, 10, "Bra nog"),
    ]
    assert s.ratings[0].followups[0] == Followup(
        "Vad gör att du är på 4 och inte på 0?", "Att jag faktiskt har börjat öppna posten", 1
    )
    assert [(x.text, x.status, x.from_session, x.question) for x in s.steps] == [
        ("Ringa banken på måndag förmiddag", "agreed", FIRST_ID, "next-step"),
        ("Sortera kvitton i en pärm – 15 minuter", "agreed", FIRST_ID, "next-step"),
    ]
    assert [n.text for n in s.notes] == [
        "Klienten verkade mer hoppfull efter mirakelfrågan; följ upp nästa gång."
    ]
    assert s.cursor.confirm is True and s.cursor.question is None and len(s.cursor.back) > 20
    # Nothing in the file is dropped on the way in: written back, every list is the same
    # (follow-ups gain the number they were read with).
    again = sessionfile.to_dict(s)
    raw = raw_first_as_read()
    for key in ("answers", "ratings", "steps", "notes", "skipped", "carried", "cursor", "bank"):
        assert again[key] == raw[key], key


def test_the_first_release_file_is_refused_where_it_does_not_belong(store_dir):
    """Outside its client's folder (as it sits in tests/sessions) the same file is
    refused: purge and resume look for a session where its content says it is."""
    with pytest.raises(BadSession) as e:
        Store(store_dir).load(FIRST_RELEASE)
    assert e.value.key == "session.misplaced"


def test_the_first_released_format_shows_through_the_command_line(first_in_store):
    data = sf_json("sessions", "show", FIRST_ID)
    expected = raw_first_as_read()
    del expected["cursor"]  # `--json` is the file without the resume cursor
    assert data == expected
    rows = sf_json("sessions", "list")
    assert [r["id"] for r in rows] == [FIRST_ID] and rows[0]["progress"] == 4
    hits = sf_json("search", "räkningarna")
    assert [h["session"] for h in hits] == [FIRST_ID]
    history = sf_json("history", FIRST_CLIENT)
    assert history["ratings"]["progress"] == [
        {"session": FIRST_ID, "date": "2026-03-02", "value": 4}
    ]
    proc = sf("sessions", "show", FIRST_ID)
    assert proc.returncode == 0 and proc.stderr == ""
    assert "Ringa banken på måndag förmiddag" in proc.stdout


# --- versions ----------------------------------------------------------------------------


def test_there_is_a_converter_from_every_older_schema(store_dir):
    assert set(CONVERTERS) == set(range(1, SESSION_SCHEMA))
    assert sessionfile.to_dict(load_first(store_dir))["schema"] == SESSION_SCHEMA


def test_a_file_from_a_newer_sfcoach_is_refused_with_a_clear_message(first_in_store):
    text = FIRST_RELEASE.read_text(encoding="utf-8").replace("schema: 1\n", "schema: 2\n", 1)
    first_in_store.write_text(text, encoding="utf-8")
    with pytest.raises(BadSession) as e:
        Store(first_in_store.parent.parent).load(first_in_store)
    assert e.value.key == "session.future" and e.value.params == {"version": 2}
    proc = sf("sessions", "show", FIRST_ID)
    assert proc.returncode == 1 and no_traceback(proc)
    (line,) = proc.stderr.strip().splitlines()
    assert "written by a newer sfcoach (schema 2); update sfcoach to read it" in line
    assert FIRST_ID in line
    proc = sf("sessions", "list", "--json", "--lang", "sv")
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    assert "skriven av en nyare sfcoach (schema 2)" in proc.stderr


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, True, None, [1]])
def test_a_schema_that_is_not_a_positive_integer_is_refused(version):
    data = raw_first()
    data["schema"] = version
    with pytest.raises(BadSession) as e:
        sessionfile.from_dict(data)
    assert e.value.key == "session.no-schema"


GOOD_PRACTICE = {
    "group": "g1", "round": 1, "rounds": 2, "minutes": 15, "stage": "done", "scenario": "x",
    "roles": {"coach": "Anna", "client": "Bo", "observer": None}, "phase_seconds": {"P": 60},
    "asked": [{"text": "Vad mer?", "category": "other"}],
    "feedback": [{"kind": "well", "text": "Bra frågor"}], "usefulness": 7,
}  # fmt: skip


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        ("asked", [1], "practice_data.asked[0]"),
        ("feedback", "nice", "practice_data.feedback"),
        ("roles", ["Anna"], "practice_data.roles"),
        ("phase_seconds", 5, "practice_data.phase_seconds"),
        ("round", "one", "practice_data.round"),
        ("usefulness", 7.5, "practice_data.usefulness"),
        ("stage", 3, "practice_data.stage"),
    ],
)
def test_practice_data_the_practice_code_reads_must_have_its_shape(key, value, where):
    data = raw_first() | {"practice": True, "client": None, "practice_data": dict(GOOD_PRACTICE)}
    read = sessionfile.to_dict(sessionfile.from_dict(data))["practice_data"]
    for k, v in GOOD_PRACTICE.items():  # what the file has is read; the rest defaulted
        assert read[k] == v or read[k][0].items() >= v[0].items(), k
    data["practice_data"][key] = value
    with pytest.raises(BadSession) as e:
        sessionfile.from_dict(data)
    assert (e.value.key, e.value.params) == ("session.bad-key", {"key": where})


def test_converters_run_in_a_chain_from_the_files_version_to_the_current(monkeypatch):
    """Pretend the format is at schema 3: schema 2 renamed `practitioner` to `coach`, and
    schema 3 renamed it back as `practitioner` with the name trimmed. A schema-1 file
    goes through both converters in order, a schema-2 file only through the second."""
    calls = []

    def one_to_two(data: dict) -> dict:
        calls.append(1)
        data = dict(data)
        data["coach"] = data.pop("practitioner")
        data["schema"] = 2
        return data

    def two_to_three(data: dict) -> dict:
        calls.append(2)
        data = dict(data)
        data["practitioner"] = data.pop("coach").strip()
        data["schema"] = 3
        return data

    monkeypatch.setattr(sessionfile, "SESSION_SCHEMA", 3)
    monkeypatch.setitem(CONVERTERS, 1, one_to_two)
    monkeypatch.setitem(CONVERTERS, 2, two_to_three)

    raw = raw_first()
    raw["practitioner"] = "  Åke Påhittad  "
    s = sessionfile.from_dict(raw)
    assert calls == [1, 2]
    assert s.practitioner == "Åke Påhittad" and s.schema == 3
    assert sessionfile.to_dict(s)["schema"] == 3  # written back at the current version
    assert raw["practitioner"] == "  Åke Påhittad  "  # the caller's data is left alone

    calls.clear()
    v2 = raw_first()
    v2["coach"] = v2.pop("practitioner")
    v2["schema"] = 2
    assert sessionfile.from_dict(v2).practitioner == "Åke Påhittad" and calls == [2]

    calls.clear()
    v3 = raw_first()
    v3["schema"] = 3
    assert sessionfile.from_dict(v3).practitioner == "Åke Påhittad" and calls == []
    v3["schema"] = 4
    with pytest.raises(BadSession) as e:
        sessionfile.from_dict(v3)
    assert e.value.key == "session.future"


def test_a_renaming_converter_lets_the_first_release_file_load_through_the_store(
    monkeypatch, store_dir
):
    """The same, end to end through Store.load: a converter that renames a key."""

    def one_to_two(data: dict) -> dict:
        data = {("notes" if k == "anteckningar" else k): v for k, v in data.items()}
        return {**data, "schema": 2}

    monkeypatch.setattr(sessionfile, "SESSION_SCHEMA", 2)
    monkeypatch.setitem(CONVERTERS, 1, one_to_two)
    text = FIRST_RELEASE.read_text(encoding="utf-8").replace("\nnotes:", "\nanteckningar:")
    assert "\nanteckningar:" in text
    path = place_first(store_dir)
    path.write_text(text, encoding="utf-8")
    s = Store(store_dir).load(path)
    assert [n.text for n in s.notes] == [
        "Klienten verkade mer hoppfull efter mirakelfrågan; följ upp nästa gång."
    ]
    assert s.schema == 2


# --- what to_yaml writes ---------------------------------------------------------------

TRICKY = [
    "plain", "", " leading and trailing ", "yes", "no", "~", "null", "1", "0x1F", "1e3",
    "2026-03-02", "- a dash", "# not a comment", "key: value", "a: b: c", "'single'",
    '"double"', "{braces}", "[brackets]", "&anchor", "*alias", "!tag", "%percent", "@at",
    "`tick`", "line one\nline two", "trailing newline\n", "\n\nleading newlines",
    "tab\there", "back\\slash", "å ä ö Å Ä Ö é ü", "emoji 🙂 and 𝄞", "nbsp\u00a0here",
    "line\u2028separator", "next\x85line", "bell\x07", "bom\ufeffinside", "crlf\r\nline",
    "carriage\rreturn", "x" * 5000,
]  # fmt: skip


def rich_session() -> Session:
    """A session whose lists hold every awkward string, and the same objects repeated
    (a dumper that is allowed to would write those as anchors and aliases)."""
    shared = [Followup("Vad mer?", "Samma svar", 1)]
    twice = OwnQuestion("två gånger", "other", "svar")
    s = Session(
        id="20260302-100000-0abc",
        client="K-Ö7",
        meeting="first-visit",
        bank_id="first-visit",
        bank_version=1,
        lang="sv",
        practitioner="Åke",
        status="paused",
        started="2026-03-02T10:00:00+01:00",
        # one object in two places would be an alias
        practice_data=PracticeRound(asked=[twice, twice], feedback=[Feedback(text="bra")]),
    )
    for i, text in enumerate(TRICKY):
        s.answers.append(Answer("P", f"q{i}", text, shared, "2026-03-02T10:00:00+01:00", text))
    s.ratings.append(Rating("progress", "S", 4, 0, 10, "låg", "hög", "Framsteg", shared))
    step = Step("Ringa banken", "agreed", s.id, "next-step", "")
    s.steps += [step, step]
    s.carried.append(step)
    s.notes += [Note(text) for text in TRICKY[:10]]
    s.skipped += ["a", "a"]
    s.cursor.back = [("q1", 0), ("q1", 0)]
    return s


def events(text: str) -> list:
    return list(yaml.parse(text, Loader=yaml.SafeLoader))


@pytest.mark.parametrize("which", ["rich", "first-release"])
def test_to_yaml_is_plain_block_yaml_that_loads_back_exactly(which, store_dir):
    s = rich_session() if which == "rich" else load_first(store_dir)
    text = sessionfile.to_yaml(s)
    assert yamlio.load(text) == sessionfile.to_dict(s)
    assert yaml.safe_load(text) == sessionfile.to_dict(s)  # any YAML reader, not only ours
    found = events(text)
    assert not [e for e in found if getattr(e, "anchor", None)], "anchors or aliases"
    assert not [e for e in found if isinstance(e, yaml.AliasEvent)]
    collections = [e for e in found if isinstance(e, yaml.CollectionStartEvent)]
    flow = [e for e in collections if e.flow_style]
    # Only empty lists and mappings are written in flow style ([] or {}): everything
    # with content is block style, one key per line, readable and diff-friendly.
    for e in flow:
        assert text[e.start_mark.index : e.start_mark.index + 2] in ("[]", "{}"), text[
            e.start_mark.index : e.start_mark.index + 40
        ]
    assert text.startswith("schema: 1\nid: ") or SESSION_SCHEMA != 1
    assert "å ä ö" in text or which == "first-release"  # letters as they are, not escaped
    assert "\\xE5" not in text and "\\u00e5" not in text.lower()


def test_to_yaml_follows_edits_of_items_it_has_written_before():
    """to_yaml caches each list item's YAML by its value: an edit in place must show."""
    s = rich_session()
    sessionfile.to_yaml(s)
    s.answers[0].text = "ändrat svar"
    s.answers[1].followups.append(Followup("Och sedan?", "nytt", 2))  # the shared list
    s.steps[0].status = "done"
    del s.notes[0]
    text = sessionfile.to_yaml(s)
    assert yamlio.load(text) == sessionfile.to_dict(s)
    assert sessionfile.from_dict(yamlio.load(text)).answers[0].text == "ändrat svar"


# --- files on disk -------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_session_files_are_0600_in_0700_folders_however_the_umask(store_dir):
    old = os.umask(0)
    try:
        store = Store(store_dir)
        s = rich_session()
        path = store.create(s)
        assert mode(path) == 0o600 and mode(path.parent) == 0o700
        s.answers[0].text = "sparat igen"
        assert store.save(s) == path and mode(path) == 0o600
        assert store.load(path).answers[0].text == "sparat igen"
        kept = store.kept_bank(store.keep_bank(ROOT / "tests" / "banks" / "engine.yaml"))
        assert mode(kept) == 0o600 and mode(kept.parent) == 0o700
        assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left
    finally:
        os.umask(old)


def test_a_real_meeting_writes_0600_files(store_dir):
    proc = sf("start", "--client", "K1", "--lang", "en", "--practitioner", "A", "--plain",
              "--meeting", "first-visit", input=lines("Hopes", "/pause"))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (path,) = (store_dir / "K1").glob("*.yaml")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700 and mode(store_dir) == 0o700


def test_the_first_version_of_a_new_session_is_json_and_loads(store_dir):
    store = Store(store_dir)
    s = Session(
        id="20260302-100000-0def",
        client="K1",
        meeting="first-visit",
        bank_id="first-visit",
        bank_version=1,
        lang="sv",
        practitioner="Åsa",
        started="2026-03-02T10:00:00+01:00",
    )
    path = store.create(s)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("{") and "Åsa" in text  # JSON, letters unescaped
    data = json.loads(text)
    assert data == sessionfile.to_dict(s) == yamlio.load(text)
    assert sessionfile.to_dict(store.load(path)) == data
    assert mode(path) == 0o600


def test_the_first_version_written_by_a_real_meeting_is_json_and_loads(store_dir):
    """While a real meeting waits for its first answer, its file is the JSON first
    version; `sessions show` reads it then."""
    env = {**os.environ}
    proc = subprocess.Popen(
        [SFCOACH, "start", "--client", "K1", "--lang", "sv", "--practitioner", "Åsa",
         "--plain", "--meeting", "first-visit"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        files: list[Path] = []
        while not files and time.monotonic() < deadline:
            time.sleep(0.05)
            files = [p for p in (store_dir / "K1").glob("*.yaml")] if store_dir.exists() else []
        assert files, "the meeting never created its file"
        (path,) = files
        # Never empty, never partial: the first version is written beside it and linked
        # into place whole, so the first look already finds all of it.
        text = path.read_text(encoding="utf-8")
        assert text.startswith("{"), text[:80]
        data = json.loads(text)
        assert data["schema"] == SESSION_SCHEMA and data["status"] == "in-progress"
        shown = sf_json("sessions", "show", data["id"])
        assert shown["practitioner"] == "Åsa" and shown["answers"] == []
    finally:
        try:
            _, err = proc.communicate(input=b"", timeout=20)  # end of input: the meeting pauses
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
    assert proc.returncode == 0, err
    assert not path.read_text(encoding="utf-8").startswith("{")  # the pause saved YAML
    assert yamlio.load(path.read_text(encoding="utf-8"))["status"] == "paused"
