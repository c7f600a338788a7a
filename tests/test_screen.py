"""The screen as a person sees it: the installed `sfcoach` in a pseudo-terminal of a given
size, its output fed to a terminal emulator (pyte), and the assertions made on the rows
the emulator shows, not on the bytes written.

What is checked is what a caseworker reading aloud needs: every word of a long question
and tip whole on the screen, no row ending inside a word, the question still there while
typing, and prompts that never blank the screen.
"""

from __future__ import annotations

import itertools
import os
import re
import time

import pexpect
import pyte
import pytest
from helpers import ROOT, SFCOACH

from sfcoach import practice
from sfcoach.bank import load_builtin
from sfcoach.models import text_in

ROWS = 24
WIDTHS = (60, 80, 100)
FIRST_VISIT = load_builtin("first-visit")
MIRACLE = next(q for q in FIRST_VISIT.phase("L").questions if q.id == "miracle")
WORDS = {
    "en": {
        "phase": "/phase L",
        "end": "/end",
        "summary": "Summary",
        "confirm": "Save as completed?",
    },
    "sv": {
        "phase": "/fas L",
        "end": "/avsluta",
        "summary": "Sammanfattning",
        "confirm": "Spara som avslutat?",
    },
}
WAIT = 20.0


class Screen:
    """A program in a pty of rows x cols, and the screen it draws."""

    def __init__(self, tmp_path, args: list[str], cols: int, rows: int = ROWS) -> None:
        env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color"}
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            SFCOACH, args, env=env, dimensions=(rows, cols), cwd=str(tmp_path), timeout=WAIT
        )

    def close(self) -> None:
        if self.child.isalive():
            self.child.close(force=True)

    @property
    def text(self) -> str:
        """The screen's rows joined by spaces: what a reader sees, rows run together."""
        return " ".join(row.rstrip() for row in self.screen.display)

    def until(self, *shown: str) -> None:
        """Read output until every text in `shown` is on the screen (rows joined by
        spaces, runs of spaces as one) and the input marker is drawn."""
        deadline = time.monotonic() + WAIT
        while not self._has(*shown):
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen: {shown}\n" + "\n".join(self.screen.display))
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                if not self._has(*shown):
                    raise AssertionError(
                        f"ended before: {shown}\n" + "\n".join(self.screen.display)
                    ) from None
        self.settle()

    def settle(self) -> None:
        """Take in whatever is still coming, until the output is quiet for a moment."""
        while True:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.3))
            except (pexpect.TIMEOUT, pexpect.EOF):
                return

    def _has(self, *shown: str) -> bool:
        flat = _squeeze(self.text)
        return all(_squeeze(s) in flat for s in shown)

    def send(self, typed: str) -> None:
        self.child.send(typed)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text) if w]


def assert_words_whole(screen: Screen, text: str) -> None:
    """Every word of `text` stands on the screen as a word, not split over two rows."""
    on_screen = set(words(screen.text))
    missing = [w for w in words(text) if w not in on_screen]
    assert not missing, f"cut or missing: {missing}\n" + "\n".join(screen.screen.display)


def assert_no_row_ends_in_a_word(screen: Screen | list[str]) -> None:
    """No row filled to its last column by a word that goes on at the next row's start."""
    rows = screen if isinstance(screen, list) else screen.screen.display
    for upper, lower in itertools.pairwise(rows):
        assert not (upper[-1].isalpha() and lower[:1].isalpha()), f"{upper!r} / {lower!r}"


@pytest.fixture
def opened():
    screens: list[Screen] = []

    def open_(*args, **kw) -> Screen:
        screen = Screen(*args, **kw)
        screens.append(screen)
        return screen

    yield open_
    for s in screens:
        s.close()


