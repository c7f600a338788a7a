"""Issue 14's remaining screen points: /back to what was shown, masked input redrawn,
wrapped input told apart from a new line, the toolbar at 60 columns, the pager."""

from __future__ import annotations

import pytest
from helpers import ROOT, SFCOACH, engine_for
from test_screen import Screen

from sfcoach.bank import load_builtin

FOLLOW_UP = load_builtin("follow-up")


def where(engine) -> tuple[str, str, int]:
    p = engine.prompt()
    return p.kind, p.question.id if p.question else "", p.stage


def feed(engine, *lines: str) -> None:
    for line in lines:
        engine.handle(line)


# --- /back returns to the previous question shown, answered or not --------------------


def test_back_after_a_step_question_with_no_steps_returns_to_it():
    e = engine_for(FOLLOW_UP)
    feed(e, "/phase S", "5", "", "")  # the scale, its first follow-up left empty, no step
    assert where(e) == ("text", "notice", 0)
    e.handle("/back")
    assert where(e) == ("step", "next-step", 0)
    e.handle("Call the landlord")  # a step given late, then on to where the meeting was
    assert [s.text for s in e.session.steps] == ["Call the landlord"]
    assert where(e) == ("text", "notice", 0)


def test_back_after_an_empty_follow_up_returns_to_that_follow_up():
    e = engine_for(FOLLOW_UP)
    feed(e, "/phase S", "5")
    shown = where(e)  # the scale's first follow-up whose condition holds
    assert shown[:2] == ("followup", "progress")
    e.handle("")  # an empty follow-up line ends the scale's follow-ups
    assert where(e) != shown
    e.handle("/back")
    assert where(e) == shown and e.prompt().prefill == ""


def test_back_after_a_question_left_empty_returns_to_it():
    e = engine_for(FOLLOW_UP)
    e.handle("")
    assert e.session.skipped == ["better"]
    e.handle("/back")
    assert where(e) == ("text", "better", 0)


# --- the screen, as a person sees it ------------------------------------------------------


@pytest.fixture
def opened():
    screens: list[Screen] = []

    def open_(*args, **kw) -> Screen:
        screens.append(Screen(*args, **kw))
        return screens[-1]

    yield open_
    for s in screens:
        s.close()


START = ["start", "--client", "K1", "--meeting", "first-visit", "--lang", "en"]
PNR = "19121212-1212"


def test_an_accepted_line_with_an_identity_number_is_redrawn_masked(tmp_path, opened):
    screen = opened(tmp_path, [*START, "--practitioner", "A"], 80)
    screen.until("(1/", "›")
    screen.send(f"Call the office, tel {PNR}")
    screen.until(PNR)  # on screen while typing
    screen.send("\r")
    screen.until("A personal identity number was masked before saving.", "›")
    assert PNR not in screen.text
    assert any(
        row.startswith("› Call the office, tel XXXXXXXX-XXXX") for row in screen.screen.display
    )


def test_a_long_line_that_wraps_is_not_marked_as_a_new_line(tmp_path, opened):
    screen = opened(tmp_path, [*START, "--practitioner", "A"], 60)
    screen.until("(1/", "›")
    long = "I would sleep through the night and stop worrying about the rent every single day"
    screen.send(long + "\x1b\r" + "and call my mum")  # a soft wrap, then Alt-Enter
    screen.until("call my mum")
    rows = [row.rstrip() for row in screen.screen.display]
    first = next(i for i, row in enumerate(rows) if row.startswith("› I would sleep"))
    wrapped, typed = rows[first + 1], rows[first + 2]
    assert wrapped.startswith("  ") and wrapped.strip() and "…" not in wrapped
    assert typed == "… and call my mum"


# --- sessions show: a multi-line answer stays under its first line ------------------------


def test_sessions_show_indents_the_later_lines_of_a_multi_line_answer(store_dir):
    from helpers import saved_session, sf

    from sfcoach.store import Store

    text = "First line\nSecond line\n\nFourth line"
    s = saved_session(Store(store_dir), answers={"best-hopes": ("P", text)})
    out = sf("sessions", "show", s.id).stdout.splitlines()
    first = out.index("    First line")
    assert out[first : first + 4] == ["    First line", "    Second line", "", "    Fourth line"]


def test_sessions_show_at_a_terminal_indents_later_lines_and_expands_no_emoji_codes(
    tmp_path, store_dir
):
    from helpers import saved_session
    from test_screen import printed

    from sfcoach.store import Store

    text = "First line :warning:\nSecond line"
    s = saved_session(Store(store_dir), answers={"best-hopes": ("P", text)})
    rows = [row.rstrip() for row in printed(tmp_path, ["sessions", "show", s.id], 80)]
    first = rows.index("    First line :warning:")
    assert rows[first + 1] == "    Second line"


# --- the bottom bar fits the terminal ---------------------------------------------------


def toolbar(lang: str, width: int | None, unsaved: bool = False, limit: float | None = None):
    import io

    from sfcoach.ui.terminal import TerminalIO
    from sfcoach.ui.view import Status

    status = Status(lang, lambda: 3725.0)
    status.phase, status.number, status.total = "U", 13, 20
    status.unsaved, status.limit = unsaved, limit
    parts = TerminalIO(lang, stdin=io.StringIO(), stdout=io.StringIO())._toolbar(status, width)
    return "".join(text for _, text in parts)


