"""Startup cost of sfcoach commands, as whole processes, against bare Python.

    .venv/bin/python bench/startup.py [--runs N] [--importtime]

Times `python -c pass`, `sfcoach --help`, `sfcoach bank list` and
`sfcoach bank validate` (all built-in banks) with the venv's own interpreter
and entry script, never a pyenv shim. The commands run round-robin, after
2 warm-up rounds, in an isolated temporary SFCOACH_STORE / HOME /
XDG_CACHE_HOME. Prints median, p95 and the ratio to `python -c pass` for each
command, and whether `sfcoach --help` is within 8x of bare Python.

--importtime also prints the 8 slowest imports of `sfcoach --help` by
cumulative time (`python -X importtime`, median over 5 runs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import PYTHON, SFCOACH, clean_env, percentile, require_entry_script, run_once

WARMUP = 2
HELP_GOAL = 8.0  # `sfcoach --help` within this many times `python -c pass`
IMPORTTIME_RUNS = 5
IMPORTTIME_TOP = 8


def builtin_banks() -> list[str]:
    """The built-in bank files, found the way sfcoach finds them."""
    from sfcoach import bank

    files = [str(p) for p in bank.builtin_files()]
    if not files:
        sys.exit("startup.py: no built-in banks found")
    return files


def commands() -> list[tuple[str, list[str]]]:
    sf = str(SFCOACH)
    return [
        ("python -c pass", [str(PYTHON), "-c", "pass"]),
        ("sfcoach --help", [sf, "--help"]),
        ("sfcoach bank list", [sf, "bank", "list"]),
        ("sfcoach bank validate (all built-in)", [sf, "bank", "validate", *builtin_banks()]),
    ]


def bench(runs: int, env: dict[str, str], cwd: Path) -> list[tuple[str, list[float]]]:
    cmds = commands()
    times: dict[str, list[float]] = {name: [] for name, _ in cmds}
    for i in range(WARMUP + runs):
        for name, argv in cmds:  # round-robin, so drift hits every command alike
            t = run_once(argv, env, cwd)
            if i >= WARMUP:
                times[name].append(t)
    return [(name, times[name]) for name, _ in cmds]


def print_table(results: list[tuple[str, list[float]]], runs: int) -> bool:
    floor = statistics.median(results[0][1])
    width = max(len(name) for name, _ in results)
    print(f"Startup, whole processes: {runs} runs each after {WARMUP} warm-up rounds")
    print(f"python:  {PYTHON} (-> {os.path.realpath(PYTHON)})")
    print(f"sfcoach: {SFCOACH}")
    print()
    print(f"{'command':<{width}}  {'median':>9}  {'p95':>9}  {'ratio':>6}")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 9}  {'-' * 6}")
    help_ratio = 0.0
    for name, ts in results:
        med = statistics.median(ts)
        ratio = med / floor
        if name == "sfcoach --help":
            help_ratio = ratio
        print(
            f"{name:<{width}}  {med * 1000:>6.1f} ms  {percentile(ts, 95) * 1000:>6.1f} ms"
            f"  {ratio:>5.1f}x"
        )
    met = help_ratio <= HELP_GOAL
    print()
    print(
        f"Goal: `sfcoach --help` within {HELP_GOAL:g}x of `python -c pass`: "
        f"{help_ratio:.1f}x -> {'met' if met else 'MISSED'}"
    )
    return met


def importtime(env: dict[str, str], cwd: Path) -> None:
    """Top imports of `sfcoach --help` by cumulative time, median over a few runs."""
    cumulative: dict[str, list[int]] = {}
    selfs: dict[str, list[int]] = {}
    totals: list[float] = []
    for _ in range(IMPORTTIME_RUNS):
        argv = [str(PYTHON), "-X", "importtime", str(SFCOACH), "--help"]
        proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"startup.py: -X importtime run exited {proc.returncode}\n{proc.stderr}")
        top_level = 0
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "[us]" in line:
                continue
            self_us, cum_us, name = line[len("import time:") :].split("|", 2)
            depth = (len(name) - len(name.lstrip())) // 2
            key = name.rstrip()
            cumulative.setdefault(key, []).append(int(cum_us))
            selfs.setdefault(key, []).append(int(self_us))
            if depth == 0:
                top_level += int(cum_us)
        totals.append(top_level / 1000)
    rows = sorted(
        ((statistics.median(v), statistics.median(selfs[k]), k) for k, v in cumulative.items()),
        reverse=True,
    )[:IMPORTTIME_TOP]
    print()
    print(
        f"`python -X importtime sfcoach --help`: top {IMPORTTIME_TOP} by cumulative time "
        f"(median of {IMPORTTIME_RUNS} runs; all imports together {statistics.median(totals):.0f}"
        " ms; indent = nesting)"
    )
    print(f"{'cumulative':>10}  {'self':>8}  module")
    for cum, self_us, name in rows:
        print(f"{cum / 1000:>7.1f} ms  {self_us / 1000:>5.1f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command (20)")
    parser.add_argument(
        "--importtime", action="store_true", help="also list the slowest imports of --help"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    require_entry_script()
    tmp = Path(tempfile.mkdtemp(prefix="sfcoach-bench-"))
    try:
        (tmp / "store").mkdir(mode=0o700)
        env = clean_env(tmp, store=tmp / "store")
        cwd = tmp / "home"
        print_table(bench(args.runs, env, cwd), args.runs)
        if args.importtime:
            importtime(env, cwd)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
