"""Minimal ANSI styling, so the first question needs no heavy library.

Colour is off when NO_COLOR is set, TERM is dumb, or output is not a terminal.
`safe()` is the meeting screen's output boundary: a whole line, styled, with
every escape sequence but the style's own made inert (textsafe says why this
renderer stays beside rich and prompt-toolkit).
"""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

from sfcoach.textsafe import printable, printable_except

# The only escape sequences Ansi and Mono write: bold, dim, cyan, yellow, bold reverse, reset.
_OWN_CODES = re.compile("\x1b\\[(?:0|1|2|33|36|1;7)m")


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

    def safe(self, line: str) -> str:
        """A line ready for the terminal: control characters from stored or typed text
        shown as stand-ins, none acted on."""
        return printable(line)


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

    def safe(self, line: str) -> str:
        # A stored `ESC[1m` here would pass as one of ours (bold at worst): ui/view filters
        # stored text before styling it, so only lines built elsewhere keep that gap.
        return printable_except(line, _OWN_CODES)


class Mono(Ansi):
    """A terminal without colour: bold and reverse video still work."""

    def accent(self, s: str) -> str:
        return s

    def warn(self, s: str) -> str:
        return self.bold(s)

    def dim(self, s: str) -> str:
        return s


def for_stream(stream: TextIO | None = None) -> Plain:
    stream = sys.stdout if stream is None else stream  # looked up now: tests replace it
    if not stream.isatty() or os.environ.get("TERM") == "dumb":
        return Plain()
    return Mono() if os.environ.get("NO_COLOR") else Ansi()
