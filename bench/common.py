"""What the benchmarks share: the venv's interpreter and entry script, percentiles,
a clean environment, and timing one whole process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PYTHON = Path(sys.executable)  # the venv's interpreter (a symlink to the real binary)
SFCOACH = PYTHON.parent / "sfcoach"  # the venv's entry script
SCRIPT = Path(sys.argv[0]).name


def require_entry_script() -> None:
    if not SFCOACH.is_file():
        sys.exit(f"{SCRIPT}: no entry script at {SFCOACH}; run with the venv's python")


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def clean_env(tmp: Path, store: Path | None = None, **extra: str) -> dict[str, str]:
    """A small, fixed environment: nothing from the user's store, cache or settings."""
    for sub in ("home", "cache", "data", "config"):
        (tmp / sub).mkdir(mode=0o700, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp / "home"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "LANG": "C.UTF-8",
        "TERM": os.environ.get("TERM", "dumb"),
    }
    if store is not None:
        env["SFCOACH_STORE"] = str(store)
    return env | extra


def run_once(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """Wall time of one whole process; stops the benchmark if it fails."""
    t0 = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()
        sys.exit(f"{SCRIPT}: {' '.join(argv[:4])} ... exited {proc.returncode}\n{err}")
    return elapsed
