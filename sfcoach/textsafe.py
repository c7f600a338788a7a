"""The one filter between stored or typed text and a terminal.

Session files may come from a colleague, a hand edit or an attacker, and an
answer may be pasted with anything in it. Shown raw, `ESC[2J` clears the
reader's screen, `ESC]0;…BEL` retitles the window, `ESC[8m` hides what
follows, and a bidi override (U+202E) makes text read backwards. So every
text that came from a file or a user passes `printable()` where it is
written, in every renderer:

- rich (`render.py`): tables, panels and the long `sessions show` and
  `history` views. It costs ~90 ms to import, so only commands whose output
  needs its layout use it; rich parses `[…]` as markup, hence `markup()`.
- `_Lines` in `render.py` with `ui/style.py`: plain lines and aligned
  columns for the hot review commands (`sessions list`, `search`, `stats`),
  which would double their time with rich.
- `ui/style.py` also styles the meeting screen: the first question appears
  before prompt-toolkit (~170 ms) has loaded, and plain mode never loads it.
- prompt-toolkit (`ui/terminal.py`): the input line and the bottom bar, which
  need its line editing and redrawing. It shows control characters in the
  input as `^[`, so only text we hand it (the toolbar) is filtered.

The filter replaces each control character with a visible stand-in instead of
dropping it: what was stored stays readable (`␛[2J`), nothing is hidden, and
the terminal receives no byte it would act on. Pure, no imports beyond re.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, line/paragraph separators,
# bidi embeddings, overrides and isolates, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_IN_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL: the Control Pictures block
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(text: str, lines: bool = True) -> str:
    """`text` with nothing a terminal would act on. Tabs and newlines are kept, unless
    `lines` is False: then they too are shown as stand-ins (a path in FILE:LINE: output)."""
    return (_UNSAFE if lines else _UNSAFE_IN_LINE).sub(_stand_in, text)


def printable_except(text: str, kept: re.Pattern[str]) -> str:
    """`printable`, but the sequences `kept` matches pass: a line a style has already
    wrapped in its own few escape codes (see ui/style), filtered as a whole."""
    parts = kept.split(text)
    spans = kept.findall(text)
    out = [printable(parts[0])]
    for span, part in zip(spans, parts[1:], strict=True):
        out += [span, printable(part)]
    return "".join(out)


def one_line(text: str) -> str:
    """`printable`, on one line: runs of whitespace (newlines too) become one space,
    so a field in a column or a heading cannot start a fake line of its own."""
    return printable(" ".join(text.split()))


def markup(text: str) -> str:
    """`printable` and inert inside rich markup: `[bold]` or `[/x]` in stored text is
    shown as written, never styled and never a MarkupError."""
    from rich.markup import escape

    return escape(printable(text))


def json_text(text: str) -> str:
    """JSON already dumped with ensure_ascii=False, with the characters a terminal acts on
    that JSON leaves raw (C1, bidi, separators) written as \\u escapes: the same data, safe
    to print. JSON itself escapes C0 controls."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
