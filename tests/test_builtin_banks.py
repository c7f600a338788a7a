"""The built-in banks follow the client: EARS or coping on what is better, follow-ups on
how the rating moved, the step review by status, a short core path, and every client
meeting ending with the check against the client's hopes and the usefulness rating.

The two meetings the issue names run in plain mode through the CLI; the rest drive the
engine line by line, without terminal or files."""

from __future__ import annotations

import pytest
import yaml
from helpers import ROOT, fresh_session, lines, saved_session, sf

from sfcoach import bank as banks
from sfcoach.engine import Engine
from sfcoach.models import Answer, Rating, Session
from sfcoach.store import Store

AT = "2026-11-23T10:00:00+01:00"
CLIENT_BANKS = ("check-in", "closing", "first-visit", "follow-up", "network", "plan")

# What the follow-up asks only when something is better (EARS), in either language.
BETTER_ONLY = {
    "sv": ("När var det? Vem märkte det?", "Hur gjorde du det?", "Vad mer är bättre?"),
    "en": ("When was that? Who noticed?", "How did you do that?", "What else is better?"),
}


def builtin(bank_id: str):
    return banks.load_builtin(bank_id)


def earlier(sid: str, progress: int | None = None, **answers: str) -> Session:
    s = Session(
        id=sid, client="K1", meeting="first-visit", bank_id="first-visit", bank_version=2, lang="en"
    )
    s.status = "completed"
    s.answers += [Answer("P", qid.replace("_", "-"), text) for qid, text in answers.items()]
    if progress is not None:
        s.ratings.append(Rating("progress", "S", progress, 0, 10, "", ""))
    return s


def engine(bank_id: str, lang: str = "sv", before=(), carried=()) -> Engine:
    """An engine over a new meeting of a built-in bank, after the sessions `before`."""
    b = builtin(bank_id)
    session = fresh_session(b, lang, carried)
    ratings = {r.scale: r.value for r in before[-1].ratings} if before else {}
    return Engine(b, session, ratings, clock=lambda: AT, earlier=list(before))


def walk(e: Engine, *answers: str) -> list[str]:
    """The texts of every prompt shown while the lines are fed (the `say` above a
    question as well), and of the prompt after them."""
    shown = []
    for line in answers:
        p = e.prompt()
        shown += [p.say, p.text] if p.say else [p.text]
        e.handle(line)
    p = e.prompt()
    return [*shown, *([p.say] if p.say else []), p.text]


def asked_ids(e: Engine, *answers: str) -> list[str]:
    seen = []
    for line in answers:
        p = e.prompt()
        if p.question is not None and p.stage == 0 and p.kind != "confirm":
            seen.append(p.question.id)
        e.handle(line)
    return seen


# --- the follow-up in plain mode, through the CLI ----------------------------------


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "store")


def follow_up(store, *answers: str):
    saved_session(store, "K1", "2026-03-02T10:00:00", progress=3)
    args = ["--store", str(store.root), "start", "--client", "K1", "--meeting", "follow-up"]
    proc = sf(*args, "--lang", "sv", "--practitioner", "A", input=lines(*answers))
    assert proc.returncode == 0, proc.stderr
    (saved,) = [p for p in (store.root / "K1").glob("*.yaml") if "follow-up" in p.read_text()]
    return proc.stdout, yaml.safe_load(saved.read_text(encoding="utf-8"))


def test_nothing_better_gets_the_coping_path_and_none_of_the_whats_better_follow_ups(store):
    out, saved = follow_up(
        store,
        "Inget är bättre, ärligt talat.",
        "same",  # the practitioner's classification: nothing is better
        "Jag har gått mina promenader i alla fall.",
        "Att vi pratar om hyran.",
        "",  # no more follow-ups on today's hopes
        "",  # the picture of how the client wants things: passed over
        "",  # the next sign (optional): passed over
        "Min syster ringer varje kväll.",  # coping
        "",
        "/avsluta",
        "j",
    )
    assert "Det låter som att det har varit en tung period." in out
    assert "Hur har du orkat ändå?" in out
    assert "Att det inte har blivit sämre är också något." in out
    assert not [text for text in BETTER_ONLY["sv"] if text in out]
    answers = {a["question"]: a for a in saved["answers"]}
    assert answers["better"]["outcome"] == "same"
    assert answers["coping"]["text"] == "Min syster ringer varje kväll."
    assert saved["status"] == "completed"


