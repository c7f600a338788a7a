"""Plain mode: one line in per question, plain text out; for pipes, files, screen readers."""

from __future__ import annotations

import sys
from typing import TextIO

from sfcoach.ui.style import Plain
from sfcoach.ui.view import Status


class PlainIO:
    tips_default = False  # scripts and screen readers get the questions only; /tips shows them
    editable_prefill = False  # an earlier answer is printed, not put in an input box

    def __init__(self, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
        self.stdin, self.stdout = stdin, stdout
        self.style = Plain()
        self._echo = not stdin.isatty()  # a file's lines are not echoed; end them ourselves

    def write(self, lines: list[str]) -> None:
        if lines:
            self.stdout.write("\n".join(lines) + "\n")
            self.stdout.flush()

    def read(self, label: str = "> ", prefill: str = "", status: Status | None = None) -> str:
        self.stdout.write(label)
        self.stdout.flush()
        line = self.stdin.readline()
        if self._echo:
            self.stdout.write("\n")
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    def close(self) -> None:
        self.stdout.flush()
