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

import random
import time
from pathlib import Path
from typing import Any

from sfcoach import practice
from sfcoach.bank import Bank, load_builtin
from sfcoach.engine import Engine, Prompt
from sfcoach.errors import EXIT_INTERRUPTED, EXIT_OK
from sfcoach.i18n import t
from sfcoach.models import CATEGORIES, Session, now_iso
from sfcoach.practice import CATEGORY_KEYS, Card
from sfcoach.store import Store, new_session_id
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
        self.data: dict[str, Any] = session.practice_data or {}
        self.phase: str | None = None
        self.since = time.monotonic()
        self.warned = False

    def on_prompt(self, prompt: Prompt, runner: Runner) -> None:
        now = time.monotonic()
        if self.phase:
            spent = self.data.setdefault("phase_seconds", {})
            spent[self.phase] = round(spent.get(self.phase, 0) + now - self.since, 1)
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
        self.data.setdefault("asked", []).append(
            {
                "text": arg.strip(),
                "category": category,
                "answer": answer.strip(),
                "phase": self.phase,
                "at": now_iso(),
            }
        )
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


def new_round(store: Store, plan: dict[str, Any], index: int, card: Card, lang: str) -> Session:
    roles = practice.roles(plan["names"], index)
    session = Session(
        id=new_session_id(),
        client=None,
        meeting="practice",
        bank_id=plan["bank"],
        bank_version=1,
        lang=lang,
        practitioner=roles["coach"] or "",
        practice=True,
        started=now_iso(),
        practice_data={
            **plan,
            "round": index + 1,
            "roles": roles,
            "scenario": card.id,
            "stage": "intro",
            "asked": [],
            "phase_seconds": {},
            "feedback": [],
            "usefulness": None,
        },
    )
    store.create(session)
    return session


def run_practice(
    store: Store,
    io: SessionIO,
    lang: str,
    names: list[str],
    rounds: int,
    minutes: int,
    cards: list[Card],
    cards_file: Path | None,
    scenario: str | None,
    ids: str,
    resume_command: str,
) -> int:
    plan = {
        "group": new_session_id(),
        "names": names if ids == "keep" else practice.masked_names(names),
        "rounds": rounds,
        "minutes": minutes,
        "bank": "practice",
        "fixed": scenario,
        "first": random.randrange(len(cards)),  # where the rotation through the cards starts
        "cards": str(cards_file.resolve()) if cards_file else None,
    }
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
    data = session.practice_data or {}
    cards = practice.load_cards(Path(data["cards"]) if data.get("cards") else None)
    try:
        card = practice.find_card(cards, data.get("scenario", ""))
        play_round(store, io, session, card, cards, ids, resume_command)
        plan = {k: data[k] for k in PLAN if k in data}
        _play_rounds(
            store, io, plan, data.get("round", 1), cards, session.lang, ids, resume_command
        )
        return EXIT_OK
    except Paused as p:
        return p.code
    finally:
        io.close()


# What every round of a practice carries, so that a resume plays the rest the same way.
PLAN = ("group", "names", "rounds", "minutes", "bank", "fixed", "first", "cards")


def _play_rounds(
    store: Store,
    io: SessionIO,
    plan: dict[str, Any],
    start: int,
    cards: list[Card],
    lang: str,
    ids: str,
    resume_command: str,
) -> None:
    """Rounds `start`… of the plan, each with the next card (or the one asked for),
    then the summary of the whole practice."""
    for index in range(start, plan.get("rounds", 1)):
        fixed = plan.get("fixed")
        card = (
            practice.find_card(cards, fixed)
            if fixed
            else cards[(plan.get("first", 0) + index) % len(cards)]
        )
        session = new_round(store, plan, index, card, lang)
        play_round(store, io, session, card, cards, ids, resume_command)
    show_practice_summary(store, io, plan.get("group", ""), lang)


def play_round(
    store: Store,
    io: SessionIO,
    session: Session,
    card: Card,
    cards: list[Card],
    ids: str,
    resume_command: str,
) -> None:
    data = session.practice_data or {}
    lang = session.lang
    bank = load_builtin(data.get("bank", "practice"))
    engine = Engine(bank, session)
    runner = Runner(
        engine,
        store,
        io,
        ids,
        resume_command,
        RoundExtension(session, card, 60 * int(data.get("minutes", 15))),
    )
    with store.lock(session):
        try:
            if data.get("stage") == "intro":
                _intro(runner, session, card)
            if data.get("stage") == "conversation":
                code = runner.run()
                if session.status != "completed" or runner.unsaved:  # paused or not saved
                    raise Paused(code)
                data["stage"] = "feedback"
                session.status = "in-progress"
                runner._save()
            if data.get("stage") == "feedback":
                _feedback(runner, session)
                if runner.unsaved:
                    raise Paused(runner._unsaved_exit())
        except EOFError:
            raise Paused(runner._pause(EXIT_OK)) from None
        except KeyboardInterrupt:
            io.write([""])
            raise Paused(runner._pause(EXIT_INTERRUPTED)) from None
    io.write(round_summary(session, bank, lang, io))


