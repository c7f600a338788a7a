"""The interactive screen: question text printed at once, prompt-toolkit for input.

prompt-toolkit costs ~170 ms to import, so the first question is printed
with plain ANSI before it loads; echo is switched off meanwhile, so keys
typed early wait in the terminal's buffer, unechoed, and reach the prompt.
The terminal's line mode turns an early Enter (carriage return) into a line
feed, so Alt-Enter typed early arrives as Esc Ctrl-J: both insert a new line.
Echo is restored at exit even when the session never ran (declined resume,
an error before the first question).
"""

from __future__ import annotations

import atexit
import sys
from typing import Any, TextIO

from sfcoach import privacy
from sfcoach.engine import COMMAND_NAMES
from sfcoach.i18n import phase_name, t
from sfcoach.models import PHASES
from sfcoach.textsafe import printable
from sfcoach.ui import style as styles
from sfcoach.ui.view import Interrupted, RoundBar, Status

MARKER = "› "
SHORT_LABEL = 20  # characters: "Klientens svar: " stays beside the input
# From the fullest bottom bar to the shortest: (with the phase's name, the key hints).
TOOLBAR_FORMS = (
    (True, "toolbar.keys"),
    (True, "toolbar.keys-short"),
    (False, "toolbar.keys-short"),
    (False, "toolbar.keys-min"),
)


