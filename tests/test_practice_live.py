"""Practice at the moment of use: whose turn it is in the bar, the observer's live tally,
a role card that stays hidden, and a flow that says what comes next.

The screen tests run the installed `sfcoach` in a pseudo-terminal whose output is fed to a
terminal emulator (pyte) that answers prompt-toolkit's cursor-position requests, so the
bottom bar is drawn as in a real terminal; assertions are made on the rows it shows and
on the rows scrolled into its history.
"""

from __future__ import annotations

import io
import os
import re
import time

import pexpect
import pyte
import pytest
from helpers import SFCOACH, Script, lines, meeting_lines, sf, sf_json

from sfcoach import practice, sessionfile
from sfcoach.bank import load_builtin
from sfcoach.i18n import t
from sfcoach.models import CATEGORIES, Answer, Followup, Mark, PracticeRound, Session
from sfcoach.store import Store
from sfcoach.ui.terminal import TerminalIO
from sfcoach.ui.view import RoundBar, Status

PRACTICE = load_builtin("practice")
WAIT = 20.0


# --- the tally's keys, in the session's language -----------------------------------------


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_mark_has_its_own_key_taken_from_the_word_shown(lang):
    keys = practice.mark_keys(lang)
    assert sorted(keys.values()) == sorted([*CATEGORIES, practice.WHAT_ELSE])
    for key, mark in keys.items():
        assert len(key) == 1
        word = t("practice.mark.what-else" if mark == "what-else" else f"category.{mark}", lang)
        assert key in word.casefold(), (key, word)
    assert "what-else" not in practice.category_keys(lang).values()


def test_swedish_u_is_undantag_and_english_e_is_exception():
    assert practice.mark_keys("sv")["u"] == "exception"
    assert practice.mark_keys("sv")["v"] == "what-else"
    assert practice.mark_keys("en")["e"] == "exception"
    assert practice.mark_keys("en")["w"] == "what-else"


def _round(marks: list[Mark], asked=()) -> Session:
    s = Session("20261130-100000-aaaa", None, "practice", "practice", 1, "sv", practice=True)
    s.answers = [Answer("P", "best-hopes", "x", [Followup("Vad mer?", "y")])]
    s.practice_data = PracticeRound(marks=marks, asked=list(asked))
    return s


def test_marks_add_to_the_same_counts_as_the_bank_and_ask():
    from sfcoach.models import OwnQuestion

    marks = [Mark("exception", "P"), Mark("exception", "P"), Mark("what-else", "P")]
    counted = practice.tally(_round(marks, [OwnQuestion("Vad hjälpte?", "exception")]), PRACTICE)
    assert counted.by_type["platform"] == 1  # the bank's own label
    assert counted.by_type["exception"] == 3  # two marks and one /ask
    assert counted.followups == 2  # the bank's "what else?" and the marked one
    assert counted.marked == {"exception": 2, "what-else": 1}
    assert counted.live()["what-else"] == 2 and counted.questions == 4


def test_a_mark_of_an_unknown_kind_in_a_hand_edited_file_counts_for_nothing():
    counted = practice.tally(_round([Mark("shouting", "P")]), PRACTICE)
    assert counted.questions == 1 and counted.followups == 1


def test_marks_are_kept_in_the_session_file_and_old_files_still_load():
    s = _round([Mark("coping", "U", "2026-11-30T10:00:00+00:00")])
    data = sessionfile.to_dict(s)
    assert data["practice_data"]["marks"] == [
        {"kind": "coping", "phase": "U", "at": "2026-11-30T10:00:00+00:00"}
    ]
    assert sessionfile.from_dict(data).practice_data.marks == s.practice_data.marks
    del data["practice_data"]["marks"]  # a round saved before marks existed
    assert sessionfile.from_dict(data).practice_data.marks == []


# --- the bar ---------------------------------------------------------------------------


def _bar(stage: str, lang: str = "sv", long: bool = False) -> tuple[Status, RoundBar]:
    names = ("Maria-Josefina Andersson-Lindqvist", "Bo Karlsson-Öberg", "Cia Lindström-Ek")
    status = Status(lang, lambda: 61.0)
    status.limit, status.phase, status.number, status.total = 60.0, "U", 7, 10
    bar = RoundBar(
        round=2, rounds=3, coach=names[0] if long else "Anna", client=names[1] if long else "Bo",
        observer=names[2] if long else "Cia", giver="Cia", level=3,
        card="Efter fängelset: en ny start med skulder hos Kronofogden" if long else "Skulder",
        keys=practice.mark_keys(lang), counts=lambda: {"exception": 2, "what-else": 11},
        mark=lambda key: None, stage=stage,
    )  # fmt: skip
    status.round = bar
    return status, bar