def _intro(runner: Runner, session: Session, card: Card) -> None:
    data, lang, io = session.practice_data or {}, session.lang, runner.io
    r = data["roles"]
    io.write(["", io.style.bold(t("practice.round", lang, n=data["round"], of=data["rounds"]))])
    io.write(
        [
            t(
                "practice.roles",
                lang,
                coach=r["coach"],
                client=r["client"],
                observer=r["observer"] or "-",
            )
        ]
    )
    io.write([t("practice.scenario", lang, title=card.text("title", lang), level=card.level)])
    io.write([t("practice.card-hint", lang, client=r["client"])])
    while True:
        if _command(runner.ask())[0] in CARD:
            show_card(io, card, lang)
            if io.editable_prefill:  # on a shared screen: hide the card before the coach looks
                runner.ask(t("practice.hide-card", lang) + " ")
                io.write([CLEAR_SCREEN])
            continue
        break
    data["stage"] = "conversation"
    runner._save()


def _feedback(runner: Runner, session: Session) -> None:
    data, lang = session.practice_data or {}, session.lang
    r = data["roles"]
    giver = r["observer"] or r["client"]
    io = runner.io
    io.write(["", io.style.bold(t("practice.feedback", lang))])
    for kind in ("well", "more"):
        if any(f["kind"] == kind for f in data["feedback"]):
            continue
        text = runner.ask(t(f"practice.{kind}", lang, who=giver, coach=r["coach"]) + " ").strip()
        data["feedback"].append({"by": giver, "kind": kind, "text": text, "at": now_iso()})
        runner._save()
    platform = next((a.text for a in session.answers if a.phase == "P"), "")
    while not isinstance(data.get("usefulness"), int):
        typed = runner.ask(
            t("practice.usefulness", lang, client=r["client"], platform=platform or "-") + " "
        ).strip()
        if typed.isdigit() and 0 <= int(typed) <= 10:
            data["usefulness"] = int(typed)
        else:
            runner.say("scale.invalid", min=0, max=10)
    data["stage"] = "done"
    session.status = "completed"
    session.ended = now_iso()
    runner._save()


# --- what the pair reads afterwards -----------------------------------------------------


def round_summary(session: Session, bank: Bank, lang: str, io: SessionIO) -> list[str]:
    counted = practice.tally(session, bank)
    data = session.practice_data or {}
    style = io.style
    lines = [
        "",
        style.bold(
            t(
                "practice.round-summary",
                lang,
                n=data.get("round"),
                coach=data.get("roles", {}).get("coach"),
            )
        ),
    ]
    lines += _tally_lines(counted, lang)
    if data.get("usefulness") is not None:
        lines.append("  " + t("practice.useful-was", lang, n=data["usefulness"]))
    for f in data.get("feedback", []):
        lines.append(f"  {t('practice.fb-' + f['kind'], lang)} {f['text']}")
    return lines


def _tally_lines(c: dict[str, Any], lang: str) -> list[str]:
    asked = ", ".join(
        f"{t('category.' + k, lang)} {n}" for k in CATEGORIES if (n := c["by_type"][k])
    )
    lines = ["  " + t("practice.tally", lang, n=c["questions"], detail=asked or "-")]
    if c["future_share"] is not None:
        lines.append("  " + t("practice.future-share", lang, pct=round(100 * c["future_share"])))
    lines.append("  " + t("practice.followups", lang, n=c["followups"]))
    yes, no = t("practice.yes", lang), t("practice.no", lang)
    lines.append(
        "  "
        + t(
            "practice.scale-used",
            lang,
            used=yes if c["scale_used"] else no,
            followup=yes if c["scale_followup"] else no,
        )
    )
    lines.append("  " + t("practice.ended-step", lang, answer=yes if c["ended_with_step"] else no))
    if c["phase_seconds"]:
        spent = " · ".join(f"{p} {view.mmss(s)}" for p, s in c["phase_seconds"].items())
        lines.append("  " + t("practice.phase-time", lang, detail=spent))
    return lines


def show_practice_summary(store: Store, io: SessionIO, group: str, lang: str) -> None:
    rounds = practice_rounds(store, group)
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
                    coach=roles.get("coach"),
                    client=roles.get("client"),
                )
            )
        )
        lines += _tally_lines(r["tally"], lang)
    for coach, mean in summary["usefulness_by_coach"].items():
        lines.append("  " + t("practice.useful-by-coach", lang, coach=coach, n=mean))
    io.write(lines)


def practice_rounds(store: Store, group: str) -> list[tuple[Session, dict[str, Any]]]:
    """Every saved round of one practice, in order, with its tally."""
    from sfcoach.sessionfile import BadSession
    from sfcoach.store import PRACTICE_DIR

    out = []
    banks: dict[str, Bank] = {}
    for path in store.files(PRACTICE_DIR):
        try:
            s = store.load(path)
        except BadSession:
            continue
        data = s.practice_data or {}
        if data.get("group") == group and group:
            if s.bank_id not in banks:
                banks[s.bank_id] = load_builtin(s.bank_id)
            out.append((s, practice.tally(s, banks[s.bank_id])))
    return sorted(out, key=lambda pair: (pair[0].practice_data or {}).get("round", 0))
