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
    return Doomed(path, s.id, s.client, (s.ended or s.started)[:10])


def purge(store: Store, doomed: list[Doomed], client: str | None) -> int:
    """Remove the files, then everything derived from them. Returns how many went."""
    from sfcoach.index import Index

    removed = 0
    for item in doomed:
        with contextlib.suppress(FileNotFoundError):
            item.path.unlink()
            removed += 1
        for extra in item.path.parent.glob(f".{item.id}.*"):  # its lock and any temp file
            with contextlib.suppress(OSError):
                extra.unlink()
    if client is not None:
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


def scan(store: Store, fix: bool) -> ScanReport:
    """Sessions holding unmasked identity numbers (e.g. saved with --ids keep), and files
    or folders open to others; with `fix`, mask the numbers (each file saved atomically)
    and make everything owner-only."""
    exposed = privacy.exposed(store.root)
    if fix and exposed:
        privacy.fix_permissions(store.root)
    findings, unreadable = [], []
    for path in store.files():
        try:
            s = store.load(path)
        except BadSession:
            unreadable.append(path)
            continue
        found = _mask(s, path)
        if found.count:
            findings.append(found)
            if fix:
                with store.lock(s):
                    # Read again under the lock: a meeting may have saved since.
                    fresh = store.load(path)
                    _mask(fresh, path)
                    store.save(fresh)
    return ScanReport(findings, unreadable, exposed)


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
