"""The command line: typer commands that parse, call the library, and print.

Only this module imports typer. Each command is a few lines; the work is in
bank, meeting, store, review and ui. `main(argv, env)` runs one command and
returns its exit code; errors become one translated line there. The top group
builds only the command asked for (click's lazy loading: typer inspects every
signature it builds), and help texts are message keys put into the run's
language when help is shown.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
import typer.core
import typer.main

from sfcoach import __version__
from sfcoach.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOFTWARE,
    EXIT_USAGE,
    EXIT_USER,
    UserError,
)
from sfcoach.i18n import UnknownLanguage, has, lang_from_env, normalise_lang, resolve_lang, t

# Choices click checks (a usage error, listed in --help). They copy models.SESSION_STATUSES
# and export.FORMATS, whose modules are too slow to import for --help; a test keeps them equal.
Status = Literal["in-progress", "paused", "completed"]
Format = Literal["md", "json", "csv", "html"]
Ids = Literal["mask", "keep"]
Delimiter = Literal[",", ";", "tab"]
Role = Literal["caseworker", "lead", "admin"]  # pgteam.ROLES

MAX_LIMIT = 1_000_000  # more rows than any store holds; a larger number overflows sqlite
MAX_DAYS = 36_500  # a century: older dates do not exist for a person's records
TEAM_SCHEMES = ("postgresql://", "postgres://")  # a team store (pgstore), not a folder


class Run:
    """What one run was given: its environment and the shared options; it opens the store."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.store_option: Path | None = None  # --store, the last one given
        self.store_text: str | None = None  # --store as typed: a URI is no path
        self.command = ""  # the command's name, for a team store's access log
        self.lang_option: str | None = None  # --lang, checked
        self.lang_typed: str | None = None  # --lang as typed, seen before parsing (for help)
        self.debug = False
        self._store: Any = None
        self._config: Any = None

    def config(self) -> Any:
        """The user's config file, read once by the first command that needs a setting
        (never by --help). A broken one is reported once: the report reads an empty one."""
        if self._config is None:
            from sfcoach import config
            from sfcoach.paths import config_file

            self._config = config.Config()
            self._config = config.load(config_file())
        return self._config

    @property
    def lang(self) -> str:
        """--lang, else SFCOACH_LANG, else the config file, else the locale, else English."""
        if self.lang_option or self.env.get("SFCOACH_LANG"):
            return resolve_lang(self.lang_option, self.env)
        return self.config().lang or resolve_lang(None, self.env)

    def ids(self, given: Any) -> Any:
        """--ids, else the config file's, else mask."""
        return given or self.config().ids or "mask"

    def help_lang(self) -> str:
        """The language of help and usage errors: never an error itself."""
        typed = normalise_lang(self.lang_typed) if self.lang_typed else None
        try:
            return self.lang_option or typed or lang_from_env(self.env) or "en"
        except UnknownLanguage:
            return "en"

    @property
    def store_path(self) -> Path:
        if self.store_option is not None:
            return self.store_option.expanduser()
        value = self.env.get("SFCOACH_STORE")
        if value is None and self.config().store is not None:
            return Path(self.config().store)
        if value is None:
            from sfcoach.paths import default_store

            return default_store()
        if not value.strip():  # an empty path would be the current folder
            raise UserError("store.empty-env")
        return Path(value).expanduser()

    def store(self, quiet: bool = False, create: bool = False) -> Any:
        """The command's store; the first use warns if it is open to others. A --store
        that does not exist is a typo to report, unless the command `create`s it."""
        if self._store is None and self.team_uri():
            from sfcoach.pgstore import PgStore

            self._store = PgStore(self.team_uri() or "")
            self._store.command = self.command
        if self._store is None:
            from sfcoach.store import Store

            if not create and self.store_option is not None and not self.store_path.exists():
                raise UserError("store.missing", path=str(self.store_path))
            from sfcoach.ui.progress import IndexProgress

            path = self.store_path
            self._store = Store(path, notice=IndexProgress.for_stderr(self.lang))
            if not quiet and self._store.exposed():
                sys.stderr.write(t("store.exposed", self.lang, path=str(path)) + "\n")
        return self._store

    def team_uri(self) -> str | None:
        """A team store's postgresql:// URI, when --store or SFCOACH_STORE gives one."""
        given = self.store_text if self.store_option is not None else self.env.get("SFCOACH_STORE")
        return given.strip() if given and given.strip().startswith(TEAM_SCHEMES) else None

    def resume_command(self) -> str:
        import shlex

        # The hint repeats --store only when it was typed.
        typed = self.store_text if self.team_uri() else str(self.store_path)
        store = f" --store {shlex.quote(typed or '')}" if self.store_option else ""
        return f"sfcoach{store} resume"


