"""What the session shows, as lines of text: pure functions, no I/O.

Plain mode prints these lines as they are; the terminal screen prints the
same lines styled. Keeping one source means the line protocol and the screen
never disagree about what is asked. Text from a file or a user (a step from
last meeting's file, a bank's question) is filtered here, before it is styled
(`_s`), so a stored escape code cannot pass as one of the style's own; the IO's
`write` filters every line once more (`style.safe()`), for lines built elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sfcoach.engine import COMMAND_NAMES, Prompt, carried_goals
from sfcoach.i18n import meeting_name, phase_name, t
from sfcoach.models import PHASES, Bank, Rating, Session, text_in
from sfcoach.textsafe import printable
from sfcoach.ui.style import Plain


def _s(text: object) -> str:
    """Text from a file or a user, inert (see textsafe)."""
    return printable(str(text))


def plus_letters(current: str, style: Plain) -> str:
    return "".join(style.current(p) if p == current else style.other(p) for p in PHASES)


def header(session: Session, bank: Bank, style: Plain) -> list[str]:
    lang = session.lang
    who = session.client or t("practice.label", lang)
    return [
        style.bold(_s(f"sfcoach · {text_in(bank.title, lang)} · {who}"))
        + style.dim(_s(f" · {session.id}"))
    ]


def phase_banner(bank: Bank, phase: str, lang: str, style: Plain, tips: bool) -> list[str]:
    lines = ["", style.accent(f"{plus_letters(phase, style)}  {phase_name(phase, lang)}")]
    ph = bank.phase(phase)
    if tips and ph is not None:
        if ph.purpose:
            lines.append(style.dim(_s(text_in(ph.purpose, lang))))
        lines += [style.dim(_s(f"{t('view.tip', lang)} {text_in(tip, lang)}")) for tip in ph.tips]
    return lines


def question(
    prompt: Prompt, lang: str, style: Plain, tips: bool, context: bool = False
) -> list[str]:
    """The lines above the input for one prompt. `context` repeats the question a
    follow-up or later step belongs to, for when it was not just shown (after /back)."""
    q = prompt.question
    if q is None:
        return []
    number = style.dim(f"({prompt.number}/{prompt.total})")
    if prompt.kind == "outcome" and q.outcome is not None:
        return outcome_lines(prompt, lang, style)
    if prompt.kind == "followup" or (prompt.kind == "step" and prompt.stage > 0):
        asked = prompt.context or text_in(q.text, lang)
        lines = [f"{number} {style.dim(_s(asked))}"] if context else []
        if prompt.kind == "followup":
            return [*lines, f"  {style.accent('↳')} {style.bold(_s(prompt.text))}"]
        return [*lines, style.dim(t("view.step-more", lang, n=prompt.stage + 1))]
    lines = [f"{number} {style.bold(_s(prompt.text))}"]
    if prompt.say:  # schema 2: what to say before asking
        lines.insert(0, style.accent(_s(prompt.say)))
    if prompt.kind == "review" and prompt.step is not None:
        if prompt.step.text not in prompt.text:
            lines.append(f"  {t('view.step', lang)} {_s(prompt.step.text)}")
        if prompt.step.status in ("partly", "not"):
            lines.append(style.dim("  " + t(f"view.was-{prompt.step.status}", lang)))
        lines.append(style.dim("  " + t("view.review-choices", lang)))
    if prompt.kind == "goal" and prompt.goal is not None:
        lines += _goal_lines(prompt.goal, prompt.text, lang, style)
    if prompt.kind == "scale":
        low, high = text_in(q.low, lang), text_in(q.high, lang)
        if low or high:
            lines.append(_s(f"  {q.min} = {low} · {q.max} = {high}"))
        lines.append(style.dim("  " + t("view.scale-range", lang, min=q.min, max=q.max)))
    if prompt.kind == "step":
        lines.append(style.dim("  " + t("view.step-first", lang)))
    if tips and q.tip:
        lines.append(style.dim(_s(f"  {t('view.tip', lang)} {text_in(q.tip, lang)}")))
    return lines


def _goal_lines(goal: Rating, asked: str, lang: str, style: Plain) -> list[str]:
    """A goal under review: its words (unless the question says them), last time's value,
    and its scale as it was set."""
    lines = []
    if goal.goal not in asked:
        lines.append("  " + _s(t("view.goal", lang, goal=_one_line(goal.goal))))
    lines.append("  " + t("view.goal-last", lang, n=goal.value))
    if goal.low or goal.high:
        lines.append(_s(f"  {goal.min} = {goal.low} · {goal.max} = {goal.high}"))
    lines.append(style.dim("  " + t("view.scale-range", lang, min=goal.min, max=goal.max)))
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


def outcome_lines(prompt: Prompt, lang: str, style: Plain) -> list[str]:
    """The practitioner's classification of the answer: numbered options, never read aloud."""
    outcome = prompt.question.outcome if prompt.question else None
    lines = [f"  {style.accent('?')} {style.bold(_s(prompt.text))}"]
    for n, (name, text) in enumerate(outcome.options if outcome else (), 1):
        lines.append(_s(f"    {n} {name}: {text_in(text, lang)}"))
    return [*lines, style.dim("  " + t("view.outcome-choices", lang))]


