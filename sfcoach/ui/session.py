"""Starting and resuming a meeting on screen: ask what is missing, then run the loop."""

from __future__ import annotations

import os
from collections.abc import Callable

from sfcoach import fsio, privacy
from sfcoach.engine import YES, Engine
from sfcoach.errors import UserError
from sfcoach.i18n import meeting_name, normalise_lang, t
from sfcoach.meeting import Opened
from sfcoach.models import Session
from sfcoach.store import Store
from sfcoach.ui import view
from sfcoach.ui.runner import Runner, SessionIO


def ask_line(io: SessionIO, label: str) -> str:
    """One line before anything is saved; the end of input is a clear error."""
    try:
        answer = fsio.decoded(io.read(label + " "))
    except EOFError:  # Ctrl-C goes on up: an interruption (130), not an error
        raise UserError("ask.eof") from None
    io.echo(privacy.mask_text(answer))  # the transcript never shows a number typed here
    return answer


def ask_checked(io: SessionIO, label: str, check: Callable[[str], str], lang: str) -> str:
    """One line, asked again, with the reason, until `check` accepts it (it gives the
    value to keep, or raises UserError)."""
    while True:
        typed = ask_line(io, label)  # the end of input ends the asking
        try:
            return check(typed)
        except UserError as e:
            io.write([e.message(lang)])


def ask_missing(
    io: SessionIO,
    lang: str,
    client: str | None,
    lang_given: str | None,
    practitioner: str | None,
    check_client: Callable[[str], str] = lambda alias: alias,
) -> tuple[str, str, str]:
    """Client, language and practitioner: one line each for those not given. Each answer
    is checked as it is typed and asked again if it cannot be used; a --client given is
    checked before anything is asked."""
    if client is not None:
        client = check_client(client)
    else:
        client = ask_checked(io, t("ask.client", lang), check_client, lang)
    session_lang = lang
    if not lang_given:
        session_lang = ask_checked(io, t("ask.lang", lang, default=lang), _lang_or(lang), lang)
    if practitioner is None:
        practitioner = os.environ.get("SFCOACH_PRACTITIONER") or ask_line(
            io, t("ask.practitioner", session_lang)
        )
    return client, session_lang, fsio.decoded(practitioner)


def _lang_or(default: str) -> Callable[[str], str]:
    def check(typed: str) -> str:
        if not typed.strip():
            return default
        code = normalise_lang(typed)
        if code is None:
            raise UserError("error.lang", value=typed.strip())
        return code

    return check


def offer_paused(io: SessionIO, paused: Session, lang: str, asked: bool, command: str) -> bool:
    """Whether to resume the client's paused meeting instead of starting a second one
    alongside it. Plain mode with every option given asks nothing before the first
    question (DESIGN.md), so there it is an error naming the way on; otherwise one line,
    where yes or an empty line resumes and anything else starts a new meeting."""
    about = dict(
        client=paused.client or "-",
        meeting=meeting_name(paused.meeting, lang),
        date=paused.started[:16].replace("T", " "),
        id=paused.id,
    )
    if not io.editable_prefill and not asked:
        raise UserError("start.paused", command=f"{command} {paused.id}", **about)
    try:
        answer = io.read(f"{t('start.paused-ask', lang, **about)} {t('resume.confirm', lang)} ")
    except EOFError:
        raise UserError("ask.eof") from None
    io.echo(answer)
    answer = answer.strip().casefold()
    return not answer or answer in YES


def confirm_resume(io: SessionIO, opened: Opened, lang: str) -> bool:
    s = opened.session
    which = dict(
        meeting=meeting_name(s.meeting, lang),
        # A practice round has no client; its meeting name already says practice.
        about=", ".join(filter(None, [s.client, view.local_minute(s.started)])),
    )
    if not io.editable_prefill:  # plain mode reads no extra line: scripts stay simple
        io.write([t("resume.plain", lang, **which)])  # says which, asks nothing
        return True
    question = t("resume.which", lang, **which)
    try:
        answer = io.read(f"{question} {t('resume.confirm', lang)} ").strip().casefold()
    except EOFError:
        return False
    return not answer or answer in YES


def run_session(
    opened: Opened, store: Store, io: SessionIO, ids: str, resume_command: str, fresh: bool
) -> int:
    session = opened.session
    engine = Engine(
        opened.bank, session, opened.previous_ratings, clock=opened.clock, earlier=opened.earlier
    )
    try:
        # The lock also refuses a session changed since it was read (another terminal).
        with store.lock(session):
            io.write(view.header(session, opened.bank, io.style))
            if fresh and opened.previous:
                io.write(view.recap(opened.previous, session.lang, io.style, opened.earlier))
            if not fresh:
                given = len(session.answers) + len(session.ratings)
                io.write([t("resume.continuing", session.lang, n=given)])
                # In progress again; a store that cannot take it is one clear error, as at start.
                store.save(session)
            return Runner(engine, store, io, ids, resume_command).run()
    finally:
        io.close()  # the terminal is given back even when the session could not be taken
