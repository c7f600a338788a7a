"""Running the installed command as a user would, and reading its results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SFCOACH = str(Path(sys.executable).parent / "sfcoach")
SAMPLE_BANK = ROOT / "tests" / "banks" / "sample.yaml"


def sf(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60):
    """Run `sfcoach ARGS` in a subprocess with the test's environment."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [SFCOACH, *args], input=input, capture_output=True, text=True, env=full_env, timeout=timeout
    )


def sf_json(*args: str, **kw):
    proc = sf(*args, "--json", **kw)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def lines(*items: str) -> str:
    """Lines of plain-mode input, each ended by a newline."""
    return "".join(f"{item}\n" for item in items)


def no_traceback(proc) -> bool:
    return "Traceback" not in proc.stdout + proc.stderr
