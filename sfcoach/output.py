"""Writing a user-chosen output file (exports): owner-only, atomic, clear errors."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sfcoach.errors import UserError


def write_private(path: Path, text: str) -> None:
    """Client data leaves the store only as a 0600 file, written whole or not at all."""
    path = path.expanduser()
    if path.is_dir():
        raise UserError("output.is-dir", path=str(path))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UserError("output.failed", path=str(path), why=e.strerror or str(e)) from None
