"""Exit codes, shared options, `main(argv, env)` in process, and what start-up loads.

0 success; 1 a user error at run time (unknown id, refused input); 2 a usage
error, which every bad option value is; 70 a bug; 130 Ctrl-C. A closed pipe is
no error at all.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import typing

import pytest
from helpers import SFCOACH, no_traceback, saved_session, sf, sf_process

from sfcoach import cli

START = ["start", "--client", "K1", "--meeting", "check-in", "--lang", "en", "--practitioner", "A"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["practice", "--minutes", "0"], "--minutes"),
        (["practice", "--rounds", "21"], "--rounds"),
        (["practice", "--pair", "A,B", "--rounds", "0"], "--rounds"),
        (["export", "--client", "K1", "--format", "pdf"], "--format"),
        (["sessions", "list", "--status", "bogus"], "--status"),
        (["resume", "--ids", "maks"], "--ids"),
        (["purge", "--older-than", "800000", "--dry-run"], "--older-than"),
        (["purge", "--older-than", "-1", "--dry-run"], "--older-than"),
        (["search", "fv", "--limit", "99999999999999999999"], "--limit"),
        (["sessions", "list", "--limit", "99999999999999999999"], "--limit"),
        ([*START, "--date", "0001-01-01"], "--date"),
        ([*START, "--date", "tomorrow"], "--date"),
        ([*START, "--date", "2999-01-01"], "--date"),
        (["stats", "--since", "2026-13-01"], "--since"),
        (["sessions", "list", "--since", "last week"], "--since"),
        (["--store", "", "scan"], "--store"),
        (["scan", "--store", ""], "--store"),
        (["--lang", "de", "bank", "list"], "--lang"),
    ],
)
def test_every_bad_option_value_is_a_usage_error(args, option):
    proc = sf(*args, input="")
    assert proc.returncode == 2 and no_traceback(proc), proc.stderr
    assert f"Invalid value for '{option}'" in proc.stderr


def test_choices_are_listed_in_help_and_match_the_library():
    from sfcoach import export, models

    assert typing.get_args(cli.Status) == models.SESSION_STATUSES
    assert typing.get_args(cli.Format) == export.FORMATS
    assert "in-progress|paused|completed" in sf("sessions", "list", "--help").stdout
    assert "md|json|csv|html" in sf("export", "--help").stdout
    assert "mask|keep" in sf("resume", "--help").stdout


def test_run_time_user_errors_stay_1():
    proc = sf("sessions", "show", "20260101-000000-zzz99")
    assert proc.returncode == 1 and proc.stderr.startswith("sfcoach: ") and no_traceback(proc)
    assert sf("start", "--client", "K1", "--lang", "en", input="").returncode == 1


def test_a_bug_exits_70_with_one_line_and_no_data(monkeypatch):
    said = "client K1 said something private"

    def broken(*args, **kwargs):
        raise RuntimeError(said)  # --debug shows this line of code, never the value

    monkeypatch.setattr("sfcoach.review.stats", broken)
    proc = sf("stats")
    assert proc.returncode == 70
    assert proc.stderr.startswith("sfcoach: internal error (RuntimeError at test_cli_exits.py:")
    assert proc.stderr.count("\n") == 1 and "private" not in proc.stderr
    debug = sf("--debug", "stats")
    assert debug.returncode == 70 and "test_cli_exits.py" in debug.stderr
    assert "private" not in debug.stderr


def test_an_empty_store_path_is_refused_in_the_environment_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    proc = sf("sessions", "list", env={"SFCOACH_STORE": ""})
    assert proc.returncode == 1
    assert (
        proc.stderr == "sfcoach: SFCOACH_STORE is empty; set it to the store's folder or unset it\n"
    )
    assert sf("--store", " ", "sessions", "list").returncode == 2
    assert os.listdir(tmp_path) == []


def test_bank_commands_take_no_store_they_would_ignore():
    for path in (["list"], ["show", "first-visit"], ["schema"], ["cards"]):
        proc = sf("bank", *path, "--store", "elsewhere")
        assert proc.returncode == 2 and "No such option: --store" in proc.stderr
    assert "--store" not in sf("bank", "list", "--help").stdout


def test_the_store_given_after_the_command_wins(tmp_path):
    from sfcoach.store import Store

    saved_session(Store(tmp_path / "b"), client="KB")
    args = ["--store", str(tmp_path / "a"), "sessions", "list", "--json"]
    proc = sf(*args, "--store", str(tmp_path / "b"))
    assert [row["client"] for row in json.loads(proc.stdout)] == ["KB"]


def test_main_reads_the_environment_it_is_given(capsys):
    assert "SFCOACH_LANG" not in os.environ
    assert cli.main(["history", "--help"], {"SFCOACH_LANG": "sv"}) == 0
    assert "Användning: sfcoach history" in capsys.readouterr().out
    assert cli.main(["bank", "list"], {"SFCOACH_LANG": "de"}) == 1
    assert capsys.readouterr().err == "sfcoach: unsupported language 'de': use sv or en\n"


def test_nothing_carries_over_from_one_run_to_the_next():
    assert "Flaggor:" in sf("--lang", "sv", "history", "--help").stdout
    english = sf("history", "--help").stdout
    assert "Usage: sfcoach history" in english and "Options:" in english
    assert "Flaggor" not in english and "Visa den här" not in english
    proc = sf("--lang", "sv", "history")
    assert "Fel:" in proc.stderr
    assert "Error: Missing argument 'ALIAS'." in sf("history").stderr


def test_help_follows_a_lang_given_after_help():
    assert "Flaggor:" in sf("history", "--help", "--lang", "sv").stdout


# --- a process of its own: pipes, signals, start-up -----------------------------------------


def _closed_pipe() -> int:
    """A pipe whose reader has gone: any write fails with EPIPE, deterministically."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize("args", [["bank", "list"], ["sessions", "list"], ["search", "hello"]])