def _run(ctx: typer.Context) -> Run:
    run = ctx.find_object(Run)
    assert run is not None, "main() gives every run a Run"
    return run


# --- help in the run's language ------------------------------------------------------


class _Localised:
    """Help texts are message keys ("opt.store"), translated when help or usage is shown."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _note_typed_lang(self, ctx, args)
        return super().parse_args(ctx, args)  # type: ignore[misc]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _translate(self, ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        from sfcoach.clicktext import usage_pieces, usage_prefix

        lang = _help_lang(ctx)
        pieces = usage_pieces(self.collect_usage_pieces(ctx), lang)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), usage_prefix(lang))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            from sfcoach.clicktext import word

            option.help = word("Show this message and exit.", _help_lang(ctx))
        return option


class Command(_Localised, typer.core.TyperCommand):
    """One command, its help in the run's language."""

    def invoke(self, ctx: Any) -> Any:
        # Read even when flags give every setting: a broken config file is told at once,
        # not first on the day a flag is left out. Help never gets here.
        _run(ctx).config()
        _run(ctx).command = " ".join(ctx.command_path.split()[1:]) or ctx.command_path
        return super().invoke(ctx)


class Group(_Localised, typer.core.TyperGroup):
    """A group whose commands are built on first use, from a table of builders."""

    def __init__(self, *, table: Mapping[str, Entry], **attrs: Any) -> None:
        super().__init__(commands=_Lazy(table), **attrs)  # type: ignore[arg-type]  # a mapping will do

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The listing from the table's help keys: --help builds no command."""
        from sfcoach.clicktext import summary, word

        lang = _help_lang(ctx)
        table = self.commands.table  # type: ignore[attr-defined]
        rows = [(name, summary(t(f"cli.{entry.help_key}", lang))) for name, entry in table.items()]
        with formatter.section(word("Commands", lang)):
            formatter.write_dl(rows)


class _Lazy(MutableMapping[str, Any]):
    """Command name -> command, each built on first lookup; typer's own code (suggestions
    for a typo, say) sees every name without building any."""

    def __init__(self, table: Mapping[str, Entry]) -> None:
        self.table = dict(table)
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            self.built[name] = self.table[name].build()
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.table[name] = Entry(command.help, lambda: command)
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.table[name]
        self.built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self.table

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


def _help_lang(ctx: Any) -> str:
    run = ctx.find_object(Run) if ctx is not None else None
    return run.help_lang() if run is not None else "en"


def _note_typed_lang(command: Any, ctx: Any, args: list[str]) -> None:
    """--lang, read by click's own parser before any option acts, so `--help --lang sv`
    is Swedish too. Errors are left for the real parse to report."""
    from typer._click.exceptions import UsageError

    run = ctx.find_object(Run)
    if run is None:
        return
    try:
        opts, _, _ = command.make_parser(ctx).parse_args(list(args))
    except UsageError:
        return
    if opts.get("lang"):
        run.lang_typed = opts["lang"]


def _translate(command: Any, ctx: Any) -> None:
    from sfcoach.clicktext import metavar

    lang = _help_lang(ctx)
    for item in [command, *command.params]:
        key = item.__dict__.setdefault("help_key", item.help)
        if key and has(f"cli.{key}"):
            item.help = t(f"cli.{key}", lang)
    for option in command.params:
        if option.param_type_name == "option" and not option.is_flag:
            shown = option.__dict__.setdefault("metavar_shown", option.make_metavar(ctx))
            option.metavar = metavar(max(option.opts, key=len), shown, lang)


# --- options every command shares --------------------------------------------------


def _set_store(ctx: Any, param: Any, value: str | None) -> None:
    if value is None:
        return
    if not value.strip():  # '' would be the current folder: scan --fix would chmod it all
        raise typer.BadParameter(t("store.empty", _help_lang(ctx)))
    _run(ctx).store_option = Path(value)
    _run(ctx).store_text = value


