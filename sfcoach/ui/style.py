"""Minimal ANSI styling, so the first question needs no heavy library.

Colour is off when NO_COLOR is set, TERM is dumb, or output is not a terminal.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO


class Plain:
    """No styling at all: plain mode, pipes, NO_COLOR."""

    def bold(self, s: str) -> str:
        return s

    def dim(self, s: str) -> str:
        return s

    def accent(self, s: str) -> str:
        return s

    def warn(self, s: str) -> str:
        return s

    def current(self, s: str) -> str:
        return f"[{s}]"

    def other(self, s: str) -> str:
        return f" {s} "

    def mark(self, s: str) -> str:
        """A matched word in a search hit."""
        return f"«{s}»"


class Ansi(Plain):
    def bold(self, s: str) -> str:
        return f"\x1b[1m{s}\x1b[0m"

    def dim(self, s: str) -> str:
        return f"\x1b[2m{s}\x1b[0m"

    def accent(self, s: str) -> str:
        return f"\x1b[36m{s}\x1b[0m"

    def warn(self, s: str) -> str:
        return f"\x1b[33m{s}\x1b[0m"

    def current(self, s: str) -> str:
        return f"\x1b[1;7m {s} \x1b[0m"

    def other(self, s: str) -> str:
        return f"\x1b[2m {s} \x1b[0m"

    def mark(self, s: str) -> str:
        return f"\x1b[1;7m{s}\x1b[0m"


class Mono(Ansi):
    """A terminal without colour: bold and reverse video still work."""

    def accent(self, s: str) -> str:
        return s

    def warn(self, s: str) -> str:
        return self.bold(s)

    def dim(self, s: str) -> str:
        return s


def for_stream(stream: TextIO = sys.stdout) -> Plain:
    if not stream.isatty() or os.environ.get("TERM") == "dumb":
        return Plain()
    return Mono() if os.environ.get("NO_COLOR") else Ansi()
