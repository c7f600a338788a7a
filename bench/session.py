"""How quickly a meeting starts, how cheap a save is, and how much memory it takes.

    .venv/bin/python bench/session.py [--runs N] [--saves N]

In a pseudo-terminal (pexpect, PROMPT_TOOLKIT_NO_CPR=1, TERM=xterm-256color,
200x40, a fresh temporary store per run), `sfcoach start --client B1 --meeting
first-visit --lang en --practitioner A` is timed from spawn to

  * first question on screen: the first question's text appears in the output;
  * ready for input: prompt-toolkit has drawn the input prompt "›";
  * answer accepted: "a" + Enter, sent at that moment, brought the next
    question (the follow-up) on screen, which proves the prompt took input.

`python -c "print('x')"` timed to its output in a pty the same way is the
floor. Peak memory is the child's VmHWM (max RSS) just before it is killed.
Saving is timed in-process: `Store.save` of a session with 200 answers.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from random import Random

import pexpect
from common import PYTHON, SFCOACH, clean_env, percentile, require_entry_script

WARMUP = 2
TIMEOUT = 15.0  # seconds to wait for any one thing on screen
PTY_SIZE = (40, 200)  # rows, columns
LONG_MEETING = 10_000  # answers in the long-meeting save row
# prompt-toolkit draws "› " as "›" and then moves the cursor instead of printing the space.
PROMPT = re.compile("›(?: |\x08|\x1b\\[)")
START_ARGS = [
    "start",
    "--client",
    "B1",
    "--meeting",
    "first-visit",
    "--lang",
    "en",
    "--practitioner",
    "A",
]
GOAL_FIRST_MS = 150.0  # median
GOAL_READY_MS = 350.0  # median
GOAL_SAVE_P99_MS = 5.0


def expected_texts() -> tuple[str, str]:
    """The first question and the one after answering "a", as the engine asks them."""
    from sfcoach import bank
    from sfcoach.engine import Engine
    from sfcoach.models import Session

    b = bank.load_builtin("first-visit")
    s = Session(
        id="20260101-000000-abcd",
        client="B1",
        meeting=b.id,
        bank_id=b.id,
        bank_version=b.version,
        lang="en",
    )
    engine = Engine(b, s)
    first = engine.prompt().text
    engine.handle("a")
    return first, engine.prompt().text


# --- in a pseudo-terminal ------------------------------------------------------------


def spawn(cmd: str, args: list[str], env: dict[str, str]) -> pexpect.spawn:
    child = pexpect.spawn(
        cmd, args, env=env, dimensions=PTY_SIZE, encoding="utf-8", timeout=TIMEOUT
    )
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
    child.delayafterclose = 0.01
    child.delayafterterminate = 0.01
    return child


def wait_for(child: pexpect.spawn, pattern: str | re.Pattern[str], what: str) -> None:
    try:
        if isinstance(pattern, str):
            child.expect_exact(pattern)
        else:
            child.expect(pattern)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        tail = (child.before or "")[-600:]
        kind = "timed out" if isinstance(e, pexpect.TIMEOUT) else "the process ended"
        raise SystemExit(f"session.py: {kind} waiting for {what}; last output:\n{tail!r}") from None


def stop(child: pexpect.spawn) -> None:
    if child.isalive():
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    child.close(force=True)


def floor_run(env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    child = spawn(str(PYTHON), ["-c", "print('x')"], env)
    try:
        wait_for(child, "x", "python's output")
        return time.perf_counter() - t0
    finally:
        stop(child)


def peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def start_run(env: dict[str, str], store: Path, first: str, second: str) -> dict[str, float]:
    env = dict(env, SFCOACH_STORE=str(store))
    t0 = time.perf_counter()
    child = spawn(str(SFCOACH), START_ARGS, env)
    try:
        wait_for(child, first, "the first question")
        t_first = time.perf_counter() - t0
        wait_for(child, PROMPT, "the input prompt")
        t_ready = time.perf_counter() - t0
        child.send("a\r")
        wait_for(child, second, "the question after the first answer")
        t_answer = time.perf_counter() - t0
        out = {"first": t_first, "ready": t_ready, "answer": t_answer}
        rss = peak_rss_mb(child.pid)
        if rss is not None:
            out["rss"] = rss
        return out
    finally:
        stop(child)


def children_max_rss_mb() -> float:
    """Fallback without /proc: the largest max RSS of any child this process waited for."""
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def pty_bench(runs: int, tmp: Path) -> dict[str, list[float]]:
    env = clean_env(tmp, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
    first, second = expected_texts()
    results: dict[str, list[float]] = {"floor": [], "first": [], "ready": [], "answer": []}
    rss: list[float] = []
    for i in range(WARMUP + runs):
        floor = floor_run(env)  # interleaved, so drift hits both alike
        started = start_run(env, tmp / f"store-{i}", first, second)
        if i < WARMUP:
            continue
        results["floor"].append(floor)
        for key in ("first", "ready", "answer"):
            results[key].append(started[key])
        if "rss" in started:
            rss.append(started["rss"])
    results["rss"] = rss or [children_max_rss_mb()]
    return results


# --- saving, in-process --------------------------------------------------------------

TALK = (
    "jag vill att det blir lite bättre hemma och på jobbet, mer lugn på morgonen; "
    "I would like things to be a bit calmer in the mornings and to get back to work "
    "my sister noticed that I was cooking again, which I had not done in months "
    "vi pratade om att ringa Försäkringskassan och hur det kändes efteråt, skönt "
    "maybe walking the dog before breakfast, that usually helps, and sleeping better"
)
WORDS = TALK.split()


def sentence(rng: Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def big_session(answers: int = 200):  # -> sfcoach.models.Session
    """A session as a long meeting leaves it: answers with follow-ups, ratings, steps."""
    from sfcoach import bank
    from sfcoach.models import Answer, Followup, Note, Rating, Session, Step, now_iso
    from sfcoach.store import new_session_id

    rng = Random(200)
    b = bank.load_builtin("first-visit")
    texts = [(p.id, q) for p, q in b.questions if q.kind == "text"]
    at = now_iso()
    s = Session(
        id=new_session_id(),
        client="B1",
        meeting=b.id,
        bank_id=b.id,
        bank_version=b.version,
        bank_source="builtin",
        lang="en",
        practitioner="A",
        started=at,
        elapsed=3600.0,
    )
    for i in range(answers):
        phase, q = texts[i % len(texts)]
        followups = [
            Followup(
                q.followups[j % len(q.followups)]["en"] if q.followups else "What else?",
                sentence(rng, 3, 40),
            )
            for j in range(rng.choice((0, 0, 0, 1, 1, 2)))
        ]
        s.answers.append(
            Answer(phase, f"{q.id}-{i}", sentence(rng, 2, 80), followups, at, q.text["en"])
        )
    for scale, value in (("progress", 4), ("confidence", 6), ("good-enough", 7)):
        s.ratings.append(
            Rating(
                scale,
                "S",
                value,
                0,
                10,
                "nothing has happened yet",
                "the best it could be",
                scale,
                [Followup("What tells you it is a 4 and not a 3?", sentence(rng, 5, 30))],
                at,
                f"On a scale from 0 to 10, where are you now ({scale})?",
            )
        )
    s.steps += [Step(sentence(rng, 4, 15), "agreed", s.id, "next-step", at) for _ in range(4)]
    s.notes += [Note(sentence(rng, 5, 25), at) for _ in range(3)]
    s.cursor.question = "notice"
    return s


def save_bench(saves: int, tmp: Path, answers: int = 200) -> dict[str, object]:
    from sfcoach import sessionfile
    from sfcoach.store import Store, write_atomic

    session = big_session(answers)
    store = Store(tmp / f"save-store-{answers}")
    path = store.create(session)
    save, dump, write = [], [], []
    last = session.answers[-1]
    # Each save follows a new or edited answer, so one item's YAML is new each time.
    for i in range(saves):
        session.elapsed += 1.0
        last.text = f"{last.text[:200]} {i}"
        t0 = time.perf_counter()
        store.save(session)
        save.append(time.perf_counter() - t0)
    for i in range(saves):
        last.text = f"{last.text[:200]} {i}"
        t0 = time.perf_counter()
        data = sessionfile.to_yaml(session).encode("utf-8")
        dump.append(time.perf_counter() - t0)
    scratch = path.with_name("scratch.yaml")
    for _ in range(saves):
        t0 = time.perf_counter()
        write_atomic(scratch, data)
        write.append(time.perf_counter() - t0)
    return {
        "save": save,
        "dump": dump,
        "write": write,
        "kb": path.stat().st_size / 1024,
        "answers": len(session.answers),
        "chars": statistics.mean(len(a.text) for a in session.answers),
        "followups": sum(len(a.followups) for a in session.answers),
    }


# --- report --------------------------------------------------------------------------


def row(name: str, values: list[float], unit: str, p99: bool, goal: str, met: bool | None) -> str:
    scale = 1000.0 if unit == "ms" else 1.0
    med = f"{statistics.median(values) * scale:.1f} {unit}"
    p95 = f"{percentile(values, 95) * scale:.1f} {unit}"
    p99s = f"{percentile(values, 99) * scale:.1f} {unit}" if p99 else "-"
    result = "-" if met is None else ("met" if met else "MISSED")
    return f"{name:<40} {med:>10} {p95:>10} {p99s:>10}  {goal:<16} {result}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed pty runs (20)")
    parser.add_argument("--saves", type=int, default=500, help="timed saves (500)")
    args = parser.parse_args()
    if args.runs < 1 or args.saves < 1:
        parser.error("--runs and --saves must be at least 1")
    require_entry_script()
    tmp = Path(tempfile.mkdtemp(prefix="sfcoach-bench-"))
    try:
        pty = pty_bench(args.runs, tmp)
        saved = save_bench(args.saves, tmp)
        # A save rewrites the whole file: how its cost grows with a very long meeting.
        long = save_bench(max(args.saves // 10, 5), tmp, answers=LONG_MEETING)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    first_ms = statistics.median(pty["first"]) * 1000
    ready_ms = statistics.median(pty["ready"]) * 1000
    save_p99_ms = percentile(saved["save"], 99) * 1000  # type: ignore[arg-type]
    print(
        f"sfcoach start in a {PTY_SIZE[1]}x{PTY_SIZE[0]} pty: {args.runs} runs after {WARMUP}"
        f" warm-ups; save: {args.saves} saves of a {saved['answers']}-answer session"
        f" ({saved['followups']} follow-ups, answers {saved['chars']:.0f} chars on average,"
        f" file {saved['kb']:.0f} kB)"
    )
    print(f"python: {PYTHON} (-> {os.path.realpath(PYTHON)})")
    print()
    print(f"{'measure':<40} {'median':>10} {'p95':>10} {'p99':>10}  {'goal':<16} result")
    print(f"{'-' * 40} {'-' * 10} {'-' * 10} {'-' * 10}  {'-' * 16} ------")
    print(row("python print('x') in a pty (floor)", pty["floor"], "ms", False, "-", None))
    print(
        row(
            "first question on screen",
            pty["first"],
            "ms",
            False,
            f"median <= {GOAL_FIRST_MS:g} ms",
            first_ms <= GOAL_FIRST_MS,
        )
    )
    print(
        row(
            "ready for input (prompt drawn)",
            pty["ready"],
            "ms",
            False,
            f"median <= {GOAL_READY_MS:g} ms",
            ready_ms <= GOAL_READY_MS,
        )
    )
    print(row("answer accepted (next question shown)", pty["answer"], "ms", False, "-", None))
    print(
        row(
            "save after an answer (200 answers)",
            saved["save"],  # type: ignore[arg-type]
            "ms",
            True,
            f"p99 <= {GOAL_SAVE_P99_MS:g} ms",
            save_p99_ms <= GOAL_SAVE_P99_MS,
        )
    )
    print(row("  of which YAML (cached items)", saved["dump"], "ms", True, "-", None))  # type: ignore[arg-type]
    print(row("  of which write_atomic (fsync x2)", saved["write"], "ms", True, "-", None))  # type: ignore[arg-type]
    long_ms = statistics.median(long["save"]) * 1000  # type: ignore[arg-type]
    print(
        row(f"save after an answer ({LONG_MEETING:,} answers)", long["save"], "ms", True, "-", None)
    )  # type: ignore[arg-type]
    print(row("  of which YAML (cached items)", long["dump"], "ms", True, "-", None))  # type: ignore[arg-type]
    print(row("  of which write_atomic (fsync x2)", long["write"], "ms", True, "-", None))  # type: ignore[arg-type]
    per_answer_us = (
        (long_ms - statistics.median(saved["save"]) * 1000) / (LONG_MEETING - 200) * 1000
    )  # type: ignore[arg-type]
    print(f"{'  growth per answer':<40} {per_answer_us:>7.1f} µs  (file {long['kb']:.0f} kB)")
    print(row("peak memory of sfcoach start (max RSS)", pty["rss"], "MB", False, "-", None))


if __name__ == "__main__":
    main()
