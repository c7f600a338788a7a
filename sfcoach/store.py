"""Session files on disk: one YAML file per session, in one folder per client.

    STORE/K1/20261123-140512-3f2a.yaml
    STORE/_practice/20261124-091500-aa01.yaml

Saves are atomic (temporary file in the same folder, fsync, rename, fsync of
the folder), files are 0600 and folders 0700. Reading never follows a
symlink and refuses oversized files before parsing them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sfcoach import fsio, privacy, sessionfile, yamlio
from sfcoach.errors import StoreError, UserError
from sfcoach.fsio import write_atomic, write_new
from sfcoach.models import Session
from sfcoach.sessionfile import BadSession

PRACTICE_DIR = "_practice"
BANKS_DIR = "_banks"  # copies of custom banks, so resume never depends on the original file
MAX_SESSION_BYTES = 16_000_000
ALIAS_MAX = 40
# Letters (any script), digits, '-', '_', '.'; not starting with '.' or '_'.
_ALIAS = re.compile(r"[^\W_][\w.-]*")
_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{4,8}")


@dataclass(frozen=True)
class Skipped:
    """A file in the store that could not be read, and why (an i18n key), for a
    one-line warning; the path is relative to the store (K1/20260302-….yaml)."""

    path: str
    key: str
    params: dict[str, Any]


def validate_alias(alias: str) -> str:
    """The alias as stored (NFKC), or UserError. Aliases become folder names, so they
    must stay distinct and valid on every system a store may be synced to."""
    value = unicodedata.normalize("NFKC", alias).strip()
    if not value:
        raise UserError("alias.empty")
    if len(value) > ALIAS_MAX:
        raise UserError("alias.too-long", max=ALIAS_MAX)
    # Before any message that repeats the alias: that must never show the number.
    if privacy.find_ids(value):  # an alias must never be the person's identity number
        raise UserError("alias.id-number")
    if "/" in value or "\\" in value or ".." in value or not _ALIAS.fullmatch(value):
        raise UserError("alias.bad", alias=value)
    if value.endswith("."):
        raise UserError("alias.trailing-dot", alias=value)
    if value.split(".")[0].casefold() in _RESERVED:
        raise UserError("alias.reserved", alias=value)
    if len(_scripts(value)) > 1:
        raise UserError("alias.mixed-scripts", alias=value)
    return value


# Device names Windows reserves, with or without an extension (CON, nul.txt).
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10))]
)
# Writing systems used together, so that a Japanese or Korean alias is one script.
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK", "HANGUL": "CJK"}


def _scripts(value: str) -> set[str]:
    """The writing systems of the letters (digits and '-', '_', '.' belong to all)."""
    words = (unicodedata.name(c, "?").split(" ")[0] for c in value if c.isalpha())
    return {_SCRIPT_GROUPS.get(w, w) for w in words}


# Cyrillic and Greek letters that look like Latin ones (after casefold): 'К1' and 'K1'
# must not become two clients.
_LOOKALIKES = str.maketrans(
    "авекмнорстухѕіјһԁԛԝӏαβεζηικμνορτυχ",
    "abekmhopctyxsijhdqwlabezhikmnoptyx",
)


def alias_key(alias: str) -> str:
    """What makes two aliases the same client: case, width and look-alike letters aside."""
    return unicodedata.normalize("NFKC", alias).strip().casefold().translate(_LOOKALIKES)


def _folder_name(alias: str) -> str:
    """A stored alias as its folder's name: only checked to stay inside the store, so that
    sessions saved under older, looser rules stay where they are."""
    value = unicodedata.normalize("NFC", alias.strip())
    if not value or "/" in value or "\\" in value or ".." in value or not _ALIAS.fullmatch(value):
        raise UserError("alias.bad", alias=privacy.mask_text(value))
    return value


def new_session_id(now: datetime | None = None) -> str:
    """Sortable by time to the millisecond, safe as a file name: YYYYMMDD-HHMMSS-mmmrr
    (milliseconds, then a random byte; create() picks another byte on a clash)."""
    now = now or datetime.now()
    return f"{now:%Y%m%d-%H%M%S}-{now.microsecond // 1000:03d}{os.urandom(1).hex()}"


def is_session_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


def _friendly(e: OSError) -> str:
    return {
        errno.ENOSPC: "oserror.disk-full",
        errno.EDQUOT: "oserror.disk-full",
        errno.EROFS: "oserror.read-only",
        errno.EACCES: "oserror.read-only",
        errno.EPERM: "oserror.read-only",
    }.get(e.errno or 0, "oserror.other")


class Store:
    def __init__(self, root: Path, notice: Any = None) -> None:
        self.root = Path(root)
        self.notice = notice  # told when the index takes long to update (index.Notice)
        # Sessions opened to be continued, with their file as it was when read: taking
        # the lock checks the file is still that one, so that a stale copy (a second
        # terminal that loaded it earlier) never overwrites what was answered since.
        self._opened: dict[str, tuple[int, ...] | None] = {}
        self._sizes: dict[str, int] = {}  # bytes of each session's last saved version

    # --- writing ---------------------------------------------------------------

    def folder(self, session: Session) -> Path:
        name = PRACTICE_DIR if session.practice else _folder_name(session.client or "")
        return self.own_folder(name)

    def own_folder(self, name: str) -> Path:
        """A folder of the store, never one a symbolic link leads out of it to."""
        folder = self.root / name
        if folder.is_symlink():
            raise UserError("store.folder-link", path=str(folder))
        return folder

    def path_of(self, session: Session) -> Path:
        return self.folder(session) / f"{session.id}.yaml"

    def create(self, session: Session) -> Path:
        """Write a new session's first version under a name no other session has.

        The file appears whole or not at all (written beside, then hard-linked into
        place, which fails if the name is taken), so a kill or a full disk never
        leaves an empty session file behind."""
        import json

        folder = self.folder(session)
        try:
            privacy.make_private_dir(folder)
            self._remove_stale_temps(folder)
            for _ in range(32):
                # The first version holds no answers yet: JSON (which is YAML) spares
                # loading PyYAML before the first question is on screen.
                data = json.dumps(sessionfile.to_dict(session), ensure_ascii=False).encode()
                path = folder / f"{session.id}.yaml"
                if write_new(path, data):
                    self._sizes[session.id] = len(data)
                    return path
                session.id = f"{session.id[:-2]}{os.urandom(1).hex()}"  # same millisecond and byte
        except OSError as e:
            raise StoreError("store.save-failed", why_key=_friendly(e), path=str(folder)) from None
        raise UserError("store.id-taken", id=session.id)

    def save(self, session: Session) -> Path:
        path = self.path_of(session)
        data = sessionfile.to_yaml(session).encode("utf-8")
        if len(data) > MAX_SESSION_BYTES:  # no reader would take it: keep the last version
            raise StoreError("store.too-big", mb=MAX_SESSION_BYTES // 1_000_000)
        try:
            write_atomic(path, data)
        except OSError as e:
            raise StoreError(
                "store.save-failed", why_key=_friendly(e), path=str(path.parent)
            ) from None
        self._sizes[session.id] = len(data)
        return path

    def room(self, session: Session) -> int:
        """Bytes the session's file may still grow by and be read back."""
        return MAX_SESSION_BYTES - self._sizes.get(session.id, 0)

    def keep_bank(self, source: Path) -> str:
        """Copy a custom bank into the store, named by its content; returns that name."""
        import hashlib

        data = source.read_bytes()
        name = hashlib.sha256(data).hexdigest()[:20] + ".yaml"
        folder = self.root / BANKS_DIR
        try:
            privacy.make_private_dir(folder)
            if not (folder / name).exists():
                write_atomic(folder / name, data)
        except OSError as e:
            raise StoreError("store.save-failed", why_key=_friendly(e), path=str(folder)) from None
        return name

    def kept_bank(self, name: str) -> Path:
        return self.root / BANKS_DIR / Path(name).name

    def _remove_stale_temps(self, folder: Path) -> None:
        fsio.remove_stale_temps(folder)

    @contextlib.contextmanager
    def lock(self, session: Session) -> Iterator[None]:
        """Hold the session for this process; a second terminal gets a clear error."""
        with self.lock_id(self.folder(session), session.id):
            yield

    @contextlib.contextmanager
    def lock_id(self, folder: Path, session_id: str) -> Iterator[None]:
        """The lock of the session `session_id` in `folder`; UserError if it is held."""
        try:
            with fsio.exclusive(folder / f".{session_id}.lock", remove=True):
                if session_id in self._opened:
                    path = folder / f"{session_id}.yaml"
                    if _fingerprint(path) != self._opened.pop(session_id):
                        raise UserError("resume.changed", id=session_id)
                # Holding the session, any temp file of it is left from a process that died.
                for stale in folder.glob(f".{session_id}.yaml.*.tmp"):
                    with contextlib.suppress(OSError):
                        stale.unlink()
                yield
        except fsio.Busy:
            raise UserError("store.locked", id=session_id) from None

    # --- reading ---------------------------------------------------------------

    def load(self, path: Path) -> Session:
        """One session file; BadSession if it cannot be trusted. A file must also sit
        where its content says it belongs, or purge and resume would miss it."""
        session = sessionfile.from_dict(read_session_data(path))
        expected = PRACTICE_DIR if session.practice else session.client
        if path.name != f"{session.id}.yaml" or path.parent.name != expected:
            raise BadSession("session.misplaced")
        return session

    def load_to_continue(self, path: Path) -> Session:
        """`load`, remembering the file as read: `lock` refuses if it changed meanwhile."""
        before = _fingerprint(path)  # before reading: a change while reading is seen too
        session = self.load(path)
        self._opened[session.id] = before
        return session

    def find(self, ref: str) -> Path:
        """A session's file by its id or a unique prefix of it."""
        ref = ref.strip()
        if not ref or not re.fullmatch(r"[0-9a-f-]+", ref):
            raise UserError("session.unknown", id=ref)
        if is_session_id(ref):
            for folder in self._folders():
                path = folder / f"{ref}.yaml"
                if os.path.lexists(path):
                    fsio.remove_stale_temps(folder)  # as files() does for the folders it lists
                    return path
        matches = [p for p in self.files() if p.stem.startswith(ref)]
        if not matches:
            raise UserError("session.unknown", id=ref)
        if len(matches) > 1:
            raise UserError("session.ambiguous", id=ref, count=len(matches))
        return matches[0]

    def _folders(self) -> list[Path]:
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        except OSError as e:
            raise StoreError(
                "store.unreadable", path=str(self.root), why_key=_friendly(e)
            ) from None
        return [
            Path(e.path)
            for e in entries
            if (not e.name.startswith((".", "_")) or e.name == PRACTICE_DIR)
            and e.is_dir(follow_symlinks=False)
        ]

    def files(self, client: str | None = None) -> list[Path]:
        """Entries named like session files, oldest first (ids sort by time). Links and
        odd entries are listed too, so that readers report them; `load` never follows them."""
        folders = [self.own_folder(client)] if client else self._folders()
        out = []
        for folder in folders:
            try:
                entries = list(os.scandir(folder))
            except (FileNotFoundError, NotADirectoryError):
                continue
            out += [
                Path(e.path)
                for e in entries
                if e.name.endswith(".yaml") and not e.name.startswith(".")
            ]
            # Listed anyway: a temp file left by a kill holds a whole session's text.
            for e in entries:
                if e.name.startswith(".") and e.name.endswith(".tmp"):
                    fsio.remove_if_stale(Path(e.path))
        return sorted(out, key=lambda p: p.name)

    def client_alias(self, alias: str, new: bool = False) -> str:
        """The alias a client's sessions are kept under: the folder already there for it
        (written as typed, or differing in case, width or look-alike letters), else the
        alias checked by `validate_alias`. A folder named under older, looser rules is
        found as typed, so it can still be read and purged; a `new` session never goes
        into one named by an identity number."""
        typed = unicodedata.normalize("NFC", alias.strip())
        try:
            names = {p.name for p in self._folders()} - {PRACTICE_DIR}
        except StoreError:
            names = set()  # saving to or reading from such a store says what is wrong
        if typed in names and not (new and privacy.find_ids(typed)):
            return typed
        value = validate_alias(alias)
        if value in names:
            return value
        key = alias_key(value)
        return min((n for n in names if alias_key(n) == key), default=value)

    def client_sessions(self, client: str) -> tuple[list[Session], list[Skipped]]:
        """A client's readable sessions oldest first, and the files that were skipped."""
        sessions, skipped = [], []
        for path in self.files(self.client_alias(client)):
            try:
                sessions.append(self.load(path))
            except BadSession as e:
                skipped.append(Skipped(f"{path.parent.name}/{path.name}", e.key, e.params))
        return sessions, skipped

    def _newest_first(
        self, client: str | None = None, meetings_first: bool = False
    ) -> Iterator[tuple[Path, Session]]:
        """Readable sessions, newest first (client meetings before practice rounds if
        `meetings_first`), each file read only when it is reached."""
        paths = list(reversed(self.files(client)))
        if meetings_first:
            paths.sort(key=lambda p: p.parent.name == PRACTICE_DIR)  # stable: newest first
        for path in paths:
            try:
                yield path, self.load(path)
            except BadSession:
                continue

    def latest_completed(self, client: str) -> Session | None:
        """The client's most recent completed meeting (not practice)."""
        found = self._newest_first(self.client_alias(client))
        return next((s for _, s in found if s.status == "completed" and not s.practice), None)

    def latest_unfinished(self) -> Session | None:
        """The most recent session not completed (resume without an id), remembered
        as `load_to_continue` does. A client meeting comes before any practice round: a
        practice left unfinished must not stand between a caseworker and their meeting."""
        for path, s in self._newest_first(meetings_first=True):
            if s.status != "completed":
                with contextlib.suppress(BadSession):  # changed since: stay with the copy read
                    return self.load_to_continue(path)
                return s
        return None

    def exposed(self) -> bool:
        """True when the store folder lets group or others in. With the folder closed,
        nothing below it can be reached, so that one check covers the store. A demo
        store of fictional sessions (a `.demo` file in it) is not warned about."""
        try:
            open_to_others = bool(os.stat(self.root).st_mode & 0o077)
        except OSError:
            return False
        return open_to_others and not (self.root / ".demo").exists()


