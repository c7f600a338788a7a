"""Telling a person at a terminal that the index takes a while to update.

A first build over thousands of sessions can take minutes; without a word it
looks like a hang. One line on stderr, redrawn in place; nothing in a pipe
and nothing for updates too small to notice."""

from __future__ import annotations

import sys
from typing import TextIO

from sfcoach.i18n import number, t

SHOW_FROM = 2000  # files: about five seconds of reading


class IndexProgress:
    def __init__(self, lang: str, stream: TextIO) -> None:
        self.lang = lang
        self.stream = stream
        self._width = 0

    @classmethod
    def for_stderr(cls, lang: str) -> IndexProgress | None:
        return cls(lang, sys.stderr) if sys.stderr.isatty() else None

    def waiting(self) -> None:
        self.stream.write(t("index.waiting", self.lang) + "\n")
        self.stream.flush()

    def reading(self, done: int, total: int) -> None:
        if total < SHOW_FROM:
            return
        grouped = {
            k: number(v, self.lang, decimals=0) for k, v in (("done", done), ("total", total))
        }
        line = t("index.reading", self.lang, **grouped)
        # \r and spaces, not an escape sequence: a dumb terminal redraws this too.
        self.stream.write("\r" + line.ljust(self._width))
        self._width = len(line)
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
