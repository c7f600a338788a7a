"""Tests for sfcoach.privacy: identity numbers in free text, owner-only store."""

from __future__ import annotations

import itertools
import os
import re
import stat
from datetime import date
from pathlib import Path

import pytest
from helpers import check_digit
from hypothesis import given, settings
from hypothesis import strategies as st

from sfcoach.privacy import (
    DIR_MODE,
    FILE_MODE,
    IdMatch,
    exposed,
    find_ids,
    fix_permissions,
    make_private_dir,
    mask_ids,
    mask_text,
)

TODAY = date(2025, 6, 15)
PN, SN = "personnummer", "samordningsnummer"


def kinds(text: str, today: date = TODAY) -> list[str]:
    return [m.kind for m in find_ids(text, today)]


def test_check_digit_helper_agrees_with_published_numbers():
    assert check_digit("121212121") == "2"  # Skatteverket's 121212-1212
    assert check_digit("811218987") == "6"  # 811218-9876


# --- valid and invalid vectors -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("121212-1212", PN),  # 2012-12-12
        ("121212+1212", PN),  # 1912-12-12, turned 100
        ("1212121212", PN),
        ("19121212-1212", PN),
        ("191212121212", PN),
        ("19121212+1212", PN),
        ("20121212-1212", PN),
        ("811218-9876", PN),
        ("8112189876", PN),
        ("19811218-9876", PN),
        ("750512-3450", PN),
        ("18121212-1212", PN),  # 12-digit form names the century: 18xx accepted
        ("121272-1219", SN),  # 12 Dec + 60
        ("1212721219", SN),
        ("19121272-1219", SN),
        ("121272+1219", SN),
        ("000289-1232", SN),  # 29 Feb 2000 + 60
        ("121260-1213", SN),  # coordination number, day unknown (00 + 60)
        ("121212 1212", PN),  # a space is a separator too
        ("000229-1235", PN),  # 29 Feb 2000: a leap year
        ("20000229-1235", PN),
        ("280229-1233", PN),  # 2028 is future, so 1928: a leap year
        ("991231-1231", PN),  # 1999, not 2099
        ("20250615-1238", PN),  # born today
        ("250615-1238", PN),  # born today (2025)
        ("250615+1238", PN),  # turned 100 today (1925)
        ("250616-1237", PN),  # 1925-06-16: 99 years old, still `-`
    ],
)
def test_valid_numbers_are_found(text, kind):
    assert find_ids(text, TODAY) == [IdMatch(0, len(text), kind)]


@pytest.mark.parametrize(
    "text",
    [
        "121212-1213",  # wrong check digit
        "811218-9875",
        "1212121213",
        "19121212-1213",
        "191212121213",
        "121272-1218",  # coordination number, wrong check digit
        "990231-1233",  # 31 Feb
        "121312-1211",  # month 13
        "120012-1216",  # month 0
        "120100-1219",  # day 0
        "121292-1215",  # coordination day 92 is day 32
        "000229+1235",  # 29 Feb 1900: not a leap year
        "19000229-1235",
        "000289+1232",  # coordination number on 29 Feb 1900
        "290229-1232",  # 2029 is future, 1929 is no leap year
        "20991231-1231",  # future in 12-digit form
        "20250616-1237",  # tomorrow
        "17121212-1212",  # century outside 18xx-20xx
        "21121212-1212",
        "46121212-1212",  # a valid 10-digit tail must not be cut from it
        "121212--1212",
        "121212/1212",
    ],
)
def test_invalid_numbers_are_left_alone(text):
    assert find_ids(text, TODAY) == []
    assert mask_ids(text, TODAY) == (text, 0)


def test_day_validity_follows_the_inferred_year_not_the_written_one():
    # 29 Feb: valid in 2000 (`-`, under 100) but not in 1900 (`+`, 100 or older).
    assert kinds("000229-1235") == [PN]
    assert kinds("000229+1235") == []
    # The same digits read in a different "today" give another century.
    assert kinds("280229-1233", date(2030, 1, 1)) == [PN]  # 2028
    assert kinds("290229-1232", date(2030, 1, 1)) == []  # 2029 is no leap year


def test_today_decides_what_is_future():
    assert kinds("20250616-1237", date(2025, 6, 15)) == []
    assert kinds("20250616-1237", date(2025, 6, 16)) == [PN]


def test_default_today_is_the_real_date():
    assert kinds("811218-9876", None) == [PN]
    assert find_ids("20991231-1231") == []