def _set_lang(ctx: Any, param: Any, value: str | None) -> None:
    if value is None:
        return
    code = normalise_lang(value)
    if code is None:
        raise typer.BadParameter(f"'{value}' is not one of 'sv', 'en'.")
    _run(ctx).lang_option = code


def _checked(module: str, check: str) -> Callable[[Any, Any, str | None], str | None]:
    """An option value the library checks (a date, say): refused as a usage error, like
    any other bad option value. The library module loads only when the option is given."""

    def callback(ctx: Any, param: Any, value: str | None) -> str | None:
        if value is not None:
            from importlib import import_module

            try:
                getattr(import_module(module), check)(value)
            except UserError as e:
                raise typer.BadParameter(t(e.key, _help_lang(ctx), **e.params)) from None
        return value

    return callback


def _set_debug(ctx: Any, param: Any, value: bool) -> None:
    if value:
        _run(ctx).debug = True


def _show_version(ctx: Any, param: Any, value: bool) -> None:
    if value:
        typer.echo(f"sfcoach {__version__}")
        raise typer.Exit()


def _option(decl: str, help_key: str, **kw: Any) -> typer.core.TyperOption:
    return typer.core.TyperOption(param_decls=[decl], help=help_key, expose_value=False, **kw)


def shared_options(store: bool = True) -> list[typer.core.TyperOption]:
    """--store and --lang, taken before or after the command name: the later one wins."""
    options = [_option("--lang", "opt.lang", metavar="<sv|en>", callback=_set_lang)]
    if store:
        options.insert(0, _option("--store", "opt.store", metavar="<path>", callback=_set_store))
    return options


def _top_options() -> list[typer.core.TyperOption]:
    return [
        *shared_options(),
        _option("--debug", "opt.debug", is_flag=True, default=False, callback=_set_debug),
        _option("--version", "opt.version", is_flag=True, is_eager=True, callback=_show_version),
        *_completion_options(),
    ]


def _completion_options() -> list[typer.core.TyperOption]:
    """typer's --install-completion and --show-completion, naming the shell."""
    return [
        _option(decl, key, metavar="<shell>", is_eager=True, callback=_completion)
        for decl, key in (
            ("--install-completion", "opt.install-completion"),
            ("--show-completion", "opt.show-completion"),
        )
    ]


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _completion(ctx: Any, param: Any, shell: str | None) -> None:
    if shell is None or ctx.resilient_parsing:
        return
    from typer import _completion_shared as completion

    if shell not in SHELLS:
        raise UserError("completion.shell", shell=shell, shells=", ".join(SHELLS))
    names = {"prog_name": "sfcoach", "complete_var": COMPLETE_VAR, "shell": shell}
    if param.name == "install_completion":
        _, path = completion.install(**names)
        typer.echo(t("completion.installed", _run(ctx).lang, shell=shell, path=str(path)))
    else:
        typer.echo(completion.get_completion_script(**names))
    raise typer.Exit()


JsonOpt = Annotated[bool, typer.Option("--json", help="opt.json")]
PlainOpt = Annotated[bool, typer.Option("--plain", help="opt.plain")]
IdsOpt = Annotated[Ids | None, typer.Option("--ids", help="opt.ids")]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="opt.since", callback=_checked("sfcoach.review", "check_date")),
]
LimitRange = {"min": 1, "max": MAX_LIMIT}


