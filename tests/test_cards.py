"""Role cards closer to the job: meeting types, a simulated last time, the coach brief,
the debrief of hidden resources, levels and the rotation from easy to hard."""

from __future__ import annotations

import pytest
from helpers import ROOT, lines, meeting_lines, no_traceback, sf, sf_json

from sfcoach import practice, practiceround
from sfcoach.bank import load_builtin, load_file
from sfcoach.errors import UserError
from sfcoach.store import Store

PRACTICE = load_builtin("practice")
FOLLOW_UP = load_builtin("follow-up")
CARDS = practice.load_cards()


def card(card_id: str) -> practice.Card:
    return practice.find_card(CARDS, card_id)


# --- rotation and levels ---------------------------------------------------------------


def planned_levels(monkeypatch, pick: int, rounds: int = 3, level: int | None = None):
    """The levels of the cards a practice plays when the random start is `pick`
    (counted from the end when negative) among the starts it may draw."""
    monkeypatch.setattr(
        practiceround.random, "randrange", lambda n: pick % n if pick >= 0 else n + pick
    )
    plan = practiceround.new_plan(["A", "B", "C"], rounds, 10, CARDS, None, None, level)
    return [practiceround.card_for(plan, i, CARDS).level for i in range(rounds)]


@pytest.mark.parametrize("pick", [0, 1, -1])
def test_a_first_practice_starts_easy_and_gets_harder(monkeypatch, pick):
    levels = planned_levels(monkeypatch, pick)
    assert levels[0] == 1 and levels == sorted(levels)  # never three level-3 cards


def test_a_whole_rotation_plays_every_card_once_from_easy_to_hard(monkeypatch):
    monkeypatch.setattr(practiceround.random, "randrange", lambda n: 0)
    plan = practiceround.new_plan(["A", "B"], len(CARDS), 10, CARDS, None, None)
    played = [practiceround.card_for(plan, i, CARDS) for i in range(len(CARDS))]
    assert sorted(c.id for c in played) == sorted(c.id for c in CARDS)
    assert [c.level for c in played] == sorted(c.level for c in CARDS)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_a_level_picks_only_that_levels_cards(monkeypatch, level):
    for pick in (0, -1):
        assert set(planned_levels(monkeypatch, pick, rounds=5, level=level)) == {level}
    shown = sf_json("practice", "--list", "--level", str(level))
    assert shown and {c["level"] for c in shown} == {level}


def test_every_level_has_cards_enough_for_a_practice_of_three():
    for level in (1, 2, 3):
        assert len(practice.deck(CARDS, level)) >= 3


def test_a_level_no_card_has_is_one_clear_line(tmp_path):
    own = tmp_path / "cards.yaml"
    own.write_text(
        "schema: 1\ncards:\n  - {id: a, title: {sv: A, en: A}, situation: {sv: S, en: S}}\n"
    )
    with pytest.raises(UserError) as err:
        practice.deck(practice.load_cards(own), 3)
    assert err.value.key == "practice.no-level"
    proc = sf("practice", "--cards", str(own), "--level", "3", "--pair", "A,B", "--lang", "en")
    assert proc.returncode == 1 and no_traceback(proc)
    assert "no role card of level 3 (the cards have levels 1)" in proc.stderr
    proc = sf("practice", "--level", "4", "--list")
    assert proc.returncode == 2 and no_traceback(proc)  # out of range: a usage error


def test_the_practice_plan_keeps_its_level_for_a_resume(store_dir):
    plan = practiceround.new_plan(["A", "B"], 2, 10, CARDS, None, None, 2)
    session = practiceround.new_round(Store(store_dir), plan, 0, card("close-to-retirement"), "en")
    saved = Store(store_dir).load(Store(store_dir).path_of(session))
    assert saved.practice_data is not None and saved.practice_data.plan().level == 2


# --- the card's meeting type ---------------------------------------------------------------


def test_a_round_runs_the_bank_its_card_names_else_the_practice_bank(store_dir):
    store = Store(store_dir)
    plan = practiceround.new_plan(["A", "B"], 3, 10, CARDS, None, None)
    cases = {"nothing-is-better": "follow-up", "only-here-because-i-must": "plan",
             "first-application": "practice"}  # fmt: skip
    for index, (card_id, bank) in enumerate(cases.items()):
        s = practiceround.new_round(store, plan, index, card(card_id), "en")
        assert s.bank_id == bank and s.meeting == "practice" and s.practice


