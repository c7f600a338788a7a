"""Issue 14's low points for the command line: Swedish names, the Swedish help, a config file."""

from __future__ import annotations

import pytest
from helpers import ROOT, engine_for, sf

from sfcoach import bank as banks
from sfcoach.bank import load_file
from sfcoach.engine import Engine
from sfcoach.errors import UserError

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
    return engine_for(ENGINE_BANK, lang="sv")


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


# --- the config file --------------------------------------------------------------------


@pytest.fixture
def config(isolated):
    """Writes the user's config.toml (the fixture isolates XDG_CONFIG_HOME)."""
    path = isolated / "config" / "sfcoach" / "config.toml"
    path.parent.mkdir(parents=True)

    def write(text: str):
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _show(proc) -> dict:
    import json
    import re

    found = re.findall(r"\d{8}-\d{6}-[0-9a-f]{4,8}", proc.stdout + proc.stderr)
    assert found, proc.stdout[-500:] + proc.stderr[-500:]
    return json.loads(sf("sessions", "show", found[-1], "--json").stdout)


def test_the_config_file_gives_the_language(config):
    config('lang = "sv"\n')
    assert "Nybesök" in sf("bank", "list").stdout
    assert "First visit" in sf("bank", "list", env={"SFCOACH_LANG": "en"}).stdout
    assert "First visit" in sf("--lang", "en", "bank", "list").stdout


def test_the_config_file_gives_the_store(config, isolated, monkeypatch):
    monkeypatch.delenv("SFCOACH_STORE")
    configured, other = isolated / "from-config", isolated / "other"
    other.mkdir()
    config(f'store = "{configured}"\n')
    proc = sf("start", "--client", "K1", "--lang", "en", "--practitioner", "A", input="/pause\n")
    assert proc.returncode == 0, proc.stderr
    assert any(configured.iterdir())
    assert '"K1"' in sf("sessions", "list", "--json").stdout
    assert '"K1"' not in sf("sessions", "list", "--json", env={"SFCOACH_STORE": str(other)}).stdout
    assert '"K1"' not in sf("--store", str(other), "sessions", "list", "--json").stdout


def test_the_config_file_gives_the_practitioner_and_language(config):
    config('practitioner = "Anna"\nlang = "sv"\n')
    proc = sf("start", "--client", "K1", input="/paus\n")
    assert proc.returncode == 0, proc.stderr
    assert "Handläggare" not in proc.stdout  # not asked
    shown = _show(proc)
    assert (shown["practitioner"], shown["lang"]) == ("Anna", "sv")
    proc = sf("start", "--client", "K2", "--practitioner", "Björn", "--new", input="/paus\n")
    assert _show(proc)["practitioner"] == "Björn"


def test_the_config_file_gives_ids_keep(config):
    from helpers import SAMPLE_BANK

    config('ids = "keep"\n')
    args = ("start", "--client", "K1", "--lang", "en", "--practitioner", "A")
    proc = sf(*args, "--bank", str(SAMPLE_BANK), input="19121212-1212\n/pause\n")
    assert _show(proc)["answers"][0]["text"] == "19121212-1212"
    proc = sf(
        *args, "--new", "--ids", "mask", "--bank", str(SAMPLE_BANK), input="19121212-1212\n/pause\n"
    )
    assert _show(proc)["answers"][0]["text"] != "19121212-1212"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('lang = "sv"\npractitioner = Anna\n', ["config.toml", "line 2", "TOML"]),
        ("lang = 5\n", ["config.toml", "'lang'"]),
        ('lang = "de"\n', ["config.toml", "'lang'", '"sv" or "en"']),
        ("store = ''\n", ["config.toml", "'store'"]),
        ('ids = "yes"\n', ["config.toml", "'ids'", '"mask" or "keep"']),
        ('langauge = "sv"\n', ["config.toml", "'langauge'", "lang, practitioner, store, ids"]),
    ],
)
def test_a_bad_config_file_is_one_line_naming_the_file_and_key(config, text, words):
    path = config(text)
    proc = sf("--lang", "en", "sessions", "list")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert str(path) in proc.stderr
    for word in words:
        assert word in proc.stderr


def test_a_bad_config_file_in_swedish(config):
    config("lang = 5\n")
    proc = sf("sessions", "list", env={"SFCOACH_LANG": "sv"})
    assert proc.returncode == 1
    assert "konfigurationsfilen" in proc.stderr and "'lang'" in proc.stderr


def test_help_does_not_read_the_config_file(config):
    config("this is not toml\n")
    proc = sf("--help")
    assert proc.returncode == 0 and proc.stderr == ""
    assert sf("start", "--help").returncode == 0


def test_the_readme_example_config_is_valid():
    import re

    from sfcoach import config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Configuration.*?```toml\n(.*?)```", readme, flags=re.S)
    assert block is not None
    loaded = config.parse(block[1], ROOT / "README.md")
    assert (loaded.lang, loaded.practitioner, loaded.ids) == ("sv", "Anna", "mask")
