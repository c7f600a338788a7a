"""Large index builds: files read in worker processes, committed in batches,
resumable after a stop, one refresh at a time, and progress told at a terminal."""

from __future__ import annotations

import fcntl
import io
import os
import signal
import sqlite3
import subprocess
import threading
import time
from datetime import datetime, timedelta

import pytest
from helpers import SFCOACH, saved_session, sf_json

from sfcoach import filereader, index
from sfcoach.index import Index
from sfcoach.paths import index_path
from sfcoach.store import Store
from sfcoach.ui.progress import IndexProgress

TABLES = {
    "files": "SELECT dir, name, size, problem, params FROM files ORDER BY dir, name",
    "sessions": "SELECT id, client, meeting, practice, status, progress, steps_agreed,"
    " steps_done FROM sessions ORDER BY id",
    "texts": "SELECT rowid, field, question, body FROM texts ORDER BY rowid",
    "counts": "SELECT * FROM counts ORDER BY 1, 2",
    "progress": "SELECT * FROM progress ORDER BY 1",
    "search": "SELECT rowid FROM fts WHERE fts MATCH 'jobbet' ORDER BY rowid",
}


def fill(store: Store, clients: int = 12, meetings: int = 4) -> int:
    """Real session files from the store, plus two it cannot read; all an hour old,
    so that no refresh reads a file again for being newer than the clock's tick."""
    start = datetime(2026, 1, 5, 9, 0)
    for c in range(clients):
        for m in range(meetings):
            saved_session(
                store,
                f"K{c}",
                (start + timedelta(days=7 * m, hours=c)).isoformat(),
                progress=(c + m) % 11,
                answers={"q1": ("L", f"Jobbet går bättre, vecka {m}"), "q2": ("U", "Mamma")},
                steps=[(f"Ringa {c}", "done" if m % 2 else "agreed", None)],
            )
    (store.root / "K0" / "20260101-000000-0000.yaml").write_text("a: [unclosed\n")
    (store.root / "K1" / "20260101-000000-0001.yaml").write_text("schema: 99\nid: x\n")
    old = time.time() - 3600
    for path in [*store.root.glob("*/*.yaml"), *store.root.glob("*")]:
        os.utime(path, (old, old))
    return clients * meetings + 2


