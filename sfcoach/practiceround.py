"""Practice rounds as a service below the screens: the plan, the card of each round,
creating and saving round sessions, and finding the rounds of one practice.

`ui/practice.py` shows and asks; everything here works without a terminal.
"""

from __future__ import annotations

import random
from pathlib import Path

from sfcoach import practice
from sfcoach.bank import Bank, load_builtin
from sfcoach.models import (
    Feedback,
    Mark,
    OwnQuestion,
    PracticePlan,
    PracticeRound,
    Session,
    now_iso,
)
from sfcoach.practice import Card, Tally
from sfcoach.sessionfile import BadSession
from sfcoach.store import PRACTICE_DIR, Store, new_session_id


def new_plan(
    names: list[str],
    rounds: int,
    minutes: int,
    cards: list[Card],
    cards_file: Path | None,
    scenario: str | None,
) -> PracticePlan:
    return PracticePlan(
        group=new_session_id(),
        names=names,
        rounds=rounds,
        minutes=minutes,
        fixed=scenario,
        first=random.randrange(len(cards)),
        cards=str(cards_file.resolve()) if cards_file else None,
    )


def load_cards(plan: PracticePlan) -> list[Card]:
    """The role cards the practice was planned with."""
    return practice.load_cards(Path(plan.cards) if plan.cards else None)


def card_for(plan: PracticePlan, index: int, cards: list[Card]) -> Card:
    """Round `index`'s card: the one asked for, else the next in the rotation."""
    if plan.fixed:
        return practice.find_card(cards, plan.fixed)
    return cards[(plan.first + index) % len(cards)]


def new_round(store: Store, plan: PracticePlan, index: int, card: Card, lang: str) -> Session:
    """Round `index` (0-based) of the plan, created in the store at its first stage."""
    roles = practice.roles(plan.names, index)
    session = Session(
        id=new_session_id(),
        client=None,
        meeting="practice",
        bank_id=plan.bank,
        bank_version=1,
        lang=lang,
        practitioner=roles.coach,
        practice=True,
        started=now_iso(),
        practice_data=PracticeRound(
            **vars(plan.plan()), round=index + 1, roles=roles, scenario=card.id, stage="intro"
        ),
    )
    store.create(session)
    return session


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
