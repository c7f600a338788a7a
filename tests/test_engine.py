"""The conversation engine driven by lists of lines, with no terminal and no files."""

from __future__ import annotations

import pytest
from helpers import ENGINE_AT as AT
from helpers import ROOT, engine_for

from sfcoach import sessionfile
from sfcoach.bank import load_file
from sfcoach.engine import MAX_ANSWER, Engine

BANK = load_file(ROOT / "tests" / "banks" / "engine.yaml")


def make(lang="en", carried=(), previous=None, bank=BANK) -> Engine:
    return engine_for(bank, lang, carried, previous)


def feed(engine: Engine, *lines: str):
    return [engine.handle(line) for line in lines]


def where(engine: Engine) -> tuple[str, str, int]:
    p = engine.prompt()
    return p.kind, p.question.id if p.question else "", p.stage


def keys(reply) -> list[str]:
    return [key for key, _ in reply.messages]


def test_a_whole_meeting_in_order():
    e = make()
    replies = feed(
        e,
        "A calmer week", "I sleep better", "Bills paid",  # hopes + two follow-ups
        "I wake up rested",  # miracle
        "My sister helps",  # works
        "4", "I open the post", "I phone the bank",  # scale + follow-ups
        "Phone the bank", "Write a budget", "",  # steps
    )  # fmt: skip
    assert replies[-1].signal == "summary"
    assert e.prompt().kind == "confirm"
    assert feed(e, "y")[0].signal == "completed"
    s = e.session
    assert s.status == "completed" and s.ended == AT
    assert [(a.question, a.text) for a in s.answers] == [
        ("hopes", "A calmer week"),
        ("miracle", "I wake up rested"),
        ("works", "My sister helps"),
    ]
    hopes = s.answers[0]
    assert [(f.text, f.answer) for f in hopes.followups] == [
        ("How would you notice?", "I sleep better"),
        ("What else?", "Bills paid"),
    ]
    assert hopes.asked == "What are your hopes?" and hopes.phase == "P"
    (rating,) = s.ratings
    assert (rating.scale, rating.value, rating.min, rating.max) == ("progress", 4, 0, 10)
    assert (rating.low, rating.high, rating.label) == ("the opposite", "as you want", "Progress")
    assert [f.text for f in rating.followups] == [
        "What puts you at 4 and not 0?",
        "What would 5 look like?",
    ]
    assert [(x.text, x.status, x.from_session, x.question) for x in s.steps] == [
        ("Phone the bank", "agreed", s.id, "next"),
        ("Write a budget", "agreed", s.id, "next"),
    ]
    assert s.skipped == []


def test_step_review_is_left_out_without_steps_from_last_time():
    e = make()
    feed(e, "hopes", "")
    assert where(e) == ("text", "miracle", 0)


def test_an_empty_follow_up_skips_the_rest_of_that_questions_follow_ups():
    e = make()
    feed(e, "hopes", "")
    assert where(e) == ("text", "miracle", 0)
    assert e.session.answers[0].followups == []


def test_an_empty_answer_leaves_the_question_unanswered_and_moves_on():
    e = make()
    feed(e, "")
    assert where(e) == ("text", "miracle", 0)
    assert e.session.answers == [] and e.session.skipped == ["hopes"]
    assert e.summary()["unanswered"] == 5  # review questions do not count


def test_answers_are_stripped_but_keep_inner_newlines():
    e = make()
    feed(e, "  first line\nsecond line  ")
    assert e.session.answers[0].text == "first line\nsecond line"


@pytest.mark.parametrize("bad", ["7.5", "-1", "11", "sju", "7/10", "1_0", "seven", "0x5"])
def test_a_scale_refuses_anything_but_a_whole_number_in_range(bad):
    e = make()
    e.handle("/phase S")
    reply = e.handle(bad)
    assert keys(reply) == ["scale.invalid"]
    assert where(e) == ("scale", "progress", 0) and e.session.ratings == []
    e.handle(" 7 ")
    assert e.session.ratings[0].value == 7


def test_an_empty_scale_answer_is_refused_with_a_hint_to_skip():
    e = make()
    e.handle("/phase S")
    assert keys(e.handle("")) == ["scale.need-number"]
    assert where(e) == ("scale", "progress", 0)