def _print_json(data: Any) -> None:
    from sfcoach.textsafe import json_text  # C1 and bidi controls as \u escapes: terminal-safe

    sys.stdout.write(json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


# --- meetings ----------------------------------------------------------------------


def _io(run: Run, lang: str, plain: bool) -> Any:
    if plain or not sys.stdin.isatty() or not sys.stdout.isatty() or run.env.get("TERM") == "dumb":
        from sfcoach.ui.plain import PlainIO

        return PlainIO()
    from sfcoach.ui.terminal import TerminalIO

    return TerminalIO(lang)


def start(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option("--client", help="opt.client")] = None,
    meeting: Annotated[str | None, typer.Option("--meeting", help="opt.meeting")] = None,
    bank: Annotated[str | None, typer.Option("--bank", help="opt.bank")] = None,
    practitioner: Annotated[
        str | None, typer.Option("--practitioner", help="opt.practitioner")
    ] = None,
    plain: PlainOpt = False,
    ids: IdsOpt = None,
    when: Annotated[
        str | None,
        typer.Option("--date", help="opt.date", callback=_checked("sfcoach.meeting", "parse_when")),
    ] = None,
    new: Annotated[bool, typer.Option("--new", help="opt.new")] = False,
    colleague: Annotated[str | None, typer.Option("--colleague", help="opt.colleague")] = None,
) -> None:
    from sfcoach import meeting as meetings
    from sfcoach.ui.session import ask_missing, offer_paused, run_session

    run = _run(ctx)
    ids = run.ids(ids)
    held = meetings.parse_when(when) if when else None
    lang_given = run.lang_option or run.env.get("SFCOACH_LANG") or run.config().lang
    if practitioner is None and not os.environ.get("SFCOACH_PRACTITIONER"):
        practitioner = run.config().practitioner
    named = practitioner is not None or bool(os.environ.get("SFCOACH_PRACTITIONER"))
    asks = client is None or not lang_given or not named  # a question before the first one
    io = _io(run, run.lang, plain)
    store = run.store(create=True)

    def check_client(alias: str) -> str:
        return str(store.client_alias(alias, new=True))

    client, session_lang, practitioner = ask_missing(
        io, run.lang, client, lang_given, practitioner, check_client
    )
    run.lang_option = session_lang  # what goes wrong from here is told in the chosen language
    paused = None if new else meetings.paused_meeting(store, client)
    if paused is not None and offer_paused(io, paused, session_lang, asks, run.resume_command()):
        opened = meetings.reopen(store, paused.id, colleague, ids)
        raise typer.Exit(run_session(opened, store, io, ids, run.resume_command(), fresh=False))
    opened = meetings.open_new(
        store, client, session_lang, practitioner or "", meeting, bank, held, ids, colleague
    )
    raise typer.Exit(run_session(opened, store, io, ids, run.resume_command(), fresh=True))


def resume(
    ctx: typer.Context,
    session_id: Annotated[
        str | None, typer.Argument(metavar="[SESSION_ID]", help="arg.session")
    ] = None,
    plain: PlainOpt = False,
    ids: IdsOpt = None,
) -> None:
    from sfcoach import meeting as meetings
    from sfcoach.ui.session import confirm_resume, run_session

    run = _run(ctx)
    ids = run.ids(ids)
    opened = meetings.reopen(run.store(), session_id)
    io = _io(run, opened.session.lang, plain)
    if session_id is None and not confirm_resume(io, opened, run.lang):
        raise typer.Exit(0)
    if opened.session.practice:
        from sfcoach.ui.practice import resume_practice

        raise typer.Exit(
            resume_practice(run.store(), io, opened.session, ids, run.resume_command())
        )
    raise typer.Exit(run_session(opened, run.store(), io, ids, run.resume_command(), fresh=False))


def practice_command(
    ctx: typer.Context,
    pair: Annotated[str | None, typer.Option("--pair", help="opt.pair")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="opt.scenario")] = None,
    minutes: Annotated[int, typer.Option("--minutes", help="opt.minutes", min=1, max=240)] = 15,
    rounds: Annotated[
        int | None, typer.Option("--rounds", help="opt.rounds", min=1, max=20)
    ] = None,
    list_cards: Annotated[bool, typer.Option("--list", help="opt.list-cards")] = False,
    show: Annotated[str | None, typer.Option("--show", help="opt.show-practice")] = None,
    level: Annotated[
        int | None, typer.Option("--level", help="opt.level", min=1, max=3, show_default=False)
    ] = None,
    cards_file: Annotated[Path | None, typer.Option("--cards", help="opt.cards")] = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    ids: IdsOpt = None,
) -> None:
    from sfcoach import practice
    from sfcoach.ui import render

    run = _run(ctx)
    if show is not None:
        _show_practice(run, show, as_json)
        return
    cards = practice.load_cards(cards_file)
    if list_cards:
        shown = practice.deck(cards, level)  # from easy to hard, as a practice rotates
        if as_json:
            _print_json([practice.card_json(c) for c in shown])
        else:
            render.card_table(shown, run.lang)
        return
    if scenario is not None:
        practice.find_card(cards, scenario)
    practice.deck(cards, level)  # no card of that level: said before anything is asked
    io = _io(run, run.lang, plain)
    if pair is None:
        from sfcoach.ui.session import ask_line

        pair = ask_line(io, t("practice.ask-names", run.lang))
    names = practice.parse_pair(pair)
    ids = run.ids(ids)
    if ids == "mask":
        names = practice.masked_names(names)
    rounds = len(names) if rounds is None else rounds
    if not 1 <= rounds <= 20:
        raise UserError("practice.rounds", value=rounds)
    from sfcoach.practiceround import new_plan
    from sfcoach.ui.practice import run_practice

    plan = new_plan(names, rounds, minutes, cards, cards_file, scenario, level)
    code = run_practice(
        run.store(create=True), io, run.lang, plan, cards, ids, run.resume_command()
    )
    raise typer.Exit(code)