def _rows(status: Status, width: int) -> list[tuple[str, str]]:
    term = TerminalIO(status.lang, stdin=io.StringIO(), stdout=io.StringIO())
    text = "".join(piece for _, piece in term._toolbar(status, width))
    return text.split("\n")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("stage", ["intro", "conversation", "feedback"])
@pytest.mark.parametrize("long", [False, True])
def test_the_bar_fits_60_columns_and_keeps_every_name(lang, stage, long):
    status, bar = _bar(stage, lang, long)
    rows = _rows(status, 60)
    assert all(len(row) <= 59 for row in rows), rows
    who = rows[0]
    for name in (bar.coach, bar.client, bar.observer):  # whole, or shortened with an ellipsis
        assert name in who or re.search(re.escape(name[:2]) + r"[^·]*…", who), (name, who)
    assert "2/3" in who


def test_the_bar_at_100_columns_says_it_in_words():
    status, _ = _bar("conversation", "en")
    rows = _rows(status, 100)
    assert rows[0] == " Round 2/3 · coach Anna · client Bo · observer Cia"
    assert "card: Skulder (level 3)" in rows[1]
    assert rows[2].startswith(" Tally p0 f0 e2 s0 c0 t0 m0 o0 w11 · Alt+key marks")
    assert "Exceptions · 7/10" in rows[3] and "/help" in rows[3]


def test_time_left_then_time_up_in_the_urgent_style():
    status, _ = _bar("conversation", "en")
    term = TerminalIO("en", stdin=io.StringIO(), stdout=io.StringIO())
    over = [(style, text) for style, text in term._toolbar(status, 80) if "TIME IS UP" in text]
    assert over == [("class:urgent", " TIME IS UP +00:01 ")]
    status.elapsed = lambda: 45.0
    rows = "".join(text for _, text in term._toolbar(status, 80))
    assert "00:15 left" in rows and "TIME IS UP" not in rows


def test_the_bar_says_intro_and_feedback_instead_of_the_last_question():
    status, _ = _bar("intro", "sv")
    intro = _rows(status, 80)
    assert intro[-1] == " Bo läser kortet: /kort · Enter startar rundan"
    assert not any("Undantag" in row or "Räknat" in row for row in intro)
    status, _ = _bar("feedback", "sv")
    feedback = _rows(status, 80)
    assert feedback[-1] == " Återkoppling från Cia, sedan betygsätter Bo rundan"
    assert "tid 01:01" in feedback[1]  # the round's time, stopped


# --- plain mode: a practice from a file ---------------------------------------------------


def three_person_round(lang: str = "en") -> list[str]:
    """One round in plain mode with marks, /help and /ask before the first answer, and a
    command typed during the feedback."""
    mark, ask = ("/mark", "/ask") if lang == "en" else ("/markera", "/fråga")
    talk = meeting_lines(PRACTICE, lang, steps=("Call the landlord",))
    keys = {m: k for k, m in practice.mark_keys(lang).items()}
    exception, what_else = keys["exception"], keys["what-else"]
    return [
        "",
        f"{mark} {exception}",
        f"{mark} {exception}{what_else} {what_else}",
        f"{mark} x",
        mark,
        "/help" if lang == "en" else "/hjälp",
        f"{ask} What would your aunt notice?",
        "z",
        keys["coping"],
        "She'd see me calmer",
        *talk,
        "",  # the debrief: no hidden resource ticked
        "/help" if lang == "en" else "/hjälp",
        "Good exception questions",
        "//slash kept",
        "8",
    ]


