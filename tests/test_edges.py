"""Edges of the review and start commands: export formats from file names, CSV for
Swedish Excel, a mistyped --store, a paused meeting when a new one starts, and the
pre-meeting questions."""

from __future__ import annotations

import csv
import io

import pytest
from helpers import saved_session, sf

from sfcoach.store import Store


@pytest.fixture
def store(store_dir):
    return Store(store_dir)


@pytest.fixture
def k1(store):
    return saved_session(store, "K1", answers={"best-hopes": ("P", "Att få ordning, på pengarna")})


# --- export: the format from the file name ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("k1.html", "<!DOCTYPE html>"),
        ("k1.json", "["),
        ("k1.csv", "\ufeffsession"),
        ("k1.md", "# K1"),
    ],
)
def test_export_takes_the_format_from_the_file_name(k1, tmp_path, name, start):
    out = tmp_path / name
    proc = sf("export", "--client", "K1", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith(start)


def test_export_refuses_a_format_the_file_name_contradicts(k1, tmp_path):
    out = tmp_path / "k1.html"
    proc = sf("export", "--client", "K1", "--format", "md", "-o", str(out), "--lang", "sv")
    assert proc.returncode == 2
    assert "k1.html" in proc.stderr and "stämmer inte" in proc.stderr
    assert not out.exists()


def test_export_without_a_known_extension_is_markdown(k1, tmp_path):
    out = tmp_path / "k1.txt"
    assert sf("export", "--client", "K1", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# K1")


# --- export: CSV for Swedish Excel, in the session's language -----------------------------


def rows(text, delimiter):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_a_swedish_export_uses_semicolons(k1):
    out = sf("export", "--client", "K1", "--format", "csv").stdout
    table = rows(out, ";")
    assert table[0][:3] == ["session", "client", "date"]
    assert table[1][8] == "Att få ordning, på pengarna"


def test_an_english_export_uses_commas(k1):
    out = sf("export", "--client", "K1", "--format", "csv", "--lang", "en").stdout
    assert rows(out, ",")[1][8] == "Att få ordning, på pengarna"


@pytest.mark.parametrize(("option", "sep"), [(",", ","), (";", ";"), ("tab", "\t")])
def test_the_delimiter_can_be_chosen(k1, option, sep):
    out = sf("export", "--client", "K1", "--format", "csv", "--delimiter", option).stdout
    assert rows(out, sep)[1][8] == "Att få ordning, på pengarna"


def test_a_bad_delimiter_is_a_usage_error(k1):
    assert sf("export", "--client", "K1", "--format", "csv", "--delimiter", "|").returncode == 2


def test_an_export_speaks_the_sessions_language_not_the_locale(k1):
    # The test environment's locale is C.UTF-8 (English); the session is Swedish.
    assert sf("export", "--client", "K1").stdout.startswith("# K1 – samtal")
    assert sf("export", "--client", "K1", "--lang", "en").stdout.startswith("# K1 – sessions")


# --- a mistyped --store -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("sessions", "list"),
        ("search", "pengar"),
        ("stats",),
        ("history", "K1"),
        ("export", "--client", "K1"),
    ],
)
def test_a_store_folder_that_does_not_exist_is_said_so(k1, tmp_path, args):
    missing = tmp_path / "sessionz"
    proc = sf("--store", str(missing), *args)
    assert proc.returncode == 1
    assert str(missing) in proc.stderr and "does not exist" in proc.stderr
    assert not missing.exists()


def test_an_existing_empty_store_is_still_just_empty(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = sf("--store", str(empty), "sessions", "list")
    assert proc.returncode == 0 and "No sessions" in proc.stdout


# --- start: a paused meeting for the same client ----------------------------------------


def count(store, client="K1"):
    return len(store.files(client))


@pytest.fixture
def paused(store):
    return saved_session(store, "K1", status="paused")


ALL_GIVEN = ("start", "--client", "K1", "--meeting", "first-visit", "--lang", "en", "--plain")


def test_plain_start_with_every_option_refuses_beside_a_paused_meeting(store, paused):
    proc = sf(*ALL_GIVEN, "--practitioner", "A", input="An answer\n/pause\n")
    assert proc.returncode == 1
    assert paused.id in proc.stderr and f"resume {paused.id}" in proc.stderr
    assert "--new" in proc.stderr
    assert count(store) == 1


def test_start_new_opens_a_second_meeting_anyway(store, paused):
    proc = sf(*ALL_GIVEN, "--practitioner", "A", "--new", input="An answer\n/pause\n")
    assert proc.returncode == 0, proc.stderr
    assert count(store) == 2


def test_after_a_question_one_line_resumes_the_paused_meeting(store, paused):
    proc = sf(*ALL_GIVEN, input="A\ny\n/pause\n")
    assert proc.returncode == 0, proc.stderr
    assert paused.id in proc.stdout and "Resume it" in proc.stdout
    assert count(store) == 1
    assert store.load(store.files("K1")[0]).status == "paused"


def test_after_a_question_no_starts_a_new_meeting(store, paused):
    proc = sf(*ALL_GIVEN, input="A\nn\nAn answer\n/pause\n")
    assert proc.returncode == 0, proc.stderr
    assert count(store) == 2


def test_a_meeting_paused_before_a_completed_one_is_not_offered(store):
    saved_session(store, "K1", "2026-01-05T10:00", status="paused")
    saved_session(store, "K1", "2026-02-05T10:00")
    proc = sf(*ALL_GIVEN, "--practitioner", "A", input="An answer\n/pause\n")
    assert proc.returncode == 0, proc.stderr
    assert count(store) == 3


def test_another_clients_paused_meeting_is_no_reason_to_ask(store, paused):
    proc = sf(*ALL_GIVEN[:2], "K2", *ALL_GIVEN[3:], "--practitioner", "A", input="x\n/pause\n")
    assert proc.returncode == 0, proc.stderr


# --- start: the questions before the meeting --------------------------------------------


def test_a_bad_client_option_is_refused_before_anything_is_asked(store):
    proc = sf("start", "--client", "Maria Svensson", "--plain", input="sv\nAnna\n")
    assert proc.returncode == 1
    assert "cannot be a client alias" in proc.stderr
    assert "Language" not in proc.stdout and "Practitioner" not in proc.stdout
    assert not store.root.exists() or not store.files()


def test_a_bad_alias_typed_at_the_prompt_is_asked_again(store):
    lines = "Maria Svensson\nK5\nsv\nAnna\n/paus\n"
    proc = sf("start", "--meeting", "first-visit", "--plain", input=lines)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("Client alias:") == 2
    assert "cannot be a client alias" in proc.stdout
    assert count(store, "K5") == 1


def test_a_bad_language_is_asked_again_and_later_questions_are_in_the_chosen_one(store):
    lines = "K5\nfr\nsv\nAnna\n/paus\n"
    proc = sf("start", "--meeting", "first-visit", "--plain", input=lines)
    assert proc.returncode == 0, proc.stderr
    assert "unsupported language 'fr'" in proc.stdout
    assert proc.stdout.count("Language, sv or en") == 2
    assert "Handläggare" in proc.stdout


def test_an_error_after_swedish_was_chosen_is_in_swedish(store):
    proc = sf("start", "--client", "K5", "--meeting", "nosuch", "--plain", input="sv\nAnna\n")
    assert proc.returncode == 1
    assert "nosuch" in proc.stderr and "bank" in proc.stderr
    assert "no built-in" not in proc.stderr
