"""The command line: typer commands that parse, call the library, and print.

Only this module imports typer. Each command is a few lines; the work is in
bank, meeting, store, review and ui. Errors become one translated line and
an exit code in `main()`. Help is shown in Swedish when SFCOACH_LANG, --lang
or the locale says so.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sfcoach import __version__
from sfcoach.errors import EXIT_INTERRUPTED, EXIT_USER, UserError
from sfcoach.i18n import lang_from_env, normalise_lang, resolve_lang, t


def _argv_lang() -> str:
    """The language asked for on the command line or in the environment, before parsing."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return normalise_lang(args[i + 1]) or "en"
        if arg.startswith("--lang="):
            return normalise_lang(arg[7:]) or "en"
    try:
        return lang_from_env() or "en"
    except Exception:
        return "en"


HELP_LANG = _argv_lang()


def _h(key: str) -> str:
    return t("cli." + key, HELP_LANG)


app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help=_h("app"),
    context_settings={"help_option_names": ["-h", "--help"]},
)
bank_app = typer.Typer(help=_h("bank"), no_args_is_help=True, rich_markup_mode=None)
sessions_app = typer.Typer(help=_h("sessions"), no_args_is_help=True, rich_markup_mode=None)
app.add_typer(bank_app, name="bank")
app.add_typer(sessions_app, name="sessions")

# Options every command takes; the ones given after the command win over those before it.
StoreOpt = Annotated[Path | None, typer.Option("--store", help=_h("opt.store"), show_default=False)]
LangOpt = Annotated[str | None, typer.Option("--lang", help=_h("opt.lang"), show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help=_h("opt.json"))]
PlainOpt = Annotated[bool, typer.Option("--plain", help=_h("opt.plain"))]


def _check_ids(value: str) -> str:
    if value not in ("mask", "keep"):
        raise UserError("error.ids", value=value)
    return value


IdsOpt = Annotated[str, typer.Option("--ids", help=_h("opt.ids"), callback=_check_ids)]


class Env:
    """Resolved global options, passed to the commands' work."""

    def __init__(self, store: Path | None, lang: str | None, store_flag: bool) -> None:
        from sfcoach.paths import default_store

        self.lang = resolve_lang(lang)
        self.store_path = (store or default_store()).expanduser()
        self.store_flag = store_flag  # resume hints repeat --store only when it was typed
        self._store: Any = None

    def store(self, quiet: bool = False) -> Any:
        """The command's store; the first use warns if it is open to others."""
        if self._store is None:
            from sfcoach.store import Store
            from sfcoach.ui.progress import IndexProgress

            self._store = Store(self.store_path, notice=IndexProgress.for_stderr(self.lang))
            if not quiet and self._store.exposed():
                sys.stderr.write(t("store.exposed", self.lang, path=str(self.store_path)) + "\n")
        return self._store

    def resume_command(self) -> str:
        import shlex

        store = f" --store {shlex.quote(str(self.store_path))}" if self.store_flag else ""
        return f"sfcoach{store} resume"


_globals: dict[str, Any] = {"store": None, "lang": None}


def _env(store: Path | None, lang: str | None) -> Env:
    chosen = store or _globals["store"]
    return Env(chosen, lang or _globals["lang"], store_flag=chosen is not None)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sfcoach {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    store: StoreOpt = None,
    lang: LangOpt = None,
    debug: Annotated[bool, typer.Option("--debug", help=_h("opt.debug"))] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_h("opt.version"))
    ] = False,
) -> None:
    _globals.update(store=store, lang=lang)


# --- meetings ----------------------------------------------------------------------


def _io(lang: str, plain: bool) -> Any:
    if (
        plain
        or not sys.stdin.isatty()
        or not sys.stdout.isatty()
        or os.environ.get("TERM") == "dumb"
    ):
        from sfcoach.ui.plain import PlainIO

        return PlainIO()
    from sfcoach.ui.terminal import TerminalIO

    return TerminalIO(lang)


