"""Writing a user-chosen output file (exports): owner-only, atomic, clear errors."""

from __future__ import annotations

from pathlib import Path

from sfcoach import fsio
from sfcoach.errors import UserError


def write_private(path: Path, text: str) -> None:
    """Client data leaves the store only as a 0600 file (see fsio.write_private)."""
    path = path.expanduser()
    try:
        fsio.write_private(path, fsio.decoded(text).encode("utf-8"))
    except IsADirectoryError:
        raise UserError("output.is-dir", path=str(path)) from None
    except fsio.NotRegular:
        raise UserError("output.not-file", path=str(path)) from None
    except OSError as e:
        raise UserError("output.failed", path=str(path), why=e.strerror or str(e)) from None
