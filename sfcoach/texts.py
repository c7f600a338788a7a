"""Every free text of a session, in one walk.

Search indexing, masking identity numbers (`scan --fix`) and the exports all go
through `session_texts`, so a text a coach can type is searched, masked and
exported alike: a new place for text is added here once. `session_names` walks
the names a session keeps (the practitioner, practice participants), which are
masked like texts but are not what a search is for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from sfcoach.models import (
    Answer,
    Cursor,
    Feedback,
    Followup,
    Note,
    OwnQuestion,
    Rating,
    Session,
    Step,
)

TextKind = Literal[
    "answer",
    "followup",
    "rating",
    "goal",
    "step",
    "carried",
    "note",
    "ask",
    "ask-answer",
    "feedback",
    "reflection",
    "draft",
]
Holder = Answer | Followup | Rating | Step | Note | OwnQuestion | Feedback | Cursor


@dataclass(frozen=True)
class TextRef:
    """One free text: where it is in the file, what it is, and how to read or replace it."""

    where: str  # the key path in the file, e.g. "answers[3].followups[0]"
    kind: TextKind
    question: str | None  # the bank question (or scale) it answers, if any
    owner: Answer | Rating | Step | Note | OwnQuestion | Feedback | Cursor  # its record
    holder: Holder  # the record holding the text (a follow-up of `owner`, or `owner`)
    attr: str

    def get(self) -> str:
        text: str = getattr(self.holder, self.attr)
        return text

    def set(self, value: str) -> None:
        setattr(self.holder, self.attr, value)


def session_texts(s: Session) -> Iterator[TextRef]:
    """Answers and their follow-ups, ratings (their label and goal) and their follow-ups,
    steps and their review follow-ups, carried steps, notes, and in a practice round the
    /ask questions with their answers and the feedback; in the file's order."""
    for i, a in enumerate(s.answers):
        yield TextRef(f"answers[{i}]", "answer", a.question, a, a, "text")
        for j, f in enumerate(a.followups):
            yield TextRef(f"answers[{i}].followups[{j}]", "followup", a.question, a, f, "answer")
    for i, r in enumerate(s.ratings):
        yield TextRef(f"ratings[{i}].label", "rating", r.scale, r, r, "label")
        # A goal scale's words, copied from the answer that set the goal (else empty).
        yield TextRef(f"ratings[{i}].goal", "goal", r.scale, r, r, "goal")
        for j, f in enumerate(r.followups):
            yield TextRef(f"ratings[{i}].followups[{j}]", "followup", r.scale, r, f, "answer")
    for i, x in enumerate(s.steps):
        yield TextRef(f"steps[{i}]", "step", x.question, x, x, "text")
        for j, f in enumerate(x.followups):  # a step review's follow-ups on this step
            yield TextRef(f"steps[{i}].followups[{j}]", "followup", x.question, x, f, "answer")
    for i, x in enumerate(s.carried):
        yield TextRef(f"carried[{i}]", "carried", x.question, x, x, "text")
    for i, n in enumerate(s.notes):
        yield TextRef(f"notes[{i}]", "note", None, n, n, "text")
    # The colleague's feedback: masked with the rest, but neither searched nor exported.
    for i, fb in enumerate(s.reflection.feedback if s.reflection else []):
        yield TextRef(f"reflection.feedback[{i}].text", "reflection", None, fb, fb, "text")
    c = s.cursor
    if c.draft is not None:  # half typed when Ctrl-C came: masked, never searched
        yield TextRef("cursor.draft", "draft", c.question, c, c, "draft")
    data = s.practice_data
    if data is None:
        return
    for i, q in enumerate(data.asked):
        where = f"practice_data.asked[{i}]"
        yield TextRef(f"{where}.text", "ask", None, q, q, "text")
        yield TextRef(f"{where}.answer", "ask-answer", None, q, q, "answer")
    for i, fb in enumerate(data.feedback):
        yield TextRef(f"practice_data.feedback[{i}].text", "feedback", None, fb, fb, "text")


@dataclass(frozen=True)
class NameRef:
    """A person's name in a session: where it is in the file, and how to read or replace it."""

    where: str
    read: Callable[[], str]
    write: Callable[[str], None]

    def get(self) -> str:
        return self.read()

    def set(self, value: str) -> None:
        self.write(value)


def _attr(where: str, holder: object, attr: str) -> NameRef:
    return NameRef(where, lambda: getattr(holder, attr), lambda v: setattr(holder, attr, v))


def session_names(s: Session) -> Iterator[NameRef]:
    """The practitioner, and in a practice round the participants, their roles and who
    gave each piece of feedback."""
    yield _attr("practitioner", s, "practitioner")
    if s.reflection is not None:
        base = "reflection"  # the key in the file
        yield _attr(f"{base}.colleague", s.reflection, "colleague")
        for i, fb in enumerate(s.reflection.feedback):
            yield _attr(f"{base}.feedback[{i}].by", fb, "by")
    data = s.practice_data
    if data is None:
        return
    names = data.names
    for i in range(len(names)):
        yield NameRef(
            f"practice_data.names[{i}]",
            lambda i=i: names[i],  # type: ignore[misc]
            lambda v, i=i: names.__setitem__(i, v),  # type: ignore[misc]
        )
    for role in ("coach", "client", "observer"):
        if getattr(data.roles, role) is not None:
            yield _attr(f"practice_data.roles.{role}", data.roles, role)
    for i, fb in enumerate(data.feedback):
        yield _attr(f"practice_data.feedback[{i}].by", fb, "by")
