"""A practice on screen: rounds with rotating roles, the role card, /ask, feedback.

Each round is one practice session, saved after every line like a meeting.
Its `practice_data` says how far the round has come (`stage`), so an
interrupted practice resumes in the conversation or in the feedback, and then
goes on with the rounds that remain.

Plain-mode lines per round: one line to begin (/card shows the card first);
the conversation, ending with y at the summary; then what went well, what the
coach could do more of, and the client's usefulness rating 0-10.
"""

from __future__ import annotations

import time

from sfcoach import practice, practiceround
from sfcoach.bank import Bank, load_builtin
from sfcoach.engine import Prompt
from sfcoach.errors import EXIT_INTERRUPTED, EXIT_OK
from sfcoach.i18n import t
from sfcoach.models import CATEGORIES, PracticePlan, Session
from sfcoach.practice import CATEGORY_KEYS, Card, Tally
from sfcoach.practiceround import round_of
from sfcoach.store import Store
from sfcoach.ui import view
from sfcoach.ui.runner import Runner, SessionIO

ASK = ("ask", "fråga")
CARD = ("card", "kort")


def _command(line: str) -> tuple[str, str]:
    """('card', '') for '/Card'; ('', …) for plain text and for '//' (a literal slash)."""
    word, _, arg = line.strip().partition(" ")
    command = word[1:].casefold() if word.startswith("/") and not word.startswith("//") else ""
    return command, arg


CLEAR_SCREEN = "\x1b[2J\x1b[H"


