"""Schema 2 in the engine: outcomes, conditions, placeholders, say, optional, step reviews.

Driven with lines as in plain mode, no terminal and no files."""

from __future__ import annotations

import pytest
import yaml
from helpers import ROOT, lines, saved_session, sf, sf_json

from sfcoach import sessionfile
from sfcoach.bank import load_file
from sfcoach.engine import OUTCOME, Engine
from sfcoach.models import Answer, Rating, Session, Step
from sfcoach.store import Store

BANK = load_file(ROOT / "tests" / "banks" / "schema2.yaml")
AT = "2026-11-23T10:00:00+01:00"


def earlier_session(sid: str, hopes: str | None = None, progress: int | None = None) -> Session:
    s = Session(id=sid, client="K1", meeting=BANK.id, bank_id=BANK.id, bank_version=1, lang="en")
    s.status = "completed"
    if hopes is not None:
        s.answers.append(Answer("S", "hopes", hopes))
    if progress is not None:
        s.ratings.append(Rating("progress", "S", progress, 0, 10, "", ""))
    return s


def make(lang="en", carried=(), earlier=()) -> Engine:
    session = Session(
        id="20261123-100000-aaaa",
        client="K1",
        meeting=BANK.id,
        bank_id=BANK.id,
        bank_version=1,
        lang=lang,
        carried=[Step(text, status, origin) for text, status, origin in carried],
    )
    before = {r.scale: r.value for r in earlier[-1].ratings} if earlier else {}
    return Engine(BANK, session, before, clock=lambda: AT, earlier=earlier)


def feed(engine: Engine, *lines: str):
    return [engine.handle(line) for line in lines]


def where(engine: Engine) -> tuple[str, str, int]:
    p = engine.prompt()
    return p.kind, p.question.id if p.question else "", p.stage


def asked(engine: Engine, *lines: str) -> list[tuple[str, str]]:
    """(kind, text) of every prompt shown while the lines are fed, and of the one after."""
    seen = []
    for line in lines:
        p = engine.prompt()
        seen.append((p.kind, p.text))
        engine.handle(line)
    p = engine.prompt()
    return [*seen, (p.kind, p.text)]


# --- outcome -------------------------------------------------------------------


@pytest.mark.parametrize("line", ["same", "2", "nothing is better", "SAME", "Nothing is better."])
def test_the_outcome_is_read_by_name_number_or_text(line):
    e = make()
    feed(e, "Nothing really")
    assert where(e) == ("outcome", "better", OUTCOME)
    assert e.prompt().text == "How did it sound?"
    feed(e, line)
    assert e.session.answer("better").outcome == "same"
    assert e.prompt().text == "How have you kept going?"


def test_the_outcome_in_swedish_is_read_by_its_swedish_text():
    e = make(lang="sv")
    feed(e, "Inget", "det har blivit sämre")
    assert e.session.answer("better").outcome == "worse"


def test_an_unknown_outcome_is_asked_again():
    e = make()
    reply = feed(e, "Nothing really", "fine")[1]
    assert [k for k, _ in reply.messages] == ["outcome.invalid"]
    assert where(e) == ("outcome", "better", OUTCOME)
    assert e.session.answer("better").outcome is None


def test_an_empty_outcome_leaves_it_unclassified_and_skips_outcome_followups():
    e = make()
    shown = asked(e, "Nothing really", "", "More sleep")
    assert shown[2] == ("followup", "What else?")  # only the follow-up without a condition
    assert e.session.answer("better").outcome is None
    # coping needs better in [same, worse]: unclassified is false, so not asked
    assert where(e)[1] == "progress"  # nor exception, more, again, picture


def test_outcome_better_picks_its_followup_and_next_questions():
    e = make()
    shown = asked(e, "I sleep", "better", "I walked", "", "Tuesday")
    texts = [text for _, text in shown]
    assert "How did you do that?" in texts and "How have you kept going?" not in texts
    assert "When did it last happen?" in texts  # exception: {any: [{better: better}, ...]}
    assert "What has helped you?" not in texts  # coping: {better: [same, worse]}


def test_say_is_in_the_prompt_of_a_question_whose_condition_holds():
    e = make()
    feed(e, "Nothing", "same", "")
    p = e.prompt()
    assert (p.question.id, p.say, p.text) == ("coping", "That sounds hard.", "What has helped you?")


def dumps(session: Session) -> str:
    return sessionfile.to_yaml(session)


def loads(text: str) -> Session:
    return sessionfile.from_dict(yaml.safe_load(text))


def test_the_outcome_survives_a_save_and_a_resume(tmp_path):
    e = make()
    feed(e, "Nothing", "worse")
    text = dumps(e.session)
    assert "outcome: worse" in text
    back = loads(text)
    assert back.answer("better").outcome == "worse"
    resumed = Engine(BANK, back, {}, clock=lambda: AT)
    assert resumed.prompt().text == "How have you kept going?"


def test_a_resume_at_the_outcome_asks_for_it_again():
    e = make()
    feed(e, "Nothing")
    back = loads(dumps(e.session))
    assert where(Engine(BANK, back, {}, clock=lambda: AT)) == ("outcome", "better", OUTCOME)


