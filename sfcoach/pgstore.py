"""The team store: sessions as rows in PostgreSQL, for a team sharing one database.

Selected by a postgresql:// URI as --store (or SFCOACH_STORE); the folder store stays the
default. It offers the folder store's methods (storeapi.SessionStore) and the index's
(storeapi.Reader), so that meetings, review and housekeeping run unchanged on it. A
session is located by the same relative path a folder store would give it
(K1/20260302-100000-00001.yaml): the id is its stem.

Each person connects as their own login role and the database decides what they see
(row-level security, sfcoach/sql/001_schema.sql). Every save is one short transaction;
a running meeting holds a session-level advisory lock on its connection, which the
server releases when the process dies, however it dies.

psycopg is imported here only, and only when a team store is opened.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sfcoach import sessionfile
from sfcoach.errors import StoreError, UserError
from sfcoach.filereader import session_row, texts
from sfcoach.index import (
    _CLOSE,
    _OPEN,
    Counts,
    Progress,
    Query,
    Rated,
    SearchHit,
    SessionListing,
    listing,
)
from sfcoach.index import _snippet as snippet
from sfcoach.models import Session
from sfcoach.sessionfile import BadSession
from sfcoach.store import (
    MAX_SESSION_BYTES,
    PRACTICE_DIR,
    Skipped,
    alias_key,
    is_session_id,
    validate_alias,
)

if TYPE_CHECKING:
    from sfcoach.store import Store
    from sfcoach.storeapi import SessionStore, TeamStore

RECENT = 500  # sessions a search looks in first
# Commands that show a client's texts, so each read is logged. purge and scan read
# sessions too, to date them or find numbers, but show no text.
SHOWS_TEXTS = frozenset(
    ["sessions show", "history", "search", "export", "start", "resume", "practice"]
)


def connect(uri: str) -> Any:
    """A connection in autocommit mode (each write says where its transaction is)."""
    try:
        import psycopg
    except ImportError:
        raise UserError("team.no-driver") from None
    try:
        return psycopg.connect(uri, autocommit=True, connect_timeout=10)
    except psycopg.Error as e:
        raise UserError("team.connect-failed", why=_first_line(e)) from None


def _first_line(e: BaseException) -> str:
    """The server's message without its DETAIL lines, which may quote a row's values."""
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


def refused(e: Exception) -> UserError:
    """A database error as one line for the user: denied, not set up, or what it said."""
    import psycopg.errors as pe

    if isinstance(e, pe.InsufficientPrivilege):
        return UserError("team.denied")
    if isinstance(e, pe.UndefinedTable | pe.InvalidSchemaName | pe.UndefinedFunction):
        return UserError("team.not-initialised")
    if isinstance(e, pe.OperationalError):
        return UserError("team.connect-failed", why=_first_line(e))
    return StoreError("team.failed", why=_first_line(e))


# A practice round's record in a session's row, for the list's and practice --show's columns.
_ROUND = "data->'practice_data'"


class PgStore:
    """A team store in one PostgreSQL database."""

    def __init__(self, uri: str, notice: Any = None) -> None:
        self.uri = uri
        self.notice = notice
        self.command = ""  # the command running, for the access log
        self.conn = connect(uri)
        self._versions: dict[str, int] = {}  # sessions opened to continue: version read
        self._sizes: dict[str, int] = {}
        # What this process last wrote of each session (texts, ratings) and its team.
        self._texts: dict[str, dict[int, tuple[str, str | None, str]]] = {}
        self._ratings: dict[str, list[tuple[Any, ...]]] = {}
        self._teams: dict[str, str] = {}
        self._roles: list[str] | None = None
        self._banks: Path | None = None

    # --- running SQL ------------------------------------------------------------------

    def rows(self, sql: str, args: Any = ()) -> list[tuple[Any, ...]]:
        import psycopg

        try:
            with self.conn.cursor() as cur:
                cur.execute(sql, args)
                return cur.fetchall() if cur.description else []
        except psycopg.Error as e:
            raise refused(e) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        import psycopg

        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                yield cur
        except psycopg.Error as e:
            raise refused(e) from None

    def close(self) -> None:
        self.conn.close()

    # --- who is asking --------------------------------------------------------------------

    def roles(self) -> list[str]:
        if self._roles is None:
            self._roles = list(self.rows("SELECT sfcoach.my_roles()")[0][0])
        return self._roles

    def check_reads_texts(self) -> None:
        """A lead sees figures only: commands that show a client's texts are refused."""
        roles = self.roles()
        if roles and not {"caseworker", "admin"} & set(roles):
            raise UserError("team.figures-only")

    def log(self, client: str | None, sessions: list[str]) -> None:
        if sessions and self.command in SHOWS_TEXTS:
            self.rows("SELECT sfcoach.log_access(%s, %s, %s)", (client, sessions, self.command))

    # --- where a session is ------------------------------------------------------------

    def path_of(self, session: Session) -> Path:
        return _ref(session.id, session.client, session.practice)

    def folder(self, session: Session) -> Path:
        return self.path_of(session).parent

    def room(self, session: Session) -> int:
        return MAX_SESSION_BYTES - self._sizes.get(session.id, 0)

    def exposed(self) -> bool:
        return False  # who may read is the database's rights, not a folder's mode

    # --- writing ---------------------------------------------------------------------

    def _team_for(self, session: Session) -> str:
        """The team of the client's earlier sessions (a client belongs to the team that
        first met them), else the caller's own team."""
        if session.client and not session.practice:
            found = self.rows(
                "SELECT team FROM sfcoach.sessions WHERE client = %s ORDER BY id LIMIT 1",
                (session.client,),
            )
            if found:
                return str(found[0][0])
        teams = self.rows("SELECT sfcoach.my_teams()")[0][0]
        if not teams:
            raise UserError("team.not-caseworker")
        return str(teams[0])

    def create(self, session: Session) -> Path:
        """Insert a new session under an id no other session has."""
        team = self._team_for(session)
        for _ in range(32):
            data = _encode(session)
            with self.transaction() as cur:
                cur.execute(
                    _INSERT_SESSION, (session.id, team, *_columns(session), len(data), data)
                )
                written = self._write_details(cur, session, team) if cur.rowcount == 1 else None
            if written is not None:
                self._texts[session.id], self._ratings[session.id] = written
                self._teams[session.id] = team
                self._sizes[session.id] = len(data)
                return self.path_of(session)
            session.id = f"{session.id[:-2]}{os.urandom(1).hex()}"
        raise UserError("store.id-taken", id=session.id)

    def insert_many(self, sessions: list[Session], team: str) -> set[str]:
        """New sessions in one transaction (team push): each client stays in the team its
        earlier sessions are in, others go to `team`. Returns the ids inserted: an id
        already taken, by a session the caller may not even see, is left alone."""
        if not sessions:
            return set()
        keys = sorted({alias_key(s.client) for s in sessions if s.client})
        teams = dict(
            self.rows(
                "SELECT DISTINCT ON (client_key) client_key, team FROM sfcoach.sessions"
                " WHERE client_key = ANY(%s) ORDER BY client_key, id",
                (keys,),
            )
        )
        rows, details = [], {}
        for s in sessions:
            own = teams.get(alias_key(s.client), team) if s.client and not s.practice else team
            data = _encode(s)
            rows.append((s.id, own, *_columns(s), len(data), data))
            details[s.id] = (
                [(s.id, n, own, *t) for n, t in enumerate(texts(s))],
                [(s.id, n, own, r.scale, r.value, r.min, r.max, r.at)
                 for n, r in enumerate(s.ratings)],
            )  # fmt: skip
        inserted: set[str] = set()
        with self.transaction() as cur:
            cur.executemany(_INSERT_SESSION + " RETURNING id", rows, returning=True)
            while True:
                inserted.update(row[0] for row in cur.fetchall())
                if not cur.nextset():
                    break
            mine = [details[i] for i in sorted(inserted)]
            cur.executemany(_INSERT_TEXT, [row for text_rows, _ in mine for row in text_rows])
            cur.executemany(_INSERT_RATING, [row for _, ratings in mine for row in ratings])
        return inserted

    def save(self, session: Session) -> Path:
        """One transaction, sent in one go (pipeline mode: one round trip and the commit's
        flush): the row, and the texts and ratings that changed."""
        import psycopg

        data = _encode(session)
        if len(data) > MAX_SESSION_BYTES:
            raise StoreError("store.too-big", mb=MAX_SESSION_BYTES // 1_000_000)
        team = self._team_of(session.id)
        try:
            with self.conn.pipeline(), self.conn.transaction():
                update = self.conn.cursor()
                update.execute(
                    "UPDATE sfcoach.sessions SET client = %s, client_key = %s, meeting = %s,"
                    " practice = %s, status = %s, started = %s, ended = %s, progress = %s,"
                    " steps_agreed = %s, steps_done = %s, steps_partly = %s, steps_not = %s,"
                    " bytes = %s, data = %s, version = version + 1 WHERE id = %s",
                    (*_columns(session), len(data), data, session.id),
                )
                written = self._write_details(self.conn.cursor(), session, team)
        except psycopg.Error as e:
            raise refused(e) from None
        if update.rowcount != 1:  # purged meanwhile: nothing was written
            raise StoreError("team.failed", why=f"session {session.id} is not in the store")
        self._texts[session.id], self._ratings[session.id] = written
        self._sizes[session.id] = len(data)
        return self.path_of(session)

    def _team_of(self, session_id: str) -> str:
        if session_id not in self._teams:
            found = self.rows("SELECT team FROM sfcoach.sessions WHERE id = %s", (session_id,))
            if not found:
                raise StoreError("team.failed", why=f"session {session_id} is not in the store")
            self._teams[session_id] = found[0][0]
        return self._teams[session_id]

    def _write_details(self, cur: Any, session: Session, team: str) -> tuple[Any, Any]:
        """Texts and ratings: only those that changed since this process last wrote them
        (a save after one answer touches one text, not the whole session's). Returns
        what is now written, to remember once the transaction has committed."""
        new = dict(enumerate(texts(session)))
        old = self._texts.get(session.id)
        if old is None:
            cur.execute("DELETE FROM sfcoach.texts WHERE session = %s", (session.id,))
            old = {}
        gone = [n for n in old if new.get(n) != old[n]]
        if gone:
            cur.execute(
                "DELETE FROM sfcoach.texts WHERE session = %s AND n = ANY(%s)", (session.id, gone)
            )
        added = [(session.id, n, team, *t) for n, t in new.items() if old.get(n) != t]
        if added:
            cur.executemany(_INSERT_TEXT, added)
        ratings = [
            (session.id, n, team, r.scale, r.value, r.min, r.max, r.at)
            for n, r in enumerate(session.ratings)
        ]
        if ratings != self._ratings.get(session.id):
            cur.execute("DELETE FROM sfcoach.ratings WHERE session = %s", (session.id,))
            if ratings:
                cur.executemany(_INSERT_RATING, ratings)
        return new, ratings

    def keep_bank(self, source: Path) -> str:
        import hashlib

        data = source.read_bytes()
        name = hashlib.sha256(data).hexdigest()[:20] + ".yaml"
        self.rows("INSERT INTO sfcoach.banks VALUES (%s, %s) ON CONFLICT DO NOTHING", (name, data))
        return name

    def kept_bank(self, name: str) -> Path:
        """The kept bank as a private file, for the bank loader; a missing path if gone."""
        name = Path(name).name
        if self._banks is None:
            self._banks = Path(tempfile.mkdtemp(prefix="sfcoach-banks-"))
        path = self._banks / name
        found = self.rows("SELECT content FROM sfcoach.banks WHERE name = %s", (name,))
        if found and not path.exists():
            path.write_bytes(bytes(found[0][0]))
        return path

    # --- locks -------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self, session: Session) -> Iterator[None]:
        with self.lock_id(self.folder(session), session.id):
            yield

    @contextlib.contextmanager
    def lock_id(self, folder: Path, session_id: str) -> Iterator[None]:
        """Hold the session on this connection; the server lets go if the process dies."""
        key = "SELECT hashtextextended(%s, 0)"
        (got,) = self.rows(f"SELECT pg_try_advisory_lock(({key}))", (session_id,))[0]
        if not got:
            raise UserError("store.locked", id=session_id)
        try:
            if session_id in self._versions:
                seen = self._versions.pop(session_id)
                now = self.rows("SELECT version FROM sfcoach.sessions WHERE id = %s", (session_id,))
                if not now or now[0][0] != seen:
                    raise UserError("resume.changed", id=session_id)
            yield
        finally:
            with contextlib.suppress(UserError):
                self.rows(f"SELECT pg_advisory_unlock(({key}))", (session_id,))

    # --- reading -----------------------------------------------------------------------

    def load(self, path: Path) -> Session:
        self.check_reads_texts()
        session, _ = self._load(PurePosixPath(path).stem)
        self.log(session.client, [session.id])
        return session

    def _load(self, session_id: str) -> tuple[Session, int]:
        found = self.rows(
            "SELECT data, version, bytes FROM sfcoach.sessions WHERE id = %s", (session_id,)
        )
        if not found:
            raise BadSession("session.gone")
        data, version, size = found[0]
        session = sessionfile.from_dict(data)
        self._sizes[session.id] = size
        return session, version

    def load_to_continue(self, path: Path) -> Session:
        self.check_reads_texts()
        session, version = self._load(PurePosixPath(path).stem)
        self._versions[session.id] = version
        self.log(session.client, [session.id])
        return session

    def find(self, ref: str) -> Path:
        ref = ref.strip()
        if not ref or not re.fullmatch(r"[0-9a-f-]+", ref):
            raise UserError("session.unknown", id=ref)
        self.check_reads_texts()
        if is_session_id(ref):
            found = self.rows(
                "SELECT id, client, practice FROM sfcoach.sessions WHERE id = %s", (ref,)
            )
        else:
            found = self.rows(
                "SELECT id, client, practice FROM sfcoach.sessions"
                " WHERE id LIKE %s ORDER BY id LIMIT 2",
                (ref + "%",),
            )
            if len(found) > 1:
                total = self.rows(
                    "SELECT count(*) FROM sfcoach.sessions WHERE id LIKE %s", (ref + "%",)
                )
                raise UserError("session.ambiguous", id=ref, count=total[0][0])
        if not found:
            raise UserError("session.unknown", id=ref)
        return _ref(*found[0])

    def files(self, client: str | None = None) -> list[Path]:
        where, args = "", []
        if client == PRACTICE_DIR:
            where = "WHERE practice"
        elif client is not None:
            where, args = "WHERE client = %s AND NOT practice", [client]
        found = self.rows(
            f"SELECT id, client, practice FROM sfcoach.sessions {where} ORDER BY id", args
        )
        return [_ref(*row) for row in found]

    def client_alias(self, alias: str, new: bool = False) -> str:
        """The alias a client's sessions are kept under: one already stored for the same
        client (case, width and look-alike letters aside), else the alias checked."""
        value = validate_alias(alias)
        self.check_reads_texts()
        found = self.rows(
            "SELECT client FROM sfcoach.sessions WHERE client_key = %s ORDER BY id LIMIT 1",
            (alias_key(value),),
        )
        return str(found[0][0]) if found else value

    def client_sessions(self, client: str) -> tuple[list[Session], list[Skipped]]:
        self.check_reads_texts()
        found = self.rows(
            "SELECT data FROM sfcoach.sessions WHERE client = %s AND NOT practice ORDER BY id",
            (client,),
        )
        sessions, skipped = [], []
        for (data,) in found:
            try:
                sessions.append(sessionfile.from_dict(data))
            except BadSession as e:
                skipped.append(Skipped(f"{client}/?", e.key, e.params))
        self.log(client, [s.id for s in sessions])
        return sessions, skipped

    def latest_completed(self, client: str) -> Session | None:
        found = self.rows(
            "SELECT id FROM sfcoach.sessions WHERE client = %s AND NOT practice"
            " AND status = 'completed' ORDER BY id DESC LIMIT 1",
            (client,),
        )
        return self.load(_ref(found[0][0], client, False)) if found else None

    def latest_unfinished(self) -> Session | None:
        found = self.rows(
            "SELECT id, client, practice FROM sfcoach.sessions"
            " WHERE status <> 'completed' ORDER BY id DESC LIMIT 1"
        )
        return self.load_to_continue(_ref(*found[0])) if found else None

    def has_client(self, client: str) -> bool:
        return bool(
            self.rows("SELECT 1 FROM sfcoach.sessions WHERE client = %s LIMIT 1", (client,))
        )

    # --- what the index gives the folder store ---------------------------------------------

    def problems(self) -> list[Skipped]:
        return []  # rows are checked on the way in: there are no unreadable files

    def sessions(
        self,
        client: str | None = None,
        since: str | None = None,
        status: str | None = None,
        practice: bool | None = None,
        limit: int | None = None,
    ) -> tuple[list[SessionListing], int]:
        self.check_reads_texts()
        clauses, args = [], []
        for sql, value in (
            ("client = %s", client),
            ("id >= %s", since.replace("-", "") if since else None),
            ("status = %s", status),
            ("practice = %s", practice),
        ):
            if value is not None:
                clauses.append(sql)
                args.append(value)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = (
            "SELECT id, client, meeting, practice, status, started, ended, progress,"
            f" {_ROUND}->>'group', ({_ROUND}->>'round')::int, ({_ROUND}->>'rounds')::int,"
            f" {_ROUND}->'roles'->>'coach', {_ROUND}->>'scenario'"
            f" FROM sfcoach.sessions {where} ORDER BY id DESC"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = [listing(row) for row in self.rows(sql, args)]
        total = len(rows)
        if limit is not None and total == limit:
            total = self.rows(f"SELECT count(*) FROM sfcoach.sessions {where}", args)[0][0]
        return rows, total

    def search(self, match: Query, client: str | None = None, limit: int = 200) -> list[SearchHit]:
        """The folder store's search: terms of three characters or more anywhere in a word
        (the trigram index), shorter ones as whole words or prefixes; all must match."""
        self.check_reads_texts()
        terms = _terms(match)
        likes, words, patterns = [], [], []
        for term, long, prefix in terms:
            if long:
                likes.append("%" + re.sub(r"([\\%_])", r"\\\1", term) + "%")
                patterns.append(re.escape(term))
            else:
                word = _word_regex(term, prefix)
                words.append(word[0])
                patterns.append(word[1])
        rows = self._search_rows(likes, words, client, limit * 4 + 50)
        # Newest session first, and inside it the texts in the order they were given.
        rows.sort(key=lambda r: r[-1])
        rows.sort(key=lambda r: r[0], reverse=True)
        # As in the folder store, long terms are the ones marked when there are any;
        # short ones then only narrow.
        if any(long for _, long, _ in terms):
            patterns = [p for p, (_, long, _) in zip(patterns, terms, strict=True) if long]
        marker = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        hits: list[SearchHit] = []
        seen: set[tuple[str | None, str]] = set()
        for s, c, d, f, q, body, p, _ in rows:
            if f == "step":  # a step reviewed in later meetings is one step: the newest
                if (c, body) in seen:
                    continue
                seen.add((c, body))
            marked = marker.sub(lambda m: _OPEN + m.group(0) + _CLOSE, body)
            hits.append(
                SearchHit(
                    session=s, client=c, date=d, field=f, question=q, snippet=snippet(marked),
                    practice=bool(p),
                )
            )  # fmt: skip
            if len(hits) >= limit:
                break
        for who in sorted({h["client"] or "" for h in hits}):
            self.log(who or None, [h["session"] for h in hits if (h["client"] or "") == who])
        return hits

    def _search_rows(
        self, likes: list[str], words: list[str], client: str | None, fetch: int
    ) -> list[tuple[Any, ...]]:
        """Matching texts, newest session first. The newest sessions are searched first: a
        common word fills the page from them at once, whatever the planner guesses about
        how common it is; only when they do not, the whole store, through the trigram
        index (sfcoach.find_texts)."""
        where = " AND ".join(
            ["t.body ILIKE %s"] * len(likes)
            + ["t.body ~* %s"] * len(words)
            + (["s.client = %s"] if client else [])
        )
        args = [*likes, *words, *([client] if client else [])]
        select = (
            "SELECT s.id, s.client, substr(s.started, 1, 10), t.field, t.question, t.body,"
            " s.practice, t.n FROM sfcoach.texts t JOIN sfcoach.sessions s ON s.id = t.session"
            f" WHERE {where} AND t.session = ANY(%s) ORDER BY t.session DESC, t.n DESC LIMIT %s"
        )
        recent = [
            r[0]
            for r in self.rows(
                "SELECT id FROM sfcoach.sessions"
                f"{' WHERE client = %s' if client else ''} ORDER BY id DESC LIMIT %s",
                [*([client] if client else []), RECENT],
            )
        ]
        rows = self.rows(select, [*args, recent, fetch])
        if len(rows) < fetch and len(recent) == RECENT:
            found = self.rows(
                "SELECT DISTINCT session FROM sfcoach.find_texts(%s, %s, %s, %s)",
                (likes, words, client, fetch),
            )
            rows = self.rows(select, [*args, [r[0] for r in found], fetch])
        if len(rows) == fetch and rows[-1][0] != rows[0][0]:
            rows = [r for r in rows if r[0] != rows[-1][0]]  # the oldest may be cut short
        return rows

    def practice_groups(self, ref: str) -> list[str]:
        """As the folder index: the practices whose group id starts with `ref` (at most
        two). `ref` is made of an id's characters, so it holds no LIKE wildcard."""
        rows = self.rows(
            f"SELECT DISTINCT {_ROUND}->>'group' FROM sfcoach.sessions"
            f" WHERE practice AND {_ROUND}->>'group' LIKE %s LIMIT 2",
            (ref + "%",),
        )
        return [row[0] for row in rows]

    def group_sessions(self, group: str) -> list[str]:
        rows = self.rows(
            f"SELECT id FROM sfcoach.sessions WHERE practice AND {_ROUND}->>'group' = %s"
            f" ORDER BY ({_ROUND}->>'round')::int, id",
            (group,),
        )
        return [row[0] for row in rows]

    def rated(self, since: str | None) -> list[Rated]:
        day = since.replace("-", "") if since else None
        rows = self.rows("SELECT * FROM sfcoach.team_rated(%s)", (day,))
        return [Rated(m, int(un), int(us), int(pn), int(ps)) for m, un, us, pn, ps in rows]

    def reflection_pairs(self, since: str) -> dict[str, int]:
        rows = self.rows(
            "SELECT * FROM sfcoach.team_reflection_pairs(%s)", (since.replace("-", ""),)
        )
        return {who: int(n) for who, n in rows}

    def counts(self, since: str | None) -> list[Counts]:
        day = since.replace("-", "") if since else None
        rows = self.rows("SELECT * FROM sfcoach.team_counts(%s)", (day,))
        return [
            Counts(m, s, int(n), int(a), int(d), int(p), int(x)) for m, s, n, a, d, p, x in rows
        ]

    def progress(self, since: str | None) -> list[Progress]:
        day = since.replace("-", "") if since else None
        rows = self.rows("SELECT * FROM sfcoach.team_progress(%s)", (day,))
        return [Progress(c, int(n), f, last) for c, n, f, last in rows]

    # --- housekeeping --------------------------------------------------------------------

    def purge(self, doomed: list[Any]) -> int:
        """Delete each session under its lock; one a meeting holds is marked and left."""
        removed = 0
        for item in doomed:
            try:
                with self.lock_id(Path(), item.id), self.transaction() as cur:
                    cur.execute("DELETE FROM sfcoach.sessions WHERE id = %s", (item.id,))
                    removed += cur.rowcount
            except UserError as e:
                if e.key != "store.locked":
                    raise
                item.locked = True
        return removed


_INSERT_SESSION = (
    "INSERT INTO sfcoach.sessions(id, team, client, client_key, meeting, practice, status,"
    " started, ended, progress, steps_agreed, steps_done, steps_partly, steps_not, bytes, data)"
    " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING"
)
_INSERT_TEXT = (
    "INSERT INTO sfcoach.texts(session, n, team, field, question, body) VALUES (%s,%s,%s,%s,%s,%s)"
)
_INSERT_RATING = (
    "INSERT INTO sfcoach.ratings(session, n, team, scale, value, min, max, at)"
    " VALUES (%s,%s,%s,%s,%s,%s,%s,%s)"
)


def _ref(session_id: str, client: str | None, practice: bool) -> Path:
    folder = PRACTICE_DIR if practice or not client else client
    return Path(folder) / f"{session_id}.yaml"


def _encode(session: Session) -> str:
    return json.dumps(sessionfile.to_dict(session), ensure_ascii=False)


def _columns(s: Session) -> tuple[Any, ...]:
    row = session_row(s)
    key = alias_key(s.client) if s.client else None
    return (
        s.client, key, s.meeting, s.practice, s.status, s.started, s.ended, s.progress,
        row.steps_agreed, row.steps_done, row.steps_partly, row.steps_not,
    )  # fmt: skip


_QUOTED = re.compile(r'"((?:[^"]|"")*)"(\*?)')


def _terms(match: Query) -> list[tuple[str, bool, bool]]:
    """index.fts_query's terms back as (text, long, prefix): the one parser of what was
    typed stays there."""
    out = []
    for text, long in ((match.long, True), (match.short, False)):
        for term, star in _QUOTED.findall(text):
            out.append((term.replace('""', '"'), long, bool(star)))
    return out


def _word_regex(term: str, prefix: bool) -> tuple[str, str]:
    """A short term as a whole word (or a word's beginning): for PostgreSQL and Python."""
    escaped = re.escape(term)
    end_pg, end_py = ("", "") if prefix else ("([^[:alnum:]_]|$)", r"(?!\w)")
    return f"(^|[^[:alnum:]_]){escaped}{end_pg}", rf"(?<!\w){escaped}{end_py}"


if TYPE_CHECKING:  # both stores keep to the one interface the commands use

    def _conforms(folder: Store, team: PgStore) -> tuple[SessionStore, TeamStore]:
        return folder, team