@app.command(help=_h("start"))
def start(
    client: Annotated[str | None, typer.Option("--client", help=_h("opt.client"))] = None,
    meeting: Annotated[str | None, typer.Option("--meeting", help=_h("opt.meeting"))] = None,
    bank: Annotated[str | None, typer.Option("--bank", help=_h("opt.bank"))] = None,
    lang: LangOpt = None,
    practitioner: Annotated[
        str | None, typer.Option("--practitioner", help=_h("opt.practitioner"))
    ] = None,
    plain: PlainOpt = False,
    ids: IdsOpt = "mask",
    when: Annotated[str | None, typer.Option("--date", help=_h("opt.date"))] = None,
    store: StoreOpt = None,
) -> None:
    from sfcoach import meeting as meetings
    from sfcoach.ui.session import ask_missing, run_session

    held = meetings.parse_when(when) if when else None
    lang_given = lang or _globals["lang"] or os.environ.get("SFCOACH_LANG")
    env = _env(store, lang)
    io = _io(env.lang, plain)
    client, session_lang, practitioner = ask_missing(io, env.lang, client, lang_given, practitioner)
    opened = meetings.open_new(
        env.store(), client, session_lang, practitioner or "", meeting, bank, held
    )
    raise typer.Exit(run_session(opened, env.store(), io, ids, env.resume_command(), fresh=True))


@app.command(help=_h("resume"))
def resume(
    session_id: Annotated[
        str | None, typer.Argument(metavar="[SESSION_ID]", help=_h("arg.session"))
    ] = None,
    plain: PlainOpt = False,
    ids: IdsOpt = "mask",
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import meeting as meetings
    from sfcoach.ui.session import confirm_resume, run_session

    env = _env(store, lang)
    opened = meetings.reopen(env.store(), session_id)
    io = _io(opened.session.lang, plain)
    if session_id is None and not confirm_resume(io, opened, env.lang):
        raise typer.Exit(0)
    if opened.session.practice:
        from sfcoach.ui.practice import resume_practice

        raise typer.Exit(
            resume_practice(env.store(), io, opened.session, ids, env.resume_command())
        )
    raise typer.Exit(run_session(opened, env.store(), io, ids, env.resume_command(), fresh=False))


@app.command("practice", help=_h("practice"))
def practice_command(
    pair: Annotated[str | None, typer.Option("--pair", help=_h("opt.pair"))] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help=_h("opt.scenario"))] = None,
    minutes: Annotated[int, typer.Option("--minutes", help=_h("opt.minutes"))] = 15,
    rounds: Annotated[int | None, typer.Option("--rounds", help=_h("opt.rounds"))] = None,
    list_cards: Annotated[bool, typer.Option("--list", help=_h("opt.list-cards"))] = False,
    cards_file: Annotated[Path | None, typer.Option("--cards", help=_h("opt.cards"))] = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    ids: IdsOpt = "mask",
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import practice, render

    env = _env(store, lang)
    cards = practice.load_cards(cards_file)
    if list_cards:
        if as_json:
            _print_json([c.raw for c in cards])
        else:
            render.card_table(cards, env.lang)
        return
    if minutes < 1 or minutes > 240:
        raise UserError("practice.minutes", value=minutes)
    if scenario is not None:
        practice.find_card(cards, scenario)
    io = _io(env.lang, plain)
    if pair is None:
        from sfcoach.ui.session import ask_line

        pair = ask_line(io, t("practice.ask-names", env.lang))
    names = practice.parse_pair(pair)
    rounds = len(names) if rounds is None else rounds
    if not 1 <= rounds <= 20:
        raise UserError("practice.rounds", value=rounds)
    from sfcoach.practiceround import new_plan
    from sfcoach.ui.practice import run_practice

    plan = new_plan(names, rounds, minutes, cards, cards_file, scenario)
    code = run_practice(env.store(), io, env.lang, plan, cards, ids, env.resume_command())
    raise typer.Exit(code)


# --- sessions ------------------------------------------------------------------------


