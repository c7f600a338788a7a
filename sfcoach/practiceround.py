"""Practice rounds as a service below the screens: the plan, the card of each round,
creating and saving round sessions, and finding the rounds of one practice.

`ui/practice.py` shows and asks; everything here works without a terminal.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sfcoach import practice
from sfcoach.bank import Bank, load_builtin
from sfcoach.engine import Engine
from sfcoach.models import (
    USEFULNESS,
    Answer,
    Feedback,
    Mark,
    OwnQuestion,
    PracticePlan,
    PracticeRound,
    Rating,
    Session,
    Step,
    now_iso,
    text_in,
)
from sfcoach.practice import Card, Tally
from sfcoach.sessionfile import BadSession
from sfcoach.store import PRACTICE_DIR, Store, new_session_id

FIRST_VISIT = "first-visit"


def new_plan(
    names: list[str],
    rounds: int,
    minutes: int,
    cards: list[Card],
    cards_file: Path | None,
    scenario: str | None,
    level: int | None = None,
) -> PracticePlan:
    """The rotation starts at a random card of the deck's easiest level and walks on
    towards harder ones (see `practice.deck`)."""
    deck = practice.deck(cards, level)
    return PracticePlan(
        group=new_session_id(),
        names=names,
        rounds=rounds,
        minutes=minutes,
        fixed=scenario,
        first=random.randrange(practice.easiest(deck)),
        cards=str(cards_file.resolve()) if cards_file else None,
        level=level,
    )


def load_cards(plan: PracticePlan) -> list[Card]:
    """The role cards the practice was planned with."""
    return practice.load_cards(Path(plan.cards) if plan.cards else None)


def card_for(plan: PracticePlan, index: int, cards: list[Card]) -> Card:
    """Round `index`'s card: the one asked for, else the next in the rotation."""
    if plan.fixed:
        return practice.find_card(cards, plan.fixed)
    deck = practice.deck(cards, plan.level)
    return deck[(plan.first + index) % len(deck)]


def new_round(store: Store, plan: PracticePlan, index: int, card: Card, lang: str) -> Session:
    """Round `index` (0-based) of the plan, created in the store at its first stage."""
    roles = practice.roles(plan.names, index)
    session = Session(
        id=new_session_id(),
        client=None,
        meeting="practice",
        bank_id=card.meeting or plan.bank,
        bank_version=1,
        lang=lang,
        practitioner=roles.coach,
        practice=True,
        started=now_iso(),
        practice_data=PracticeRound(
            **vars(plan.plan()), round=index + 1, roles=roles, scenario=card.id, stage="intro"
        ),
    )
    previous = last_time(card, session)
    if previous is not None:  # reviewed in the round like a real meeting's open steps
        session.carried = [Step(x.text, x.status, previous.id, None, x.at) for x in previous.steps]
    store.create(session)
    return session


# How long ago the simulated last meeting was: a month, the usual follow-up interval.
LAST_TIME_DAYS = 28


def last_time(card: Card, session: Session) -> Session | None:
    """A follow-up card's simulated last meeting, held in memory only: the round's engine
    sees it as the client's previous completed session (its ratings, steps and words),
    and no made-up client session is ever written to the store."""
    given = card.last_time
    if not given:
        return None
    lang = session.lang
    meeting = given.get("meeting") or FIRST_VISIT
    started = datetime.fromisoformat(session.started) - timedelta(days=LAST_TIME_DAYS)
    previous = Session(
        id=f"{session.id}-last-time",
        client=None,
        meeting=meeting,
        bank_id=meeting,
        bank_version=1,
        lang=lang,
        practice=True,
        status="completed",
        started=started.isoformat(timespec="seconds"),
    )
    where = _questions(lang, meeting, session.bank_id)
    for qid, value in given.get("ratings", {}).items():
        phase, label = where.get(qid, ("S", ""))
        previous.ratings.append(Rating(qid, phase, value, 0, 10, "", "", label))
    for qid, text in given.get("answers", {}).items():
        phase = where.get(qid, ("P", ""))[0]
        previous.answers.append(Answer(phase, qid, text_in(text, lang)))
    previous.steps = [Step(text_in(x, lang), "agreed", previous.id) for x in given.get("steps", [])]
    return previous