def test_a_rating_that_rose_gets_what_did_you_do(store):
    out, saved = follow_up(
        store,
        "Jag har börjat på en jobbsökarträff.",
        "better",
        "I torsdags. Mamma märkte det.",
        "Jag såg en lapp på biblioteket och gick dit.",
        "",  # no more follow-ups on what is better
        "Att vi pratar om CV:t.",
        "",
        "",  # the picture: passed over
        "",  # the next sign: passed over
        "",  # what helped (optional): passed over
        "5",  # progress: 3 last time
        "Jag gick dit fast jag var nervös.",
        "/avsluta",
        "j",
    )
    assert "Från 3 till 5 – vad har du gjort som har hjälpt?" in out
    assert "Hur har du orkat ändå?" not in out  # no coping after good news
    (rating,) = saved["ratings"]
    assert rating["value"] == 5
    assert rating["followups"][0]["answer"] == "Jag gick dit fast jag var nervös."


# --- the follow-up's branches in the engine ------------------------------------------


def test_things_worse_and_a_drop_get_coping_and_the_drop_follow_ups():
    e = engine("follow-up", "en", before=[earlier("s1", progress=5)])
    shown = walk(e, "Worse, to be honest.", "worse")
    assert shown[-1] == "What has stopped it getting even worse?"
    assert "coping" in asked_ids(e, "My sister.", "", "", "", "Going for walks.", "", "", "3")
    shown = walk(e, "My walks.")
    assert shown == [
        "What has helped you not to drop even lower?",
        "What would it take to get back to 5?",
    ]


def test_the_opening_follow_ups_match_the_outcome():
    for outcome, wanted in (("better", 4), ("same", 1), ("worse", 1)):
        e = engine("follow-up", "en")
        e.handle("Something.")
        e.handle(outcome)
        followups = 0
        while e.prompt().kind == "followup" and e.prompt().question.id == "better":
            followups += 1
            e.handle("more")
        assert followups == wanted, outcome


@pytest.mark.parametrize(
    ("status", "wanted"),
    [
        ("done", ["How did you do it?", "What does that say about you?"]),
        ("partly", ["Which part happened? How did you manage that?"]),
        (
            "not",
            ["Would you like to keep the step, make it smaller, or try something quite different?"],
        ),
    ],
)
def test_the_step_review_asks_by_status(status, wanted):
    e = engine("follow-up", "en", carried=[("Send the CV", "agreed", "s1")])
    while e.prompt().kind != "review":
        e.handle("")
    assert e.prompt().text == "Last time we wrote down this step: “Send the CV”. How has it gone?"
    asked = []
    e.handle(status)
    while e.prompt().kind == "followup":
        asked.append(e.prompt().text)
        e.handle("An answer")
    assert asked == wanted


def test_a_step_not_done_twice_asks_for_something_quite_different():
    e = engine("follow-up", "en", carried=[("Send the CV", "not", "s1")])
    while e.prompt().kind != "review":
        e.handle("")
    e.handle("not")
    e.handle("Keep it")
    assert e.prompt().text == (
        "That's twice in a row it hasn't happened. What would be something quite different to try?"
    )


def test_the_follow_up_quotes_the_first_visits_picture_when_there_is_one():
    picture = "I wake up before the alarm and make breakfast for Elsa."
    e = engine("follow-up", "en", before=[earlier("s1", progress=3, miracle=picture)])
    e.handle("")  # better: passed over
    e.handle("")  # useful-today: passed over
    p = e.prompt()
    assert p.question.id == "good-enough-picture"
    assert picture in p.say
    assert p.say.endswith("for Elsa.”")  # the client's own full stop; none doubled after it
    without = engine("follow-up", "en")
    without.handle("")
    without.handle("")
    assert without.prompt().question.id == "good-enough-picture" and without.prompt().say == ""


# --- first visit ----------------------------------------------------------------------


def test_the_first_visits_core_path_is_short():
    b = builtin("first-visit")
    core = [q.id for _, q in b.questions if not q.optional]
    always = [q.id for _, q in b.questions if not q.optional and q.when is None]
    assert len(core) <= 12, core  # the schema-1 bank asked all 20
    assert len(always) <= 9, always
    assert {"best-hopes", "frame", "miracle", "progress", "next-step"} <= set(always)