def test_a_three_person_practice_from_a_file_tallies_the_marks():
    proc = sf(
        "practice", "--pair", "Anna,Bo,Cia", "--rounds", "1", "--scenario", "first-application",
        "--lang", "en", input=lines(*three_person_round()),
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 0, out[-800:] + proc.stderr
    assert "Marked: exception\n" in out and "Marked: exception, what else?, what else?" in out
    assert "'x' is not a tally key. Keys: p platform · f preferred future · e exception" in out
    assert "Tally so far: platform 0 · preferred future 0 · exception 2" in out
    assert "In a practice round:" in out and "/mark …" in out and "/card" in out
    assert "One of these keys, please: p platform" in out  # 'z' refused, the keys repeated
    # After /ask the question it interrupted is asked again.
    first = PRACTICE.questions[0][1].text["en"]
    assert out.index("The client's answer:") < out.rindex(first)
    # Commands wait until the feedback is given, and "saved" comes after the rating.
    assert "Commands wait until the feedback is given" in out
    assert out.index("0–10?") < out.index("Saved as completed:")
    (row,) = sf_json("sessions", "list", "--practice")
    data = sf_json("sessions", "show", row["id"])["practice_data"]
    assert [m["kind"] for m in data["marks"]] == [
        "exception",
        "exception",
        "what-else",
        "what-else",
    ]
    assert {m["phase"] for m in data["marks"]} == {"P"}
    assert [f["text"] for f in data["feedback"]] == ["Good exception questions", "/slash kept"]
    assert data["asked"][0]["category"] == "coping" and data["roles"]["observer"] == "Cia"
    assert data["usefulness"] == 8


def test_swedish_marks_use_the_swedish_keys():
    proc = sf(
        "practice", "--pair", "Anna,Bo,Cia", "--rounds", "1", "--scenario", "first-application",
        "--lang", "sv", input=lines(*three_person_round("sv")),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-800:] + proc.stderr
    assert "Markerat: undantag, vad mer?, vad mer?" in proc.stdout
    assert "Räknat hittills: plattform 0 · önskad framtid 0 · undantag 2" in proc.stdout
    (row,) = sf_json("sessions", "list", "--practice")
    marks = sf_json("sessions", "show", row["id"])["practice_data"]["marks"]
    assert [m["kind"] for m in marks] == ["exception", "exception", "what-else", "what-else"]


def test_pause_during_the_feedback_pauses_instead_of_becoming_its_text():
    talk = meeting_lines(PRACTICE, "sv", steps=("Ring hyresvärden",), confirm="j")
    proc = sf(
        "practice", "--pair", "Anna,Bo", "--rounds", "1", "--lang", "sv",
        input=lines("", *talk, "", "/paus"),
    )  # fmt: skip
    assert proc.returncode == 0 and "Fortsätt med: sfcoach resume" in proc.stdout
    assert "Sparat som avslutat" not in proc.stdout
    (row,) = sf_json("sessions", "list", "--practice")
    data = sf_json("sessions", "show", row["id"])["practice_data"]
    assert row["status"] == "paused" and data["stage"] == "feedback" and data["feedback"] == []


def test_the_round_clock_starts_at_the_first_question_not_while_the_card_is_read(
    store_dir, monkeypatch
):
    from types import SimpleNamespace

    from sfcoach.practiceround import new_plan
    from sfcoach.ui import practice as practice_ui
    from sfcoach.ui.plain import PlainIO
    from sfcoach.ui.practice import run_practice

    clock = [0.0]
    monkeypatch.setattr(practice_ui, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    seen: list[float] = []
    original = practice_ui.RoundExtension.on_prompt

    def on_prompt(self, prompt, runner):
        original(self, prompt, runner)
        seen.append(runner.status.elapsed())

    monkeypatch.setattr(practice_ui.RoundExtension, "on_prompt", on_prompt)

    def read_the_card_for_ten_minutes() -> None:
        clock[0] += 600

    talk = meeting_lines(PRACTICE, "en", steps=("Call",))
    items = ["/card", read_the_card_for_ten_minutes, "", *talk, "", "Well", "More", "7"]
    store = Store(store_dir)
    cards = practice.load_cards()
    plan = new_plan(["A", "B"], 1, 15, cards, None, "first-application")
    out = io.StringIO()
    assert run_practice(store, PlainIO(Script(items), out), "en", plan, cards, "mask", "r") == 0
    assert seen and seen[0] == 0.0  # ten minutes of card reading did not count
    assert "Time is up" not in out.getvalue()


# --- the screen: a three-person round in a pseudo-terminal ------------------------------


class Terminal(pyte.HistoryScreen):
    """A terminal with scrollback, as tmux or a desktop terminal keeps it: rows scrolled off
    the top go into the history, and so does a screen cleared with ESC[2J; only ESC[3J
    clears the history. It answers cursor-position requests, so prompt-toolkit draws its
    bottom bar."""

    def __init__(self, cols: int, rows: int) -> None:
        super().__init__(cols, rows, history=1000)
        self.child: pexpect.spawn | None = None

    def write_process_input(self, data: str) -> None:
        if self.child is not None:
            self.child.send(data)

    def erase_in_display(self, how: int = 0, *args, **kwargs) -> None:
        if how == 2:
            for y in range(self.lines):
                self.history.top.append(self.buffer[y].copy())
        elif how == 3:
            self.history.top.clear()
        super().erase_in_display(how, *args, **kwargs)

    def history_text(self) -> str:
        return "\n".join(
            "".join(row[x].data if x in row else " " for x in range(self.columns)).rstrip()
            for row in self.history.top
        )


class Pty:
    def __init__(self, tmp_path, args: list[str], cols: int, rows: int = 24) -> None:
        env = {**os.environ, "TERM": "xterm-256color"}
        for name in ("PROMPT_TOOLKIT_NO_CPR", "COLUMNS", "LINES"):
            env.pop(name, None)
        self.term = Terminal(cols, rows)
        self.stream = pyte.ByteStream(self.term)
        self.child = pexpect.spawn(
            SFCOACH, args, env=env, dimensions=(rows, cols), cwd=str(tmp_path), timeout=WAIT
        )
        self.term.child = self.child
        self.ended = False

    @property
    def rows(self) -> list[str]:
        return [row.rstrip() for row in self.term.display]

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.rows))

    def until(self, *shown: str, pattern: str | None = None) -> None:
        """Read until every text in `shown` (and `pattern`) is on the screen, runs of
        spaces counted as one, then until the output is quiet."""

        def there() -> bool:
            flat = self.text
            found = all(re.sub(r"\s+", " ", s) in flat for s in shown)
            return found and (pattern is None or re.search(pattern, flat) is not None)

        deadline = time.monotonic() + WAIT
        while not there():
            if time.monotonic() > deadline or self.ended:
                raise AssertionError(f"not on screen: {shown} {pattern}\n" + "\n".join(self.rows))
            self._read(0.2)
        self._settle()

    def _read(self, timeout: float) -> bool:
        """Whether more output came; the program's end is reported as the screen shows it."""
        try:
            self.stream.feed(self.child.read_nonblocking(65536, timeout=timeout))
            return True
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            self.ended = True
            return False

    def _settle(self) -> None:
        while self._read(0.3):
            pass

    def send(self, typed: str) -> None:
        self.child.send(typed)

    def bar(self, rows: int) -> list[str]:
        """The bottom bar: the last `rows` rows of the screen."""
        return self.rows[-rows:]


