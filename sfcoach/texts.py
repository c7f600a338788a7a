"""Every free text of a session, in one walk.

Search indexing, masking identity numbers (`scan --fix`) and the exports all go
through `session_texts`, so a text a coach can type is searched, masked and
exported alike: a new place for text is added here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from sfcoach.models import Answer, Feedback, Followup, Note, OwnQuestion, Rating, Session, Step

TextKind = Literal[
    "answer", "followup", "rating", "step", "carried", "note", "ask", "ask-answer", "feedback"
]
Holder = Answer | Followup | Rating | Step | Note | OwnQuestion | Feedback


@dataclass(frozen=True)
class TextRef:
    """One free text: where it is in the file, what it is, and how to read or replace it."""

    where: str  # the key path in the file, e.g. "answers[3].followups[0]"
    kind: TextKind
    question: str | None  # the bank question (or scale) it answers, if any
    owner: Answer | Rating | Step | Note | OwnQuestion | Feedback  # the record it belongs to
    holder: Holder  # the record holding the text (a follow-up of `owner`, or `owner`)
    attr: str

    def get(self) -> str:
        text: str = getattr(self.holder, self.attr)
        return text

    def set(self, value: str) -> None:
        setattr(self.holder, self.attr, value)


def session_texts(s: Session) -> Iterator[TextRef]:
    """Answers and their follow-ups, ratings (their label) and their follow-ups, steps,
    carried steps, notes, and in a practice round the /ask questions with their answers
    and the feedback; in the file's order."""
    for i, a in enumerate(s.answers):
        yield TextRef(f"answers[{i}]", "answer", a.question, a, a, "text")
        for j, f in enumerate(a.followups):
            yield TextRef(f"answers[{i}].followups[{j}]", "followup", a.question, a, f, "answer")
    for i, r in enumerate(s.ratings):
        yield TextRef(f"ratings[{i}].label", "rating", r.scale, r, r, "label")
        for j, f in enumerate(r.followups):
            yield TextRef(f"ratings[{i}].followups[{j}]", "followup", r.scale, r, f, "answer")
    for i, x in enumerate(s.steps):
        yield TextRef(f"steps[{i}]", "step", x.question, x, x, "text")
    for i, x in enumerate(s.carried):
        yield TextRef(f"carried[{i}]", "carried", x.question, x, x, "text")
    for i, n in enumerate(s.notes):
        yield TextRef(f"notes[{i}]", "note", None, n, n, "text")
    data = s.practice_data
    if data is None:
        return
    for i, q in enumerate(data.asked):
        where = f"practice_data.asked[{i}]"
        yield TextRef(f"{where}.text", "ask", None, q, q, "text")
        yield TextRef(f"{where}.answer", "ask-answer", None, q, q, "answer")
    for i, fb in enumerate(data.feedback):
        yield TextRef(f"practice_data.feedback[{i}].text", "feedback", None, fb, fb, "text")