class Paused(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class RoundExtension:
    """Inside a round: /ask and /card, the time limit, and time spent per phase."""

    def __init__(self, session: Session, card: Card, limit: float) -> None:
        self.session, self.card, self.limit = session, card, limit
        self.phase: str | None = None
        self.since = time.monotonic()
        self.warned = False

    def on_prompt(self, prompt: Prompt, runner: Runner) -> None:
        now = time.monotonic()
        if self.phase:
            practiceround.spend(self.session, self.phase, now - self.since)
        self.phase, self.since = prompt.phase, now
        runner.status.limit = self.limit
        if not self.warned and runner.elapsed() >= self.limit:
            self.warned = True
            runner.io.write(
                [runner.io.style.warn(t("practice.time-up", runner.lang, n=round(self.limit / 60)))]
            )

    def handle(self, line: str, runner: Runner) -> bool:
        command, arg = _command(line)
        if command in CARD:
            show_card(runner.io, self.card, runner.lang)
            return True
        if command not in ASK:
            return False
        if not arg.strip():
            runner.say("practice.ask-usage")
            return True
        keys = " · ".join(
            f"{k} {t('category.' + c, runner.lang)}" for k, c in CATEGORY_KEYS.items()
        )
        runner.io.write([t("practice.classify", runner.lang, keys=keys)])
        category = None
        while category is None:
            typed = runner.ask().strip().casefold()[:1]
            category = CATEGORY_KEYS.get(typed)
            if category is None:
                runner.say("practice.classify-again")
        answer = runner.ask(t("practice.own-answer", runner.lang) + " ")
        practiceround.own_question(self.session, arg.strip(), category, answer.strip(), self.phase)
        return True


def show_card(io: SessionIO, card: Card, lang: str) -> None:
    lines = [
        io.style.bold(f"{card.text('title', lang)}  ({t('practice.level', lang, n=card.level)})"),
        card.text("situation", lang),
    ]
    if card.raw.get("wants"):
        lines.append(f"{t('practice.wants', lang)} {card.text('wants', lang)}")
    hidden = card.hidden(lang)
    if hidden:
        lines.append(t("practice.hidden", lang))
        lines += [f"  • {h}" for h in hidden]
    if card.raw.get("play"):
        lines.append(f"{t('practice.play', lang)} {card.text('play', lang)}")
    io.write(["", *lines, ""])


# --- a whole practice -------------------------------------------------------------------


def run_practice(
    store: Store,
    io: SessionIO,
    lang: str,
    plan: PracticePlan,
    cards: list[Card],
    ids: str,
    resume_command: str,
) -> int:
    try:
        _play_rounds(store, io, plan, 0, cards, lang, ids, resume_command)
        return EXIT_OK
    except Paused as p:
        return p.code
    finally:
        io.close()


def resume_practice(
    store: Store, io: SessionIO, session: Session, ids: str, resume_command: str
) -> int:
    """Finish an interrupted round, then play the rounds that remain."""
    data = round_of(session)
    cards = practiceround.load_cards(data)
    try:
        card = practice.find_card(cards, data.scenario)
        play_round(store, io, session, card, ids, resume_command)
        _play_rounds(store, io, data.plan(), data.round, cards, session.lang, ids, resume_command)
        return EXIT_OK
    except Paused as p:
        return p.code
    finally:
        io.close()


def _play_rounds(
    store: Store,
    io: SessionIO,
    plan: PracticePlan,
    start: int,
    cards: list[Card],
    lang: str,
    ids: str,
    resume_command: str,
) -> None:
    """Rounds `start`… of the plan, each with its card, then the summary of the whole
    practice."""
    for index in range(start, plan.rounds):
        card = practiceround.card_for(plan, index, cards)
        session = practiceround.new_round(store, plan, index, card, lang)
        play_round(store, io, session, card, ids, resume_command)
    show_practice_summary(store, io, plan.group, lang)


def play_round(
    store: Store, io: SessionIO, session: Session, card: Card, ids: str, resume_command: str
) -> None:
    data = round_of(session)
    lang = session.lang
    bank = load_builtin(session.bank_id)  # the card's meeting type, else the practice bank
    engine = practiceround.engine_for(bank, session, card)
    runner = Runner(
        engine, store, io, ids, resume_command, RoundExtension(session, card, 60 * data.minutes)
    )
    with store.lock(session):
        try:
            if data.stage == "intro":
                _intro(runner, session, card)
            if data.stage == "conversation":
                show_brief(io, card, session)
                code = runner.run()
                if session.status != "completed" or runner.unsaved:  # paused or not saved
                    raise Paused(code)
                practiceround.end_conversation(session)
                runner.save()
            if data.stage == "feedback":
                debrief(runner, session, card)
                _feedback(runner, session)
                if runner.unsaved:
                    raise Paused(runner.unsaved_exit())
        except EOFError:
            raise Paused(runner.pause(EXIT_OK)) from None
        except KeyboardInterrupt:
            io.write([""])
            raise Paused(runner.pause(EXIT_INTERRUPTED)) from None
    io.write(round_summary(session, bank, lang, io))


def _intro(runner: Runner, session: Session, card: Card) -> None:
    data, lang, io = round_of(session), session.lang, runner.io
    r = data.roles
    io.write(["", io.style.bold(t("practice.round", lang, n=data.round, of=data.rounds))])
    io.write(
        [t("practice.roles", lang, coach=r.coach, client=r.client, observer=r.observer or "-")]
    )
    io.write([t("practice.scenario", lang, title=card.text("title", lang), level=card.level)])
    io.write([t("practice.card-hint", lang, client=r.client)])
    while True:
        if _command(runner.ask())[0] in CARD:
            show_card(io, card, lang)
            if io.editable_prefill:  # on a shared screen: hide the card before the coach looks
                runner.ask(t("practice.hide-card", lang) + " ")
                io.write([CLEAR_SCREEN])
            continue
        break
    practiceround.begin_conversation(session)
    runner.save()


def _feedback(runner: Runner, session: Session) -> None:
    lang, r, io = session.lang, round_of(session).roles, runner.io
    giver = practiceround.feedback_giver(session)
    io.write(["", io.style.bold(t("practice.feedback", lang))])
    for kind in practiceround.feedback_to_give(session):
        text = runner.ask(t(f"practice.{kind}", lang, who=giver, coach=r.coach) + " ").strip()
        practiceround.give_feedback(session, kind, text)
        runner.save()
    platform = practiceround.platform(session, runner.engine.bank)
    while True:
        typed = runner.ask(
            t("practice.usefulness", lang, client=r.client, platform=platform or "-") + " "
        ).strip()
        if typed.isdigit() and 0 <= int(typed) <= 10:
            break
        runner.say("scale.invalid", min=0, max=10)
    practiceround.finish(session, int(typed))
    runner.save()


# --- what the pair reads afterwards -----------------------------------------------------


def round_summary(session: Session, bank: Bank, lang: str, io: SessionIO) -> list[str]:
    counted = practice.tally(session, bank)
    data = round_of(session)
    style = io.style
    lines = [
        "",
        style.bold(t("practice.round-summary", lang, n=data.round, coach=data.roles.coach)),
    ]
    lines += _tally_lines(counted, lang)
    if data.usefulness is not None:
        lines.append("  " + t("practice.useful-was", lang, n=data.usefulness))
    for f in data.feedback:
        lines.append(f"  {t('practice.fb-' + f.kind, lang)} {f.text}")
    return lines


def _tally_lines(c: Tally, lang: str) -> list[str]:
    asked = ", ".join(f"{t('category.' + k, lang)} {n}" for k in CATEGORIES if (n := c.by_type[k]))
    lines = ["  " + t("practice.tally", lang, n=c.questions, detail=asked or "-")]
    if c.future_share is not None:
        lines.append("  " + t("practice.future-share", lang, pct=round(100 * c.future_share)))
    lines.append("  " + t("practice.followups", lang, n=c.followups))
    yes, no = t("practice.yes", lang), t("practice.no", lang)
    lines.append(
        "  "
        + t(
            "practice.scale-used",
            lang,
            used=yes if c.scale_used else no,
            followup=yes if c.scale_followup else no,
        )
    )
    lines.append("  " + t("practice.ended-step", lang, answer=yes if c.ended_with_step else no))
    if c.phase_seconds:
        spent = " · ".join(f"{p} {view.mmss(s)}" for p, s in c.phase_seconds.items())
        lines.append("  " + t("practice.phase-time", lang, detail=spent))
    return lines


def show_practice_summary(store: Store, io: SessionIO, group: str, lang: str) -> None:
    rounds = practiceround.rounds_of(store, group)
    summary = practice.summary(rounds)
    lines = ["", io.style.bold(t("practice.summary", lang))]
    for r in summary["rounds"]:
        roles = r["roles"]
        lines.append(
            io.style.bold(
                t(
                    "practice.round-line",
                    lang,
                    n=r["round"],
                    coach=roles.coach,
                    client=roles.client,
                )
            )
        )
        lines += _tally_lines(r["tally"], lang)
    for coach, mean in summary["usefulness_by_coach"].items():
        lines.append("  " + t("practice.useful-by-coach", lang, coach=coach, n=mean))
    io.write(lines)


# --- the coach brief and the debrief (cards closer to the job) ---------------------------


def show_brief(io: SessionIO, card: Card, session: Session) -> None:
    """What the coach knows as the round starts: the mandate from the card's brief and,
    for a follow-up card, last time's ratings and steps as the file would show them."""
    lang = session.lang
    lines = []
    if card.raw.get("brief"):
        lines += ["", io.style.bold(t("practice.brief", lang)), card.text("brief", lang)]
    previous = practiceround.last_time(card, session)
    if previous is not None:
        lines += view.recap(previous, lang, io.style)
    if lines:
        io.write(lines)


def debrief(runner: Runner, session: Session, card: Card) -> None:
    """After the conversation the card is shown to everyone, and the client player ticks
    the hidden resources that came out: a number a line (again to untick), an empty line
    ends. Which ones came out is saved with the round."""
    data, lang, io = round_of(session), session.lang, runner.io
    hidden = card.hidden(lang)
    if data.revealed is not None or not hidden:
        return
    title = f"{card.text('title', lang)}  ({t('practice.level', lang, n=card.level)})"
    io.write(["", io.style.bold(t("practice.debrief", lang)), title, card.text("situation", lang)])
    io.write([f"  {i}. {h}" for i, h in enumerate(hidden, 1)])
    io.write([t("practice.debrief-how", lang, client=data.roles.client)])
    ticked: set[int] = set()
    while typed := runner.ask(t("practice.debrief-ask", lang) + " ").strip():
        numbers = typed.replace(",", " ").split()
        if not all(n.isdigit() and 1 <= int(n) <= len(hidden) for n in numbers):
            runner.say("practice.debrief-again", n=len(hidden))
            continue
        ticked ^= {int(n) - 1 for n in numbers}
        io.write(["  " + _revealed(ticked, len(hidden), lang)])
    practiceround.reveal(session, list(ticked))
    io.write(debrief_lines(hidden, sorted(ticked), lang))
    runner.save()


def _revealed(ticked: set[int] | list[int], of: int, lang: str) -> str:
    which = ", ".join(str(i + 1) for i in sorted(ticked)) or "-"
    return t("practice.revealed", lang, n=len(ticked), of=of, which=which)


def debrief_lines(hidden: list[str], ticked: list[int], lang: str) -> list[str]:
    """Which hidden resources came out: a count, then the ones that did."""
    lines = ["  " + _revealed(ticked, len(hidden), lang)]
    lines += [f"  ✓ {hidden[i]}" for i in ticked if i < len(hidden)]
    return lines
