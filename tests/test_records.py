"""Typed records, the field-driven codec and the one walker of a session's texts."""

from __future__ import annotations

import dataclasses
import typing

import pytest
from helpers import sf_json

from sfcoach import codec, housekeeping, models, review, sessionfile
from sfcoach.models import (
    Answer,
    Feedback,
    Followup,
    Note,
    OwnQuestion,
    PracticeRound,
    Rating,
    Roles,
    Session,
    Step,
)
from sfcoach.sessionfile import BadSession
from sfcoach.store import Store
from sfcoach.texts import session_texts

ID_NUMBER = "811228-9874"  # a valid personnummer (checksum and date)


def session(client: str | None = "K1", **kw: typing.Any) -> Session:
    return Session(
        id="20260302-100000-000aa",
        client=client,
        meeting="first-visit" if client else "practice",
        bank_id="first-visit" if client else "practice",
        bank_version=1,
        lang="en",
        started="2026-03-02T10:00:00+01:00",
        **kw,
    )


def practice_round(text: str = "What went well for you?", answer: str = "That I came") -> Session:
    s = session(None, practice=True)
    s.practice_data = PracticeRound(
        group="g1",
        names=["Anna", "Bo"],
        roles=Roles("Anna", "Bo"),
        scenario="first-application",
        asked=[OwnQuestion(text, "compliment", answer, "U", "")],
        feedback=[Feedback("Bo", "well", "Good questions", "")],
    )
    return s


# --- one walker: search, scan and export see the same texts ------------------------------


def test_an_ask_answer_and_question_are_found_by_search(store_dir):
    Store(store_dir).create(practice_round("Which zebracrossing helped?", "Umbrellaweather"))
    hits = sf_json("search", "Umbrellaweather")
    assert [(h["field"], h["practice"]) for h in hits] == [("answer", True)]
    assert [h["field"] for h in sf_json("search", "zebracrossing")] == ["ask"]


def every_place(text: str) -> Session:
    s = practice_round(text, text)
    s.answers = [Answer("P", "best-hopes", text, [Followup("What else?", text, 1)])]
    s.ratings = [Rating("progress", "S", 4, 0, 10, "", "", followups=[Followup("f", text, 1)])]
    s.steps = [Step(text)]
    s.carried = [Step(text, from_session="20260101-100000-000aa")]
    s.notes = [Note(text)]
    s.cursor.draft = text
    assert s.practice_data is not None
    s.practice_data.feedback[0].text = text
    return s


def test_scan_masks_every_text_the_walker_yields(store_dir):
    store = Store(store_dir)
    path = store.create(every_place(f"mitt nummer {ID_NUMBER}"))
    report = housekeeping.scan(store, fix=True)
    (found,) = report.findings
    assert found.fields == [
        "answers[0]", "answers[0].followups[0]", "ratings[0].followups[0]", "steps[0]",
        "carried[0]", "notes[0]", "cursor.draft", "practice_data.asked[0].text", "practice_data.asked[0].answer",
        "practice_data.feedback[0].text",
    ]  # fmt: skip
    fixed = store.load(path)
    assert all(ID_NUMBER not in ref.get() for ref in session_texts(fixed))
    assert ID_NUMBER not in path.read_text(encoding="utf-8")


# Fields of the session's records that are not typed by the coach: ids, times, bank texts
# and choices. Every other str field must be walked, so a new one cannot be forgotten.
NOT_FREE_TEXT = {
    "Session": {"id", "client", "meeting", "bank_id", "lang", "practitioner", "status",
                "started", "ended", "bank_source", "previous"},
    "Answer": {"phase", "question", "at", "asked", "outcome"},  # outcome: a bank option name
    "Followup": {"text"},
    "Rating": {"scale", "phase", "low", "high", "at", "asked"},
    "Step": {"status", "from_session", "question", "at"},
    "Note": {"at"},
    "Cursor": {"question"},
    "OwnQuestion": {"category", "phase", "at"},
    "Feedback": {"by", "kind", "at"},
    "PracticePlan": {"group", "bank", "fixed", "cards"},
    "PracticeRound": {"group", "bank", "fixed", "cards", "scenario", "stage"},
    "Roles": {"coach", "client", "observer"},
}  # fmt: skip


