"""Reflection pairs: start --colleague (resource gossip before S, the colleague's private
feedback after the meeting) and the count of reflection-pair meetings in stats."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from helpers import ROOT, engine_for, lines, meeting_lines, no_traceback, saved_session, sf, sf_json

from sfcoach.bank import builtin_ids, load_builtin, load_file
from sfcoach.models import Reflection
from sfcoach.reflection import GOSSIP, GOSSIP_REPLY, SLOT, with_gossip, year_before
from sfcoach.store import Store

ID_NUMBER = "811228-9874"  # a valid personnummer


def slot_place(bank) -> tuple[str, int, int]:
    """The phase the slot is in, and where the slot and the first S question are."""
    ids = [q.id for _, q in bank.questions]
    at = ids.index(GOSSIP)
    first_s = next((i for i, (p, _) in enumerate(bank.questions) if p.id == "S"), len(ids))
    return bank.questions[at][0].id, at, first_s


# --- the slot, engine only ----------------------------------------------------------------


@pytest.mark.parametrize("bank_id", builtin_ids())
def test_the_slot_comes_right_before_s_in_every_builtin_bank(bank_id):
    bank = load_builtin(bank_id)
    phase, at, first_s = slot_place(with_gossip(bank, "Bo"))
    assert at + 2 == first_s  # gossip, then the client's reply, then S
    before_s = [p.id for p in bank.phases][[p.id for p in bank.phases].index("S") - 1]
    assert phase == before_s
    assert len(with_gossip(bank, "Bo").questions) == len(bank.questions) + 2


def test_the_engine_asks_the_gossip_then_the_reply_then_s():
    bank = with_gossip(load_file(ROOT / "tests" / "banks" / "engine.yaml"), "Bo")
    e = engine_for(bank)
    for line in ("A calmer week", "", "I wake up rested", "My sister helps"):
        e.handle(line)
    p = e.prompt()
    assert (p.phase, p.question.id, p.kind) == ("U", GOSSIP, "text")
    assert p.text == "Bo, what strengths and resources have you noticed today?"
    assert "Bo has noticed" in p.say  # what the practitioner says to the client first
    e.handle("She phoned the bank herself")
    assert e.prompt().question.id == GOSSIP_REPLY
    e.handle("I had not thought of that")
    assert (e.prompt().phase, e.prompt().question.id) == ("S", "progress")
    saved = {a.question: (a.phase, a.text) for a in e.session.answers}
    assert saved[GOSSIP] == ("U", "She phoned the bank herself")
    assert saved[GOSSIP_REPLY] == ("U", "I had not thought of that")


def test_without_gossip_the_reply_is_not_asked_nor_counted_as_open():
    bank = with_gossip(load_file(ROOT / "tests" / "banks" / "engine.yaml"), "Bo")
    e = engine_for(bank, lang="sv")
    for line in ("Lugnare", "", "Utvilad", "Syster"):
        e.handle(line)
    assert e.prompt().text == "Bo, vilka styrkor och resurser har du lagt märke till i dag?"
    e.handle("")  # no gossip given
    assert e.prompt().question.id == "progress"
    open_ids = [q.id for _, q in e.summary()["open"]]
    assert GOSSIP in open_ids and GOSSIP_REPLY not in open_ids


def test_a_schema_2_bank_gets_the_slot_and_braces_in_a_name_are_not_placeholders():
    bank = with_gossip(load_file(ROOT / "tests" / "banks" / "schema2.yaml"), "Bo {x}")
    phase, at, first_s = slot_place(bank)
    assert (phase, at + 2) == ("U", first_s)
    e = engine_for(bank)
    e.handle("/questions " + str(at + 1))
    assert e.prompt().text == "Bo (x), what strengths and resources have you noticed today?"


def test_where_s_is_first_or_missing_and_where_the_bank_has_the_ids_already():
    bank = load_file(ROOT / "tests" / "banks" / "engine.yaml")
    s_only = replace(bank, phases=tuple(p for p in bank.phases if p.id == "S"))
    assert [q.id for _, q in with_gossip(s_only, "Bo").questions][:2] == list(SLOT)
    no_s = replace(bank, phases=tuple(p for p in bank.phases if p.id != "S"))
    assert [q.id for _, q in with_gossip(no_s, "Bo").questions][-2:] == list(SLOT)
    twice = with_gossip(bank, "Bo")
    assert with_gossip(twice, "Cia") is twice


# --- a plain-mode meeting with a colleague ---------------------------------------------------

FIRST = load_builtin("first-visit")
FEEDBACK = ["Waited out the silence", "/pause", "Used her words", "", "Scale earlier", ""]


def run_meeting(*extra: str, lang: str = "en", feedback=FEEDBACK, colleague: str = "Bo"):
    answers = meeting_lines(with_gossip(FIRST, colleague), lang)
    base = ["start", "--client", "K1", "--lang", lang, "--practitioner", "Anna"]
    return sf(
        *base, "--meeting", "first-visit", "--colleague", colleague, *extra,
        input=lines(*answers, *feedback),
    )  # fmt: skip


def session_id(proc) -> str:
    return re.findall(r"\d{8}-\d{6}-[0-9a-f]{4,8}", proc.stdout)[-1]


def test_a_plain_meeting_with_a_colleague_keeps_the_gossip_and_the_feedback():
    proc = run_meeting()
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    # The feedback comes after the summary's y, and the meeting is called saved after it.
    assert out.index("Save as completed?") < out.index("Bo's feedback to Anna")
    assert out.index("Scale earlier") < out.index("Saved as completed")
    assert "Commands do not work here" in out
    sid = session_id(proc)
    s = sf_json("sessions", "show", sid, "--reflection")
    answers = {a["question"]: a for a in s["answers"]}
    assert answers[GOSSIP]["text"] == f"en answer to {GOSSIP}"
    assert answers[GOSSIP_REPLY]["phase"] == "U"
    kept = s["reflection"]
    assert kept["colleague"] == "Bo"
    assert [(f["by"], f["kind"], f["text"]) for f in kept["feedback"]] == [
        ("Bo", "well", "Waited out the silence"),
        ("Bo", "well", "Used her words"),
        ("Bo", "more", "Scale earlier"),
    ]  # the refused /pause is not feedback
    # The tally counts the meeting as practice does: every question answered, by type.
    assert kept["questions"] == len(s["answers"]) + len(s["ratings"]) + 1  # one step question
    assert kept["by_type"]["compliment"] >= 1 and kept["scale_used"] and kept["ended_with_step"]


def test_the_feedback_stays_private_to_the_pair():
    sid = session_id(run_meeting())
    assert sf_json("sessions", "show", sid)["reflection"] == {"colleague": "Bo"}
    shown = sf("sessions", "show", sid).stdout
    assert "Reflection partner: Bo" in shown and "Scale earlier" not in shown
    full = sf("sessions", "show", sid, "--reflection").stdout
    assert "Do more of: Scale earlier" in full and "never a grade" in full
    history = sf("history", "K1").stdout + json.dumps(sf_json("history", "K1"))
    assert "silence" not in history and f"en answer to {GOSSIP}" in history
    for fmt in ("md", "json", "csv", "html"):
        exported = sf("export", sid, "--format", fmt).stdout
        assert "silence" not in exported and "Scale earlier" not in exported, fmt
        assert f"en answer to {GOSSIP}" in exported, fmt  # the gossip is part of the meeting
    assert sf_json("search", "silence") == []
    assert [h["question"] for h in sf_json("search", "reflection-gossip")] == [GOSSIP]


def test_the_colleagues_name_and_feedback_are_masked_and_swedish_reads_swedish():
    proc = run_meeting(
        lang="sv", colleague=f"Bo {ID_NUMBER}", feedback=[f"Frågade om {ID_NUMBER}", "", ""]
    )
    assert proc.returncode == 0, proc.stderr
    assert "vad gjorde Anna bra?" in proc.stdout and ID_NUMBER not in proc.stdout
    kept = sf_json("sessions", "show", session_id(proc), "--reflection")["reflection"]
    assert kept["colleague"] == "Bo XXXXXX-XXXX"
    assert kept["feedback"][0]["text"] == "Frågade om XXXXXX-XXXX"


def test_scan_fix_masks_feedback_kept_with_ids_keep(store_dir):
    proc = run_meeting("--ids", "keep", feedback=[f"Ring {ID_NUMBER}", "", ""])
    assert proc.returncode == 0, proc.stderr
    assert sf("scan", "--fix").returncode == 0
    (path,) = (store_dir / "K1").glob("*.yaml")
    assert ID_NUMBER not in path.read_text(encoding="utf-8")


def test_end_of_input_in_the_feedback_keeps_the_meeting_completed():
    proc = run_meeting(feedback=["Good platform"])
    assert proc.returncode == 0 and no_traceback(proc)
    s = sf_json("sessions", "show", session_id(proc), "--reflection")
    assert s["status"] == "completed"
    assert [f["text"] for f in s["reflection"]["feedback"]] == ["Good platform"]


def test_a_paused_meeting_resumes_with_its_colleague_and_slot():
    base = ["start", "--client", "K2", "--lang", "en", "--practitioner", "Anna"]
    proc = sf(*base, "--meeting", "check-in", "--colleague", "Cia", input=lines("Slept"))
    sid = session_id(proc)
    resumed = sf("resume", sid, input=lines("", "Money", "Called", "She called the landlord"))
    assert "Cia, what strengths and resources" in resumed.stdout
    last = sf_json("sessions", "show", sid)["answers"][-1]
    assert (last["question"], last["text"]) == (GOSSIP, "She called the landlord")


def test_a_colleague_joins_the_paused_meeting_that_start_resumes():
    base = ["start", "--client", "K3", "--lang", "en", "--meeting", "check-in"]
    sid = session_id(sf(*base, "--practitioner", "Anna", input=lines("Slept")))
    # The practitioner is asked, so the paused meeting is offered (y resumes it).
    proc = sf(*base, "--colleague", "Bo", input=lines("Anna", "y", "", "Money", "Call", "Kind"))
    assert "Bo, what strengths and resources" in proc.stdout
    s = sf_json("sessions", "show", sid)
    assert s["reflection"] == {"colleague": "Bo"} and s["answers"][-1]["text"] == "Kind"


@pytest.mark.parametrize(
    "name, message",
    [("Anna", "someone other than the practitioner"), ("  ", "needs the colleague's name")],
)
def test_a_colleague_who_cannot_be_used_is_one_line_and_nothing_saved(name, message, store_dir):
    proc = run_meeting(colleague=name)
    assert proc.returncode == 1 and no_traceback(proc)
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not list(store_dir.glob("*/*.yaml"))


# --- stats ----------------------------------------------------------------------------------


def paired(store, when: datetime, practitioner: str, **kw) -> None:
    s = saved_session(store, when=when.isoformat(timespec="seconds"), **kw)
    s.practitioner = practitioner
    s.reflection = Reflection(colleague="Bo")
    store.save(s)


def test_stats_counts_reflection_pair_meetings_per_practitioner_over_12_months(store_dir):
    store = Store(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now()
    recent, old = now - timedelta(days=20), now - timedelta(days=400)
    paired(store, recent, "Anna", client="K1")
    paired(store, recent - timedelta(days=1), "Anna", client="K2")
    paired(store, recent, "Cia", client="K3")
    paired(store, old, "Anna", client="K4")  # more than a year ago
    paired(store, recent, "Cia", client="K5", status="paused")  # not held to the end
    paired(store, recent, "Cia", practice=True)  # practice never counts
    saved_session(store, when=recent.isoformat(timespec="seconds"), client="K6")  # no colleague
    pairs = sf_json("stats")["reflection_pairs"]
    assert pairs == {
        "since": year_before(now.date()).isoformat(),
        "total": 3,
        "by_practitioner": {"Anna": 2, "Cia": 1},
    }
    # --since does not narrow the yearly count: the aim is so many a year
    assert sf_json("stats", "--since", recent.date().isoformat())["reflection_pairs"] == pairs
    text = sf("--lang", "sv", "stats").stdout
    assert "Samtal med reflektionspar, senaste 12 månaderna" in text
    assert re.search(r"^Anna\s+2$", text, re.M) and re.search(r"^Cia\s+1$", text, re.M)


def test_stats_without_reflection_pairs_says_so(store_dir):
    store_dir.mkdir(parents=True, exist_ok=True)
    saved_session(Store(store_dir))
    text = sf("stats").stdout
    assert "Reflection-pair meetings, last 12 months" in text and "none yet" in text


def test_a_year_before_a_leap_day_is_the_28th():
    from datetime import date

    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert year_before(date(2026, 11, 30)) == date(2025, 11, 30)


def test_ctrl_c_in_the_feedback_keeps_what_was_given_and_the_meeting_completed(store_dir):
    import io

    from helpers import Script

    from sfcoach import meeting
    from sfcoach.ui.plain import PlainIO
    from sfcoach.ui.session import run_session

    def interrupt() -> None:
        raise KeyboardInterrupt

    store, out = Store(store_dir), io.StringIO()
    opened = meeting.open_new(store, "K1", "en", "Anna", "check-in", colleague="Bo")
    meeting_part = meeting_lines(opened.bank, "en")  # the bank with the gossip slot, and y
    items = [*meeting_part, "Good pace", interrupt, "never read"]
    code = run_session(opened, store, PlainIO(Script(items), out), "mask", "resume", fresh=True)
    assert code == 130
    s = store.load(store.path_of(opened.session))
    assert s.status == "completed"
    assert [(f.kind, f.text) for f in s.reflection.feedback] == [("well", "Good pace")]
    assert "Saved as completed" in out.getvalue() and "paused" not in out.getvalue()
