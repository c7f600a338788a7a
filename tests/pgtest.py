"""A PostgreSQL database of its own for each team-store test.

The server is the one SFCOACH_TEST_PG points at (a superuser's URI; `.ci/pg-up` starts a
throwaway one and prints it). Without it the team-store tests are skipped, saying why,
unless SFCOACH_REQUIRE_PG=1 (CI), where they fail instead. A template database with the
schema and the test team is made once per server (per schema version); each test gets a
copy of it (CREATE DATABASE ... TEMPLATE), so tests run in parallel under xdist.

The team: anna is a caseworker in team A, bo a caseworker in team B, lena leads team A,
ada is the administrator.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

PG = os.environ.get("SFCOACH_TEST_PG", "").strip()
REQUIRED = os.environ.get("SFCOACH_REQUIRE_PG") == "1"
MEMBERS = (("anna", "A", "caseworker"), ("bo", "B", "caseworker"), ("lena", "A", "lead"),
           ("ada", "A", "admin"))  # fmt: skip
_TEMPLATE_LOCK = 7_361_202


def uri(user: str | None, db: str) -> str:
    """SFCOACH_TEST_PG with another login role and database."""
    parts = urlsplit(PG)
    host = parts.netloc.rpartition("@")[2]
    login = parts.netloc.rpartition("@")[0] if user is None else quote(user)
    netloc = f"{login}@{host}" if login else host
    return urlunsplit((parts.scheme, netloc, "/" + db, parts.query, ""))


def _template_name() -> str:
    from sfcoach import pgteam

    schema = "".join(sql for _, sql in pgteam.migrations())
    members = repr(MEMBERS)
    return "sfcoach_tpl_" + hashlib.sha256((schema + members).encode()).hexdigest()[:12]


def _superuser(db: str = "postgres"):
    import psycopg

    return psycopg.connect(uri(None, db), autocommit=True)


def _ensure_template(name: str) -> None:
    from sfcoach import pgteam
    from sfcoach.pgstore import PgStore

    with _superuser() as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_TEMPLATE_LOCK,))
        try:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return
            conn.execute(f'CREATE DATABASE "{name}_new"')
            store = PgStore(uri(None, f"{name}_new"))
            pgteam.init(store)
            for user, team, role in MEMBERS:
                pgteam.add(store, user, team, role)
            store.close()
            conn.execute(f'ALTER DATABASE "{name}_new" RENAME TO "{name}"')
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_TEMPLATE_LOCK,))


@dataclass
class Database:
    name: str

    def uri(self, user: str | None = "anna") -> str:
        return uri(user, self.name)

    def connect(self, user: str | None):
        """A raw psycopg connection as `user` (None: the superuser): what psql gets."""
        import psycopg

        return psycopg.connect(self.uri(user), autocommit=True)


def need_pg() -> None:
    if PG:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            pytest.fail("SFCOACH_TEST_PG is set but psycopg is not installed")
        return
    if REQUIRED:
        pytest.fail("SFCOACH_REQUIRE_PG=1 but SFCOACH_TEST_PG is not set")
    pytest.skip('team store: no PostgreSQL server (run `eval "$(.ci/pg-up)"` to test it)')


@pytest.fixture
def pg_db():
    need_pg()
    template = _template_name()
    _ensure_template(template)
    name = "t_" + uuid.uuid4().hex[:16]
    with _superuser() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield Database(name)
    finally:
        with _superuser() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def push_folder(db: Database, folder: Path, user: str = "anna") -> None:
    """Copy a folder store into the test database as `user` (test data, through push)."""
    from sfcoach import pgteam
    from sfcoach.pgstore import PgStore

    store = PgStore(db.uri(user))
    try:
        pgteam.push(store, folder)
    finally:
        store.close()