@pytest.mark.parametrize(
    "text",
    [
        "0121212121212",  # 13 digits
        "1212121212123",
        "01212121212",  # 11 digits
        "5121212-1212",
        "121212-12123",
        "0046121212121212",  # phone-like
        "SE4550000000058398257466",  # account number
        "1811218-9876",
        "811218-98761",
    ],
)
def test_numbers_inside_longer_digit_runs_are_not_split(text):
    assert find_ids(text, TODAY) == []


def test_letters_and_punctuation_are_boundaries():
    assert find_ids("pnr:811218-9876.", TODAY) == [IdMatch(4, 15, PN)]
    assert find_ids("a1212121212b", TODAY) == [IdMatch(1, 11, PN)]
    assert find_ids("(19121212-1212)", TODAY) == [IdMatch(1, 14, PN)]


def test_other_scripts_digits_are_not_digits_here():
    # Arabic-Indic digits are neither part of a number nor a wall (full-width ones
    # are folded to ASCII: tests/test_privacy_rules.py).
    assert find_ids("٣811218-9876", TODAY) == [IdMatch(1, 12, PN)]


# --- in running text, masking --------------------------------------------------------


def test_swedish_sentence_with_emoji():
    text = "Åsa (född 811218-9876) bor på Ängsvägen 😊 och har samordningsnummer 121272-1219 🙂."
    found = find_ids(text, TODAY)
    assert [(text[m.start : m.end], m.kind) for m in found] == [
        ("811218-9876", PN),
        ("121272-1219", SN),
    ]
    assert mask_ids(text, TODAY) == (
        "Åsa (född XXXXXX-XXXX) bor på Ängsvägen 😊 och har samordningsnummer XXXXXX-XXXX 🙂.",
        2,
    )


def test_several_numbers_and_decoys_in_one_text():
    text = (
        "Mamma 19121212-1212, pappa 121212+1212, barnet 1212121212; "
        "fel 121212-1213, tel 070-1234567, datum 2024-05-03, skala 7 av 10; "
        "äldre 191212121212 👍 slut"
    )
    masked, n = mask_ids(text, TODAY)
    assert n == 4
    assert masked == (
        "Mamma XXXXXXXX-XXXX, pappa XXXXXX+XXXX, barnet XXXXXXXXXX; "
        "fel 121212-1213, tel 070-1234567, datum 2024-05-03, skala 7 av 10; "
        "äldre XXXXXXXXXXXX 👍 slut"
    )


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("19121212-1212", "XXXXXXXX-XXXX"),
        ("121212+1212", "XXXXXX+XXXX"),
        ("1212121212", "XXXXXXXXXX"),
        ("191212121212", "XXXXXXXXXXXX"),
        ("19121212+1212", "XXXXXXXX+XXXX"),
        ("x811218-9876y", "xXXXXXX-XXXXy"),
    ],
)
def test_mask_exact_output(text, masked):
    assert mask_ids(text, TODAY) == (masked, 1)
    assert mask_ids(masked, TODAY) == (masked, 0)


def test_mask_without_numbers_returns_text_unchanged():
    assert mask_ids("Inga nummer här, bara 12 och 2024-05-03.", TODAY) == (
        "Inga nummer här, bara 12 och 2024-05-03.",
        0,
    )
    assert mask_ids("", TODAY) == ("", 0)


def test_100_kb_answer_is_masked_completely():
    # Speed is measured in bench/, not asserted here.
    filler = "Klienten berättade om veckan 😊, skala 6 av 10, möte 2024-05-03 kl 14.30. "
    ids = ["811218-9876", "19121212-1212", "121272-1219", "1212121212"]
    chunks = []
    for number in itertools.cycle(ids):
        if sum(map(len, chunks)) >= 100_000:
            break
        chunks.append(filler)
        chunks.append(number + " ")
    text = "".join(chunks)
    planted = text.count("811218-9876") + text.count("1212-1212")
    planted += text.count("121272-1219") + text.count(" 1212121212 ")
    masked, n = mask_ids(text, TODAY)
    assert len(text) >= 100_000
    assert n == planted > 100
    assert len(masked) == len(text)
    assert not find_ids(masked, TODAY)


# --- properties -------------------------------------------------------------------

ASCII_DIGITS = "0123456789"
not_ending_in_digit = st.text().filter(lambda s: not s or s[-1] not in ASCII_DIGITS)
not_starting_with_digit = st.text().filter(lambda s: not s or s[0] not in ASCII_DIGITS)


