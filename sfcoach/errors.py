"""Errors a user can cause, and the exit codes they map to.

Every layer raises `UserError` with a message key from `i18n`; the CLI turns
it into one translated line and exit code 1 in one place. Bad option values are
usage errors (2, click's), and a bug is 70 (EX_SOFTWARE), so a script can tell
its own mistakes from ours.
"""

from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_USER = 1
EXIT_USAGE = 2
EXIT_SOFTWARE = 70  # sysexits.h: an internal error
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """A problem the user can fix: bad input, unknown id, unwritable folder."""

    exit_code = EXIT_USER

    def __init__(self, message_key: str, /, **params: Any) -> None:
        super().__init__(message_key)
        self.key = message_key
        # A message must not repeat an identity number the user typed as an argument.
        self.params = {k: _masked(v) for k, v in params.items()}

    def message(self, lang: str) -> str:
        from sfcoach.i18n import t

        return t(self.key, lang, **self.params)


def _masked(value: Any) -> Any:
    if not isinstance(value, str) or not any(c.isdigit() for c in value):
        return value
    from sfcoach.privacy import mask_text

    return mask_text(value)


class StoreError(UserError):
    """Saving or reading the store failed (disk full, read-only, ...)."""