@pytest.fixture
def pty(tmp_path):
    opened: list[Pty] = []

    def open_(args: list[str], cols: int, rows: int = 24) -> Pty:
        screen = Pty(tmp_path, args, cols, rows)
        opened.append(screen)
        return screen

    yield open_
    for screen in opened:
        if screen.child.isalive():
            screen.child.close(force=True)


def test_a_three_person_round_on_screen_shows_roles_timer_tally_and_hides_the_card(pty):
    args = ["practice", "--pair", "Anna,Bo,Cia", "--rounds", "1", "--minutes", "5",
            "--scenario", "first-application", "--lang", "en"]  # fmt: skip
    screen = pty(args, 80)
    card = practice.find_card(practice.load_cards(), "first-application")
    secret = card.hidden("en")[1]

    # The intro: whose turn it is and what comes next, in the bar.
    screen.until("Enter starts the round", "›", "05:00 left")
    assert screen.bar(3) == [
        " Round 1/1 · coach Anna · client Bo · observer Cia",
        " 05:00 left · card: First application (level 1)",
        " Bo reads the card: /card · Enter starts the round",
    ]
    screen.send("/card\r")
    screen.until(secret, "Enter hides the card:")
    screen.send("\r")
    screen.until("The card is hidden. Enter starts the round.", "›")
    assert secret not in screen.text and secret not in screen.term.history_text()

    # The round: the clock starts at the first question and runs without a key pressed.
    screen.send("\r")
    screen.until("(1/", "Tally p0 f0 e0", pattern=r"0[0-4]:\d\d left")
    shown = re.search(r"(\d\d:\d\d) left", screen.text).group(1)
    screen.until(pattern=rf"(?!{shown})\d\d:\d\d left")  # the bar refreshed on its own
    bar = screen.bar(4)
    assert bar[0] == " Round 1/1 · coach Anna · client Bo · observer Cia"
    assert bar[3].startswith("  P  L  U  S   Platform · 1/")

    # The observer marks an exception and two "what else?" while the answer is typed.
    screen.send("I want the rent paid")
    screen.send("\x1be\x1bw\x1bw")
    screen.until("Tally p0 f0 e1 s0 c0 t0 m0 o0 w2", "I want the rent paid")
    screen.send("\r")
    screen.until("↳", "Tally p1 f0 e1 s0 c0 t0 m0 o0 w2")

    # /card mid-round is hidden again by Enter, from the screen and from the history.
    screen.send("/card\r")
    screen.until(secret, "Enter hides the card:")
    screen.send("\r")
    screen.until("The card is hidden again; the round goes on.", "↳", "›")
    assert secret not in screen.text and secret not in screen.term.history_text()

    # /help lists the practice commands; /mark from the line adds to the same counts.
    screen.send("/help\r")
    screen.until("In a practice round:", "/mark …", "Alt+key")
    screen.send("/mark c\r")
    screen.until("Marked: coping", "Tally p1 f0 e1 s0 c1")
    screen.send("/end\r")
    screen.until("Save as completed?", "›")
    screen.send("y\r")
    screen.until("Came out (a number, or Enter when done):")  # the debrief
    screen.send("\r")
    screen.until("Cia: what went well in Anna's conversation?", "Feedback from Cia")
    assert "Saved as completed" not in screen.text
    screen.send("/pause\r")
    screen.until("Session paused")
    screen.child.expect(pexpect.EOF)
    (row,) = sf_json("sessions", "list", "--practice")
    data = sf_json("sessions", "show", row["id"])
    kinds = [m["kind"] for m in data["practice_data"]["marks"]]
    assert kinds == ["exception", "what-else", "what-else", "coping"]
    assert data["practice_data"]["feedback"] == []  # /pause paused, it was no feedback


