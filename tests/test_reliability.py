"""Regression tests for the data-loss, crash and storage failures of the adversarial
report (/work/shared/reviews/reliability.md, F1-F5, F9-F12, F18, F19).

Each test drives the installed command the way the report's reproduction did. Where
two processes must meet at one moment (a stale resume), the second one is started
with a small patch that makes it wait, before it takes the session's lock, for a
file the test creates: the order is then certain, not a matter of timing.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT, SFCOACH, lines, sf

from sfcoach.store import Store

ENGINE_BANK = ROOT / "tests" / "banks" / "engine.yaml"
START = ("start", "--bank", str(ENGINE_BANK), "--lang", "en", "--practitioner", "A", "--plain")
ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{4,8}")
INTERNAL = "internal error"


def run(*args: str | bytes, input: bytes = b"", env: dict | None = None, timeout: float = 60):
    """`sfcoach ARGS` with bytes in and out: some tests send bytes that are not UTF-8."""
    return subprocess.run(
        [SFCOACH, *args],
        input=input,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def started(client: str = "K1", *answers: str, extra: tuple[str, ...] = ()) -> str:
    """A paused meeting with `answers` given; its id."""
    proc = sf(*START, "--client", client, *extra, input=lines(*answers, "/pause"))
    assert proc.returncode == 0, proc.stderr
    return ID.search(proc.stdout).group(0)


def file_of(store_dir: Path, sid: str) -> Path:
    (path,) = [p for p in Store(store_dir).files() if p.stem == sid]
    return path


def text_of(store_dir: Path, sid: str) -> str:
    return file_of(store_dir, sid).read_text(encoding="utf-8")


def patched_popen(code: str, *args: str, input: bytes = b"") -> subprocess.Popen:
    """`sfcoach ARGS` in a subprocess with `code` run first (a fault or a wait)."""
    program = (
        "import os, sys, time\n"
        f"sys.argv = ['sfcoach', *{list(args)!r}]\n"
        "import sfcoach.store\n"
        f"{code}\n"
        "from sfcoach.cli import main\n"
        "sys.exit(main())\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", program],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(input)
    proc.stdin.close()
    proc.stdin = None  # all given: communicate() only reads
    return proc


def wait_for(path: Path, proc: subprocess.Popen) -> None:
    """Until `path` exists (the other process has reached its point) or `proc` ended."""
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.01)


# --- F1: a stale resume must not overwrite answers given elsewhere -----------------------


def hold_before_lock(ready: Path, go: Path) -> str:
    """Patch: the process has loaded the session, then waits before taking its lock."""
    return (
        "_lock = sfcoach.store.Store.lock\n"
        "def lock(self, session):\n"
        f"    open({str(ready)!r}, 'w').close()\n"
        f"    while not os.path.exists({str(go)!r}):\n"
        "        time.sleep(0.01)\n"
        "    return _lock(self, session)\n"
        "sfcoach.store.Store.lock = lock\n"
    )


def test_a_stale_resume_is_refused_instead_of_overwriting_answers_given_meanwhile(
    tmp_path, store_dir
):
    sid = started("K1", "first")
    ready, go = tmp_path / "ready", tmp_path / "go"
    stale = patched_popen(
        hold_before_lock(ready, go), "resume", sid, "--plain", input=b"B answer\n/pause\n"
    )
    wait_for(ready, stale)  # B has read the session and not yet locked it
    a = sf("resume", sid, "--plain", input=lines("A one", "A two", "A three", "/pause"))
    assert a.returncode == 0 and "Session paused" in a.stdout, a.stderr
    go.touch()
    _, err = stale.communicate(timeout=60)
    text = text_of(store_dir, sid)
    assert all(f"A {n}" in text for n in ("one", "two", "three")), "answers given in A were lost"
    assert stale.returncode == 1 and "B answer" not in text
    assert "changed in another terminal" in err.decode()
    assert INTERNAL not in err.decode()
    assert not list(file_of(store_dir, sid).parent.glob(".*.lock"))  # no lock left behind
    again = sf("resume", sid, "--plain", input=lines("/note B again", "/pause"))
    assert again.returncode == 0 and "B again" in text_of(store_dir, sid)


def test_a_stale_resume_without_an_id_is_refused_too(tmp_path, store_dir):
    sid = started("K1", "first")
    ready, go = tmp_path / "ready", tmp_path / "go"
    stale = patched_popen(hold_before_lock(ready, go), "resume", "--plain", input=b"B\n/pause\n")
    wait_for(ready, stale)
    a = sf("resume", sid, "--plain", input=lines("/note A note", "/pause"))
    assert a.returncode == 0, a.stderr
    go.touch()
    stale.communicate(timeout=60)
    assert stale.returncode == 1 and "A note" in text_of(store_dir, sid)


def test_a_resume_confirmed_late_in_the_terminal_does_not_overwrite_answers(store_dir):
    """The report's case: `resume` waits at "Resume …?" while another terminal answers."""
    import pexpect

    sid = started("K1", "first")
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color"}
    child = pexpect.spawn(SFCOACH, ["resume"], env=env, dimensions=(40, 200), timeout=20)
    try:
        child.expect_exact(b"[Y/n]")
        a = sf("resume", sid, "--plain", input=lines("A one", "A two", "A three", "/pause"))
        assert a.returncode == 0, a.stderr
        child.send(b"\r")
        if child.expect([pexpect.EOF, "›".encode()]) == 1:  # it went on with its stale copy
            child.send(b"B answer\r")
            child.expect("›".encode())
            child.send(b"/pause\r")
            child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    text = text_of(store_dir, sid)
    assert all(f"A {n}" in text for n in ("one", "two", "three")), "answers given in A lost"
    assert child.exitstatus == 1
    assert b"changed in another terminal" in child.before


