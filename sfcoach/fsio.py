"""File-system primitives below the store, the bank cache and exports: whole-or-nothing
writes, owner-only temp files, exclusive locks, reading only regular files, and text
the operating system gave us that may hold bytes that are not UTF-8.

Temp files are made by `tempfile.mkstemp` beside their target (O_EXCL, 0600, a name
nobody can guess), named `.<target>.<random>.<pid>.tmp`, so that a later process can
tell one left by a process that died (`remove_stale_temps`).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path


class Busy(Exception):
    """Another process holds the lock."""


class NotRegular(OSError):
    """A FIFO, device, socket or folder where a file was expected."""


def decoded(text: str) -> str:
    """Text from the OS (standard input, argv, environment, a path) with every byte that
    was not UTF-8 shown as U+FFFD: Python carries such bytes as lone surrogates, which
    no UTF-8 writer (YAML, SQLite, a UTF-8 terminal) accepts."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    # Lone surrogates: one undecodable byte each (surrogateescape), or broken UTF-16.
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def tolerant_output() -> None:
    """A terminal that cannot show a character (a Latin-1 or ASCII locale) gets '?'
    for it instead of a crash halfway through a meeting or a listing; bytes typed there
    that its encoding does not know become U+FFFD."""
    import sys

    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            reconfigure(errors="replace")


# --- writing ----------------------------------------------------------------------------


def _write_synced(path: Path, data: bytes) -> Path:
    """`data` in a new temp file beside `path`, flushed to disk; returns the temp's name."""
    import tempfile

    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=f".{os.getpid()}.tmp", dir=path.parent
    )
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def sync_folder(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, rename over it, fsync the folder."""
    tmp = _write_synced(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_folder(path.parent)


def write_new(path: Path, data: bytes) -> bool:
    """Create `path` with `data`, whole, only if no file has that name; False if one has."""
    tmp = _write_synced(path, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    sync_folder(path.parent)
    return True


def write_private(path: Path, data: bytes) -> None:
    """A file the user named (an export): 0600, whole or not at all, through a temp
    file nobody else can have made; IsADirectoryError or NotRegular if `path` is a
    folder or a FIFO or device, which must not silently become a file."""
    if path.is_dir():
        raise IsADirectoryError(f"a folder: {path}")
    check_target(path)
    write_atomic(path, data)


def check_target(path: Path) -> None:
    """A file we may replace: none yet, a regular file or a link (the link is replaced,
    never what it points to). A FIFO or device must not silently become a file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise NotRegular(f"not a regular file: {path}")


def remove_stale_temps(folder: Path, pattern: str = ".*.tmp") -> int:
    """Temp files of processes that died mid-write hold client text; remove them.
    Returns how many went."""
    return sum(remove_if_stale(tmp) for tmp in folder.glob(pattern))


def remove_if_stale(tmp: Path) -> bool:
    """Remove one of our temp files if the process that wrote it is gone."""
    pid = tmp.name.rsplit(".", 2)[-2]
    if pid.isdigit() and _alive(int(pid)):
        return False
    try:
        tmp.unlink()
    except OSError:
        return False
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- reading ----------------------------------------------------------------------------


def require_regular(path: Path) -> None:
    """NotRegular unless `path` is a regular file (links followed). Opened without
    blocking, so a FIFO cannot hang the caller as a plain open() would."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(f"a folder: {path}")
        if not stat.S_ISREG(mode):
            raise NotRegular(f"not a regular file: {path}")
    finally:
        os.close(fd)


# --- locks ------------------------------------------------------------------------------


@contextlib.contextmanager
def exclusive(
    path: Path, on_busy: Callable[[], None] | None = None, remove: bool = False
) -> Iterator[bool]:
    """Hold an exclusive flock on `path` (created 0600, never through a link); yields
    whether it had to wait. Without `on_busy` a held lock raises Busy; with it, it is
    called once and then we wait. With `remove` the lock file is deleted on release,
    so one is not left per session; whoever opened it meanwhile notices (inode check)."""
    import fcntl

    waited = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_busy is None:
                os.close(fd)
                raise Busy(str(path)) from None
            on_busy()
            fcntl.flock(fd, fcntl.LOCK_EX)
            waited = True
        # The holder before us may have removed the file after we opened it: then our
        # lock is on a file nobody else can see, so take the one that exists.
        try:
            if os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield waited
    finally:
        if remove:
            with contextlib.suppress(OSError):
                os.unlink(path)
        os.close(fd)