PLATFORM = "I want to sleep without thinking about money all the time, and find the energy to look for work again."


@pytest.mark.parametrize("cols", [60, 100])
def test_the_usefulness_question_quoting_the_platform_stays_readable_above_the_bar(pty, cols):
    args = ["practice", "--pair", "Anna,Bo", "--rounds", "1", "--minutes", "5",
            "--scenario", "first-application", "--lang", "en"]  # fmt: skip
    screen = pty(args, cols)
    screen.until("Enter starts the round", "›")
    screen.send("\r")
    screen.until("(1/", "›")
    screen.send(PLATFORM + "\r")
    screen.until("↳", "›")
    screen.send("/end\r")
    screen.until("Save as completed?", "›")
    screen.send("y\r")
    screen.until("Came out (a number, or Enter when done):")  # the debrief
    screen.send("\r")
    screen.until("what went well", "›")
    screen.send("Calm pace\r")
    screen.until("do more of?", "›")
    screen.send("More scaling\r")
    screen.until("0–10?", "›", "Feedback")
    assert f"(“{PLATFORM}”), 0–10?" in screen.text  # whole, wrapped between words
    assert screen.rows[-1].startswith(" Feedback")  # the bar says where the round is
    assert all(len(row) < cols for row in screen.rows)
    screen.send("8\r")
    screen.until("The whole practice", "Usefulness for the client: 8/10")
    # The long whole-practice table may scroll it up: it is said, above the table.
    said = re.sub(r"\s+", " ", screen.term.history_text()) + screen.text
    assert said.index("Saved as completed:") < said.index("The whole practice")


def test_before_the_round_help_lists_the_practice_commands_and_pause_pauses():
    args = ("practice", "--pair", "Anna,Bo", "--rounds", "1", "--lang", "en")
    proc = sf(*args, input=lines("/help", "/pause"))
    assert proc.returncode == 0, proc.stdout[-600:] + proc.stderr
    assert "In a practice round:" in proc.stdout and "Keys: p platform" in proc.stdout
    assert "Session paused" in proc.stdout and "(1/10)" not in proc.stdout
    (row,) = sf_json("sessions", "list", "--practice")
    data = sf_json("sessions", "show", row["id"])["practice_data"]
    assert row["status"] == "paused" and data["stage"] == "intro"
