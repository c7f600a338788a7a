"""End to end in a real pseudo-terminal: the installed `sfcoach`, typed at as a user would.

Every key is sent only once the question and the prompt ("›") are on screen, except
in the test about keys typed early. Results are read back with `sessions show --json`.
"""

from __future__ import annotations

import os
import shlex
import signal

import pexpect
import pytest
import yaml
from helpers import ROOT, SFCOACH, sf, sf_json

from sfcoach.store import Store

TIMEOUT = 20
PROMPT = "›"
CONFIRM = "anything else = back to the session:"  # the end of the summary's prompt
ALT_ENTER = "\x1b\r"
# The schema-1 first visit, whose every question is asked in order: these tests are about
# the terminal, and the built-in bank now follows the answers (tests/test_builtin_banks.py).
BANK_FILE = ROOT / "tests" / "banks" / "first-visit-schema1.yaml"
START = [*shlex.split("start --client K1 --lang en --practitioner A --bank"), str(BANK_FILE)]
BANK = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
QUESTIONS = {q["id"]: q for phase in BANK["phases"] for q in phase["questions"]}
ID = r"\d{8}-\d{6}-[0-9a-f]{4,8}"
ORDER = [(phase["id"], q["id"]) for phase in BANK["phases"] for q in phase["questions"]]


def en(qid: str) -> str:
    return QUESTIONS[qid]["text"]["en"]


def followup(qid: str, k: int, **values: int) -> str:
    """The k-th (1-based) follow-up of a question, as shown."""
    return QUESTIONS[qid]["followups"][k - 1]["en"].format(**values)


_children: list[pexpect.spawn] = []


@pytest.fixture(autouse=True)
def _no_leftover_children():
    """A failed test must not leave its sfcoach waiting in a pty."""
    yield
    while _children:
        child = _children.pop()
        if child.isalive():
            child.close(force=True)


def spawn(cwd, *args: str, program: str = SFCOACH) -> pexpect.spawn:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color"}
    child = pexpect.spawn(
        program,
        list(args),
        env=env,
        # Wide enough that no question wraps: these tests read the bytes written, while
        # test_screen reads the wrapped screen.
        dimensions=(40, 1000),
        encoding="utf-8",
        timeout=TIMEOUT,
        cwd=str(cwd),
    )
    _children.append(child)
    return child


def ask(child: pexpect.spawn, shown: str, typed: str, prompt: str = PROMPT) -> None:
    """Wait for `shown`, then for the prompt; then type `typed` and Enter."""
    child.expect_exact(shown)
    child.expect_exact(prompt)
    child.send(typed + "\r")


