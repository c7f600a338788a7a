"""After a meeting with a reflection partner: the colleague's feedback to the practitioner.

The meeting is saved as completed first; then the tally of the meeting is shown
and kept, and the colleague says what went well and what to do more of, one
point a line, each list ended by an empty line. Plain mode reads exactly those
lines. Commands are refused here rather than kept as feedback.
"""

from __future__ import annotations

from typing import Protocol

from sfcoach import practice, reflection
from sfcoach.engine import Engine
from sfcoach.errors import EXIT_INTERRUPTED
from sfcoach.i18n import t
from sfcoach.models import CATEGORIES, Reflection, Session
from sfcoach.ui.style import Plain


class _IO(Protocol):
    style: Plain

    def write(self, lines: list[str]) -> None: ...


class Runner(Protocol):
    """What the feedback needs of the session loop: ui.runner.Runner, which calls this
    module, so importing it here would make a cycle."""

    @property
    def session(self) -> Session: ...
    @property
    def lang(self) -> str: ...
    @property
    def io(self) -> _IO: ...
    @property
    def engine(self) -> Engine: ...

    def save(self) -> None: ...
    def ask(self, label: str | None = None) -> str: ...
    def say(self, key: str, **params: object) -> None: ...


def give_feedback(runner: Runner) -> int | None:
    """The colleague's feedback; EXIT_INTERRUPTED after Ctrl-C (what was given is kept),
    else None. The end of input ends the feedback: the meeting is saved already."""
    session, lang, io = runner.session, runner.lang, runner.io
    kept = session.reflection
    assert kept is not None
    reflection.keep_tally(kept, practice.tally(session, runner.engine.bank))
    runner.save()
    names = _names(session, kept)
    io.write(["", io.style.bold(t("reflection.feedback", lang, **names)), *tally_lines(kept, lang)])
    try:
        for kind in reflection.FEEDBACK_KINDS:
            io.write([t(f"reflection.{kind}", lang, **names)])
            _points(runner, kept, kind)
    except EOFError:
        pass
    except KeyboardInterrupt:
        io.write([""])
        return EXIT_INTERRUPTED
    finally:
        runner.save()
        given = len(kept.feedback)
        if given:
            runner.say("reflection.saved", n=given, id=session.id)
    return None


def _points(runner: Runner, kept: Reflection, kind: str) -> None:
    while True:
        line = runner.ask().strip()
        if not line:
            return
        if line.startswith("/") and not line.startswith("//"):
            runner.say("reflection.no-commands")
            continue
        reflection.give(kept, kind, line[1:] if line.startswith("//") else line)
        runner.save()


def _names(session: Session, kept: Reflection) -> dict[str, str]:
    practitioner = session.practitioner or t("reflection.practitioner", session.lang)
    return {"colleague": kept.colleague or "-", "practitioner": practitioner}


def tally_lines(kept: Reflection, lang: str) -> list[str]:
    """The tally as kept: counts to talk about, never a score."""
    asked = ", ".join(
        f"{t('category.' + k, lang)} {n}" for k in CATEGORIES if (n := kept.by_type.get(k))
    )
    yes, no = t("reflection.yes", lang), t("reflection.no", lang)
    return [
        "  " + t("reflection.tally", lang, n=kept.questions, detail=asked or "-",
                 followups=kept.followups),
        "  " + t("reflection.scale-step", lang, scale=yes if kept.scale_used else no,
                 step=yes if kept.ended_with_step else no),
    ]  # fmt: skip
