"""Pair practice: role cards, roles per round, tally, feedback, and keeping practice apart."""

from __future__ import annotations

import pytest
from helpers import Script, lines, meeting_lines, no_traceback, saved_session, sf, sf_json

from sfcoach import practice
from sfcoach.bank import load_builtin
from sfcoach.errors import UserError
from sfcoach.models import (
    Answer,
    Followup,
    OwnQuestion,
    PracticeRound,
    Rating,
    Roles,
    Session,
    Step,
)
from sfcoach.store import Store

PRACTICE = load_builtin("practice")


def test_the_built_in_role_cards_are_valid_and_bilingual():
    assert practice.card_problems(practice.cards_file()) == []
    cards = practice.load_cards()
    assert len(cards) >= 8
    for card in cards:
        for key in ("title", "situation", "wants", "play"):
            assert card.raw[key]["sv"].strip() and card.raw[key]["en"].strip(), (card.id, key)
        assert card.hidden("sv") and len(card.hidden("sv")) == len(card.hidden("en"))
        assert card.level in (1, 2, 3)


@pytest.mark.parametrize(
    "text, key",
    [
        ("schema: 1\ncards: []\n", "schema.empty"),
        ("schema: 1\ncards:\n  - {id: a, title: {sv: A, en: A}}\n", "schema.missing"),
        (
            "schema: 1\ncards:\n  - {id: a, title: {sv: A, en: A}, situation: {sv: S, en: S}, colour: red}\n",
            "schema.unknown-key",
        ),
        (
            "schema: 1\ncards:\n  - {id: a, level: 4, title: {sv: A, en: A}, situation: {sv: S, en: S}}\n",
            "schema.range",
        ),
        (
            "schema: 1\ncards:\n"
            "  - {id: a, title: {sv: A, en: A}, situation: {sv: S, en: S}}\n"
            "  - {id: a, title: {sv: B, en: B}, situation: {sv: S, en: S}}\n",
            "cards.duplicate-id",
        ),
        ("cards: [\n", "yaml.syntax"),
        ("schema: 1\ncards: 5\n", "schema.type"),
    ],
)
def test_a_broken_card_file_is_reported_like_a_bank(tmp_path, text, key):
    path = tmp_path / "cards.yaml"
    path.write_text(text)
    assert key in [p.key for p in practice.card_problems(path)]
    proc = sf("bank", "validate", str(path))
    assert proc.returncode == 1 and f"{path}:" in proc.stdout and no_traceback(proc)
    proc = sf("practice", "--cards", str(path), "--pair", "A,B")
    assert proc.returncode == 1 and no_traceback(proc)


@pytest.mark.parametrize(
    "value, key",
    [("Anna", "practice.too-few"), ("Anna,", "practice.too-few"), ("A,B,C,D", "practice.too-many"),
     ("Anna,anna", "practice.duplicate-names")],
)  # fmt: skip
def test_names_must_be_two_or_three_different_people(value, key):
    with pytest.raises(UserError) as err:
        practice.parse_pair(value)
    assert err.value.key == key


def test_roles_rotate_so_everyone_coaches():
    names = ["Anna", "Bo", "Cia"]
    coaches = [practice.roles(names, r).coach for r in range(3)]
    assert coaches == names
    for r in range(3):
        roles = practice.roles(names, r)
        assert len({roles.coach, roles.client, roles.observer}) == 3
    assert practice.roles(["Anna", "Bo"], 1) == Roles(coach="Bo", client="Anna", observer=None)


def test_the_tally_counts_question_types_from_what_was_asked():
    s = Session("20261123-100000-aaaa", None, "practice", "practice", 1, "sv", practice=True)
    s.answers = [
        Answer("P", "best-hopes", "x", [Followup("Vad mer?", "y"), Followup("Vad mer?", "z")]),
        Answer("L", "miracle", "x"),
        Answer("U", "coping", "x"),
    ]
    s.ratings = [Rating("progress", "S", 5, 0, 10, "", "", followups=[Followup("f", "a")])]
    s.steps = [Step("Ring", "agreed", s.id, "next-step")]
    s.practice_data = PracticeRound(
        asked=[OwnQuestion("Varför?", "other")], phase_seconds={"P": 61.5}
    )
    counted = practice.tally(s, PRACTICE)
    assert counted.by_type == {
        "platform": 1, "future": 1, "exception": 0, "scaling": 1,
        "coping": 1, "step": 1, "compliment": 0, "other": 1,
    }  # fmt: skip
    assert counted.questions == 6 and counted.followups_per_question == round(3 / 6, 2)
    assert counted.followups == 3 and counted.scale_used and counted.scale_followup
    assert counted.ended_with_step and counted.phase_seconds == {"P": 61.5}


