"""Pair and triad practice: role cards, roles per round, the observer's tally.

Each round is a practice session of its own (practice: true), linked to the
others by a group id in `practice_data`, so saving, resume, show and export
work as for any meeting. What is counted is feedback, never a grade.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sfcoach import bank as banks
from sfcoach import privacy
from sfcoach.errors import UserError
from sfcoach.i18n import t
from sfcoach.models import CATEGORIES, PHASES, Bank, Roles, Session, text_in
from sfcoach.schema import Int, List, Map, Obj, Problem, Str, Text, check, join

# A follow-up card's simulated last meeting: scale values, the steps agreed, and answers
# in the client's words, keyed by the ids of the banks' questions.
LAST_TIME = Obj(
    fields={
        "meeting": Str(pattern=banks.ID_PATTERN),  # the meeting it was; default first-visit
        "ratings": Map(Int(minimum=0, maximum=10), key_pattern=banks.ID_PATTERN),
        "steps": List(Text()),
        "answers": Map(Text(), key_pattern=banks.ID_PATTERN),
    }
)
CARD = Obj(
    fields={
        "id": Str(pattern=banks.ID_PATTERN),
        "level": Int(minimum=1, maximum=3),
        "title": Text(max_len=200),
        "situation": Text(),
        "wants": Text(),
        "hidden": List(Text()),
        "play": Text(),
        # The built-in bank the round runs; without it, the practice bank.
        "meeting": Str(pattern=banks.ID_PATTERN),
        # What the coach knows before the round: the mandate, what may and may not be promised.
        "brief": Text(),
        "last_time": LAST_TIME,
    },
    required=("id", "title", "situation"),
)
CARDS = Obj(
    fields={"schema": Int(enum=(1,)), "cards": List(CARD, min_items=1)},
    required=("schema", "cards"),
)
# What the observer marks live: a question's category, or a "what else?" (a follow-up).
WHAT_ELSE = "what-else"
MARKS = (*CATEGORIES, WHAT_ELSE)
MAX_PLAYERS = 3


@dataclass(frozen=True)
class Tally:
    """What the observer sees counted in a round; feedback, never a grade."""

    by_type: dict[str, int]  # questions asked per category
    questions: int
    per_phase: dict[str, int]
    followups: int
    scale_used: bool
    scale_followup: bool
    ended_with_step: bool
    # Every bank question looks forward or builds on what works, so a share of those says
    # nothing; how often the coach followed an answer up tells coaches apart.
    followups_per_question: float | None
    phase_seconds: dict[str, float]
    marked: dict[str, int] = field(default_factory=dict)  # the observer's live marks per kind

    def live(self) -> dict[str, int]:
        """The running counts the observer sees: per category, and "what else?"."""
        return {**self.by_type, WHAT_ELSE: self.followups}


def mark_keys(lang: str) -> dict[str, str]:
    """key -> mark, one letter each from the words shown in `lang` (Swedish u = undantag);
    the letters live in the locale beside the words they stand for."""
    return {t(f"practice.key.{m}", lang): m for m in MARKS}


def category_keys(lang: str) -> dict[str, str]:
    """The keys that classify an own question (/ask): every mark but "what else?"."""
    return {k: m for k, m in mark_keys(lang).items() if m != WHAT_ELSE}


@dataclass(frozen=True)
class Card:
    id: str
    level: int
    raw: dict[str, Any]  # the card as in its file: texts in both languages

    def text(self, key: str, lang: str) -> str:
        return text_in(self.raw.get(key), lang)

    def hidden(self, lang: str) -> list[str]:
        return [text_in(h, lang) for h in self.raw.get("hidden", [])]

    @property
    def meeting(self) -> str | None:
        """The built-in bank the card plays; None: the practice's own bank."""
        found = self.raw.get("meeting")
        return found if isinstance(found, str) else None

    @property
    def last_time(self) -> dict[str, Any]:
        found = self.raw.get("last_time")
        return found if isinstance(found, dict) else {}


# Meetings that open a contact: a card that plays one has no last time to follow up.
FIRST_MEETINGS = ("practice", "first-visit")
DEFAULT_MEETING = "practice"  # the bank a card without `meeting` plays (PracticePlan.bank)


def cards_file() -> Path:
    return banks.builtin_dir() / "roles" / "cards.yaml"


def card_problems(path: Path) -> list[banks.BankProblem]:
    """Every problem in a role-card file, like `bank validate` reports them."""
    return banks.parse(path, _problems_in_cards)[1]


def _problems_in_cards(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem(1, "", "cards.not-mapping")]
    found = check(CARDS, data, "", 1)
    cards = data.get("cards")
    seen: set[str] = set()
    for i, card in enumerate(cards if isinstance(cards, list) else []):
        if isinstance(card, dict):
            found += _meeting_problems(card, join("cards", i))
        if isinstance(card, dict) and isinstance(card.get("id"), str):
            if card["id"] in seen:
                found.append(
                    Problem(
                        banks.key_line(card, "id"),
                        join(join("cards", i), "id"),
                        "cards.duplicate-id",
                        {"id": card["id"]},
                    )
                )
            seen.add(card["id"])
    return found


