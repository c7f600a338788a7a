"""The command line as a whole: help, README coverage, languages, exit codes."""

from __future__ import annotations

import ast
import re
import string

import pytest
from helpers import ROOT, no_traceback, sf

from sfcoach.i18n import LANGS, catalogue

MESSAGES = catalogue("en").MESSAGES

README = (ROOT / "README.md").read_text(encoding="utf-8")


ENGLISH = {"SFCOACH_LANG": "en"}  # collection runs outside the isolating fixture


def commands() -> list[list[str]]:
    """Every command path, read from --help itself (in process): ['start'], ['bank', 'list'], ..."""
    found = []
    for name in _listed(sf("--help", env=ENGLISH).stdout):
        sub = _listed(sf(name, "--help", env=ENGLISH).stdout)
        found += [[name, s] for s in sub] if sub else [[name]]
    return found


def _listed(help_text: str) -> list[str]:
    if "Commands:" not in help_text:
        return []
    block = help_text.split("Commands:", 1)[1]
    return re.findall(r"^  ([a-z][a-z-]*)\s", block, flags=re.M)


def flags(path: list[str]) -> set[str]:
    help_text = sf(*path, "--help", env=ENGLISH).stdout
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", help_text)) - {"--help"}


ALL = commands()


def test_help_lists_the_contracts_commands():
    names = {" ".join(p) for p in ALL}
    for expected in [
        "start", "resume", "practice", "sessions list", "sessions show", "history", "search",
        "export", "stats", "bank list", "bank show", "bank validate", "bank cards", "bank schema",
        "purge", "scan",
    ]:  # fmt: skip
        assert expected in names


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_every_command_and_flag_in_help_is_in_the_readme(path):
    assert f"sfcoach {' '.join(path)}" in README or f"`{path[-1]}`" in README, path
    missing = [f for f in flags(path) if f not in README]
    assert not missing, f"{' '.join(path)}: {missing} not in README.md"


def test_global_options_are_documented():
    for flag in flags([]):
        assert flag in README


def test_help_speaks_swedish_when_asked():
    text = sf("--help", env={"SFCOACH_LANG": "sv"}).stdout
    assert "samtalsstöd" in text and "Håll ett guidat samtal" in text
    assert "Visa versionen" in sf("--lang", "sv", "--help").stdout


def test_swedish_help_has_swedish_headings_too():
    text = sf("--lang", "sv", "history", "--help").stdout
    for word in ["Användning: sfcoach history", "Argument:", "[krävs]", "Flaggor:"]:
        assert word in text
    assert "Visa den här hjälpen och avsluta." in text
    assert not any(english in text for english in ["Usage:", "Options:", "Show this message"])
    assert "Kommandon:" in sf("--help", env={"SFCOACH_LANG": "sv"}).stdout


@pytest.mark.parametrize(
    ("args", "swedish", "english"),
    [
        (["frobnicate"], "Det finns inget kommando 'frobnicate'.", "No such command 'frobnicate'."),
        (["history"], "Argumentet 'ALIAS' saknas.", "Missing argument 'ALIAS'."),
        (["stats", "--since"], "Flaggan '--since' behöver ett värde.", "requires an argument"),
        (["history", "K1", "K2"], "Oväntade argument (K2)", "unexpected extra argument"),
        (
            ["sessions", "list", "--limit", "x"],
            "Ogiltigt värde för '--limit': 'x' är inte ett heltal.",
            "Invalid value for '--limit'",
        ),
        (
            ["sessions", "list", "--limit", "0"],
            "Ogiltigt värde för '--limit': 0 ligger utanför 1<=x<=1000000.",
            "is not in the range",
        ),
        (["sessions", "list", "--stat", "x"], "Okänd flagga: --stat (möjliga: --status", "No such"),
    ],
)
def test_usage_errors_speak_the_users_language(args, swedish, english):
    proc = sf("--lang", "sv", *args)
    assert proc.returncode == 2 and no_traceback(proc)
    assert f"Fel: {swedish}" in proc.stderr and "Error" not in proc.stderr
    assert "Se 'sfcoach" in proc.stderr or args == ["stats", "--since"]
    proc = sf(*args, env={"SFCOACH_LANG": "en"})
    assert proc.returncode == 2 and "Error: " in proc.stderr and english in proc.stderr


@pytest.mark.parametrize("command", ["start", "resume", "practice"])
def test_a_misspelt_ids_choice_never_turns_masking_off(command):
    proc = sf(command, "--ids", "maks", input="")
    assert proc.returncode == 2 and no_traceback(proc)
    assert "Invalid value for '--ids': 'maks' is not one of 'mask', 'keep'." in proc.stderr


def test_a_click_message_without_a_translation_is_kept_as_it_is():
    from sfcoach.clicktext import swedish

    assert swedish("Something new in a later click.") == "Something new in a later click."
    assert swedish("Invalid value for '--x': odd") == "Ogiltigt värde för '--x': odd"


def test_version_and_usage_errors():
    assert re.fullmatch(r"sfcoach \d+\.\d+\.\d+\n", sf("--version").stdout)
    proc = sf("frobnicate")
    assert proc.returncode == 2 and "No such command" in proc.stderr
    proc = sf("sessions", "list", "--limit", "zero")
    assert proc.returncode == 2 and no_traceback(proc)


def test_an_unsupported_language_in_the_environment_is_one_line():
    proc = sf("bank", "list", env={"SFCOACH_LANG": "de"})
    assert proc.returncode == 1 and "unsupported language 'de'" in proc.stderr
    assert no_traceback(proc)


# --- the message catalogue -----------------------------------------------------------------


def _placeholders(text: str | dict[str, str]) -> set[str]:
    """The parameters a message names, over all its plural forms; {coach_gen} is {coach}."""
    forms = text.values() if isinstance(text, dict) else [text]
    fields = string.Formatter()
    return {f.removesuffix("_gen") for form in forms for _, f, _, _ in fields.parse(form) if f}


PLURAL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}  # CLDR's


def test_every_message_exists_in_every_language_with_the_same_placeholders():
    for lang in LANGS:
        texts = catalogue(lang).MESSAGES
        assert set(texts) == set(MESSAGES), lang
        for key, text in texts.items():
            assert _placeholders(text) == _placeholders(MESSAGES[key]), (lang, key)
            if isinstance(text, dict):  # plural forms: the language's own categories
                assert "other" in text and set(text) <= PLURAL_CATEGORIES, (lang, key)
            assert (
                lang == "en"
                or text != MESSAGES[key]
                or key.startswith(("col.", "validate.", "category.", "tips"))
                or len(str(MESSAGES[key])) < 12
            ), (lang, key)


def used_keys() -> set[str]:
    """Message keys written as string literals in the package's source."""
    prefixes = {k.split(".", 1)[0] for k in MESSAGES}
    keys = set()
    for path in (ROOT / "sfcoach").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                if (
                    re.fullmatch(r"[a-z]+(\.[a-z0-9-]+)+", value)
                    and value.split(".")[0] in prefixes
                ):
                    keys.add(value)
    return keys


def test_every_message_key_the_code_names_exists():
    # Help texts are named without their "cli." prefix (_h adds it); file names look like keys.
    # A literal ending in '-' is the start of keys completed at run time ("view.was-" + status).
    missing = sorted(
        k for k in used_keys()
        if k not in MESSAGES and f"cli.{k}" not in MESSAGES and not k.endswith((".yaml", ".py"))
        and not (k.endswith("-") and any(m.startswith(k) for m in MESSAGES))
    )  # fmt: skip
    assert not missing
