"""Hostile files in the store, against every review command.

"YAML alias bomb, a 50 MB file, wrong types, a symlink pointing outside the store, a
file with a future schema version, binary junk: each skipped or refused with a
one-line warning, never followed outside the store, never crashes a review command."

Each case puts one bad file at K1/20260101-000000-0bad.yaml beside two good sessions
(K1, K2) and runs every review command against the store, with a time limit, so a
file that makes a command hang fails the test instead of hanging the suite. A
session-looking file with a unique word waits outside the store: that word must never
appear in any output, and its access time must not move.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import no_traceback, saved_session, sf

from sfcoach import privacy, sessionfile, yamlio
from sfcoach.i18n import t
from sfcoach.models import Session
from sfcoach.sessionfile import BadSession
from sfcoach.store import MAX_SESSION_BYTES, Store, read_session_data

BAD_ID = "20260101-000000-0bad"
BAD_NAME = f"K1/{BAD_ID}.yaml"  # how warnings name the file: relative to the store
OTHER_ID = "20260102-000000-beef"
GOOD_WORD = "solrosfältet"  # in K1's good session
OUTSIDE_WORD = "hemlighetutanför"  # only in the file outside the store
MISPLACED_WORD = "felplaceradtext"  # only in a file whose id does not match its name
OLD_ATIME = 1_000_000_000  # set on the outside file: any read of it moves its atime
TIMEOUT = 30  # seconds per command; a hang fails the test instead of the suite
FIFO_TIMEOUT = 10  # a FIFO would hang a reader for ever: fail sooner
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass
class World:
    store: Store
    good: Session  # K1's readable session
    other: Session  # K2's
    outside: Path  # a session-looking file outside the store
    bad: Path  # where the hostile file goes
    tmp: Path


@pytest.fixture
def world(store_dir, tmp_path) -> World:
    store = Store(store_dir)
    good = saved_session(
        store, "K1", "2026-01-05T10:00", progress=3,
        answers={"best-hopes": ("P", f"Ett {GOOD_WORD} i juni"), "coping": ("U", "Promenader")},
        steps=[("Ringa banken", "agreed", None)], notes=("Ta med kvitton",),
    )  # fmt: skip
    other = saved_session(store, "K2", "2026-01-06T10:00", progress=5)
    outside_dir = tmp_path / "outside"
    outside_dir.mkdir()
    outside = outside_dir / f"{BAD_ID}.yaml"
    outside.write_text(sessionfile.to_yaml(variant(good, text=OUTSIDE_WORD)), encoding="utf-8")
    os.utime(outside, (OLD_ATIME, outside.stat().st_mtime))
    return World(store, good, other, outside, store.root / "K1" / f"{BAD_ID}.yaml", tmp_path)


def variant(s: Session, id: str = BAD_ID, text: str | None = None, client: str | None = None):
    """A copy of a session under another id (and answer text, client)."""
    out = copy.deepcopy(s)
    out.id = id
    if text is not None:
        out.answers[0].text = text
    if client is not None:
        out.client = client
    return out


def good_text(w: World) -> str:
    """K1's session as a well-formed file named for the bad slot."""
    return sessionfile.to_yaml(variant(w.good))


def run(*args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    try:
        return sf(*args, input="", timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`sfcoach {' '.join(args)}` did not finish within {timeout} s")


def run_all(commands: list[tuple[str, ...]], timeout: float) -> list:
    """Each command's result, in order: the first alone (it builds the index), the
    others four at a time (they only read), to keep the file fast."""
    first = run(*commands[0], timeout=timeout)
    with ThreadPoolExecutor(4) as pool:
        rest = list(pool.map(lambda args: run(*args, timeout=timeout), commands[1:]))
    return [first, *rest]


# --- the hostile files ----------------------------------------------------------------

LAUGHS = "practice_data:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  {c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefghi", "bcdefghij", strict=True)
)  # 10**10 nodes once expanded, in a file of a kilobyte


def write(w: World, content: str | bytes) -> None:
    w.bad.write_bytes(content.encode() if isinstance(content, str) else content)


def padded(w: World, size: int) -> bytes:
    """A well-formed session file padded with a comment to exactly `size` bytes."""
    head = good_text(w).encode()
    return head + b"# " + b"x" * (size - len(head) - 3) + b"\n"


