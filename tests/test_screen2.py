"""Issue 14's remaining screen points: /back to what was shown, masked input redrawn,
wrapped input told apart from a new line, the toolbar at 60 columns, the pager."""

from __future__ import annotations

import pytest
from helpers import engine_for
from test_screen import Screen

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


# --- the screen, as a person sees it ------------------------------------------------------


@pytest.fixture
def opened():
    screens: list[Screen] = []

    def open_(*args, **kw) -> Screen:
        screens.append(Screen(*args, **kw))
        return screens[-1]

    yield open_
    for s in screens:
        s.close()


START = ["start", "--client", "K1", "--meeting", "first-visit", "--lang", "en"]
PNR = "19121212-1212"


def test_an_accepted_line_with_an_identity_number_is_redrawn_masked(tmp_path, opened):
    screen = opened(tmp_path, [*START, "--practitioner", "A"], 80)
    screen.until("(1/", "›")
    screen.send(f"Call the office, tel {PNR}")
    screen.until(PNR)  # on screen while typing
    screen.send("\r")
    screen.until("A personal identity number was masked before saving.", "›")
    assert PNR not in screen.text
    assert any(
        row.startswith("› Call the office, tel XXXXXXXX-XXXX") for row in screen.screen.display
    )
