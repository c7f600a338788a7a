"""Opening a meeting: which bank, what carries over from last time, a new or resumed session."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sfcoach import bank as banks
from sfcoach import fsio, privacy, reflection
from sfcoach.errors import UserError
from sfcoach.models import Bank, Session, Step, now_iso
from sfcoach.sessionfile import BadSession
from sfcoach.store import Store, new_session_id

FIRST_VISIT = "first-visit"
FOLLOW_UP = "follow-up"


@dataclass
class Opened:
    bank: Bank
    session: Session
    previous: Session | None  # the client's last completed meeting, if any
    clock: Callable[[], str] = field(default=now_iso)  # timestamps for answers
    # The client's completed meetings before this one, oldest first (schema-2 banks only).
    earlier: list[Session] = field(default_factory=list)

    @property
    def previous_ratings(self) -> dict[str, int]:
        return {r.scale: r.value for r in self.previous.ratings} if self.previous else {}


def carried_steps(previous: Session) -> list[Step]:
    """Steps still open after `previous`: agreed there, or reviewed as partly / not yet,
    or carried into it and never reviewed. Each keeps the session it came from."""
    out: list[Step] = []
    seen: set[tuple[str, str | None]] = set()
    for step in previous.steps:
        key = (step.text, step.from_session or previous.id)
        seen.add(key)
        if step.status != "done":
            out.append(Step(step.text, step.status, key[1], None, step.at))
    out += [
        Step(s.text, s.status, s.from_session, None, s.at)
        for s in previous.carried
        if (s.text, s.from_session) not in seen
    ]
    return out


def choose_bank(
    store: Store, client: str | None, meeting: str | None, bank_ref: str | None
) -> tuple[Bank, Session | None]:
    """--bank, else --meeting, else a follow-up for a client met before, else a first visit."""
    previous = store.latest_completed(client) if client else None
    if bank_ref:
        return banks.resolve(bank_ref), previous
    if meeting:
        return banks.load_builtin(meeting), previous
    return banks.load_builtin(FOLLOW_UP if previous else FIRST_VISIT), previous


def parse_when(value: str) -> datetime:
    """--date: YYYY-MM-DD (09:00) or YYYY-MM-DDTHH:MM, local time, not in the future."""
    text = value.strip().replace(" ", "T")
    try:
        when = datetime.fromisoformat(text if "T" in text else f"{text}T09:00")
        # Local time of year 1 is out of datetime's range in zones east of UTC.
        when = when.astimezone() if when.tzinfo is None else when
    except (ValueError, OverflowError):
        raise UserError("date.bad-time", value=privacy.mask_text(value)) from None
    if when > datetime.now().astimezone():
        raise UserError("date.future", value=privacy.mask_text(value))
    return when


def clock_from(start: datetime) -> Callable[[], str]:
    """Timestamps that run from `start` as real time passes: a meeting entered afterwards."""
    t0 = time.monotonic()
    return lambda: (start + timedelta(seconds=time.monotonic() - t0)).isoformat(timespec="seconds")


def open_new(
    store: Store,
    client: str,
    lang: str,
    practitioner: str = "",
    meeting: str | None = None,
    bank_ref: str | None = None,
    when: datetime | None = None,
    ids: str = "mask",
    colleague: str | None = None,
) -> Opened:
    client = store.client_alias(client, new=True)  # k1 joins K1's folder
    practitioner = fsio.decoded(practitioner.strip())
    if ids != "keep":  # saved like any answer, so masked like one
        practitioner = privacy.mask_text(practitioner)
    if colleague is not None:
        colleague = reflection.colleague_name(colleague, practitioner, ids)
    bank, previous = choose_bank(store, client, meeting, bank_ref)
    if lang not in bank.languages:
        raise UserError("bank.no-lang", id=bank.id, lang=lang, have=", ".join(bank.languages))
    session = Session(
        id=new_session_id(when),
        client=client,
        meeting=bank.id,
        bank_id=bank.id,
        bank_version=bank.version,
        bank_source="builtin" if bank.builtin else store.keep_bank(Path(bank.source)),
        lang=lang,
        practitioner=practitioner,
        started=when.isoformat(timespec="seconds") if when else now_iso(),
        previous=previous.id if previous else None,
        carried=carried_steps(previous) if previous else [],
    )
    if colleague is not None:
        reflection.start(session, colleague)
        bank = reflection.with_gossip(bank, colleague)
    store.create(session)
    clock = clock_from(when) if when else now_iso
    return Opened(bank, session, previous, clock, earlier_sessions(store, session, bank))


def paused_meeting(store: Store, client: str) -> Session | None:
    """The client's meeting left paused or interrupted since their latest completed one:
    a new meeting beside it would review the same steps twice, in parallel. One paused
    before a later completed meeting was left behind already, and is not looked for."""
    alias = store.client_alias(client, new=True)
    for path in reversed(store.files(alias)):
        try:
            session = store.load(path)
        except BadSession:
            continue
        if session.practice or session.client != alias:
            continue
        if session.status == "completed":
            return None
        return session
    return None


def reopen(
    store: Store, ref: str | None, colleague: str | None = None, ids: str = "mask"
) -> Opened:
    """A paused or interrupted session, by id or the most recent one; `colleague` joins a
    meeting that had none (start --colleague, resuming the client's paused meeting)."""
    if ref:
        path = store.find(ref)
        try:
            session = store.load_to_continue(path)
        except BadSession as e:
            raise UserError(
                "session.unreadable-file", path=str(path), reason_key=e.key, **e.params
            ) from None
    else:
        latest = store.latest_unfinished()
        if latest is None:
            raise UserError("resume.nothing")
        session = latest
    if session.status == "completed":
        raise UserError("resume.completed", id=session.id)
    bank = _bank_of(store, session)
    previous = None
    if session.previous and session.client:
        try:
            previous = store.load(store.find(session.previous))
        except (UserError, BadSession):
            previous = None  # the earlier meeting was purged: carry on without it
    session.status = "in-progress"
    if colleague is not None and session.reflection is None:
        reflection.start(session, reflection.colleague_name(colleague, session.practitioner, ids))
    if session.reflection is not None:  # the gossip slot is the meeting's, not the bank's
        bank = reflection.with_gossip(bank, session.reflection.colleague)
    return Opened(bank, session, previous, earlier=earlier_sessions(store, session, bank))


def earlier_sessions(store: Store, session: Session, bank: Bank) -> list[Session]:
    """The client's completed meetings before `session`, oldest first, for a schema-2 bank's
    conditions and placeholders, and for any follow-up's recap (the client's words) and
    first ratings; a first meeting with a schema-1 bank needs none, so none are read."""
    if not session.client or (bank.schema < 2 and not session.previous):
        return []
    found, _ = store.client_sessions(session.client)
    return [
        s
        for s in found
        # The same second counts as before: the current session is not completed yet.
        if s.status == "completed" and not s.practice and s.started <= session.started
    ]


def _bank_of(store: Store, session: Session) -> Bank:
    if session.bank_source in ("", "builtin"):
        return banks.load_builtin(session.bank_id)
    path = store.kept_bank(session.bank_source)
    if not path.is_file():
        raise UserError("resume.bank-gone", path=str(path), id=session.id)
    return banks.load_file(path)
