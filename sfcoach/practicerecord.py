"""What a practice keeps: each round's record (roles, card, own questions, tally,
feedback, usefulness) and the whole practice compared coach by coach.

The summary at the end of a practice, `practice --show`, `sessions show` of a round
and the exports all read a round through `keep()`, so they say the same thing. Plain
data and plain text only: the screens add their styles.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sfcoach import practice
from sfcoach.bank import load_builtin
from sfcoach.errors import UserError
from sfcoach.i18n import number, t
from sfcoach.models import CATEGORIES, Bank, PracticeRound, Session
from sfcoach.practice import Card, Tally

NAME_WIDTH = 10  # a coach's column: three of them and the labels fit 60 columns


@dataclass(frozen=True)
class Round:
    """One saved round, with what it is read with: its tally (None when its bank is
    gone) and its card (None when the card file no longer has it)."""

    session: Session
    data: PracticeRound
    tally: Tally | None
    card: Card | None

    def card_name(self, lang: str) -> str:
        return _card_name(self.card, self.data.scenario, lang)


def card_name(data: PracticeRound, lang: str) -> str:
    """'Role card: Title (level 2)' for a round's card; its id when its file lacks it."""
    card = next((c for c in _cards(data.cards) if c.id == data.scenario), None)
    return _card_name(card, data.scenario, lang)


def _card_name(card: Card | None, card_id: str, lang: str) -> str:
    if card is None:
        return f"{t('practice.card-id', lang)} {card_id or '-'}"
    return t("practice.scenario", lang, title=card.text("title", lang), level=card.level)


def keep(sessions: list[Session]) -> list[Round]:
    """The practice rounds among `sessions`, in round order, each with its tally and card.
    Banks and card files are read once each."""
    banks: dict[str, Bank | None] = {}
    cards: dict[str | None, list[Card]] = {}
    out = []
    for s in sessions:
        data = s.practice_data
        if data is None:
            continue
        if s.bank_id not in banks:
            banks[s.bank_id] = _bank(s.bank_id)
        bank = banks[s.bank_id]
        if data.cards not in cards:
            cards[data.cards] = _cards(data.cards)
        card = next((c for c in cards[data.cards] if c.id == data.scenario), None)
        out.append(Round(s, data, practice.tally(s, bank) if bank else None, card))
    return sorted(out, key=lambda r: (r.data.round, r.session.id))


def _bank(bank_id: str) -> Bank | None:
    try:
        return load_builtin(bank_id)
    except UserError:  # a bank of an older version, since renamed: no tally rather than none
        return None


def _cards(path: str | None) -> list[Card]:
    try:
        return practice.load_cards(Path(path) if path else None)
    except UserError:  # an own card file moved or broken since: the card's id is shown
        return []


def card_titles(lang: str) -> dict[str, str]:
    """The built-in cards' titles by id, for lists that know a round's card by its id."""
    return {c.id: c.text("title", lang) for c in _cards(None)}


# --- the whole practice as data (practice --show --json) ------------------------------


def summary(rounds: list[Round]) -> dict[str, Any]:
    """Every round, then a column per coach to compare them side by side."""
    first = rounds[0].data if rounds else PracticeRound()
    return {
        "group": first.group,
        "names": list(first.names),
        "rounds": [_round_data(r) for r in rounds],
        "coaches": [_coach_data(coach, mine) for coach, mine in by_coach(rounds).items()],
    }


def by_coach(rounds: list[Round]) -> dict[str, list[Round]]:
    """The rounds each person coached, in the order they first coached."""
    out: dict[str, list[Round]] = {}
    for r in rounds:
        out.setdefault(r.data.roles.coach or "?", []).append(r)
    return out


def _round_data(r: Round) -> dict[str, Any]:
    d = r.data
    return {
        "session": r.session.id,
        "round": d.round,
        "rounds": d.rounds,
        "status": r.session.status,
        "started": r.session.started,
        "roles": asdict(d.roles),
        "card": {
            "id": d.scenario,
            "level": r.card.level if r.card else None,
            "title": r.card.raw.get("title") if r.card else None,
        },
        "tally": asdict(r.tally) if r.tally else None,
        "asked": [asdict(q) for q in d.asked],
        "feedback": [asdict(f) for f in d.feedback],
        "usefulness": d.usefulness,
    }


def _coach_data(coach: str, rounds: list[Round]) -> dict[str, Any]:
    tallies = [r.tally for r in rounds if r.tally]
    questions = sum(x.questions for x in tallies)
    followups = sum(x.followups for x in tallies)
    useful = [r.data.usefulness for r in rounds if r.data.usefulness is not None]
    return {
        "coach": coach,
        "rounds": [r.data.round for r in rounds],
        "questions": questions,
        "by_type": {c: sum(x.by_type.get(c, 0) for x in tallies) for c in CATEGORIES},
        "own_questions": sum(len(r.data.asked) for r in rounds),
        "followups": followups,
        "followups_per_question": round(followups / questions, 2) if questions else None,
        "scale_used": sum(x.scale_used for x in tallies),
        "ended_with_step": sum(x.ended_with_step for x in tallies),
        "usefulness": round(sum(useful) / len(useful), 1) if useful else None,
    }


# --- the whole practice as text ---------------------------------------------------------


