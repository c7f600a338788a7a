"""A derived SQLite index of the store, for fast listing, search and statistics.

The session files are the truth; this is a cache in the user cache folder,
one per store, rebuilt when missing, corrupt or of another version. A refresh
looks at folder mtimes first: saves rename a file into its client folder,
which changes that folder's mtime, so only changed folders are scanned and
only changed files (mtime or size) are read. A folder or file touched in the
last two seconds is rescanned next time too, so a write within the same
clock tick as the scan is never missed.

Holds client text (for search), so it gets the store's protection: 0700
folder, 0600 file, and secure_delete so purged text does not linger in free
pages.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NotRequired, Protocol, TypedDict, TypeVar

from sfcoach import fsio, privacy
from sfcoach.errors import UserError
from sfcoach.paths import index_path
from sfcoach.store import PRACTICE_DIR, Skipped, Store

if TYPE_CHECKING:
    from sfcoach import filereader

T = TypeVar("T")
# 7: a trigram table beside the word table, so that a word finds its inflected and
# compound forms
# 8: each session's usefulness rating (the client's view of the meeting), for stats
# 9: the practitioner and reflection pairs, for stats; a practice round's group, round,
# coach and card, for the list
# 10: the usefulness and progress ratings summed per month, ready for stats
INDEX_VERSION = "10"
RACY_NS = 2_000_000_000  # anything changed this recently is looked at again next time
# Search texts are numbered in blocks of this many per session; a session with more
# takes as many blocks as it needs.
TEXTS_PER_SESSION = 4096
BATCH = 1000  # files a transaction during a refresh


class SessionListing(TypedDict):
    """A row of `sessions list`, as its JSON output shows it."""

    id: str
    client: str | None
    meeting: str
    practice: bool
    status: str
    started: str
    ended: str | None
    progress: int | None
    # Practice rounds only: which practice, which round of how many, who coached, the card.
    group: NotRequired[str]
    round: NotRequired[int]
    rounds: NotRequired[int]
    coach: NotRequired[str]
    card: NotRequired[str]


class SearchHit(TypedDict):
    """One search hit, as `search --json` shows it."""

    session: str
    client: str | None
    date: str
    field: str  # answer, followup, step, note, ask or feedback
    question: str | None
    snippet: str
    practice: bool


class Counts(NamedTuple):
    """Real meetings of one kind and status, and their steps by status."""

    meeting: str
    status: str
    sessions: int
    agreed: int
    done: int
    partly: int
    not_: int


class Progress(NamedTuple):
    """One client's progress ratings: how many, the first and the latest."""

    client: str
    ratings: int
    first: int
    latest: int


class Rated(NamedTuple):
    """A month's real meetings: how many have a usefulness rating and their sum, how many
    a progress rating and theirs. Sums, not means, so that months add up to quarters."""

    month: str  # 2026-11
    useful_n: int
    useful_sum: int
    progress_n: int
    progress_sum: int


class Notice(Protocol):
    """Someone to tell that a refresh is slow: it waits for another, or reads many files."""

    def waiting(self) -> None: ...

    def reading(self, done: int, total: int) -> None: ...


SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE dirs(name TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL);
CREATE TABLE files(
    rowid INTEGER PRIMARY KEY,
    dir TEXT NOT NULL,
    name TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    problem TEXT,
    params TEXT,
    UNIQUE(dir, name)
);
CREATE INDEX files_problem ON files(dir, name) WHERE problem IS NOT NULL;
CREATE TABLE sessions(
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    client TEXT,
    meeting TEXT NOT NULL,
    practice INTEGER NOT NULL,
    status TEXT NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    progress INTEGER,
    usefulness INTEGER,
    steps_agreed INTEGER NOT NULL,
    steps_done INTEGER NOT NULL,
    steps_partly INTEGER NOT NULL,
    steps_not INTEGER NOT NULL,
    practitioner TEXT NOT NULL,
    reflection INTEGER NOT NULL,
    practice_group TEXT,
    practice_round INTEGER,
    practice_rounds INTEGER,
    coach TEXT,
    card TEXT
);
CREATE INDEX sessions_id ON sessions(id);
CREATE INDEX sessions_group ON sessions(practice_group) WHERE practice_group IS NOT NULL;
CREATE INDEX sessions_client ON sessions(client, id);
CREATE INDEX sessions_progress ON sessions(practice, client, id, progress) WHERE progress IS NOT NULL;
CREATE INDEX sessions_counts ON sessions(
    practice, meeting, status, id, steps_agreed, steps_done, steps_partly, steps_not
);
-- Ready-made figures for stats over all real meetings, updated when a refresh changes
-- something; `stats --since` counts from the sessions table instead.
CREATE TABLE counts(
    meeting TEXT, status TEXT, n INTEGER, agreed INTEGER, done INTEGER, partly INTEGER, "not" INTEGER
);
CREATE TABLE progress(client TEXT PRIMARY KEY, ratings INTEGER, first INTEGER, latest INTEGER);
CREATE TABLE rated(
    month TEXT PRIMARY KEY, useful_n INTEGER, useful_sum INTEGER, progress_n INTEGER,
    progress_sum INTEGER
);
CREATE TABLE texts(
    rowid INTEGER PRIMARY KEY,
    session INTEGER NOT NULL,
    field TEXT NOT NULL,
    question TEXT,
    body TEXT NOT NULL
);
CREATE INDEX texts_session ON texts(session);
CREATE VIRTUAL TABLE fts USING fts5(
    body, content='texts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0'
);
-- Substrings of three characters or more: Swedish inflects and compounds, so "lån" must
-- find "CSN-lånet" and "stöd" "försörjningsstöd". Shorter terms go to the word table.
CREATE VIRTUAL TABLE tri USING fts5(
    body, content='texts', content_rowid='rowid', tokenize='trigram'
);
"""


class Index:
    def __init__(self, store: Store, path: Path | None = None) -> None:
        self.store = store
        self._touched: set[str] = set()  # clients whose sessions a refresh changed
        self._gone: set[str] = set()  # texts a refresh removed that no file holds any more
        self.path = path or index_path(store.root)
        self.memory = False  # the cache cannot be used: an index in memory, from the files
        self._rebuilt = False
        try:
            self.db = self._open()
        except (sqlite3.DatabaseError, OSError) as e:
            self.db = self._in_memory(e)

    # --- opening -------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """Open the index, creating or rebuilding it. An index of this version opens at
        once, even while another command refreshes it; creating or rebuilding one is
        done by one process at a time, or two first runs at once would both create the
        tables (or one would remove the file the other has just made)."""
        db = self._current() if self.path.exists() else None
        if db is not None:
            return db
        with self._locked():
            return self._current() or self._create()

    def _current(self) -> sqlite3.Connection | None:
        """The index as it is, if it is one of this version."""
        try:
            db = self._connect()
            if self._version(db) == INDEX_VERSION:
                return db
            db.close()
        except sqlite3.DatabaseError as e:
            if _unavailable(e):  # a full disk is no reason to throw a good index away
                raise
            # otherwise corrupt or not a database: it is only a cache
        return None

    def _create(self) -> sqlite3.Connection:
        self._remove()
        db = self._connect()
        self._schema(db)
        return db

    def _schema(self, db: sqlite3.Connection) -> None:
        with db:
            db.executescript(SCHEMA)
            db.execute("INSERT INTO meta VALUES ('version', ?)", (INDEX_VERSION,))
            db.execute(
                "INSERT INTO meta VALUES ('store', ?)",
                (fsio.decoded(str(self.store.root.resolve())),),
            )

    # --- when the cache cannot be used -----------------------------------------------

    def _guard(self, work: Callable[[], T]) -> T:
        """`work` on the index; if SQLite or the disk fails under it (damaged pages,
        a full cache disk), rebuild the index once, then read the files into memory."""
        while True:
            try:
                return work()
            except (sqlite3.DatabaseError, OSError) as e:
                if self.memory:
                    raise
                self._recover(e)

    def _recover(self, e: BaseException) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if not self._rebuilt and not _unavailable(e):
            self._rebuilt = True
            try:
                with self._locked():
                    self.db = self._create()
                self._refresh_now()
                return
            except (sqlite3.DatabaseError, OSError) as again:
                with contextlib.suppress(sqlite3.Error):
                    self.db.close()
                e = again
        self.db = self._in_memory(e)
        self._refresh_now()

    def _why_key(self, e: BaseException) -> str:
        if _unavailable(e) == "full" or self._disk_full():
            return "oserror.disk-full"
        denied = (errno.EACCES, errno.EROFS, errno.EPERM)
        if getattr(e, "errno", None) in denied or "readonly" in str(e).casefold():
            return "oserror.read-only"
        return "oserror.other" if _unavailable(e) else "index.damaged"

    def _disk_full(self) -> bool:
        """SQLite often reports a full disk as a 'disk I/O error': ask the disk."""
        try:
            info = os.statvfs(self.path.parent)
        except OSError:
            return False
        return info.f_bavail * info.f_frsize < 64 * 1024

    def _in_memory(self, e: BaseException) -> sqlite3.Connection:
        """An index held in memory for this command only, read from the files, with one
        notice of why the cache was not used."""
        from sfcoach.i18n import resolve_lang, t

        lang = getattr(self.store.notice, "lang", None) or resolve_lang(None)
        why = t(self._why_key(e), lang)
        sys.stderr.write(t("index.unusable", lang, why=why) + "\n")
        self.memory = True
        db = sqlite3.connect(":memory:", isolation_level=None)
        self._schema(db)
        return db

    def _connect(self) -> sqlite3.Connection:
        privacy.make_private_dir(self.path.parent)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA secure_delete = ON")
        return db

    def _version(self, db: sqlite3.Connection) -> str | None:
        try:
            return _meta(db, "version")
        except sqlite3.OperationalError:
            return None

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One writer at a time: BEGIN IMMEDIATE waits for another refresh to finish."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- refreshing ------------------------------------------------------------------

    def refresh(self) -> int:
        """Bring the index up to date with the files; returns how many files were read.
        Tells the store's notice, if any, when it waits or reads many files."""
        return self._guard(self._refresh_now)

    def _refresh_now(self) -> int:
        now = time.time_ns()  # before looking: what changes as we look is looked at again
        folders = self._folders()
        if dict(self.db.execute("SELECT name, mtime_ns FROM dirs")) == folders:
            return 0  # nothing changed: no lock, no transaction to commit
        # One refresh at a time, for as long as it takes (a large first build commits as
        # it goes, so SQLite's own lock would let another command in between).
        with self._locked(self.store.notice) as waited:
            if waited:  # another command refreshed meanwhile, and more may have changed
                now, folders = time.time_ns(), self._folders()
            return self._refresh(now, folders, self.store.notice)

    def _folders(self) -> dict[str, int]:
        try:
            entries = list(os.scandir(self.store.root))
        except FileNotFoundError:
            entries = []
        except OSError as e:
            path = str(self.store.root)
            raise UserError("store.unreadable", path=path, why_key="oserror.read-only") from e
        folders = {}
        for entry in entries:
            if _is_folder(entry):
                with contextlib.suppress(OSError):
                    folders[entry.name] = entry.stat(follow_symlinks=False).st_mtime_ns
        return folders

    @contextlib.contextmanager
    def _locked(self, notice: Notice | None = None) -> Iterator[bool]:
        """The index's own lock, for creating and refreshing; gives whether it waited."""
        if self.memory:  # this process's own index: nobody to wait for
            yield False
            return
        privacy.make_private_dir(self.path.parent)
        with fsio.exclusive(
            Path(f"{self.path}.lock"), on_busy=notice.waiting if notice else _nothing
        ) as waited:
            yield waited

    def _refresh(self, now: int, folders: dict[str, int], notice: Notice | None) -> int:
        from sfcoach import filereader

        with self._write() as db:
            known = dict(db.execute("SELECT name, mtime_ns FROM dirs"))
            if known == folders:
                return 0
            # Until this refresh has finished, the ready-made figures may be behind.
            all_stale = _meta(db, "summaries") == "stale"
            db.execute("INSERT OR REPLACE INTO meta VALUES ('summaries', 'stale')")
            self._touched = set()
            for name in known.keys() - folders.keys():
                self._drop_folder(db, name)
            changed = [(name, mtime) for name, mtime in folders.items() if known.get(name) != mtime]
            work = [job for name, _ in changed for job in self._changed_files(db, name, now)]
        # In session-id order, which is time order: search texts are numbered by time,
        # so a full build appends to the index instead of inserting all over it.
        work.sort(key=lambda job: job[1])
        reads = filereader.read_all(self.store.root, [(job[0], job[1]) for job in work])
        if notice:
            notice.reading(0, len(work))
        with contextlib.closing(reads):  # stops the workers if this stops early
            for done in range(0, len(work), BATCH):
                # A transaction per batch: a build that is stopped keeps what it has read.
                batch = work[done : done + BATCH]
                with self._write() as db:
                    for job, read in zip(batch, reads, strict=False):
                        self._index_file(db, *job, read)
                if notice:
                    notice.reading(done + len(batch), len(work))
        with self._write() as db:
            for name, mtime in changed:
                stamp = 0 if now - mtime < RACY_NS else mtime
                db.execute("INSERT OR REPLACE INTO dirs VALUES (?, ?)", (name, stamp))
            _summarise(db, None if all_stale else self._touched)
            db.execute("DELETE FROM meta WHERE key = 'summaries'")
        if self._gone:  # an edit or a masking removed text: it must leave the pages too
            self.forget_deleted()
            self._gone = set()
        return len(work)

    def _drop_folder(self, db: sqlite3.Connection, name: str) -> None:
        for (rowid,) in db.execute("SELECT rowid FROM files WHERE dir = ?", (name,)).fetchall():
            self._forget(db, rowid)
        db.execute("DELETE FROM files WHERE dir = ?", (name,))
        db.execute("DELETE FROM dirs WHERE name = ?", (name,))

    def _changed_files(
        self, db: sqlite3.Connection, name: str, now: int
    ) -> list[tuple[str, str, int, int, int | None]]:
        """Files of one folder to (re)read, as _index_file's arguments; forgets removed ones."""
        folder = self.store.root / name
        known = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT name, rowid, mtime_ns, size FROM files WHERE dir = ?", (name,)
            )
        }
        seen, work = set(), []
        try:
            entries = list(os.scandir(folder))
        except OSError:
            entries = []
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                fsio.remove_if_stale(Path(entry.path))  # a killed save's copy of a session
            if not entry.name.endswith(".yaml") or entry.name.startswith("."):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            seen.add(entry.name)
            old = known.get(entry.name)
            if old is not None and (old[1], old[2]) == (info.st_mtime_ns, info.st_size):
                continue
            stamp = 0 if now - info.st_mtime_ns < RACY_NS else info.st_mtime_ns
            work.append((name, entry.name, stamp, info.st_size, old[0] if old else None))
        for gone in known.keys() - seen:
            self._forget(db, known[gone][0])
            db.execute("DELETE FROM files WHERE rowid = ?", (known[gone][0],))
        return work

    def _index_file(
        self,
        db: sqlite3.Connection,
        folder: str,
        name: str,
        mtime: int,
        size: int,
        rowid: int | None,
        read: filereader.Read,
    ) -> None:
        params = None if read.params is None else json.dumps(read.params)
        if rowid is not None:
            self._forget(db, rowid)
            db.execute(
                "UPDATE files SET mtime_ns = ?, size = ?, problem = ?, params = ? WHERE rowid = ?",
                (mtime, size, read.problem, params, rowid),
            )
        else:
            rowid = db.execute(
                "INSERT INTO files(dir, name, mtime_ns, size, problem, params) VALUES (?,?,?,?,?,?)",
                (folder, name, mtime, size, read.problem, params),
            ).lastrowid
            assert rowid is not None
        if read.row is not None:
            self._add(db, rowid, read)
            self._gone.difference_update(text[-1] for text in read.texts)

    def _forget(self, db: sqlite3.Connection, rowid: int) -> None:
        client = db.execute("SELECT client FROM sessions WHERE rowid = ?", (rowid,)).fetchone()
        if client and client[0]:
            self._touched.add(client[0])
        self._gone.update(
            b for (b,) in db.execute("SELECT body FROM texts WHERE session = ?", (rowid,))
        )
        for table in FTS_TABLES:
            db.execute(
                f"INSERT INTO {table}({table}, rowid, body)"
                " SELECT 'delete', rowid, body FROM texts WHERE session = ?",
                (rowid,),
            )
        db.execute("DELETE FROM texts WHERE session = ?", (rowid,))
        db.execute("DELETE FROM sessions WHERE rowid = ?", (rowid,))

    def _add(self, db: sqlite3.Connection, rowid: int, read: filereader.Read) -> None:
        row = read.row
        assert row is not None
        if row.client:
            self._touched.add(row.client)
        values = vars(row)
        db.execute(_insert_sql("sessions", ("rowid", *values)), {"rowid": rowid, **values})
        texts = read.texts
        if not texts:
            return
        blocks = -(-len(texts) // TEXTS_PER_SESSION)
        base = _free_block(db, _time_key(row.id), blocks)
        # Within a session the first text gets the highest number: newest session
        # first, and inside it the texts in the order they were given.
        top = base + blocks * TEXTS_PER_SESSION - 1
        rows = [(top - i, rowid, *text) for i, text in enumerate(texts)]
        db.executemany(
            "INSERT INTO texts(rowid, session, field, question, body) VALUES (?,?,?,?,?)", rows
        )
        bodies = [(r[0], r[4]) for r in rows]
        for table in FTS_TABLES:
            db.executemany(f"INSERT INTO {table}(rowid, body) VALUES (?, ?)", bodies)

    def forget_deleted(self) -> None:
        """After a purge: merge the search index so deleted words leave its pages too
        (secure_delete zeroes the freed ones), and fold the write-ahead log away."""
        with self._write() as db:
            for table in FTS_TABLES:
                db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- reading ---------------------------------------------------------------------

    def problems(self) -> list[Skipped]:
        rows = self.query(
            "SELECT dir, name, problem, params FROM files WHERE problem IS NOT NULL ORDER BY dir, name"
        )
        return [Skipped(f"{d}/{n}", p, _params(params)) for d, n, p, params in rows]

    def sessions(
        self,
        client: str | None = None,
        since: str | None = None,
        status: str | None = None,
        practice: bool | None = None,
        limit: int | None = None,
    ) -> tuple[list[SessionListing], int]:
        return self._guard(lambda: self._sessions(client, since, status, practice, limit))

    def _sessions(
        self,
        client: str | None,
        since: str | None,
        status: str | None,
        practice: bool | None,
        limit: int | None,
    ) -> tuple[list[SessionListing], int]:
        where, args = _filters(client, since, status, practice)
        sql = (
            "SELECT id, client, meeting, practice, status, started, ended, progress, "
            f"practice_group, practice_round, practice_rounds, coach, card "
            f"FROM sessions {where} ORDER BY id DESC"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = [listing(row) for row in self.db.execute(sql, args)]
        total = len(rows)
        if limit is not None and total == limit:  # there may be more than were listed
            total = self.db.execute(f"SELECT count(*) FROM sessions {where}", args).fetchone()[0]
        return rows, total

    def practice_groups(self, ref: str) -> list[str]:
        """The practices whose group id is `ref` or starts with it (at most two: one is
        the answer, two say it is ambiguous). `ref` is made of an id's characters, so it
        is a prefix to GLOB, which the group's index serves."""
        rows = self.query(
            "SELECT DISTINCT practice_group FROM sessions WHERE practice_group GLOB ? LIMIT 2",
            (ref + "*",),
        )
        return [row[0] for row in rows]

    def group_sessions(self, group: str) -> list[str]:
        """The session ids of one practice's rounds, in round order."""
        rows = self.query(
            "SELECT id FROM sessions WHERE practice_group = ? ORDER BY practice_round, id",
            (group,),
        )
        return [row[0] for row in rows]

    def has_client(self, client: str) -> bool:
        rows = self.query("SELECT 1 FROM sessions WHERE client = ? LIMIT 1", (client,))
        return bool(rows)

    def search(self, match: Query, client: str | None = None, limit: int = 200) -> list[SearchHit]:
        # The trigram table leads when the query has a long term: its marks are the ones
        # shown; short terms then only narrow, through the word table.
        table = "tri" if match.long else "fts"
        narrow = "AND t.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
        sql = f"""
            SELECT s.id, s.client, substr(s.started, 1, 10), t.field, t.question,
                   highlight({table}, 0, char(57344), char(57345)), s.practice, t.body
            FROM {table} JOIN texts t ON t.rowid = {table}.rowid
                 JOIN sessions s ON s.rowid = t.session
            WHERE {table} MATCH ? {narrow if match.long and match.short else ""}
                  {"AND s.client = ?" if client else ""}
            ORDER BY {table}.rowid DESC
        """
        terms = [q for q in (match.long, match.short) if q]
        args: list[Any] = [*terms, *([client] if client else [])]

        def found() -> list[SearchHit]:
            hits: list[SearchHit] = []
            seen: set[tuple[str | None, str]] = set()
            try:
                for s, c, d, f, q, marked, p, body in self.db.execute(sql, args):
                    # A step reviewed in later meetings is one step: shown once, newest.
                    if f == "step":
                        if (c, body) in seen:
                            continue
                        seen.add((c, body))
                    hit = SearchHit(
                        session=s, client=c, date=d, field=f, question=q,
                        snippet=_snippet(marked), practice=bool(p),
                    )  # fmt: skip
                    hits.append(hit)
                    if len(hits) >= limit:
                        break
            except sqlite3.OperationalError as e:
                if _unavailable(e) or _damaged(e):
                    raise
                raise UserError("search.bad-query") from None
            return hits

        return self._guard(found)

    def counts(self, since: str | None) -> list[Counts]:
        """Sessions and their steps per meeting kind and status, over real meetings."""
        if since is None:
            rows = self.query("SELECT * FROM counts", check=_COUNT_KINDS)
        else:
            day = (since.replace("-", ""),)
            rows = self.query(f"{COUNT_SESSIONS} AND id >= ? GROUP BY 1, 2", day, _COUNT_KINDS)
        return [Counts(*row) for row in rows]

    def progress(self, since: str | None) -> list[Progress]:
        """First and latest progress rating of each rated client."""
        if since is None:
            rows = self.query("SELECT * FROM progress", check=_PROGRESS_KINDS)
        else:
            day = (since.replace("-", ""),)
            rows = self.query(_progress_sql(" AND id >= ?"), day * 2, _PROGRESS_KINDS)
        return [Progress(*row) for row in rows]

    def rated(self, since: str | None) -> list[Rated]:
        """The usefulness and progress ratings of real meetings, per month, oldest first:
        summed here, so that stats reads a row a month, not one a meeting."""
        if since is None:
            rows = self.query("SELECT * FROM rated ORDER BY month", check=_RATED_KINDS)
        else:
            day = (since.replace("-", ""),)
            rows = self.query(f"{RATED_MONTHS} AND id >= ?{RATED_GROUPS}", day, _RATED_KINDS)
        return [Rated(*row) for row in rows]

    def reflection_pairs(self, since: str) -> dict[str, int]:
        """Completed real meetings with a reflection partner since a day, per practitioner."""
        rows = self.query(
            "SELECT practitioner, count(*) FROM sessions WHERE practice = 0 AND reflection = 1"
            " AND status = 'completed' AND id >= ? GROUP BY 1 ORDER BY 1",
            (since.replace("-", ""),),
            (str, int),
        )
        return dict(rows)

    def query(
        self, sql: str, args: Any = (), check: tuple[Any, ...] | None = None
    ) -> list[tuple[Any, ...]]:
        """Rows of `sql`; with `check`, each column must be of its kind (a damaged page
        can hand back anything), or the index is rebuilt as for any damage."""

        def rows() -> list[tuple[Any, ...]]:
            got = self.db.execute(sql, args).fetchall()
            if check and not all(map(_kinds_ok, got, [check] * len(got))):
                raise sqlite3.DatabaseError("database disk image is malformed")
            return got

        return self._guard(rows)


def listing(row: tuple[Any, ...]) -> SessionListing:
    """A row of `sessions list` from (id, client, meeting, practice, status, started,
    ended, progress, group, round, rounds, coach, card)."""
    i, c, m, p, st, sd, e, pr, group, n, of, coach, card = row
    out = SessionListing(
        id=i, client=c, meeting=m, practice=bool(p), status=st, started=sd, ended=e, progress=pr
    )
    if p and group is not None:
        out["group"], out["round"], out["rounds"] = group, n, of
        out["coach"], out["card"] = coach or "", card or ""
    return out


FTS_TABLES = ("fts", "tri")
SNIPPET_WORDS = 16
_OPEN, _CLOSE = "\ue000", "\ue001"  # private characters: they cannot be in a text as typed


def _snippet(marked: str) -> str:
    """About SNIPPET_WORDS words around the first match, matches marked «so». A text's
    own « and » are shown as ‹ and ›, so that they cannot be taken for marks. Cut by
    words here rather than by FTS5's snippet(), which counts trigrams, not words."""
    words = marked.replace("«", "‹").replace("»", "›").split()
    first = next((i for i, w in enumerate(words) if _OPEN in w), 0)
    start = max(0, min(first - 3, len(words) - SNIPPET_WORDS))
    end = min(len(words), start + SNIPPET_WORDS)
    # a match that runs over several words (a phrase) is not cut in two
    while end < len(words) and "".join(words[start:end]).count(_OPEN) > "".join(
        words[start:end]
    ).count(_CLOSE):
        end += 1
    text = " ".join(words[start:end]).replace(_OPEN, "«").replace(_CLOSE, "»")
    return ("…" if start else "") + text + ("…" if end < len(words) else "")


COUNT_SESSIONS = (
    "SELECT meeting, status, count(*), sum(steps_agreed), sum(steps_done), sum(steps_partly),"
    " sum(steps_not) FROM sessions WHERE practice = 0"
)
RATED_MONTHS = (
    "SELECT substr(started, 1, 7), count(usefulness), ifnull(sum(usefulness), 0),"
    " count(progress), ifnull(sum(progress), 0) FROM sessions WHERE practice = 0"
)
RATED_GROUPS = " GROUP BY 1 HAVING count(usefulness) OR count(progress) ORDER BY 1"


def _progress_sql(since: str = "", client: str = "") -> str:
    """First and latest progress per client. SQLite takes the bare column `progress` from
    the row min() or max() picked; an index in (client, id) order makes it one pass."""
    rated = (
        f"FROM sessions WHERE practice = 0 AND progress IS NOT NULL{since}{client} GROUP BY client"
    )
    return (
        f"SELECT f.client, f.n, f.progress, l.progress FROM"
        f" (SELECT client, progress, min(id), count(*) AS n {rated}) AS f JOIN"
        f" (SELECT client, progress, max(id) {rated}) AS l USING (client)"
    )


def _summarise(db: sqlite3.Connection, touched: set[str] | None) -> None:
    """Bring the ready-made stats figures up to date after a refresh changed something:
    progress for the clients touched, or for everyone (None)."""
    db.execute("DELETE FROM counts")
    db.execute(f"INSERT INTO counts {COUNT_SESSIONS} GROUP BY 1, 2")
    db.execute("DELETE FROM rated")
    db.execute(f"INSERT INTO rated {RATED_MONTHS}{RATED_GROUPS}")
    if touched is None or len(touched) > 500:  # a large change: one pass is quicker
        db.execute("DELETE FROM progress")
        db.execute(f"INSERT INTO progress {_progress_sql()}")
        return
    for client in touched:
        db.execute("DELETE FROM progress WHERE client = ?", (client,))
        db.execute(
            f"INSERT INTO progress {_progress_sql(client=' AND client = ?')}", (client, client)
        )


def _nothing() -> None:
    pass


_FULL = (errno.ENOSPC, errno.EDQUOT)
_COUNT_KINDS = (str, str, int, int, int, int, int)
_PROGRESS_KINDS = (str, int, int, int)


_RATED_KINDS = (str, int, int, int, int)


def _kinds_ok(row: tuple[Any, ...], kinds: tuple[Any, ...]) -> bool:
    return len(row) == len(kinds) and all(map(isinstance, row, kinds))


def _unavailable(e: BaseException) -> str:
    """ "full" or "unusable" when the cache cannot take the index at all (rebuilding it
    there would not help), "" for anything else."""
    if isinstance(e, OSError):
        return "full" if e.errno in _FULL else "unusable"
    text = str(e).casefold()
    if "disk is full" in text or "disk full" in text:
        return "full"
    words = ("unable to open", "disk i/o", "readonly", "read-only", "not a directory")
    return "unusable" if any(w in text for w in words) else ""


def _damaged(e: BaseException) -> bool:
    text = str(e).casefold()
    return any(w in text for w in ("malformed", "corrupt", "not a database"))


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _time_key(session_id: str) -> int:
    """A number that sorts like the session id (YYYYMMDD-HHMMSS-mmmrr): search texts are
    numbered from it, so 'newest first' is the full-text index's own order."""
    import re
    from datetime import datetime

    m = re.fullmatch(r"(\d{8})-(\d{6})-([0-9a-f]{4,8})", session_id)
    if m is None:  # not one of ours: anywhere, consistently
        return int.from_bytes(session_id.encode()[:4].ljust(4, b"\0"), "big")
    try:
        when = datetime.strptime(m[1] + m[2], "%Y%m%d%H%M%S")
    except ValueError:
        return 0
    seconds = int((when - datetime(2000, 1, 1)).total_seconds())
    suffix = m[3]
    if len(suffix) == 5 and suffix[:3].isdigit():
        ms, rand = int(suffix[:3]), int(suffix[3:], 16)
    else:  # the first ids had four random hex digits and no milliseconds
        ms, rand = 0, int(suffix, 16) % 256
    return (seconds * 1000 + ms) * 256 + rand


def _free_block(db: sqlite3.Connection, key: int, blocks: int = 1) -> int:
    """The first `blocks` blocks of text numbers at or after `key`'s that no other
    session uses."""
    while db.execute(
        "SELECT 1 FROM texts WHERE rowid BETWEEN ? AND ?",
        (key * TEXTS_PER_SESSION, (key + blocks) * TEXTS_PER_SESSION - 1),
    ).fetchone():
        key += 1
    return key * TEXTS_PER_SESSION


@functools.cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """An INSERT naming its columns, with a named parameter for each."""
    return (
        f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    )


def _is_folder(entry: os.DirEntry) -> bool:
    if entry.name.startswith((".", "_")) and entry.name != PRACTICE_DIR:
        return False
    return entry.is_dir(follow_symlinks=False)


def _filters(
    client: str | None, since: str | None, status: str | None, practice: bool | None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if client is not None:
        clauses.append("client = ?")
        args.append(client)
    if since is not None:
        clauses.append("id >= ?")  # ids begin with the local date, YYYYMMDD
        args.append(since.replace("-", ""))
    if status is not None:
        clauses.append("status = ?")
        args.append(status)
    if practice is not None:
        clauses.append("practice = ?")
        args.append(int(practice))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args


def _params(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Query:
    """A search as FTS5 queries: `long` for the trigram table (terms of three characters
    or more, found inside longer words), `short` for the word table (shorter terms, whole
    words or, with *, prefixes). All terms must match."""

    long: str
    short: str


TRIGRAM = 3  # the trigram table cannot find anything shorter


def fts_query(text: str) -> Query:
    """What a user typed, as FTS5 queries: each word quoted so that e-post and
    CSN-lån are words, not syntax; "quoted phrases" kept; a trailing * a prefix
    (a long term is found anywhere in a word anyway)."""
    import re

    text = fsio.decoded(text)  # bytes that are not UTF-8 cannot be looked up, nor crash
    if text.count('"') % 2:
        raise UserError("search.unbalanced")
    long, short = [], []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        term = phrase if phrase else word
        prefix = not phrase and term.endswith("*")
        term = term.rstrip("*") if prefix else term
        if not any(ch.isalnum() for ch in term):
            continue
        quoted = '"' + term.replace('"', '""') + '"'
        if len(term.strip()) >= TRIGRAM:
            long.append('"' + term.strip().replace('"', '""') + '"')
        else:
            short.append(quoted + ("*" if prefix else ""))
    if not long and not short:
        raise UserError("search.empty")
    return Query(" ".join(long), " ".join(short))
