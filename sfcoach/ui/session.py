"""Starting and resuming a meeting on screen: ask what is missing, then run the loop."""

from __future__ import annotations

import os

from sfcoach import fsio, privacy
from sfcoach.engine import YES, Engine
from sfcoach.errors import UserError
from sfcoach.i18n import resolve_lang, t
from sfcoach.meeting import Opened
from sfcoach.store import Store
from sfcoach.ui import view
from sfcoach.ui.runner import Runner, SessionIO


def ask_line(io: SessionIO, label: str) -> str:
    """One line before anything is saved; the end of input is a clear error."""
    try:
        answer = fsio.decoded(io.read(label + " "))
    except (EOFError, KeyboardInterrupt):
        raise UserError("ask.eof") from None
    io.echo(privacy.mask_text(answer))  # the transcript never shows a number typed here
    return answer


def ask_missing(
    io: SessionIO,
    lang: str,
    client: str | None,
    lang_given: str | None,
    practitioner: str | None,
) -> tuple[str, str, str]:
    """Client, language and practitioner: one line each for those not given."""
    if client is None:
        client = ask_line(io, t("ask.client", lang))
    session_lang = lang
    if not lang_given:
        typed = ask_line(io, t("ask.lang", lang, default=lang)).strip()
        session_lang = resolve_lang(typed) if typed else lang
    if practitioner is None:
        practitioner = os.environ.get("SFCOACH_PRACTITIONER") or ask_line(
            io, t("ask.practitioner", session_lang)
        )
    return client, session_lang, fsio.decoded(practitioner)


def confirm_resume(io: SessionIO, opened: Opened, lang: str) -> bool:
    s = opened.session
    about = t(
        "resume.which",
        lang,
        id=s.id,
        client=s.client or "-",
        meeting=s.meeting,
        date=s.started[:16],
    )
    if not io.editable_prefill:  # plain mode reads no extra line: scripts stay simple
        io.write([about])
        return True
    try:
        answer = io.read(f"{about} {t('resume.confirm', lang)} ").strip().casefold()
    except (EOFError, KeyboardInterrupt):
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
                io.write(view.recap(opened.previous, session.lang, io.style))
            if not fresh:
                given = len(session.answers) + len(session.ratings)
                io.write([t("resume.continuing", session.lang, n=given)])
                # In progress again; a store that cannot take it is one clear error, as at start.
                store.save(session)
            return Runner(engine, store, io, ids, resume_command).run()
    finally:
        io.close()  # the terminal is given back even when the session could not be taken
