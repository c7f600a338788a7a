"""Data protection over a whole store: purge old or one client's sessions, scan for
identity numbers saved unmasked."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sfcoach import privacy
from sfcoach.errors import UserError
from sfcoach.models import Session
from sfcoach.sessionfile import BadSession
from sfcoach.store import Store
from sfcoach.storeapi import SessionStore, team_store
from sfcoach.texts import NameRef, TextRef, session_names, session_texts


@dataclass
class Doomed:
    """A session file to purge, with what the listing shows of it."""

    path: Path
    id: str
    client: str | None
    date: str  # YYYY-MM-DD of its last activity, or "" when the file cannot be read
    locked: bool = False  # open in a meeting when purge came to it: left in place


def plan_purge(store: SessionStore, client: str | None, older_than: int | None) -> list[Doomed]:
    """What a purge would remove; readable files only decide by age, unreadable ones by folder."""
    if (client is None) == (older_than is None):
        raise UserError("purge.which")
    if client is not None:
        alias = store.client_alias(client)
        team = team_store(store)
        if isinstance(store, Store):
            known = store.own_folder(alias).is_dir()
        else:  # a team store: rows, no folders
            known = team is not None and team.has_client(alias)
        if not known:
            raise UserError("client.unknown", client=alias)
        return [_doomed(store, p) for p in store.files(alias)]
    if older_than is None or older_than < 0:
        raise UserError("purge.days", value=older_than)
    cutoff = (datetime.now() - timedelta(days=older_than)).date().isoformat()
    out = []
    for path in store.files():
        item = _doomed(store, path)
        if item.date and item.date < cutoff:
            out.append(item)
    return out


def _doomed(store: SessionStore, path: Path) -> Doomed:
    try:
        s = store.load(path)
    except BadSession:
        return Doomed(path, path.stem, path.parent.name, "")
    return Doomed(path, s.id, s.client, last_activity(s))


def last_activity(s: Session) -> str:
    """The day of the newest thing in a session: an answer given today to a meeting begun
    years ago makes it today's. Compared as dates, so time zones cannot reorder them."""
    stamps = [s.started, s.ended or ""]
    for items in (s.answers, s.ratings, s.steps, s.notes):
        stamps += [item.at for item in items]
    return max(x[:10] for x in stamps if x)


def purge(store: SessionStore, doomed: list[Doomed], client: str | None) -> int:
    """Remove the files, then everything derived from them. Returns how many went."""
    from sfcoach.index import Index

    team = team_store(store)
    if team is not None:  # a team store deletes rows, under the same locks
        return team.purge(doomed)
    assert isinstance(store, Store)
    removed = 0
    for item in doomed:
        try:
            removed += _remove(store, item)
        except UserError as e:
            if e.key != "store.locked":
                raise
            item.locked = True  # a meeting is running in it: its next save would undo this
    if client is not None and not any(item.locked for item in doomed):
        folder = store.root / store.client_alias(client)
        for leftover in folder.glob(".*"):
            with contextlib.suppress(OSError):
                leftover.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()
    index = Index(store)
    index.refresh()
    index.forget_deleted()
    index.close()
    return removed


def _remove(store: Store, item: Doomed) -> int:
    """Delete one session file holding its lock (UserError store.locked if it is open)."""
    if not item.path.parent.is_dir():
        return 0
    with store.lock_id(item.path.parent, item.id):
        for temp in item.path.parent.glob(f".{item.id}.yaml.*.tmp"):
            with contextlib.suppress(OSError):
                temp.unlink()
        try:
            item.path.unlink()
        except FileNotFoundError:
            return 0
    return 1


# --- identity numbers saved unmasked ----------------------------------------------------


@dataclass
class Finding:
    path: Path
    fields: list[str] = field(default_factory=list)  # where, never the number itself
    count: int = 0


@dataclass
class ScanReport:
    findings: list[Finding]
    unreadable: list[Path]
    exposed: list[Path]  # files and folders group or others could read (before any fix)
    locked: list[str] = field(default_factory=list)  # ids open in a meeting: not masked


def scan(store: SessionStore, fix: bool) -> ScanReport:
    """Sessions holding unmasked identity numbers (e.g. saved with --ids keep), and files
    or folders open to others; with `fix`, mask the numbers (each file saved atomically)
    and make everything owner-only."""
    exposed: list[Path] = []  # a team store's rights are the database's, not modes
    if isinstance(store, Store):
        exposed = privacy.exposed(store.root)
        if fix and exposed:
            privacy.fix_permissions(store.root)
    findings, unreadable, locked = [], [], []
    for path in store.files():
        try:
            s = store.load(path)
        except BadSession:
            unreadable.append(path)
            continue
        found = _mask(s, path)
        if found.count:
            findings.append(found)
            if fix and not _fix(store, s, path):
                locked.append(s.id)
    if fix and findings and isinstance(store, Store):
        _forget_old_text(store)
    return ScanReport(findings, unreadable, exposed, locked)


def _fix(store: SessionStore, s: Session, path: Path) -> bool:
    """Mask one file under its lock; False when a meeting holds it (left for later)."""
    try:
        with store.lock(s):
            # Read again under the lock: a meeting may have saved since.
            fresh = store.load(path)
            _mask(fresh, path)
            store.save(fresh)
    except UserError as e:
        if e.key != "store.locked":
            raise
        return False
    return True


def _forget_old_text(store: Store) -> None:
    """The index held the numbers before they were masked: re-read the masked files,
    then merge the search index so the old words leave its pages too, as purge does."""
    from sfcoach.index import Index

    index = Index(store)
    try:
        index.refresh()
        index.forget_deleted()
    finally:
        index.close()


def _mask(s: Session, path: Path) -> Finding:
    """Mask every identity number in the session's texts; what was found, and where."""
    found = Finding(path)
    refs: list[TextRef | NameRef] = [*session_texts(s), *session_names(s)]
    for text in refs:
        masked, n = privacy.mask_ids(text.get())
        if n:
            found.fields.append(text.where)
            found.count += n
            text.set(masked)
    return found
