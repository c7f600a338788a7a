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

# Numbers are also written with a space, a spaced dash, '.' or '_', pasted with
# typographic dashes or a no-break space, or typed in full-width digits. Those
# characters are folded one for one (so positions stay the same) to the ASCII
# NFKC gives them, dashes to '-', before the search. Only the listed ranges are
# folded: Arabic-Indic and other scripts' digits stay neither digit nor wall.
_FOLD_RANGES = (
    (0xFF10, 0xFF19),  # full-width digits
    (0x1D7CE, 0x1D7FF),  # mathematical bold, double-struck, sans-serif, monospace digits
    (0x1FBF0, 0x1FBF9),  # segmented digits
    (0x00A0, 0x00A0),  # no-break space
    (0x2000, 0x200A),  # en quad ... hair space
    (0x202F, 0x202F),  # narrow no-break space
    (0x205F, 0x205F),  # medium mathematical space
    (0x3000, 0x3000),  # ideographic space
    (0xFE62, 0xFE63),  # small plus, small hyphen-minus
    (0xFF0B, 0xFF0B),  # full-width plus
    (0xFF0D, 0xFF0E),  # full-width hyphen-minus, full stop
    (0xFF3F, 0xFF3F),  # full-width low line
    (0xFE52, 0xFE52),  # small full stop
)
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58"  # hyphen ... minus sign
_ASCII_DIGITS = "0123456789"
_ASCII_FORMS = _ASCII_DIGITS + " -+._"


def _fold_table() -> dict[int, str]:
    import unicodedata

    table = {ord(d): "-" for d in _DASHES}
    for first, last in _FOLD_RANGES:
        for cp in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and folded in _ASCII_FORMS:
                table[cp] = folded
    return table


_FOLD = _fold_table()


def _runs(points: list[int]) -> str:
    """A character class of runs (a-b): re tests ranges far faster than single characters."""
    out, first = [], points[0]
    for prev, cp in zip(points, [*points[1:], -1], strict=True):
        if cp != prev + 1:
            out.append(re.escape(chr(first)) + ("-" + re.escape(chr(prev)) if prev > first else ""))
            first = cp
    return "[" + "".join(out) + "]"


_EXOTIC = re.compile(_runs(sorted(_FOLD)))

# One pass over the (folded) text finds candidates: optional century, YYMMDD,
# optional separator, NNNC. Starting on a plain digit (and looking back for
# another) instead of a lookbehind lets re skip quickly to the next digit: ~10x
# faster. The digit lookarounds keep phone and account numbers from being split
# into a false match. Checksum and date are judged in Python, on the few
# candidates there are.
_CANDIDATE = re.compile(
    r"[0-9](?<![0-9]{2})[0-9]{5}(?:[0-9]{2})?(?: ?[-+] ?|[ ._])?[0-9]{4}(?![0-9])"
)
_DIGITS_ONLY = str.maketrans("", "", " -+._")
_TO_X = str.maketrans(_ASCII_DIGITS, "X" * 10)
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
    digits = candidate.translate(_DIGITS_ONLY)
    century, ten = digits[:-10], digits[-10:]
    # The birth number (three digits before the check digit) runs 001-999.
    if ten[6:9] == "000" or not _luhn_ok(ten):
        return None
    yy, month, day = int(ten[:2]), int(ten[2:4]), int(ten[4:6])
    kind = "personnummer"
    if day >= 60:
        kind, day = "samordningsnummer", day - 60
    elif month == 0 or day == 0:
        return None  # only a coordination number may leave month or day unknown (00)
    # An unknown month or day (00) counts as its earliest for "not in the future".
    now, born = (today.year, today.month, today.day), (month or 1, day or 1)
    if century:
        if century not in _CENTURIES:
            return None
        year = int(century) * 100 + yy
    else:
        # Compare tuples, not dates: the date may not exist in the first guess
        # (29 Feb), and its validity must be judged in the year finally chosen.
        year = today.year // 100 * 100 + yy
        if (year, *born) > now:
            year -= 100
        if "+" in candidate:  # the separator says the person has turned 100
            year -= 100
    if (year, *born) > now or not _plausible(year, month, day):
        return None
    return kind


def _plausible(year: int, month: int, day: int) -> bool:
    """A real date; 00 (unknown, coordination numbers only) passes for month or day."""
    if month > 12 or day > 31:
        return False
    if month == 0 or day == 0:
        return True
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _folded(text: str) -> str:
    """The text with look-alike digits, dashes and spaces as ASCII, same length."""
    if text.isascii() or not _EXOTIC.search(text):
        return text
    return text.translate(_FOLD)


def find_ids(text: str, today: date | None = None) -> list[IdMatch]:
    """Checksum-valid personnummer and samordningsnummer with a plausible date."""
    return _find(_folded(text), today or date.today())


def _find(folded: str, today: date) -> list[IdMatch]:
    found = []
    for m in _CANDIDATE.finditer(folded):
        kind = _kind(m.group(), today)
        if kind and not _in_session_id(folded, m.start(), m.end()):
            found.append(IdMatch(m.start(), m.end(), kind))
    return found


# A session id, YYYYMMDD-HHMMSS-mmmrr (store.new_session_id): its time and milliseconds
# can pass for a number (080404-0913 in 20261130-080404-0913f), but it names a session.
_SESSION_ID = re.compile(r"(?<![0-9])[0-9]{8}-[0-9]{6}-[0-9]{3}[0-9a-f]{2}(?![0-9a-z])")


def _in_session_id(folded: str, start: int, end: int) -> bool:
    around = folded[max(0, start - 9) : end + 6]
    offset = max(0, start - 9)
    return any(
        m.start() + offset <= start and end <= m.end() + offset
        for m in _SESSION_ID.finditer(around)
    )


def mask_ids(text: str, today: date | None = None) -> tuple[str, int]:
    """Replace each digit of every found number with X, keeping the separator as written."""
    folded = _folded(text)
    matches = _find(folded, today or date.today())
    if not matches:
        return text, 0
    parts, pos = [], 0
    for m in matches:
        parts.append(text[pos : m.start])
        written = text[m.start : m.end]
        if written.isascii():
            parts.append(written.translate(_TO_X))
        else:
            pairs = zip(folded[m.start : m.end], written, strict=True)
            parts += ["X" if f in _ASCII_DIGITS else c for f, c in pairs]
        pos = m.end
    parts.append(text[pos:])
    return "".join(parts), len(matches)


def mask_text(text: str, today: date | None = None) -> str:
    """The text with every identity number masked: for names, labels and messages."""
    return mask_ids(text, today)[0]


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