def test_every_free_text_field_of_a_session_is_walked():
    walked = {(type(ref.holder).__name__, ref.attr) for ref in session_texts(every_place("x"))}
    records = [getattr(models, name) for name in NOT_FREE_TEXT]
    for record in records:
        hints = typing.get_type_hints(record)
        for f in dataclasses.fields(record):
            hint = hints[f.name]
            is_text = hint is str or (
                typing.get_origin(hint) in (typing.Union, type(str | None))
                and str in typing.get_args(hint)
            )
            if is_text and f.name not in NOT_FREE_TEXT[record.__name__]:
                assert (record.__name__, f.name) in walked, f"{record.__name__}.{f.name}"


def test_a_long_sessions_last_texts_are_searchable(store_dir):
    """F15: texts after the 4,096th of a session were dropped from the search index."""
    s = session()
    s.notes = [Note(f"note{i}word") for i in range(5000)]
    store = Store(store_dir)
    store.create(s)
    for word in ("note0word", "note4095word", "note4096word", "note4999word"):
        (hit,) = review.search(store, word)[0]
        assert hit["session"] == s.id and hit["field"] == "note", word
    hits, _ = review.search(store, "note1*", limit=5)
    # found inside longer words too, and only the matched part marked
    assert [h["snippet"] for h in hits] == [f"«note1»{n}word" for n in ("", 0, 1, 2, 3)]


# --- the codec -------------------------------------------------------------------------------