# --- a meeting ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("cols", WIDTHS)
def test_a_long_question_and_its_tip_wrap_between_words_and_the_end_stays_visible(
    tmp_path, opened, cols, lang
):
    start = ["start", "--client", "K1", "--meeting", "first-visit", "--lang", lang]
    screen = opened(tmp_path, [*start, "--practitioner", "A"], cols)
    w = WORDS[lang]
    screen.until("(1/", "›")
    screen.send(w["phase"] + "\r")
    question, tip = text_in(MIRACLE.text, lang), text_in(MIRACLE.tip, lang)
    screen.until(words(question)[-1], words(tip)[-1], "›")
    assert_words_whole(screen, question)
    assert_words_whole(screen, tip)
    assert_no_row_ends_in_a_word(screen)

    # Typing does not hide the question.
    screen.send("Jag vaknar utvilad")
    screen.until("Jag vaknar utvilad")
    assert_words_whole(screen, question)

    # Clear the typing, then end: the summary and the confirmation are both on screen.
    screen.send("\x15" + w["end"] + "\r")
    screen.until(w["summary"], w["confirm"], "›")
    assert_no_row_ends_in_a_word(screen)
    screen.send("j\r" if lang == "sv" else "y\r")
    screen.child.expect(pexpect.EOF)


# --- a practice round ----------------------------------------------------------------

PLATFORM = "Jag vill kunna sova utan att tänka på pengar hela tiden, och orka söka jobb igen."


@pytest.mark.parametrize("cols", [60, 100])
def test_the_usefulness_question_quoting_the_platform_is_visible_when_asked(tmp_path, opened, cols):
    args = ["practice", "--pair", "Anna,Bo", "--rounds", "1", "--minutes", "5", "--lang", "sv"]
    # Rows enough for the whole role card at 60 columns, and for the platform answer to stay
    # on screen through the debrief.
    screen = opened(tmp_path, [*args, "--scenario", "first-application"], cols, rows=60)
    screen.until("skriv /kort", "›")
    screen.send("/kort\r")  # the role card, read by the client
    card = practice.find_card(practice.load_cards(), "first-application")
    screen.until("Enter döljer kortet:", "›")
    for hidden in card.hidden("sv"):
        assert_words_whole(screen, hidden)
    assert_words_whole(screen, card.text("situation", "sv"))
    assert_no_row_ends_in_a_word(screen)
    screen.send("\r")
    screen.until("›")
    screen.send("\r")  # begin the round
    screen.until("(1/", "›")
    screen.send(PLATFORM + "\r")
    screen.until("›")
    screen.send("/avsluta\r")
    screen.until("Spara som avslutat?", "›")
    screen.send("j\r")
    screen.until("Kom fram", "›")  # the debrief: none ticked
    screen.send("\r")
    screen.until("gick bra", "›")
    screen.send("Lugnt tempo\r")
    screen.until("göra mer av", "›")
    screen.send("Fler skalfrågor\r")
    screen.until("0–10?", "›")
    assert_words_whole(screen, PLATFORM)
    assert_no_row_ends_in_a_word(screen)
    screen.send("8\r")
    screen.child.expect(pexpect.EOF)


# --- paper cards ---------------------------------------------------------------------


def printed(tmp_path, args: list[str], cols: int) -> list[str]:
    """The rows a command prints in a terminal `cols` wide, scrolled-off ones included."""
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    child = pexpect.spawn(SFCOACH, args, env=env, dimensions=(24, cols), cwd=str(tmp_path))
    out = child.read()
    child.close()
    screen = pyte.Screen(cols, 1000)
    pyte.ByteStream(screen).feed(out)
    return [row for row in screen.display if row.strip()]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("cols", [60, 80, 200])
def test_bank_cards_show_whole_questions_and_tips_wrapped_inside_the_card(tmp_path, cols, lang):
    rows = printed(tmp_path, ["--lang", lang, "bank", "cards", "first-visit", "--phase", "L"], cols)
    question, tip = text_in(MIRACLE.text, lang), text_in(MIRACLE.tip, lang)
    # The card's borders stand between a row's words; drop them to read the card.
    flat = " ".join(row.replace("│", " ") for row in rows)
    on_screen = set(words(flat))
    missing = [w for w in words(question) + words(tip) if w not in on_screen]
    assert not missing, "\n".join(rows)
    assert all(len(row) <= cols for row in rows)


def test_cards_of_several_banks_say_which_bank_each_is_from(tmp_path):
    rows = printed(tmp_path, ["--lang", "sv", "bank", "cards", "--phase", "S"], 100)
    cards = " ".join(rows).split("╭")[1:]
    assert cards and all("Från:" in card for card in cards)
    for bank_id in ("first-visit", "follow-up", "check-in"):
        assert any(text_in(load_builtin(bank_id).title, "sv") in card for card in cards), bank_id
    one = printed(tmp_path, ["--lang", "sv", "bank", "cards", "check-in", "--phase", "S"], 100)
    assert not any("Från:" in row for row in one)


