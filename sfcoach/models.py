"""Plain data types shared by every layer: banks, sessions and what they hold.

No behaviour beyond conversion to and from the plain dicts that session
files and JSON output use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PHASES = ("P", "L", "U", "S")
KINDS = ("text", "scale", "step", "step-review")
# What an observer tallies in pair practice; each question carries one.
CATEGORIES = (
    "platform",
    "future",
    "exception",
    "scaling",
    "coping",
    "step",
    "compliment",
    "other",
)
STEP_STATUSES = ("agreed", "done", "partly", "not")
SESSION_STATUSES = ("in-progress", "paused", "completed")
SESSION_SCHEMA = 1

Text = dict[str, str]  # language code -> text


def text_in(text: Text | None, lang: str) -> str:
    """A bank text in `lang`, else in any language it has, else empty."""
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()))


def now_iso() -> str:
    """Local time with its UTC offset, to the second (ISO 8601)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


# --- banks -------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: Text
    category: str
    followups: tuple[Text, ...] = ()
    tip: Text | None = None
    min: int = 0
    max: int = 10
    low: Text | None = None
    high: Text | None = None
    label: Text | None = None  # a scale's short name, for summaries and charts


@dataclass(frozen=True)
class Phase:
    id: str
    questions: tuple[Question, ...]
    purpose: Text | None = None
    tips: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Bank:
    id: str
    title: Text
    languages: tuple[str, ...]
    phases: tuple[Phase, ...]
    version: int = 1
    description: Text | None = None
    source: str = ""  # file the bank was loaded from
    builtin: bool = False
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def questions(self) -> list[tuple[Phase, Question]]:
        return [(p, q) for p in self.phases for q in p.questions]

    def phase(self, phase_id: str) -> Phase | None:
        return next((p for p in self.phases if p.id == phase_id), None)


# --- sessions ----------------------------------------------------------------


@dataclass
class Followup:
    text: str  # the follow-up question as asked
    answer: str
    n: int = 0  # which of the bank's follow-ups (1-based); some are skipped at a scale's ends


@dataclass
class Answer:
    phase: str
    question: str
    text: str
    followups: list[Followup] = field(default_factory=list)
    at: str = ""
    asked: str = ""  # the question as asked, so the record reads on its own


@dataclass
class Rating:
    scale: str
    phase: str
    value: int
    min: int
    max: int
    low: str
    high: str
    label: str = ""  # the scale's short name
    followups: list[Followup] = field(default_factory=list)
    at: str = ""
    asked: str = ""


@dataclass
class Step:
    text: str
    status: str = "agreed"
    from_session: str | None = None  # the session the step was agreed in
    question: str | None = None  # bank question it was recorded at; None for /step
    at: str = ""


@dataclass
class Note:
    text: str
    at: str = ""


@dataclass
class Cursor:
    """Where a session stands, so that resume continues exactly there."""

    question: str | None = None  # question id; None once past the last one
    stage: int = 0  # 0 = the question itself; then follow-ups, steps or reviews
    back: list[tuple[str, int]] = field(default_factory=list)
    forward: list[tuple[str, int]] = field(default_factory=list)
    confirm: bool = False  # the end summary is waiting for y/n


@dataclass
class Session:
    id: str
    client: str | None
    meeting: str
    bank_id: str
    bank_version: int
    lang: str
    practitioner: str = ""
    practice: bool = False
    status: str = "in-progress"
    started: str = ""
    ended: str | None = None
    elapsed: float = 0.0  # seconds the meeting has been open, across resumes
    bank_source: str = ""  # "builtin", or the name of the custom bank's copy in the store
    previous: str | None = None  # the client's earlier session this one follows up
    answers: list[Answer] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Steps from earlier meetings still open, to review in this one.
    carried: list[Step] = field(default_factory=list)
    cursor: Cursor = field(default_factory=Cursor)
    practice_data: dict[str, Any] | None = None
    schema: int = SESSION_SCHEMA

    def answer(self, question_id: str) -> Answer | None:
        return next((a for a in self.answers if a.question == question_id), None)

    def rating(self, scale: str) -> Rating | None:
        return next((r for r in self.ratings if r.scale == scale), None)

    @property
    def progress(self) -> int | None:
        r = self.rating("progress")
        return r.value if r else None