def test_a_closed_pipe_exits_0_silently(args, store_dir):
    from sfcoach.store import Store

    saved_session(Store(store_dir), answers={"q1": ("P", "hello there")})
    out = _closed_pipe()
    try:
        proc = subprocess.run(
            [SFCOACH, *args], stdout=out, stderr=subprocess.PIPE, text=True, timeout=60
        )
    finally:
        os.close(out)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_ctrl_c_exits_130_without_a_traceback():
    proc = subprocess.Popen(
        [SFCOACH, *START, "--plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # it is running and waits for an answer
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err


def test_the_installed_script_runs_main():
    proc = sf_process("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("sfcoach ")
    assert sf_process("sessions", "list", "--limit", "0").returncode == 2


HEAVY = ("yaml", "rich", "prompt_toolkit", "sqlite3")


@pytest.mark.parametrize("args", [["--help"], ["--lang", "sv", "--help"], ["bank", "--help"]])
def test_help_loads_none_of_the_heavy_libraries(args):
    code = (
        "import sys\n"
        "from sfcoach.cli import main\n"
        f"code = main({args!r})\n"
        f"print(code, sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stderr.strip() == "0 []"


def test_an_in_process_run_that_hangs_is_stopped_like_a_process(monkeypatch):
    monkeypatch.setattr("sfcoach.review.stats", lambda *a, **k: time.sleep(30))
    with pytest.raises(subprocess.TimeoutExpired):
        sf("stats", timeout=0.5)
    assert sf("--version").returncode == 0  # streams and environment are back


def test_i18n_needs_no_errors_module_an_unknown_language_is_a_value_error():
    import ast
    import inspect

    from sfcoach import i18n

    tree = ast.parse(inspect.getsource(i18n))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "sfcoach.errors" not in imported
    with pytest.raises(ValueError) as e:
        i18n.resolve_lang("de")
    assert isinstance(e.value, i18n.UnknownLanguage) and e.value.value == "de"
    with pytest.raises(i18n.UnknownLanguage):
        i18n.lang_from_env({"SFCOACH_LANG": "klingon"})