def test_the_cards_that_play_a_follow_up_or_a_plan():
    follow_ups = {c.id for c in CARDS if c.meeting == "follow-up"}
    assert {"nothing-is-better", "work-training-two-days", "refusal-just-received"} <= follow_ups
    assert {c.id for c in CARDS if c.meeting == "plan"} >= {
        "only-here-because-i-must",
        "after-prison-job-elsewhere",
    }
    for c in CARDS:
        if c.meeting == "follow-up":  # a follow-up without a last time has nothing to review
            assert c.last_time.get("ratings", {}).get("progress") is not None, c.id
            assert c.last_time.get("steps"), c.id


# --- the simulated last time ------------------------------------------------------------


def follow_up_round(usefulness: str = "7", debrief: tuple[str, ...] = ("",)) -> list[str]:
    """A nothing-is-better round: the follow-up bank, last time's step reviewed as not
    done, progress 5 against last time's 4; then the debrief and the feedback."""
    talk = meeting_lines(FOLLOW_UP, "en", scale=5, reviews=("3",))
    return ["", *talk, *debrief, "Stayed with the client", "More coping questions", usefulness]


def test_a_follow_up_card_reviews_last_times_step_in_a_plain_round(store_dir):
    proc = sf(
        "practice", "--pair", "Anna,Bo", "--rounds", "1", "--scenario", "nothing-is-better",
        "--lang", "en", "--plain", input=lines(*follow_up_round()),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-1500:] + proc.stderr
    out = proc.stdout
    first, review, platform = (
        next(q for _, q in FOLLOW_UP.questions if test(q))
        for test in (
            lambda q: True,
            lambda q: q.kind == "step-review",
            lambda q: q.category == "platform",
        )
    )
    assert first.text["en"] in out  # the follow-up bank, not the practice bank
    assert review.text["en"].replace("{step}", "Phone two former customers") in out
    assert "Last time 4, now 5." in out  # the scale compared with last time's rating
    # The usefulness rating quotes the platform, not the opening "what's better".
    assert f"what you hoped for (“en answer to {platform.id}”), 0–10?" in out
    (path,) = Store(store_dir).files()
    saved = Store(store_dir).load(path)
    assert saved.status == "completed" and saved.bank_id == "follow-up"
    reviewed = [x for x in saved.steps if x.text == "Phone two former customers"]
    assert [x.status for x in reviewed] == ["not"]
    # Nothing made up was written as a client's meeting: the store holds the round alone.
    assert [p.parent.name for p in Store(store_dir).files()] == ["_practice"]


def test_the_last_time_is_built_in_memory_in_the_rounds_language(store_dir):
    plan = practiceround.new_plan(["A", "B"], 1, 10, CARDS, None, "nothing-is-better")
    s = practiceround.new_round(Store(store_dir), plan, 0, card("nothing-is-better"), "sv")
    previous = practiceround.last_time(card("nothing-is-better"), s)
    assert previous is not None and previous.status == "completed"
    assert previous.started < s.started and previous.meeting == "first-visit"
    assert [(r.scale, r.value) for r in previous.ratings] == [("progress", 4)]
    assert previous.answer("best-hopes") is not None
    assert [x.text for x in s.carried] == ["Ringa två tidigare kunder"]
    assert practiceround.last_time(card("first-application"), s) is None


def test_the_coach_brief_and_last_time_open_the_round_before_the_first_question():
    proc = sf(
        "practice", "--pair", "Anna,Bo", "--rounds", "1", "--scenario", "nothing-is-better",
        "--lang", "sv", "--plain", input=lines(*follow_up_round()),
    )  # fmt: skip
    out = proc.stdout
    brief = card("nothing-is-better").text("brief", "sv")
    assert "Uppdrag för samtalsledaren" in out and brief in out
    assert out.index(brief) < out.index("Förra gången (") < out.index("(1/")
    assert "   • Ringa två tidigare kunder" in out
    # The brief is the coach's; the card's hidden resources are not shown with it.
    hidden = card("nothing-is-better").hidden("sv")[0]
    assert hidden not in out[: out.index("(1/")]


