"""Schema 2 under any lines: the engine never raises, keeps the session whole and
resumable, and an outcome is always one of its question's options."""

from __future__ import annotations

from helpers import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfcoach import sessionfile, yamlio
from sfcoach.bank import load_file
from sfcoach.engine import Engine
from sfcoach.models import STEP_STATUSES, Answer, Rating, Session, Step

BANK = load_file(ROOT / "tests" / "banks" / "schema2.yaml")
QUESTIONS = {q.id: q for _, q in BANK.questions}
AT = "2026-11-23T10:00:00+01:00"
SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow],
}

LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "", "an answer", "better", "same", "worse", "1", "2", "3", "4", "0", "9", "10",
                "something is better", "det har blivit sämre", "done", "partly", "not", "klart",
                "/back", "/skip", "/end", "y", "n", "/questions", "/frågor", "/questions 2",
                "/questions 4", "/questions 8", "/questions 1", "/questions 99", "/phase S",
                "/phase P", "/pause",
            ]
        ),
        st.text(max_size=10),
    ),
    max_size=50,
)  # fmt: skip
CARRIED = st.lists(
    st.tuples(st.sampled_from(["Ringa", "Gå ut"]), st.sampled_from(STEP_STATUSES)), max_size=2
)


def earlier(hopes: str | None, progress: int | None) -> list[Session]:
    s = Session(id="20261101-100000-aaaa", client="K1", meeting=BANK.id, bank_id=BANK.id,
                bank_version=1, lang="en", status="completed")  # fmt: skip
    if hopes:
        s.answers.append(Answer("S", "hopes", hopes))
    if progress is not None:
        s.ratings.append(Rating("progress", "S", progress, 0, 10, "", ""))
    return [s]


def engine_for(session: Session, past: list[Session]) -> Engine:
    before = {r.scale: r.value for r in past[-1].ratings} if past else {}
    return Engine(BANK, session, before, clock=lambda: AT, earlier=past)


@settings(max_examples=300, **SETTINGS)
@given(
    lang=st.sampled_from(["sv", "en"]),
    carried=CARRIED,
    lines=LINES,
    hopes=st.sampled_from([None, "A job"]),
    progress=st.sampled_from([None, 0, 5, 10]),
)
def test_any_lines_keep_a_schema2_session_whole_and_resumable(
    lang, carried, lines, hopes, progress
):
    past = earlier(hopes, progress) if hopes or progress is not None else []
    session = Session(id="20261123-100000-aaaa", client="K1", meeting=BANK.id, bank_id=BANK.id,
                      bank_version=1, lang=lang,
                      carried=[Step(text, status, "s0") for text, status in carried])  # fmt: skip
    engine = engine_for(session, past)
    for line in lines:
        engine.handle(line)  # never raises
        for a in session.answers:
            q = QUESTIONS[a.question]
            assert a.outcome is None or (q.outcome and a.outcome in q.outcome.names)
        again = sessionfile.from_dict(yamlio.load(sessionfile.to_yaml(session)))
        assert sessionfile.to_dict(again) == sessionfile.to_dict(session)
        assert engine_for(again, past).prompt() == engine.prompt()
        if engine.done:
            break