def comparison(summary: dict[str, Any], lang: str) -> list[str]:
    """One table, a column per coach: the header line first. Counts add up over the rounds
    a person coached; yes/no becomes 'k/n' rounds when they coached more than one."""
    coaches = summary["coaches"]
    if not coaches:
        return []
    rows: list[list[str]] = [["", *(_short(c["coach"]) for c in coaches)]]
    rows.append(_row(t("practice.row-questions", lang), coaches, lambda c: str(c["questions"])))
    for cat in CATEGORIES:
        if any(c["by_type"][cat] for c in coaches):
            label = "  " + t("category." + cat, lang)
            rows.append(_row(label, coaches, lambda c, cat=cat: str(c["by_type"][cat])))
    rows.append(_row(t("practice.row-own", lang), coaches, lambda c: str(c["own_questions"])))
    rows.append(_row(t("practice.row-followups", lang), coaches, lambda c: str(c["followups"])))
    rows.append(
        _row(
            t("practice.row-per-question", lang),
            coaches,
            lambda c: _decimal(c["followups_per_question"], lang, 1),
        )
    )
    for key, label in (("scale_used", "row-scale"), ("ended_with_step", "row-step")):
        rows.append(
            _row(t(f"practice.{label}", lang), coaches, lambda c, key=key: _share(c, key, lang))
        )
    rows.append(
        _row(
            t("practice.row-useful", lang),
            coaches,
            lambda c: _decimal(c["usefulness"], lang, 1, whole=True),
        )
    )
    return _aligned(rows)


def _row(label: str, coaches: list[dict[str, Any]], value: Any) -> list[str]:
    return [label, *(value(c) for c in coaches)]


def _short(name: str) -> str:
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"


def _share(coach: dict[str, Any], key: str, lang: str) -> str:
    n, of = coach[key], len(coach["rounds"])
    if of == 1:
        return t("practice.yes" if n else "practice.no", lang)
    return f"{n}/{of}"


def _decimal(value: float | None, lang: str, decimals: int, whole: bool = False) -> str:
    if value is None:
        return "–"
    if whole and value == int(value):
        return str(int(value))
    return number(value, lang, decimals=decimals)


def _aligned(rows: list[list[str]]) -> list[str]:
    """Labels left, values right, two spaces between columns."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            [
                row[0].ljust(widths[0]),
                *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)),
            ]
        ).rstrip()
        for row in rows
    ]


def round_head(r: Round, lang: str) -> str:
    roles = r.data.roles
    key = "practice.round-head" if roles.observer else "practice.round-head-pair"
    head = t(
        key,
        lang,
        n=r.data.round,
        of=r.data.rounds,
        coach=roles.coach,
        client=roles.client,
        observer=roles.observer or "-",
    )
    if r.session.status != "completed":  # an unfinished round's counts are not the last word
        head += f" ({t('status.' + r.session.status, lang)})"
    return head


def record_lines(r: Round, lang: str, card: bool = True) -> list[str]:
    """A round's card, own questions, feedback and usefulness, indented under its head."""
    lines = [r.card_name(lang)] if card else []
    lines += [revealed] if (revealed := revealed_line(r, lang)) else []
    for q in r.data.asked:
        category = t("category." + q.category, lang)
        lines.append(
            t("practice.own-question", lang, category=category, text=q.text, answer=q.answer)
        )
    lines += [f"{t('practice.fb-' + f.kind, lang)} {f.text}" for f in r.data.feedback]
    if r.data.usefulness is not None:
        lines.append(t("practice.useful-was", lang, n=r.data.usefulness))
    return ["  " + line for line in lines]


def revealed_line(r: Round, lang: str) -> str | None:
    """What the debrief found: which of the card's hidden resources the coach brought out."""
    hidden = r.card.hidden(lang) if r.card else []
    if r.data.revealed is None or not hidden:
        return None
    came = sorted(i for i in set(r.data.revealed) if i < len(hidden))
    which = ", ".join(str(i + 1) for i in came) or "-"
    return t("practice.revealed", lang, n=len(came), of=len(hidden), which=which)


def tally_lines(c: Tally, lang: str) -> list[str]:
    """One round's tally: questions per type, follow-ups, scale, step, time per phase."""
    asked = ", ".join(
        f"{t('category.' + k, lang)} {n}" for k in CATEGORIES if (n := c.by_type.get(k, 0))
    )
    yes, no = t("practice.yes", lang), t("practice.no", lang)
    lines = [
        t("practice.tally", lang, n=c.questions, detail=asked or "-"),
        t("practice.followups", lang, n=c.followups),
    ]
    if c.followups_per_question is not None:
        per = number(c.followups_per_question, lang, decimals=1)
        lines.append(t("practice.per-question", lang, n=per))
    used, followup = (yes if c.scale_used else no), (yes if c.scale_followup else no)
    lines.append(t("practice.scale-used", lang, used=used, followup=followup))
    lines.append(t("practice.ended-step", lang, answer=yes if c.ended_with_step else no))
    if c.phase_seconds:
        lines.append(phase_time(c, lang))
    return ["  " + line for line in lines]


def phase_time(c: Tally, lang: str) -> str:
    spent = " · ".join(f"{p} {_mmss(s)}" for p, s in c.phase_seconds.items())
    return t("practice.phase-time", lang, detail=spent)


def _mmss(seconds: float) -> str:
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes = f"{rest // 60:02d}:{rest % 60:02d}"
    return f"{hours}:{minutes}" if hours else minutes
