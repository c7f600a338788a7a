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
    from sfcoach.index import SearchHit, SessionListing


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
) -> tuple[list[SessionListing], int, list[Skipped]]:
    if client is not None:
        client = store.client_alias(client)
    if status is not None and status not in SESSION_STATUSES:
        raise UserError("status.bad", value=status)
    index, skipped = open_index(store)
    rows, total = index.sessions(client, check_date(since), status, practice, limit)
    return rows, total, skipped


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
                entry["outcomes"].append(
                    {"session": s.id, "date": s.started[:10], "status": x.status}
                )
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
        "steps": {k: steps[k] for k in ("agreed", "done", "partly", "not")},
    }, skipped