def round_lines(lang="en", usefulness="8", ask=False):
    talk = meeting_lines(PRACTICE, lang, steps=("Call the landlord",))
    if ask:  # an own question, classified as a compliment, before confirming the end
        talk = [*talk[:-1], "/ask What are you proud of?", "m", "That I came", talk[-1]]
    return ["", *talk, "", "Good exception questions", "More scaling", usefulness]  # "": debrief


def test_a_whole_practice_from_a_file_rotates_roles_and_keeps_feedback():
    script = ["/card", *round_lines(ask=True)[0:], *round_lines(usefulness="x"), "6"]
    proc = sf(
        "practice", "--pair", "Anna,Bo", "--scenario", "debts-kronofogden", "--minutes", "5",
        "--lang", "en", input=lines(*script),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-800:] + proc.stderr
    out = proc.stdout
    assert (
        "Debts and the enforcement agency" in out and "Tell only when asked well:" in out
    )  # the card, on request
    assert "Round 2 of 2" in out and "The whole practice" in out
    assert "Please give a whole number from 0 to 10." in out  # 'x' refused as usefulness
    rows = sf_json("sessions", "list", "--practice")
    assert len(rows) == 2 and all(r["practice"] and r["client"] is None for r in rows)
    first, second = (sf_json("sessions", "show", r["id"]) for r in reversed(rows))
    d1, d2 = first["practice_data"], second["practice_data"]
    assert (d1["roles"]["coach"], d1["roles"]["client"]) == ("Anna", "Bo")
    assert (d2["roles"]["coach"], d2["roles"]["client"]) == ("Bo", "Anna")
    assert d1["group"] == d2["group"] and (d1["usefulness"], d2["usefulness"]) == (8, 6)
    assert [f["text"] for f in d1["feedback"]] == ["Good exception questions", "More scaling"]
    assert d1["feedback"][0]["by"] == "Bo"  # no observer: the client gives the feedback
    assert d1["asked"][0]["category"] == "compliment" and d1["asked"][0]["answer"] == "That I came"
    assert first["status"] == "completed" and first["steps"][0]["text"] == "Call the landlord"
    shown = sf("sessions", "show", first["id"]).stdout
    assert "Coach: Anna · client: Bo" in shown and "Went well: Good exception questions" in shown
    assert "Own question (compliment): What are you proud of? → That I came" in shown
    (useful,) = [line.split() for line in out.splitlines() if line.startswith("Usefulness (")]
    assert useful[-2:] == ["8", "6"]  # Anna's and Bo's columns, side by side


def test_practice_never_reaches_client_history_or_stats(store_dir):
    store = Store(store_dir)
    saved_session(store, "K1", "2026-01-05T10:00", progress=3)
    saved_session(store, "K1", "2026-02-05T10:00", progress=5)
    sf(
        "practice",
        "--pair",
        "A,B",
        "--rounds",
        "1",
        "--scenario",
        "first-application",
        "--lang",
        "en",
        input=lines(*round_lines()),
    )
    assert len(sf_json("sessions", "list", "--practice")) == 1
    assert len(sf_json("history", "K1")["sessions"]) == 2
    stats = sf_json("stats")
    assert stats["sessions"]["total"] == 2 and stats["sessions"]["by_meeting"] == {"first-visit": 2}


def test_an_interrupted_practice_resumes_in_the_feedback_and_plays_the_rest():
    script = round_lines()[:-2]  # stop after the first feedback line
    proc = sf(
        "practice",
        "--pair",
        "A,B",
        "--scenario",
        "first-application",
        "--lang",
        "en",
        input=lines(*script),
    )
    assert proc.returncode == 0 and "resume" in proc.stdout
    (row,) = sf_json("sessions", "list", "--practice")
    assert row["status"] == "paused"
    proc = sf("resume", row["id"], input=lines("More scaling", "7", *round_lines()))
    assert proc.returncode == 0, proc.stdout[-600:]
    rows = sf_json("sessions", "list", "--practice")
    assert [r["status"] for r in rows] == ["completed", "completed"]
    data = sf_json("sessions", "show", row["id"])["practice_data"]
    assert [f["text"] for f in data["feedback"]] == ["Good exception questions", "More scaling"]
    assert data["usefulness"] == 7


