"""A practice on screen: rounds with rotating roles, the role card, /ask, the observer's
live marks (/mark, Alt+key), the bottom bar's round rows, feedback.

Each round is one practice session, saved after every line like a meeting.
Its `practice_data` says how far the round has come (`stage`), so an
interrupted practice resumes in the conversation or in the feedback, and then
goes on with the rounds that remain.

Plain-mode lines per round: one line to begin (/card shows the card first);
the conversation (with /mark lines anywhere), ending with y at the summary; then
what went well, what the coach could do more of, and the client's usefulness
rating 0-10.
"""

from __future__ import annotations

import time

from sfcoach import practice, practicerecord, practiceround
from sfcoach.bank import Bank, load_builtin
from sfcoach.engine import Prompt
from sfcoach.errors import EXIT_INTERRUPTED, EXIT_OK
from sfcoach.i18n import t
from sfcoach.models import PracticePlan, Session
from sfcoach.practice import WHAT_ELSE, Card
from sfcoach.practiceround import round_of
from sfcoach.store import Store
from sfcoach.ui import view
from sfcoach.ui.runner import Runner, SessionIO
from sfcoach.ui.style import Plain

ASK = ("ask", "fråga")
CARD = ("card", "kort")
MARK = ("mark", "markera")
HELP = ("help", "hjälp", "?")
PAUSE = ("pause", "paus")


def _command(line: str) -> tuple[str, str]:
    """('card', '') for '/Card'; ('', …) for plain text and for '//' (a literal slash)."""
    word, _, arg = line.strip().partition(" ")
    command = word[1:].casefold() if word.startswith("/") and not word.startswith("//") else ""
    return command, arg


