"""Reflection pairs: a colleague sits in on a real meeting (start --colleague).

The colleague adds two questions before the S phase, in any bank: the
practitioner asks the colleague what resources they noticed while the client
listens ("resource gossip", resursskvaller), then asks the client what they
think on hearing it. After the meeting the colleague tells the practitioner
what went well and what to do more of, against the same tally as practice.
That feedback is private to the two and never a grade: history, exports and
search leave it out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sfcoach import fsio, privacy
from sfcoach.errors import UserError
from sfcoach.i18n import LANGS, t
from sfcoach.models import Bank, Feedback, Phase, Question, Reflection, Session, When, now_iso
from sfcoach.practice import Tally

GOSSIP = "reflection-gossip"  # the colleague's resource gossip
GOSSIP_REPLY = "reflection-reply"  # what the client thinks on hearing it
SLOT = (GOSSIP, GOSSIP_REPLY)
FEEDBACK_KINDS = ("well", "more")
MAX_NAME = 40


def colleague_name(typed: str, practitioner: str, ids: str = "mask") -> str:
    """The colleague's name as saved: masked like the practitioner's, and someone else."""
    name = fsio.decoded(typed.strip())
    if not name:
        raise UserError("colleague.empty")
    if len(name) > MAX_NAME:
        raise UserError("colleague.long", max=MAX_NAME)
    if ids != "keep":
        name = privacy.mask_text(name)
    if name.casefold() == practitioner.strip().casefold():
        raise UserError("colleague.same", name=name)
    return name


def start(session: Session, colleague: str) -> None:
    session.reflection = Reflection(colleague=colleague)


# --- the resource-gossip slot -------------------------------------------------------------


def with_gossip(bank: Bank, colleague: str) -> Bank:
    """`bank` with the resource-gossip slot at the end of the phase before S (at the start
    of S when S comes first, at the very end when there is no S). A bank that has the
    slot's ids already keeps its own questions."""
    if not bank.phases or any(q.id in SLOT for _, q in bank.questions):
        return bank
    phases = list(bank.phases)
    s_at = next((i for i, p in enumerate(phases) if p.id == "S"), len(phases))
    slot = _questions(colleague)
    if s_at == 0:
        phases[0] = replace(phases[0], questions=slot + phases[0].questions)
    else:
        before: Phase = phases[s_at - 1]
        phases[s_at - 1] = replace(before, questions=before.questions + slot)
    return replace(bank, phases=tuple(phases))


def _questions(colleague: str) -> tuple[Question, ...]:
    # Braces would be read as placeholders in a schema-2 bank's texts.
    name = colleague.replace("{", "(").replace("}", ")")

    def text(key: str) -> dict[str, str]:
        return {lang: t(key, lang, colleague=name) for lang in LANGS}

    gossip = Question(
        GOSSIP,
        "text",
        text("reflection.gossip"),
        "compliment",
        tip=text("reflection.gossip-tip"),
        say=text("reflection.gossip-say"),
    )
    # Asked only after the gossip was given: there is nothing to think about otherwise.
    reply = Question(
        GOSSIP_REPLY,
        "text",
        text("reflection.reply"),
        "exception",
        tip=text("reflection.reply-tip"),
        when=When("answered", GOSSIP),
    )
    return (gossip, reply)


# --- the feedback after the meeting ---------------------------------------------------------


def keep_tally(reflection: Reflection, counted: Tally) -> None:
    reflection.by_type = {k: n for k, n in counted.by_type.items() if n}
    reflection.questions = counted.questions
    reflection.followups = counted.followups
    reflection.scale_used = counted.scale_used
    reflection.ended_with_step = counted.ended_with_step


def give(reflection: Reflection, kind: str, text: str, at: str | None = None) -> None:
    reflection.feedback.append(Feedback(reflection.colleague, kind, text, at or now_iso()))


# --- counting -------------------------------------------------------------------------------


def year_before(today: date) -> date:
    """The first day of the last 12 months: the same date a year ago (28 Feb for 29 Feb)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)
