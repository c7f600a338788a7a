"""Plain data types shared by every layer: banks, sessions and what they hold.

The session records are also the session file's schema: `codec` writes and
reads them from their fields and type hints, and the field metadata below
(`file_key`, `required`, …) says where the file differs from the Python
defaults. The enumerations are `Literal` types, so the values stay plain
strings in files, JSON and comparisons, and mypy catches a misspelt one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, get_args

PhaseId = Literal["P", "L", "U", "S"]
QuestionKind = Literal["text", "scale", "step", "step-review", "goal-review"]
StepStatus = Literal["agreed", "done", "partly", "not"]
SessionStatus = Literal["in-progress", "paused", "completed"]
# How far a practice round has come: the card, the conversation, the feedback, done.
PracticeStage = Literal["intro", "conversation", "feedback", "done"]

PHASES: tuple[PhaseId, ...] = get_args(PhaseId)
KINDS: tuple[QuestionKind, ...] = get_args(QuestionKind)
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
STEP_STATUSES: tuple[StepStatus, ...] = get_args(StepStatus)
SESSION_STATUSES: tuple[SessionStatus, ...] = get_args(SessionStatus)
PRACTICE_STAGES: tuple[PracticeStage, ...] = get_args(PracticeStage)
SESSION_SCHEMA = 1
# The fixed scale id of the client's rating of a meeting's usefulness, which stats averages.
USEFULNESS = "usefulness"

# Field metadata for the session file (read by `codec`):
# - `file_key` nests the field in the file: ("bank", "id") is `id` under `bank`;
# - `required` makes a field that has a Python default required in the file;
# - `missing` is the value for a field absent from the file that has no Python default;
# - `before` writes the field just before another key, where the file's key order
#   differs from the field order (kept for the positional constructors);
# - `digits` rounds a float when written; `omit_none` leaves the key out when None,
#   `omit_empty` when empty (so files without the newer keys stay as they were);
# - `position` fills an absent integer with the item's 1-based place in its list.
REQUIRED = {"required": True}


def missing(value: Any) -> dict[str, Any]:
    return {"missing": value}


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

# The forms of a schema-2 condition (`when`): an earlier question's outcome, whether it was
# answered or skipped, whether the previous session has it, all/any of several; on a
# follow-up also its own question's outcome, the scale's change and bounds, a step's status.
WhenKind = Literal[
    "outcome", "answered", "skipped", "previous", "all", "any",
    "own", "change", "at_most", "at_least", "status",
]  # fmt: skip
CHANGES = ("up", "same", "down", "first")
REVIEW_CONDITIONS = ("done", "partly", "not", "not-twice")


@dataclass(frozen=True)
class When:
    kind: WhenKind
    ref: str = ""  # the question id, for outcome/answered/skipped/previous
    values: tuple[str, ...] = ()  # outcome names, statuses, or the change
    number: int = 0  # at_most / at_least
    parts: tuple[When, ...] = ()  # all / any


@dataclass(frozen=True)
class Outcome:
    """How the practitioner classifies an answer: the question, then the options in order."""

    ask: Text
    options: tuple[tuple[str, Text], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.options)


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    text: Text
    category: str
    followups: tuple[Text, ...] = ()
    tip: Text | None = None
    min: int = 0
    max: int = 10
    low: Text | None = None
    high: Text | None = None
    label: Text | None = None  # a scale's short name, for summaries and charts
    # Schema 2: when the question is asked, what is said before it, how its answer is
    # classified, when each follow-up is asked (parallel to `followups`), never left out.
    when: When | None = None
    say: Text | None = None
    outcome: Outcome | None = None
    followup_when: tuple[When | None, ...] = ()
    optional: bool = False
    # Schema 2, on a scale: the earlier text question whose answer is the goal this scale
    # measures, in the client's words; the rating keeps those words and carries them on.
    goal: str | None = None


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
    schema: int = 1
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
    # Which of the bank's follow-ups (1-based); some are skipped at a scale's ends. Files
    # without `n` kept follow-ups in order, one per slot.
    n: int = field(default=0, metadata={"position": True})


@dataclass
class Answer:
    phase: str
    question: str
    text: str = field(metadata=missing(""))
    followups: list[Followup] = field(default_factory=list)
    at: str = ""
    # The question as asked, so the record reads on its own.
    asked: str = field(default="", metadata={"before": "text"})
    # The practitioner's classification of the answer (schema-2 banks); None: unclassified.
    outcome: str | None = field(default=None, metadata={"omit_none": True})


@dataclass
class Rating:
    scale: str
    phase: str
    value: int
    min: int = field(metadata=missing(0))
    max: int = field(metadata=missing(10))
    low: str = field(metadata=missing(""))
    high: str = field(metadata=missing(""))
    label: str = ""  # the scale's short name
    followups: list[Followup] = field(default_factory=list)
    at: str = ""
    asked: str = field(default="", metadata={"before": "followups"})
    # The goal this scale measures, in the client's words (a goal scale, schema 2): later
    # meetings re-rate it under these words (`goal-review`).
    goal: str = field(default="", metadata={"omit_empty": True})


@dataclass
class Step:
    text: str
    status: StepStatus = "agreed"
    from_session: str | None = None  # the session the step was agreed in
    question: str | None = None  # bank question it was recorded at; None for /step
    at: str = ""
    # A step review's follow-ups for this step ("how did you do it?"), n = the bank's
    # follow-up number.
    followups: list[Followup] = field(default_factory=list, metadata={"omit_empty": True})


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
    # /tips toggled in this session (None: the default), so resume keeps what the coach chose.
    tips: bool | None = field(default=None, metadata={"omit_none": True})
    # An answer half typed when the meeting was interrupted (Ctrl-C), masked; put back in
    # the prompt on resume, so nothing typed is lost.
    draft: str | None = field(default=None, metadata={"omit_none": True})


# --- practice rounds ---------------------------------------------------------------


@dataclass
class Roles:
    coach: str = ""
    client: str = ""
    observer: str | None = None  # only in a triad


@dataclass
class OwnQuestion:
    """A question the coach asked in their own words (/ask), classified, with its answer."""

    text: str = ""
    category: str = "other"
    answer: str = ""
    phase: str | None = None
    at: str = ""


@dataclass
class Feedback:
    by: str = ""
    kind: str = ""  # "well" or "more"
    text: str = ""
    at: str = ""


@dataclass
class Mark:
    """One thing the observer heard and marked live: a question category or "what-else"."""

    kind: str = "other"
    phase: str | None = None
    at: str = ""


@dataclass
class PracticePlan:
    """What every round of a practice carries, so that a resume plays the rest the same way."""

    group: str = ""  # links the rounds of one practice
    names: list[str] = field(default_factory=list)
    rounds: int = 1
    minutes: int = 15
    bank: str = "practice"
    fixed: str | None = None  # the scenario asked for, else the cards rotate
    first: int = 0  # where the rotation through the cards starts
    cards: str | None = None  # the role-card file, when not the built-in one
    # --level: only that level's cards rotate; None: all of them, from easy to hard.
    level: int | None = field(default=None, metadata={"omit_none": True})

    def plan(self) -> PracticePlan:
        return PracticePlan(**{f.name: getattr(self, f.name) for f in fields(PracticePlan)})


@dataclass
class PracticeRound(PracticePlan):
    """One round of a practice (a session's `practice_data`): the plan, then the round."""

    round: int = 1
    roles: Roles = field(default_factory=Roles)
    scenario: str = ""  # the role card's id
    stage: PracticeStage = "done"
    asked: list[OwnQuestion] = field(default_factory=list)
    phase_seconds: dict[str, float] = field(default_factory=dict)
    feedback: list[Feedback] = field(default_factory=list)
    usefulness: int | None = None  # the client's rating of the round, 0-10
    marks: list[Mark] = field(default_factory=list)  # the observer's live tally
    # The debrief: which of the card's hidden resources came out (0-based); None: not asked yet.
    revealed: list[int] | None = field(default=None, metadata={"omit_none": True})


# --- the session ---------------------------------------------------------------------


@dataclass
class Session:
    id: str
    client: str | None = field(metadata=missing(None))
    meeting: str
    bank_id: str = field(metadata={"file_key": ("bank", "id")})
    bank_version: int = field(metadata={"file_key": ("bank", "version"), "missing": 1})
    lang: str
    practitioner: str = ""
    practice: bool = False
    status: SessionStatus = field(default="in-progress", metadata=REQUIRED)
    started: str = field(default="", metadata=REQUIRED)
    ended: str | None = None
    # Seconds the meeting has been open, across resumes.
    elapsed: float = field(default=0.0, metadata={"digits": 1})
    # "builtin", or the name of the custom bank's copy in the store.
    bank_source: str = field(default="", metadata={"file_key": ("bank", "source")})
    previous: str | None = None  # the client's earlier session this one follows up
    answers: list[Answer] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Steps from earlier meetings still open, to review in this one.
    carried: list[Step] = field(default_factory=list)
    cursor: Cursor = field(default_factory=Cursor)
    practice_data: PracticeRound | None = field(default=None, metadata={"omit_none": True})
    schema: int = field(default=SESSION_SCHEMA, metadata={"before": "id"})
    # A colleague sat in as reflection partner (start --colleague); None: no colleague.
    reflection: Reflection | None = field(default=None, metadata={"omit_none": True})

    def answer(self, question_id: str) -> Answer | None:
        return next((a for a in self.answers if a.question == question_id), None)

    def rating(self, scale: str) -> Rating | None:
        return next((r for r in self.ratings if r.scale == scale), None)

    @property
    def progress(self) -> int | None:
        r = self.rating("progress")
        return r.value if r else None


# --- reflection pairs ------------------------------------------------------------------


@dataclass
class Reflection:
    """A colleague's part in a real meeting (start --colleague): the feedback to the
    practitioner after it, and the tally it was given against. Private to the two:
    history, exports and search leave it out; never a grade."""

    colleague: str = ""
    feedback: list[Feedback] = field(default_factory=list)  # by the colleague, "well" / "more"
    # The meeting's tally as practice counts it: questions per category, follow-ups,
    # scale used, ended with a step (kept as it was when the feedback was given).
    by_type: dict[str, int] = field(default_factory=dict)
    questions: int = 0
    followups: int = 0
    scale_used: bool = False
    ended_with_step: bool = False
