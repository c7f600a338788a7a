"""The conversation as a pure state machine: no terminal, no files.

A position is (question, stage): stage 0 is the question itself; for text
and scale questions stage k is the k-th follow-up, and OUTCOME (-1) the
practitioner's classification of the answer (schema 2), between the two; for
step questions stage k is the k-th step; for step-review questions each step
carried from last time has one stage for its status and one per follow-up
(without follow-ups, stage k is the k-th step); goal-review questions likewise
have one stage per goal carried from earlier meetings for its rating and one per
follow-up. `handle(line)` takes one line exactly as typed (an answer or a
/command) and updates the Session in place; `prompt()` says what to ask next.

Schema-2 banks make the conversation follow the client: a question or a
follow-up whose condition is false, or whose text needs an earlier session's
answer that does not exist, is passed over (the deck, /questions N, still
reaches a question).

Going back works like a browser: /back steps to the previous position and
remembers where it came from, so after the edit the conversation returns
there, each revisited answer offered for editing on the way (an empty line
keeps it).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sfcoach.models import (
    PHASES,
    Answer,
    Bank,
    Followup,
    Note,
    PhaseId,
    Question,
    Rating,
    Session,
    Step,
    StepStatus,
    When,
    now_iso,
    text_in,
)

MAX_ANSWER = 200_000  # characters; beyond this a line is a paste accident
BACK_LIMIT = 1_000

Pos = tuple[int, int]

# Command words in either language -> command.
Command = Literal[
    "back", "skip", "phase", "note", "step", "tips", "pause", "end", "help", "questions"
]
# What a prompt asks for: a question's own kind, or one of the engine's stages.
# A quoted answer that ends its own sentence needs no stop after the quote:
# ”… på eftermiddagen.”. reads ”… på eftermiddagen.”
_DOUBLED_STOP = re.compile(r"([.!?…])([”“\"»’])\.")

PromptKind = Literal["text", "scale", "step", "followup", "review", "confirm", "outcome", "goal"]
# What the UI should do after a line, besides showing the messages.
Signal = Literal["help", "tips", "pause", "summary", "completed", "returned", "questions"]

COMMANDS: dict[str, Command] = {
    "back": "back", "tillbaka": "back",
    "skip": "skip", "hoppa": "skip",
    "phase": "phase", "fas": "phase",
    "note": "note", "notera": "note", "anteckning": "note",
    "step": "step", "steg": "step",
    "tips": "tips",
    "pause": "pause", "paus": "pause",
    "end": "end", "avsluta": "end", "slut": "end",
    "help": "help", "hjälp": "help", "?": "help",
    "questions": "questions", "frågor": "questions",
}  # fmt: skip
COMMAND_NAMES = {  # what /help and tab completion offer, per language
    "en": ("back", "skip", "phase", "note", "step", "tips", "pause", "end", "questions", "help"),
    "sv": (
        "tillbaka", "hoppa", "fas", "notera", "steg", "tips", "paus", "avsluta", "frågor", "hjälp",
    ),
}  # fmt: skip
REVIEW_WORDS: dict[str, StepStatus] = {
    "done": "done", "klart": "done", "klar": "done", "1": "done",
    "partly": "partly", "delvis": "partly", "2": "partly",
    "not": "not", "not yet": "not", "inte": "not", "inte än": "not", "3": "not",
}  # fmt: skip
REVIEW_SHOWN = {
    "sv": {"done": "klart", "partly": "delvis", "not": "inte"},
    "en": {"done": "done", "partly": "partly", "not": "not"},
}
# /phase takes a phase's name in either language as well as its letter.
PHASE_WORDS: dict[str, PhaseId] = {
    "platform": "P", "plattform": "P",
    "solution": "L", "lösning": "L",
    "exceptions": "U", "exception": "U", "undantag": "U",
    "steps": "S", "step": "S", "steg": "S",
}  # fmt: skip
YES = {"y", "yes", "j", "ja"}
# The stage of a text question's classification (schema 2): after the answer, before the
# follow-ups, which keep stages 1, 2, … as in schema 1.
OUTCOME = -1


class _Missing(Exception):
    """A text needs something from an earlier session that is not there."""


@dataclass(frozen=True)
class Prompt:
    """What to ask now."""

    kind: PromptKind
    phase: str = ""
    question: Question | None = None
    text: str = ""
    prefill: str = ""
    number: int = 0  # 1-based position of the question in the bank
    total: int = 0
    stage: int = 0
    step: Step | None = None  # the step under review
    say: str = ""  # read aloud before the question, shown above it (schema 2)
    context: str = ""  # the question as asked, above a follow-up or a later stage
    goal: Rating | None = None  # the goal under review: its words, last value and anchors


@dataclass
class Reply:
    """What the UI should show after a line: message keys, and a signal."""

    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    signal: Signal | None = None

    def say(self, key: str, **params: Any) -> Reply:
        self.messages.append((key, params))
        return self


def carried_goals(earlier: Sequence[Session], asked_here: Collection[str] = ()) -> list[Rating]:
    """The latest rating of each goal scale in the client's earlier meetings (oldest
    first), in the order the goals were first set; scales this bank asks itself are
    left out, as they are rated where the bank asks them."""
    latest: dict[str, Rating] = {}
    for s in earlier:
        for r in s.ratings:
            if r.goal and r.scale not in asked_here:
                latest[r.scale] = r
    return list(latest.values())


def _has_answer(session: Session, qid: str) -> bool:
    answer = session.answer(qid)
    return bool(answer and answer.text) or session.rating(qid) is not None


class Engine:
    def __init__(
        self,
        bank: Bank,
        session: Session,
        previous_ratings: dict[str, int] | None = None,
        clock: Callable[[], str] = now_iso,
        earlier: Sequence[Session] = (),
    ) -> None:
        self.bank = bank
        self.session = session
        self.lang = session.lang
        self.clock = clock
        self.previous_ratings = previous_ratings or {}
        # The client's completed sessions before this one, oldest first, for schema-2
        # conditions ({previous: ID}) and placeholders ({prev:ID}, {first:ID}).
        self.earlier = list(earlier)
        # The question asked out of turn from the deck (/questions N), until it is left;
        # where the meeting was waits on `forward`.
        self.detour: int | None = None
        self.flat = bank.questions
        self._index = {q.id: i for i, (_, q) in enumerate(self.flat)}
        asks = {q.id for _, q in self.flat if q.kind == "scale"}
        self.goals = carried_goals(self.earlier, asks) if bank.schema >= 2 else []
        self._restore()

    # --- where we are --------------------------------------------------------

    def _restore(self) -> None:
        c = self.session.cursor
        self.back: list[Pos] = [p for p in map(self._pos, c.back) if p is not None]
        self.forward: list[Pos] = [p for p in map(self._pos, c.forward) if p is not None]
        self.confirming = c.confirm
        if c.question is None:
            started = bool(self.session.answers or self.session.ratings or self.back)
            self.pos: Pos | None = None if started else self._enter(0)
        else:
            self.pos = self._pos((c.question, c.stage))
            if self.pos is None:  # the bank changed under a paused session
                self.pos = self._enter(0)
        if self.pos is None:
            self.confirming = True
        self._sync()

    def _pos(self, ref: tuple[str, int]) -> Pos | None:
        """A saved position, if it still fits the bank and the session (files can be edited)."""
        i = self._index.get(ref[0])
        if i is None:
            return None
        q, stage = self.flat[i][1], ref[1]
        if q.kind in ("step-review", "goal-review"):
            return (i, stage) if 0 <= stage < len(self._items(q)) * self._per_step(q) else None
        if q.kind == "step":
            return (i, max(0, stage))
        if stage == OUTCOME and q.outcome is not None:
            return (i, stage)
        return (i, stage) if 0 <= stage <= len(q.followups) else (i, 0)

    def _sync(self) -> None:
        c = self.session.cursor
        c.question = self.flat[self.pos[0]][1].id if self.pos else None
        c.stage = self.pos[1] if self.pos else 0
        c.back = [self._ref(p) for p in self.back[-BACK_LIMIT:]]
        c.forward = [self._ref(p) for p in self.forward]
        c.confirm = self.confirming

    def _ref(self, p: Pos) -> tuple[str, int]:
        return self.flat[p[0]][1].id, p[1]

    @property
    def done(self) -> bool:
        return self.session.status == "completed"

    def prompt(self) -> Prompt:
        if self.confirming or self.pos is None:
            return Prompt("confirm", total=len(self.flat))
        i, stage = self.pos
        phase, q = self.flat[i]
        prefill = self._value(self.pos) or ""
        kind: PromptKind
        step = goal = None
        say = ""
        if q.kind == "goal-review":
            index, f = divmod(stage, self._per_step(q))
            goal = self.goals[index]
            if f:
                kind, text = "followup", self._followup_text(q, stage)
            else:
                kind, text = "goal", self._goal_text(q, goal)
                say = "" if index else self._say(q)  # once, before the first goal
        elif q.kind == "step-review":
            index, f = divmod(stage, self._per_step(q))
            step = self.session.carried[index]
            if f:
                kind, text = "followup", self._followup_text(q, stage)
            else:
                kind, text = "review", self._review_text(q, step)
                prefill = REVIEW_SHOWN.get(self.lang, REVIEW_SHOWN["en"]).get(prefill, prefill)
        elif stage == OUTCOME and q.outcome is not None:
            kind, text = "outcome", self._t(q.outcome.ask)
        elif stage == 0:
            kind, text, say = q.kind, self._question_text(q), self._say(q)
        elif q.kind == "step":
            kind, text = "step", self._question_text(q)
        else:
            kind, text = "followup", self._followup_text(q, stage)
        if goal is not None:
            context = self._goal_text(q, goal)
        else:
            context = self._review_text(q, step) if step else self._question_text(q)
        return Prompt(
            kind, phase.id, q, text, prefill, i + 1, len(self.flat), stage, step, say, context, goal
        )

    def _t(self, text: dict[str, str] | None) -> str:
        return text_in(text, self.lang)

    def _followup_text(self, q: Question, stage: int, strict: bool = False) -> str:
        """The follow-up as asked; `strict` raises _Missing when a past value is missing."""
        fill = self._fill if strict else self._filled
        if q.kind == "goal-review":
            index, f = divmod(stage, self._per_step(q))
            goal = self.goals[index]
            rated = self.session.rating(goal.scale)
            return fill(self._t(q.followups[f - 1]), q, self._goal_values(goal, rated))
        if q.kind == "step-review":
            index, f = divmod(stage, self._per_step(q))
            text = self._t(q.followups[f - 1])
            return fill(text, q, {"step": self.session.carried[index].text})
        text = self._t(q.followups[stage - 1])
        if q.kind != "scale":
            return fill(text, q, {}) if self.bank.schema >= 2 else text
        rating = self.session.rating(q.id)
        value = rating.value if rating else q.min
        values = {"value": value, "next": value + 1, "min": q.min, "max": q.max}
        if self.bank.schema < 2:
            return text.format(**values)
        return fill(text, q, values)

    def _review_text(self, q: Question, step: Step) -> str:
        if self.bank.schema < 2:
            return self._t(q.text).replace("{step}", step.text)
        return self._filled(self._t(q.text), q, {"step": step.text})

    def _goal_text(self, q: Question, goal: Rating) -> str:
        return self._filled(self._t(q.text), q, self._goal_values(goal, None))

    @staticmethod
    def _goal_values(goal: Rating, rated: Rating | None) -> dict[str, Any]:
        """A goal review's placeholders: the goal's words, its last value, the new one."""
        value = rated.value if rated else goal.min
        return {
            "goal": goal.goal,
            "before": goal.value,
            "value": value,
            "next": value + 1,
            "min": goal.min,
            "max": goal.max,
        }

    def _before(self, scale: str) -> int | None:
        """The scale's value last time: in the previous meeting, or for a goal scale its
        latest rating in any earlier one."""
        if scale in self.previous_ratings:
            return self.previous_ratings[scale]
        return next((g.value for g in self.goals if g.scale == scale), None)

    def first_value(self, scale: str) -> int | None:
        """The scale's first value in the client's earlier meetings, when that is not
        also the value of last time (so "first time" adds something)."""
        rated = [s for s in self.earlier if s.rating(scale) is not None]
        if len(rated) < 2 and (not rated or self._before(scale) is not None):
            return None
        first = rated[0].rating(scale)
        return first.value if first else None

    def _question_text(self, q: Question) -> str:
        return self._filled(self._t(q.text), q, {}) if self.bank.schema >= 2 else self._t(q.text)

    def _say(self, q: Question) -> str:
        """What to say first; left out when it needs a past value that is missing."""
        try:
            return self._fill(self._t(q.say), q, {})
        except _Missing:
            return ""

    def _filled(self, text: str, q: Question, values: dict[str, Any]) -> str:
        """A schema-2 text with its placeholders filled, else as written (a text that needs
        a missing past value is not asked: see `_askable`)."""
        try:
            return self._fill(text, q, values)
        except _Missing:
            return text

    def _fill(self, text: str, q: Question, values: dict[str, Any]) -> str:
        out = []
        for literal, name, spec, _ in string.Formatter().parse(text):
            out.append(literal)
            if name is None:
                continue
            found: object
            if name in ("prev", "first"):
                found = self._earlier_answer(spec or "", name == "first")
            elif name == "before":
                found = values["before"] if "before" in values else self._before(q.id)
            else:
                found = values.get(name)
            if found is None:
                raise _Missing
            out.append(str(found))
        return _DOUBLED_STOP.sub(r"\1\2", "".join(out))

    def _earlier_answer(self, qid: str, first: bool) -> str | None:
        """The client's answer to qid in the latest (or the earliest) earlier session that has one."""
        for s in self.earlier if first else reversed(self.earlier):
            answer = s.answer(qid)
            if answer is not None and answer.text:
                return answer.text
            rating = s.rating(qid)
            if rating is not None:
                return str(rating.value)
        return None

    def _askable(self, text: dict[str, str] | None, q: Question, values: dict[str, Any]) -> bool:
        if self.bank.schema < 2 or not text:
            return True
        try:
            self._fill(self._t(text), q, values)
        except _Missing:
            return False
        return True

    # --- conditions (schema 2) -------------------------------------------------

    def _applies(self, q: Question) -> bool:
        """Whether question q is asked: its condition holds and its text can be filled."""
        if q.when is not None and not self._holds(q.when, q):
            return False
        placeholders: dict[str, Any] = {"value": 0, "next": 0, "min": 0, "max": 0, "step": ""}
        if q.kind == "goal-review":  # filled per goal: every goal has its words and value
            placeholders |= {"goal": "", "before": 0}
        return self._askable(q.text, q, placeholders)

    def _holds(self, w: When, q: Question, step: int | None = None) -> bool:
        s = self.session
        if w.kind in ("all", "any"):
            results = (self._holds(part, q, step) for part in w.parts)
            return all(results) if w.kind == "all" else any(results)
        if w.kind == "outcome" or w.kind == "own":
            answer = s.answer(w.ref or q.id)
            return answer is not None and answer.outcome in w.values
        if w.kind == "answered":
            return w.ref in self._answered()
        if w.kind == "skipped":
            return w.ref in s.skipped
        if w.kind == "previous":
            return bool(self.earlier) and _has_answer(self.earlier[-1], w.ref)
        if w.kind == "status":
            return step is not None and bool(self._statuses(q, step) & set(w.values))
        before: int | None
        if q.kind == "goal-review":  # the goal under review, against its own last value
            goal = self.goals[step or 0]
            rating, before = s.rating(goal.scale), goal.value
        else:
            rating, before = s.rating(q.id), self.previous_ratings.get(q.id)
        if rating is None:
            return False
        if w.kind == "at_most":
            return rating.value <= w.number
        if w.kind == "at_least":
            return rating.value >= w.number
        return _change(before, rating.value) in w.values

    def _statuses(self, q: Question, index: int) -> set[str]:
        """What a reviewed step counts as: its status, and not-twice for a second 'not'."""
        carried = self.session.carried[index]
        review = self._review_of(carried, q.id)
        if review is None:
            return set()
        twice = review.status == "not" and carried.status == "not"
        return {review.status, "not-twice"} if twice else {review.status}

    def _answered(self) -> set[str]:
        s = self.session
        answered = {a.question for a in s.answers if a.text} | {r.scale for r in s.ratings}
        if any(s.rating(g.scale) for g in self.goals):
            answered |= {q.id for _, q in self.flat if q.kind == "goal-review"}
        return answered | {x.question for x in s.steps if x.question}

    def _per_step(self, q: Question) -> int:
        """Stages per carried step in a step review (or goal in a goal review): its status
        (rating), then its follow-ups."""
        return len(q.followups) + 1

    def _items(self, q: Question) -> list[Step] | list[Rating]:
        """What a step review or goal review goes through, one by one."""
        return self.goals if q.kind == "goal-review" else self.session.carried

    # --- moving --------------------------------------------------------------

    def _next_question(self, i: int) -> Pos | None:
        return self._enter(i + 1)

    def _enter(self, i: int) -> Pos | None:
        """The first position at or after question i that has something to ask."""
        while i < len(self.flat):
            q = self.flat[i][1]
            if (q.kind not in ("step-review", "goal-review") or self._items(q)) and self._applies(
                q
            ):
                return (i, 0)
            i += 1
        return None

    def _natural_next(self, p: Pos) -> Pos | None:
        i, stage = p
        q = self.flat[i][1]
        if q.kind == "step":
            return (i, stage + 1)
        if q.kind == "step-review":
            return self._review_next(i, q, stage)
        if q.kind == "goal-review":
            return self._goal_next(i, q, stage)
        if stage == 0 and q.outcome is not None and self._value(p):
            return (i, OUTCOME)
        for k in range(max(stage, 0) + 1, len(q.followups) + 1):
            if self._followup_applies(q, k):
                return (i, k)
        return self._next_question(i)

    def _review_next(self, i: int, q: Question, stage: int) -> Pos | None:
        """The step's next follow-up whose condition holds, else the next step's status."""
        per = self._per_step(q)
        index, f = divmod(stage, per)
        for k in range(f + 1, per):
            w = q.followup_when[k - 1] if k - 1 < len(q.followup_when) else None
            if (w is None or self._holds(w, q, index)) and self._fillable(q, index * per + k):
                return (i, index * per + k)
        return self._next_step(i, q, index)

    def _goal_next(self, i: int, q: Question, stage: int) -> Pos | None:
        """The goal's next follow-up whose condition holds, else the next goal's rating."""
        per = self._per_step(q)
        index, f = divmod(stage, per)
        for k in range(f + 1, per):
            if self._followup_applies(q, k, index):
                return (i, index * per + k)
        return self._next_step(i, q, index)

    def _fillable(self, q: Question, stage: int) -> bool:
        """Whether the follow-up at stage has every earlier-session value its text needs."""
        if self.bank.schema < 2:
            return True
        try:
            self._followup_text(q, stage, strict=True)
        except _Missing:
            return False
        return True

    def _next_step(self, i: int, q: Question, index: int) -> Pos | None:
        more = index + 1 < len(self._items(q))
        return (i, (index + 1) * self._per_step(q)) if more else self._next_question(i)

    def _followup_applies(self, q: Question, k: int, index: int = 0) -> bool:
        """'What would {next} look like?' makes no sense at the top of the scale, nor
        'what puts you at {value} and not lower?' at the bottom. `index` is the goal
        under review in a goal review."""
        w = q.followup_when[k - 1] if k - 1 < len(q.followup_when) else None
        if w is not None and not self._holds(w, q, index):
            return False
        goal = self.goals[index] if q.kind == "goal-review" else None
        if not self._fillable(q, index * self._per_step(q) + k if goal else k):
            return False
        if goal is not None:
            rating, low, high = self.session.rating(goal.scale), goal.min, goal.max
        else:
            rating = self.session.rating(q.id) if q.kind == "scale" else None
            low, high = q.min, q.max
        if rating is None:
            return True
        text = "".join(q.followups[k - 1].values())
        if "{next}" in text:
            return rating.value < high
        if "{value}" in text:
            return rating.value > low
        return True

    def _go(self, leaving: Pos | None, target: Pos | None) -> Reply:
        if leaving is not None:
            self.back.append(leaving)
        within = target is not None and target[0] == self.detour
        if self.forward and not within:
            target = self.forward.pop()
            self.detour = None
        self.pos = target
        reply = Reply()
        if target is None:
            self.confirming = True
            reply.signal = "summary"
        self._sync()
        return reply

    # --- input ---------------------------------------------------------------

    def handle(self, line: str) -> Reply:
        text = line.strip()
        if self.done:
            return Reply().say("session.already-completed")
        if self.confirming or self.pos is None:
            return self._confirm(text)
        if text.startswith("//"):
            text = text[1:]
        elif text.startswith("/"):
            return self._command(text)
        if len(text) > MAX_ANSWER:
            return Reply().say("answer.too-long", max=MAX_ANSWER)
        return self._answer(text)

    def _answer(self, text: str) -> Reply:
        p = self.pos
        assert p is not None
        q = self.flat[p[0]][1]
        existing = self._value(p)
        if not text:
            if existing:  # revisiting: an empty line keeps what was there
                return self._go(p, self._natural_next(p))
            return self._empty(p, q)
        if q.kind == "goal-review" and p[1] % self._per_step(q) == 0:
            return self._rate_goal(p, q, text)
        if q.kind == "scale" and p[1] == 0:
            return self._rate(p, q, text)
        if p[1] == OUTCOME:
            return self._classify(p, q, text)
        if q.kind == "step-review" and p[1] % self._per_step(q) == 0:
            return self._review(p, text)
        self._store(p, q, text)
        return self._go(p, self._natural_next(p))

    def _empty(self, p: Pos, q: Question) -> Reply:
        i, stage = p
        if q.kind == "scale" and stage == 0 and not q.optional:
            return Reply().say("scale.need-number", min=q.min, max=q.max)
        if q.kind in ("step-review", "goal-review"):
            # no status or rating, or no more on this step or goal: the next one
            return self._go(p, self._next_step(i, q, stage // self._per_step(q)))
        if stage == OUTCOME:  # left unclassified
            return self._go(p, self._natural_next(p))
        if stage == 0 and q.kind in ("text", "scale"):  # a scale only when optional
            if q.id not in self.session.skipped:
                self.session.skipped.append(q.id)
            return self._go(p, self._next_question(i))
        # An empty follow-up or step line ends that list; it was shown, so /back returns to it.
        return self._go(p, self._next_question(i))

    def _rate(self, p: Pos, q: Question, text: str) -> Reply:
        value = _number(text, q.min, q.max)
        if value is None:
            return Reply().say("scale.invalid", min=q.min, max=q.max)
        phase = self.flat[p[0]][0].id
        old = self.session.rating(q.id)
        goal = self.session.answer(q.goal) if q.goal else None
        rating = Rating(
            scale=q.id,
            phase=phase,
            value=value,
            min=q.min,
            max=q.max,
            low=self._t(q.low),
            high=self._t(q.high),
            label=self._t(q.label) or q.id,
            followups=old.followups if old else [],
            at=self.clock(),
            asked=self._t(q.text),
            goal=goal.text if goal else "",
        )
        self._put(old, rating)
        self._unskip(q.id)
        return self._rated(self._go(p, self._natural_next(p)), q.id, value)

    def _rate_goal(self, p: Pos, q: Question, text: str) -> Reply:
        """A goal carried from an earlier meeting, rated again under the same scale id and
        words, so that it carries on to the next meeting too."""
        goal = self.goals[p[1] // self._per_step(q)]
        value = _number(text, goal.min, goal.max)
        if value is None:
            return Reply().say("scale.invalid", min=goal.min, max=goal.max)
        old = self.session.rating(goal.scale)
        rating = Rating(
            scale=goal.scale,
            phase=self.flat[p[0]][0].id,
            value=value,
            min=goal.min,
            max=goal.max,
            low=goal.low,
            high=goal.high,
            label=goal.label,
            followups=old.followups if old else [],
            at=self.clock(),
            asked=self._goal_text(q, goal),
            goal=goal.goal,
        )
        self._put(old, rating)
        return self._rated(self._go(p, self._natural_next(p)), goal.scale, value)

    def _put(self, old: Rating | None, rating: Rating) -> None:
        if old:
            self.session.ratings[self.session.ratings.index(old)] = rating
        else:
            self.session.ratings.append(rating)

    def _rated(self, reply: Reply, scale: str, value: int) -> Reply:
        """The reply to a rating, with last time's value (and the first) to compare."""
        before, first = self._before(scale), self.first_value(scale)
        if first is not None:
            reply.messages.insert(0, ("scale.first", {"first": first}))
        if before is not None:
            reply.messages.insert(0, ("scale.change", {"before": before, "now": value}))
        return reply

    def _classify(self, p: Pos, q: Question, text: str) -> Reply:
        """The practitioner's classification: an option's name, number or text."""
        assert q.outcome is not None
        wanted = text.casefold().strip(" .!")
        names = q.outcome.names
        chosen = next(
            (
                name
                for n, (name, shown) in enumerate(q.outcome.options, 1)
                if wanted in (name.casefold(), str(n), self._t(shown).casefold())
            ),
            None,
        )
        answer = self.session.answer(q.id)
        if chosen is None or answer is None:
            return Reply().say("outcome.invalid", names=", ".join(names))
        answer.outcome = chosen
        return self._go(p, self._natural_next(p))

    def _review(self, p: Pos, text: str) -> Reply:
        status = REVIEW_WORDS.get(text.casefold().strip(" .!"))
        if status is None:
            return Reply().say("review.invalid")
        q = self.flat[p[0]][1]
        carried = self.session.carried[p[1] // self._per_step(q)]
        self._set_review(carried, status, q.id)
        reply = self._go(p, self._natural_next(p))
        if status == "not" and carried.status == "not":
            reply.messages.insert(0, ("review.not-twice", {}))
        return reply

    def _set_review(self, carried: Step, status: StepStatus, question: str) -> None:
        step = self._review_of(carried, question)
        if step is not None:
            step.status, step.at = status, self.clock()
            return
        self.session.steps.append(
            Step(carried.text, status, carried.from_session, question, self.clock())
        )

    def _review_of(self, carried: Step, question: str) -> Step | None:
        """This meeting's review of a step carried over from the last one, if given."""
        return next(
            (
                step
                for step in self.session.steps
                if step.question == question
                and (step.text, step.from_session) == (carried.text, carried.from_session)
            ),
            None,
        )

    def _store(self, p: Pos, q: Question, text: str) -> None:
        i, stage = p
        phase = self.flat[i][0].id
        if q.kind == "step":
            mine = self._steps_of(q.id)
            if stage < len(mine):
                mine[stage].text, mine[stage].at = text, self.clock()
            else:
                self.session.steps.append(Step(text, "agreed", self.session.id, q.id, self.clock()))
            return
        if stage == 0:
            old = self.session.answer(q.id)
            answer = Answer(
                phase, q.id, text, old.followups if old else [], self.clock(), self._t(q.text)
            )
            answer.outcome = old.outcome if old else None
            if old:
                self.session.answers[self.session.answers.index(old)] = answer
            else:
                self.session.answers.append(answer)
            self._unskip(q.id)
            self._regoal(q.id, text)
            return
        if q.kind in ("step-review", "goal-review"):
            self._store_item_followup(q, stage, text)
            return
        holder = self.session.rating(q.id) if q.kind == "scale" else self.session.answer(q.id)
        if holder is None:  # a follow-up without its answer cannot happen; keep the text anyway
            holder = Answer(phase, q.id, "", [], self.clock())
            self.session.answers.append(holder)
        followup = Followup(self._followup_text(q, stage), text, stage)
        rest = [f for f in holder.followups if f.n != stage]
        holder.followups[:] = sorted([*rest, followup], key=lambda f: f.n)

    def _store_item_followup(self, q: Question, stage: int, text: str) -> None:
        """A step review's follow-up is kept with the reviewed step, a goal review's with
        the goal's new rating; `n` is the bank's follow-up number."""
        index, f = divmod(stage, self._per_step(q))
        holder: Step | Rating | None
        if q.kind == "goal-review":
            holder = self.session.rating(self.goals[index].scale)
        else:
            holder = self._review_of(self.session.carried[index], q.id)
        if holder is None:  # a follow-up comes after its status or rating: cannot happen
            return
        followup = Followup(self._followup_text(q, stage), text, f)
        rest = [x for x in holder.followups if x.n != f]
        holder.followups[:] = sorted([*rest, followup], key=lambda x: x.n)

    def _regoal(self, qid: str, text: str) -> None:
        """An edited goal changes the words its goal scale keeps."""
        for _, q in self.flat:
            rating = self.session.rating(q.id) if q.goal == qid else None
            if rating is not None:
                rating.goal = text

    def _unskip(self, qid: str) -> None:
        if qid in self.session.skipped:
            self.session.skipped.remove(qid)

    def _steps_of(self, qid: str) -> list[Step]:
        return [
            s for s in self.session.steps if s.question == qid and s.from_session == self.session.id
        ]

    def _value(self, p: Pos) -> str | None:
        """The answer already given at p, as text for editing."""
        i, stage = p
        q = self.flat[i][1]
        if q.kind == "step":
            mine = self._steps_of(q.id)
            return mine[stage].text if stage < len(mine) else None
        if q.kind in ("step-review", "goal-review"):
            index, f = divmod(stage, self._per_step(q))
            if index >= len(self._items(q)):
                return None
            kept: Step | Rating | None
            if q.kind == "goal-review":
                kept = self.session.rating(self.goals[index].scale)
                if kept is not None and not f:
                    return str(kept.value)
            else:
                kept = self._review_of(self.session.carried[index], q.id)
                if kept is not None and not f:
                    return kept.status
            return next((x.answer for x in kept.followups if x.n == f), None) if kept else None
        holder = self.session.rating(q.id) if q.kind == "scale" else self.session.answer(q.id)
        if holder is None:
            return None
        if stage == 0:
            return str(holder.value) if isinstance(holder, Rating) else holder.text
        if stage == OUTCOME:
            return holder.outcome if isinstance(holder, Answer) else None
        return next((f.answer for f in holder.followups if f.n == stage), None)

    # --- commands ------------------------------------------------------------

    def _command(self, text: str) -> Reply:
        word, _, arg = text[1:].partition(" ")
        command = COMMANDS.get(word.casefold())
        arg = arg.strip()
        if command is None:
            return Reply().say("command.unknown", word=text.split()[0][:40])
        if command in ("tips", "help", "pause"):
            return Reply(signal=command)
        if command == "back":
            if not self.back:
                return Reply().say("back.none")
            assert self.pos is not None
            self.forward.append(self.pos)
            self.pos = self.back.pop()
            self._sync()
            return Reply()
        if command == "skip":
            assert self.pos is not None
            qid = self.flat[self.pos[0]][1].id
            if self._value((self.pos[0], 0)) is None and qid not in self.session.skipped:
                self.session.skipped.append(qid)
            if self.detour is None:  # skipping a question asked from the deck returns
                self.forward.clear()
            return self._go(self.pos, self._next_question(self.pos[0]))
        if command == "phase":
            return self._jump(arg)
        if command == "questions":
            return self._ask_now(arg) if arg else Reply(signal="questions")
        if command == "end":
            self.confirming = True
            self._sync()
            return Reply(signal="summary")
        if not arg:
            return Reply().say(f"{command}.usage")
        if len(arg) > MAX_ANSWER:
            return Reply().say("answer.too-long", max=MAX_ANSWER)
        if command == "note":
            self.session.notes.append(Note(arg, self.clock()))
            return Reply().say("note.saved")
        self.session.steps.append(Step(arg, "agreed", self.session.id, None, self.clock()))
        return Reply().say("step.saved")

    def _jump(self, arg: str) -> Reply:
        word = arg.strip()
        letter = PHASE_WORDS.get(word.casefold(), word.upper())
        if letter not in PHASES:
            return Reply().say("phase.usage")
        start = next((i for i, (ph, _) in enumerate(self.flat) if ph.id == letter), None)
        target = self._enter(start) if start is not None else None
        if target is None or self.flat[target[0]][0].id != letter:
            return Reply().say("phase.absent", phase=letter)
        self.forward.clear()
        return self._go(self.pos, target)

    def _ask_now(self, arg: str) -> Reply:
        """/questions N: question N now, whatever its condition; then back to here."""
        total = len(self.flat)
        n = int(arg) if arg.isdigit() else 0
        if not 1 <= n <= total:
            return Reply().say("questions.usage", total=total)
        q = self.flat[n - 1][1]
        if q.kind == "step-review" and not self.session.carried:
            return Reply().say("questions.no-steps")
        if q.kind == "goal-review" and not self.goals:
            return Reply().say("questions.no-goals")
        assert self.pos is not None
        if self.pos[0] != n - 1:
            self.back.append(self.pos)
            self.forward.append(self.pos)
            self.detour = n - 1
        self.pos = (n - 1, 0)
        self._sync()
        return Reply()

    def deck(self) -> list[tuple[str, int, str, bool]]:
        """Every question of the bank: (phase, number, text, asked yet)."""
        done = self._answered() | set(self.session.skipped)
        return [
            (phase.id, n, self._question_text(q), q.id in done)
            for n, (phase, q) in enumerate(self.flat, 1)
        ]

    def _confirm(self, text: str) -> Reply:
        if text.casefold() in YES:
            self.session.status = "completed"
            self.session.ended = self.clock()
            self._sync()
            return Reply(signal="completed")
        self.confirming = False
        if self.pos is None:  # the summary came after the last question: go back to it
            while len(self.back) > 1 and self._ended_list(self.back[-1]):
                self.back.pop()  # to the last answer, not the empty line that ended its list
            self.pos = self.back.pop() if self.back else self._enter(0)
            if self.pos is None:
                self.confirming = True
        self._sync()
        return Reply(signal="returned")

    def _ended_list(self, p: Pos) -> bool:
        """Whether p is the empty follow-up or step line that ended its list."""
        i, stage = p
        q = self.flat[i][1]
        lines = stage > 0 or q.kind == "step"
        return lines and q.kind != "step-review" and self._value(p) is None

    # --- the end -------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        s = self.session
        answered = self._answered()
        # Numbered as in the deck, so the summary can say which /questions N asks each one.
        open_questions = [
            (n, q)
            for n, (_, q) in enumerate(self.flat, 1)
            if q.id not in answered
            and q.kind not in ("step-review", "goal-review")
            and not q.optional
            and self._applies(q)  # one whose condition is false was not meant to be asked
        ]
        return {
            "answers": len([a for a in s.answers if a.text]),
            "ratings": [
                (r.label or r.scale, r.value, r.max, self._before(r.scale)) for r in s.ratings
            ],
            # Parallel to "ratings": each scale's first value, when it differs from last time's.
            "first": [self.first_value(r.scale) for r in s.ratings],
            "agreed": [x.text for x in s.steps if x.status == "agreed"],
            "reviewed": [(x.text, x.status) for x in s.steps if x.status != "agreed"],
            "notes": len(s.notes),
            "unanswered": len(open_questions),
            "open": open_questions,
        }


def _number(text: str, low: int, high: int) -> int | None:
    """A rating typed as a whole number within the scale, else None."""
    try:
        value = int(text)
    except ValueError:
        return None
    return value if low <= value <= high and text.lstrip("+-").isdigit() else None


def _change(before: int | None, value: int) -> str:
    if before is None:
        return "first"
    return "up" if value > before else "down" if value < before else "same"