def _symlink(w: World) -> None:
    w.bad.symlink_to(w.outside)


def _dangling(w: World) -> None:
    w.bad.symlink_to(w.tmp / "nowhere.yaml")


def _mode_000(w: World) -> None:
    write(w, good_text(w))
    w.bad.chmod(0)


def _python_tag(w: World) -> None:
    write(w, f"!!python/object/apply:os.system ['touch {w.tmp / 'pwned'}']\n")


@dataclass(frozen=True)
class Kind:
    make: Callable[[World], None]
    key: str  # the BadSession reason (a message key); the warning shows its text
    params: dict = field(default_factory=dict)  # some of its parameters
    cli: bool = True  # run every review command against it (variants: only load and aim)


NOT_YAML = "session.not-yaml"
BAD_KEY = "session.bad-key"
KINDS: dict[str, Kind] = {
    "alias-bomb": Kind(
        lambda w: write(w, good_text(w) + LAUGHS), NOT_YAML, {"why_key": "yaml.alias-bomb"}
    ),
    "recursive-alias": Kind(
        lambda w: write(w, good_text(w) + "practice_data: &r {self: *r}\n"),
        NOT_YAML,
        {"why_key": "yaml.recursive"},
        cli=False,
    ),
    "size-50mb": Kind(lambda w: write(w, padded(w, 50_000_000)), "session.too-big", {"mb": 50}),
    "size-16mb-plus-1": Kind(
        lambda w: write(w, padded(w, MAX_SESSION_BYTES + 1)), "session.too-big", {"mb": 16}
    ),
    "wrong-type": Kind(
        lambda w: write(w, good_text(w).replace("value: 3", "value: sju")),
        BAD_KEY,
        {"key": "ratings[0].value"},
    ),
    "unquoted-date": Kind(
        lambda w: write(
            w, good_text(w).replace(f"started: '{w.good.started}'", "started: 2026-01-05")
        ),
        BAD_KEY,
        {"key": "started"},
        cli=False,
    ),
    "bool-for-int": Kind(
        lambda w: write(w, good_text(w).replace("stage: 0", "stage: true")),
        BAD_KEY,
        {"key": "cursor.stage"},
        cli=False,
    ),
    "file-symlink-out": Kind(_symlink, "session.symlink"),
    "dangling-symlink": Kind(_dangling, "session.symlink", cli=False),
    "future-schema": Kind(
        lambda w: write(w, good_text(w).replace("schema: 1\n", "schema: 2\n")),
        "session.future",
        {"version": 2},
    ),
    "yaml-syntax-error": Kind(
        lambda w: write(w, good_text(w)[:200] + "\n  - [unclosed: {\n"),
        NOT_YAML,
        {"why_key": "session.yaml-syntax"},
        cli=False,
    ),
    "binary-junk": Kind(lambda w: write(w, random.Random(1).randbytes(65_536)), "session.not-utf8"),
    "nested-brackets-100k": Kind(
        lambda w: write(w, "[" * 100_000 + "]" * 100_000), NOT_YAML, {"why_key": "yaml.too-deep"}
    ),
    "nested-mappings-unclosed": Kind(
        lambda w: write(w, good_text(w) + "practice_data: " + "{a: " * 100_000),
        NOT_YAML,
        {"why_key": "yaml.too-deep"},
        cli=False,
    ),
    "empty": Kind(lambda w: write(w, b""), "session.not-mapping"),
    "only-tilde": Kind(lambda w: write(w, "~\n"), "session.not-mapping"),
    "huge-integer": Kind(
        lambda w: write(w, good_text(w).replace("value: 3", "value: " + "9" * 5000)),
        NOT_YAML,
        {"why_key": "session.yaml-value"},
    ),
    "hundred-digit-rating": Kind(
        lambda w: write(w, good_text(w).replace("value: 3\n", f"value: {10**100}\n")),
        BAD_KEY,
        {"key": "ratings[0].value"},
        cli=False,
    ),
    "nan-elapsed": Kind(
        lambda w: write(w, good_text(w).replace("elapsed: 0.0\n", "elapsed: .nan\n")),
        BAD_KEY,
        {"key": "elapsed"},
        cli=False,
    ),
    # Well-formed, but not where the content says it belongs: Store.load refuses it.
    "wrong-client": Kind(
        lambda w: write(w, sessionfile.to_yaml(variant(w.other))), "session.misplaced"
    ),
    "wrong-id": Kind(
        lambda w: write(w, sessionfile.to_yaml(variant(w.good, OTHER_ID, MISPLACED_WORD))),
        "session.misplaced",
    ),
    "directory": Kind(lambda w: w.bad.mkdir(), "session.not-file"),
    "fifo": Kind(lambda w: os.mkfifo(w.bad), "session.not-file"),
    "mode-000": Kind(_mode_000, "session.unreadable"),
    "invalid-utf8": Kind(
        lambda w: write(w, good_text(w).encode().replace(b"Promenader", b"Prom\xc3\x28nader")),
        "session.not-utf8",
    ),
    "utf16": Kind(lambda w: write(w, good_text(w).encode("utf-16")), "session.not-utf8"),
    "nul-bytes": Kind(
        lambda w: write(w, good_text(w).replace("Promenader", "Prom\x00enader")), "session.binary"
    ),
    "python-tag": Kind(_python_tag, NOT_YAML, {"why_key": "session.yaml-value"}),
}


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging this process (a FIFO opened to be read blocks until some
    process opens it to write, unless it is opened non-blocking)."""

    def expire(signum, frame):
        raise TimeoutError(f"still reading after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def refusal(w: World) -> BadSession:
    """Why the store refuses the bad file: Store.load checks everything, placement too."""
    with pytest.raises(BadSession) as e, deadline(10):
        w.store.load(w.bad)
    return e.value


def reason(w: World) -> str:
    """The reason as a warning shows it."""
    e = refusal(w)
    return t(e.key, "en", **e.params)


MARKS = {
    "mode-000": pytest.mark.skipif(IS_ROOT, reason="root reads a mode-000 file anyway"),
}
CASES = [pytest.param(n, marks=MARKS.get(n, ()), id=n) for n, k in KINDS.items() if k.cli]


ALL = [pytest.param(n, marks=MARKS.get(n, ()), id=n) for n in KINDS]


@pytest.mark.parametrize("name", ALL)
def test_each_hostile_file_is_refused_by_the_store_with_its_reason(world, name):
    """In-process and fast, for every kind, the FIFO too (opened without waiting)."""
    kind = KINDS[name]
    kind.make(world)
    # Listed, links and odd entries too, so that every reader can say it skipped them.
    assert world.bad in world.store.files() and world.bad in world.store.files("K1")
    e = refusal(world)
    assert e.key == kind.key and kind.params.items() <= e.params.items(), (e.key, e.params)
    assert "problem" not in e.params, e.params  # PyYAML's own wording may quote the file
    message = t(e.key, "en", **e.params)
    assert message and "\n" not in message and "{" not in message, message
    assert OUTSIDE_WORD not in message and MISPLACED_WORD not in message, message
    if kind.key == NOT_YAML:
        assert message.startswith("line "), message


def review_commands(w: World) -> list[tuple[str, ...]]:
    return [
        ("sessions", "list"),
        ("sessions", "list", "--json"),
        ("sessions", "show", w.good.id),
        ("sessions", "show", w.good.id, "--json"),
        ("history", "K1"),
        ("history", "K1", "--json"),
        ("search", GOOD_WORD),
        ("search", GOOD_WORD, "--json"),
        ("stats",),
        ("stats", "--json"),
        *[("export", "--client", "K1", "--format", f) for f in ("md", "json", "csv", "html")],
        ("scan",),
        ("purge", "--client", "K2", "--dry-run"),
        ("purge", "--older-than", "1", "--dry-run"),
    ]


VIA_INDEX = {"sessions list", "search", "stats"}  # these read the SQLite index
VIA_FILES = {"history", "export"}  # these read the client's files


def group(args: tuple[str, ...]) -> str:
    return " ".join(args[:2]) if args[0] == "sessions" else args[0]


def check_good_ones_still_show(args: tuple[str, ...], proc, w: World) -> None:
    out = proc.stdout
    if args[:2] == ("sessions", "list") and "--json" in args:
        ids = {r["id"] for r in json.loads(out)}
        assert {w.good.id, w.other.id} <= ids and not ids & {BAD_ID, OTHER_ID}
    elif args[:2] == ("sessions", "list"):
        assert w.good.id in out and w.other.id in out
    elif args[:2] == ("sessions", "show"):
        assert GOOD_WORD in out
    elif args == ("history", "K1", "--json"):
        assert w.good.id in [s["id"] for s in json.loads(out)["sessions"]]
    elif args[0] == "history":
        assert w.good.id in out
    elif args[0] == "search" and "--json" in args:
        assert [h["session"] for h in json.loads(out)] == [w.good.id]
    elif args[0] == "search":
        assert w.good.id in out
    elif args == ("stats", "--json"):
        assert json.loads(out)["sessions"]["total"] == 2
    elif args[0] == "export":
        assert (w.good.id if args[-1] in ("json", "csv") else GOOD_WORD) in out
    elif args[:3] == ("purge", "--client", "K2"):
        assert w.other.id in out and w.good.id not in out and BAD_ID not in out


@pytest.mark.parametrize("name", CASES)
def test_every_review_command_survives_a_hostile_file(world, name):
    w, kind = world, KINDS[name]
    kind.make(w)
    why = reason(w)
    commands = review_commands(w)
    timeout = FIFO_TIMEOUT if name == "fifo" else TIMEOUT
    open_to_others = bool(privacy.exposed(w.store.root))
    for args, proc in zip(commands, run_all(commands, timeout), strict=True):
        out = proc.stdout + proc.stderr
        # scan also reports files that others can read (a hostile file written 0644): exit 1
        expected = 1 if args == ("scan",) and open_to_others else 0
        assert proc.returncode == expected, (args, proc.stderr)
        assert no_traceback(proc) and "internal error" not in out, (args, proc.stderr)
        assert OUTSIDE_WORD not in out and MISPLACED_WORD not in out, args
        warnings = proc.stderr.splitlines()
        assert all(line.startswith("sfcoach: ") for line in warnings), (args, warnings)
        named = [line for line in warnings if BAD_NAME in line]
        if group(args) in VIA_INDEX | VIA_FILES:  # the index and the files alike
            assert named == [f"sfcoach: skipped {BAD_NAME}: {why}"], (args, warnings)
        else:
            assert named == [], (args, warnings)
        if args == ("scan",):
            assert f"{BAD_NAME}: {t('scan.unreadable', 'en')}" in proc.stdout, proc.stdout
        check_good_ones_still_show(args, proc, w)

    # Nothing outside the store was read; the bad file is left for the user to look at.
    assert w.outside.stat().st_atime == OLD_ATIME
    assert os.path.lexists(w.bad)
    assert not (w.tmp / "pwned").exists()


def aimed_commands() -> list[tuple[str, ...]]:
    return [
        ("sessions", "show", BAD_ID),
        ("sessions", "show", BAD_ID, "--json"),
        ("export", BAD_ID, "--format", "md"),
        ("resume", BAD_ID, "--plain"),
    ]


@pytest.mark.parametrize("name", ALL)
def test_commands_aimed_at_the_hostile_file_refuse_it_in_one_line(world, name):
    """`sessions show`, `export` and `resume` of the file name it and say why, in one line:
    a file that is not valid YAML too (its nested reason renders), and a well-formed file
    that is not where its content says it belongs."""
    w = world
    KINDS[name].make(w)
    line = f"sfcoach: cannot read {w.bad}: {reason(w)}"
    commands = aimed_commands()
    timeout = FIFO_TIMEOUT if name == "fifo" else TIMEOUT
    for args, proc in zip(commands, run_all(commands, timeout), strict=True):
        assert proc.returncode == 1 and no_traceback(proc), (args, proc.stderr)
        assert proc.stderr.splitlines() == [line], (args, proc.stderr)
        assert proc.stdout == "", (args, proc.stdout)
    assert w.outside.stat().st_atime == OLD_ATIME
    assert not (w.tmp / "pwned").exists()


# history and export read the client's files themselves: each file they leave out gets
# the same one-line warning the index gives, whatever the reason.
SKIP_CASES = ["file-symlink-out", "wrong-client", "wrong-id"]
SKIP_CASES += [n for n, k in KINDS.items() if not k.cli]


@pytest.mark.parametrize("name", SKIP_CASES)
def test_history_and_export_warn_about_every_file_they_skip(world, name):
    KINDS[name].make(world)
    why = reason(world)
    for args in (("history", "K1", "--json"), ("export", "--client", "K1", "--format", "md")):
        proc = run(*args)
        assert proc.returncode == 0 and no_traceback(proc)
        assert MISPLACED_WORD not in proc.stdout and OTHER_ID not in proc.stdout
        assert OUTSIDE_WORD not in proc.stdout + proc.stderr
        named = [line for line in proc.stderr.splitlines() if BAD_NAME in line]
        assert named == [f"sfcoach: skipped {BAD_NAME}: {why}"], (args, proc.stderr)
        check_good_ones_still_show(args, proc, world)


# --- links to folders outside the store ---------------------------------------------------


@pytest.fixture
def linked_client(world):
    """store/K9 -> a folder outside the store holding a well-formed session for K9."""
    folder = world.outside.parent
    s = variant(world.good, OTHER_ID, OUTSIDE_WORD, client="K9")
    (folder / f"{OTHER_ID}.yaml").write_text(sessionfile.to_yaml(s), encoding="utf-8")
    os.utime(folder / f"{OTHER_ID}.yaml", (OLD_ATIME, OLD_ATIME + 1))
    (world.store.root / "K9").symlink_to(folder, target_is_directory=True)
    return world


def test_the_index_never_follows_a_client_folder_link(linked_client):
    w = linked_client
    for args in (
        ("sessions", "list", "--json"),
        ("search", OUTSIDE_WORD, "--json"),
        ("stats", "--json"),
        ("scan",),
        ("sessions", "show", OTHER_ID),
        ("purge", "--client", "K9", "--dry-run"),
        ("purge", "--client", "K9", "--yes"),
    ):
        proc = run(*args)
        assert proc.returncode in (0, 1) and no_traceback(proc), (args, proc.stderr)
        assert OUTSIDE_WORD not in proc.stdout + proc.stderr, args
    assert {r["client"] for r in json.loads(run("sessions", "list", "--json").stdout)} == {
        "K1",
        "K2",
    }
    proc = run("purge", "--client", "K9", "--yes")
    assert proc.returncode == 1 and "is a symbolic link" in proc.stderr, proc.stderr
    assert (w.outside.parent / f"{OTHER_ID}.yaml").exists()  # purge did not reach it
    assert (w.outside.parent / f"{OTHER_ID}.yaml").stat().st_atime == OLD_ATIME


def folder_link_error(w: World) -> str:
    """The one line a command that would read or write through store/K9 gives."""
    link = t("store.folder-link", "en", path=str(w.store.root / "K9"))
    assert "K9 is a symbolic link" in link, link
    return f"sfcoach: {link}\n"


@pytest.mark.parametrize(
    "args", [("history", "K9", "--json"), ("export", "--client", "K9", "--format", "md")]
)
def test_history_and_export_never_follow_a_client_folder_link(linked_client, args):
    proc = run(*args)
    assert proc.returncode == 1 and no_traceback(proc) and proc.stdout == "", proc.stderr
    assert proc.stderr == folder_link_error(linked_client)
    assert (linked_client.outside.parent / f"{OTHER_ID}.yaml").stat().st_atime == OLD_ATIME


def test_a_meeting_never_writes_through_a_client_folder_link(linked_client):
    before = set(os.listdir(linked_client.outside.parent))
    proc = sf("start", "--client", "K9", "--lang", "en", "--practitioner", "A", "--plain",
              input="/pause\n", timeout=TIMEOUT)  # fmt: skip
    assert proc.returncode == 1 and no_traceback(proc), proc.stderr
    assert proc.stderr == folder_link_error(linked_client)
    assert set(os.listdir(linked_client.outside.parent)) == before


# --- sizes and limits ---------------------------------------------------------------------


def test_a_50_mb_file_is_refused_before_it_is_read(world, record_property):
    write(world, padded(world, 50_000_000))
    t0 = time.perf_counter()
    with pytest.raises(BadSession) as e:
        read_session_data(world.bad)
    in_process = time.perf_counter() - t0
    assert e.value.key == "session.too-big" and e.value.params == {"mb": 50}
    t0 = time.perf_counter()
    proc = run("sessions", "show", BAD_ID)
    command = time.perf_counter() - t0
    assert proc.returncode == 1 and t("session.too-big", "en", mb=50) in proc.stderr
    record_property("refused_in_process_ms", round(in_process * 1000, 3))
    record_property("refused_by_command_ms", round(command * 1000, 1))  # timing: bench/, not here


def test_a_file_of_exactly_the_limit_is_still_read(world):
    write(world, padded(world, MAX_SESSION_BYTES))
    assert world.bad.stat().st_size == MAX_SESSION_BYTES
    assert world.store.load(world.bad).answers[0].text == f"Ett {GOOD_WORD} i juni"


@pytest.mark.parametrize(
    "values",
    [
        300_000,  # one parser event per value, more than MAX_NODES
        450_000,  # still under a megabyte
    ],
)
def test_a_file_of_very_many_tiny_values_is_refused(world, values):
    write(world, good_text(world) + "practice_data: {x: [" + "0," * values + "0]}\n")
    assert "&" not in world.bad.read_text() and world.bad.stat().st_size < 1_000_000
    assert values > yamlio.MAX_NODES
    with pytest.raises(BadSession) as e, deadline(30):
        world.store.load(world.bad)
    assert e.value.key == NOT_YAML
    assert e.value.params.get("why_key") == "yaml.too-many-nodes"


# --- values that load but break what is made of them --------------------------------------


def refused_as_bad_key(w: World, key: str) -> str:
    """The file is refused naming `key`; the reason as a warning shows it."""
    e = refusal(w)
    assert (e.key, e.params) == (BAD_KEY, {"key": key})
    return t(BAD_KEY, "en", key=key)


@pytest.mark.parametrize("field", ["value", "min"])
def test_an_integer_beyond_64_bits_never_breaks_the_listing(world, field):
    old = f"{field}: {3 if field == 'value' else 0}\n"
    text = good_text(world)
    assert old in text
    write(world, text.replace(old, f"{field}: {2**70}\n", 1))
    why = refused_as_bad_key(world, f"ratings[0].{field}")  # a skipped file, with a warning
    for args in (
        ("sessions", "list", "--json"),
        ("search", GOOD_WORD, "--json"),
        ("stats",),
        ("stats", "--json"),
    ):
        proc = run(*args)
        assert proc.returncode == 0 and "internal error" not in proc.stderr, (args, proc.stderr)
        assert no_traceback(proc)
        assert proc.stderr.splitlines() == [f"sfcoach: skipped {BAD_NAME}: {why}"], args
        check_good_ones_still_show(args, proc, world)


@pytest.mark.parametrize(
    "number, loads",
    [(10**12, True), (-(10**12), True), (10**12 + 1, False), (-(10**12) - 1, False),
     (10**100, False)],
)  # fmt: skip
def test_numbers_beyond_what_a_meeting_can_produce_are_refused(world, number, loads):
    text = good_text(world)
    assert "value: 3\n" in text
    write(world, text.replace("value: 3\n", f"value: {number}\n", 1))
    if loads:
        assert world.store.load(world.bad).ratings[0].value == number
    else:
        refused_as_bad_key(world, "ratings[0].value")


def _strict_json(text: str):
    def refuse(constant: str):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_json_output_stays_json_whatever_a_file_holds(world, value):
    """NaN and infinity have no JSON: a file holding one is refused, never printed."""
    text = good_text(world)
    assert "elapsed: 0.0\n" in text
    write(world, text.replace("elapsed: 0.0\n", f"elapsed: {value}\n"))
    why = refused_as_bad_key(world, "elapsed")
    proc = run("sessions", "show", BAD_ID, "--json")
    assert proc.returncode == 1 and proc.stdout == "", proc.stdout
    assert proc.stderr == f"sfcoach: cannot read {world.bad}: {why}\n"
    for args in (
        ("sessions", "list", "--json"),
        ("history", "K1", "--json"),
        ("export", "--client", "K1", "--format", "json"),
    ):
        proc = run(*args)
        assert proc.returncode == 0, proc.stderr
        _strict_json(proc.stdout)
        assert proc.stderr.splitlines() == [f"sfcoach: skipped {BAD_NAME}: {why}"], args
        check_good_ones_still_show(args, proc, world)


def test_a_python_tag_is_never_executed(world):
    _python_tag(world)
    with pytest.raises(BadSession):
        world.store.load(world.bad)
    with pytest.raises(yamlio.YamlError):
        yamlio.load(world.bad.read_text())
    assert not (world.tmp / "pwned").exists()
