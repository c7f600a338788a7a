"""Reading session files for the index, on every core when there are many.

Parsing YAML is most of a full index build (about 3 ms a file, against 1 ms for
SQLite), so a large build hands the parsing to worker processes while the
calling process writes the index. Workers get a folder and a file name and give
back an `IndexRow` and the texts to search, or the problem.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sfcoach.models import USEFULNESS, Session
from sfcoach.sessionfile import BadSession
from sfcoach.store import Store
from sfcoach.texts import session_texts

PARALLEL_FROM = 400  # files; below this, starting workers costs more than it saves
MAX_WORKERS = 8
CHUNK = 32  # files per hand-over to a worker


@dataclass(frozen=True)
class IndexRow:
    """A session as the index's `sessions` table holds it (the columns, by name)."""

    id: str
    client: str | None
    meeting: str
    practice: int  # 0 or 1: SQLite has no booleans
    status: str
    started: str
    ended: str | None
    progress: int | None
    usefulness: int | None  # the client's rating of the meeting (scale id `usefulness`)
    steps_agreed: int
    steps_done: int
    steps_partly: int
    steps_not: int
    practitioner: str
    reflection: int  # 1: a colleague sat in as reflection partner
    # A practice round's place in its practice, for `sessions list --practice`.
    practice_group: str | None = None
    practice_round: int | None = None
    practice_rounds: int | None = None
    coach: str | None = None
    card: str | None = None


# A text to search: (field, question id, text). `field` names it in search hits.
SearchText = tuple[str, str | None, str]


@dataclass(frozen=True)
class Read:
    """One file as the index needs it."""

    problem: str | None = None  # message key when the file could not be used
    params: dict[str, Any] | None = None
    row: IndexRow | None = None
    texts: tuple[SearchText, ...] = ()


def read_one(store: Store, folder: str, name: str) -> Read:
    try:
        session = store.load(store.root / folder / name)
    except BadSession as e:
        return Read(e.key, e.params)
    return Read(row=session_row(session), texts=tuple(texts(session)))


def read_all(
    root: Path, jobs: list[tuple[str, str]], workers: int | None = None
) -> Generator[Read, None, None]:
    """Each (folder, name) read, in the order given. In worker processes when there
    are many; where processes cannot be started, or one dies, in this one."""
    store = Store(root)
    n = _workers(len(jobs)) if workers is None else workers
    done = 0
    if n > 1:
        try:
            for read in _in_workers(root, jobs, n):
                yield read
                done += 1
        except (OSError, ImportError, RuntimeError):  # RuntimeError covers a broken pool
            pass
    for folder, name in jobs[done:]:
        yield read_one(store, folder, name)


def _workers(files: int) -> int:
    if files < PARALLEL_FROM:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


def _in_workers(root: Path, jobs: list[tuple[str, str]], n: int) -> Iterator[Read]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a worker must not inherit the index connection or its lock.
    pool = ProcessPoolExecutor(
        n,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(str(root), os.getpid()),
    )
    try:
        folders, names = zip(*jobs, strict=True) if jobs else ((), ())
        yield from pool.map(_read_in_worker, folders, names, chunksize=CHUNK)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


_worker_store: Store | None = None


def _start_worker(root: str, parent: int) -> None:
    import signal
    import threading

    global _worker_store
    _worker_store = Store(Path(root))
    # Ctrl-C is the calling process's to handle; a worker would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed would wait for work forever: leave instead."""
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _read_in_worker(folder: str, name: str) -> Read:
    assert _worker_store is not None
    return read_one(_worker_store, folder, name)


def session_row(s: Session) -> IndexRow:
    steps = Counter(x.status for x in s.steps)
    useful = s.rating(USEFULNESS)
    data = s.practice_data if s.practice else None
    return IndexRow(
        s.id, s.client, s.meeting, int(s.practice), s.status, s.started, s.ended, s.progress,
        useful.value if useful else None,
        steps["agreed"], steps["done"], steps["partly"], steps["not"],
        s.practitioner, int(s.reflection is not None),
        *((data.group, data.round, data.rounds, data.roles.coach, data.scenario) if data else ()),
    )  # fmt: skip


# How each kind of text is named in a search hit. Carried steps are left out: they are
# the steps of earlier sessions, which are searched where they were agreed.
SEARCH_FIELDS = {
    "answer": "answer", "followup": "followup", "step": "step", "note": "note",
    "ask": "ask", "ask-answer": "answer", "feedback": "feedback",
}  # fmt: skip


def texts(s: Session) -> Iterator[SearchText]:
    """Every free text of a session to search, as (field, question id, text)."""
    for ref in session_texts(s):
        field = SEARCH_FIELDS.get(ref.kind)
        text = ref.get()
        if field and text:
            yield field, ref.question, text
