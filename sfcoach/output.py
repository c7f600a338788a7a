"""Writing a user-chosen output file (exports): owner-only, atomic, clear errors."""

from __future__ import annotations

from pathlib import Path

from sfcoach.errors import UserError


def write_private(path: Path, text: str) -> None:
    """Client data leaves the store only as a 0600 file, written whole or not at all."""
    from sfcoach.store import write_atomic

    path = path.expanduser()
    if path.is_dir():
        raise UserError("output.is-dir", path=str(path))
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as e:
        raise UserError("output.failed", path=str(path), why=e.strerror or str(e)) from None