@pytest.mark.parametrize(
    "value, asked",
    [
        ("0", ["What would 1 look like?"]),  # nothing below 0 to ask about
        ("5", ["What puts you at 5 and not 0?", "What would 6 look like?"]),
        ("10", ["What puts you at 10 and not 0?"]),  # nothing above the top
    ],
)
def test_scale_follow_ups_fill_in_the_rating_and_fit_the_ends(value, asked):
    e = make()
    e.handle("/phase S")
    e.handle(value)
    shown = []
    while e.prompt().kind == "followup":
        shown.append(e.prompt().text)
        e.handle("answer")
    assert shown == asked
    assert where(e) == ("step", "next", 0)


def test_swedish_texts_are_asked_in_a_swedish_session():
    e = make("sv")
    assert e.prompt().text == "Vad hoppas du på?"
    feed(e, "/fas S", "3")
    assert e.prompt().text == "Vad gör att du är på 3 och inte på 0?"
    assert e.session.ratings[0].label == "Framsteg"


def test_back_over_a_follow_up_edits_it_and_returns_to_where_you_were():
    e = make()
    feed(e, "hopes", "first follow-up", "")
    assert where(e) == ("text", "miracle", 0)
    e.handle("/back")  # the empty line that ended the follow-ups was shown: back there first
    assert where(e) == ("followup", "hopes", 2) and e.prompt().prefill == ""
    e.handle("/back")
    assert where(e) == ("followup", "hopes", 1)
    assert e.prompt().prefill == "first follow-up"
    feed(e, "edited follow-up", "")
    assert where(e) == ("text", "miracle", 0)
    assert e.session.answers[0].followups[0].answer == "edited follow-up"
    assert len(e.session.answers[0].followups) == 1


def test_back_twice_then_empty_lines_keep_answers_on_the_way_forward():
    e = make()
    feed(e, "hopes", "", "miracle answer")
    assert where(e) == ("text", "works", 0)
    feed(e, "/back", "/back", "/back")  # over the empty follow-up line that was shown
    assert where(e) == ("text", "hopes", 0)
    assert e.prompt().prefill == "hopes"
    feed(e, "", "")  # keep, and the follow-up still empty
    assert where(e) == ("text", "miracle", 0)
    assert e.prompt().prefill == "miracle answer"
    e.handle("better miracle")
    assert where(e) == ("text", "works", 0)
    assert [a.text for a in e.session.answers] == ["hopes", "better miracle"]


def test_back_to_a_scale_keeps_its_value_on_an_empty_line_and_replaces_it_on_a_number():
    e = make()
    feed(e, "/phase S", "4", "", "step one", "")
    assert e.prompt().kind == "confirm"
    e.handle("n")  # back in the session, at the last step line
    assert where(e) == ("step", "next", 0)
    feed(e, "/back", "/back")  # the scale's unanswered follow-up, then the scale
    assert where(e) == ("scale", "progress", 0) and e.prompt().prefill == "4"
    e.handle("6")
    assert e.session.ratings[0].value == 6 and len(e.session.ratings) == 1


def test_back_with_nothing_before_says_so():
    e = make()
    assert keys(e.handle("/back")) == ["back.none"]
    assert where(e) == ("text", "hopes", 0)


def test_skip_moves_on_and_back_returns_to_the_skipped_question():
    e = make()
    e.handle("/skip")
    assert where(e) == ("text", "miracle", 0)
    assert e.session.skipped == ["hopes"]
    e.handle("/back")
    assert where(e) == ("text", "hopes", 0)
    e.handle("late answer")
    assert e.session.skipped == []
    assert where(e) == ("text", "miracle", 0)


def test_skip_inside_follow_ups_keeps_the_answer_and_goes_to_the_next_question():
    e = make()
    feed(e, "hopes", "/skip")
    assert where(e) == ("text", "miracle", 0)
    assert e.session.skipped == [] and e.session.answers[0].text == "hopes"


def test_phase_jumps_both_ways():
    e = make()
    e.handle("/phase u")
    assert where(e) == ("text", "works", 0)
    e.handle("/phase P")
    assert where(e) == ("text", "hopes", 0)