def test_an_exception_gets_how_did_you_and_no_exception_gets_coping():
    found = engine("first-visit", "en")
    ids = asked_ids(found, *[""] * 6, "Weekends go well.", "found", "")
    assert ids[-1] == "already-happening"
    assert found.prompt().question.id == "how-did-you"

    none = engine("first-visit", "en")
    asked_ids(none, *[""] * 6, "Nothing, really.", "none", "Nothing then either.", "none")
    p = none.prompt()
    assert (p.question.id, p.say) == ("coping", "It sounds like it's been really hard.")


def test_passing_over_the_earlier_good_time_still_brings_coping():
    e = engine("first-visit", "en")
    asked_ids(e, *[""] * 6, "Nothing, really.", "none", "")  # last-better passed over
    assert e.prompt().question.id == "coping"


def test_a_first_visit_of_only_core_questions_leaves_nothing_open():
    e = engine("first-visit", "en")
    core = []
    while (p := e.prompt()).kind != "confirm":
        q = p.question
        if p.stage == 0 and q.optional:  # passed over: an empty line, a scale with /skip
            e.handle("/skip" if q.kind == "scale" else "")
            continue
        if p.stage == 0:
            core.append(q.id)
        line = {"scale": "5", "outcome": "1", "step": "Phone the bank" if p.stage == 0 else ""}
        e.handle(line.get(p.kind, "" if p.kind == "followup" else "An answer"))
    assert e.summary()["unanswered"] == 0
    assert len(core) <= 10, core  # the whole first visit used to be 20 questions


def test_the_frame_is_said_before_it_is_asked():
    e = engine("first-visit", "sv")
    e.handle("")  # best hopes: passed over
    p = e.prompt()
    assert p.question.id == "frame" and p.say.startswith("Jag vill vara tydlig med min del")
    assert "kontoret" not in p.say + p.text


def test_a_check_in_where_things_are_worse_gets_one_line_of_coping():
    e = engine("check-in", "sv")
    shown = walk(e, "Sämre, faktiskt.", "worse")
    assert shown[-1] == "Det låter tungt. Hur har du orkat ändå?"
    e.handle("Jag har ringt min bror.")
    assert e.prompt().question.id == "today"


# --- plan and closing -----------------------------------------------------------------


def plan_until_scales(goal_2: str) -> Engine:
    e = engine("plan", "en")
    while e.prompt().question.id != "goal-1":
        e.handle("")
    e.handle("A job in a shop")
    while e.prompt().question.id != "goal-2":
        e.handle("")
    e.handle(goal_2)
    while e.prompt().question.id != "progress":
        e.handle("")
    return e


def test_the_second_goals_scale_is_asked_only_when_there_is_a_second_goal():
    one = asked_ids(plan_until_scales(""), "4", "", "5", "", "", "", "")
    assert "goal-1-scale" in one and "goal-2-scale" not in one
    two = asked_ids(plan_until_scales("My own flat"), "4", "", "5", "", "3", "", "")
    assert "goal-2-scale" in two
    assert not [q for _, q in builtin("plan").questions if q.id.endswith("-enough")]


def test_the_closing_compares_with_the_first_rating():
    before = [earlier("s1", progress=2), earlier("s2", progress=6)]
    e = engine("closing", "en", before=before)
    while e.prompt().question.id != "progress":
        e.handle("")
    e.handle("8")
    assert e.prompt().text == (
        "When we started you were at 2, and today you're at 8. What happened along the way?"
    )


# --- every bank -----------------------------------------------------------------------


@pytest.mark.parametrize("path", banks.builtin_files(), ids=lambda p: p.stem)
def test_every_bank_is_schema_2_valid_and_ends_with_hopes_met_and_usefulness(path):
    assert banks.validate_file(path) == []
    b = banks.load_file(path, builtin=True)
    assert b.schema == 2 and b.version >= 2
    if b.id == "practice":  # a round's feedback rates usefulness, against the platform
        *_, (_, hopes) = b.questions
        assert hopes.id == "hopes-met"
        assert "usefulness" not in {q.id for _, q in b.questions}
        return
    *_, (_, hopes), (_, useful) = b.questions
    assert (hopes.id, hopes.kind, hopes.optional) == ("hopes-met", "text", False)
    assert (useful.id, useful.kind, useful.optional) == ("usefulness", "scale", True)
    assert (useful.min, useful.max) == (0, 10)
    ids = {q.id for _, q in b.questions}
    assert "progress" in ids


def test_the_fixed_ids_other_features_rely_on_are_there():
    ids = {b: {q.id for _, q in builtin(b).questions} for b in (*CLIENT_BANKS, "practice")}
    assert {"best-hopes", "miracle"} <= ids["first-visit"]
    assert {"best-hopes", "preferred-future", "goal-1", "goal-1-scale"} <= ids["plan"]
    assert "preferred-future" in ids["network"]
    assert "best-hopes" in ids["closing"]


