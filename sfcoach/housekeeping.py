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
from sfcoach.store import Store, validate_alias
from sfcoach.texts import session_texts


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
        alias = validate_alias(client)
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
        folder = store.root / validate_alias(client)
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
    for text in session_texts(s):
        masked, n = privacy.mask_ids(text.get())
        if n:
            found.fields.append(text.where)
            found.count += n
            text.set(masked)
    return found
