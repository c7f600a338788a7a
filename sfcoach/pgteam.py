"""Running a team store: set it up, add members, move a folder store in, read the access log.

The database work is in sfcoach/sql/*.sql (the schema, one file a migration) and
pgstore.PgStore; this module is what the `team` and `audit` commands call.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sfcoach.errors import UserError
from sfcoach.models import Session
from sfcoach.pgstore import PgStore, refused
from sfcoach.sessionfile import BadSession
from sfcoach.store import Store

ROLES = ("caseworker", "lead", "admin")
_INIT_LOCK = 7_361_201  # one team init at a time in a database


def migrations() -> list[tuple[int, str]]:
    """(version, SQL) of every migration shipped, oldest first: sql/NNN_name.sql."""
    folder = resources.files("sfcoach") / "sql"
    found = [
        (int(f.name[:3]), f.read_text("utf-8")) for f in folder.iterdir() if f.name.endswith(".sql")
    ]
    return sorted(found)


def init(store: PgStore) -> list[int]:
    """Create or bring the schema up to date; returns the versions applied now."""
    applied = []
    with store.transaction() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_INIT_LOCK,))
        cur.execute("CREATE SCHEMA IF NOT EXISTS sfcoach")
        cur.execute(
            "CREATE TABLE IF NOT EXISTS sfcoach.migrations("
            " version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())"
        )
        cur.execute("SELECT version FROM sfcoach.migrations")
        done = {row[0] for row in cur.fetchall()}
        for version, sql in migrations():
            if version in done:
                continue
            cur.execute(sql)
            cur.execute("INSERT INTO sfcoach.migrations(version) VALUES (%s)", (version,))
            applied.append(version)
    return applied


def add(store: PgStore, user: str, team: str, role: str) -> bool:
    """Make `user` a member of `team` in `role`, creating the login role if need be;
    True when the login role was created now."""
    from psycopg import errors, sql

    if role not in ROLES:
        raise UserError("team.bad-role", role=role)
    if not user.strip() or not team.strip():
        raise UserError("team.bad-name")
    created = False
    exists = store.rows("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,))
    try:
        with store.conn.transaction(), store.conn.cursor() as cur:
            if not exists:
                cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(user)))
                created = True
            cur.execute(
                sql.SQL("GRANT {} TO {}").format(
                    sql.Identifier(f"sfcoach_{role}"), sql.Identifier(user)
                )
            )
            cur.execute(
                "INSERT INTO sfcoach.members VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (user, team, role),
            )
    except errors.DuplicateObject:  # created by another `team add` just now
        return add(store, user, team, role)
    except errors.Error as e:
        raise refused(e) from None
    return created


@dataclass
class PushReport:
    copied: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason key -> how many


BATCH = 200  # sessions a transaction
PARALLEL_FROM = 400  # files; below this, starting worker processes costs more than it saves


def push(
    store: PgStore,
    folder: Path,
    team: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PushReport:
    """Copy every readable session of a folder store in; one already there (same id) is
    skipped, so running it twice copies nothing twice."""
    source = Store(folder)
    if not folder.is_dir():
        raise UserError("store.missing", path=str(folder))
    paths = source.files() + source.files("_practice")
    report = PushReport()
    known = {row[0] for row in store.rows("SELECT id FROM sfcoach.sessions")}
    team = team or _own_team(store)
    # A session file is named by its id (load refuses one that is not): known ones
    # need not be read at all.
    todo = [p for p in paths if p.stem not in known]
    if len(todo) < len(paths):
        report.skipped["push.exists"] += len(paths) - len(todo)
    batch: list[Session] = []
    for done, read in enumerate(_read_all(folder, todo), 1):
        if isinstance(read, str):
            report.skipped[read] += 1
        elif read.id in known:  # two files of one session
            report.skipped["push.exists"] += 1
        else:
            known.add(read.id)
            batch.append(read)
        if len(batch) >= BATCH or done == len(todo):
            copied = len(store.insert_many(batch, team))
            report.copied += copied
            if copied < len(batch):
                report.skipped["push.id-taken"] += len(batch) - copied
            batch = []
            if progress:
                progress(len(paths) - len(todo) + done, len(paths))
    return report


def _read_all(folder: Path, paths: list[Path]) -> Iterator[Session | str]:
    """Each file as a session, or the key of why it cannot be read; parsing YAML is most
    of a push, so a large one parses on every core."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        store = Store(folder)
        yield from (_read(store, p) for p in paths)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a worker must not share this process's database connection.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(
            _read_in_worker, [str(folder)] * len(paths), map(str, paths), chunksize=32
        )


def _read(store: Store, path: Path) -> Session | str:
    try:
        return store.load(path)
    except BadSession as e:
        return e.key


def _read_in_worker(folder: str, path: str) -> Session | str:
    return _read(Store(Path(folder)), Path(path))


def _own_team(store: PgStore) -> str:
    teams = store.rows("SELECT sfcoach.my_teams()")[0][0]
    if len(teams) != 1:
        raise UserError("push.which-team")
    return str(teams[0])


def audit(store: PgStore, client: str) -> list[dict[str, Any]]:
    """Who read the client's texts, when, with which command; oldest first."""
    if "admin" not in store.roles():
        raise UserError("audit.admin-only")
    client = store.client_alias(client)
    rows = store.rows(
        "SELECT at, who, client, session, command FROM sfcoach.access_log"
        " WHERE client = %s ORDER BY id",
        (client,),
    )
    return [
        {"at": at.isoformat(timespec="seconds"), "who": who, "client": c, "session": s,
         "command": cmd}
        for at, who, c, s, cmd in rows
    ]  # fmt: skip