def test_a_schema_2_bank_sees_the_last_time_in_its_conditions_and_placeholders(store_dir):
    """{before}, {prev:ID}, `previous:` and `change:` conditions read the card's last time."""
    bank = load_file(ROOT / "tests" / "banks" / "schema2.yaml")
    last = {"ratings": {"progress": 4}, "steps": [{"sv": "Ringa Eva", "en": "Call Eva"}],
            "answers": {"hopes": {"sv": "Ett jobb", "en": "A job"}}}  # fmt: skip
    own = practice.Card("own", 2, {"meeting": "follow-up", "last_time": last})
    plan = practiceround.new_plan(["A", "B"], 1, 10, [own], None, "own")
    session = practiceround.new_round(Store(store_dir), plan, 0, own, "en")
    engine = practiceround.engine_for(bank, session, own)
    seen = []
    typed = ["3", "x", "Nothing", "same", "kept", "", "helped", "new", "yes", "Still", "3"]
    for line in typed:
        prompt = engine.prompt()
        seen.append((prompt.say, prompt.text))
        engine.handle(line)
    assert seen[0] == ("", "How did it go with: Call Eva?")  # the step from last time
    assert ("", "You hoped for that before. What is new?") in seen  # when: {previous: hopes}
    assert ("", "Last time: “A job”, the first time: “A job”. Still true?") in seen
    assert ("Last time you were at 4.", "Where are you now?") in seen  # {before}
    assert engine.prompt().text == "What keeps you at 3?"  # when: {change: down}


# --- the debrief --------------------------------------------------------------------------


def test_the_debrief_saves_which_hidden_resources_came_out():
    ticks = ("2", "4 1", "9", "1", "")  # 1 ticked, then taken back; 9 is no resource
    proc = sf(
        "practice", "--pair", "Anna,Bo", "--rounds", "1", "--scenario", "nothing-is-better",
        "--lang", "en", "--plain", input=lines(*follow_up_round(debrief=ticks)),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-1500:]
    out = proc.stdout
    hidden = card("nothing-is-better").hidden("en")
    assert "Debrief: the whole card" in out and all(f". {h}" in out for h in hidden)
    assert "A number from 1 to 4, or an empty line when done." in out
    assert "Resources that came out: 2 of 4 (2, 4)" in out
    (row,) = sf_json("sessions", "list", "--practice")
    data = sf_json("sessions", "show", row["id"])["practice_data"]
    assert data["revealed"] == [1, 3] and data["usefulness"] == 7
    # ... and the round's record says so wherever it is read again
    shown = sf("practice", "--show", row["id"], "--lang", "en").stdout
    assert "Resources that came out: 2 of 4 (2, 4)" in shown
    exported = sf("export", row["id"], "--format", "md", "--lang", "en").stdout
    assert "Resources that came out: 2 of 4 (2, 4)" in exported
    assert [f["text"] for f in data["feedback"]] == [
        "Stayed with the client",
        "More coping questions",
    ]


def test_a_round_interrupted_in_the_debrief_resumes_there():
    script = follow_up_round()[:-4]  # ends before the debrief's line
    proc = sf(
        "practice", "--pair", "A,B", "--rounds", "1", "--scenario", "nothing-is-better",
        "--lang", "en", input=lines(*script),
    )  # fmt: skip
    assert proc.returncode == 0 and "resume" in proc.stdout
    (row,) = sf_json("sessions", "list", "--practice")
    assert sf_json("sessions", "show", row["id"])["practice_data"].get("revealed") is None
    proc = sf("resume", row["id"], input=lines("3", "", "Well", "More", "8"))
    assert proc.returncode == 0, proc.stdout[-800:]
    data = sf_json("sessions", "show", row["id"])["practice_data"]
    assert data["revealed"] == [2] and data["usefulness"] == 8


def test_a_card_without_hidden_resources_has_no_debrief(tmp_path):
    own = tmp_path / "cards.yaml"
    own.write_text(
        "schema: 1\ncards:\n  - {id: a, title: {sv: A, en: A}, situation: {sv: S, en: S}}\n"
    )
    talk = meeting_lines(PRACTICE, "en")
    proc = sf(
        "practice", "--pair", "A,B", "--rounds", "1", "--cards", str(own), "--lang", "en",
        input=lines("", *talk, "Well", "More", "6"),
    )  # fmt: skip
    assert proc.returncode == 0 and "Debrief" not in proc.stdout
    (row,) = sf_json("sessions", "list", "--practice")
    data = sf_json("sessions", "show", row["id"])["practice_data"]
    assert data["usefulness"] == 6 and "revealed" not in data


# --- the card file -----------------------------------------------------------------------

BASE = "schema: 1\ncards:\n  - id: a\n    title: {sv: A, en: A}\n    situation: {sv: S, en: S}\n"