def _show_practice(run: Run, ref: str, as_json: bool, every_round: bool = True) -> None:
    """A whole practice again: its group id, or any of its rounds' session ids."""
    from sfcoach import practicerecord, review
    from sfcoach.ui import render

    sessions, skipped = review.practice_rounds(run.store(), ref)
    render.warn_skipped(skipped, run.lang)
    rounds = practicerecord.keep(sessions)
    if as_json:
        _print_json(practicerecord.summary(rounds))
    else:
        from sfcoach.ui.practice import print_practice

        print_practice(rounds, run.lang, every_round)


# --- sessions ------------------------------------------------------------------------


def sessions_show(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(metavar="SESSION_ID", help="arg.session")],
    as_json: JsonOpt = False,
    reflection: Annotated[bool, typer.Option("--reflection", help="opt.reflection")] = False,
) -> None:
    from sfcoach import review, sessionfile

    run = _run(ctx)
    session = review.load_one(run.store(), session_id)
    if as_json:
        _print_json(sessionfile.session_json(session, reflection))
    else:
        from sfcoach.ui import pager, render

        with pager.paged(run.env):
            outcomes = review.outcome_words(session, run.lang)
            render.show_session(session, run.lang, reflection, outcomes)
            if session.practice and session.practice_data is not None:
                # The round among its practice's: the coaches side by side, and how to see all.
                _show_practice(run, session.id, False, every_round=False)


def sessions_list(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option("--client", help="opt.client-filter")] = None,
    since: SinceOpt = None,
    status: Annotated[Status | None, typer.Option("--status", help="opt.status")] = None,
    practice: Annotated[
        bool | None,
        typer.Option("--practice/--no-practice", help="opt.practice", show_default=False),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="opt.limit", **LimitRange)] = 50,
    show_all: Annotated[bool, typer.Option("--all", help="opt.all")] = False,
    as_json: JsonOpt = False,
) -> None:
    from sfcoach import review
    from sfcoach.ui import render

    run = _run(ctx)
    # Practice rounds are fictional: a list of meetings leaves them out unless asked.
    default = practice is None and not show_all
    rows, total, skipped, left_out = review.list_sessions(
        run.store(), client, since, status, False if default else practice,
        None if (show_all or as_json) else limit, count_practice=default and not as_json,
    )  # fmt: skip
    render.warn_skipped(skipped, run.lang)
    if as_json:
        _print_json(rows)
        return
    render.session_table(rows, total, run.lang)
    render.practice_hidden(left_out, run.lang)


# --- review ----------------------------------------------------------------------------


def history(
    ctx: typer.Context,
    alias: Annotated[str, typer.Argument(metavar="ALIAS", help="arg.alias")],
    as_json: JsonOpt = False,
) -> None:
    from sfcoach import review
    from sfcoach.ui import render

    run = _run(ctx)
    sessions, skipped = review.client_sessions(run.store(), alias)
    render.warn_skipped(skipped, run.lang)
    data = review.history(sessions)
    if as_json:
        _print_json(data)
    else:
        from sfcoach.ui import pager

        with pager.paged(run.env):
            render.history(data, run.lang)


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="arg.search")],
    client: Annotated[str | None, typer.Option("--client", help="opt.client-filter")] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", help="opt.search-limit", show_default=False, **LimitRange),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    from sfcoach import review
    from sfcoach.ui import render

    run = _run(ctx)
    shown = limit or (200 if as_json else 50)
    hits, skipped = review.search(run.store(), text, client, shown)
    render.warn_skipped(skipped, run.lang)
    if as_json:
        _print_json(hits)
    else:
        from sfcoach.ui import pager

        with pager.paged(run.env):
            render.search_hits(hits, run.lang, more=len(hits) == shown)