# --- review output -------------------------------------------------------------------


@pytest.mark.parametrize("cols", [60, 100])
def test_sessions_show_wraps_between_words_and_keeps_the_indent(tmp_path, cols):
    store = str(ROOT / "sessions")
    # K4's closing meeting; the demo's session ids change with every regeneration.
    sid = next((ROOT / "sessions" / "K4").glob("20260921-*.yaml")).stem
    rows = printed(tmp_path, ["--store", store, "--lang", "sv", "sessions", "show", sid], cols)
    assert_no_row_ends_in_a_word(rows)
    answer = "How I keep it going once I start the job and don't have these meetings any more."
    on_screen = set(words(" ".join(rows)))
    assert not [w for w in words(answer) if w not in on_screen], "\n".join(rows)
    # The answer's rows, first and wrapped, stand at its indent under the question.
    first = next(i for i, row in enumerate(rows) if "How I keep it going" in row)
    assert rows[first].startswith("    How I keep")
    assert rows[first + 1].startswith("    ") and rows[first + 1][4] != " "
    assert all(len(row.rstrip()) < cols for row in rows)


def test_history_wraps_between_words_with_the_text_under_its_text(tmp_path):
    store = str(ROOT / "sessions")
    rows = printed(tmp_path, ["--store", store, "--lang", "sv", "history", "K1"], 60)
    assert_no_row_ends_in_a_word(rows)
    first = next(i for i, row in enumerate(rows) if "Jag har tänkt att det här är en period" in row)
    assert rows[first + 1].startswith(" " * 14) and rows[first + 1][14] != " "


# --- the wrapping itself, and where it must not happen ---------------------------------


def test_wrap_breaks_between_words_keeps_styles_and_hangs_tips_and_followups():
    from sfcoach.ui.style import Ansi, visible, wrap

    style = Ansi()
    tip = "  " + style.dim(
        "Tips: Säg den långsamt, med pauser. Tystnaden efteråt betyder att klienten tänker."
    )
    rows = wrap(tip, 40)
    assert [visible(r) for r in rows] == [
        "  Tips: Säg den långsamt, med pauser.",
        "        Tystnaden efteråt betyder att",
        "        klienten tänker.",
    ]
    assert rows[0].startswith("  \x1b[2m") and rows[-1].endswith("\x1b[0m")
    follow = wrap(f"  {style.accent('↳')} {style.bold('Vad mer skulle du lägga märke till?')}", 24)
    assert [visible(r) for r in follow] == ["  ↳ Vad mer skulle du", "    lägga märke till?"]
    assert wrap("ord " * 3, None) == ["ord " * 3]
    assert [len(r) for r in wrap("x" * 25, 10)] == [10, 10, 5]  # a word wider than a row


def test_plain_mode_to_a_pipe_keeps_every_line_whole():
    import io

    from sfcoach.ui.plain import PlainIO

    out = io.StringIO()
    line = "ord " * 100
    PlainIO(stdin=io.StringIO("svar\n"), stdout=out).write([line])
    assert out.getvalue() == line + "\n"


def test_a_long_prompt_label_is_printed_above_a_short_marker():
    import io

    from sfcoach.ui.terminal import MARKER, TerminalIO

    out = io.StringIO()
    term = TerminalIO("sv", stdin=io.StringIO(), stdout=out)
    label = "Spara som avslutat? j = ja, annat = tillbaka till samtalet: "
    assert term._short(label) == MARKER
    assert out.getvalue() == label.rstrip() + "\n"
    assert term._short("Klientens svar: ") == "Klientens svar: "


def test_the_next_question_after_a_resize_wraps_at_the_new_width(tmp_path, opened):
    start = ["start", "--client", "K1", "--meeting", "first-visit", "--lang", "en"]
    screen = opened(tmp_path, [*start, "--practitioner", "A"], 100)
    screen.until("(1/", "›")
    screen.child.setwinsize(ROWS, 60)
    # A terminal reflows what it showed on its own; only what comes next is sfcoach's.
    screen.screen.resize(ROWS, 60)
    screen.screen.reset()
    screen.send("/phase L\r")
    question = text_in(MIRACLE.text, "en")
    screen.until(words(question)[-1], "›")
    assert_words_whole(screen, question)
    assert_no_row_ends_in_a_word(screen)
