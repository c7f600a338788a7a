"""One output boundary: stored and typed text never acts on the terminal (F6, F14), and
messages speak each language properly (plurals, decimals, genitive).

A meeting is held with escape sequences typed into it, then its file is hand-edited to
put more into every field a person reads (a colleague's file, or an attacker's). Every
review command and the next meeting's screen must show that text inert: no ESC, BEL, C1
control or bidi override reaches stdout or stderr, and nothing crashes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from helpers import lines, meeting_lines, no_traceback, sf

from sfcoach import i18n, textsafe
from sfcoach.bank import load_builtin
from sfcoach.i18n import genitive, number, percent, t
from sfcoach.ui.plain import PlainIO
from sfcoach.ui.style import Ansi, Mono
from sfcoach.ui.terminal import TerminalIO

FIRST = load_builtin("first-visit")
FOLLOW = load_builtin("follow-up")

ESC = "\x1b"
# Clear screen, red, window title (OSC 0, BEL-ended), a hyperlink (OSC 8, ST-ended),
# concealed text, a C1 CSI, a bidi override, and rich markup that would style or crash.
HOSTILE = (
    f"evilword {ESC}[2J{ESC}[31mred {ESC}]0;PWNED\x07 {ESC}]8;;http://evil.example{ESC}\\link"
    f"{ESC}]8;;{ESC}\\ {ESC}[8mhidden{ESC}[0m \x9b2J [/x] [bold]b[/bold] [link=http://e.x]l[/link]"
    " \u202eevil\u202c :warning:"
)
ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
OTHER_ID = "20260102-000000-beef"


def assert_inert(proc) -> None:
    out = proc.stdout + proc.stderr
    assert no_traceback(proc) and "internal error" not in out.lower(), out[-2000:]
    found = sorted({repr(c) for c in ACTING.findall(out.replace("\r\n", "\n"))})
    assert not found, (found, out[-2000:])


def session_id(proc) -> str:
    return re.findall(r"\d{8}-\d{6}-[0-9a-f]{4,8}", proc.stdout)[-1]


def start(*args: str, input: str, client: str = "K1"):
    base = ["start", "--client", client, "--lang", "en", "--practitioner", "Anna"]
    return sf(*base, *args, input=input)


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile_everywhere(data: dict) -> None:
    """Every field a review command or the recap shows, hostile; dates stay dates."""
    data["practitioner"] = HOSTILE
    for a in data["answers"]:
        a["asked"] = HOSTILE
        a["followups"] = [{"text": HOSTILE, "answer": HOSTILE}]
    for r in data["ratings"]:
        r["label"], r["low"], r["high"] = HOSTILE, HOSTILE, HOSTILE
        r["followups"] = [{"text": HOSTILE, "answer": HOSTILE}]
    data["notes"] = [{"text": HOSTILE, "at": data["started"]}]
    data["carried"] = [{"text": HOSTILE, "status": "agreed", "from_session": OTHER_ID}]


def hostile_fields(data: dict) -> None:
    """The fields a meeting never writes by hand: a hand edit put text and markup there."""
    data["id"], data["client"] = OTHER_ID, "K2"
    data["meeting"] = f"visit{ESC}]0;T\x07[/x]"
    data["started"] = f"2026-01-02[/x]T10:00{ESC}[2J"
    data["ended"] = "[link=http://evil.example]click[/link][/]"


@pytest.fixture
def hostile(store_dir):
    """K1: a meeting with hostile text typed into it, then more put into its file by hand.
    K2: a copy whose dates, meeting type and practitioner hold escape codes and markup."""
    answers = meeting_lines(FIRST, steps=(HOSTILE,))
    answers[0] = HOSTILE
    typed = start("--meeting", "first-visit", input=lines(*answers))
    assert typed.returncode == 0, typed.stderr
    assert_inert(typed)  # the echo of what was read, and the end summary
    sid = session_id(typed)
    path = store_dir / "K1" / f"{sid}.yaml"
    edit(path, hostile_everywhere)
    other = store_dir / "K2" / f"{OTHER_ID}.yaml"
    other.parent.mkdir(mode=0o700)
    other.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    edit(other, hostile_fields)
    return sid


def review_commands(sid: str) -> list[tuple[str, ...]]:
    commands: list[tuple[str, ...]] = [
        ("sessions", "list"),
        ("sessions", "list", "--json"),
        ("stats",),
        ("stats", "--json"),
        ("search", "evilword"),
        ("search", "evilword", "--json"),
    ]
    for ref, client in ((sid, "K1"), (OTHER_ID, "K2")):
        commands += [("sessions", "show", ref), ("sessions", "show", ref, "--json")]
        commands += [("history", client), ("history", client, "--json")]
        commands += [("export", ref, "--format", f) for f in ("md", "csv", "html", "json")]
        commands += [("export", "--client", client, "--format", f) for f in ("md", "csv")]
    return commands


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_review_command_shows_hostile_text_inert(hostile, lang):
    for args in review_commands(hostile):
        proc = sf("--lang", lang, *args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert_inert(proc)
    shown = sf("sessions", "show", hostile).stdout
    # Shown, not hidden: the stand-ins and the markup read as written.
    assert "␛[2J␛[31mred ␛]0;PWNED␇" in shown and "[/x] [bold]b[/bold]" in shown
    assert ":warning:" in shown  # rich's emoji codes are not expanded either
    assert "evilword" in sf("search", "evilword").stdout


def test_markup_in_hand_edited_dates_neither_crashes_nor_links(hostile):
    """F14: `started: 2026-01-02[/x]…` was a MarkupError inside `sessions show`."""
    proc = sf("sessions", "show", OTHER_ID)
    assert proc.returncode == 0 and "2026-01-02[/x]T10:00␛[2J" in proc.stdout, proc.stderr
    assert "[link=http://evil.example]click[/link][/]" in proc.stdout


def test_the_next_meeting_shows_the_hostile_step_inert(hostile):
    # Two steps come back: the one typed last time, and the one carried into it by hand and
    # never reviewed. Both are in the recap and in a step-review question.
    follow = meeting_lines(FOLLOW, reviews=("done", "done"), previous={"progress": 5})
    proc = start(input=lines(*follow))
    assert proc.returncode == 0, proc.stderr
    assert_inert(proc)
    recap, questions = proc.stdout.split("(1/", 1)
    assert recap.count("␛]0;PWNED␇") >= 2  # a rating's label and the step
    assert questions.count("Last time we wrote down this step: “evilword ␛[2J") == 2


def test_the_terminal_style_keeps_its_own_codes_and_no_others():
    for style in (Ansi(), Mono()):
        line = style.bold(f"step {ESC}[2J") + " " + style.mark("hit") + f" {ESC}[8mhidden"
        shown = style.safe(line)
        assert shown.count(ESC) == line.count(ESC) - 2  # only the two stored ones went
        assert "␛[2J" in shown and "␛[8mhidden" in shown


def test_plain_mode_echo_and_lines_are_filtered():
    out = io.StringIO()
    plain = PlainIO(stdin=io.StringIO(""), stdout=out)
    plain.write([f"• {HOSTILE}"])
    plain.echo(HOSTILE)
    assert not ACTING.findall(out.getvalue()) and out.getvalue().count("evilword") == 2


def test_the_terminal_screen_shows_a_hostile_recap_inert(hostile, store_dir):
    from sfcoach.store import Store
    from sfcoach.ui import view

    previous = Store(store_dir).load(store_dir / "K1" / f"{hostile}.yaml")
    out = io.StringIO()
    term = TerminalIO("en", stdin=io.StringIO(), stdout=out)
    term.style = Ansi()  # as on a colour terminal, where the screen writes its own codes
    term.write(view.recap(previous, "en", term.style))
    term.close()
    shown = out.getvalue()
    assert shown.count(ESC) == 2 and shown.count("\x1b[1m") == 1  # the heading's bold and reset
    assert "␛[0m" in shown and not ACTING.findall(shown.replace(ESC, ""))


# --- the filter itself --------------------------------------------------------------


def test_printable_shows_controls_as_stand_ins_and_keeps_lines():
    assert textsafe.printable(f"a{ESC}[2Jb\x07\tc\nd\x9b\u202e") == "a␛[2Jb␇\tc\nd\ufffd\ufffd"
    assert textsafe.printable("a\tb\nc", lines=False) == "a␉b␊c"
    assert textsafe.one_line(" a \n\t b\r\n c ") == "a b c"
    from rich.text import Text

    for text in ("[bold]x[/]", "a\\", "[/x]", "\\[b]", HOSTILE):
        assert Text.from_markup(
            f"[dim]{textsafe.markup(text)}[/]", emoji=False
        ).plain == textsafe.printable(text)


def test_json_text_escapes_what_json_leaves_raw():
    import json

    text = json.dumps({"a": "x\x9by\u202ez"}, ensure_ascii=False)
    safe = textsafe.json_text(text)
    assert not ACTING.findall(safe) and json.loads(safe) == {"a": "x\x9by\u202ez"}


# --- plurals, numbers, genitive --------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "n", "en", "sv"),
    [
        ("search.count", 1, "1 hit", "1 träff"),
        ("search.count", 2, "2 hits", "2 träffar"),
        ("search.count", 0, "0 hits", "0 träffar"),
        ("history.count", 1, "1 session", "1 samtal"),
        ("history.count", 3, "3 sessions", "3 samtal"),
        ("purge.done", 1, "Deleted 1 session.", "Raderade 1 samtal."),
        (
            "skipped.more",
            1,
            "sfcoach: … and 1 more file skipped",
            "sfcoach: … och 1 fil till överhoppad",
        ),
        ("scan.files", 2, "2 files", "2 filer"),
    ],
)
def test_counts_take_the_plural_form_of_each_language(key, n, en, sv):
    assert (t(key, "en", n=n), t(key, "sv", n=n)) == (en, sv)


def test_count_messages_read_right_on_the_command_line(store_dir):
    from helpers import saved_session

    from sfcoach.store import Store

    saved_session(Store(store_dir), "K9", answers={"a": ("P", "hello there")})
    assert "1 hit" in sf("search", "hello", "--lang", "en").stdout
    assert "1 hits" not in sf("search", "hello", "--lang", "en").stdout
    assert "K9 · 1 session\n" in sf("history", "K9", "--lang", "en").stdout
    assert "1 träff" in sf("search", "hello", "--lang", "sv").stdout


def test_decimals_and_signs_follow_the_language():
    assert number(3.25, "sv", decimals=2, sign=True) == "+3,25"
    assert number(3.25, "en", decimals=2, sign=True) == "+3.25"
    assert number(-0.5, "sv", decimals=2, sign=True) == "-0,50"
    assert number(12345, "sv", decimals=0) == "12\u00a0345"
    assert number(12345, "en", decimals=0) == "12,345"
    assert (percent(0.454, "en"), percent(0.454, "sv")) == ("45%", "45\u00a0%")
    # A float given to a message is written the language's way (practice: 7.0/10).
    assert t("practice.useful-was", "sv", n=7.0).endswith("7,0/10")
    assert t("practice.useful-was", "en", n=7.0).endswith("7.0/10")


@pytest.mark.parametrize(
    ("name", "sv", "en"),
    [("Lars", "Lars", "Lars's"), ("Anna", "Annas", "Anna's"), ("Max", "Max", "Max's"),
     ("Inez", "Inez", "Inez's"), ("Kim", "Kims", "Kim's")],
)  # fmt: skip
def test_genitive_of_a_name(name, sv, en):
    assert (genitive(name, "sv"), genitive(name, "en")) == (sv, en)


def test_swedish_genitive_inside_a_message():
    assert t("practice.well", "sv", who="Anna", coach="Lars") == (
        "Anna: vad gick bra i Lars samtal?"
    )
    assert t("practice.well", "sv", who="Lars", coach="Anna").endswith("i Annas samtal?")


def test_a_language_is_one_catalogue_file():
    folder = Path(i18n.__file__).parent / "locale"
    files = sorted(p.stem for p in folder.glob("*.py") if not p.name.startswith("_"))
    assert list(i18n.LANGS) == files
    # A key a language lacks falls back to English.
    sv = i18n.catalogue("sv").MESSAGES
    key = next(iter(sv))
    removed = sv.pop(key)
    try:
        assert t(key, "sv") == t(key, "en")
    finally:
        sv[key] = removed


def test_stats_write_decimals_and_shares_the_languages_way(store_dir):
    from helpers import saved_session

    from sfcoach.store import Store

    store = Store(store_dir)
    for client, first, latest in (("K1", 3, 6), ("K2", 5, 5)):
        saved_session(store, client, "2026-01-05T10:00", progress=first)
        saved_session(store, client, "2026-02-05T10:00", progress=latest)
    sv, en = sf("stats", "--lang", "sv").stdout, sf("stats", "--lang", "en").stdout
    assert "+1,50" in sv and "50\u00a0%" in sv and "+1.5" not in sv
    assert "+1.50" in en and "50%" in en


def test_a_third_language_is_one_file_with_english_for_what_it_lacks():
    import subprocess
    import sys

    new = Path(i18n.__file__).parent / "locale" / "zz.py"
    new.write_text(
        'MESSAGES = {"search.count": {"one": "zz-one {n}", "other": "zz-many {n}"}}\n',
        encoding="utf-8",
    )
    code = (
        "from sfcoach import i18n; print(i18n.LANGS, i18n.t('search.count', 'zz', n=1),"
        " i18n.t('search.count', 'zz', n=2), '|', i18n.t('search.none', 'zz'),"
        " i18n.number(1234.5, 'zz'))"
    )
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    finally:
        new.unlink()
    assert proc.stdout.strip() == (
        f"('en', 'sv', 'zz') zz-one 1 zz-many 2 | {t('search.none', 'en')} 1,234.5"
    ), proc.stderr