@st.composite
def valid_ids(draw, today_strategy=None):
    """(today, number as written, kind), built from a date and serial with our Luhn."""
    if today_strategy is None:
        today_strategy = st.dates(date(1950, 1, 1), date(2099, 12, 31))
    today = draw(today_strategy)
    twelve = draw(st.booleans())
    # A 10-digit form reaches back 200 years at most; 12 digits start at 1800.
    earliest = date(1800, 1, 1) if twelve else date(max(1800, today.year - 199), 1, 1)
    born = draw(st.dates(earliest, today))
    coordination = draw(st.booleans())
    serial = f"{draw(st.integers(1, 999)):03d}"  # the birth number is never 000
    day = born.day + (60 if coordination else 0)
    nine = f"{born.year % 100:02d}{born.month:02d}{day:02d}{serial}"
    check = check_digit(nine)
    if twelve:
        sep = draw(st.sampled_from(["-", "", "+"]))
        number = f"{born.year // 100}{nine[:6]}{sep}{serial}{check}"
    else:
        centenarian = (born.year + 100, born.month, born.day) <= (
            today.year,
            today.month,
            today.day,
        )
        sep = "+" if centenarian else draw(st.sampled_from(["-", ""]))
        number = f"{nine[:6]}{sep}{serial}{check}"
    return today, number, SN if coordination else PN


@settings(max_examples=300)
@given(valid_ids(), not_ending_in_digit, not_starting_with_digit)
def test_any_valid_number_in_any_text_is_found_and_masked(case, prefix, suffix):
    today, number, kind = case
    text = prefix + number + suffix
    start, end = len(prefix), len(prefix) + len(number)
    assert IdMatch(start, end, kind) in find_ids(text, today)
    masked, n = mask_ids(text, today)
    assert n >= 1
    assert masked[start:end] == re.sub("[0-9]", "X", number)
    assert not re.search("[0-9]", masked[start:end])
    assert mask_ids(masked, today) == (masked, 0)


texts_with_numbers = st.lists(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789-+ X"),
        valid_ids(st.just(TODAY)).map(lambda case: case[1]),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=300)
@given(texts_with_numbers)
def test_masking_keeps_length_and_everything_outside_matches(text):
    found = find_ids(text, TODAY)
    masked, n = mask_ids(text, TODAY)
    assert n == len(found)
    assert len(masked) == len(text)
    inside = set()
    for m in found:
        inside.update(range(m.start, m.end))
    for i, (before, after) in enumerate(zip(text, masked, strict=True)):
        if i in inside and before in ASCII_DIGITS:
            assert after == "X"
        else:
            assert after == before
    assert mask_ids(masked, TODAY) == (masked, 0)


@settings(max_examples=300)
@given(valid_ids(), st.integers(1, 9), not_ending_in_digit, not_starting_with_digit)
def test_a_changed_check_digit_is_not_found(case, delta, prefix, suffix):
    today, number, _ = case
    wrong = number[:-1] + str((int(number[-1]) + delta) % 10)
    assert find_ids(wrong, today) == []
    text = prefix + wrong + suffix
    start = len(prefix)
    assert all(m.end <= start or m.start >= start + len(wrong) for m in find_ids(text, today))


# --- owner-only store ----------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture(params=[0o022, 0o077, 0o277, 0o000])
def umask(request):
    # 0o277 would leave mkdir's folders unwritable (0500) without the chmod.
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_make_private_dir_creates_every_folder_0700(tmp_path, umask):
    outside = tmp_path / "home"
    outside.mkdir()
    os.chmod(outside, 0o755)
    target = outside / "a" / "b" / "c"
    make_private_dir(target)
    assert target.is_dir()
    for p in (outside / "a", outside / "a" / "b", target):
        assert mode(p) == DIR_MODE
    assert mode(outside) == 0o755  # existing parents are not ours to change


def test_make_private_dir_leaves_an_existing_folder_alone(tmp_path):
    existing = tmp_path / "store"
    existing.mkdir()
    os.chmod(existing, 0o750)
    make_private_dir(existing)
    assert mode(existing) == 0o750
    make_private_dir(existing / "new")
    assert mode(existing / "new") == DIR_MODE


def test_make_private_dir_accepts_a_str_and_refuses_a_file(tmp_path):
    make_private_dir(str(tmp_path / "s"))
    assert mode(tmp_path / "s") == DIR_MODE
    (tmp_path / "f").write_text("x")
    with pytest.raises(OSError):
        make_private_dir(tmp_path / "f")
    with pytest.raises(OSError):
        make_private_dir(tmp_path / "f" / "sub")