def engine_for(bank: Bank, session: Session, card: Card) -> Engine:
    """The round's engine, which sees a follow-up card's last time as the previous meeting:
    its ratings for {before} and scale changes, its answers for earlier-session conditions.
    The bank's own usefulness rating is left out: the round's feedback asks it, against
    the platform the client player set."""
    bank = replace(
        bank,
        phases=tuple(
            replace(p, questions=tuple(q for q in p.questions if q.id != USEFULNESS))
            for p in bank.phases
        ),
    )
    previous = last_time(card, session)
    if previous is None:
        return Engine(bank, session)
    ratings = {r.scale: r.value for r in previous.ratings}
    return Engine(bank, session, ratings, earlier=[previous])


def _questions(lang: str, *bank_ids: str) -> dict[str, tuple[str, str]]:
    """Each question id of these built-in banks -> its phase and (for a scale) short name;
    the first bank that has an id names it."""
    out: dict[str, tuple[str, str]] = {}
    for bank_id in reversed(bank_ids):
        bank = load_builtin(bank_id)
        for phase, q in bank.questions:
            out[q.id] = (phase.id, text_in(q.label, lang))
    return out


def round_of(session: Session) -> PracticeRound:
    """A practice session's round; a session that has none gets an empty one."""
    if session.practice_data is None:
        session.practice_data = PracticeRound()
    return session.practice_data


# --- a round's stages: intro -> conversation -> feedback -> done -----------------------

FEEDBACK_KINDS = ("well", "more")  # what went well, what the coach could do more of


def begin_conversation(session: Session) -> None:
    round_of(session).stage = "conversation"


def end_conversation(session: Session) -> None:
    """The meeting part is complete; the round goes on with the feedback."""
    round_of(session).stage = "feedback"
    session.status = "in-progress"


def spend(session: Session, phase: str, seconds: float) -> None:
    """Count time spent in a phase of the conversation."""
    spent = round_of(session).phase_seconds
    spent[phase] = round(spent.get(phase, 0) + seconds, 1)


def own_question(
    session: Session, text: str, category: str, answer: str, phase: str | None
) -> None:
    round_of(session).asked.append(OwnQuestion(text, category, answer, phase, now_iso()))


def mark(session: Session, kind: str, phase: str | None) -> None:
    """One thing the observer heard, marked live."""
    round_of(session).marks.append(Mark(kind, phase, now_iso()))


def feedback_giver(session: Session) -> str:
    """The observer, or in a pair the client."""
    roles = round_of(session).roles
    return roles.observer or roles.client


def feedback_to_give(session: Session) -> list[str]:
    """The kinds of feedback not given yet (all of them, unless resumed mid-feedback)."""
    given = {f.kind for f in round_of(session).feedback}
    return [kind for kind in FEEDBACK_KINDS if kind not in given]


def give_feedback(session: Session, kind: str, text: str) -> None:
    round_of(session).feedback.append(Feedback(feedback_giver(session), kind, text, now_iso()))


def platform(session: Session, bank: Bank) -> str:
    """What the client hoped for, quoted when they rate the round: the first answer to a
    platform question (a follow-up opens with what is better), else the first in P."""
    ids = {q.id for _, q in bank.questions if q.category == "platform"}
    found = (a.text for a in session.answers if a.question in ids and a.text)
    return next(found, "") or next((a.text for a in session.answers if a.phase == "P"), "")


def reveal(session: Session, ticked: list[int]) -> None:
    """The debrief's answer: which hidden resources (0-based, in card order) came out."""
    round_of(session).revealed = sorted(set(ticked))


def finish(session: Session, usefulness: int) -> None:
    """The client's rating of the round ends it."""
    data = round_of(session)
    data.usefulness, data.stage = usefulness, "done"
    session.status = "completed"
    session.ended = now_iso()


def rounds_of(store: Store, group: str) -> list[tuple[Session, Tally]]:
    """Every saved round of one practice, in order, with its tally."""
    out = []
    banks: dict[str, Bank] = {}
    for path in store.files(PRACTICE_DIR):
        try:
            s = store.load(path)
        except BadSession:
            continue
        if group and s.practice_data is not None and s.practice_data.group == group:
            if s.bank_id not in banks:
                banks[s.bank_id] = load_builtin(s.bank_id)
            out.append((s, practice.tally(s, banks[s.bank_id])))
    return sorted(out, key=lambda pair: round_of(pair[0]).round)
