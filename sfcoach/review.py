"""Reading sessions back: one session, lists, history, statistics."""

from __future__ import annotations

from typing import Any

from sfcoach import sessionfile
from sfcoach.errors import UserError
from sfcoach.models import Session
from sfcoach.sessionfile import BadSession
from sfcoach.store import Store


def load_one(store: Store, ref: str) -> Session:
    path = store.find(ref)
    try:
        return store.load(path)
    except BadSession as e:
        raise UserError(
            "session.unreadable-file", path=str(path), why_key=e.key, **e.params
        ) from None


def session_json(session: Session) -> dict[str, Any]:
    """The session as DESIGN.md's JSON: the file's keys without the resume cursor."""
    data = sessionfile.to_dict(session)
    del data["cursor"]
    return data


def list_row(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "client": session.client,
        "meeting": session.meeting,
        "practice": session.practice,
        "status": session.status,
        "started": session.started,
        "ended": session.ended,
        "progress": session.progress,
    }


def list_sessions(
    store: Store,
    client: str | None = None,
    since: str | None = None,
    status: str | None = None,
    practice: bool | None = None,
    limit: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    rows = []
    for path in store.files(client):
        try:
            rows.append(list_row(store.load(path)))
        except BadSession:
            continue
    rows.reverse()
    return (rows[:limit] if limit else rows), len(rows)
