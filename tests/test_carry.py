"""The client's words carried forward (issue 17, points 3-5): step-review follow-ups kept
with the step and shown in history and exports; goal scales set in a plan and re-rated at
every later meeting with "last time N"; the opening recap in the client's words; the
closing summary against the first rating; usefulness and first-vs-latest in stats.

The engine is driven line by line without a terminal; the meetings end to end run in
plain mode through the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from helpers import ROOT, lines, saved_session, sf, sf_json

from sfcoach import bank as banks
from sfcoach import sessionfile
from sfcoach.bank import load_file
from sfcoach.engine import Engine
from sfcoach.models import Answer, Followup, Rating, Session, Step
from sfcoach.store import Store
from sfcoach.ui import view
from sfcoach.ui.style import Plain

PLAN_FILE = ROOT / "tests" / "banks" / "carry-plan.yaml"
FOLLOW_FILE = ROOT / "tests" / "banks" / "carry-follow.yaml"
PLAN = load_file(PLAN_FILE)
FOLLOW = load_file(FOLLOW_FILE)
AT = "2026-11-23T10:00:00+01:00"


def earlier(sid: str, goals: dict[str, tuple[str, int]] | None = None, progress: int | None = None):
    """A completed meeting with goal ratings {scale: (goal words, value)}."""
    goals = goals or {}
    s = Session(id=sid, client="K1", meeting="plan", bank_id="plan", bank_version=1, lang="en")
    s.status, s.started = "completed", f"2026-0{len(sid)}-01T10:00:00+01:00"
    for n, (scale, (words, value)) in enumerate(goals.items(), 1):
        s.ratings.append(Rating(scale, "S", value, 0, 10, "far", "there", f"Goal {n}", goal=words))
    if progress is not None:
        s.ratings.append(Rating("progress", "S", progress, 0, 10, "", "", "Progress"))
    return s


def engine(bank=FOLLOW, past=(), carried=()) -> Engine:
    session = Session(
        id="20261123-100000-aaaa",
        client="K1",
        meeting=bank.id,
        bank_id=bank.id,
        bank_version=1,
        lang="en",
        carried=[Step(text, status, origin) for text, status, origin in carried],
    )
    before = {r.scale: r.value for r in past[-1].ratings} if past else {}
    return Engine(bank, session, before, clock=lambda: AT, earlier=list(past))


def feed(e: Engine, *typed: str):
    return [e.handle(line) for line in typed]


def shown(e: Engine, *typed: str) -> list[tuple[str, str]]:
    """(kind, text) of the prompt before each line is fed."""
    out = []
    for line in typed:
        p = e.prompt()
        out.append((p.kind, p.text))
        e.handle(line)
    return out


# --- goal scales: the engine -------------------------------------------------------


def test_a_goal_scale_keeps_the_goal_in_the_clients_words_and_an_edit_updates_it():
    e = engine(PLAN)
    feed(e, "A job", "Three days a week", "Find a job", "", "4")
    assert e.session.rating("goal-1-scale").goal == "Find a job"
    assert e.session.rating("goal-2-scale") is None  # its goal was not given: not asked
    feed(e, "/back", "/back", "/back", "Find work I like")  # the goal itself, edited
    assert e.session.rating("goal-1-scale").goal == "Find work I like"


def test_the_goal_review_rates_every_carried_goal_with_its_words_and_last_time():
    past = [earlier("s1", {"goal-1-scale": ("Find a job", 4), "goal-2-scale": ("Move", 7)})]
    e = engine(past=past)
    feed(e, "Better sleep")
    p = e.prompt()
    assert (p.kind, p.question.id) == ("goal", "goals")
    assert p.text == "Your goal: “Find a job”. Where are you today?"
    assert p.say == "Let's look at your goals."
    assert (p.goal.goal, p.goal.value) == ("Find a job", 4)
    reply = e.handle("6")
    assert reply.messages[0] == ("scale.change", {"before": 4, "now": 6})
    assert e.prompt().text == "From 4 to 6 – what did you do?"  # the rating rose
    e.handle("Sent two applications")
    p = e.prompt()
    assert (p.kind, p.text, p.say) == ("goal", "Your goal: “Move”. Where are you today?", "")
    assert shown(e, "5", "A friend helps") == [
        ("goal", "Your goal: “Move”. Where are you today?"),
        ("followup", "What has kept you from going lower than 5?"),  # it went down
    ]
    assert e.prompt().question.id == "progress"
    one, two = (e.session.rating(s) for s in ("goal-1-scale", "goal-2-scale"))
    assert (one.value, one.goal, one.label, one.low) == (6, "Find a job", "Goal 1", "far")
    assert [(f.n, f.text, f.answer) for f in one.followups] == [
        (1, "From 4 to 6 – what did you do?", "Sent two applications")
    ]
    assert (two.value, two.goal) == (5, "Move")
    assert one.asked == "Your goal: “Find a job”. Where are you today?"


def test_goal_followups_test_change_and_bounds_against_each_goals_own_value():
    past = [earlier("s1", {"goal-1-scale": ("Find a job", 9)}, progress=2)]
    assert shown(engine(past=past), "x", "9", "", "")[1:3] == [
        ("goal", "Your goal: “Find a job”. Where are you today?"),
        ("followup", "How have you stayed at 9?"),  # same as its own last value, not progress
    ]
    e = engine(past=past)
    feed(e, "x", "10", "Worked hard")
    assert e.prompt().text == "What would show it is enough?"  # at_least: 9


def test_the_latest_rating_of_each_goal_carries_and_the_first_is_compared():
    past = [
        earlier("s1", {"goal-1-scale": ("Find a job", 2)}, progress=3),
        earlier("s22", {"goal-1-scale": ("Find a job", 5)}, progress=4),
    ]
    e = engine(past=past)
    feed(e, "x")
    assert e.prompt().goal.value == 5
    replies = feed(e, "7")
    assert replies[0].messages[:2] == [
        ("scale.change", {"before": 5, "now": 7}),
        ("scale.first", {"first": 2}),
    ]
    feed(e, "", "6", "", "", "/end")
    data = e.summary()
    pairs = zip(data["ratings"], data["first"], strict=True)
    rows = {rating[0]: (rating, first) for rating, first in pairs}
    assert rows["Goal 1"] == (("Goal 1", 7, 10, 5), 2)
    assert rows["Progress"] == (("Progress", 6, 10, 4), 3)
    lines_ = view.summary(data, "en", Plain())
    assert "  Goal 1: 7/10  (first time 2, last time 5)" in lines_
    assert "  Progress: 6/10  (first time 3, last time 4)" in lines_


def test_with_one_earlier_rating_the_first_is_last_time_and_not_repeated():
    e = engine(past=[earlier("s1", {"goal-1-scale": ("Find a job", 2)})])
    feed(e, "x", "3")
    assert e.summary()["first"] == [None]


def test_without_carried_goals_the_goal_review_is_not_asked_and_the_deck_says_why():
    e = engine()
    feed(e, "Better")
    assert e.prompt().question.id == "progress"
    number = next(n for n, (_, q) in enumerate(FOLLOW.questions, 1) if q.id == "goals")
    assert e.handle(f"/questions {number}").messages == [("questions.no-goals", {})]
    assert "goals" not in [q.id for _, q in e.summary()["open"]]


def test_back_in_a_goal_review_edits_the_rating_and_returns():
    e = engine(past=[earlier("s1", {"goal-1-scale": ("Find a job", 4)})])
    feed(e, "x", "6", "Applied")
    feed(e, "/back", "/back")
    p = e.prompt()
    assert (p.kind, p.prefill) == ("goal", "6")
    feed(e, "3")
    assert e.session.rating("goal-1-scale").value == 3
    assert e.prompt().prefill == "Applied"  # where it came from, offered for editing
    feed(e, "")
    assert e.prompt().question.id == "progress"


def test_an_empty_line_leaves_a_goal_unrated_and_goes_on():
    past = [earlier("s1", {"goal-1-scale": ("Find a job", 4), "goal-2-scale": ("Move", 7)})]
    e = engine(past=past)
    feed(e, "x", "")
    assert e.prompt().goal.goal == "Move"
    feed(e, "7", "")
    assert e.session.rating("goal-1-scale") is None
    assert e.session.rating("goal-2-scale").value == 7


def test_a_goal_review_survives_a_save_and_a_resume_mid_way():
    past = [earlier("s1", {"goal-1-scale": ("Find a job", 4), "goal-2-scale": ("Move", 7)})]
    e = engine(past=past)
    feed(e, "x", "6")
    again = sessionfile.from_dict(sessionfile.to_dict(e.session))
    resumed = Engine(FOLLOW, again, {}, clock=lambda: AT, earlier=past)
    assert resumed.prompt().text == "From 4 to 6 – what did you do?"


# --- the rating rose / step review follow-ups --------------------------------------------


def test_a_rating_that_rose_gets_the_what_did_you_do_followup_and_one_that_fell_not():
    up = engine(past=[earlier("s1", progress=3)])
    feed(up, "x")
    assert shown(up, "5", "")[1] == ("followup", "From 3 to 5 – what have you done that helped?")
    down = engine(past=[earlier("s1", progress=3)])
    feed(down, "x", "2")
    assert down.prompt().text == "What would it take to get back to 3?"


@pytest.mark.parametrize(
    ("status", "asked"),
    [
        ("done", "How did you do it?"),
        ("partly", "Which part happened?"),
        ("not", "Keep the step, make it smaller, or try something different?"),
    ],
)
def test_step_review_followups_per_status_are_kept_with_the_step(status, asked):
    e = engine(carried=[("Call the job centre", "agreed", "s1")])
    feed(e, "x", status)
    assert e.prompt().text == asked
    feed(e, "My own words")
    (step,) = e.session.steps
    assert step.status == status
    assert [(f.n, f.text, f.answer) for f in step.followups] == [
        (["done", "partly", "not"].index(status) + 1, asked, "My own words")
    ]
    assert e.session.answer("review") is None


def test_goal_and_step_followups_survive_the_session_file_and_are_left_out_when_empty():
    e = engine(
        past=[earlier("s1", {"goal-1-scale": ("Find a job", 4)})],
        carried=[("Call", "agreed", "s1")],
    )
    feed(e, "x", "done", "Monday", "6")
    data = sessionfile.to_dict(e.session)
    assert data["steps"][0]["followups"][0]["answer"] == "Monday"
    assert data["ratings"][0]["goal"] == "Find a job"
    back = sessionfile.from_dict(data)
    assert back.steps[0].followups == e.session.steps[0].followups
    assert back.ratings[0].goal == "Find a job"
    plain = sessionfile.to_dict(engine(PLAN).session)
    assert "goal" not in json.dumps(plain)  # files without goals look as they did
    bare = Session(id="x", client="K", meeting="m", bank_id="m", bank_version=1, lang="en")
    bare.steps.append(Step("a"))
    bare.ratings.append(Rating("progress", "S", 3, 0, 10, "", ""))
    data = sessionfile.to_dict(bare)
    assert "followups" not in data["steps"][0] and "goal" not in data["ratings"][0]


def test_scan_fix_masks_an_id_number_in_a_step_review_followup_and_a_goal(store_dir):
    from sfcoach import housekeeping

    number = "811228-9874"  # a valid personnummer
    s = Session(id="20261123-100000-bbbb", client="K1", meeting="m", bank_id="m", bank_version=1,
                lang="sv", status="completed", started=AT)  # fmt: skip
    s.ratings.append(Rating("goal-1-scale", "S", 4, 0, 10, "", "", goal=f"mål {number}"))
    s.steps.append(Step("Ring", "done", "s0", "review", followups=[Followup("Hur?", number, 1)]))
    store = Store(store_dir)
    path = store.create(s)
    (found,) = housekeeping.scan(store, fix=True).findings
    assert found.fields == ["ratings[0].goal", "steps[0].followups[0]"]
    assert number not in path.read_text(encoding="utf-8")


# --- the bank format -------------------------------------------------------------------

BANK_HEAD = """\
schema: {schema}
id: bad
languages: [en]
title: {{en: "Bad"}}
phases:
  - id: P
    questions:
      - id: goal-1
        kind: text
        text: {{en: "Goal?"}}
      - id: rate
        kind: {kind}
        text: {{en: "Where?"}}
        goal: {goal}
      - id: later
        kind: text
        text: {{en: "Later?"}}
      - id: review
        kind: goal-review
        text: {{en: "Goal “{{goal}}”, last {{before}}: where now?"}}
        followups:
          - {{when: {{change: up}}, text: {{en: "From {{before}} to {{value}}?"}}}}