def test_an_answer_without_outcome_is_written_without_the_key():
    e = make()
    feed(e, "Nothing", "")
    assert "outcome" not in dumps(e.session)


def test_editing_the_answer_keeps_its_outcome():
    e = make()
    feed(e, "Nothing", "same", "/back", "/back")
    assert where(e) == ("text", "better", 0)
    feed(e, "Nothing at all", "")  # new text; the outcome offered again, kept
    assert e.session.answer("better").text == "Nothing at all"
    assert e.session.answer("better").outcome == "same"


# --- conditions on questions --------------------------------------------------


def test_skipped_makes_the_any_condition_true():
    e = make()
    feed(e, "")  # better skipped: no outcome asked
    assert "better" in e.session.skipped
    assert where(e)[1] == "exception"


def test_all_needs_every_part():
    e = make()
    feed(e, "Nothing", "same", "Friends", "", "Walks")  # better, coping answered
    assert where(e)[1] == "more"
    e = make()
    feed(e, "Nice", "better", "", "")  # coping never asked, exception left empty
    assert where(e)[1] != "more"


def test_previous_asks_only_when_the_last_session_answered_it():
    without = make(earlier=[earlier_session("20261101-100000-aaaa")])
    feed(without, "", "")  # better skipped, exception empty
    assert where(without)[1] == "progress"  # again and picture are not asked
    with_it = make(earlier=[earlier_session("20261101-100000-aaaa", hopes="A job")])
    feed(with_it, "", "")
    assert where(with_it)[1] == "again"


def test_prev_and_first_fill_from_the_latest_and_earliest_session_with_an_answer():
    earlier = [
        earlier_session("20261001-100000-aaaa", hopes="A flat"),
        earlier_session("20261015-100000-aaaa", hopes="A job"),
        earlier_session("20261101-100000-aaaa"),  # no answer to hopes: passed over
    ]
    e = make(earlier=earlier)
    feed(e, "", "")
    assert where(e)[1] == "picture"
    assert e.prompt().text == "Last time: “A job”, the first time: “A flat”. Still true?"


def test_optional_questions_are_not_counted_as_left_out():
    e = make(earlier=[earlier_session("20261101-100000-aaaa", hopes="A job")])
    feed(e, "/end")
    unanswered = e.summary()["unanswered"]
    # coping, exception and more have false conditions; picture is optional
    asked_ids = {"better", "again", "progress", "hopes"}
    assert unanswered == len(asked_ids)


# --- scale follow-ups ----------------------------------------------------------


def scale(earlier_value: int | None, value: str) -> list[str]:
    earlier = [earlier_session("20261101-100000-aaaa", progress=earlier_value)]
    e = make(earlier=earlier if earlier_value is not None else [])
    feed(e, "", "")
    assert where(e)[1] == "progress"
    shown = [text for _, text in asked(e, value, "a", "b", "c")]
    return shown[1:]


def test_change_up_fills_before_and_value():
    assert scale(3, "5")[0] == "From 3 to 5: what helped?"


def test_change_down_same_and_first():
    assert scale(6, "4")[0] == "What keeps you at 4?"
    assert scale(4, "4")[0] == "How have you held on to 4?"
    assert scale(None, "4")[0] == "What makes it 4?"


def test_at_most_and_at_least():
    assert scale(None, "1")[:2] == ["What makes it 1?", "How do you keep going anyway?"]
    assert scale(None, "9")[:2] == ["What makes it 9?", "What needs to happen to stay there?"]
    assert "How do you keep going anyway?" not in scale(None, "5")


def test_say_with_before_is_shown_only_when_there_was_a_last_time():
    e = make(earlier=[earlier_session("20261101-100000-aaaa", progress=3)])
    feed(e, "", "")
    assert e.prompt().say == "Last time you were at 3."
    e = make()
    feed(e, "", "")
    assert (e.prompt().question.id, e.prompt().say) == ("progress", "")


# --- step review follow-ups ----------------------------------------------------


def review(status: str, before: str = "agreed") -> list[str]:
    e = make(carried=[("Phone the bank", before, "s1"), ("Write a budget", "agreed", "s1")])
    assert where(e) == ("review", "review", 0)
    shown = [text for _, text in asked(e, status, "x", "y")]
    return shown[1:]


def test_done_partly_not_and_not_twice_pick_their_followups():
    assert review("done")[0] == "How did you do it?"
    assert review("done")[1] == "How did it go with: Write a budget?"
    assert review("partly")[0] == "What got in the way?"
    assert review("not")[:2] == ["What got in the way?", "How did it go with: Write a budget?"]
    assert review("not", before="not")[:2] == [
        "What got in the way?",
        "What will you do differently?",
    ]