@pytest.fixture
def store(tmp_path):
    """A store with one leaky file and folder, and links to leaky things outside it."""
    root = tmp_path / "store"
    root.mkdir(mode=0o700)
    os.chmod(root, 0o700)
    (root / "ok.yaml").write_text("x")
    os.chmod(root / "ok.yaml", 0o600)
    (root / "leaky.yaml").write_text("x")
    os.chmod(root / "leaky.yaml", 0o644)
    (root / "open").mkdir()
    os.chmod(root / "open", 0o755)
    (root / "open" / "inner.yaml").write_text("x")
    os.chmod(root / "open" / "inner.yaml", 0o600)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.chmod(outside, 0o755)
    (outside / "other.txt").write_text("x")
    os.chmod(outside / "other.txt", 0o644)
    (root / "link-to-file").symlink_to(outside / "other.txt")
    (root / "link-to-dir").symlink_to(outside, target_is_directory=True)
    return root, outside


def test_exposed_finds_leaky_entries_and_ignores_links(store):
    root, _ = store
    assert exposed(root) == sorted([root / "leaky.yaml", root / "open"])


def test_exposed_reports_the_store_itself(tmp_path):
    os.chmod(tmp_path, 0o755)
    assert exposed(tmp_path) == [tmp_path]
    assert exposed(tmp_path / "missing") == []


def test_fix_permissions_fixes_and_does_not_follow_links(store):
    root, outside = store
    (root / "run.sh").write_text("x")
    os.chmod(root / "run.sh", 0o700)  # owner-only, but still not 0600
    assert fix_permissions(root) == 3
    assert exposed(root) == []
    assert mode(root / "leaky.yaml") == FILE_MODE
    assert mode(root / "run.sh") == FILE_MODE
    assert mode(root / "open") == DIR_MODE
    assert mode(root / "open" / "inner.yaml") == FILE_MODE
    assert mode(outside) == 0o755
    assert mode(outside / "other.txt") == 0o644
    assert fix_permissions(root) == 0


def test_fix_permissions_enters_a_folder_it_just_opened(tmp_path):
    root = tmp_path / "store"
    make_private_dir(root / "locked")
    (root / "locked" / "s.yaml").write_text("x")
    os.chmod(root / "locked" / "s.yaml", 0o664)
    os.chmod(root / "locked", 0o000)
    os.chmod(root, 0o777)
    assert fix_permissions(root) == 3
    assert [mode(p) for p in (root, root / "locked", root / "locked" / "s.yaml")] == [
        DIR_MODE,
        DIR_MODE,
        FILE_MODE,
    ]
    assert fix_permissions(tmp_path / "missing") == 0


def test_exposed_counts_group_bits_too(tmp_path):
    os.chmod(tmp_path, 0o700)
    (tmp_path / "g.yaml").write_text("x")
    os.chmod(tmp_path / "g.yaml", 0o640)
    (tmp_path / "g").mkdir()
    os.chmod(tmp_path / "g", 0o710)
    assert exposed(tmp_path) == [tmp_path / "g", tmp_path / "g.yaml"]


def test_make_private_dir_does_not_chmod_a_folder_someone_else_made(tmp_path, monkeypatch):
    real_mkdir = os.mkdir

    def racing_mkdir(path, mode=0o777):
        real_mkdir(path, 0o755)  # another process wins the race
        os.chmod(path, 0o755)
        raise FileExistsError(path)

    monkeypatch.setattr(os, "mkdir", racing_mkdir)
    make_private_dir(tmp_path / "raced")
    assert mode(tmp_path / "raced") == 0o755


def test_a_session_id_is_never_taken_for_an_identity_number():
    # 080404-0913 passes the checksum and the date: inside an id it names a session.
    assert mask_text("20261130-080404-0913f") == "20261130-080404-0913f"
    assert (
        mask_text("sfcoach resume 20261130-080404-0913f.")
        == "sfcoach resume 20261130-080404-0913f."
    )
    ids = [
        f"20261130-{h:02d}{m:02d}{s:02d}-{ms:03d}{rr}"
        for h in range(24) for m in range(0, 60, 7) for s in range(0, 60, 11)
        for ms in range(0, 1000, 97) for rr in ("3f", "a0", "00", "9e")
    ]  # fmt: skip
    assert [i for i in ids if mask_text(i) != i] == []
    assert mask_text("20261130-080404-0913") == "20261130-XXXXXX-XXXX"  # no id: a number