def plain(s: Session) -> dict[str, typing.Any]:
    return sessionfile.to_dict(s)


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["answers"][0]["followups"][0].update(n=True), "answers[0].followups[0].n"),
        (lambda d: d["answers"][0].update(followups=[None]), "answers[0].followups[0]"),
        (lambda d: d["steps"][0].update(status="maybe"), "steps[0].status"),
        (lambda d: d.update(status="lost"), "status"),
        (lambda d: d.update(bank=[]), "bank"),
        (lambda d: d["bank"].update(version="1"), "bank.version"),
        (lambda d: d["bank"].pop("id"), "bank.id"),
        (lambda d: d["cursor"].update(back=[["q", 1, 2]]), "cursor.back[0]"),
        (lambda d: d["cursor"].update(back=[["q", False]]), "cursor.back[0][1]"),
        (lambda d: d.update(skipped=["a", 3]), "skipped[1]"),
        (lambda d: d.update(elapsed=float("inf")), "elapsed"),
        (lambda d: d["ratings"][0].update(max=10**12 + 1), "ratings[0].max"),
        (lambda d: d["practice_data"]["asked"][0].update(text=5), "practice_data.asked[0].text"),
        (lambda d: d["practice_data"].update(stage="lunch"), "practice_data.stage"),
        (lambda d: d["practice_data"].update(phase_seconds={"P": "1"}), "practice_data.phase_seconds"),
        (lambda d: d["practice_data"].update(phase_seconds={1: 1.0}), "practice_data.phase_seconds"),
        (lambda d: d["practice_data"]["roles"].update(observer=3), "practice_data.roles.observer"),
        (lambda d: d["practice_data"].update(names="Anna"), "practice_data.names"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_shape_is_refused_naming_its_key(edit, where):
    data = plain(every_place("x"))
    assert sessionfile.from_dict(data) == every_place("x")
    edit(data)
    with pytest.raises(BadSession) as e:
        sessionfile.from_dict(data)
    assert (e.value.key, e.value.params) == ("session.bad-key", {"key": where})


def test_absent_keys_get_the_files_defaults_and_unknown_keys_are_ignored():
    data = plain(every_place("x"))
    for key in ("client", "practitioner", "ended", "elapsed", "carried", "cursor"):
        del data[key]
    del data["answers"][0]["text"], data["ratings"][0]["min"], data["ratings"][0]["max"]
    data["answers"][0]["followups"] = [{"text": "a", "answer": "b"}, {"text": "c", "answer": "d"}]
    data["practice_data"] = {"round": 2, "colour": "red"}
    data["future"] = {"anything": [1, 2]}
    s = sessionfile.from_dict(data)
    assert (s.client, s.practitioner, s.ended, s.elapsed, s.carried) == (None, "", None, 0.0, [])
    assert s.answers[0].text == "" and (s.ratings[0].min, s.ratings[0].max) == (0, 10)
    assert [f.n for f in s.answers[0].followups] == [1, 2]  # old files: one per slot
    assert s.practice_data == PracticeRound(round=2)
    assert "future" not in plain(s) and "colour" not in plain(s)["practice_data"]


def test_the_file_keeps_its_key_order_and_nesting():
    data = plain(every_place("x"))
    assert list(data)[:6] == ["schema", "id", "client", "meeting", "bank", "lang"]
    assert data["bank"] == {"id": "practice", "version": 1, "source": ""}
    assert list(data["answers"][0]) == ["phase", "question", "asked", "text", "followups", "at"]
    assert list(data["ratings"][0])[-3:] == ["asked", "followups", "at"]
    assert list(data["practice_data"])[:9] == [
        "group", "names", "rounds", "minutes", "bank", "fixed", "first", "cards", "round",
    ]  # fmt: skip
    assert "practice_data" not in plain(session())  # a meeting has none


def test_only_plain_values_are_written():
    def kinds(value: typing.Any) -> set[type]:
        if isinstance(value, dict):
            return {dict}.union(*(kinds(v) for v in value.values()))
        if isinstance(value, list):
            return {list}.union(*(kinds(v) for v in value))
        return {type(value)}

    s = every_place("x")
    s.cursor.back = [("best-hopes", 0)]
    assert kinds(plain(s)) <= {dict, list, str, int, float, bool, type(None)}
    with pytest.raises(TypeError):
        codec.encode(object())


# --- practice rounds as a service, without a screen ------------------------------------------


def test_a_practice_round_goes_through_its_stages_and_is_found_by_its_group(store_dir):
    from sfcoach import practice, practiceround

    store, cards = Store(store_dir), practice.load_cards()
    plan = practiceround.new_plan(["Anna", "Bo", "Cia"], 3, 10, cards, None, None)
    played = []
    for index in range(plan.rounds):
        card = practiceround.card_for(plan, index, cards)
        s = practiceround.new_round(store, plan, index, card, "en")
        assert s.practice_data is not None and s.practice_data.stage == "intro"
        practiceround.begin_conversation(s)
        practiceround.spend(s, "P", 61.25)
        practiceround.own_question(s, "What else?", "other", "More", "P")
        practiceround.end_conversation(s)
        assert practiceround.feedback_giver(s) == practice.roles(plan.names, index).observer
        for kind in practiceround.feedback_to_give(s):
            practiceround.give_feedback(s, kind, f"{kind} text")
        assert practiceround.feedback_to_give(s) == []
        practiceround.finish(s, 7 + index)
        store.save(s)
        played.append(card.id)
    rounds = practiceround.rounds_of(store, plan.group)
    assert [s.practice_data.round for s, _ in rounds if s.practice_data] == [1, 2, 3]
    assert [s.practice_data.roles.coach for s, _ in rounds if s.practice_data] == plan.names
    assert [s.practice_data.scenario for s, _ in rounds if s.practice_data] == played
    assert len(set(played)) == 3  # the cards rotate
    first, counted = rounds[0]
    assert first.status == "completed" and first.practice_data is not None
    assert first.practice_data.usefulness == 7 and first.practice_data.stage == "done"
    assert counted.phase_seconds == {"P": 61.2} and counted.by_type["other"] == 1
    assert practiceround.rounds_of(store, "another-group") == []