def export(
    ctx: typer.Context,
    session_id: Annotated[
        str | None, typer.Argument(metavar="[SESSION_ID]", help="arg.session")
    ] = None,
    client: Annotated[str | None, typer.Option("--client", help="opt.client-export")] = None,
    fmt: Annotated[
        Format | None, typer.Option("--format", help="opt.format", show_default=False)
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="opt.output")] = None,
    force: Annotated[bool, typer.Option("--force", help="opt.force")] = False,
    delimiter: Annotated[
        Delimiter | None, typer.Option("--delimiter", help="opt.delimiter", show_default=False)
    ] = None,
) -> None:
    from sfcoach import export as exports
    from sfcoach import review
    from sfcoach.output import write_private
    from sfcoach.ui import render

    run = _run(ctx)
    if (session_id is None) == (client is None):
        raise UserError("export.which")
    fmt = _export_format(fmt, output)
    if output is not None and output.exists() and not force:
        raise UserError("output.exists", path=str(output))
    if client is not None:
        sessions, skipped = review.client_sessions(run.store(), client)
        render.warn_skipped(skipped, run.lang)
    else:
        sessions = [review.load_one(run.store(), session_id or "")]
    # In the meetings' own language unless --lang says otherwise: a Swedish case file
    # reads Swedish whatever the computer's locale is.
    lang = run.lang_option or exports.sessions_lang(sessions) or run.lang
    sep = {"tab": "\t"}.get(delimiter or "", delimiter)
    text = exports.export(
        sessions, fmt, lang, client=sessions[0].client if client else None, delimiter=sep
    )
    if output is None:
        sys.stdout.write(text)
    else:
        write_private(output, text)
        sys.stderr.write(t("export.written", run.lang, path=str(output)) + "\n")


_EXTENSIONS: dict[str, Format] = {
    ".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv", ".html": "html", ".htm": "html",
}  # fmt: skip


def _export_format(fmt: Format | None, output: Path | None) -> Format:
    """--format, else what the file name says, else Markdown; a file name that says
    another format than --format is refused (it would open as the wrong thing)."""
    named = _EXTENSIONS.get(output.suffix.casefold()) if output is not None else None
    if fmt is not None and named is not None and named != fmt:
        e = UserError("export.format-mismatch", fmt=fmt, path=str(output), named=named)
        e.exit_code = EXIT_USAGE
        raise e
    return fmt or named or "md"


def stats(
    ctx: typer.Context,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    from sfcoach import review
    from sfcoach.ui import render

    run = _run(ctx)
    data, skipped = review.stats(run.store(), since)
    render.warn_skipped(skipped, run.lang)
    if as_json:
        _print_json(data)
    else:
        render.stats(data, run.lang)


# --- data protection -------------------------------------------------------------------


def purge(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option("--client", help="opt.client-purge")] = None,
    older_than: Annotated[
        int | None,
        typer.Option("--older-than", metavar="DAYS", help="opt.older-than", min=0, max=MAX_DAYS),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="opt.yes")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="opt.dry-run")] = False,
) -> None:
    from sfcoach import housekeeping
    from sfcoach.ui import render

    run = _run(ctx)
    doomed = housekeeping.plan_purge(run.store(), client, older_than)
    render.purge_plan(doomed, run.lang)
    if dry_run or not doomed:
        return
    if not yes:
        answer = _confirm(t("purge.confirm", run.lang, n=len(doomed)))
        from sfcoach.engine import YES

        if answer not in YES:
            raise UserError("purge.aborted")
    count = housekeeping.purge(run.store(), doomed, client)
    for item in doomed:
        if item.locked:
            sys.stderr.write(t("purge.locked", run.lang, id=item.id) + "\n")
    typer.echo(t("purge.done", run.lang, n=count))


def _confirm(question: str) -> str:
    """One line of confirmation; no line at all means no."""
    sys.stdout.write(question + " ")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not sys.stdin.isatty():
        sys.stdout.write(line if line.endswith("\n") else line + "\n")
    return line.strip().casefold()


def scan(
    ctx: typer.Context,
    fix: Annotated[bool, typer.Option("--fix", help="opt.fix")] = False,
) -> None:
    from sfcoach import housekeeping
    from sfcoach.ui import render

    run = _run(ctx)
    report = housekeeping.scan(run.store(quiet=True), fix)
    render.scan_report(report, fix, Path() if run.team_uri() else run.store_path, run.lang)
    for sid in report.locked:
        sys.stderr.write(t("scan.locked", run.lang, id=sid) + "\n")
    unfixed = (report.findings or report.exposed) and not fix
    raise typer.Exit(1 if unfixed or report.locked else 0)