def _fingerprint(path: Path) -> tuple[int, ...] | None:
    """What changes whenever a session file is saved (saves rename a new file in)."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)


def read_session_data(path: Path) -> object:
    """Parse a session file without following symlinks or reading more than the limit."""
    try:
        # O_NONBLOCK: a FIFO named like a session must not hang the reader.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise BadSession("session.symlink") from None
        if e.errno == errno.ENOENT:
            raise BadSession("session.gone") from None
        raise BadSession("session.unreadable", why=e.strerror) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise BadSession("session.not-file")
    if info.st_size > MAX_SESSION_BYTES:
        os.close(fd)
        raise BadSession("session.too-big", mb=info.st_size // 1_000_000)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(MAX_SESSION_BYTES + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadSession("session.not-utf8") from None
    if "\x00" in text:
        raise BadSession("session.binary")
    try:
        return yamlio.load(text)
    except yamlio.YamlError as e:
        # PyYAML's own wording can quote the file (a tag, a value): name the kind only.
        why = {"yaml.syntax": "session.yaml-syntax", "yaml.bad-value": "session.yaml-value"}
        params = {k: v for k, v in e.params.items() if k != "problem"}
        raise BadSession(
            "session.not-yaml", line=e.line, why_key=why.get(e.key, e.key), **params
        ) from None