def _quiet_echo(stream: TextIO) -> Any:
    """Turn echo off until the prompt takes over; returns the settings to restore."""
    try:
        import termios

        fd = stream.fileno()
        saved = termios.tcgetattr(fd)
        quiet = termios.tcgetattr(fd)
        quiet[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
        return saved
    except Exception:  # not a real terminal (tests, odd platforms): nothing to restore
        return None


class TerminalIO:
    tips_default = True
    editable_prefill = True
    # An accepted line is redrawn with identity numbers masked, so the screen and its
    # scrollback keep no number; the runner turns it off with --ids keep.
    mask_shown = True

    def __init__(
        self, lang: str, stdin: TextIO | None = None, stdout: TextIO | None = None
    ) -> None:
        self.lang = lang
        # Looked up per instance, not bound at import: a test or host may replace them.
        self.stdin = sys.stdin if stdin is None else stdin
        self.stdout = sys.stdout if stdout is None else stdout
        self.style = styles.for_stream(self.stdout)
        self._saved_tty = _quiet_echo(self.stdin)
        if self._saved_tty is not None:
            atexit.register(self.close)  # paths that exit without close() keep an echoing tty
        self._session: Any = None
        self._status: Status | None = None  # what the bar and the mark keys read
        self._bound: set[str] = set()  # mark keys with an Alt binding
        self._typed: str | None = None  # the line as typed, when it is shown masked

    def write(self, lines: list[str]) -> None:
        if lines:
            # The output boundary: lines come styled, so only the style's own codes pass.
            # Wrapped at the width of now, so a resized terminal's next lines fit it.
            safe = [self.style.safe(line) for line in lines]
            self.stdout.write("\n".join(styles.wrap_all(safe, styles.width_of(self.stdout))) + "\n")
            self.stdout.flush()

    def read(self, label: str = "› ", prefill: str = "", status: Status | None = None) -> str:
        session = self._prompt_session()
        label = self._short(label)
        self._status = status
        if status and status.round:
            self._bind_marks(session.key_bindings, status.round)
        # The prefill is the stored answer being edited and stays as it is: prompt-toolkit
        # shows its control characters as ^[ and never sends them to the terminal.
        self._typed = None
        try:
            shown = session.prompt(
                printable(label),
                default=prefill,
                bottom_toolbar=(lambda: self._toolbar(status, _columns())) if status else None,
                refresh_interval=1.0 if status else 0,
            )
        except KeyboardInterrupt:  # the half-typed text goes with it, to be kept as a draft
            raise Interrupted(session.default_buffer.text) from None
        # The runner masks what it saves and says so; it gets the line as typed.
        return shown if self._typed is None else self._typed

    def _masked_on_accept(self, accept: Any) -> Any:
        """The session's accept handler, masking the buffer first, so that the last
        drawing of the input line, the one left on the screen, shows no number."""
        from prompt_toolkit.document import Document

        def accept_masked(buffer: Any) -> Any:
            typed = buffer.text
            shown = privacy.mask_text(typed) if self.mask_shown else typed
            if shown != typed:
                self._typed = typed
                buffer.set_document(Document(shown, len(shown)), bypass_readonly=True)
            return accept(buffer)

        return accept_masked

    def _short(self, label: str) -> str:
        """A label that fits on the input row: a longer one is printed above it.
        prompt-toolkit blanks the whole screen but its toolbar when the label is as
        wide as the terminal, and the user would type blind."""
        width = styles.width_of(self.stdout) or 80
        if len(label) <= min(SHORT_LABEL, width // 3):
            return label
        self.write([label.rstrip()])
        return MARKER

    def echo(self, line: str) -> None:
        """The terminal shows what was typed already."""

    def clear(self) -> None:
        """Blank the screen and its scrollback (ESC[3J), so that what was on it, a role
        card's hidden resources, cannot be scrolled back to."""
        self.stdout.write("\x1b[H\x1b[2J\x1b[3J")
        self.stdout.flush()

    def close(self) -> None:
        saved, self._saved_tty = self._saved_tty, None
        if saved is not None:
            atexit.unregister(self.close)
            import termios

            try:
                termios.tcsetattr(self.stdin.fileno(), termios.TCSANOW, saved)
            except Exception:
                pass

    # --- prompt-toolkit, loaded on first use ----------------------------------

    def _prompt_session(self) -> Any:
        if self._session is None:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.key_binding import KeyBindings
            from prompt_toolkit.styles import Style

            keys = KeyBindings()

            @keys.add("escape", "enter")  # Alt-Enter, or Esc then Enter
            @keys.add("escape", "c-j")  # the same typed early: the tty turned CR into LF
            def _newline(event: Any) -> None:
                event.current_buffer.insert_text("\n")

            self._session = PromptSession(
                key_bindings=keys,
                completer=_command_completer(self.lang),
                complete_while_typing=False,
                prompt_continuation=_continuation,
                style=Style.from_dict(
                    {
                        "bottom-toolbar": "noreverse bg:ansibrightblack ansiwhite",
                        "bottom-toolbar plus-on": "bold reverse",
                        "bottom-toolbar plus-off": "",
                        "bottom-toolbar unsaved": "bold ansired",
                        "bottom-toolbar urgent": "bold bg:ansired ansiwhite",
                    }
                ),
            )
            buffer = self._session.default_buffer
            buffer.accept_handler = self._masked_on_accept(buffer.accept_handler)
        return self._session

    def _bind_marks(self, keys: Any, bar: RoundBar) -> None:
        """Alt+key (Esc, key) marks for the observer while the coach's answer is being
        typed; only in a round's conversation, elsewhere the keys do what they always do."""
        from prompt_toolkit.filters import Condition

        for key in set(bar.keys) - self._bound:
            self._bound.add(key)

            def active(key: str = key) -> bool:
                bar = self._status.round if self._status else None
                return bar is not None and bar.stage == "conversation" and key in bar.keys

            @keys.add("escape", key, filter=Condition(active))
            def _mark(event: Any, key: str = key) -> None:
                if self._status and self._status.round:
                    self._status.round.mark(key)
                event.app.invalidate()  # the counts in the bar, now

    def _toolbar(self, status: Status, width: int | None = None) -> list[tuple[str, str]]:
        """The bottom bar, shortened until it fits `width` columns: the key hints first,
        then the phase's name; the letters, the count, the clock, /help and a warning stay.
        A practice round has rows of its own."""
        if status.round is not None:
            room = (width or styles.width_of(self.stdout) or 80) - 1
            return round_rows(status, status.round, room)
        parts: list[tuple[str, str]] = []
        for named, keys in TOOLBAR_FORMS:
            parts = self._toolbar_parts(status, named, keys)
            if width is None or sum(len(text) for _, text in parts) <= width:
                break
        return parts

    def _toolbar_parts(self, status: Status, named: bool, keys: str) -> list[tuple[str, str]]:
        lang = status.lang
        parts = _plus(status, named)
        parts.append(("", f" · {status.clock()}"))
        if status.unsaved:
            parts.append(("class:unsaved", "  " + t("toolbar.unsaved", lang)))
        parts.append(("", "  " + t(keys, lang)))
        return parts


def _plus(status: Status, named: bool = True) -> list[tuple[str, str]]:
    """P  L  U  S  with the current phase lit, its name and the question number."""
    parts: list[tuple[str, str]] = [("", " ")]
    for p in PHASES:
        parts.append(("class:plus-on" if p == status.phase else "class:plus-off", f" {p} "))
    if status.phase and named:
        parts.append(("", f"  {printable(phase_name(status.phase, status.lang))}"))
    if status.total:
        parts.append(("", f" · {status.number}/{status.total}"))
    return parts


# --- a practice round's bar -------------------------------------------------------------
# Whose turn it is stays on screen: the roles, the card, the time left and the tally, each
# row made to fit the terminal by shorter words, then shorter names, never cut at the edge.


def round_rows(status: Status, bar: RoundBar, width: int) -> list[tuple[str, str]]:
    rows = [[("", _who(status.lang, bar, width))], _time_and_card(status, bar, width)]
    if bar.stage == "conversation":
        rows.append([("", _tally(status.lang, bar, width))])
    rows.append(_stage(status, bar, width))
    out: list[tuple[str, str]] = []
    for row in rows:
        out += [*row, ("", "\n")]
    return out[:-1]


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _width(parts: list[tuple[str, str]]) -> int:
    return sum(_cells(text) for _, text in parts)


def _shorten(text: str, width: int) -> str:
    """`text` in at most `width` cells: whole, or shortened with an ellipsis."""
    from rich.cells import set_cell_size

    if _cells(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "…" if width > 0 else ""


def _first_fit(variants: list[str], width: int) -> str:
    return next((v for v in variants if _cells(v) <= width), _shorten(variants[-1], width))


def _who(lang: str, bar: RoundBar, width: int) -> str:
    def row(short: bool, name_cells: int | None) -> str:
        def name(n: str) -> str:
            return printable(n if name_cells is None else _shorten(n, name_cells))

        suffix = "-short" if short else ""
        parts = [
            t("toolbar.round" + suffix, lang, n=bar.round, of=bar.rounds),
            t("toolbar.coach" + suffix, lang, name=name(bar.coach)),
            t("toolbar.client", lang, name=name(bar.client)),
        ]
        if bar.observer:
            parts.append(t("toolbar.observer" + suffix, lang, name=name(bar.observer)))
        return " " + " · ".join(parts)

    variants = [row(False, None), row(True, None)]
    variants += [row(True, n) for n in range(12, 2, -1)]
    return _first_fit(variants, width)


def _time_and_card(status: Status, bar: RoundBar, width: int) -> list[tuple[str, str]]:
    from sfcoach.ui.view import mmss

    lang, elapsed, limit = status.lang, status.elapsed(), status.limit or 0
    if bar.stage == "feedback":
        clock, style = t("toolbar.used", lang, time=mmss(elapsed)), ""
    elif limit and elapsed > limit:
        clock, style = t("toolbar.over", lang, time=mmss(elapsed - limit)), "class:urgent"
    else:
        clock, style = t("toolbar.left", lang, time=mmss(max(limit - elapsed, 0))), ""
    clock = f" {clock} "
    room = width - _cells(clock) - 2
    title = printable(bar.card)
    variants = [
        t("toolbar.card", lang, title=title, level=bar.level),
        t("toolbar.card-short", lang, title=title, level=bar.level),
    ]
    for cells in range(_cells(title) - 1, 0, -1):
        variants.append(
            t("toolbar.card-short", lang, title=_shorten(title, cells), level=bar.level)
        )
    return [(style, clock), ("", "· " + _first_fit(variants, room) if room > 3 else "")]


def _tally(lang: str, bar: RoundBar, width: int) -> str:
    counts = bar.counts()
    marks = " ".join(f"{key}{counts.get(mark, 0)}" for key, mark in bar.keys.items())
    label, hint = t("toolbar.tally", lang), t("toolbar.mark-hint", lang)
    return _first_fit([f" {label} {marks} · {hint}", f" {label} {marks}", f" {marks}"], width)


def _stage(status: Status, bar: RoundBar, width: int) -> list[tuple[str, str]]:
    lang = status.lang
    unsaved = [("class:unsaved", "  " + t("toolbar.unsaved", lang))] if status.unsaved else []
    room = width - _width(unsaved)
    if bar.stage == "intro":
        client = printable(bar.client)
        words = [t("toolbar.intro", lang, client=client), t("toolbar.intro-short", lang)]
        return [("", _first_fit([" " + w for w in words], room)), *unsaved]
    if bar.stage == "feedback":
        who = {"giver": printable(bar.giver), "client": printable(bar.client)}
        words = [t("toolbar.feedback", lang, **who), t("toolbar.feedback-short", lang)]
        return [("", _first_fit([" " + w for w in words], room)), *unsaved]
    parts = _plus(status)
    if _width(parts) > room:  # the phase's name goes first, the letters and the number stay
        parts = _plus(status, named=False)
    used = _width(parts)
    hint = _first_fit(
        ["  " + t("toolbar.keys", lang), "  " + t("toolbar.help", lang), ""], room - used
    )
    return [*parts, *unsaved, ("", hint)]


def _columns() -> int | None:
    """The terminal's width now, as prompt-toolkit sees it (it follows a resize)."""
    from prompt_toolkit.application import get_app

    try:
        return int(get_app().output.get_size().columns)
    except Exception:  # no running application: no limit
        return None


def _continuation(width: int, line: int, wraps: int) -> str:
    """What starts an input row after the first: '…' for a new line typed with
    Alt-Enter, only an indent where a long line wraps at the edge, so the two differ."""
    return " " * width if wraps else "… ".rjust(width)


def _command_completer(lang: str) -> Any:
    from prompt_toolkit.completion import Completer, Completion

    names = sorted(set(COMMAND_NAMES["en"]) | set(COMMAND_NAMES.get(lang, ())))

    class Commands(Completer):
        """Tab after '/' offers the session commands; plain answers get no completion."""

        def get_completions(self, document: Any, complete_event: Any) -> Any:
            text = document.text_before_cursor
            if not text.startswith("/") or " " in text:
                return
            for name in names:
                if f"/{name}".startswith(text.casefold()):
                    yield Completion(f"/{name}", start_position=-len(text))

    return Commands()