def deck(rows: list[tuple[str, int, str, bool]], lang: str, style: Plain) -> list[str]:
    """/questions: the bank's questions by phase and number, those not asked yet marked."""
    lines, phase = ["", style.bold(t("deck.title", lang))], ""
    for phase_id, n, text, asked in rows:
        if phase_id != phase:
            phase = phase_id
            lines.append(f"  {phase_id} {phase_name(phase_id, lang)}")
        mark = "" if asked else "  " + style.dim(t("deck.not-asked", lang))
        lines.append(f"   {n:>2}. {_s(text)}{mark}")
    return [*lines, style.dim("  " + t("deck.how", lang))]


# The client's own words the opening recap shows: best hopes, and the picture of the
# preferred future (the first visit's miracle question, or a plan's or network's picture).
RECAP_WORDS = (
    ("view.best-hopes", ("best-hopes",)),
    ("view.picture", ("miracle", "preferred-future")),
)


def recap(previous: Session, lang: str, style: Plain, earlier: Sequence[Session] = ()) -> list[str]:
    """Last meeting's main points, shown when a follow-up opens: the client's best hopes
    and picture of the future in their own words (the latest given, in `earlier` or last
    time), the ratings with each goal's words, goals rated before that, and open steps."""
    date = previous.started[:10]
    meeting = meeting_name(previous.meeting, lang)
    lines = ["", style.bold(_s(t("view.last-time", lang, date=date, meeting=meeting)))]
    met = list(earlier) or [previous]
    for key, ids in RECAP_WORDS:
        words = latest_words(met, ids)
        if words:
            lines.append("  " + _s(t(key, lang, text=_one_line(words))))
    rated = {r.scale for r in previous.ratings}
    older = [g for g in carried_goals(met) if g.scale not in rated]
    for r in [*previous.ratings, *older]:
        goal = f" {t('view.quoted', lang, text=_one_line(r.goal))}" if r.goal else ""
        lines.append(_s(f"  {r.label or r.scale}: {r.value} ({r.min}–{r.max}){goal}"))
    open_steps = [s for s in previous.steps if s.status != "done"]
    if open_steps:
        lines.append("  " + t("view.steps-agreed", lang))
        for s in open_steps:
            mark = "" if s.status == "agreed" else f" ({t('status.' + s.status, lang)})"
            lines.append(_s(f"   • {s.text}{mark}"))
    return lines


def latest_words(sessions: Sequence[Session], ids: tuple[str, ...]) -> str:
    """The latest answer to any of the question ids, in the client's words ('' if none)."""
    for s in reversed(sessions):
        given = [a for a in s.answers if a.question in ids and a.text.strip()]
        if given:
            return max(given, key=lambda a: a.at).text
    return ""


def summary(data: dict[str, Any], lang: str, style: Plain) -> list[str]:
    lines = ["", style.bold(t("summary.title", lang))]
    if data["answers"]:
        lines.append("  " + t("summary.answers", lang, n=data["answers"]))
    else:  # saving an empty meeting as completed is rarely meant: say so before the question
        lines.append("  " + style.warn(t("summary.no-answers", lang)))
    firsts = data.get("first") or [None] * len(data["ratings"])
    for (label, value, top, before), first in zip(data["ratings"], firsts, strict=True):
        # At a closing meeting: against the first rating as well as the last.
        compare = [t("summary.first-time", lang, n=first)] if first is not None else []
        compare += [t("summary.last-time", lang, n=before)] if before is not None else []
        change = f"  ({', '.join(compare)})" if compare else ""
        lines.append(f"  {_s(label)}: {style.bold(_s(value))}/{top}{change}")
    if data["reviewed"]:
        lines.append("  " + t("summary.reviewed", lang))
        lines += [
            _s(f"   • {text}: {t('status.' + status, lang)}") for text, status in data["reviewed"]
        ]
    if data["agreed"]:
        lines.append("  " + t("summary.steps", lang))
        lines += [_s(f"   • {text}") for text in data["agreed"]]
    else:
        lines.append("  " + style.warn(t("summary.no-steps", lang)))
    if data["notes"]:
        lines.append("  " + t("summary.notes", lang, n=data["notes"]))
    if data["unanswered"]:
        lines.append("  " + t("summary.unanswered", lang, n=data["unanswered"]))
        lines += _open_questions(data.get("open", []), lang, style)
    return lines