def test_concurrent_plain_resumes_lose_no_answer(store_dir):
    """Pairs of `resume ID` started a few milliseconds apart, each adding one note: every
    process that says "Session paused" has its note in the file."""
    sid = started("K1", "first")
    rng = random.Random(13)
    pairs, saved, refused, lost = 20, 0, 0, []
    for pair in range(pairs):
        procs = []
        for side in "AB":
            note = f"note-{pair}-{side}"
            p = subprocess.Popen(
                [SFCOACH, "resume", sid, "--plain"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            procs.append((note, p))
            p.stdin.write(f"/note {note}\n/pause\n".encode())
            p.stdin.close()
            p.stdin = None
            time.sleep(rng.uniform(0, 0.03))
        for note, p in procs:
            out, err = p.communicate(timeout=60)
            assert INTERNAL not in err.decode(), err
            if p.returncode == 0 and b"Session paused" in out:
                saved += 1
                if note not in text_of(store_dir, sid):
                    lost.append(note)
            else:
                refused += 1
                assert p.returncode == 1, err
    print(f"\nRESUME RACE: {pairs} pairs, {saved} saved, {refused} refused, {len(lost)} lost")
    assert lost == []


# --- F2: bytes that are not UTF-8 ---------------------------------------------------------


def test_bytes_that_are_not_utf8_in_an_answer_do_not_crash_the_meeting(store_dir):
    proc = run(*START, "--client", "K1", input=b"bad \xff\xfe bytes\n\nnext answer\n/pause\n")
    err = proc.stderr.decode()
    assert proc.returncode == 0 and INTERNAL not in err, err
    assert b"Session paused" in proc.stdout
    sid = ID.search(proc.stdout.decode()).group(0)
    text = text_of(store_dir, sid)
    assert "bad \ufffd\ufffd bytes" in text and "next answer" in text
    assert not list(file_of(store_dir, sid).parent.glob(".*.lock"))


def test_an_unexpected_error_mid_meeting_pauses_the_session_and_says_how_to_resume(store_dir):
    code = (
        "from sfcoach.engine import Engine\n"
        "_handle = Engine.handle\n"
        "def handle(self, line):\n"
        "    if line == 'BOOM':\n"
        "        raise RuntimeError('a bug')\n"
        "    return _handle(self, line)\n"
        "Engine.handle = handle\n"
    )
    proc = patched_popen(code, *START, "--client", "K1", input=b"kept answer\nBOOM\n")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 70 and INTERNAL in err.decode()
    sid = ID.search(out.decode()).group(0)
    assert f"resume {sid}" in out.decode()
    path = file_of(store_dir, sid)
    assert Store(store_dir).load(path).status == "paused"
    assert "kept answer" in path.read_text()
    assert not list(path.parent.glob(".*.lock"))


def test_bytes_that_are_not_utf8_in_names_queries_and_paths(tmp_path, store_dir):
    proc = run(*START[:-3], "--practitioner", b"Anna \xe5\xe4", "--plain", "--client", "K1",
               input=b"a\n/pause\n")  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    env = {"SFCOACH_PRACTITIONER": "Bo \udcf6"}
    args = [a for a in START if a not in ("--practitioner", "A")]
    proc = run(*args, "--client", "K2", input=b"a\n/pause\n", env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    names = {Store(store_dir).load(p).practitioner for p in Store(store_dir).files()}
    assert names == {"Anna \ufffd\ufffd", "Bo \ufffd"}
    found = run("search", b"\xe5sa")
    assert found.returncode in (0, 1) and INTERNAL not in found.stderr.decode()
    odd = os.fsdecode(bytes(tmp_path) + b"/IU\xe5")
    assert run("--store", odd, *START, "--client", "K1", input=b"a\n/pause\n").returncode == 0
    for command in (("sessions", "list"), ("search", "a"), ("stats",), ("history", "K1")):
        proc = run("--store", odd, *command)
        assert proc.returncode == 0 and INTERNAL not in proc.stderr.decode(), command


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_a_terminal_that_cannot_show_a_character_gets_no_internal_error(store_dir, encoding):
    """PYTHONIOENCODING stands in for a Latin-1 or ASCII locale (none is installed)."""
    env = {"PYTHONIOENCODING": encoding}
    sid = started("K1", "emoji 😀 åäö")
    typed = "å ä ö".encode(encoding, "replace")
    proc = run(*START, "--client", "K2", input=typed + b"\n/pause\n", env=env)
    assert proc.returncode == 0 and INTERNAL not in proc.stderr.decode(), proc.stderr
    assert b"Session paused" in proc.stdout
    for command in (("sessions", "show", sid), ("history", "K1"), ("search", "emoji")):
        shown = run(*command, env=env)
        assert shown.returncode == 0 and INTERNAL not in shown.stderr.decode(), command


# --- F3: a session must never grow past what its readers accept ---------------------------


def test_an_answer_that_would_make_the_file_unreadable_is_refused_and_the_meeting_goes_on(
    store_dir,
):
    limit = 60_000
    code = f"sfcoach.store.MAX_SESSION_BYTES = {limit}\nimport sfcoach.ui.runner\n"
    notes = [f"/note {f'n{i:02d} ' * 2_000}" for i in range(12)]  # 10 kB each
    script = ["first answer", "", *notes, "last answer", "/pause"]
    proc = patched_popen(code, *START, "--client", "K1", input=lines(*script).encode())
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    out = out.decode()
    assert "Not saved: this would make the session file larger than" in out
    sid = ID.search(out).group(0)
    path = file_of(store_dir, sid)
    assert path.stat().st_size <= limit
    reader = patched_popen(
        f"sfcoach.store.MAX_SESSION_BYTES = {limit}\n", "sessions", "show", sid, "--json"
    )
    shown, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err.decode()
    data = json.loads(shown)
    assert data["status"] == "paused"
    assert any(a["text"] == "last answer" for a in data["answers"])
    assert 0 < len(data["notes"]) < len(notes)


# --- F9: exports in shared folders and onto special files ---------------------------------


def test_export_uses_an_unpredictable_temp_file_and_refuses_special_files(tmp_path):
    sid = started("K1", "secret text")
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "report.md"
    # Another user's trap: the names the old writer would have used, ready and writable.
    pid_max = int(Path("/proc/sys/kernel/pid_max").read_text())
    traps = []
    for pid in range(300, min(pid_max, 300 + 20)):
        trap = shared / f".report.md.{pid}.tmp"
        trap.write_text("")
        os.chmod(trap, 0o666)
        traps.append(trap)
    code = "os.getpid = lambda: 305\n"  # the writer's pid falls on a trap
    proc = patched_popen(code, "export", sid, "-o", str(target))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert all(t.exists() and t.read_text() == "" for t in traps)  # no trap got client text
    assert "secret text" in target.read_text()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    proc = run("export", sid, "-o", str(fifo), "--force", timeout=30)
    assert proc.returncode == 1 and INTERNAL not in proc.stderr.decode()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "--force replaced the FIFO with a file"
    assert b"not a regular file" in proc.stderr


# --- F12: a FIFO where a bank or card file is expected -------------------------------------


def test_a_fifo_as_a_bank_or_cards_file_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for args in (("bank", "validate", str(fifo)), ("practice", "--list", "--cards", str(fifo))):
        proc = run(*args, timeout=20)
        assert proc.returncode != 0 and INTERNAL not in proc.stderr.decode(), args
        assert b"not a regular file" in proc.stdout + proc.stderr, args


# --- F19: a damaged bank cache entry ------------------------------------------------------


def test_a_damaged_bank_cache_entry_is_treated_as_a_miss_and_rewritten(tmp_path):
    started("K1", "a")
    cache = tmp_path / "cache" / "sfcoach" / "banks"
    entries = list(cache.glob("*.json"))
    assert entries
    for entry in entries:
        data = json.loads(entry.read_text())
        data["data"] = {"phases": 5}  # valid JSON, right key, broken data
        entry.write_text(json.dumps(data))
    proc = sf(*START, "--client", "K2", input=lines("b", "/pause"))
    assert proc.returncode == 0 and INTERNAL not in proc.stderr, proc.stderr
    assert all(json.loads(e.read_text())["data"]["phases"] != 5 for e in entries)


def test_latin1_bytes_typed_in_the_full_screen_mode_are_saved_not_a_crash(tmp_path, store_dir):
    import pexpect

    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color"}
    args = ["start", "--client", "K1", "--meeting", "first-visit", "--lang", "en"]
    child = pexpect.spawn(
        SFCOACH, [*args, "--practitioner", "A"], env=env, dimensions=(40, 200), timeout=20
    )
    try:
        child.expect("›".encode())
        child.send(b"latin1 \xe5\xe4\xf6 bytes\r")  # å ä ö from a Latin-1 terminal
        child.expect("›".encode())
        child.send(b"/pause\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before
    (path,) = Store(store_dir).files()
    assert Store(store_dir).load(path).answers[0].text == "latin1 \ufffd\ufffd\ufffd bytes"


# --- F4 and F18: purge and scan --fix meet a running meeting -------------------------------


class Running:
    """A plain meeting in progress: its input a pipe kept open, so it holds its lock."""

    def __init__(self, store_dir: Path, client: str, *extra: str) -> None:
        self.store_dir = store_dir
        self.p = subprocess.Popen(
            [SFCOACH, *START, "--client", client, *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.folder = store_dir / client
        self.file: Path | None = None

    def say(self, line: str) -> None:
        """Type a line and wait until it is saved."""
        assert self.p.stdin is not None
        self.p.stdin.write(f"{line}\n".encode())
        self.p.stdin.flush()
        while self.file is None or line not in self.file.read_text():
            assert self.p.poll() is None, self.p.stderr.read() if self.p.stderr else ""
            time.sleep(0.01)
            mine = [p for p in self.folder.glob("*.yaml") if line in p.read_text()]
            self.file = mine[0] if mine else self.file

    def path(self) -> Path:
        assert self.file is not None
        return self.file

    def pause(self) -> str:
        out, err = self.p.communicate(b"/pause\n", timeout=60)
        assert self.p.returncode == 0, err
        return out.decode()


@pytest.fixture
def running():
    meetings: list[Running] = []

    def make(*args) -> Running:
        meetings.append(Running(*args))
        return meetings[-1]

    yield make
    for m in meetings:
        if m.p.poll() is None:
            m.p.kill()
            m.p.wait()


def test_purge_older_than_leaves_a_running_meeting_alone_and_names_it(store_dir, running):
    meeting = running(store_dir, "K1", "--date", "2020-01-01")
    meeting.say("secret answer one")
    path = meeting.path()
    proc = sf("purge", "--older-than", "30", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert path.exists(), "purge deleted a session open in a meeting"
    assert f"Not deleted: session {path.stem} is open in another terminal" in proc.stderr
    assert "Deleted 0 sessions" in proc.stdout
    meeting.say("answer after purge")
    meeting.pause()
    assert "secret answer one" in path.read_text()


def test_purge_of_a_client_leaves_a_running_meeting_alone(store_dir, running):
    other = started("K1", "done before")
    meeting = running(store_dir, "K1", "--new")
    meeting.say("answer one")
    path = meeting.path()
    proc = sf("purge", "--client", "K1", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert path.exists() and f"session {path.stem} is open" in proc.stderr
    assert not (store_dir / "K1" / f"{other}.yaml").exists()  # the rest went
    meeting.say("answer two")
    out = meeting.pause()
    assert "could not be saved" not in out and "answer two" in path.read_text()


def test_purge_dates_a_session_by_its_newest_answer(store_dir):
    sid = started("K1", "old answer", extra=("--date", "2019-01-01"))
    proc = sf("resume", sid, "--plain", input=lines("/note typed today", "/pause"))
    assert proc.returncode == 0, proc.stderr
    plan = sf("purge", "--older-than", "365", "--dry-run")
    assert plan.returncode == 0 and sid not in plan.stdout, plan.stdout
    old = started("K2", "only old", extra=("--date", "2019-01-01"))
    assert old in sf("purge", "--older-than", "365", "--dry-run").stdout


NUMBERS = ("8112289874", "19811228-9874", "811228-9874")


def kept(client: str) -> str:
    """A paused meeting saved with --ids keep, holding an identity number three ways."""
    return started(
        client,
        "keepword answer 8112289874 and 19811228-9874 end",
        "",
        "/note note 811228-9874",
        extra=("--ids", "keep"),
    )


def test_scan_fix_skips_a_session_open_in_a_meeting_and_masks_the_rest(store_dir, running):
    kept("K1")
    meeting = running(store_dir, "K2", "--ids", "keep")
    meeting.say("running 811228-9874 answer")
    kept("K3")
    proc = sf("scan", "--fix")
    assert proc.returncode == 1, proc.stderr
    assert f"Not masked: session {meeting.path().stem} is open" in proc.stderr
    for client in ("K1", "K3"):
        (path,) = (store_dir / client).glob("*.yaml")
        assert not any(n in path.read_text() for n in NUMBERS), client
    assert "811228-9874" in meeting.path().read_text()
    meeting.pause()
    again = sf("scan", "--fix")
    assert again.returncode == 0, again.stderr
    assert "811228-9874" not in meeting.path().read_text()


# --- F5: text removed from the files must leave the index's pages too ----------------------


def index_bytes(tmp_path: Path) -> bytes:
    files = sorted((tmp_path / "cache" / "sfcoach").glob("index-*.sqlite*"))
    return b"".join(p.read_bytes() for p in files if not p.name.endswith(".lock"))


def test_scan_fix_leaves_no_identity_number_in_the_index_file(tmp_path):
    for client in ("K1", "K2", "K3"):
        kept(client)
    assert "keepword" in sf("search", "keepword").stdout  # the index holds the numbers now
    assert b"811228" in index_bytes(tmp_path)
    assert sf("scan", "--fix").returncode == 0
    assert "keepword" in sf("search", "keepword").stdout
    raw = index_bytes(tmp_path)
    assert not [n for n in (b"8112289874", b"19811228", b"811228") if n in raw]


def test_an_answer_changed_with_back_leaves_no_trace_in_the_index_file(tmp_path):
    sid = started("K1", "firstword oldsecretword")
    assert sid in sf("search", "oldsecretword").stdout
    proc = sf("resume", sid, "--plain", input=lines("/back", "firstword replaced", "/pause"))
    assert proc.returncode == 0, proc.stderr
    assert "oldsecretword" not in text_of(tmp_path / "store", sid)
    assert "No matches" in sf("search", "oldsecretword").stdout
    assert b"oldsecretword" not in index_bytes(tmp_path)


# --- F10, F11: an index that cannot be used -----------------------------------------------


def review_outputs() -> list[str]:
    outs = []
    for command in (("sessions", "list"), ("search", "cw"), ("stats", "--json")):
        proc = sf(*command)
        assert proc.returncode == 0 and INTERNAL not in proc.stderr, (command, proc.stderr)
        outs.append(proc.stdout)
    return outs


@pytest.mark.parametrize("table", ["sessions", "counts", "texts", "fts_data"])
def test_a_damaged_index_page_is_rebuilt(tmp_path, table):
    for client in ("K1", "K2", "K3"):
        started(client, f"cw answer {client}", "", "/note cw note")
    good = review_outputs()
    (index,) = (tmp_path / "cache" / "sfcoach").glob("index-*.sqlite")
    db = sqlite3.connect(index)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(index, "r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\x5a" * size)
    assert review_outputs() == good


def test_an_index_path_that_is_a_folder_gives_one_notice_and_the_files_are_read(tmp_path):
    for client in ("K1", "K2"):
        started(client, f"cw answer {client}")
    good = review_outputs()
    (index,) = (tmp_path / "cache" / "sfcoach").glob("index-*.sqlite")
    for extra in index.parent.glob(index.name + "*"):
        extra.unlink()
    index.mkdir()
    proc = sf("search", "cw")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("\n") == 1 and "cannot be used" in proc.stderr
    assert proc.stdout == good[1]
    assert sf("sessions", "list").stdout == good[0]
    assert index.is_dir()  # not the tool's to delete


def _mount_tiny(where: Path) -> None:
    import shutil

    where.mkdir(parents=True)
    if not shutil.which("mount"):
        pytest.skip("no mount command")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(where)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")


def _fill(where: Path) -> None:
    import contextlib

    with open(where / "filler", "ab", buffering=0) as fh:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"x" * size)


def test_a_full_cache_disk_gives_one_notice_and_the_files_are_read(tmp_path):
    tiny = tmp_path / "tiny"
    _mount_tiny(tiny)
    try:
        env = {"XDG_CACHE_HOME": str(tiny / "cache")}
        for client in ("K1", "K2"):
            started(client, f"cw answer {client}")
        assert sf("sessions", "list", env=env).returncode == 0  # an index exists
        started("K3", "cw answer K3")  # which the next command must add
        _fill(tiny)
        for command in (("sessions", "list"), ("search", "cw"), ("stats",)):
            proc = sf(*command, env=env)
            assert proc.returncode == 0 and INTERNAL not in proc.stderr, (command, proc.stderr)
            assert "the disk is full" in proc.stderr and proc.stderr.count("\n") == 1
            assert "K3" in proc.stdout or command == ("stats",)
        assert list((tiny / "cache" / "sfcoach").glob("index-*.sqlite"))  # not thrown away
    finally:
        if subprocess.run(["umount", str(tiny)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(tiny)], capture_output=True)


# --- F19: temp files left by a kill; « » in answers ----------------------------------------


def test_listing_the_store_removes_temp_files_left_by_dead_processes(store_dir):
    sid = started("K1", "a")
    dead = subprocess.Popen(["true"])
    dead.wait()
    folder = store_dir / "K1"
    left = folder / f".{sid}.yaml.x1y2z3.{dead.pid}.tmp"
    left.write_text("the whole session text")
    alive = folder / f".{sid}.yaml.a1b2c3.{os.getpid()}.tmp"  # a save under way
    alive.write_text("being written")
    assert sf("sessions", "list").returncode == 0
    assert not left.exists() and alive.exists()
    left.write_text("again")
    os.utime(folder, ns=(0, 0))
    assert sf("history", "K1").returncode == 0
    assert not left.exists() and alive.exists()
    left.write_text("and again")
    assert sf("sessions", "show", sid).returncode == 0
    assert not left.exists() and alive.exists()


def test_guillemets_in_an_answer_are_not_taken_for_search_marks(store_dir):
    started("K1", "han sa «hej» och sedan budget")
    (hit,) = json.loads(sf("search", "budget", "--json").stdout)
    assert "«budget»" in hit["snippet"] and "«hej»" not in hit["snippet"]