def test_a_review_followup_answer_is_kept_and_an_empty_line_ends_that_step():
    e = make(carried=[("Phone the bank", "not", "s1"), ("Write a budget", "agreed", "s1")])
    feed(e, "not", "No time", "")
    assert e.prompt().text == "How did it go with: Write a budget?"
    (kept,) = e.session.steps[0].followups  # kept with the reviewed step
    assert (kept.text, kept.answer) == ("What got in the way?", "No time")
    assert [s.status for s in e.session.steps] == ["not"]


# --- plain mode, end to end ----------------------------------------------------


def test_two_plain_meetings_follow_the_client():
    bank = str(ROOT / "tests" / "banks" / "schema2.yaml")
    base = ["start", "--client", "K2", "--lang", "en", "--practitioner", "Anna", "--bank", bank]
    first = sf(
        *base, input=lines("Nothing", "2", "Friends", "", "Walks", "Sun", "3", "x", "A job", "y")
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "1 better: something is better" in out and "2 same: nothing is better" in out
    assert "That sounds hard." in out and "What makes it 3?" in out
    assert "Last time" not in out and "When did it last happen?" not in out
    second = sf(*base, input=lines("", "Monday", "Work", "Yes", "5", "Walking", "A home", "y"))
    assert second.returncode == 0, second.stderr
    out = second.stdout
    assert "When did it last happen?" in out  # better was skipped
    assert "You hoped for that before. What is new?" in out  # {previous: hopes}
    assert "Last time: “A job”, the first time: “A job”. Still true?" in out
    assert "Last time you were at 3." in out and "From 3 to 5: what helped?" in out
    (row,) = [r for r in sf_json("sessions", "list", "--json") if r["client"] == "K2"][:1]
    shown = sf_json("sessions", "show", row["id"])
    assert [a["question"] for a in shown["answers"]][:2] == ["exception", "again"]
    first_id = [r["id"] for r in sf_json("sessions", "list", "--json") if r["client"] == "K2"][-1]
    better = sf_json("sessions", "show", first_id)["answers"][0]
    assert (better["question"], better["outcome"]) == ("better", "same")


# --- the deck ------------------------------------------------------------------


def test_questions_lists_the_deck_with_those_not_asked_marked():
    e = make()
    feed(e, "Nothing", "same", "Friends", "")
    reply = e.handle("/questions")
    assert reply.signal == "questions"
    deck = e.deck()
    assert [(phase, n) for phase, n, _, _ in deck][:3] == [("P", 1), ("P", 2), ("U", 3)]
    assert [n for _, n, _, asked in deck if asked] == [2]
    assert e.handle("/frågor").signal == "questions"


def test_questions_n_asks_it_now_with_its_followups_then_returns():
    e = make()
    feed(e, "Nothing", "same", "Friends", "")
    assert where(e) == ("text", "coping", 0)
    feed(e, "/questions 4")  # exception: its condition is false, but the deck reaches it
    assert where(e) == ("text", "exception", 0)
    feed(e, "On Monday")
    assert where(e) == ("text", "coping", 0)  # back where the meeting was
    assert e.session.answer("exception").text == "On Monday"


def test_questions_n_with_an_outcome_asks_the_outcome_and_followups_first():
    e = make()
    feed(e, "")  # better skipped; now at exception
    assert where(e)[1] == "exception"
    feed(e, "/questions 2", "Work is better", "better")
    assert where(e) == ("followup", "better", 1)
    feed(e, "I asked", "")
    assert where(e) == ("text", "exception", 0)


def test_skip_in_a_detour_returns_and_bad_numbers_are_refused():
    e = make()
    feed(e, "")
    feed(e, "/questions 8", "/skip")
    assert where(e)[1] == "exception"
    for arg in ("0", "99", "two"):
        assert [k for k, _ in e.handle(f"/questions {arg}").messages] == ["questions.usage"]
    assert [k for k, _ in e.handle("/questions 1").messages] == ["questions.no-steps"]


def test_the_deck_in_plain_mode():
    bank = str(ROOT / "tests" / "banks" / "schema2.yaml")
    base = ["start", "--client", "K3", "--lang", "sv", "--practitioner", "Anna", "--bank", bank]
    proc = sf(*base, input=lines("Inget", "2", "", "/frågor", "/pause"))
    assert proc.returncode == 0, proc.stderr
    assert "Frågor" in proc.stdout and "    2. Vad är bättre sedan sist?" in proc.stdout
    assert "    3. Vad har hjälpt dig?  (inte ställd än)" in proc.stdout


def test_a_followup_shown_after_back_has_its_question_filled_in_as_context():
    e = make(carried=[("Phone the bank", "agreed", "s1")])
    feed(e, "done")
    p = e.prompt()
    assert (p.kind, p.text, p.context) == (
        "followup",
        "How did you do it?",
        "How did it go with: Phone the bank?",
    )


def test_sessions_show_names_the_outcome_of_a_classified_answer(store_dir):
    store = Store(store_dir)
    s = saved_session(store, answers={"better": ("P", "Inget särskilt")})
    s.answers[0].outcome = "same"
    store.save(s)
    proc = sf("sessions", "show", s.id)
    assert proc.returncode == 0, proc.stderr
    assert "Inget särskilt (same)" in proc.stdout
