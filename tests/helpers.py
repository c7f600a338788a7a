"""Running the command as a user would, and reading its results.

`sf()` runs it in this process through `main(argv, env)`, with its own standard
streams and environment: the same exit code and output as the installed script,
without ~100 ms of interpreter start-up per call. `sf_process()` runs the installed
script, for what needs a process of its own (start-up, signals, a closed pipe).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SFCOACH = str(Path(sys.executable).parent / "sfcoach")
SAMPLE_BANK = ROOT / "tests" / "banks" / "sample.yaml"


def sf_process(
    *args: str, input: str | None = None, env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run the installed `sfcoach ARGS` in a subprocess with the test's environment."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [SFCOACH, *args], input=input, capture_output=True, text=True, env=full_env, timeout=timeout
    )


_ONE_AT_A_TIME = threading.Lock()  # the standard streams and os.environ are the process's


def sf(
    *args: str, input: str | None = None, env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run `sfcoach ARGS` in this process, as `sf_process` would. A hang past `timeout`
    raises subprocess.TimeoutExpired, as there (in the main thread; others just wait)."""
    from sfcoach.cli import main

    argv = [SFCOACH, *args]
    stdin = io.TextIOWrapper(io.BytesIO((input or "").encode()), encoding="utf-8")
    out, err = _Captured(), _Captured()
    try:
        with _ONE_AT_A_TIME:
            # Read under the lock: another thread's run swaps os.environ while it holds it.
            full_env = {**os.environ, **(env or {})}
            with _environ(full_env), _streams(stdin, out, err), _deadline(timeout):
                code = main(list(args), full_env)
    except _Late:
        raise subprocess.TimeoutExpired(argv, timeout, out.text(), err.text()) from None
    return subprocess.CompletedProcess(argv, code, out.text(), err.text())


class _Late(BaseException):
    """Not an Exception: main() must not report it as an internal error."""


