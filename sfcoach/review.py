"""Reading sessions back: one session, lists, a client's history, search, statistics.

Lists, search and statistics go through the index; one session and one
client's history read the files themselves, which are few and the truth.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from sfcoach.errors import UserError
from sfcoach.models import SESSION_STATUSES, Session
from sfcoach.sessionfile import BadSession
from sfcoach.store import Skipped, Store
from sfcoach.storeapi import Reader, SessionStore, team_store

if TYPE_CHECKING:  # the index (and sqlite3) is imported only by the commands that use it
    from sfcoach.index import Rated, SearchHit, SessionListing


def outcome_words(s: Session, lang: str) -> dict[str, str]:
    """How the practitioner classified each answer, as the bank words it (question id ->
    the option's text): read from the built-in bank the session was held with, when it
    still has that question and option; else the option's name is what there is."""
    from sfcoach.bank import load_builtin
    from sfcoach.models import text_in

    if not any(a.outcome for a in s.answers):
        return {}
    try:
        questions = {q.id: q for _, q in load_builtin(s.bank_id).questions}
    except UserError:  # a bank of the user's own, or one since renamed
        return {}
    words = {}
    for a in s.answers:
        q = questions.get(a.question)
        options = dict(q.outcome.options) if q and q.outcome else {}
        if a.outcome in options:
            words[a.question] = text_in(options[a.outcome], lang)
    return words


def load_one(store: SessionStore, ref: str) -> Session:
    path = store.find(ref)
    try:
        return store.load(path)
    except BadSession as e:
        raise UserError(
            "session.unreadable-file", path=str(path), reason_key=e.key, **e.params
        ) from None


def check_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise UserError("date.bad", value=value) from None


def open_index(store: SessionStore) -> tuple[Reader, list[Skipped]]:
    team = team_store(store)
    if team is not None:  # a team store answers lists and search itself
        return team, team.problems()
    from sfcoach.index import Index

    assert isinstance(store, Store)
    index = Index(store)
    index.refresh()
    return index, index.problems()


# --- lists and search -------------------------------------------------------------


def list_sessions(
    store: SessionStore,
    client: str | None = None,
    since: str | None = None,
    status: str | None = None,
    practice: bool | None = None,
    limit: int | None = None,
    count_practice: bool = False,
) -> tuple[list[SessionListing], int, list[Skipped], int]:
    """The rows, how many match in all, the files skipped, and (`count_practice`) how many
    practice rounds the same filters would find, to say what a list of meetings left out."""
    if client is not None:
        client = store.client_alias(client)
    if status is not None and status not in SESSION_STATUSES:
        raise UserError("status.bad", value=status)
    index, skipped = open_index(store)
    day = check_date(since)
    rows, total = index.sessions(client, day, status, practice, limit)
    practice_total = index.sessions(client, day, status, True, 1)[1] if count_practice else 0
    return rows, total, skipped, practice_total


def is_id_start(ref: str) -> bool:
    """A session's or a practice's id, or a start of one: digits, a-f and dashes."""
    import re

    return bool(re.fullmatch(r"[0-9a-f-]+", ref))


def practice_rounds(store: Store, ref: str) -> tuple[list[Session], list[Skipped]]:
    """Every readable round of one practice, in round order: `ref` is its group id (or a
    unique start of it) or the session id of any of its rounds."""
    index, skipped = open_index(store)
    ref = ref.strip()
    groups = index.practice_groups(ref) if is_id_start(ref) else []
    if len(groups) > 1:
        raise UserError("practice.ambiguous", id=ref)
    if groups:
        group = groups[0]
    else:
        one = load_one(store, ref)  # not a practice's group: one of its rounds, or unknown
        if not one.practice or one.practice_data is None:
            raise UserError("practice.not-a-round", id=one.id)
        if not one.practice_data.group:
            return [one], skipped
        group = one.practice_data.group
    sessions = []
    for sid in index.group_sessions(group):
        try:
            sessions.append(store.load(store.find(sid)))
        except (UserError, BadSession):  # removed or spoilt since the index saw it
            continue
    return sessions, skipped


def search(
    store: SessionStore, text: str, client: str | None = None, limit: int = 200
) -> tuple[list[SearchHit], list[Skipped]]:
    from sfcoach.index import fts_query

    query = fts_query(text)
    if client is not None:
        client = store.client_alias(client)
    index, skipped = open_index(store)
    if client is not None and not index.has_client(client):
        raise UserError("client.unknown", client=client)
    return index.search(query, client, limit), skipped


# --- one client ----------------------------------------------------------------------


def client_sessions(store: SessionStore, alias: str) -> tuple[list[Session], list[Skipped]]:
    """A client's readable meetings (not practice), oldest first; UserError if none."""
    alias = store.client_alias(alias)
    sessions, skipped = store.client_sessions(alias)
    sessions = [s for s in sessions if not s.practice and s.client == alias]
    if not sessions:
        raise UserError("client.unknown", client=alias)
    return sessions, skipped


def history(sessions: list[Session]) -> dict[str, Any]:
    """A client's course: sessions, each scale's values, steps over time, resources."""
    ratings: dict[str, list[dict[str, Any]]] = {}
    scales: dict[str, dict[str, Any]] = {}
    for s in sessions:
        for r in s.ratings:
            ratings.setdefault(r.scale, []).append(
                {"session": s.id, "date": s.started[:10], "value": r.value}
            )
            scales[r.scale] = {
                "label": r.label or r.scale,
                "min": r.min,
                "max": r.max,
                "low": r.low,
                "high": r.high,
                # A goal scale's goal in the client's words, as last rated ("" for others).
                "goal": r.goal or scales.get(r.scale, {}).get("goal", ""),
            }
    return {
        "client": sessions[0].client,
        "sessions": [
            {
                "id": s.id,
                "date": s.started[:10],
                "meeting": s.meeting,
                "status": s.status,
                "progress": s.progress,
                "practitioner": s.practitioner,
            }
            for s in sessions
        ],
        "ratings": ratings,
        "scales": scales,
        "steps": _step_history(sessions),
        "exceptions": _exceptions(sessions),
    }


def _step_history(sessions: list[Session]) -> list[dict[str, Any]]:
    """Each step once, where it was agreed, and what became of it meeting by meeting."""
    steps: dict[tuple[str, str], dict[str, Any]] = {}
    for s in sessions:
        for x in s.steps:
            origin = x.from_session or s.id
            entry = steps.setdefault(
                (x.text, origin),
                {"text": x.text, "from_session": origin, "agreed": s.started[:10], "outcomes": []},
            )
            if x.status != "agreed":
                outcome: dict[str, Any] = {
                    "session": s.id,
                    "date": s.started[:10],
                    "status": x.status,
                }
                if x.followups:  # the review's follow-ups: the client's own account
                    outcome["followups"] = [
                        {"question": f.text, "answer": f.answer} for f in x.followups
                    ]
                entry["outcomes"].append(outcome)
    for entry in steps.values():
        entry["status"] = entry["outcomes"][-1]["status"] if entry["outcomes"] else "agreed"
    return list(steps.values())


def _exceptions(sessions: list[Session]) -> list[dict[str, Any]]:
    """Every answer given in a U phase (what works, resources), newest first."""
    out = []
    for s in sessions:
        for a in s.answers:
            if a.phase != "U":
                continue
            texts = ([a.text] if a.text else []) + [f.answer for f in a.followups]
            for text in texts:
                out.append(
                    {"session": s.id, "date": s.started[:10], "question": a.question, "text": text}
                )
    out.reverse()
    return out


# --- statistics ------------------------------------------------------------------------


def stats(store: SessionStore, since: str | None = None) -> tuple[dict[str, Any], list[Skipped]]:
    """Outcome figures over real meetings; practice sessions are never counted. Over all
    time the index keeps them ready; with --since they are counted from its sessions."""
    index, skipped = open_index(store)
    day = check_date(since)
    by_meeting: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    steps: Counter[str] = Counter()
    for c in index.counts(day):
        by_meeting[c.meeting] += c.sessions
        by_status[c.status] += c.sessions
        steps.update(agreed=c.agreed, done=c.done, partly=c.partly)
        steps["not"] += c.not_
    clients: list[dict[str, Any]] = [
        {
            "client": p.client,
            "first": p.first,
            "latest": p.latest,
            "change": p.latest - p.first,
            "ratings": p.ratings,
        }
        for p in sorted(index.progress(day), key=lambda p: p.client)
    ]
    changes = [c["change"] for c in clients if c["ratings"] > 1]
    n = len(changes)
    split = {
        "improved": sum(1 for c in changes if c > 0),
        "same": sum(1 for c in changes if c == 0),
        "worse": sum(1 for c in changes if c < 0),
    }
    progress: dict[str, Any] = {
        "clients": clients,
        "clients_rated": len(clients),
        "clients_followed": n,
        "mean_change": round(sum(changes) / n, 2) if n else None,
        **split,
    }
    progress |= {f"share_{k}": (round(v / n, 3) if n else None) for k, v in split.items()}
    return {
        "since": day,
        "sessions": {
            "total": sum(by_meeting.values()),
            "by_meeting": dict(sorted(by_meeting.items())),
            "by_status": dict(sorted(by_status.items())),
        },
        "progress": progress,
        "usefulness": usefulness(index.rated(day)),
        "steps": {k: steps[k] for k in ("agreed", "done", "partly", "not")},
        "reflection_pairs": _reflection_pairs(index),
    }, skipped


MONTHS_SHOWN = 12  # a longer span is shown per quarter


def usefulness(months: list[Rated]) -> dict[str, Any]:
    """The clients' usefulness ratings over time, per month (per quarter over more than
    a year), beside the mean progress rating of the same period."""
    span = _month_number(months[-1].month) - _month_number(months[0].month) + 1 if months else 0
    per = "month" if span <= MONTHS_SHOWN else "quarter"
    periods: dict[str, list[int]] = {}
    for m in months:
        sums = periods.setdefault(_period(m.month, per), [0, 0, 0, 0])
        for i, value in enumerate(m[1:]):
            sums[i] += value
    rated = sum(m.useful_n for m in months)
    return {
        "per": per,
        "rated": rated,
        "mean": _mean(sum(m.useful_sum for m in months), rated),
        "periods": [
            {
                "period": period,
                "rated": useful_n,
                "mean": _mean(useful_sum, useful_n),
                "progress_rated": progress_n,
                "progress_mean": _mean(progress_sum, progress_n),
            }
            for period, (useful_n, useful_sum, progress_n, progress_sum) in sorted(periods.items())
        ],
    }


def _month_number(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number)


def _period(started: str, per: str) -> str:
    """'2026-11' for a month, '2026-Q4' for a quarter, from a session's start time."""
    if per == "month":
        return started[:7]
    return f"{started[:4]}-Q{(int(started[5:7]) - 1) // 3 + 1}"


def _mean(total: int, n: int) -> float | None:
    return round(total / n, 2) if n else None


def _reflection_pairs(index: Reader) -> dict[str, Any]:
    """Completed meetings with a colleague as reflection partner over the last 12 months
    (whatever --since says: the team's aim is so many a year), per practitioner."""
    from sfcoach.reflection import year_before

    since = year_before(date.today()).isoformat()
    by_practitioner = index.reflection_pairs(since)
    return {
        "since": since,
        "total": sum(by_practitioner.values()),
        "by_practitioner": by_practitioner,
    }