def _meeting_problems(card: dict[str, Any], path: str) -> list[Problem]:
    """A meeting type must be a built-in bank, and a last time needs a meeting that
    follows one."""
    found = []
    known = banks.builtin_ids()
    last = card.get("last_time")
    places = [(card, path)] + ([(last, join(path, "last_time"))] if isinstance(last, dict) else [])
    for holder, where in places:
        meeting = holder.get("meeting")
        if isinstance(meeting, str) and meeting not in known:
            found.append(
                Problem(
                    banks.key_line(holder, "meeting"),
                    join(where, "meeting"),
                    "cards.unknown-meeting",
                    {"got": meeting, "known": ", ".join(known)},
                )
            )
    if "last_time" in card and card.get("meeting", DEFAULT_MEETING) in FIRST_MEETINGS:
        found.append(
            Problem(
                banks.key_line(card, "last_time"),
                join(path, "last_time"),
                "cards.last-time-first-meeting",
                {"meeting": card.get("meeting", DEFAULT_MEETING)},
            )
        )
    return found


def is_cards_file(path: Path) -> bool:
    """A role-card file rather than a bank: its top level has `cards`."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(20_000)
    except OSError:
        return False
    return any(line.startswith("cards:") for line in head.splitlines())


def load_cards(path: Path | None = None) -> list[Card]:
    data, problems = banks.parse(path or cards_file(), _problems_in_cards)
    if problems:
        raise banks.InvalidBank(problems, kind="cards")
    return [Card(c["id"], c.get("level", 1), banks._plain(c)) for c in data["cards"]]


def deck(cards: list[Card], level: int | None = None) -> list[Card]:
    """The cards a practice rotates through: those of one level, else all of them from
    easy to hard, first conversations before follow-ups within a level (else in file
    order), so a first practice starts easy."""
    chosen = [c for c in cards if level is None or c.level == level]
    if not chosen:
        have = ", ".join(str(n) for n in sorted({c.level for c in cards}))
        raise UserError("practice.no-level", level=level, have=have)
    return sorted(chosen, key=lambda c: (c.level, not _first_meeting(c)))


def _first_meeting(card: Card) -> bool:
    """A card played as a first conversation: within a level the easiest to start with."""
    return (card.meeting or DEFAULT_MEETING) in FIRST_MEETINGS


def easiest(cards: list[Card]) -> int:
    """How many cards at the start of a deck (see `deck`) share its first level and kind of
    meeting: where a rotation may start, so that a first round is a first conversation."""
    first = (cards[0].level, _first_meeting(cards[0]))
    return sum(1 for c in cards if (c.level, _first_meeting(c)) == first)


def card_json(card: Card) -> dict[str, Any]:
    """A card as `practice --list --json` prints it: as in its file, with its level and
    meeting type always present (the defaults filled in)."""
    return {**card.raw, "level": card.level, "meeting": card.meeting or DEFAULT_MEETING}


def find_card(cards: list[Card], card_id: str) -> Card:
    for card in cards:
        if card.id == card_id:
            return card
    raise UserError("practice.unknown-scenario", id=card_id, known=", ".join(c.id for c in cards))


def parse_pair(value: str) -> list[str]:
    """'Anna, Bo ,Cia' -> ['Anna', 'Bo', 'Cia']: two or three distinct names."""
    names = [n.strip() for n in value.split(",") if n.strip()]
    if len(names) < 2:
        raise UserError("practice.too-few")
    if len(names) > MAX_PLAYERS:
        raise UserError("practice.too-many", max=MAX_PLAYERS)
    if len({n.casefold() for n in names}) != len(names):
        raise UserError("practice.duplicate-names")
    if any(len(n) > 40 for n in names):
        raise UserError("practice.long-name")
    return names


def masked_names(names: list[str]) -> list[str]:
    """The names as saved with --ids mask: a number in one is masked like any answer's.
    Two names that mask alike could no longer be told apart, so they are refused."""
    masked = [privacy.mask_text(n) for n in names]
    if len({n.casefold() for n in masked}) != len(masked):
        raise UserError("practice.duplicate-names")
    return masked


def roles(names: list[str], round_index: int) -> Roles:
    """Roles rotate each round, so everyone coaches in turn."""
    n = len(names)
    return Roles(
        coach=names[round_index % n],
        client=names[(round_index + 1) % n],
        observer=names[(round_index + 2) % n] if n == MAX_PLAYERS else None,
    )


# --- what the observer sees ---------------------------------------------------------


def tally(session: Session, bank: Bank) -> Tally:
    """Question types asked, follow-ups, scale use and steps, counted from the round."""
    category = {q.id: q.category for _, q in bank.questions}
    counts: Counter[str] = Counter()
    for a in session.answers:
        counts[category.get(a.question, "other")] += 1
    for r in session.ratings:
        counts[category.get(r.scale, "scaling")] += 1
    for q in {x.question for x in session.steps if x.question}:
        counts[category.get(q, "step")] += 1
    data = session.practice_data
    for own in data.asked if data else []:
        counts[own.category] += 1
    # The observer's marks add to the same counts as the bank's labels and /ask.
    marked = Counter(m.kind for m in data.marks if m.kind in MARKS) if data else Counter()
    counts.update({c: marked[c] for c in CATEGORIES if marked[c]})
    total = sum(counts.values())
    per_phase: Counter[str] = Counter(a.phase for a in session.answers)
    per_phase.update(r.phase for r in session.ratings)
    followups = sum(len(a.followups) for a in session.answers) + marked[WHAT_ELSE]
    scale_followups = sum(len(r.followups) for r in session.ratings)
    return Tally(
        by_type={c: counts.get(c, 0) for c in CATEGORIES},
        questions=total,
        per_phase={p: per_phase.get(p, 0) for p in PHASES},
        followups=followups + scale_followups,
        scale_used=bool(session.ratings),
        scale_followup=scale_followups > 0,
        ended_with_step=any(x.status == "agreed" for x in session.steps),
        followups_per_question=round((followups + scale_followups) / total, 2) if total else None,
        phase_seconds=dict(data.phase_seconds) if data else {},
        marked=dict(marked),
    )
