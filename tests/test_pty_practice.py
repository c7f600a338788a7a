"""One practice round end to end in a real pseudo-terminal, typed as two colleagues would."""

from __future__ import annotations

import os

import pexpect
from helpers import ROOT, SFCOACH, sf_json

from sfcoach.bank import load_builtin

PROMPT = "›"
BANK = load_builtin("practice")


def test_a_practice_round_in_a_terminal(tmp_path):
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color"}
    child = pexpect.spawn(
        SFCOACH,
        ["practice", "--pair", "Anna,Bo", "--rounds", "1", "--scenario", "first-application",
         "--minutes", "1", "--lang", "en"],
        env=env, dimensions=(40, 200), encoding="utf-8", timeout=20, cwd=str(ROOT),
    )  # fmt: skip
    try:
        child.expect_exact("Bo: type /card")
        child.expect_exact(PROMPT)
        child.send("/card\r")
        child.expect_exact("Tell only when asked well:")
        child.expect_exact("Enter hides the card:")
        child.send("\r")
        child.expect_exact(PROMPT)
        child.send("\r")  # begin the round
        for _, q in BANK.questions:
            if q.when is not None:  # it rests on an outcome, left open below: not asked
                continue
            child.expect_exact(q.text["en"][:40])
            child.expect_exact(PROMPT)
            if q.kind == "scale":
                child.send("6\r")
            else:
                child.send(f"answer to {q.id}\r")
            if q.outcome is not None:  # an empty line leaves the answer unclassified
                child.expect_exact(PROMPT)
                child.send("\r")
            unconditional = [w for w in q.followup_when if w is None]
            if unconditional or q.kind == "step":  # one empty line ends follow-ups or steps
                child.expect_exact(PROMPT)
                child.send("\r")
        child.expect_exact("anything else = back to the session:")
        child.send("/ask What are you proud of?\r")
        child.expect_exact("What kind of question?")
        child.expect_exact(PROMPT)
        child.send("m\r")
        child.expect_exact("The client's answer:")
        child.send("That I came\r")
        child.expect_exact("anything else = back to the session:")
        child.send("y\r")
        child.expect_exact("Came out (a number")  # the debrief: none ticked
        child.send("\r")
        child.expect_exact("what went well")
        child.send("Calm pace\r")
        child.expect_exact("do more of?")
        child.send("More scaling\r")
        child.expect_exact("0–10?")
        child.send("9\r")
        child.expect_exact("The whole practice")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    (row,) = sf_json("sessions", "list", "--practice")
    data = sf_json("sessions", "show", row["id"])["practice_data"]
    assert data["usefulness"] == 9 and [f["text"] for f in data["feedback"]] == [
        "Calm pace",
        "More scaling",
    ]
    assert data["asked"][0]["category"] == "compliment"
    assert set(data["phase_seconds"]) >= {"P", "L", "U"}