def snapshot(store: Store) -> dict[str, list]:
    db = sqlite3.connect(index_path(store.root))
    try:
        return {name: db.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        db.close()


def build(store: Store) -> int:
    idx = Index(store)
    try:
        return idx.refresh()
    finally:
        idx.close()


def rebuild(store: Store) -> dict[str, list]:
    for suffix in ("", "-wal", "-shm"):
        index_path(store.root).with_name(index_path(store.root).name + suffix).unlink(
            missing_ok=True
        )
    build(store)
    return snapshot(store)


@pytest.fixture
def store(store_dir):
    return Store(store_dir)


def test_a_build_in_worker_processes_equals_one_in_this_process(store, monkeypatch):
    n = fill(store)
    serial = rebuild(store)
    assert len(serial["sessions"]) == n - 2 and len(serial["search"]) == n - 2
    assert sum(1 for row in serial["files"] if row[3]) == 2
    monkeypatch.setattr(filereader, "PARALLEL_FROM", 1)
    monkeypatch.setattr(filereader, "CHUNK", 3)
    from_workers = count_worker_reads(monkeypatch)
    assert rebuild(store) == serial
    assert from_workers == [n]  # every file, none left to this process


def count_worker_reads(monkeypatch) -> list[int]:
    """How many reads each use of worker processes gave back."""
    counts, real = [], filereader._in_workers

    def counting(*args):
        counts.append(0)
        for read in real(*args):
            counts[-1] += 1
            yield read

    monkeypatch.setattr(filereader, "_in_workers", counting)
    return counts


def test_reads_come_back_in_order_from_workers(store, monkeypatch):
    fill(store, clients=3, meetings=3)
    jobs = sorted((p.parent.name, p.name) for p in store.root.glob("*/*.yaml"))
    here = list(filereader.read_all(store.root, jobs, workers=1))
    from_workers = count_worker_reads(monkeypatch)
    there = list(filereader.read_all(store.root, jobs, workers=2))
    assert from_workers == [len(jobs)]
    assert there == here
    assert [r.row.id if r.row else r.problem for r in there][:2] == [
        "session.not-yaml",
        here[1].row.id,
    ]


def test_workers_that_cannot_start_or_break_leave_the_rest_to_this_process(store, monkeypatch):
    fill(store, clients=3, meetings=3)
    jobs = sorted((p.parent.name, p.name) for p in store.root.glob("*/*.yaml"))
    expected = list(filereader.read_all(store.root, jobs, workers=1))

    def no_processes(root, jobs, n):
        raise OSError("no semaphores here")
        yield  # pragma: no cover

    monkeypatch.setattr(filereader, "_in_workers", no_processes)
    assert list(filereader.read_all(store.root, jobs, workers=4)) == expected

    from concurrent.futures.process import BrokenProcessPool

    def breaks_after_two(root, jobs, n):
        store = Store(root)
        for folder, name in jobs[:2]:
            yield filereader.read_one(store, folder, name)
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(filereader, "_in_workers", breaks_after_two)
    assert list(filereader.read_all(store.root, jobs, workers=4)) == expected


def test_a_stopped_build_keeps_its_batches_and_the_next_one_finishes_it(store, monkeypatch):
    fill(store)
    whole = rebuild(store)
    index_path(store.root).unlink()
    monkeypatch.setattr(index, "BATCH", 7)
    real, read = filereader.read_one, []

    def stop_at_twenty(*args):
        if len(read) == 20:
            raise KeyboardInterrupt
        read.append(args)
        return real(*args)

    monkeypatch.setattr(filereader, "read_one", stop_at_twenty)
    with pytest.raises(KeyboardInterrupt):
        build(store)
    kept = snapshot(store)
    assert len(kept["files"]) == 14  # two whole batches; the third was rolled back
    monkeypatch.setattr(filereader, "read_one", real)
    assert build(store) == len(whole["files"]) - 14  # the rest, not all again
    assert snapshot(store) == whole  # the stats figures too, not only the rows


def test_a_second_command_opens_at_once_and_says_it_waits_for_the_first(store):
    saved_session(store, "K1", "2026-01-05T10:00", progress=3)
    Index(store).close()  # an index of this version exists
    told, result = [], []

    class Notice:
        def waiting(self):
            told.append("waiting")

        def reading(self, done, total):
            told.append((done, total))

    guard = os.open(f"{index_path(store.root)}.lock", os.O_RDWR)
    fcntl.flock(guard, fcntl.LOCK_EX)  # the first command is refreshing
    # SQLite connections stay in the thread that made them: open and refresh there.
    waiter = threading.Thread(target=lambda: result.append(build(Store(store.root, Notice()))))
    waiter.start()
    deadline = time.monotonic() + 10
    while not told and time.monotonic() < deadline:
        time.sleep(0.01)
    assert told == ["waiting"] and not result
    os.close(guard)
    waiter.join(10)
    assert result == [1] and told == ["waiting", (0, 1), (1, 1)]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "2,500 of 4,000"), ("sv", "2\u00a0500 av 4\u00a0000")],
)
def test_progress_is_one_line_redrawn_in_place(lang, expected):
    out = io.StringIO()
    progress = IndexProgress(lang, out)
    progress.reading(1000, 1500)
    assert out.getvalue() == ""  # too small to mention
    progress.reading(2500, 4000)
    progress.reading(4000, 4000)
    first, second = out.getvalue().split("\r")[1:]
    assert expected in first and first.endswith("…")
    assert second.endswith("…\n") and len(second) >= len(first)


def test_a_killed_build_leaves_no_worker_behind_and_the_next_command_finishes_it(
    store, monkeypatch
):
    n = fill(store, clients=60, meetings=8)
    proc = subprocess.Popen(
        [SFCOACH, "--store", str(store.root), "sessions", "list"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers = []
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.skip("the build finished before workers could be seen")
    if len(os.sched_getaffinity(0)) > 1:
        assert workers, "a build of hundreds of files should use worker processes"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)
    rows = sf_json("--store", str(store.root), "sessions", "list")
    assert len(rows) == n - 2


def children(pid: int) -> list[int]:
    try:
        out = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        ).stdout
    except FileNotFoundError:
        pytest.skip("pgrep is not installed")
    return [int(x) for x in out.split()]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