@pytest.mark.parametrize("path", banks.builtin_files(), ids=lambda p: p.stem)
def test_no_read_aloud_text_says_the_office(path):
    text = path.read_text(encoding="utf-8")
    assert "kontor" not in text and "the office" not in text


# --- the plan's goal scales, re-rated at the next meeting ----------------------------


def walked(opened, goal_value: int) -> list[str]:
    """Plain-mode lines for a whole meeting as the real engine of `opened` asks it: text
    answers, each goal re-rated at `goal_value`, other scales 5, no follow-ups, no steps."""
    engine = Engine(opened.bank, opened.session, opened.previous_ratings, earlier=opened.earlier)
    out = []
    while (p := engine.prompt()).kind != "confirm":
        if p.kind == "goal":
            line = str(goal_value)
        elif p.kind == "scale":
            line = "5"
        elif p.kind == "text":
            line = f"answer to {p.question.id}"
        else:  # outcomes unclassified, follow-ups and steps passed over, reviews done
            line = "done" if p.kind == "review" else ""
        out.append(line)
        engine.handle(line)
    return [*out, "y"]


def opened_beside(store_dir, tmp_path, name: str, meeting_id: str):
    """The meeting `start` would open next, opened in a copy of the store (opening saves it)."""
    import shutil

    from sfcoach import meeting

    store_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(store_dir, tmp_path / name)
    return meeting.open_new(Store(tmp_path / name), "K9", "en", "Anna", meeting_id)


def test_a_follow_up_after_a_plan_re_rates_its_goal_scales_with_last_time(store_dir, tmp_path):
    store = Store(store_dir)
    talk = walked(opened_beside(store_dir, tmp_path, "a", "plan"), 0)
    proc = sf("start", "--client", "K9", "--meeting", "plan", "--lang", "en",
              "--practitioner", "Anna", input=lines(*talk))  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-800:] + proc.stderr
    follow = opened_beside(store_dir, tmp_path, "b", "follow-up")
    proc = sf("start", "--client", "K9", "--lang", "en", "--practitioner", "Anna",
              input=lines(*walked(follow, 7)))  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-800:] + proc.stderr
    out = proc.stdout
    # The opening recap names each goal in the client's words with its rating.
    assert "Your goal: “answer to goal-1”." in out and "Your goal: “answer to goal-2”." in out
    assert "Last time: 5" in out and "From 5 to 7 – what have you done that got you there?" in out
    (latest,) = [s for s in store.client_sessions("K9")[0] if s.meeting == "follow-up"]
    goals = {r.scale: (r.goal, r.value) for r in latest.ratings if r.goal}
    assert goals == {
        "goal-1-scale": ("answer to goal-1", 7),
        "goal-2-scale": ("answer to goal-2", 7),
    }


def test_an_optional_scale_is_passed_over_with_an_empty_line():
    e = Engine(builtin("check-in"), Session("s", "K1", "check-in", "check-in", 2, "en"))
    while (p := e.prompt()).question is None or p.question.id != "usefulness":
        e.handle("" if p.kind in ("outcome", "followup", "step") else "5")
    e.handle("")  # an optional scale: no number needed
    assert e.prompt().kind == "confirm" and e.session.rating("usefulness") is None
    assert "usefulness" in e.session.skipped


def test_a_practice_round_does_not_ask_the_banks_usefulness_twice():
    from sfcoach import practice, practiceround

    card = practice.find_card(practice.load_cards(), "several-things-better")  # a follow-up
    session = Session("s", None, "follow-up", "follow-up", 2, "en", started=AT)
    engine = practiceround.engine_for(builtin("follow-up"), session, card)
    assert "usefulness" not in {q.id for _, q in engine.bank.questions}


def test_sessions_show_says_how_an_answer_was_classified_in_the_banks_words():
    demo = ["--store", str(ROOT / "sessions")]
    (may,) = (ROOT / "sessions" / "K1").glob("20260505-*.yaml")  # "inget är bättre"
    sv = sf(*demo, "sessions", "show", may.stem, "--lang", "sv").stdout
    en = sf(*demo, "sessions", "show", may.stem, "--lang", "en").stdout
    assert "(inget är bättre)" in sv and "(nothing is better)" in en
    assert "(same)" not in sv + en
