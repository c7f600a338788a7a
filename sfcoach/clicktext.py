"""The words typer and click print themselves (help headings, usage errors), in Swedish.

Typer 0.2x vendors click with its texts in English and no catalogue, so for a
Swedish user they are swapped here, at the few places they are made: the help
formatter, typer's own gettext, the help option, and how a usage error is shown.
Only `cli` imports this, and only when the language is Swedish.
"""

from __future__ import annotations

import re
import sys
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
}

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
    (r"'(.*)' is not a valid (?:integer|int|integer range|int range)\.", "'{0}' är inte ett heltal."),
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


def use_swedish() -> None:
    import typer.core
    from typer._click import core, exceptions, formatting

    typer.core._ = lambda text: WORDS.get(text, text)  # type: ignore[attr-defined]

    write_usage = formatting.HelpFormatter.write_usage

    def write_usage_sv(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "Användning: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage_sv  # type: ignore[method-assign]

    get_help_option = core.Command.get_help_option

    def get_help_option_sv(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = WORDS["Show this message and exit."]
        return option

    core.Command.get_help_option = get_help_option_sv  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    out = file or sys.stderr
    ctx = self.ctx
    if ctx is not None:
        out.write(ctx.get_usage() + "\n")
        if ctx.command.get_help_option(ctx) is not None:
            out.write(f"Se '{ctx.command_path} {ctx.help_option_names[0]}' för hjälp.\n")
        out.write("\n")
    out.write(f"Fel: {swedish(self.format_message())}\n")
