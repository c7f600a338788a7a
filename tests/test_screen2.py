"""Issue 14's remaining screen points: /back to what was shown, masked input redrawn,
wrapped input told apart from a new line, the toolbar at 60 columns, the pager."""

from __future__ import annotations

from helpers import engine_for

from sfcoach.bank import load_builtin

FOLLOW_UP = load_builtin("follow-up")


def where(engine) -> tuple[str, str, int]:
    p = engine.prompt()
    return p.kind, p.question.id if p.question else "", p.stage


def feed(engine, *lines: str) -> None:
    for line in lines:
        engine.handle(line)


# --- /back returns to the previous question shown, answered or not --------------------


def test_back_after_a_step_question_with_no_steps_returns_to_it():
    e = engine_for(FOLLOW_UP)
    feed(e, "/phase S", "5", "", "")  # the scale, its first follow-up left empty, no step
    assert where(e) == ("text", "notice", 0)
    e.handle("/back")
    assert where(e) == ("step", "next-step", 0)
    e.handle("Call the landlord")  # a step given late, then on to where the meeting was
    assert [s.text for s in e.session.steps] == ["Call the landlord"]
    assert where(e) == ("text", "notice", 0)


def test_back_after_an_empty_follow_up_returns_to_that_follow_up():
    e = engine_for(FOLLOW_UP)
    feed(e, "/phase S", "5", "")
    assert where(e) == ("step", "next-step", 0)
    e.handle("/back")
    assert where(e) == ("followup", "progress", 1) and e.prompt().prefill == ""


def test_back_after_a_question_left_empty_returns_to_it():
    e = engine_for(FOLLOW_UP)
    e.handle("")
    assert e.session.skipped == ["better"]
    e.handle("/back")
    assert where(e) == ("text", "better", 0)
