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


# --- word wrapping ----------------------------------------------------------------------

_CODE = re.compile("\x1b\\[[0-9;]*m")
# What a continuation line hangs under: the indent, then a marker or a short label
# ("↳ ", "• ", "(3/10) ", a date, "Tip: "), so a wrapped tip or follow-up reads as one block.
_HANG = re.compile(r"(\s*)(?:[↳•] |\(\d+/\d+\) |\d{4}-\d\d-\d\d +|[^\s:]{1,14}: )?")
_WORD = re.compile(r"\S+")


def width_of(stream: TextIO) -> int | None:
    """The columns to wrap at, or None where lines must stay whole (a pipe, a file:
    scripts read them line by line). Read on every call, so a resized terminal's next
    lines use its new width."""
    try:
        if not stream.isatty():
            return None
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return None
    # One column spare: a terminal that wraps eagerly at the last column would add a
    # blank row after a line that fills it exactly.
    return columns - 1 if columns > 1 else None


def visible(line: str) -> str:
    """The line as it shows: without the style's escape codes."""
    return _CODE.sub("", line)


def wrap_all(lines: list[str], width: int | None) -> list[str]:
    """Each line wrapped (see `wrap`); a line with line breaks is wrapped per line."""
    if width is None:
        return lines
    return [row for line in lines for part in line.split("\n") for row in wrap(part, width)]


def wrap(line: str, width: int | None) -> list[str]:
    """One line (possibly styled) as rows of at most `width` visible characters, broken
    between words, continuation rows indented to hang under the first row's text. A
    word longer than a row is split, as nothing else fits."""
    shown = visible(line)
    if width is None or len(shown) <= width:
        return [line]
    indent = hang_of(shown, width)
    starts = _breaks(shown, width, indent)
    return _cut(line, starts, indent)


def hang_of(shown: str, width: int) -> int:
    """How far a line's continuation rows are indented: under the text after its indent
    and mark, or under its indent where that would leave too narrow a column."""
    hang = _HANG.match(shown)
    if hang is None:
        return 0
    return hang.end() if hang.end() <= width // 2 else min(len(hang.group(1)), width // 2)


def _breaks(shown: str, width: int, indent: int) -> list[tuple[int, int]]:
    """(start, end) of each row in the visible text; the first row keeps its indent."""
    rows: list[tuple[int, int]] = []
    start, end, room = 0, -1, width
    for word in _WORD.finditer(shown):
        w0, w1 = word.span()
        if end >= 0 and w1 - start > room and w1 - w0 <= width - indent:
            rows.append((start, end))
            start, end, room = w0, -1, width - indent
        while w1 - start > room:  # a word wider than a row
            rows.append((start, start + room))
            start, room = start + room, width - indent
        end = w1
    rows.append((start, max(end, start)))
    return rows


def _cut(line: str, rows: list[tuple[int, int]], indent: int) -> list[str]:
    """The styled line cut at the visible rows. Escape codes stay where they were, so a
    style open at a row's end carries over to the next row (the terminal keeps it)."""
    out: list[str] = []
    current: list[str] = []
    row, pos, i = 0, 0, 0
    while i < len(line):
        code = _CODE.match(line, i)
        if code:
            current.append(code.group())
            i = code.end()
            continue
        if row + 1 < len(rows) and pos >= rows[row + 1][0]:
            out.append("".join(current))
            current, row = [" " * indent], row + 1
        if rows[row][0] <= pos < rows[row][1]:
            current.append(line[i])
        pos += 1
        i += 1
    out.append("".join(current))
    return out
