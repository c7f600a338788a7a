"""Privacy helpers: Swedish identity numbers in free text, owner-only files.

Pure functions, standard library only, so every layer can call them cheaply.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# --- personal identity numbers ---------------------------------------------------

# One pass over the text finds candidates: optional century, YYMMDD, optional
# separator, NNNC. Starting on a plain digit (and looking back for another)
# instead of a lookbehind lets re skip quickly to the next digit: ~10x faster.
# The digit lookarounds keep phone and account numbers from being split into a
# false match. [0-9], not \d, keeps other scripts' digits out. Checksum and
# date are judged in Python, on the few candidates there are.
_CANDIDATE = re.compile(r"[0-9](?<![0-9]{2})[0-9]{5}(?:[0-9]{2})?[-+]?[0-9]{4}(?![0-9])")
_TO_X = str.maketrans("0123456789", "X" * 10)
_CENTURIES = ("18", "19", "20")
# Luhn (weights 2,1,2,1,... from the left, digit sums) read two digits at a
# time from a table: 3x faster than per digit, which matters for digit-heavy text.
_LUHN_PAIR = {f"{a}{b}": 2 * a // 10 + 2 * a % 10 + b for a in range(10) for b in range(10)}


@dataclass(frozen=True)
class IdMatch:
    start: int
    end: int
    kind: str  # "personnummer" | "samordningsnummer"


def _luhn_ok(ten: str) -> bool:
    p = _LUHN_PAIR
    return (p[ten[:2]] + p[ten[2:4]] + p[ten[4:6]] + p[ten[6:8]] + p[ten[8:]]) % 10 == 0


def _kind(candidate: str, today: date) -> str | None:
    sep = candidate[-5]
    if sep in "-+":
        candidate = candidate[:-5] + candidate[-4:]
    century, ten = candidate[:-10], candidate[-10:]
    if not _luhn_ok(ten):
        return None
    yy, month, day = int(ten[:2]), int(ten[2:4]), int(ten[4:6])
    kind = "personnummer"
    if day > 60:
        kind, day = "samordningsnummer", day - 60
    now = (today.year, today.month, today.day)
    if century:
        if century not in _CENTURIES:
            return None
        year = int(century) * 100 + yy
    else:
        # Compare tuples, not dates: the date may not exist in the first guess
        # (29 Feb), and its validity must be judged in the year finally chosen.
        year = today.year // 100 * 100 + yy
        if (year, month, day) > now:
            year -= 100
        if sep == "+":  # the separator says the person has turned 100
            year -= 100
    if (year, month, day) > now:
        return None
    try:
        date(year, month, day)
    except ValueError:
        return None
    return kind


def find_ids(text: str, today: date | None = None) -> list[IdMatch]:
    """Checksum-valid personnummer and samordningsnummer with a plausible date."""
    today = today or date.today()
    found = []
    for m in _CANDIDATE.finditer(text):
        kind = _kind(m.group(), today)
        if kind:
            found.append(IdMatch(m.start(), m.end(), kind))
    return found


def mask_ids(text: str, today: date | None = None) -> tuple[str, int]:
    """Replace each digit of every found number with X, keeping the separator."""
    matches = find_ids(text, today)
    if not matches:
        return text, 0
    parts, pos = [], 0
    for m in matches:
        parts.append(text[pos : m.start])
        parts.append(text[m.start : m.end].translate(_TO_X))
        pos = m.end
    parts.append(text[pos:])
    return "".join(parts), len(matches)


# --- owner-only session store --------------------------------------------------

DIR_MODE = 0o700
FILE_MODE = 0o600
_OTHERS = 0o077  # any permission bit for group or others


def make_private_dir(path: Path) -> None:
    """mkdir -p where every folder created here is 0700; existing ones are not touched."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p.parent != p:
        missing.append(p)
        p = p.parent
    for p in reversed(missing):
        try:
            os.mkdir(p, DIR_MODE)
        except FileExistsError:
            if not p.is_dir():
                raise
            continue  # made by someone else meanwhile: not ours to chmod
        os.chmod(p, DIR_MODE)  # the umask may have masked bits off mkdir's mode
    if not path.is_dir():
        raise NotADirectoryError(f"not a directory: {path}")


def _walk(root: Path):
    """Yield (path, lstat) for root and everything under it, not following symlinks.

    The root itself is followed if it is a link: it is the store the user chose.
    Links inside are skipped, since chmod would act on whatever they point to.
    """
    st = root.stat()
    yield root, st
    if not stat.S_ISDIR(st.st_mode):
        return
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # unreadable even to the owner: nothing in it is listable
        for entry in entries:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                continue
            yield Path(entry.path), st
            if stat.S_ISDIR(st.st_mode):
                stack.append(Path(entry.path))


def exposed(path: Path) -> list[Path]:
    """The store and anything in it that group or others may read, write or enter."""
    path = Path(path)
    if not path.exists():
        return []
    return sorted(p for p, st in _walk(path) if st.st_mode & _OTHERS)


def fix_permissions(path: Path) -> int:
    """Set folders to 0700 and regular files to 0600 under path; return how many changed."""
    path = Path(path)
    if not path.exists():
        return 0
    changed = 0
    # _walk lists a folder only after yielding it, so a folder fixed here to 0700
    # can then be read even if it was 0000 before.
    for p, st in _walk(path):
        if stat.S_ISDIR(st.st_mode):
            want = DIR_MODE
        elif stat.S_ISREG(st.st_mode):
            want = FILE_MODE
        else:
            continue  # sockets, fifos, devices: not session data
        if stat.S_IMODE(st.st_mode) != want:
            os.chmod(p, want)
            changed += 1
    return changed
