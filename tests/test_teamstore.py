"""The team store's own promises: who sees what (through sfcoach and through a raw
connection, as psql would), the access log, locks and kill -9, and moving a folder
store in. The team (pgtest.MEMBERS): anna caseworker in A, bo caseworker in B, lena
leads A, ada is the administrator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from helpers import ROOT, SAMPLE_BANK, SFCOACH, no_traceback, saved_session, sf, sf_json
from pgtest import pg_db

from sfcoach.i18n import t
from sfcoach.pgstore import PgStore
from sfcoach.store import Store

__all__ = ["pg_db"]

SECRET_A = "Anna's client owes the landlord"
SECRET_B = "Bo's client started at the gym"


def as_user(db, user, *args, **kw):
    return sf("--store", db.uri(user), *args, **kw)


@pytest.fixture
def two_teams(pg_db):
    """A client K1 in each team (the same alias: two different people) and K2 in A."""
    stores = {u: PgStore(pg_db.uri(u)) for u in ("anna", "bo")}
    a = saved_session(stores["anna"], "K1", "2026-01-05T10:00", progress=3,
                      answers={"q": ("P", SECRET_A)}, notes=("hyresskuld",))  # fmt: skip
    a2 = saved_session(stores["anna"], "K2", "2026-01-06T10:00", progress=6)
    b = saved_session(stores["bo"], "K1", "2026-01-07T10:00", progress=8,
                      answers={"q": ("P", SECRET_B)})  # fmt: skip
    for s in stores.values():
        s.close()
    return pg_db, a, a2, b


# --- row-level security through sfcoach ------------------------------------------------------


def test_a_caseworker_sees_only_their_own_teams_clients(two_teams):
    db, a, a2, b = two_teams
    assert {r["id"] for r in sf_json("--store", db.uri("anna"), "sessions", "list")} == {
        a.id,
        a2.id,
    }
    assert [r["id"] for r in sf_json("--store", db.uri("bo"), "sessions", "list")] == [b.id]
    proc = as_user(db, "bo", "sessions", "show", a.id)
    assert proc.returncode == 1 and f"no session '{a.id}'" in proc.stderr
    assert not sf_json("--store", db.uri("bo"), "search", "landlord")
    history = sf_json("--store", db.uri("bo"), "history", "K1")
    assert [s["id"] for s in history["sessions"]] == [b.id]
    exported = as_user(db, "bo", "export", "--client", "K1", "--format", "json").stdout
    assert SECRET_B in exported and SECRET_A not in exported
    assert as_user(db, "bo", "history", "K2").returncode == 1
    stats = sf_json("--store", db.uri("bo"), "stats")
    assert stats["sessions"]["total"] == 1


def test_a_caseworker_cannot_resume_or_purge_another_teams_session(two_teams):
    db, a, _, _ = two_teams
    proc = as_user(db, "bo", "resume", a.id, "--plain")
    assert proc.returncode == 1 and no_traceback(proc)
    proc = as_user(db, "bo", "purge", "--client", "K2", "--yes")
    assert proc.returncode == 1 and "K2" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("sessions", "show", "{a}"),
        ("sessions", "list"),
        ("history", "K1"),
        ("search", "landlord"),
        ("export", "--client", "K1", "--format", "md"),
        ("export", "{a}", "--format", "json"),
    ],
)
def test_a_lead_is_refused_every_command_that_shows_texts(two_teams, args):
    db, a, _, _ = two_teams
    proc = as_user(db, "lena", *(x.format(a=a.id) for x in args))
    assert proc.returncode == 1 and no_traceback(proc)
    assert proc.stderr.strip() == "sfcoach: " + t("team.figures-only", "en")
    assert SECRET_A not in proc.stdout


def test_a_lead_sees_their_teams_figures_only(two_teams):
    db, *_ = two_teams
    stats = sf_json("--store", db.uri("lena"), "stats")
    assert stats["sessions"]["total"] == 2  # team A's two meetings, not team B's
    assert {c["client"]: c["latest"] for c in stats["progress"]["clients"]} == {"K1": 3, "K2": 6}


def test_a_lead_sees_usefulness_and_reflection_pairs_of_their_team_only(pg_db):
    from datetime import date

    from sfcoach.models import Rating, Reflection

    today = date.today().isoformat()
    for user, useful, colleague in (("anna", 8, "Bo"), ("anna", 6, None), ("bo", 2, "Ada")):
        store = PgStore(pg_db.uri(user))
        s = saved_session(store, "K1", f"{today}T09:00", progress=5)
        s.ratings.append(Rating("usefulness", "S", useful, 0, 10, "", ""))
        s.practitioner = user
        s.reflection = Reflection(colleague) if colleague else None
        store.save(s)
        store.close()
    stats = sf_json("--store", pg_db.uri("lena"), "stats")
    assert (stats["usefulness"]["rated"], stats["usefulness"]["mean"]) == (2, 7.0)
    assert stats["reflection_pairs"]["by_practitioner"] == {"anna": 1}  # team B's is not hers


def test_an_admin_reads_across_teams_and_purges(two_teams):
    db, a, a2, b = two_teams
    rows = sf_json("--store", db.uri("ada"), "sessions", "list")
    assert {r["id"] for r in rows} == {a.id, a2.id, b.id}
    proc = as_user(db, "ada", "purge", "--client", "K2", "--yes")
    assert proc.returncode == 0 and "Deleted 1 session." in proc.stdout
    with db.connect(None) as conn:
        left = {r[0] for r in conn.execute("SELECT id FROM sfcoach.sessions")}
        texts = conn.execute("SELECT count(*) FROM sfcoach.texts WHERE session = %s", (a2.id,))
        assert left == {a.id, b.id} and texts.fetchone()[0] == 0


# --- row-level security through a raw connection (psql) ---------------------------------------


def test_through_psql_a_caseworker_reads_nothing_of_the_other_team(two_teams):
    db, a, _, b = two_teams
    with db.connect("bo") as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM sfcoach.sessions")] == [b.id]
        bodies = [r[0] for r in conn.execute("SELECT body FROM sfcoach.texts")]
        assert SECRET_B in bodies and SECRET_A not in bodies
        teams = {r[0] for r in conn.execute("SELECT team FROM sfcoach.ratings")}
        assert teams == {"B"}
        assert conn.execute("UPDATE sfcoach.sessions SET status = 'paused'"
                            " WHERE id = %s", (a.id,)).rowcount == 0  # fmt: skip
        assert conn.execute("DELETE FROM sfcoach.texts").rowcount == 1  # only B's own text
    import psycopg

    with db.connect("bo") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        # writing into the other team is refused by the policy's check
        conn.execute(
            "INSERT INTO sfcoach.sessions(id, team, meeting, practice, status, started, bytes,"
            " data) VALUES ('x', 'A', 'first-visit', false, 'completed', '2026', 2, '{}')"
        )


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM sfcoach.sessions",
        "SELECT * FROM sfcoach.texts",
        "SELECT * FROM sfcoach.ratings",
        "SELECT * FROM sfcoach.access_log",
        "SELECT * FROM sfcoach.members",
        "SELECT sfcoach.log_access('K1', ARRAY['x'], 'psql')",
    ],
)
def test_through_psql_a_lead_reads_no_client_text(two_teams, sql):
    import psycopg

    db, *_ = two_teams
    with db.connect("lena") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql)


def test_the_search_function_finds_only_the_callers_teams_texts(two_teams):
    db, a, _, b = two_teams
    sql = "SELECT session FROM sfcoach.find_texts(ARRAY[%s], NULL, NULL, 10)"
    for user, pattern, found in (
        ("anna", "%landlord%", [a.id]),
        ("bo", "%landlord%", []),
        ("bo", "%gym%", [b.id]),
        ("ada", "%client%", [b.id, a.id]),
    ):
        with db.connect(user) as conn:
            assert [r[0] for r in conn.execute(sql, (pattern,))] == found, user
    import psycopg

    with db.connect("lena") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql, ("%landlord%",))


def test_through_psql_a_lead_gets_aggregates_without_text_columns(two_teams):
    db, *_ = two_teams
    with db.connect("lena") as conn:
        cur = conn.execute("SELECT * FROM sfcoach.team_counts(NULL)")
        assert [c.name for c in cur.description] == [
            "meeting", "status", "n", "agreed", "done", "partly", "not",
        ]  # fmt: skip
        assert sum(row[2] for row in cur) == 2


# --- the access log ---------------------------------------------------------------------------


def test_every_read_of_texts_is_logged_and_only_an_admin_reads_the_log(two_teams):
    db, a, _, _ = two_teams
    assert as_user(db, "anna", "sessions", "show", a.id).returncode == 0
    assert as_user(db, "anna", "history", "K1").returncode == 0
    assert as_user(db, "anna", "export", "--client", "K1", "--format", "md").returncode == 0
    assert as_user(db, "anna", "search", "landlord").returncode == 0
    assert as_user(db, "anna", "sessions", "list").returncode == 0  # no texts: not logged
    log = sf_json("--store", db.uri("ada"), "audit", "--client", "K1")
    assert [(r["who"], r["session"], r["command"]) for r in log] == [
        ("anna", a.id, "sessions show"),
        ("anna", a.id, "history"),
        ("anna", a.id, "export"),
        ("anna", a.id, "search"),
    ]
    assert all(r["at"] for r in log)
    text = as_user(db, "ada", "audit", "--client", "K1").stdout
    assert "sessions show" in text and "anna" in text
    for user in ("anna", "lena"):
        proc = as_user(db, user, "audit", "--client", "K1")
        assert proc.returncode == 1 and "administrator" in proc.stderr


def test_nobody_but_the_owner_changes_the_log_and_nobody_can_sign_as_another(two_teams):
    import psycopg

    db, a, _, _ = two_teams
    as_user(db, "anna", "sessions", "show", a.id)
    for user in ("anna", "ada"):
        for sql in (
            "UPDATE sfcoach.access_log SET who = 'bo'",
            "DELETE FROM sfcoach.access_log",
            "INSERT INTO sfcoach.access_log(who, command) VALUES ('bo', 'x')",
        ):
            with db.connect(user) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
    with db.connect("anna") as conn:  # the function names the caller itself
        conn.execute("SELECT sfcoach.log_access('K1', ARRAY['y'], 'psql')")
    with db.connect(None) as conn:
        rows = conn.execute("SELECT who, command FROM sfcoach.access_log ORDER BY id").fetchall()
    assert rows == [("anna", "sessions show"), ("anna", "psql")]


# --- locks and kill -9 ----------------------------------------------------------------------


def test_a_second_resume_is_refused_with_the_folder_stores_message(pg_db):
    store = PgStore(pg_db.uri("anna"))
    s = saved_session(store, "K1", status="paused")
    with store.lock(s):
        proc = as_user(pg_db, "anna", "resume", s.id, "--plain", input="x\n")
        assert proc.returncode == 1
        assert proc.stderr.strip() == "sfcoach: " + t("store.locked", "en", id=s.id)
        purge = as_user(pg_db, "ada", "purge", "--client", "K1", "--yes")
        assert "open in a meeting" in purge.stderr or s.id in purge.stderr
    store.close()
    with pg_db.connect(None) as conn:  # the purge left the held session in place
        assert conn.execute("SELECT count(*) FROM sfcoach.sessions").fetchone()[0] == 1


def test_a_copy_read_before_another_save_is_not_written_over(pg_db):
    store = PgStore(pg_db.uri("anna"))
    s = saved_session(store, "K1", status="paused")
    stale = store.load_to_continue(store.path_of(s))
    s.notes.clear()
    store.save(s)  # another terminal saved meanwhile
    with pytest.raises(Exception, match=r"resume\.changed"), store.lock(stale):
        pass
    store.close()


def _read_until(proc, text: str, out: list[str]) -> None:
    while not any(text in line for line in out):
        line = proc.stdout.readline()
        assert line, "".join(out)
        out.append(line)


def test_kill_9_in_a_team_store_meeting_loses_no_confirmed_answer(pg_db):
    env = {**os.environ, "SFCOACH_STORE": pg_db.uri("anna")}
    args = [SFCOACH, "start", "--client", "K1", "--bank", str(SAMPLE_BANK), "--lang", "en",
            "--practitioner", "A", "--plain"]  # fmt: skip
    proc = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    out: list[str] = []
    _read_until(proc, "What do you want from today?", out)
    proc.stdin.write("To sort out the rent\n\n")
    proc.stdin.flush()
    _read_until(proc, "What does good enough look like?", out)
    proc.stdin.write("The rent paid on time\n")
    proc.stdin.flush()
    _read_until(proc, "What already works?", out)  # the answer before it is committed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with pg_db.connect(None) as conn:
        (sid, data), *_ = conn.execute("SELECT id, data FROM sfcoach.sessions").fetchall()
    assert [a["text"] for a in data["answers"]] == ["To sort out the rent", "The rent paid on time"]
    # The server let go of the dead meeting's lock: resume continues where it stopped.
    proc = sf("--store", pg_db.uri("anna"), "resume", sid, "--plain",
              input="A cousin helps\n7\nPay the rent\n\ny\n")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    shown = sf_json("--store", pg_db.uri("anna"), "sessions", "show", sid)
    assert shown["status"] == "completed"
    assert [a["text"] for a in shown["answers"]] == [
        "To sort out the rent", "The rent paid on time", "A cousin helps",
    ]  # fmt: skip
    assert [r["value"] for r in shown["ratings"]] == [7]


def test_each_answer_is_one_committed_save(pg_db):
    """What another connection sees after each line is the meeting so far."""
    proc = as_user(pg_db, "anna", "start", "--client", "K1", "--bank", str(SAMPLE_BANK),
                   "--lang", "en", "--practitioner", "A", "--plain",
                   input="Rent\n\nPaid\n")  # fmt: skip
    assert proc.returncode == 0
    with pg_db.connect(None) as conn:
        status, version, n = conn.execute(
            "SELECT status, version, (SELECT count(*) FROM sfcoach.texts) FROM sfcoach.sessions"
        ).fetchone()
    assert status == "paused" and n == 2 and version >= 3


# --- team push ----------------------------------------------------------------------------------


def test_push_copies_a_folder_store_once_and_says_what_it_skipped(pg_db, tmp_path):
    import shutil

    folder = tmp_path / "folder"
    shutil.copytree(ROOT / "sessions", folder)
    (folder / "K1" / "20260101-100000-00001.yaml").write_text("not: [a session", "utf-8")
    total = len(list(folder.glob("*/*.yaml"))) - 1
    first = as_user(pg_db, "anna", "team", "push", str(folder))
    assert first.returncode == 0, first.stderr
    assert f"Copied {total} sessions." in first.stdout
    assert "Skipped 1 session:" in first.stdout
    again = as_user(pg_db, "anna", "team", "push", str(folder))
    assert "Copied 0 sessions." in again.stdout
    assert f"Skipped {total} sessions: already in the team store" in again.stdout
    with pg_db.connect(None) as conn:
        assert conn.execute("SELECT count(*) FROM sfcoach.sessions").fetchone()[0] == total
    folder_list = sf_json("--store", str(folder), "sessions", "list")
    team_list = sf_json("--store", pg_db.uri("anna"), "sessions", "list")
    assert team_list == folder_list


def test_push_as_an_admin_needs_the_team(pg_db, tmp_path):
    folder = tmp_path / "folder"
    saved_session(Store(folder), "K9")
    proc = as_user(pg_db, "ada", "team", "push", str(folder))
    assert proc.returncode == 1 and "--team" in proc.stderr
    proc = as_user(pg_db, "ada", "team", "push", str(folder), "--team", "B")
    assert proc.returncode == 0
    assert [r["client"] for r in sf_json("--store", pg_db.uri("bo"), "sessions", "list")] == ["K9"]


# --- setting up ---------------------------------------------------------------------------------


def test_team_init_is_idempotent_and_records_its_migrations(pg_db):
    proc = sf("--store", pg_db.uri(None), "team", "init")
    assert proc.returncode == 0 and "0 migrations applied" in proc.stdout
    with pg_db.connect(None) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM sfcoach.migrations")] == [1, 2]


def test_team_add_twice_adds_nothing_twice(pg_db):
    for _ in range(2):
        proc = as_user(pg_db, None, "team", "add", "anna", "--team", "A", "--role", "caseworker")
        assert proc.returncode == 0 and "anna is caseworker in team A." in proc.stdout
    with pg_db.connect(None) as conn:
        n = conn.execute("SELECT count(*) FROM sfcoach.members WHERE login = 'anna'").fetchone()
    assert n[0] == 1


def test_a_database_without_the_schema_says_how_to_set_it_up(pg_db):
    with pg_db.connect(None) as conn:
        conn.execute("DROP SCHEMA sfcoach CASCADE")
    proc = as_user(pg_db, "anna", "sessions", "list")
    assert proc.returncode == 1 and "team init" in proc.stderr and no_traceback(proc)


def test_team_commands_need_a_team_store():
    proc = sf("team", "init")
    assert proc.returncode == 1 and "postgresql://" in proc.stderr


def test_an_unreachable_server_is_one_line():
    proc = sf("--store", "postgresql://nobody@/nodb?host=/nonexistent-dir", "sessions", "list")
    assert proc.returncode == 1 and no_traceback(proc)
    assert proc.stderr.startswith("sfcoach: cannot reach the team store")


def test_without_the_driver_the_team_store_says_how_to_install_it():
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from sfcoach.cli import main\n"
        "sys.exit(main(['--store', 'postgresql://x@/y', 'sessions', 'list']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "sfcoach: " + t("team.no-driver", "en")


def test_the_folder_store_never_imports_the_driver(tmp_path):
    code = (
        "import sys\n"
        "from sfcoach.cli import main\n"
        f"main(['--store', {str(tmp_path)!r}, 'sessions', 'list'])\n"
        "main(['--help'])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('psycopg'))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", "import json\n" + code], capture_output=True, text=True
    )
    assert json.loads(proc.stdout.splitlines()[-1]) == []


# --- search: the newest sessions first, then the whole store -------------------------------------


def test_search_finds_an_old_hit_past_the_newest_sessions_and_orders_newest_first(
    pg_db, monkeypatch
):
    from sfcoach import pgstore, review

    monkeypatch.setattr(pgstore, "RECENT", 2)
    store = PgStore(pg_db.uri("anna"))
    made = [
        saved_session(store, f"K{i}", f"2026-01-0{i}T10:00",
                      answers={"q": ("P", "Vi pratade om lånet" + (" och kylskåpet" if i == 1 else ""))})
        for i in range(1, 6)
    ]  # fmt: skip
    (old,) = review.search(store, "kylskåp")[0]
    assert old["session"] == made[0].id and "«kylskåp»et" in old["snippet"]
    hits, _ = review.search(store, "lån", limit=3)
    assert [h["session"] for h in hits] == [s.id for s in reversed(made)][:3]
    store.close()


def test_a_large_push_parses_in_worker_processes_with_the_same_result(pg_db, tmp_path, monkeypatch):
    import shutil

    from sfcoach import pgteam

    monkeypatch.setattr(pgteam, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pgteam, "BATCH", 3)
    folder = tmp_path / "folder"
    shutil.copytree(ROOT / "sessions", folder)
    (folder / "K1" / "20260101-100000-00001.yaml").write_text("not: [a session", "utf-8")
    store = PgStore(pg_db.uri("anna"))
    seen: list[tuple[int, int]] = []
    report = pgteam.push(store, folder, progress=lambda done, total: seen.append((done, total)))
    total = len(list(folder.glob("*/*.yaml")))
    assert report.copied == total - 1 and sum(report.skipped.values()) == 1
    assert seen[-1] == (total, total)
    assert pgteam.push(store, folder).copied == 0
    store.close()


def test_push_leaves_alone_an_id_another_team_has_and_says_so(pg_db, tmp_path):
    bo = PgStore(pg_db.uri("bo"))
    theirs = saved_session(bo, "K1", answers={"q": ("P", SECRET_B)})
    bo.close()
    theirs.answers[0].text = "Anna's copy"
    Store(tmp_path / "folder").create(theirs)  # the same id, in anna's folder store
    proc = as_user(pg_db, "anna", "team", "push", str(tmp_path / "folder"))
    assert proc.returncode == 0, proc.stderr
    assert "Copied 0 sessions." in proc.stdout
    assert "Skipped 1 session: another session in the team store has the same id" in proc.stdout
    with pg_db.connect(None) as conn:
        (body,) = conn.execute("SELECT body FROM sfcoach.texts").fetchone()
    assert body == SECRET_B
