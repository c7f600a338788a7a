"""Data protection over a whole store: purge old or one client's sessions, scan for
identity numbers saved unmasked."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sfcoach import privacy
from sfcoach.errors import UserError
from sfcoach.models import Session
from sfcoach.sessionfile import BadSession
from sfcoach.store import Store


@dataclass
class Doomed:
    """A session file to purge, with what the listing shows of it."""

    path: Path
    id: str
    client: str | None
    date: str  # YYYY-MM-DD of its last activity, or "" when the file cannot be read
    locked: bool = False  # open in a meeting when purge came to it: left in place


def plan_purge(store: Store, client: str | None, older_than: int | None) -> list[Doomed]:
    """What a purge would remove; readable files only decide by age, unreadable ones by folder."""
    if (client is None) == (older_than is None):
        raise UserError("purge.which")
    if client is not None:
        alias = store.client_alias(client)
        if not store.own_folder(alias).is_dir():
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


def _doomed(store: Store, path: Path) -> Doomed:
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


def purge(store: Store, doomed: list[Doomed], client: str | None) -> int:
    """Remove the files, then everything derived from them. Returns how many went."""
    from sfcoach.index import Index

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


def _texts(s: Session) -> list[tuple[str, object, str]]:
    """(where, holder, attribute) for every free text of a session."""
    out: list[tuple[str, object, str]] = [("practitioner", s, "practitioner")]
    for i, a in enumerate(s.answers):
        out.append((f"answers[{i}]", a, "text"))
        out += [(f"answers[{i}].followups[{j}]", f, "answer") for j, f in enumerate(a.followups)]
    for i, r in enumerate(s.ratings):
        out += [(f"ratings[{i}].followups[{j}]", f, "answer") for j, f in enumerate(r.followups)]
    out += [(f"steps[{i}]", x, "text") for i, x in enumerate(s.steps)]
    out += [(f"carried[{i}]", x, "text") for i, x in enumerate(s.carried)]
    out += [(f"notes[{i}]", n, "text") for i, n in enumerate(s.notes)]
    return out


def _practice_texts(s: Session) -> list[tuple[str, dict, str]]:
    data = s.practice_data or {}
    out = []
    for key, attr in (("feedback", "text"), ("asked", "text"), ("asked", "answer")):
        items = data.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and isinstance(item.get(attr), str):
                out.append((f"practice_data.{key}[{i}].{attr}", item, attr))
    return out


@dataclass
class ScanReport:
    findings: list[Finding]
    unreadable: list[Path]
    exposed: list[Path]  # files and folders group or others could read (before any fix)
    locked: list[str] = field(default_factory=list)  # ids open in a meeting: not masked


def scan(store: Store, fix: bool) -> ScanReport:
    """Sessions holding unmasked identity numbers (e.g. saved with --ids keep), and files
    or folders open to others; with `fix`, mask the numbers (each file saved atomically)
    and make everything owner-only."""
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
    if fix and findings:
        _forget_old_text(store)
    return ScanReport(findings, unreadable, exposed, locked)


def _fix(store: Store, s: Session, path: Path) -> bool:
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
    for where, holder, attr in _texts(s):
        masked, n = privacy.mask_ids(getattr(holder, attr))
        if n:
            found.fields.append(where)
            found.count += n
            setattr(holder, attr, masked)
    for where, item, attr in _practice_texts(s):
        masked, n = privacy.mask_ids(item[attr])
        if n:
            found.fields.append(where)
            found.count += n
            item[attr] = masked
    for where, holder, key in _name_texts(s):
        masked, n = privacy.mask_ids(holder[key])
        if n:
            found.fields.append(where)
            found.count += n
            holder[key] = masked
    return found


def _name_texts(s: Session) -> list[tuple[str, Any, Any]]:
    """(where, holder, key) for the names a practice keeps: the participants, their roles
    and who gave each feedback."""
    out: list[tuple[str, Any, Any]] = []
    data = s.practice_data or {}
    names, roles, feedback = data.get("names"), data.get("roles"), data.get("feedback")
    if isinstance(names, list):
        out += [(f"practice_data.names[{i}]", names, i) for i in range(len(names))]
    if isinstance(roles, dict):
        out += [(f"practice_data.roles.{k}", roles, k) for k in roles]
    for i, item in enumerate(feedback if isinstance(feedback, list) else []):
        if isinstance(item, dict) and "by" in item:
            out.append((f"practice_data.feedback[{i}].by", item, "by"))
    return [(w, h, k) for w, h, k in out if isinstance(h[k], str)]