def finish(child: pexpect.spawn) -> tuple[int, str]:
    """Wait for the program to end; its exit status and everything it printed since."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def header_id(child: pexpect.spawn) -> str:
    """The session id from the header line, "sfcoach · First visit · K1 · ID"."""
    child.expect_exact("sfcoach · First visit · K1")
    child.expect(ID)
    return child.match.group(0)


def show(sid: str) -> dict:
    return sf_json("sessions", "show", sid)


def by_question(data: dict) -> dict[str, dict]:
    return {a["question"]: a for a in data["answers"]}


# --- a) a whole first visit --------------------------------------------------------------

# What is typed at each scale and its follow-ups ("" moves on); "11" is refused first.
SCALES = {
    "progress": (["11", "6"], ["I get up every day", "I'd call my sister", ""]),
    "confidence": (["7"], [""]),
    "good-enough": (["8"], ["sleeping through"]),
}
STEPS = ["phone the job centre", "walk every morning"]


def test_a_whole_first_visit_typed_in_a_terminal(tmp_path):
    child = spawn(tmp_path, *START)
    sid = header_id(child)
    texts: dict[str, tuple[str, list[str]]] = {}  # question -> (answer, follow-up answers)
    for _phase, qid in ORDER:
        q = QUESTIONS[qid]
        if q["kind"] == "text":
            answer = f"answer to {qid}"
            ask(child, en(qid), answer)
            typed = [f"more on {qid}", f"even more on {qid}", ""][: len(q.get("followups", []))]
            if qid != "best-hopes":  # answer every follow-up of the first question only
                typed = typed[:1] + [""] * (len(typed) > 1)
            for k, line in enumerate(typed, 1):
                ask(child, followup(qid, k), line)
            texts[qid] = (answer, [line for line in typed if line])
        elif q["kind"] == "scale":
            values, followups = SCALES[qid]
            ask(child, en(qid), values[0])
            for value in values[1:]:
                ask(child, "Please give a whole number from 0 to 10.", value)
            value = int(values[-1])
            for k, line in enumerate(followups, 1):
                ask(child, followup(qid, k, value=value, next=value + 1), line)
        else:
            assert q["kind"] == "step"
            ask(child, en(qid), STEPS[0])
            ask(child, "Step 2 (empty line when done)", STEPS[1])
            ask(child, "Step 3 (empty line when done)", "")
    child.expect_exact("Summary")
    child.expect_exact(f"Answers: {len(texts)}")
    child.expect_exact("Next steps:")
    child.expect_exact(STEPS[1])
    ask(child, "Save as completed?", "y", prompt=CONFIRM)
    child.expect_exact(f"Saved as completed: {sid}.")
    status, out = finish(child)
    assert status == 0
    assert "Traceback" not in out

    data = show(sid)
    assert data["status"] == "completed"
    assert data["ended"]
    assert (data["client"], data["meeting"], data["lang"], data["practitioner"]) == (
        "K1",
        "first-visit",
        "en",
        "A",
    )
    answers = by_question(data)
    assert list(answers) == list(texts)
    phase_of = {qid: phase for phase, qid in ORDER}
    for qid, (text, followups) in texts.items():
        assert answers[qid]["text"] == text, qid
        assert answers[qid]["phase"] == phase_of[qid], qid
        assert [f["answer"] for f in answers[qid]["followups"]] == followups, qid
        shown = [f["text"] for f in answers[qid]["followups"]]
        assert shown == [followup(qid, k) for k in range(1, len(followups) + 1)], qid
    assert len(answers["best-hopes"]["followups"]) == 2
    ratings = {r["scale"]: r for r in data["ratings"]}
    assert {k: r["value"] for k, r in ratings.items()} == {
        "progress": 6,
        "confidence": 7,
        "good-enough": 8,
    }
    assert all(r["phase"] == "S" and (r["min"], r["max"]) == (0, 10) for r in ratings.values())
    for scale, (_, followups) in SCALES.items():
        assert [f["answer"] for f in ratings[scale]["followups"]] == [x for x in followups if x]
    assert ratings["progress"]["followups"][1]["text"] == followup("progress", 2, next=7)
    assert [s["text"] for s in data["steps"]] == STEPS
    assert {s["status"] for s in data["steps"]} == {"agreed"}
    assert {s["from_session"] for s in data["steps"]} == {sid}
    assert data["skipped"] == []
    assert data["notes"] == []


# --- b) /back to edit, and a multi-line answer -------------------------------------------


def test_back_shows_the_old_answer_for_editing_and_alt_enter_makes_a_new_line(tmp_path):
    child = spawn(tmp_path, *START)
    sid = header_id(child)
    ask(child, en("best-hopes"), "to sort out the rent")
    ask(child, followup("best-hopes", 1), "")  # an empty line: on to question 2
    ask(child, en("useful"), "/back")
    ask(child, followup("best-hopes", 1), "/back")  # the empty follow-up was shown: first back
    child.expect_exact(en("best-hopes"))
    child.expect_exact(PROMPT)
    child.expect_exact("to sort out the rent")  # pre-filled in the input
    child.sendcontrol("u")  # clear it
    child.send("to keep my flat\r")
    ask(child, followup("best-hopes", 1), "")
    # Back where we were: question 2, answered on two lines with Alt-Enter.
    ask(child, en("useful"), f"I'd sleep better{ALT_ENTER}and call my mum")
    ask(child, followup("useful", 1), "/pause")
    child.expect_exact(f"Session paused. Continue with: sfcoach resume {sid}")
    status, out = finish(child)
    assert status == 0
    assert "Traceback" not in out

    data = show(sid)
    assert data["status"] == "paused"
    answers = by_question(data)
    assert list(answers) == ["best-hopes", "useful"]
    assert answers["best-hopes"]["text"] == "to keep my flat"
    assert answers["best-hopes"]["followups"] == []
    assert answers["useful"]["text"] == "I'd sleep better\nand call my mum"
    assert answers["useful"]["followups"] == []
    assert data["ratings"] == data["steps"] == data["notes"] == data["skipped"] == []


# --- c) kill -9, resume; Ctrl-C ----------------------------------------------------------


def test_kill_9_loses_no_confirmed_answer_and_resume_continues(tmp_path, store_dir):
    child = spawn(tmp_path, *START)
    sid = header_id(child)
    ask(child, en("best-hopes"), "a job")
    ask(child, followup("best-hopes", 1), "money of my own")
    ask(child, followup("best-hopes", 2), "")
    ask(child, en("useful"), "I'd know what to do")
    ask(child, followup("useful", 1), "")
    child.expect_exact(en("frame"))  # shown only after the answers before it were saved
    child.expect_exact(PROMPT)
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert child.signalstatus == signal.SIGKILL

    path = store_dir / "K1" / f"{sid}.yaml"
    saved = Store(store_dir).load(path)  # the file parses as a session
    assert saved.status == "in-progress"
    assert [(a.question, a.text) for a in saved.answers] == [
        ("best-hopes", "a job"),
        ("useful", "I'd know what to do"),
    ]
    assert [f.answer for f in saved.answers[0].followups] == ["money of my own"]
    assert not list(path.parent.glob(".*.tmp"))

    child = spawn(tmp_path, "resume")
    ask(child, "Resume First visit (K1, ", "y", prompt="[Y/n]")
    child.expect_exact("Continuing where you stopped (2 answers kept).")
    i = child.expect_exact(
        [en("frame"), en("best-hopes"), en("useful"), en("change-since-booking")]
    )
    assert i == 0, "resume did not continue at the first unanswered question"
    child.expect_exact(PROMPT)
    child.send("to fill in the forms together\r")
    ask(child, followup("frame", 1), "/pause")
    child.expect_exact(f"Session paused. Continue with: sfcoach resume {sid}")
    status, out = finish(child)
    assert status == 0
    assert "Traceback" not in out

    data = show(sid)
    assert data["status"] == "paused"
    assert [(a["question"], a["text"]) for a in data["answers"]] == [
        ("best-hopes", "a job"),
        ("useful", "I'd know what to do"),
        ("frame", "to fill in the forms together"),
    ]
    assert [f["answer"] for f in data["answers"][0]["followups"]] == ["money of my own"]


def test_ctrl_c_pauses_and_exits_130_with_a_resume_hint(tmp_path):
    child = spawn(tmp_path, *START)
    sid = header_id(child)
    ask(child, en("best-hopes"), "some peace")
    child.expect_exact(followup("best-hopes", 1))
    child.expect_exact(PROMPT)
    child.send("half an ans")
    child.sendcontrol("c")
    child.expect_exact(f"Session paused. Continue with: sfcoach resume {sid}")
    status, out = finish(child)
    assert status == 130
    assert "Traceback" not in out

    data = show(sid)
    assert data["status"] == "paused"
    assert [(a["question"], a["text"], a["followups"]) for a in data["answers"]] == [
        ("best-hopes", "some peace", [])
    ]


def test_declining_resume_leaves_the_terminal_echoing(tmp_path):
    """`resume` turns echo off before asking; answering n must not leave it off."""
    proc = sf(*START, input="paused early\n")  # plain mode: end of input pauses
    assert proc.returncode == 0, proc.stderr
    script = f'{SFCOACH} resume; echo "rc=$?"; echo "tty: $(stty -a | tr -s " ;\\n" "   ")"'
    child = spawn(tmp_path, "-c", script, program="sh")
    ask(child, "Resume ", "n", prompt="[Y/n]")
    child.expect(r"rc=(\d+)")
    assert child.match.group(1) == "0"
    child.expect(r"tty: ([^\r\n]*)")
    flags = child.match.group(1).split()
    finish(child)
    assert "echo" in flags and "-echo" not in flags


# --- d) keys typed before the prompt is up ---------------------------------------------


def test_keys_typed_before_the_prompt_is_ready_are_kept(tmp_path):
    child = spawn(tmp_path, *START)
    # Typed at once, while Python is still starting: an answer, then a two-line follow-up.
    child.send(f"early answer\rearly one{ALT_ENTER}early two\r")
    sid = header_id(child)
    child.expect_exact(followup("best-hopes", 2))  # the second follow-up: both lines went in
    child.expect_exact(PROMPT)
    child.sendcontrol("d")  # end of input: paused
    child.expect_exact(f"Session paused. Continue with: sfcoach resume {sid}")
    status, _ = finish(child)
    assert status == 0

    (answer,) = show(sid)["answers"]
    assert answer["question"] == "best-hopes"
    assert answer["text"] == "early answer"
    assert [f["answer"] for f in answer["followups"]] == ["early one\nearly two"]


# --- e) tab completion ------------------------------------------------------------------


def test_tab_completes_a_command(tmp_path):
    child = spawn(tmp_path, *START)
    child.expect_exact(en("best-hopes"))
    child.expect_exact(PROMPT)
    child.send("/he\t")
    child.expect_exact("/help")  # completed in the input
    child.send("\r")
    child.expect_exact("Commands:")
    for line in ("/back", "/skip", "/pause", "/end"):
        child.expect_exact(line)
    # The question is asked again after the list, and still answers as usual.
    ask(child, en("best-hopes"), "/pause")
    child.expect_exact("Session paused.")
    status, out = finish(child)
    assert status == 0
    assert "Traceback" not in out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_ctrl_c_at_a_question_before_the_meeting_is_an_interruption(tmp_path, lang):
    """Nothing is saved yet: Ctrl-C exits 130 quietly, not as an 'input ended' error."""
    child = spawn(tmp_path, "start", "--meeting", "check-in", "--lang", lang, "--plain")
    child.expect(r"[Kk]lient|[Cc]lient")
    child.sendcontrol("c")
    status, out = finish(child)
    assert status == 130 and "Traceback" not in out
    assert "sfcoach:" not in out