# --- the team store (PostgreSQL): pgteam does the work -------------------------------------


def _team_store(run: Run) -> Any:
    if not run.team_uri():
        raise UserError("team.needs-uri")
    return run.store()


def team_init(ctx: typer.Context) -> None:
    from sfcoach import pgteam

    run = _run(ctx)
    applied = pgteam.init(_team_store(run))
    typer.echo(t("team.initialised", run.lang, n=len(applied)))


def team_add(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(metavar="USER", help="arg.team-user")],
    team: Annotated[str, typer.Option("--team", help="opt.team")],
    role: Annotated[Role, typer.Option("--role", help="opt.team-role")],
) -> None:
    from sfcoach import pgteam

    run = _run(ctx)
    created = pgteam.add(_team_store(run), user, team, role)
    key = "team.added-new" if created else "team.added"
    typer.echo(t(key, run.lang, user=user, team=team, role=role))


def team_push(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="arg.push-dir")],
    team: Annotated[str | None, typer.Option("--team", help="opt.push-team")] = None,
) -> None:
    from sfcoach import pgteam
    from sfcoach.ui.team import push_report

    run = _run(ctx)
    store = _team_store(run)
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(t("push.copying", run.lang), total=None)
            report = pgteam.push(
                store,
                folder.expanduser(),
                team,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
    else:
        report = pgteam.push(store, folder.expanduser(), team)
    push_report(report, run.lang)


def audit(
    ctx: typer.Context,
    client: Annotated[str, typer.Option("--client", help="opt.client-audit")],
    as_json: JsonOpt = False,
) -> None:
    from sfcoach import pgteam
    from sfcoach.ui.team import audit_table

    run = _run(ctx)
    rows = pgteam.audit(_team_store(run), client)
    if as_json:
        _print_json(rows)
    else:
        audit_table(rows, run.lang)


# --- banks: they never touch the store, so they take no --store -------------------------


def bank_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from sfcoach import bank as banks
    from sfcoach.ui import render

    run = _run(ctx)
    rows = banks.catalogue()
    if as_json:
        _print_json(rows)
    else:
        render.bank_table(rows, run.lang)


def bank_show(
    ctx: typer.Context,
    bank_id: Annotated[str, typer.Argument(metavar="ID", help="arg.bank")],
    as_json: JsonOpt = False,
) -> None:
    from sfcoach import bank as banks
    from sfcoach.ui import render

    run = _run(ctx)
    bank = banks.resolve(bank_id)
    if as_json:
        _print_json(bank.raw)
    else:
        render.show_bank(bank, run.lang)


def bank_validate(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="arg.files")],
) -> None:
    from sfcoach.ui import render

    raise typer.Exit(render.validate_report(files, _run(ctx).lang))


def bank_cards(
    ctx: typer.Context,
    bank_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="arg.bank-cards")] = None,
    phase: Annotated[str | None, typer.Option("--phase", help="opt.phase")] = None,
) -> None:
    from sfcoach.ui import render

    render.cards(bank_id, phase, _run(ctx).lang)


def bank_schema() -> None:
    from sfcoach import bank as banks

    _print_json(banks.json_schema())


# --- the command tree ------------------------------------------------------------------


class Entry:
    """A command in a group's table: its help key, for the listing, and how to build it."""

    def __init__(self, help_key: str, build: Callable[[], Any]) -> None:
        self.help_key, self.build = help_key, build


def _command(name: str, function: Callable[..., None], help_key: str, store: bool = True) -> Entry:
    """One command (typer reads its signature when it is built), with the shared options."""

    def build() -> Any:
        one = typer.Typer(add_completion=False, rich_markup_mode=None)
        one.command(name, help=help_key, cls=Command)(function)
        command = typer.main.get_command(one)
        command.params += shared_options(store)
        return command

    return Entry(help_key, build)


def _group(name: str, help_key: str, table: dict[str, Entry]) -> Entry:
    def build() -> Any:
        return Group(
            name=name, table=table, help=help_key, no_args_is_help=True, rich_markup_mode=None
        )

    return Entry(help_key, build)