@pytest.mark.parametrize(
    "extra, key, shown",
    [
        (
            "    meeting: folow-up\n",
            "cards.unknown-meeting",
            "meeting 'folow-up' is not a built-in bank",
        ),
        (
            "    last_time: {ratings: {progress: 4}}\n",
            "cards.last-time-first-meeting",
            "last_time needs a meeting that follows up",
        ),
        (
            "    meeting: first-visit\n    last_time: {ratings: {progress: 4}}\n",
            "cards.last-time-first-meeting",
            "'first-visit' opens a contact",
        ),
        (
            "    meeting: follow-up\n    last_time: {ratings: {progress: 11}}\n",
            "schema.range",
            "11",
        ),
        (
            "    meeting: follow-up\n    last_time: {rating: {progress: 4}}\n",
            "schema.unknown-key-near",
            "did you mean 'ratings'",
        ),
        (
            "    meeting: follow-up\n    last_time: {meeting: nope}\n",
            "cards.unknown-meeting",
            "'nope'",
        ),
        (
            "    meeting: follow-up\n    last_time: {steps: [Ring]}\n",
            "schema.text-needs-langs",
            "last_time.steps[0]",
        ),
        (
            "    brief: only one language\n",
            "schema.text-needs-langs",
            "cards[0].brief: must give the text per language, like {sv: ..., en: ...}",
        ),
    ],
)
def test_bank_validate_explains_the_new_card_keys(tmp_path, extra, key, shown):
    path = tmp_path / "cards.yaml"
    path.write_text(BASE + extra)
    assert key in [p.key for p in practice.card_problems(path)]
    proc = sf("bank", "validate", str(path))
    assert proc.returncode == 1 and f"{path}:" in proc.stdout and shown in proc.stdout, proc.stdout
    assert no_traceback(proc)


def test_a_follow_up_card_with_its_last_time_is_valid(tmp_path):
    path = tmp_path / "cards.yaml"
    path.write_text(
        BASE
        + "    meeting: follow-up\n    brief: {sv: B, en: B}\n    last_time:\n"
        + "      meeting: plan\n      ratings: {progress: 3}\n"
        + "      steps: [{sv: Ring, en: Call}]\n      answers: {best-hopes: {sv: H, en: H}}\n"
    )
    assert practice.card_problems(path) == []
    assert sf("bank", "validate", str(path)).returncode == 0


# --- what the built-in cards hold ----------------------------------------------------------

NEW_SITUATIONS = {
    "refusal-just-received", "with-an-interpreter", "couple-applying-together",
    "my-diagnoses", "left-a-violent-partner", "leaving-care",
}  # fmt: skip


def test_every_built_in_card_has_a_coach_brief_in_both_languages():
    assert {c.id for c in CARDS} >= NEW_SITUATIONS
    assert {card(i).level for i in NEW_SITUATIONS} == {1, 2, 3}
    for c in CARDS:
        assert c.raw["brief"]["sv"].strip() and c.raw["brief"]["en"].strip(), c.id
        assert len(c.hidden("sv")) == len(c.hidden("en")) >= 3, c.id


def test_the_cards_use_one_term_for_the_coach_and_for_the_benefit():
    for c in CARDS:
        for key in ("situation", "wants", "play", "brief"):
            assert "coachen" not in c.text(key, "sv"), (c.id, key)
            assert "economic assistance" not in c.text(key, "en"), (c.id, key)


def test_the_violence_card_puts_safety_first():
    c = card("left-a-violent-partner")
    assert c.level == 3
    assert "Säkerheten kommer före" in c.text("brief", "sv")
    assert "Safety comes before" in c.text("brief", "en")
    assert c.text("situation", "en").startswith("Content note")


def test_the_card_list_shows_level_and_meeting_type():
    rows = sf_json("practice", "--list")
    assert all(r["level"] in (1, 2, 3) and r["meeting"] for r in rows)
    assert {r["id"]: r["meeting"] for r in rows}["nothing-is-better"] == "follow-up"
    assert {r["id"]: r["meeting"] for r in rows}["first-application"] == "practice"
    assert [r["level"] for r in rows] == sorted(r["level"] for r in rows)
    table = sf("--lang", "sv", "practice", "--list").stdout
    assert "nivå" in table and "möte" in table and "Uppföljning" in table
    narrow = sf("--lang", "sv", "practice", "--list", env={"COLUMNS": "60"}).stdout
    assert "möte" not in narrow.splitlines()[0] and "Första ansökan" in narrow


def test_the_first_round_of_a_rotation_is_always_a_first_conversation():
    from sfcoach.practiceround import card_for, new_plan

    cards = practice.load_cards()
    firsts = [card_for(new_plan(["A", "B"], 2, 15, cards, None, None), 0, cards) for _ in range(60)]
    assert {c.meeting or "practice" for c in firsts} <= {"practice", "first-visit"}
    assert {c.level for c in firsts} == {1}