class Paused(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class RoundExtension:
    """Inside a round: /ask, /card, /mark and the practice /help; the round clock, which
    starts at the coach's first question; time spent per phase; the bar's live rows."""

    def __init__(self, session: Session, card: Card, limit: float, bank: Bank) -> None:
        self.session, self.card, self.limit, self.bank = session, card, limit, bank
        self.phase: str | None = None
        self.since = time.monotonic()
        self.warned = False
        # A resumed round goes on from the time its phases took before.
        self.spent = sum(round_of(session).phase_seconds.values())
        self.started: float | None = None
        self.stopped: float | None = None
        self.bar: view.RoundBar | None = None

    def elapsed(self) -> float:
        """The round clock: it runs from the coach's first question to the end of the talk."""
        if self.started is None:
            return self.spent
        end = time.monotonic() if self.stopped is None else self.stopped
        return self.spent + end - self.started

    def stop(self) -> None:
        if self.started is not None and self.stopped is None:
            self.stopped = time.monotonic()

    def on_prompt(self, prompt: Prompt, runner: Runner) -> None:
        now = time.monotonic()
        if self.started is None:
            self.started = now
        if self.phase:
            practiceround.spend(self.session, self.phase, now - self.since)
        self.phase, self.since = prompt.phase, now
        if self.bar:
            self.bar.stage = "conversation"
        if not self.warned and self.elapsed() >= self.limit:
            self.warned = True
            runner.io.write(
                [runner.io.style.warn(t("practice.time-up", runner.lang, n=round(self.limit / 60)))]
            )

    def handle(self, line: str, runner: Runner) -> bool:
        command, arg = _command(line)
        if command in CARD:
            show_card(runner.io, self.card, runner.lang)
            _hide_card(runner, "practice.card-hidden-again")
        elif command in MARK:
            self._mark_line(arg, runner)
        elif command in HELP:
            runner.io.write(view.help_lines(runner.lang) + practice_help(runner.lang))
        elif command in ASK:
            self._ask(arg.strip(), runner)
        else:
            return False
        return True

    def mark(self, key: str) -> None:
        """One of the observer's keys, pressed on the screen or typed after /mark."""
        kind = practice.mark_keys(self.session.lang).get(key)
        if kind:
            practiceround.mark(self.session, kind, self.phase)

    def _mark_line(self, arg: str, runner: Runner) -> None:
        lang = runner.lang
        keys = practice.mark_keys(lang)
        typed = "".join(arg.split()).casefold()
        if not typed:  # the tally on request, and how to add to it
            runner.say("practice.tally-now", counts=_counts_text(self.counts(), lang))
            runner.say("practice.mark-usage", example=_example(keys), keys=_key_list(keys, lang))
            return
        unknown = next((k for k in typed if k not in keys), None)
        if unknown is not None:
            runner.say("practice.mark-unknown", letter=unknown, keys=_key_list(keys, lang))
            return
        for key in typed:
            self.mark(key)
        runner.say("practice.marked", what=", ".join(_mark_word(keys[k], lang) for k in typed))

    def counts(self) -> dict[str, int]:
        return practice.tally(self.session, self.bank).live()

    def _ask(self, question: str, runner: Runner) -> None:
        if not question:
            runner.say("practice.ask-usage")
            return
        keys = practice.category_keys(runner.lang)
        listed = _key_list(keys, runner.lang)
        runner.io.write([t("practice.classify", runner.lang, keys=listed)])
        category = None
        while category is None:
            category = keys.get(runner.ask().strip().casefold()[:1])
            if category is None:
                runner.say("practice.classify-again", keys=listed)
        answer = runner.ask(t("practice.own-answer", runner.lang) + " ")
        practiceround.own_question(self.session, question, category, answer.strip(), self.phase)


def _mark_word(kind: str, lang: str) -> str:
    return t("practice.mark.what-else" if kind == WHAT_ELSE else "category." + kind, lang)


def _key_list(keys: dict[str, str], lang: str) -> str:
    return " · ".join(f"{key} {_mark_word(kind, lang)}" for key, kind in keys.items())


def _example(keys: dict[str, str]) -> str:
    by_kind = {kind: key for key, kind in keys.items()}
    return f"{by_kind['exception']} {by_kind[WHAT_ELSE]}"


def _counts_text(counts: dict[str, int], lang: str) -> str:
    return " · ".join(f"{_mark_word(kind, lang)} {n}" for kind, n in counts.items())


def practice_help(lang: str) -> list[str]:
    """What /help adds in a round: the practice commands and the tally keys."""
    from rich.cells import cell_len

    names = {en: (sv if lang == "sv" else en) for en, sv in (ASK, CARD, MARK)}
    heads = {
        "ask": f"/{names['ask']} …",
        "card": f"/{names['card']}",
        "mark": f"/{names['mark']} …",
    }
    width = max(cell_len(h) for h in heads.values())
    out = [t("practice.help-title", lang)]
    for key, head in heads.items():
        pad = " " * (width - cell_len(head) + 2)
        out.append(f"  {head}{pad}{t('practice.help-' + key, lang, mark=names['mark'])}")
    out.append("  " + t("practice.help-alt", lang))
    out.append("  " + t("practice.help-keys", lang, keys=_key_list(practice.mark_keys(lang), lang)))
    return out


def _hide_card(runner: Runner, then: str) -> None:
    """On a shared screen the card goes before the coach looks back: Enter blanks the
    screen and its scrollback. Plain mode keeps its transcript."""
    io = runner.io
    if not io.editable_prefill:
        return
    runner.ask(t("practice.hide-card", runner.lang) + " ")
    clear = getattr(io, "clear", None)
    if clear is not None:
        clear()
    runner.say(then)


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
    extension = RoundExtension(session, card, 60 * data.minutes, bank)
    runner = Runner(engine, store, io, ids, resume_command, extension)
    extension.bar = runner.status.round = _bar(session, card, extension)
    runner.status.limit, runner.status.elapsed = extension.limit, extension.elapsed
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
                extension.stop()
                extension.bar.stage = "feedback"
                debrief(runner, session, card)
                _feedback(runner, session)
                if runner.unsaved:
                    raise Paused(runner.unsaved_exit())
                runner.say("session.completed", id=session.id)
        except EOFError:
            raise Paused(runner.pause(EXIT_OK)) from None
        except KeyboardInterrupt:
            io.write([""])
            raise Paused(runner.pause(EXIT_INTERRUPTED)) from None
    io.write(round_summary(session, bank, lang, io))


def _bar(session: Session, card: Card, extension: RoundExtension) -> view.RoundBar:
    data, lang = round_of(session), session.lang
    return view.RoundBar(
        round=data.round,
        rounds=data.rounds,
        coach=data.roles.coach,
        client=data.roles.client,
        observer=data.roles.observer,
        giver=practiceround.feedback_giver(session),
        card=card.text("title", lang),
        level=card.level,
        keys=practice.mark_keys(lang),
        counts=extension.counts,
        mark=extension.mark,
        stage=data.stage,
    )


def _intro(runner: Runner, session: Session, card: Card) -> None:
    data, lang, io = round_of(session), session.lang, runner.io
    r = data.roles
    io.write(["", io.style.bold(t("practice.round", lang, n=data.round, of=data.rounds))])
    io.write(
        [t("practice.roles", lang, coach=r.coach, client=r.client, observer=r.observer or "-")]
    )
    io.write([t("practice.scenario", lang, title=card.text("title", lang), level=card.level)])
    io.write([t("practice.card-hint", lang, client=r.client)])
    _wait_for_the_start(runner, card)
    practiceround.begin_conversation(session)
    runner.save()


def _wait_for_the_start(runner: Runner, card: Card) -> None:
    """Lines before the round: /card shows (and on a screen hides) the card, /help says
    what a round offers, /pause pauses; anything else starts the round."""
    while True:
        command = _command(runner.ask())[0]
        if command in CARD:
            show_card(runner.io, card, runner.lang)
            _hide_card(runner, "practice.card-hidden")
        elif command in HELP:
            runner.io.write(practice_help(runner.lang))
        elif command in PAUSE:
            raise Paused(runner.pause(EXIT_OK))
        else:
            return


def _feedback(runner: Runner, session: Session) -> None:
    lang, r, io = session.lang, round_of(session).roles, runner.io
    giver = practiceround.feedback_giver(session)
    io.write(["", io.style.bold(t("practice.feedback", lang))])
    for kind in practiceround.feedback_to_give(session):
        label = t(f"practice.{kind}", lang, who=giver, coach=r.coach) + " "
        practiceround.give_feedback(session, kind, _feedback_line(runner, label).strip())
        runner.save()
    platform = practiceround.platform(session, runner.engine.bank)
    label = t("practice.usefulness", lang, client=r.client, platform=platform or "-") + " "
    while True:
        typed = _feedback_line(runner, label).strip()
        if typed.isdigit() and 0 <= int(typed) <= 10:
            break
        runner.say("scale.invalid", min=0, max=10)
    practiceround.finish(session, int(typed))
    runner.save()


def _feedback_line(runner: Runner, label: str) -> str:
    """A line of feedback: never a command taken as its text. /pause pauses the round;
    // starts a line that begins with a slash."""
    while True:
        line = runner.ask(label)
        command, _ = _command(line)
        if command in PAUSE:
            raise Paused(runner.pause(EXIT_OK))
        if not command and not line.strip().startswith("/"):
            return line
        if line.strip().startswith("//"):
            return line.strip()[1:]
        runner.say("practice.no-commands")


# --- what the pair reads afterwards -----------------------------------------------------


def round_summary(session: Session, bank: Bank, lang: str, io: SessionIO) -> list[str]:
    (kept,) = practicerecord.keep([session])
    data = round_of(session)
    lines = [
        "",
        io.style.bold(t("practice.round-summary", lang, n=data.round, coach=data.roles.coach)),
        "  " + kept.card_name(lang),
    ]
    lines += practicerecord.tally_lines(practice.tally(session, bank), lang)
    return lines + practicerecord.record_lines(kept, lang, card=False)


def show_practice_summary(store: Store, io: SessionIO, group: str, lang: str) -> None:
    rounds = practicerecord.keep([s for s, _ in practiceround.rounds_of(store, group)])
    io.write(["", *practice_summary_lines(rounds, lang, io.style)])


def practice_summary_lines(
    rounds: list[practicerecord.Round], lang: str, style: Plain, every_round: bool = True
) -> list[str]:
    """The whole practice: the coaches side by side, then (`every_round`) each round's
    roles, card, own questions, feedback and time per phase."""
    if not rounds:
        return []
    when = view.local_minute(rounds[0].session.started)
    lines = [style.bold(t("practice.summary-head", lang, n=len(rounds), date=when)), ""]
    table = practicerecord.comparison(practicerecord.summary(rounds), lang)
    if table:
        lines += [style.bold(table[0]), *table[1:], ""]
    if not every_round:
        return [*lines, style.dim(t("practice.show-hint", lang, group=rounds[0].data.group))]
    for r in rounds:
        lines.append(style.bold(practicerecord.round_head(r, lang)))
        lines += practicerecord.record_lines(r, lang)
        if r.tally and r.tally.phase_seconds:
            lines.append("  " + practicerecord.phase_time(r.tally, lang))
    return lines


def print_practice(rounds: list[practicerecord.Round], lang: str, every_round: bool = True) -> None:
    """`practice --show` (`every_round`), and under `sessions show` of a round the table
    of coaches: the whole practice on stdout."""
    import sys

    from sfcoach.ui import style

    shown = style.for_stream(sys.stdout)
    lines = practice_summary_lines(rounds, lang, shown, every_round)
    lines = [shown.safe(line) for line in ([""] if not every_round else []) + lines]
    if lines:
        sys.stdout.write("\n".join(style.wrap_all(lines, style.width_of(sys.stdout))) + "\n")


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