@pytest.mark.parametrize("arg", ["", "X", "PL", "Planet"])
def test_phase_needs_one_of_the_four_letters(arg):
    e = make()
    assert keys(e.handle(f"/phase {arg}")) == ["phase.usage"]
    assert where(e) == ("text", "hopes", 0)


def test_phase_missing_from_the_bank_is_refused(tmp_path):
    bank_file = tmp_path / "short.yaml"
    bank_file.write_text(
        "schema: 1\nid: short\nlanguages: [en]\ntitle: {en: Short}\nphases:\n"
        "  - id: P\n    questions:\n      - {id: a, kind: text, text: {en: A?}}\n"
        "  - id: S\n    questions:\n      - {id: b, kind: text, text: {en: B?}}\n"
    )
    e = make(bank=load_file(bank_file))
    reply = e.handle("/phase L")
    assert reply.messages == [("phase.absent", {"phase": "L"})]


def test_note_and_step_commands_record_without_moving():
    e = make()
    feed(e, "/note  Client brought payslips ", "/step Call the landlord")
    assert where(e) == ("text", "hopes", 0)
    assert [(n.text, n.at) for n in e.session.notes] == [("Client brought payslips", AT)]
    step = e.session.steps[0]
    assert (step.text, step.status, step.from_session, step.question) == (
        "Call the landlord",
        "agreed",
        e.session.id,
        None,
    )
    assert keys(e.handle("/note")) == ["note.usage"]
    assert keys(e.handle("/step   ")) == ["step.usage"]


def test_an_unknown_command_is_not_saved_as_an_answer():
    e = make()
    reply = e.handle("/frobnicate now")
    assert reply.messages == [("command.unknown", {"word": "/frobnicate"})]
    assert e.session.answers == [] and where(e) == ("text", "hopes", 0)
    reply = e.handle("/ half of the time")
    assert keys(reply) == ["command.unknown"] and e.session.answers == []


def test_a_double_slash_keeps_a_literal_slash():
    e = make()
    e.handle("//back is where I want to go")
    assert e.session.answers[0].text == "/back is where I want to go"


def test_commands_ignore_case_and_have_swedish_names():
    e = make("sv")
    feed(e, "svar", "/HOPPA")
    assert where(e) == ("text", "miracle", 0)
    e.handle("/Tillbaka")
    assert where(e) == ("followup", "hopes", 1)
    assert e.handle("/hjälp").signal == "help"
    assert e.handle("/paus").signal == "pause"
    assert e.handle("/tips").signal == "tips"


def test_end_shows_the_summary_and_anything_but_yes_returns():
    e = make()
    feed(e, "hopes", "/end")
    assert e.prompt().kind == "confirm"
    reply = e.handle("no thanks")
    assert reply.signal == "returned"
    assert where(e) == ("followup", "hopes", 1)
    feed(e, "/end", "J")
    assert e.session.status == "completed"
    assert keys(e.handle("more")) == ["session.already-completed"]


def test_after_the_last_question_a_no_returns_to_the_last_answer():
    e = make()
    feed(e, "/phase S", "3", "", "a step", "")
    assert e.prompt().kind == "confirm"
    e.handle("")
    assert where(e) == ("step", "next", 0) and e.prompt().prefill == "a step"


def test_summary_counts_what_was_said():
    e = make(previous={"progress": 2})
    feed(e, "hopes", "", "/note n", "/phase S", "5", "", "step a", "", "/end")
    summary = e.summary()
    assert summary["answers"] == 1
    assert summary["ratings"] == [("Progress", 5, 10, 2)]
    assert summary["agreed"] == ["step a"]
    assert summary["notes"] == 1
    assert summary["unanswered"] == 2  # miracle, works


def test_rescaling_says_how_it_compares_with_last_time():
    e = make(previous={"progress": 4})
    e.handle("/phase S")
    reply = e.handle("6")
    assert reply.messages[0] == ("scale.change", {"before": 4, "now": 6})


CARRIED = [("Phone the bank", "agreed", "s1"), ("Write a budget", "not", "s0")]