def test_the_toolbar_is_shortened_to_fit_60_columns_and_keeps_help_and_the_warning():
    for lang, help_, warning in (("en", "/help", "NOT SAVED"), ("sv", "/hjälp", "INTE SPARAT")):
        assert "Alt-Enter" in toolbar(lang, None)  # no width known: everything
        for unsaved in (False, True):
            for limit in (None, 300.0):
                text = toolbar(lang, 60, unsaved, limit)
                assert len(text) <= 60, text
                assert text.endswith(help_) and "13/20" in text and "1:02:05" in text
                assert (warning in text) == unsaved


class AnsweringScreen(Screen):
    """A screen that answers prompt-toolkit's cursor position requests, as a real
    terminal does: without the answer prompt-toolkit never draws its bottom bar."""

    def __init__(self, tmp_path, args: list[str], cols: int, rows: int = 24) -> None:
        import os

        import pexpect
        import pyte

        env = {**os.environ, "TERM": "xterm-256color"}
        for name in ("PROMPT_TOOLKIT_NO_CPR", "COLUMNS", "LINES"):
            env.pop(name, None)
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            SFCOACH, args, env=env, dimensions=(rows, cols), cwd=str(tmp_path), timeout=20
        )
        self.screen.write_process_input = self.child.send


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_at_60_columns_the_bottom_row_shows_the_whole_toolbar(tmp_path, request, lang):
    screen = AnsweringScreen(tmp_path, [*START[:-1], lang, "--practitioner", "A"], 60)
    request.addfinalizer(screen.close)
    from sfcoach.bank import load_builtin

    count = f"1/{len(load_builtin('first-visit').questions)} ·"  # as the bar shows it
    screen.until("(1/", "›", count)
    bar = next(row.rstrip() for row in screen.screen.display if count in row)
    assert bar.endswith("/help" if lang == "en" else "/hjälp"), bar


# --- shell completion -------------------------------------------------------------------


def test_show_completion_prints_a_script_that_the_shell_can_ask_for_completions_with():
    from helpers import sf

    proc = sf("--show-completion", "bash")
    assert proc.returncode == 0, proc.stderr
    assert "complete -o default -F _sfcoach_completion sfcoach" in proc.stdout
    assert "_SFCOACH_COMPLETE=complete_bash" in proc.stdout

    def complete(words: str) -> list[str]:
        env = {"_SFCOACH_COMPLETE": "complete_bash", "COMP_WORDS": words}
        env["COMP_CWORD"] = str(len(words.split()) - 1)
        done = sf(env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("sfcoach ses") == ["sessions"]
    assert complete("sfcoach sessions sh") == ["show"]
    assert "--client" in complete("sfcoach start --cl")


def test_install_completion_writes_the_script_under_home(tmp_path):
    from helpers import sf

    proc = sf("--install-completion", "bash", env={"HOME": str(tmp_path / "home")})
    assert proc.returncode == 0, proc.stderr
    script = tmp_path / "home" / ".bash_completions" / "sfcoach.sh"
    assert "_sfcoach_completion" in script.read_text(encoding="utf-8")
    assert str(script) in (tmp_path / "home" / ".bashrc").read_text(encoding="utf-8")
    assert proc.stdout.startswith("Tab completion for bash installed in ")


def test_completion_for_an_unknown_shell_is_one_translated_line():
    from helpers import sf

    proc = sf("--show-completion", "tcsh", env={"SFCOACH_LANG": "sv"})
    assert proc.returncode == 1
    assert proc.stderr == (
        "sfcoach: ingen Tab-komplettering för skalet 'tcsh' "
        "(välj ett av: bash, zsh, fish, powershell, pwsh)\n"
    )


# --- the pager ---------------------------------------------------------------------------

DEMO = ["--store", str(ROOT / "sessions"), "--lang", "sv"]
REVIEW = {
    "history": ["history", "K1"],
    # K4's closing meeting; the demo's session ids change with every regeneration.
    "sessions show": ["sessions", "show", next((ROOT / "sessions" / "K4").glob("20260921-*")).stem],
    "search": ["search", "jobb"],
}


def run_in_terminal(tmp_path, args: list[str], rows: int) -> tuple[bytes, bytes | None]:
    """What a review command prints at a terminal of `rows` rows, and what it gave the
    pager (None: no pager ran)."""
    import os

    import pexpect

    paged = tmp_path / "paged.txt"
    env = {**os.environ, "TERM": "xterm-256color", "PAGER": f"sh -c 'cat > {paged}'"}
    child = pexpect.spawn(SFCOACH, args, env=env, dimensions=(rows, 80), cwd=str(tmp_path))
    printed = child.read()
    child.close()
    assert child.exitstatus == 0, printed
    return printed, paged.read_bytes() if paged.exists() else None


@pytest.mark.parametrize("command", list(REVIEW))
def test_output_taller_than_the_terminal_goes_to_the_pager(tmp_path, command):
    printed, paged = run_in_terminal(tmp_path, [*DEMO, *REVIEW[command]], rows=6)
    assert paged is not None and paged.count(b"\n") > 6
    assert printed.strip() == b""


def test_output_that_fits_the_terminal_is_printed_without_a_pager(tmp_path):
    printed, paged = run_in_terminal(tmp_path, [*DEMO, *REVIEW["history"]], rows=500)
    assert paged is None
    assert "Nybesök".encode() in printed


def test_a_pipe_gets_the_output_without_a_pager(tmp_path):
    from helpers import sf

    paged = tmp_path / "paged.txt"
    proc = sf(*DEMO, *REVIEW["history"], env={"PAGER": f"sh -c 'cat > {paged}'"})
    assert proc.returncode == 0 and "Nybesök" in proc.stdout
    assert not paged.exists()