COMMANDS: dict[str, Entry] = {
    "start": _command("start", start, "start"),
    "resume": _command("resume", resume, "resume"),
    "practice": _command("practice", practice_command, "practice"),
    "history": _command("history", history, "history"),
    "search": _command("search", search, "search"),
    "export": _command("export", export, "export"),
    "stats": _command("stats", stats, "stats"),
    "purge": _command("purge", purge, "purge"),
    "scan": _command("scan", scan, "scan"),
    "audit": _command("audit", audit, "audit"),
    "team": _group(
        "team",
        "team",
        {
            "init": _command("init", team_init, "team.init"),
            "add": _command("add", team_add, "team.add"),
            "push": _command("push", team_push, "team.push"),
        },
    ),
    "sessions": _group(
        "sessions",
        "sessions",
        {
            "show": _command("show", sessions_show, "sessions.show"),
            "list": _command("list", sessions_list, "sessions.list"),
        },
    ),
    "bank": _group(
        "bank",
        "bank",
        {
            "list": _command("list", bank_list, "bank.list", store=False),
            "show": _command("show", bank_show, "bank.show", store=False),
            "validate": _command("validate", bank_validate, "bank.validate", store=False),
            "cards": _command("cards", bank_cards, "bank.cards", store=False),
            "schema": _command("schema", bank_schema, "bank.schema", store=False),
        },
    ),
}


def app() -> Group:
    """The whole command line; each run gets a fresh one, so nothing carries over."""
    return Group(
        name="sfcoach",
        table=COMMANDS,
        params=_top_options(),
        help="app",
        no_args_is_help=True,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


# --- entry point ---------------------------------------------------------------------


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run one command line and return its exit code; nothing is raised, nothing kept.

    `env` is where the command line reads SFCOACH_LANG, SFCOACH_STORE, the locale and
    TERM (default: os.environ); the library still reads os.environ for the rest.
    """
    from typer._click.exceptions import UsageError

    from sfcoach.clicktext import install
    from sfcoach.fsio import tolerant_output

    run = Run(os.environ if env is None else env)
    install()
    tolerant_output()
    if run.env.get(COMPLETE_VAR):  # the shell asks what to complete (see --show-completion)
        return _complete(run, run.env[COMPLETE_VAR])
    try:
        code = _invoke(run, sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except UsageError as e:
        return _usage_error(e, run)
    except UserError as e:
        return _fail(t(e.key, _lang(run), **e.params), e.exit_code)
    except UnknownLanguage as e:
        return _fail(t("error.lang", _lang(run), value=e.value), EXIT_USER)
    except (KeyboardInterrupt, typer.Abort):
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _pipe_closed()
    except SystemExit as e:  # rich's answer to a closed pipe is SystemExit(1)
        if isinstance(e.__context__, BrokenPipeError):
            return _pipe_closed()
        return e.code if isinstance(e.code, int) else EXIT_OK if e.code is None else EXIT_USER
    except Exception as e:  # a bug: say where, never the data that was being handled
        return _internal_error(e, run)


COMPLETE_VAR = "_SFCOACH_COMPLETE"


def _complete(run: Run, instruction: str) -> int:
    from typer._completion_classes import completion_init
    from typer.completion import shell_complete

    completion_init()  # typer's scripts, which --show-completion prints
    return shell_complete(app(), {"obj": run}, "sfcoach", COMPLETE_VAR, instruction)


def _invoke(run: Run, args: list[str]) -> int:
    try:
        with app().make_context("sfcoach", args, obj=run) as ctx:
            ctx.command.invoke(ctx)
    except typer.Exit as e:  # --help, --version, and commands with their own code
        return e.exit_code
    return EXIT_OK


def _internal_error(e: Exception, run: Run) -> int:
    if run.debug:
        import traceback

        sys.stderr.write("".join(traceback.format_tb(e.__traceback__)))
    message = t("error.internal", _lang(run), kind=type(e).__name__, where=_where(e))
    return _fail(message, EXIT_SOFTWARE)


def _lang(run: Run) -> str:
    try:
        return run.lang
    except (UnknownLanguage, UserError):  # a bad SFCOACH_LANG, or config file
        return "en"


def _usage_error(e: Any, run: Run) -> int:
    from sfcoach.clicktext import show_usage_error

    show_usage_error(e, run.help_lang(), sys.stderr)
    return e.exit_code if isinstance(e.exit_code, int) else EXIT_USAGE


def _pipe_closed() -> int:
    """The reader went away (| head): not an error worth a word, at exit either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is no file (tests): nothing will flush to a closed pipe
    return EXIT_OK


def _where(e: BaseException) -> str:
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"sfcoach: {message}\n")
    return code
