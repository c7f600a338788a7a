"""The words typer and click print themselves (help headings, usage errors), in Swedish.

Typer 0.2x vendors click with its texts in English and no catalogue, so for a
Swedish user they are swapped here: `cli`'s command classes ask `word()` and
`usage_prefix()`, `show_usage_error()` shows a usage error, and `install()`
gives typer's own gettext a function that answers in the language of the run
being parsed (the current click context), so one process can run English and
Swedish command lines one after the other.
"""

from __future__ import annotations

import re
from typing import IO, Any

WORDS = {
    "Arguments": "Argument",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "env var: {var}": "miljövariabel: {var}",
    "(dynamic)": "(dynamiskt)",
    "Aborted!": "Avbrutet!",
    "Missing command.": "Kommando saknas.",
    "No such command {name!r}.": "Det finns inget kommando {name!r}.",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "[OPTIONS]": "[FLAGGOR]",
    "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]...",
}

# An option's value placeholder: what the value is, not click's type name (`<str>`).
# By option, then by click's placeholder; (English, Swedish).
OPTION_METAVARS = {
    "--client": ("<alias>", "<alias>"),
    "--bank": ("<file|id>", "<fil|id>"),
    "--meeting": ("<type>", "<typ>"),
    "--date": ("<date>", "<datum>"),
    "--since": ("<date>", "<datum>"),
    "--pair": ("<names>", "<namn>"),
    "--practitioner": ("<name>", "<namn>"),
    "--colleague": ("<name>", "<namn>"),
    "--scenario": ("<id>", "<id>"),
    "--show": ("<group|id>", "<övning|id>"),
    "--phase": ("<P|L|U|S>", "<P|L|U|S>"),
    "--install-completion": ("<shell>", "<skal>"),
    "--show-completion": ("<shell>", "<skal>"),
}
TYPE_METAVARS = {
    "<str>": ("<text>", "<text>"),
    "<int range>": ("<N>", "<N>"),
    "<integer>": ("<N>", "<N>"),
    "<int>": ("<N>", "<N>"),
    "<path>": ("<path>", "<sökväg>"),
}
# Abbreviations whose full stop does not end a command's summary.
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "t.ex.", "bl.a.", "d.v.s.", "dvs.", "osv.", "m.m.")

# A usage error's message, made by click in English, as (pattern, Swedish).
MESSAGES = [
    (r"No such command '(.*)'\.", "Det finns inget kommando '{0}'."),
    (r"No such option: (\S+) \(Possible options: (.*)\)", "Okänd flagga: {0} (möjliga: {1})"),
    (r"No such option: (\S+)", "Okänd flagga: {0}"),
    (r"Missing argument '(.*)'\.", "Argumentet '{0}' saknas."),
    (r"Missing option '(.*)'\.", "Flaggan '{0}' saknas."),
    (r"Option '(.*)' requires an argument\.", "Flaggan '{0}' behöver ett värde."),
    (r"Option '(.*)' does not take a value\.", "Flaggan '{0}' tar inget värde."),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", "Oväntade argument ({0})"),
    (r"Invalid value for (.*?): (.*)", "Ogiltigt värde för {0}: {1}"),
    (
        r"'(.*)' is not a valid (?:integer|int|integer range|int range)\.",
        "'{0}' är inte ett heltal.",
    ),
    (r"'(.*)' is not a valid (?:float|float range)\.", "'{0}' är inte ett tal."),
    (r"'(.*)' is not a valid (.*)\.", "'{0}' är inte ett giltigt värde ({1})."),
    (r"(.*) is not in the range (.*)\.", "{0} ligger utanför {1}."),
    (r"'(.*)' is not one of (.*)\.", "'{0}' är inte något av {1}."),
    (r"Missing command\.", "Kommando saknas."),
]


def swedish(message: str) -> str:
    """Click's message in Swedish where it is one of the known kinds, else as it is."""
    for pattern, template in MESSAGES:
        m = re.fullmatch(pattern, message, flags=re.DOTALL)
        if m:
            return template.format(*(swedish(g) for g in m.groups()))
    return message


def word(text: str, lang: str) -> str:
    return WORDS.get(text, text) if lang == "sv" else text


def metavar(option: str, shown: str, lang: str) -> str:
    """The placeholder an option's help shows for its value, `shown` being click's own."""
    pair = OPTION_METAVARS.get(option) or TYPE_METAVARS.get(shown)
    return pair[lang == "sv"] if pair else shown


def summary(text: str) -> str:
    """A command's help cut to its summary for a listing: the first sentence or clause,
    without asides in brackets; an abbreviation's full stop ends nothing (click's own
    cut stops at "(e.g.")."""
    for abbreviation in ABBREVIATIONS:
        text = text.replace(abbreviation, abbreviation.replace(".", "\0"))
    text = re.sub(r"\s*\([^()]*\)", "", text)
    first = re.split(r"\.\s|;\s", text, maxsplit=1)[0]
    return first.rstrip(".").replace("\0", ".")


def usage_pieces(pieces: list[str], lang: str) -> list[str]:
    """Click's usage line after the command: `[FLAGGOR]` in Swedish, and a required
    argument as its plain name (typer's `{ALIAS}` reads as a literal brace)."""
    return [re.sub(r"\{([^{}]*)\}", r"\1", word(piece, lang)) for piece in pieces]


def usage_prefix(lang: str) -> str | None:
    """None leaves click's own ("Usage: ")."""
    return "Användning: " if lang == "sv" else None


def install() -> None:
    import typer.core

    typer.core._ = _gettext  # type: ignore[assignment]


def _gettext(message: str) -> str:
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    run: Any = ctx.find_root().obj if ctx is not None else None
    return word(message, run.help_lang() if hasattr(run, "help_lang") else "en")


def show_usage_error(error: Any, lang: str, out: IO[str]) -> None:
    """Click's usage error, with its usage line and hint, in the user's language."""
    if lang != "sv" or not hasattr(error, "ctx") or type(error).__name__ == "NoArgsIsHelpError":
        error.show(out)
        return
    ctx = error.ctx
    if ctx is not None:
        out.write(ctx.get_usage() + "\n")
        if ctx.command.get_help_option(ctx) is not None:
            out.write(f"Se '{ctx.command_path} {ctx.help_option_names[0]}' för hjälp.\n")
        out.write("\n")
    out.write(f"Fel: {swedish(error.format_message())}\n")
