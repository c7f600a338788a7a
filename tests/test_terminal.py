"""The terminal screen in-process: TerminalIO's prompt-toolkit input over a pipe, no real tty.

Keys go in through `create_pipe_input()`, the screen goes to `DummyOutput()`; what
TerminalIO itself prints (questions, messages) goes to a StringIO.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from helpers import SAMPLE_BANK
from prompt_toolkit.application import create_app_session
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from sfcoach import meeting
from sfcoach.errors import EXIT_INTERRUPTED, EXIT_OK
from sfcoach.store import Store
from sfcoach.ui.session import run_session
from sfcoach.ui.terminal import TerminalIO, _command_completer
from sfcoach.ui.view import Status

ENTER, ALT_ENTER, BACKSPACE = "\r", "\x1b\r", "\x7f"
CTRL_C, CTRL_D = "\x03", "\x04"


@contextmanager
def screen(lang: str = "en"):
    """A TerminalIO reading from a pipe; yields (io, pipe, printed)."""
    printed = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        term = TerminalIO(lang, stdin=io.StringIO(), stdout=printed)
        try:
            yield term, pipe, printed
        finally:
            term.close()


# --- one line at a time ---------------------------------------------------------------


def test_enter_returns_the_typed_line():
    with screen() as (term, pipe, _):
        pipe.send_text("a calmer morning" + ENTER)
        assert term.read() == "a calmer morning"


def test_lines_typed_ahead_reach_the_following_prompts():
    with screen() as (term, pipe, _):
        pipe.send_text("first" + ENTER + "second" + ENTER)
        assert term.read() == "first"
        assert term.read() == "second"


def test_alt_enter_inserts_a_newline_instead_of_submitting():
    with screen() as (term, pipe, _):
        pipe.send_text("line one" + ALT_ENTER + "line two" + ENTER)
        assert term.read() == "line one\nline two"


def test_esc_then_ctrl_j_also_inserts_a_newline():
    """Alt-Enter typed before the prompt is up reaches it as Esc + LF (the tty's ICRNL)."""
    with screen() as (term, pipe, _):
        pipe.send_text("line one\x1b\nline two\n")
        assert term.read() == "line one\nline two"


def test_prefill_is_returned_unchanged_on_plain_enter():
    with screen() as (term, pipe, _):
        pipe.send_text(ENTER)
        assert term.read(prefill="the old answer") == "the old answer"


def test_prefill_can_be_edited_with_backspaces():
    with screen() as (term, pipe, _):
        pipe.send_text(BACKSPACE * len("answer") + "reply" + ENTER)
        assert term.read(prefill="the old answer") == "the old reply"


def test_prefill_can_be_cleared_with_ctrl_u():
    with screen() as (term, pipe, _):
        pipe.send_text("\x15" + "something new" + ENTER)
        assert term.read(prefill="the old answer") == "something new"


def test_ctrl_d_on_an_empty_line_is_end_of_input():
    with screen() as (term, pipe, _):
        pipe.send_text(CTRL_D)
        with pytest.raises(EOFError):
            term.read()


def test_ctrl_c_is_keyboard_interrupt():
    with screen() as (term, pipe, _):
        pipe.send_text("half an answer" + CTRL_C)
        with pytest.raises(KeyboardInterrupt):
            term.read()


def test_read_with_a_status_bar_returns_the_line():
    with screen() as (term, pipe, _):
        status = Status("en", lambda: 5.0)
        status.phase, status.number, status.total = "P", 1, 4
        pipe.send_text("fine" + ENTER)
        assert term.read("› ", "", status) == "fine"


def test_write_prints_lines_to_stdout():
    with screen() as (term, _, printed):
        term.write(["one", "two"])
        term.write([])
        assert printed.getvalue() == "one\ntwo\n"


# --- the bottom bar ----------------------------------------------------------------------


def toolbar_text(parts: list[tuple[str, str]]) -> str:
    return "".join(text for _, text in parts)


def test_toolbar_marks_the_current_phase_and_shows_the_time():
    status = Status("en", lambda: 65.0)
    status.phase, status.number, status.total = "L", 2, 5
    parts = TerminalIO("en", stdin=io.StringIO(), stdout=io.StringIO())._toolbar(status)
    marked = [text.strip() for style, text in parts if style == "class:plus-on"]
    others = [text.strip() for style, text in parts if style == "class:plus-off"]
    assert marked == ["L"]
    assert others == ["P", "U", "S"]
    text = toolbar_text(parts)
    assert "01:05" in text
    assert "Solution" in text
    assert "2/5" in text
    assert "Alt-Enter" in text
    assert "NOT SAVED" not in text


def test_toolbar_in_swedish_with_hours_and_an_unsaved_warning():
    status = Status("sv", lambda: 3725.0)
    status.phase, status.number, status.total = "U", 3, 5
    status.unsaved = True
    parts = TerminalIO("sv", stdin=io.StringIO(), stdout=io.StringIO())._toolbar(status)
    assert [t.strip() for s, t in parts if s == "class:plus-on"] == ["U"]
    text = toolbar_text(parts)
    assert "1:02:05" in text
    assert "Undantag" in text
    assert ("class:unsaved", "  INTE SPARAT") in parts


# --- tab completion --------------------------------------------------------------------


def completions(lang: str, text: str) -> list[str]:
    completer = _command_completer(lang)
    found = completer.get_completions(Document(text), CompleteEvent(completion_requested=True))
    return [c.text for c in found]


def test_completer_offers_commands_after_a_slash():
    assert "/back" in completions("en", "/ba")
    assert completions("en", "/he") == ["/help"]
    assert "/pause" in completions("en", "/")


def test_completer_offers_swedish_commands_in_swedish():
    found = completions("sv", "/ti")
    assert "/tillbaka" in found
    assert "/tips" in found
    assert "/hjälp" in completions("sv", "/hj")
    assert "/back" in completions("sv", "/ba")  # English words work in Swedish too


def test_completer_replaces_what_was_typed():
    completer = _command_completer("en")
    (only,) = completer.get_completions(Document("/PA"), CompleteEvent(completion_requested=True))
    assert only.text == "/pause"
    assert only.start_position == -3


def test_completer_offers_nothing_for_plain_text():
    assert completions("en", "back") == []
    assert completions("en", "") == []
    assert completions("en", "/note some text") == []
    assert completions("sv", "tillb") == []


# --- a whole meeting in-process ----------------------------------------------------------


def run_meeting(tmp_path, keys: str, lang: str = "en"):
    """Open a session on the sample bank and run it with `keys` typed ahead."""
    store = Store(tmp_path / "store")
    opened = meeting.open_new(store, "K1", lang, "A", bank_ref=str(SAMPLE_BANK))
    with screen(lang) as (term, pipe, printed):
        pipe.send_text(keys)
        code = run_session(opened, store, term, "mask", "sfcoach resume", fresh=True)
    session = store.load(store.path_of(opened.session))
    return code, session, printed.getvalue()


def test_a_whole_meeting_runs_and_is_saved(tmp_path):
    keys = "".join(
        [
            "I want clarity" + ENTER,  # wish
            "and some calm" + ENTER,  # its follow-up, "What else?"
            "calm mornings" + ENTER,  # picture
            "/back" + ENTER,  # picture again, its answer in the input
            BACKSPACE * len("mornings") + "evenings" + ENTER,
            "walks" + ALT_ENTER + "with the dog" + ENTER,  # works: two lines
            "11" + ENTER,  # progress: refused
            "6" + ENTER,
            "call Anna" + ENTER,  # step
            "book the gym" + ENTER,
            ENTER,  # no more steps: summary
            "y" + ENTER,
        ]
    )
    code, s, printed = run_meeting(tmp_path, keys)
    assert code == EXIT_OK
    assert s.status == "completed"
    assert s.ended
    answers = {a.question: a for a in s.answers}
    assert answers["wish"].text == "I want clarity"
    assert [(f.text, f.answer) for f in answers["wish"].followups] == [
        ("What else?", "and some calm")
    ]
    assert answers["picture"].text == "calm evenings"
    assert answers["works"].text == "walks\nwith the dog"
    assert [(r.scale, r.value, r.phase) for r in s.ratings] == [("progress", 6, "S")]
    assert [(st.text, st.status) for st in s.steps] == [
        ("call Anna", "agreed"),
        ("book the gym", "agreed"),
    ]
    assert s.skipped == []
    assert "Please give a whole number from 0 to 10." in printed
    assert "Summary" in printed
    assert f"Saved as completed: {s.id}" in printed


def test_end_of_input_mid_meeting_pauses(tmp_path):
    code, s, printed = run_meeting(tmp_path, "I want clarity" + ENTER + CTRL_D)
    assert code == EXIT_OK
    assert s.status == "paused"
    assert [a.text for a in s.answers] == ["I want clarity"]
    assert f"sfcoach resume {s.id}" in printed


def test_ctrl_c_mid_meeting_pauses_with_exit_130(tmp_path):
    code, s, printed = run_meeting(tmp_path, "Jag vill ha klarhet" + ENTER + CTRL_C, lang="sv")
    assert code == EXIT_INTERRUPTED == 130
    assert s.status == "paused"
    assert [a.text for a in s.answers] == ["Jag vill ha klarhet"]
    assert "Vad mer?" in printed
    assert f"sfcoach resume {s.id}" in printed
