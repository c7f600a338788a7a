"""Plain mode: one line in per question, plain text out; for pipes, files, screen readers."""

from __future__ import annotations

import sys
from typing import TextIO

from sfcoach.ui.style import Plain, width_of, wrap_all
from sfcoach.ui.view import Status

ECHO_MAX = 200


class PlainIO:
    tips_default = False  # scripts and screen readers get the questions only; /tips shows them
    editable_prefill = False  # an earlier answer is printed, not put in an input box
    mask_shown = True  # the echo of a file's line is masked by the runner already

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        # Looked up per instance, not bound at import: a test or host may replace them.
        self.stdin = sys.stdin if stdin is None else stdin
        self.stdout = sys.stdout if stdout is None else stdout
        self.style = Plain()
        # A file's lines are not echoed by a terminal: echo them, so the output reads as
        # a transcript of which answer went to which question.
        self._echo = not self.stdin.isatty()

    def write(self, lines: list[str]) -> None:
        if lines:
            # The output boundary: a step from last meeting's file or a pasted answer
            # shows its escape sequences as text, never acts on them.
            # On a terminal, wrapped between words; to a pipe or file, one line each.
            safe = [self.style.safe(line) for line in lines]
            self.stdout.write("\n".join(wrap_all(safe, width_of(self.stdout))) + "\n")
            self.stdout.flush()

    def read(self, label: str = "> ", prefill: str = "", status: Status | None = None) -> str:
        rows = wrap_all([self.style.safe(label)], width_of(self.stdout))
        if len(rows) > 1:  # on a narrow terminal: between words, the answer after the last
            rows[-1] += " "
        self.stdout.write("\n".join(rows))
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.echo("")
            raise EOFError
        return line.rstrip("\r\n")

    def echo(self, line: str) -> None:
        """Show a line read from a file, once it is masked (the runner calls this)."""
        if self._echo:
            shown = line if len(line) <= ECHO_MAX else line[:ECHO_MAX] + "…"
            self.stdout.write(self.style.safe(shown) + "\n")

    def close(self) -> None:
        self.stdout.flush()