@sessions_app.command("show", help=_h("sessions.show"))
def sessions_show(
    session_id: Annotated[str, typer.Argument(metavar="SESSION_ID", help=_h("arg.session"))],
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import review

    env = _env(store, lang)
    session = review.load_one(env.store(), session_id)
    if as_json:
        _print_json(review.session_json(session))
    else:
        from sfcoach import render

        render.show_session(session, env.lang)


@sessions_app.command("list", help=_h("sessions.list"))
def sessions_list(
    client: Annotated[str | None, typer.Option("--client", help=_h("opt.client-filter"))] = None,
    since: Annotated[str | None, typer.Option("--since", help=_h("opt.since"))] = None,
    status: Annotated[str | None, typer.Option("--status", help=_h("opt.status"))] = None,
    practice: Annotated[
        bool | None,
        typer.Option("--practice/--no-practice", help=_h("opt.practice"), show_default=False),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help=_h("opt.limit"), min=1)] = 50,
    show_all: Annotated[bool, typer.Option("--all", help=_h("opt.all"))] = False,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import render, review

    env = _env(store, lang)
    rows, total, skipped = review.list_sessions(
        env.store(), client, since, status, practice, None if (show_all or as_json) else limit
    )
    render.warn_skipped(skipped, env.lang)
    if as_json:
        _print_json(rows)
    else:
        render.session_table(rows, total, env.lang)


# --- review ----------------------------------------------------------------------------


@app.command(help=_h("history"))
def history(
    alias: Annotated[str, typer.Argument(metavar="ALIAS", help=_h("arg.alias"))],
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import render, review

    env = _env(store, lang)
    sessions, skipped = review.client_sessions(env.store(), alias)
    render.warn_skipped(skipped, env.lang)
    data = review.history(sessions)
    if as_json:
        _print_json(data)
    else:
        render.history(data, env.lang)


@app.command(help=_h("search"))
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help=_h("arg.search"))],
    client: Annotated[str | None, typer.Option("--client", help=_h("opt.client-filter"))] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help=_h("opt.search-limit"), min=1, show_default=False)
    ] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import render, review

    env = _env(store, lang)
    shown = limit or (200 if as_json else 50)
    hits, skipped = review.search(env.store(), text, client, shown)
    render.warn_skipped(skipped, env.lang)
    if as_json:
        _print_json(hits)
    else:
        render.search_hits(hits, env.lang, more=len(hits) == shown)


@app.command(help=_h("export"))
def export(
    session_id: Annotated[
        str | None, typer.Argument(metavar="[SESSION_ID]", help=_h("arg.session"))
    ] = None,
    client: Annotated[str | None, typer.Option("--client", help=_h("opt.client-export"))] = None,
    fmt: Annotated[str, typer.Option("--format", help=_h("opt.format"))] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_h("opt.output"))] = None,
    force: Annotated[bool, typer.Option("--force", help=_h("opt.force"))] = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import export as exports
    from sfcoach import render, review
    from sfcoach.output import write_private

    env = _env(store, lang)
    if (session_id is None) == (client is None):
        raise UserError("export.which")
    if fmt not in exports.FORMATS:
        raise UserError("export.format", value=fmt, allowed=", ".join(exports.FORMATS))
    if output is not None and output.exists() and not force:
        raise UserError("output.exists", path=str(output))
    if client is not None:
        sessions, skipped = review.client_sessions(env.store(), client)
        render.warn_skipped(skipped, env.lang)
    else:
        sessions = [review.load_one(env.store(), session_id or "")]
    text = exports.export(sessions, fmt, env.lang, client=sessions[0].client if client else None)
    if output is None:
        sys.stdout.write(text)
    else:
        write_private(output, text)
        sys.stderr.write(t("export.written", env.lang, path=str(output)) + "\n")


@app.command(help=_h("stats"))
def stats(
    since: Annotated[str | None, typer.Option("--since", help=_h("opt.since"))] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import render, review

    env = _env(store, lang)
    data, skipped = review.stats(env.store(), since)
    render.warn_skipped(skipped, env.lang)
    if as_json:
        _print_json(data)
    else:
        render.stats(data, env.lang)


# --- data protection -------------------------------------------------------------------


@app.command(help=_h("purge"))
def purge(
    client: Annotated[str | None, typer.Option("--client", help=_h("opt.client-purge"))] = None,
    older_than: Annotated[
        int | None, typer.Option("--older-than", metavar="DAYS", help=_h("opt.older-than"))
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help=_h("opt.yes"))] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_h("opt.dry-run"))] = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import housekeeping, render

    env = _env(store, lang)
    doomed = housekeeping.plan_purge(env.store(), client, older_than)
    render.purge_plan(doomed, env.lang)
    if dry_run or not doomed:
        return
    if not yes:
        answer = _confirm(t("purge.confirm", env.lang, n=len(doomed)))
        from sfcoach.engine import YES

        if answer not in YES:
            raise UserError("purge.aborted")
    count = housekeeping.purge(env.store(), doomed, client)
    typer.echo(t("purge.done", env.lang, n=count))


