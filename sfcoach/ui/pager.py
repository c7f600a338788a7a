"""Long review output at a terminal goes through a pager, as git and gh do.

Only when standard output is a terminal and the output is taller than it: the
output is rendered first, into a buffer that looks like that terminal (so it
wraps and styles the same), then shown at once or handed to `$PAGER` (default
`less`, with `LESS=FRX` unless set: quit when it fits, keep the colours, leave
the text on the screen). Pipes and files get the output as before.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from typing import TextIO


class _Screenlike(io.StringIO):
    """A buffer that answers as the terminal it stands in for, so that width and
    colour are chosen as for the terminal itself."""

    def __init__(self, terminal: TextIO) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.terminal.fileno()


def _rows(stream: TextIO) -> int | None:
    try:
        return os.get_terminal_size(stream.fileno()).lines if stream.isatty() else None
    except (OSError, ValueError, AttributeError):
        return None


@contextlib.contextmanager
def paged(env: Mapping[str, str] | None = None) -> Iterator[None]:
    """Within the block, standard output is collected; at its end it is shown, through
    the pager when it has more lines than the terminal has rows."""
    terminal = sys.stdout
    rows = _rows(terminal)
    if rows is None:
        yield
        return
    buffer = _Screenlike(terminal)
    with contextlib.redirect_stdout(buffer):
        yield
    text = buffer.getvalue()
    if text.count("\n") < rows or not _page(text, os.environ if env is None else env):
        terminal.write(text)
        terminal.flush()


def _page(text: str, env: Mapping[str, str]) -> bool:
    """Show text in the pager; False when there is none to run (then print it)."""
    command = shlex.split(env.get("PAGER", "less"))
    if not command or command == ["cat"]:
        return False
    pager_env = {**env, "LESS": env.get("LESS", "FRX")}
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=pager_env)
    except OSError:
        return False
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert pager.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # quit before reading it all
            pager.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        with contextlib.suppress(BrokenPipeError):
            pager.stdin.close()
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True
