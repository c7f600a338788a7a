"""Issue 14's low points for the command line: Swedish names, the Swedish help, a config file."""

from __future__ import annotations

import pytest
from helpers import ROOT, sf

from sfcoach import bank as banks
from sfcoach.bank import load_file
from sfcoach.engine import Engine
from sfcoach.errors import UserError
from sfcoach.models import Session

# --- Swedish names: meetings and phases -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "bank_id"),
    [
        ("nybesök", "first-visit"),
        ("Nybesök", "first-visit"),
        ("UPPFÖLJNING", "follow-up"),
        ("genomförandeplan", "plan"),
        ("avstämning", "check-in"),
        ("kort avstämning", "check-in"),
        ("nätverksmöte", "network"),
        ("avslutande", "closing"),
        ("Avslutande samtal", "closing"),
        ("first visit", "first-visit"),
        ("follow-up", "follow-up"),
    ],
)
def test_a_builtin_meeting_by_its_name(name, bank_id):
    assert banks.load_builtin(name).id == bank_id
    assert banks.resolve(name).id == bank_id


def test_an_unknown_meeting_name_is_still_refused():
    with pytest.raises(UserError) as err:
        banks.load_builtin("kaffepaus")
    assert err.value.key == "bank.unknown"


def test_start_takes_the_swedish_meeting_name():
    proc = sf("--lang", "sv", "start", "--client", "K1", "--meeting", "nybesök", input="/paus\n")
    assert proc.returncode == 0, proc.stderr
    listed = sf("--lang", "sv", "sessions", "list", "--json").stdout
    assert '"first-visit"' in listed


def test_bank_show_takes_the_swedish_name():
    proc = sf("--lang", "sv", "bank", "show", "uppföljning")
    assert proc.returncode == 0, proc.stderr
    assert "Uppföljning" in proc.stdout


ENGINE_BANK = load_file(ROOT / "tests" / "banks" / "engine.yaml")


def _engine() -> Engine:
    b = ENGINE_BANK
    session = Session(
        id="20261123-100000-aaaa",
        client="K1",
        meeting=b.id,
        bank_id=b.id,
        bank_version=b.version,
        lang="sv",
    )
    return Engine(b, session, None, clock=lambda: "2026-11-23T10:00:00+01:00")


@pytest.mark.parametrize(
    ("line", "phase"),
    [
        ("/fas lösning", "L"),
        ("/fas Lösning", "L"),
        ("/fas undantag", "U"),
        ("/fas plattform", "P"),
        ("/fas steg", "S"),
        ("/phase solution", "L"),
        ("/phase Exceptions", "U"),
        ("/phase steps", "S"),
        ("/fas u", "U"),
    ],
)
def test_phase_by_its_name(line, phase):
    e = _engine()
    if phase == "P":
        e.handle("/fas U")
    reply = e.handle(line)
    assert [k for k, _ in reply.messages] == []
    p = e.prompt()
    assert p.question is not None
    assert next(ph.id for ph, q in e.flat if q.id == p.question.id) == phase


def test_an_unknown_phase_word_is_still_refused():
    e = _engine()
    assert [k for k, _ in e.handle("/fas kaffe").messages] == ["phase.usage"]


# --- the Swedish --help -----------------------------------------------------------------

SWEDISH = {"SFCOACH_LANG": "sv"}


def test_swedish_usage_says_flaggor_and_no_typer_braces():
    top = sf("--help", env=SWEDISH).stdout
    assert "Användning: sfcoach [FLAGGOR] KOMMANDO [ARGUMENT]..." in top
    assert "[OPTIONS]" not in top
    history = sf("history", "--help", env=SWEDISH).stdout
    assert "Användning: sfcoach history [FLAGGOR] ALIAS" in history
    assert "{ALIAS}" not in history


def test_a_usage_error_shows_the_swedish_usage_line():
    proc = sf("history", env=SWEDISH)
    assert proc.returncode == 2
    assert "Användning: sfcoach history [FLAGGOR] ALIAS" in proc.stderr


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_option_placeholders_name_the_value_not_the_type(lang):
    text = sf("--lang", lang, "sessions", "list", "--help").stdout
    text += sf("--lang", lang, "start", "--help").stdout
    text += sf("--lang", lang, "practice", "--help").stdout
    for typer_word in ("<str>", "<int range>", "<integer>", "TEXT]", "INTEGER"):
        assert typer_word not in text
    assert "--client <alias>" in text
    assert "--limit <N>" in text and "--minutes <N>" in text
    assert ("--meeting <typ>" if lang == "sv" else "--meeting <type>") in text
    assert ("--store <sökväg>" if lang == "sv" else "--store <path>") in text


@pytest.mark.parametrize(("lang", "scan"), [
    ("sv", "scan      Hitta personnummer som sparats omaskerade och filer som andra kan"),
    ("en", "scan      Find personal identity numbers saved unmasked and files open to"),
])  # fmt: skip
def test_command_summaries_are_not_cut_at_an_abbreviation(lang, scan):
    text = sf("--lang", lang, "--help").stdout
    assert scan in text
    assert "(t.ex." not in text and "(e.g." not in text
    assert (
        "start     " + ("Håll ett guidat samtal" if lang == "sv" else "Run a guided meeting")
        in text
    )


def test_a_summary_is_the_first_sentence_without_asides():
    from sfcoach.clicktext import summary

    assert summary("Do X (e.g. with Y) and Z; more. Rest.") == "Do X and Z"
    assert summary("Gör X, t.ex. Y. Sedan Z.") == "Gör X, t.ex. Y"
    assert summary("One sentence.") == "One sentence"