def _confirm(question: str) -> str:
    """One line of confirmation; no line at all means no."""
    sys.stdout.write(question + " ")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not sys.stdin.isatty():
        sys.stdout.write(line if line.endswith("\n") else line + "\n")
    return line.strip().casefold()


@app.command(help=_h("scan"))
def scan(
    fix: Annotated[bool, typer.Option("--fix", help=_h("opt.fix"))] = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import housekeeping, render

    env = _env(store, lang)
    report = housekeeping.scan(env.store(quiet=True), fix)
    render.scan_report(report, fix, env.store_path, env.lang)
    raise typer.Exit(1 if (report.findings or report.exposed) and not fix else 0)


# --- banks ---------------------------------------------------------------------------


@bank_app.command("list", help=_h("bank.list"))
def bank_list(as_json: JsonOpt = False, store: StoreOpt = None, lang: LangOpt = None) -> None:
    from sfcoach import render

    env = _env(store, lang)
    from sfcoach import bank as banks

    rows = banks.catalogue()
    if as_json:
        _print_json(rows)
    else:
        render.bank_table(rows, env.lang)


@bank_app.command("show", help=_h("bank.show"))
def bank_show(
    bank_id: Annotated[str, typer.Argument(metavar="ID", help=_h("arg.bank"))],
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import bank as banks
    from sfcoach import render

    env = _env(store, lang)
    bank = banks.resolve(bank_id)
    if as_json:
        _print_json(bank.raw)
    else:
        render.show_bank(bank, env.lang)


@bank_app.command("validate", help=_h("bank.validate"))
def bank_validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help=_h("arg.files"))],
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import render

    env = _env(store, lang)
    raise typer.Exit(render.validate_report(files, env.lang))


@bank_app.command("cards", help=_h("bank.cards"))
def bank_cards(
    bank_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help=_h("arg.bank-cards"))
    ] = None,
    phase: Annotated[str | None, typer.Option("--phase", help=_h("opt.phase"))] = None,
    store: StoreOpt = None,
    lang: LangOpt = None,
) -> None:
    from sfcoach import render

    env = _env(store, lang)
    render.cards(bank_id, phase, env.lang)


@bank_app.command("schema", help=_h("bank.schema"))
def bank_schema(store: StoreOpt = None, lang: LangOpt = None) -> None:
    from sfcoach import bank as banks

    _print_json(banks.json_schema())


# --- entry point ---------------------------------------------------------------------


def _only_the_command_asked_for() -> None:
    """Typer inspects every command's signature on each run (~45 ms for all of them);
    build just the one on the command line. Help, a typo or no command: build all."""
    args = sys.argv[1:]
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in ("--store", "--lang") else 1
    if i >= len(args):
        return
    name = args[i]
    commands = [c for c in app.registered_commands if (c.name or c.callback.__name__) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands, app.registered_groups = commands, groups


def main() -> None:
    debug = "--debug" in sys.argv
    try:
        _only_the_command_asked_for()
        if HELP_LANG == "sv":
            from sfcoach.clicktext import use_swedish

            use_swedish()
        app()
    except UserError as e:
        _fail(e.message(HELP_LANG), e.exit_code)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error worth a word
        sys.exit(0)
    except Exception as e:  # a bug: say where, never the data that was being handled
        if debug:
            import traceback

            sys.stderr.write("".join(traceback.format_tb(e.__traceback__)))
        where = _where(e)
        _fail(t("error.internal", HELP_LANG, kind=type(e).__name__, where=where), EXIT_USER)


def _where(e: BaseException) -> str:
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"sfcoach: {message}\n")
    sys.exit(code)
