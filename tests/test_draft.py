"""Ctrl-C in the middle of an answer keeps the half-typed text as a draft in the session
file; resume puts it back in the prompt. In-process through prompt-toolkit's pipe input,
and once in a real pseudo-terminal with the installed `sfcoach`."""

from __future__ import annotations

import io
import os
import shlex

import pexpect
from helpers import SAMPLE_BANK, SFCOACH, lines, sf_json
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from sfcoach import meeting
from sfcoach.errors import EXIT_INTERRUPTED, EXIT_OK
from sfcoach.store import Store
from sfcoach.ui.plain import PlainIO
from sfcoach.ui.session import run_session
from sfcoach.ui.terminal import TerminalIO

ENTER, CTRL_C = "\r", "\x03"
PNR = "19121212-1212"


def run(store: Store, opened, keys: str, fresh: bool) -> tuple[int, str]:
    printed = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        term = TerminalIO("en", stdin=io.StringIO(), stdout=printed)
        pipe.send_text(keys)
        code = run_session(opened, store, term, "mask", "sfcoach resume", fresh=fresh)
    return code, printed.getvalue()


def interrupted(tmp_path, half: str):
    """A meeting on the sample bank: one answer, then `half` typed and Ctrl-C."""
    store = Store(tmp_path / "store")
    opened = meeting.open_new(store, "K1", "en", "A", bank_ref=str(SAMPLE_BANK))
    code, printed = run(store, opened, "I want clarity" + ENTER + half + CTRL_C, fresh=True)
    assert code == EXIT_INTERRUPTED
    return store, opened.session.id, printed


def test_ctrl_c_keeps_the_half_typed_answer_masked_and_resume_puts_it_back(tmp_path):
    store, sid, printed = interrupted(tmp_path, f"calm, call {PNR} and")
    assert "The unfinished answer is kept and comes back when you resume." in printed
    path = store.find(sid)
    saved = store.load(path)
    assert saved.status == "paused" and saved.cursor.draft == "calm, call XXXXXXXX-XXXX and"
    assert PNR not in path.read_text(encoding="utf-8")

    code, _ = run(store, meeting.reopen(store, sid), " more" + ENTER + CTRL_C, fresh=False)
    assert code == EXIT_INTERRUPTED
    resumed = store.load(path)
    wish = resumed.answer("wish")
    assert wish is not None and [f.answer for f in wish.followups] == [
        "calm, call XXXXXXXX-XXXX and more"
    ]
    assert resumed.cursor.draft is None  # used once; nothing was typed at the next question


def test_ctrl_c_on_an_empty_line_keeps_no_draft(tmp_path):
    store, sid, printed = interrupted(tmp_path, "")
    assert store.load(store.find(sid)).cursor.draft is None
    assert "unfinished answer" not in printed


def test_plain_mode_shows_a_draft_instead_of_putting_it_in_a_prompt(tmp_path):
    store, sid, _ = interrupted(tmp_path, "half an answer")
    out = io.StringIO()
    plain = PlainIO(stdin=io.StringIO(lines("half an answer, finished")), stdout=out)
    code = run_session(meeting.reopen(store, sid), store, plain, "mask", "sfcoach resume", False)
    assert code == EXIT_OK
    assert "Unfinished answer from last time: half an answer" in out.getvalue()
    wish = store.load(store.find(sid)).answer("wish")
    assert wish is not None and wish.followups[0].answer == "half an answer, finished"


def test_in_a_terminal_the_draft_is_back_in_the_prompt_on_resume(tmp_path):
    start = shlex.split("start --client K1 --meeting first-visit --lang en --practitioner A")
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color"}
    child = pexpect.spawn(
        SFCOACH, start, env=env, dimensions=(40, 200), encoding="utf-8", timeout=20
    )
    try:
        child.expect_exact("›")
        child.send("Jag skulle ha ett jo")
        child.expect_exact("ett jo")
        child.sendcontrol("c")
        child.expect_exact("The unfinished answer is kept")
        child.expect(r"sfcoach resume (\S+)")
        sid = child.match.group(1)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == EXIT_INTERRUPTED

        child = pexpect.spawn(
            SFCOACH, ["resume"], env=env, dimensions=(40, 200), encoding="utf-8", timeout=20
        )
        child.expect_exact("[Y/n]")
        child.send("y\r")
        child.expect_exact("› Jag skulle ha ett jo")  # back in the prompt, ready to go on
        child.send("bb\r")
        child.expect_exact("›")
        child.send("/pause\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    answers = sf_json("sessions", "show", sid)["answers"]
    assert answers[0]["text"] == "Jag skulle ha ett jobb"