@contextmanager
def _deadline(seconds: float):
    if threading.current_thread() is not threading.main_thread() or signal.getitimer(
        signal.ITIMER_REAL
    ) != (0.0, 0.0):  # a test's own alarm is running: leave it alone
        yield
        return

    def late(signum, frame):
        raise _Late

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Captured(io.TextIOWrapper):
    """A standard stream that is no terminal, read back as a pipe would be (universal newlines)."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", write_through=True)

    def text(self) -> str:
        self.flush()
        data = self.buffer.getvalue()  # type: ignore[attr-defined]
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()


@contextmanager
def _environ(env: dict):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def _streams(stdin, stdout, stderr):
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def sf_json(*args: str, **kw):
    proc = sf(*args, "--json", **kw)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def check_digit(nine: str) -> str:
    """Luhn written the textbook way (from the right), independently of the module."""
    total = 0
    for i, ch in enumerate(reversed(nine)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += sum(int(d) for d in str(n))
    return str((10 - total % 10) % 10)


ENGINE_AT = "2026-11-23T10:00:00+01:00"


def engine_for(bank=None, lang: str = "en", carried=(), previous=None):
    """An engine over a fresh session of `bank` (default tests/banks/engine.yaml), its
    clock fixed, for tests that drive it line by line with no terminal and no files."""
    from sfcoach.bank import load_file
    from sfcoach.engine import Engine

    bank = bank or load_file(ROOT / "tests" / "banks" / "engine.yaml")
    return Engine(bank, fresh_session(bank, lang, carried), previous, clock=lambda: ENGINE_AT)


def fresh_session(bank, lang: str = "en", carried=()):
    """A new meeting of `bank` for client K1, with steps (text, status, origin) carried."""
    from sfcoach.models import Session, Step

    return Session(
        id="20261123-100000-aaaa",
        client="K1",
        meeting=bank.id,
        bank_id=bank.id,
        bank_version=bank.version,
        lang=lang,
        carried=[Step(text, status, origin) for text, status, origin in carried],
    )


def lines(*items: str) -> str:
    """Lines of plain-mode input, each ended by a newline."""
    return "".join(f"{item}\n" for item in items)


def no_traceback(proc) -> bool:
    return "Traceback" not in proc.stdout + proc.stderr


def meeting_lines(
    bank,
    lang: str = "en",
    scale: int = 5,
    followups: int = 1,
    steps: tuple[str, ...] = ("Phone the bank",),
    reviews: tuple[str, ...] = (),
    confirm: str = "y",
    previous: dict | None = None,
    carried: tuple[str, ...] = (),
) -> list[str]:
    """Plain-mode input that answers every question of `bank`, per the line protocol:
    each text answer, its first `followups` follow-ups then an empty line, each scale
    with `scale`, the steps then an empty line, one line per reviewed step. A schema-2
    bank follows the answers, so its lines come from walking the engine (see
    `_walked_lines`; `previous` and `carried` give it what the real meeting has)."""
    if bank.schema >= 2:
        walk = (lang, scale, followups, steps, reviews, confirm, previous, carried)
        return _walked_lines(bank, *walk)
    out: list[str] = []
    for _, q in bank.questions:
        if q.kind == "step-review":
            out += list(reviews)
            continue
        if q.kind == "step":
            out += [*steps, ""]
            continue
        out.append(str(scale) if q.kind == "scale" else f"{lang} answer to {q.id}")
        asked = len(q.followups)
        if q.kind == "scale":  # follow-ups that make no sense at an end of the scale are left out
            texts = ["".join(f.values()) for f in q.followups]
            asked = sum(
                1 for x in texts
                if not ("{next}" in x and scale >= q.max)
                and not ("{value}" in x and "{next}" not in x and scale <= q.min)
            )  # fmt: skip
        out += [f"{lang} follow-up {i + 1} to {q.id}" for i in range(min(followups, asked))]
        if followups < asked:
            out.append("")
    return [*out, confirm]


def _walked_lines(bank, lang, scale, followups, steps, reviews, confirm, previous, carried):
    """The lines `meeting_lines` means, found by answering the engine's own prompts over a
    fresh session: outcomes are left unclassified (an empty line), so every condition on
    one is false; each reviewed step's follow-ups are passed over. `previous` holds last
    time's ratings, `carried` the status each reviewed step came with (default agreed)."""
    from sfcoach.engine import Engine

    statuses = carried or ("agreed",) * len(reviews)
    given = [(f"step {i}", status, "earlier") for i, status in enumerate(statuses)]
    engine = Engine(bank, fresh_session(bank, lang, given), previous or {}, clock=lambda: ENGINE_AT)
    out: list[str] = []
    asked: dict[str, int] = {}  # follow-ups answered per question
    reviewed = iter(reviews)
    while (p := engine.prompt()).kind != "confirm":
        q = p.question
        if p.kind == "followup" and q.kind != "step-review":
            asked[q.id] = n = asked.get(q.id, 0) + 1
            line = f"{lang} follow-up {n} to {q.id}" if n <= followups else ""
        elif p.kind == "step":
            line = steps[p.stage] if p.stage < len(steps) else ""
        elif p.kind == "review":
            line = next(reviewed)
        elif p.kind in ("outcome", "followup"):
            line = ""
        else:
            line = str(scale) if p.kind == "scale" else f"{lang} answer to {q.id}"
        out.append(line)
        engine.handle(line)
    return [*out, confirm]


def saved_session(
    store,
    client: str = "K1",
    when: str = "2026-03-02T10:00:00",
    progress: int | None = None,
    answers: dict | None = None,
    steps: list | None = None,
    status: str = "completed",
    practice: bool = False,
    notes: tuple[str, ...] = (),
):
    """A session written through the store, as a meeting would leave it."""
    from datetime import datetime

    from sfcoach.models import Answer, Note, Rating, Session, Step
    from sfcoach.store import new_session_id

    start = datetime.fromisoformat(when).astimezone()
    s = Session(
        id=new_session_id(start),
        client=None if practice else client,
        meeting="first-visit",
        bank_id="first-visit",
        bank_version=1,
        lang="sv",
        practice=practice,
        status=status,
        started=start.isoformat(timespec="seconds"),
        ended=start.isoformat(timespec="seconds") if status == "completed" else None,
    )
    for qid, (phase, text) in (answers or {}).items():
        s.answers.append(Answer(phase, qid, text, at=s.started))
    if progress is not None:
        s.ratings.append(Rating("progress", "S", progress, 0, 10, "low", "high", "Framsteg"))
    for text, state, origin in steps or []:
        s.steps.append(Step(text, state, origin or s.id))
    s.notes += [Note(n) for n in notes]
    store.create(s)
    return s


class Script:
    """Standard input that runs the callables between its lines (checks, faults)."""

    def __init__(self, items: list) -> None:
        self.items = list(items)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        while self.items and callable(self.items[0]):
            self.items.pop(0)()
        return self.items.pop(0) + "\n" if self.items else ""