def test_step_review_walks_through_last_times_steps():
    e = make(carried=CARRIED)
    feed(e, "hopes", "")
    p = e.prompt()
    assert (p.kind, p.step.text) == ("review", "Phone the bank")
    assert p.text == "Last time: “Phone the bank”. How did it go?"
    assert keys(e.handle("maybe")) == ["review.invalid"]
    e.handle("Done")
    assert e.prompt().step.text == "Write a budget"
    reply = e.handle("3")
    assert ("review.not-twice", {}) in reply.messages
    assert where(e) == ("text", "miracle", 0)
    assert [(x.text, x.status, x.from_session, x.question) for x in e.session.steps] == [
        ("Phone the bank", "done", "s1", "review"),
        ("Write a budget", "not", "s0", "review"),
    ]


@pytest.mark.parametrize(
    "word, status",
    [("klart", "done"), ("delvis", "partly"), ("inte", "not"), ("inte än", "not"), ("2", "partly")],
)
def test_step_review_takes_swedish_words_and_digits(word, status):
    e = make("sv", carried=CARRIED[:1])
    feed(e, "svar", "", word)
    assert e.session.steps[0].status == status


def test_not_done_only_once_gives_no_hint():
    e = make(carried=[("Phone the bank", "agreed", "s1")])
    replies = feed(e, "hopes", "", "not")
    assert "review.not-twice" not in keys(replies[-1])


def test_back_to_a_review_shows_the_status_in_the_sessions_language():
    e = make("sv", carried=CARRIED[:1])
    feed(e, "svar", "", "1", "/tillbaka")
    assert e.prompt().kind == "review" and e.prompt().prefill == "klart"
    e.handle("delvis")
    assert [x.status for x in e.session.steps] == ["partly"]


def test_an_empty_line_on_a_review_leaves_that_step_unreviewed():
    e = make(carried=CARRIED)
    feed(e, "hopes", "", "", "done")
    assert [(x.text, x.status) for x in e.session.steps] == [("Write a budget", "done")]


def test_steps_can_be_edited_after_back():
    e = make()
    feed(e, "/phase S", "5", "", "first", "second", "")
    feed(e, "n", "/back")
    assert where(e) == ("step", "next", 0) and e.prompt().prefill == "first"
    e.handle("first, edited")
    assert [x.text for x in e.session.steps] == ["first, edited", "second"]


def test_an_answer_that_is_too_long_is_refused_and_not_saved():
    e = make()
    reply = e.handle("x" * (MAX_ANSWER + 1))
    assert keys(reply) == ["answer.too-long"] and e.session.answers == []
    e.handle("y" * MAX_ANSWER)
    assert len(e.session.answers[0].text) == MAX_ANSWER


def test_emoji_and_combining_characters_are_kept_exactly():
    e = make()
    text = "Bättre 😊 — e\u0301 och a\u030a"
    e.handle(text)
    assert e.session.answers[0].text == text


def test_a_saved_session_resumes_at_the_same_place_with_back_history():
    e = make(carried=CARRIED)
    feed(e, "hopes", "more", "", "done")
    data = sessionfile.to_dict(e.session)
    resumed = Engine(BANK, sessionfile.from_dict(data), clock=lambda: AT)
    assert where(resumed) == ("review", "review", 1)
    resumed.handle("/back")
    assert where(resumed) == ("review", "review", 0)
    assert resumed.prompt().prefill == "done"


def test_a_session_saved_at_the_summary_resumes_at_the_summary():
    e = make()
    feed(e, "hopes", "/end")
    resumed = Engine(BANK, sessionfile.from_dict(sessionfile.to_dict(e.session)))
    assert resumed.prompt().kind == "confirm"
    resumed.handle("n")
    assert where(resumed) == ("followup", "hopes", 1)


def test_a_cursor_naming_a_question_the_bank_no_longer_has_starts_over():
    e = make()
    e.handle("hopes")
    e.session.cursor.question = "gone-question"
    e.session.cursor.back = [("gone-too", 0), ("hopes", 0)]
    resumed = Engine(BANK, e.session)
    assert where(resumed) == ("text", "hopes", 0)
    assert resumed.back == [(0, 0)]


def test_a_cursor_that_no_longer_fits_is_corrected_not_a_crash():
    e = make(carried=CARRIED)
    e.session.cursor.question, e.session.cursor.stage = "review", 7  # only two steps carried
    e.session.cursor.back = [("hopes", 99)]
    resumed = Engine(BANK, e.session)
    assert resumed.prompt().kind == "text" and resumed.back == [(0, 0)]