"""


def bank_problems(tmp_path: Path, goal: str, kind: str = "scale", schema: int = 2):
    path = tmp_path / "bad.yaml"
    path.write_text(BANK_HEAD.format(schema=schema, goal=goal, kind=kind), encoding="utf-8")
    return [(p.key, p.line, p.path) for p in banks.validate_file(path)]


def test_a_valid_goal_scale_and_goal_review_pass(tmp_path):
    assert bank_problems(tmp_path, "goal-1") == []


@pytest.mark.parametrize(
    ("goal", "key"),
    [
        ("nobody", "bank.goal-unknown"),
        ("later", "bank.goal-later"),
        ("rate", "bank.goal-later"),  # itself
        ("review", "bank.goal-later"),
    ],
)
def test_validate_names_a_goal_that_is_unknown_or_later_with_file_line_and_path(
    tmp_path, goal, key
):
    assert bank_problems(tmp_path, goal) == [(key, 14, "phases[0].questions[1].goal")]


def test_a_goal_must_be_a_text_question_and_only_a_scale_has_one(tmp_path):
    path = tmp_path / "kind.yaml"
    text = BANK_HEAD.format(schema=2, goal="goal-1", kind="scale").replace(
        "      - id: goal-1\n        kind: text", "      - id: goal-1\n        kind: step"
    )
    path.write_text(text, encoding="utf-8")
    found = [(p.key, p.path, p.params) for p in banks.validate_file(path)]
    assert found == [
        ("bank.goal-kind", "phases[0].questions[1].goal", {"id": "goal-1", "kind": "step"})
    ]
    assert bank_problems(tmp_path, "goal-1", kind="text") == [
        ("bank.scale-only", 14, "phases[0].questions[1].goal")
    ]


def test_goal_and_goal_review_need_schema_2(tmp_path):
    found = bank_problems(tmp_path, "goal-1", schema=1)
    assert ("bank.needs-schema-2", 14, "phases[0].questions[1].goal") in found
    assert ("bank.needs-schema-2", 19, "phases[0].questions[3].kind") in found


def test_the_json_schema_describes_goal_and_goal_review():
    schema = banks.json_schema()
    data = {
        "schema": 2, "id": "x", "languages": ["en"], "title": {"en": "X"},
        "phases": [{"id": "P", "questions": [
            {"id": "g", "kind": "text", "text": {"en": "G"}},
            {"id": "s", "kind": "scale", "goal": "g", "text": {"en": "S"}},
            {"id": "r", "kind": "goal-review", "text": {"en": "R {goal}"}},
        ]}],
    }  # fmt: skip
    jsonschema.validate(data, schema)
    data["phases"][0]["questions"][1]["goal"] = "Not An Id"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


# --- the opening recap -------------------------------------------------------------------


def test_the_recap_shows_best_hopes_and_the_picture_in_the_clients_words_latest_first():
    first = earlier("s1", {"goal-1-scale": ("Find a job", 4)})
    first.answers += [Answer("P", "best-hopes", "A job", at="1"), Answer("L", "miracle", "Calm")]
    second = earlier("s22", progress=5)
    second.answers.append(Answer("L", "preferred-future", "Working\nthree days", at="2"))
    out = view.recap(second, "en", Plain(), [first, second])
    assert "  Best hopes: “A job”" in out
    assert "  Preferred future: “Working three days”" in out  # the latest picture
    assert "  Progress: 5 (0–10)" in out
    assert "  Goal 1: 4 (0–10) “Find a job”" in out  # a goal rated before last time
    sv = view.recap(second, "sv", Plain(), [first, second])
    assert "  Förhoppningar: ”A job”" in sv and "  Önskad framtid: ”Working three days”" in sv


def test_the_recap_without_earlier_sessions_reads_last_time_only():
    last = earlier("s1")
    out = view.recap(last, "en", Plain())
    assert not any("Best hopes" in line for line in out)
    last.answers.append(Answer("P", "best-hopes", "Some rest"))
    assert "  Best hopes: “Some rest”" in view.recap(last, "en", Plain())


# --- end to end in plain mode ------------------------------------------------------------

BASE = ["start", "--client", "K7", "--lang", "en", "--practitioner", "Anna", "--bank"]


def plan_meeting():
    typed = lines(
        "A steady job", "Three days a week", "Find a job", "", "4", "3", "Call the job centre",
        "", "7", "y",
    )  # fmt: skip
    proc = sf(*BASE, str(PLAN_FILE), input=typed)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def follow_meeting(*typed: str):
    proc = sf(*BASE, str(FOLLOW_FILE), input=lines(*typed))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_plan_then_follow_ups_re_rate_its_goal_with_last_time_and_compare_with_the_first():
    plan_meeting()
    out = follow_meeting(
        "I slept better", "done", "I called on Monday", "6", "Two applications", "5",
        "I kept going", "Send one more", "", "8", "y",
    )  # fmt: skip
    recap = out[: out.index("(1/6)")]
    assert "Best hopes: “A steady job”" in recap
    assert "Preferred future: “Three days a week”" in recap
    assert "Goal 1: 4 (0–10) “Find a job”" in recap
    assert "Let's look at your goals.\n(3/6) Your goal: “Find a job”. Where are you today?" in out
    assert "  Last time: 4\n" in out
    assert "↳ From 4 to 6 – what did you do?" in out
    assert "↳ From 3 to 5 – what have you done that helped?" in out  # the rating rose
    assert "Goal 1: 6/10  (last time 4)" in out
    rows = sf_json("sessions", "list", "--client", "K7")
    latest = sf_json("sessions", "show", rows[0]["id"])
    goal = next(r for r in latest["ratings"] if r["scale"] == "goal-1-scale")
    assert (goal["value"], goal["goal"]) == (6, "Find a job")
    assert goal["followups"][0]["answer"] == "Two applications"
    # The closing comparison: a third meeting against the first rating and the last.
    out = follow_meeting("Work", "partly", "Half of it", "7", "", "6", "", "", "/skip", "y")
    assert "  Last time: 6\n" in out
    assert "Goal 1: 7/10  (first time 4, last time 6)" in out
    assert "Progress: 6/10  (first time 3, last time 5)" in out
    history = sf_json("history", "K7")
    assert [p["value"] for p in history["ratings"]["goal-1-scale"]] == [4, 6, 7]
    assert history["scales"]["goal-1-scale"]["goal"] == "Find a job"
    assert "“Find a job”" in sf("history", "K7").stdout


def test_history_and_every_export_show_the_step_reviews_followups():
    plan_meeting()
    follow_meeting("Better", "done", "I phoned on Monday", "", "5", "", "", "/skip", "y")
    (step, *_) = sf_json("history", "K7")["steps"]
    assert step["outcomes"][0]["status"] == "done"
    assert step["outcomes"][0]["followups"] == [
        {"question": "How did you do it?", "answer": "I phoned on Monday"}
    ]
    text = sf("history", "K7").stdout
    assert "How did you do it? I phoned on Monday" in text
    (hit,) = sf_json("search", "phoned")
    assert (hit["field"], hit["question"]) == ("followup", "review")
    assert (
        "I phoned on Monday" in sf("sessions", "show", sf_json("sessions", "list")[0]["id"]).stdout
    )
    md = sf("export", "--client", "K7", "--format", "md").stdout
    assert "- Call the job centre — *done*" in md
    assert "  - *How did you do it?*\\\n    I phoned on Monday" in md
    page = sf("export", "--client", "K7", "--format", "html").stdout
    assert '<div class="u a" dir="auto">I phoned on Monday</div>' in page
    table = sf("export", "--client", "K7", "--format", "csv").stdout.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(table)))
    (row,) = [r for r in rows if r["text"] == "I phoned on Monday"]
    assert (row["type"], row["asked"], row["status"], row["question"]) == (
        "followup", "How did you do it?", "done", "review",
    )  # fmt: skip
    data = json.loads(sf("export", "--client", "K7", "--format", "json").stdout)
    reviewed = [x for s in data for x in s["steps"] if x.get("followups")]
    assert reviewed[0]["followups"][0]["answer"] == "I phoned on Monday"


# --- stats --------------------------------------------------------------------------------


def rated(store, client, when, progress=None, useful=None, practice=False):
    s = saved_session(store, client, when, progress=progress, practice=practice)
    if useful is not None:
        s.ratings.append(Rating("usefulness", "S", useful, 0, 10, "", "", "Usefulness"))
        store.save(s)
    return s


def test_stats_show_mean_usefulness_per_month_beside_progress_and_leave_practice_out(store_dir):
    store = Store(store_dir)
    rated(store, "K1", "2026-01-10T10:00", progress=2, useful=6)
    rated(store, "K1", "2026-01-20T10:00", progress=4, useful=9)
    rated(store, "K2", "2026-03-05T10:00", progress=5)
    rated(store, "K2", "2026-03-25T10:00", progress=3, useful=4)
    rated(store, "X", "2026-03-26T10:00", useful=0, practice=True)
    u = sf_json("stats")["usefulness"]
    assert (u["per"], u["rated"], u["mean"]) == ("month", 3, round(19 / 3, 2))
    assert u["periods"] == [
        {"period": "2026-01", "rated": 2, "mean": 7.5, "progress_rated": 2, "progress_mean": 3.0},
        {"period": "2026-03", "rated": 1, "mean": 4.0, "progress_rated": 2, "progress_mean": 4.0},
    ]
    progress = sf_json("stats")["progress"]  # first vs latest per client, as before
    assert [(c["client"], c["first"], c["latest"], c["change"]) for c in progress["clients"]] == [
        ("K1", 2, 4, 2),
        ("K2", 5, 3, -2),
    ]
    assert progress["mean_change"] == 0.0
    assert sf_json("stats", "--since", "2026-03-01")["usefulness"]["rated"] == 1
    out = sf("stats").stdout
    assert "Mean 6.33 over 3 rated meetings" in out
    assert "2026-01      2        7.50      3.00" in out
    assert "Medel 6,33 över 3 bedömda samtal" in sf("stats", "--lang", "sv").stdout


def test_stats_show_quarters_over_more_than_a_year_and_say_when_nothing_is_rated(store_dir):
    store = Store(store_dir)
    assert "No meeting has a usefulness rating yet." in sf("stats").stdout
    rated(store, "K1", "2025-02-10T10:00", useful=4)
    rated(store, "K1", "2026-05-10T10:00", useful=8)
    u = sf_json("stats")["usefulness"]
    assert u["per"] == "quarter"
    assert [(p["period"], p["mean"]) for p in u["periods"]] == [("2025-Q1", 4.0), ("2026-Q2", 8.0)]
