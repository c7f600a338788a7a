"""Purge, scan and store permissions: client data leaves no trace and stays owner-only."""

from __future__ import annotations

import os
import sqlite3

import pytest
from helpers import lines, no_traceback, saved_session, sf, sf_json

from sfcoach.paths import index_path
from sfcoach.store import Store


@pytest.fixture
def store(store_dir):
    return Store(store_dir)


def index_text(store: Store) -> bytes:
    """Every byte of the index and its log: what a purge must have removed."""
    path = index_path(store.root)
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_purging_a_client_leaves_no_file_row_or_hit(store):
    saved_session(
        store, "K7secret", "2026-01-05T10:00", answers={"a": ("U", "Zebrakaka på torsdagar")}
    )
    saved_session(store, "K7secret", "2026-02-05T10:00", progress=4)
    saved_session(store, "K2", "2026-01-06T10:00", answers={"a": ("U", "Promenader")})
    assert sf_json("search", "Zebrakaka")
    proc = sf("purge", "--client", "K7secret", input=lines("y"))
    assert proc.returncode == 0, proc.stderr
    assert "Deleted 2 sessions." in proc.stdout
    assert not (store.root / "K7secret").exists()
    assert sf_json("search", "Zebrakaka") == []
    assert [r["client"] for r in sf_json("sessions", "list")] == ["K2"]
    db = sqlite3.connect(index_path(store.root))
    assert db.execute("SELECT count(*) FROM sessions WHERE client = 'K7secret'").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM dirs WHERE name = 'K7secret'").fetchone() == (0,)
    db.close()
    raw = index_text(store)
    assert b"K7secret" not in raw and b"Zebrakaka" not in raw
    assert b"Promenader" in raw  # the other client is still there


def test_purge_asks_first_and_no_answer_deletes_nothing(store):
    saved_session(store, "K1", "2026-01-05T10:00")
    for answer in ("", "n", "nej"):
        proc = sf("purge", "--client", "K1", input=lines(answer) if answer else "")
        assert proc.returncode == 1 and "nothing was deleted" in proc.stderr
    assert len(list((store.root / "K1").glob("*.yaml"))) == 1


def test_purge_dry_run_lists_without_deleting(store):
    s = saved_session(store, "K1", "2026-01-05T10:00")
    proc = sf("purge", "--client", "K1", "--dry-run")
    assert proc.returncode == 0 and s.id in proc.stdout
    assert store.path_of(s).exists()


def test_purge_older_than_uses_the_last_entry(store):
    old = saved_session(store, "K1", "2020-01-05T10:00")
    recent = saved_session(store, "K1", "2026-01-05T10:00")
    practice = saved_session(store, practice=True, when="2019-05-01T10:00")
    proc = sf("purge", "--older-than", "1825", "--yes")  # five years
    assert proc.returncode == 0 and "Deleted 2 sessions." in proc.stdout
    assert not store.path_of(old).exists() and not store.path_of(practice).exists()
    assert store.path_of(recent).exists()
    assert [r["id"] for r in sf_json("sessions", "list")] == [recent.id]


def test_purge_removes_locks_and_leftover_temp_files(store):
    s = saved_session(store, "K1", "2026-01-05T10:00")
    folder = store.root / "K1"
    (folder / f".{s.id}.lock").write_text("")
    (folder / f".{s.id}.yaml.99999.tmp").write_text("client text")
    sf("purge", "--client", "K1", "--yes")
    assert not folder.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "either --client ALIAS or --older-than DAYS"),
        (["--client", "K1", "--older-than", "3"], "either --client ALIAS or --older-than DAYS"),
        (["--client", "K404"], "no sessions for client 'K404'"),
        (["--client", "../etc"], "cannot be a client alias"),
        # A bad option value is a usage error (exit 2): tests/test_cli_exits.py
    ],
)
def test_bad_purge_requests(store, args, message):
    saved_session(store, "K1", "2026-01-05T10:00")
    proc = sf("purge", *args, "--yes")
    assert proc.returncode == 1 and message in proc.stderr, proc.stderr
    assert no_traceback(proc) and len(list(store.root.rglob("*.yaml"))) == 1


def test_scan_finds_numbers_saved_unmasked_and_fix_masks_them(store):
    sf(
        "start", "--client", "K1", "--bank", "tests/banks/sample.yaml", "--lang", "en",
        "--practitioner", "A", "--ids", "keep",
        input=lines("My number is 811218-9876", "/note 19121212-1212", "x", "pic", "works", "5", "Mail 1212121212", "", "y"),
    )  # fmt: skip
    saved_session(store, "K2", "2026-01-05T10:00", answers={"a": ("P", "nothing here 2026-01-05")})
    proc = sf("scan")
    assert proc.returncode == 1
    assert "3 identity numbers in 1 file;" in proc.stdout and "answers[0]" in proc.stdout
    assert "9876" not in proc.stdout + proc.stderr  # the report never shows the number
    proc = sf("scan", "--fix")
    assert proc.returncode == 0 and "Masked 3 identity numbers in 1 file." in proc.stdout
    (row,) = sf_json("sessions", "list", "--client", "K1")
    s = sf_json("sessions", "show", row["id"])
    assert s["answers"][0]["text"] == "My number is XXXXXX-XXXX"
    assert s["notes"][0]["text"] == "XXXXXXXX-XXXX"
    assert sf("scan").returncode == 0
    assert not sf_json("search", "9876")


def test_an_open_store_is_warned_about_once_with_the_fix(store):
    saved_session(store, "K1", "2026-01-05T10:00")
    os.chmod(store.root, 0o755)
    proc = sf("sessions", "list")
    warning = [line for line in proc.stderr.splitlines() if "can be read by other users" in line]
    assert len(warning) == 1 and f"sfcoach --store '{store.root}' scan --fix" in warning[0]
    (file,) = store.root.glob("K1/*.yaml")
    os.chmod(file, 0o644)
    proc = sf("scan")
    assert proc.returncode == 1 and "2 files or folders can be read by others" in proc.stdout
    proc = sf("scan", "--fix")
    assert proc.returncode == 0 and "Made 2 files and folders owner-only." in proc.stdout
    assert (store.root.stat().st_mode & 0o777, file.stat().st_mode & 0o777) == (0o700, 0o600)
    assert "other users" not in sf("sessions", "list").stderr


def test_the_demo_store_is_marked_and_not_warned_about():
    proc = sf("--store", "sessions", "sessions", "list")
    assert proc.returncode == 0 and "other users" not in proc.stderr


def test_scan_fix_keeps_an_answer_saved_between_its_reading_and_its_lock(store_dir, monkeypatch):
    from sfcoach import housekeeping
    from sfcoach.models import Answer

    store = Store(store_dir)
    s = saved_session(store, "K1", answers={"a": ("P", "Mitt nummer 19121212-1212")})
    path = store.path_of(s)
    real_lock = Store.lock

    def a_meeting_saves_first(self, session):
        other = store.load(path)
        other.answers.append(Answer("L", "b", "Sagt alldeles nyss", at=other.started))
        store.save(other)
        return real_lock(self, session)

    monkeypatch.setattr(Store, "lock", a_meeting_saves_first)
    report = housekeeping.scan(store, fix=True)
    assert [f.count for f in report.findings] == [1]
    texts = [a.text for a in store.load(path).answers]
    assert texts == ["Mitt nummer XXXXXXXX-XXXX", "Sagt alldeles nyss"]