OPEN_SHOWN = 5  # the summary and the confirm question must stay on a 24-row screen
OPEN_WIDTH = 50  # cells of question text: one line each, even at 60 columns


def _open_questions(rows: list[Any], lang: str, style: Plain) -> list[str]:
    from rich.cells import cell_len, set_cell_size

    lines = []
    for n, q in rows[:OPEN_SHOWN]:
        text = " ".join(text_in(q.text, lang).split())
        if cell_len(text) > OPEN_WIDTH:
            text = set_cell_size(text, OPEN_WIDTH - 1).rstrip() + "…"
        lines.append(_s(f"   {n:>2} {text}"))
    if len(rows) > OPEN_SHOWN:
        lines.append(_s("      " + t("summary.open-more", lang, n=len(rows) - OPEN_SHOWN)))
    lines.append("  " + style.dim(t("summary.open-hint", lang, name=_questions_name(lang))))
    return lines


def _questions_name(lang: str) -> str:
    names = COMMAND_NAMES.get(lang, COMMAND_NAMES["en"])
    return names[COMMAND_NAMES["en"].index("questions")]


def help_lines(lang: str) -> list[str]:
    from rich.cells import cell_len  # imported on use, like rich elsewhere: startup time

    names = COMMAND_NAMES.get(lang, COMMAND_NAMES["en"])
    keys = COMMAND_NAMES["en"]
    args = {"phase": " P|L|U|S", "note": " …", "step": " …", "questions": " [N]"}
    heads = [f"/{name}{args.get(key, '')}" for name, key in zip(names, keys, strict=True)]
    # Padded by display width (rich's cell_len), not len(), so the descriptions share a column.
    width = max(cell_len(head) for head in heads)
    out = [t("help.title", lang)]
    for head, key in zip(heads, keys, strict=True):
        pad = " " * (width - cell_len(head) + 2)
        out.append(f"  {head}{pad}{t('help.' + key, lang)}")
    out.append("  " + t("help.literal", lang))
    return out


class Interrupted(KeyboardInterrupt):
    """Ctrl-C at the prompt, carrying what was typed so far."""

    def __init__(self, draft: str) -> None:
        super().__init__()
        self.draft = draft


class Status:
    """What the terminal's bottom bar shows, read live while the prompt waits."""

    def __init__(self, lang: str, elapsed: Any) -> None:
        self.lang = lang
        self.elapsed = elapsed  # () -> seconds
        self.phase = ""
        self.number = 0
        self.total = 0
        self.unsaved = False
        self.limit: float | None = None  # a practice round's time limit, in seconds
        self.round: RoundBar | None = None  # a practice round's own rows of the bar

    def clock(self) -> str:
        shown = mmss(self.elapsed())
        return f"{shown} / {mmss(self.limit)}" if self.limit else shown


@dataclass
class RoundBar:
    """A practice round's rows of the bottom bar, read live while the prompt waits: who
    plays which role, the card, the stage, and the observer's tally."""

    round: int
    rounds: int
    coach: str
    client: str
    observer: str | None
    giver: str  # who gives the feedback: the observer, or in a pair the client
    card: str
    level: int
    keys: dict[str, str]  # one key per mark, in the session's language
    counts: Callable[[], dict[str, int]]  # the running tally per mark
    mark: Callable[[str], None]  # a mark key pressed on the screen
    stage: str = "intro"  # intro, conversation or feedback


def local_minute(stamp: str) -> str:
    """A stored ISO timestamp as the reader's local `2026-11-30 03:17`; users read no `T`."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:  # a hand-edited file: show what it says
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def mmss(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return (
        f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
        if hours
        else f"{rest // 60:02d}:{rest % 60:02d}"
    )