@pytest.mark.parametrize(
    "args, message",
    [
        (["--pair", "Anna"], "two or three names"),
        (["--pair", "Anna,Anna"], "must be different"),
        (["--pair", "A,B", "--scenario", "nope"], "no role card 'nope'"),
        # A bad option value is a usage error (exit 2): tests/test_cli_exits.py
        (["--cards", "/nonexistent/cards.yaml", "--list"], "no such file"),
    ],
)
def test_bad_practice_options_give_one_line_and_exit_1(args, message):
    proc = sf("practice", *args, input="")
    assert proc.returncode == 1 and message in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and no_traceback(proc)


def test_the_card_list_as_json_has_both_languages():
    cards = sf_json("practice", "--list")
    assert len(cards) >= 8
    assert all(c["id"] and c["title"]["sv"] and c["title"]["en"] for c in cards)


# --- resuming and faults ---------------------------------------------------------------

THREE_CARDS = "schema: 1\ncards:\n" + "".join(
    f"  - {{id: own-{c}, title: {{sv: {c}, en: {c}}}, situation: {{sv: S, en: S}}}}\n"
    for c in "abc"
)


def test_a_practice_with_own_cards_resumes_with_them_and_never_repeats_a_card(tmp_path):
    cards = tmp_path / "cards.yaml"
    cards.write_text(THREE_CARDS)
    args = ("practice", "--pair", "A,B,C", "--cards", str(cards), "--lang", "en")
    proc = sf(*args, input=lines(*round_lines()[:-2]))  # stops in round 1's feedback
    assert proc.returncode == 0 and "resume" in proc.stdout
    (row,) = sf_json("sessions", "list", "--practice")
    proc = sf("resume", row["id"], input=lines("More scaling", "7", *round_lines() * 2))
    assert proc.returncode == 0, proc.stdout[-600:] + proc.stderr
    rows = sf_json("sessions", "list", "--practice")
    played = [sf_json("sessions", "show", r["id"])["practice_data"]["scenario"] for r in rows]
    assert sorted(played) == ["own-a", "own-b", "own-c"]


def play_in_process(store_dir, items: list) -> tuple[int, str, Store]:
    import io

    from sfcoach.practiceround import new_plan
    from sfcoach.ui.plain import PlainIO
    from sfcoach.ui.practice import run_practice

    store, out = Store(store_dir), io.StringIO()
    plain = PlainIO(Script(items), out)
    cards = practice.load_cards()
    plan = new_plan(["A", "B"], 1, 15, cards, None, "first-application")
    code = run_practice(store, plain, "en", plan, cards, "mask", "resume")
    return code, out.getvalue(), store


def test_time_per_phase_includes_the_last_question_before_the_end(store_dir, monkeypatch):
    from types import SimpleNamespace

    from sfcoach.ui import practice as practice_ui

    clock = [0.0]
    monkeypatch.setattr(practice_ui, "time", SimpleNamespace(monotonic=lambda: clock[0]))

    def minute() -> None:
        clock[0] += 60

    intro, *talk = round_lines()[:-4]  # up to the confirming "y"
    typed = [item for line in talk for item in (minute, line)]
    code, out, store = play_in_process(store_dir, [intro, *typed, *round_lines()[-4:]])
    assert code == 0, out[-500:]
    (path,) = store.files()
    spent = store.load(path).practice_data.phase_seconds
    assert sum(spent.values()) == 60 * (len(talk) - 1)  # every line but the "y"
    assert set(spent) == {"P", "L", "U", "S"}


def test_a_round_whose_last_save_fails_exits_1_and_can_be_resumed(store_dir, monkeypatch):
    import errno

    from sfcoach import store as store_module

    real = store_module.write_atomic

    def full_disk() -> None:
        def refuse(path, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(store_module, "write_atomic", refuse)

    items = round_lines()
    code, out, store = play_in_process(store_dir, [*items[:-1], full_disk, items[-1]])
    assert code == 1, out[-500:]
    assert "could not be saved" in out
    monkeypatch.setattr(store_module, "write_atomic", real)
    (path,) = store.files()
    saved = store.load(path)
    assert saved.status != "completed" and saved.practice_data.stage == "feedback"
