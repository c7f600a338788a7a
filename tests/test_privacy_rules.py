"""Identity numbers in every common notation, names that are saved, and client aliases
that must stay one client (issue 13: F7, F8, F17; issue 14 #7).

Hypothesis runs derandomized and without an example database, as in test_properties.py.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from helpers import check_digit, lines, no_traceback, saved_session, sf, sf_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfcoach import housekeeping, privacy
from sfcoach.errors import UserError
from sfcoach.models import Feedback
from sfcoach.practice import masked_names
from sfcoach.privacy import IdMatch, find_ids, mask_ids, mask_text
from sfcoach.store import Store, alias_key, validate_alias

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
TODAY = date(2025, 6, 15)
PN, SN = "personnummer", "samordningsnummer"
ASCII_DIGITS = "0123456789"

# Every separator the detector knows, as written (pasted from Word, typed on a phone...).
SPACES = [" ", "\u00a0", "\u202f", "\u2007", "\u2009", "\u3000"]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58"]
DASHES += ["\ufe63", "\uff0d"]
PLUSES = ["+", "\uff0b", "\ufe62"]
OTHERS = [".", "_", "\uff0e", "\uff3f", "\ufe52"]
# Digit forms NFKC turns into ASCII: full-width, five mathematical styles, segmented.
DIGIT_BASES = [0x30, 0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1FBF0]


def is_digit(ch: str) -> bool:
    return unicodedata.normalize("NFKC", ch) in ASCII_DIGITS and len(ch) == 1


def masked_form(number: str) -> str:
    return "".join("X" if is_digit(c) else c for c in number)


# --- F8: the notations the review found unmasked -------------------------------------------

REVIEWED = [
    "811228 9874",
    "811228 - 9874",
    "19811228 9874",
    "811228\u20139874",  # en dash
    "811228\u20109874",  # U+2010 hyphen
    "811228\u22129874",  # minus sign
    "811228\u00a09874",  # no-break space
    "８１１２２８-９８７４",  # full-width digits
    "811228.9874",
    "19811228_9874",
    "８１１２２８９８７４",
]


@pytest.mark.parametrize("number", REVIEWED)
def test_each_reviewed_notation_is_found_masked_and_refused_as_alias(number):
    text = f"Hon sa: {number}, sedan inget mer."
    assert find_ids(text, TODAY) == [IdMatch(8, 8 + len(number), PN)]
    masked, n = mask_ids(text, TODAY)
    assert n == 1 and masked == f"Hon sa: {masked_form(number)}, sedan inget mer."
    assert not any(is_digit(c) for c in masked)
    assert mask_text(text, TODAY) == masked
    with pytest.raises(UserError) as e:
        validate_alias(number)
    assert e.value.key == "alias.id-number"


def test_separators_keep_their_written_form_when_masked():
    assert mask_text("a 811228 \u2013 9874 b", TODAY) == "a XXXXXX \u2013 XXXX b"
    assert mask_text("811228\u00a09874", TODAY) == "XXXXXX\u00a0XXXX"
    assert mask_text("８１１２２８＋９８７４", TODAY) == "XXXXXX＋XXXX"  # 1881: turned 100


@pytest.mark.parametrize(
    "text",
    [
        "811228  9874",  # two spaces: two numbers, not one
        "811228--9874",
        "811228/9874",
        "811228 -- 9874",
        "811228\t9874",
        "811228\n9874",
        "٨١١٢٢٨-٩٨٧٤",  # Arabic-Indic digits: NFKC leaves them, so do we
    ],
)
def test_other_gaps_are_not_separators(text):
    assert find_ids(text, TODAY) == []


# --- the numbering rules ----------------------------------------------------------------------


def numbered(first: str) -> str:
    """The number `first` begins, completed with its right check digit."""
    digits = "".join(c for c in first if c.isdigit())
    return first + check_digit(digits[-9:])


@pytest.mark.parametrize(
    ("first", "kind"),
    [
        ("121260-121", SN),  # day unknown: 00 + 60
        ("120060-121", SN),  # month and day unknown
        ("120061-121", SN),  # month unknown, day 1
        ("20120060-121", SN),
        ("120091-121", SN),  # month unknown, day 31
        ("120092-121", None),  # day 32 even with the month unknown
        ("121312-121", None),  # month 13
        ("120012-121", None),  # a personnummer never leaves the month unknown
        ("121200-121", None),  # nor the day
        ("121212-000", None),  # birth number 000: none is ever given
        ("121272-000", None),
        ("19121212-000", None),
        ("121212-001", PN),  # 001 is the first
        ("121212-999", PN),  # 999 the last
    ],
)
def test_numbering_rules(first, kind):
    assert [m.kind for m in find_ids(numbered(first), TODAY)] == ([kind] if kind else [])


def test_unknown_month_or_day_is_judged_at_its_earliest_for_the_future():
    # A coordination number from this year with the month unknown is not "in the future".
    assert [m.kind for m in find_ids(numbered("250060-123"), TODAY)] == [SN]  # 2025
    assert [m.kind for m in find_ids(numbered("20250760-123"), TODAY)] == []  # July: not yet
    assert [m.kind for m in find_ids(numbered("20250660-123"), TODAY)] == [SN]  # June 2025


def test_the_fold_table_is_what_nfkc_says():
    """Each folded character becomes what NFKC makes of it (dashes: '-')."""
    for cp, ascii_form in privacy._FOLD.items():
        ch = chr(cp)
        if ch in privacy._DASHES:
            assert ascii_form == "-"
        else:
            assert unicodedata.normalize("NFKC", ch) == ascii_form, hex(cp)
    for sep in SPACES + DASHES + PLUSES + OTHERS:
        assert privacy._folded(sep) in " -+._"


# --- properties: every separator and every digit form --------------------------------------


def written(digits: str, base: int | None, mixed: list[int]) -> str:
    """The ASCII digits in one form, or each in its own form (`mixed`)."""
    out = []
    for i, d in enumerate(digits):
        b = base if base is not None else DIGIT_BASES[mixed[i % len(mixed)]]
        out.append(chr(b + int(d)))
    return "".join(out)


def separators(signs: list[str], bare: bool = True):
    spaced = st.builds(
        lambda a, s, b: a + s + b,
        st.sampled_from(["", *SPACES]),
        st.sampled_from(signs),
        st.sampled_from(["", *SPACES]),
    )
    return st.one_of(st.sampled_from(["", *SPACES, *OTHERS]), spaced) if bare else spaced


@st.composite
def numbers(draw, serials=st.integers(1, 999)):
    """(today, number as written, kind, the nine digits before the check digit, where
    they sit) for a number built from a date and serial with the textbook Luhn."""
    today = draw(st.dates(date(1950, 1, 1), date(2099, 12, 31)))
    twelve = draw(st.booleans())
    earliest = date(1800, 1, 1) if twelve else date(max(1800, today.year - 199), 1, 1)
    born = draw(st.dates(earliest, today))
    coordination = draw(st.booleans())
    month, day = born.month, born.day
    if coordination and draw(st.booleans()):
        day = 0  # unknown: written 60
        month = 0 if draw(st.booleans()) else month
    first = (born.year, month or 1, day or 1)  # the earliest the written date can mean
    written_day = day + (60 if coordination else 0)
    serial = f"{draw(serials):03d}"
    nine = f"{born.year % 100:02d}{month:02d}{written_day:02d}{serial}"
    ten = nine + check_digit(nine)
    if twelve:
        sep = draw(separators(DASHES + PLUSES))
        digits_before = f"{born.year // 100}{ten[:6]}"
    else:
        centenarian = (first[0] + 100, *first[1:]) <= (today.year, today.month, today.day)
        sep = draw(separators(PLUSES, bare=False) if centenarian else separators(DASHES))
        digits_before = ten[:6]
    base = draw(st.one_of(st.none(), st.sampled_from(DIGIT_BASES)))
    mixed = draw(st.lists(st.integers(0, len(DIGIT_BASES) - 1), min_size=1, max_size=4))
    number = written(digits_before, base, mixed) + sep + written(ten[6:], base, mixed)
    return today, number, SN if coordination else PN


no_digit_at_end = st.text().filter(lambda s: not s or not is_digit(s[-1]))
no_digit_at_start = st.text().filter(lambda s: not s or not is_digit(s[0]))


@settings(max_examples=600, **SETTINGS)
@given(numbers(), no_digit_at_end, no_digit_at_start)
def test_a_valid_number_in_any_notation_is_found_and_masked(case, prefix, suffix):
    today, number, kind = case
    text = prefix + number + suffix
    start, end = len(prefix), len(prefix) + len(number)
    assert IdMatch(start, end, kind) in find_ids(text, today)
    masked, n = mask_ids(text, today)
    assert n >= 1 and len(masked) == len(text)
    assert masked[start:end] == masked_form(number)
    assert mask_ids(masked, today) == (masked, 0)


def with_check_digit_changed(number: str, delta: int) -> str:
    last = number[-1]
    base = ord(last) - int(unicodedata.normalize("NFKC", last))
    return number[:-1] + chr(base + (int(unicodedata.normalize("NFKC", last)) + delta) % 10)


@settings(max_examples=600, **SETTINGS)
@given(numbers(), st.integers(1, 9), no_digit_at_end, no_digit_at_start)
def test_a_checksum_invalid_number_is_never_found(case, delta, prefix, suffix):
    today, number, _ = case
    wrong = with_check_digit_changed(number, delta)
    assert find_ids(wrong, today) == []
    assert mask_ids(wrong, today) == (wrong, 0)
    start, end = len(prefix), len(prefix) + len(wrong)
    found = find_ids(prefix + wrong + suffix, today)
    assert all(m.end <= start or m.start >= end for m in found)


@settings(max_examples=300, **SETTINGS)
@given(numbers(serials=st.just(0)))
def test_birth_number_000_is_never_found(case):
    today, number, _ = case
    assert find_ids(number, today) == []


# --- F17: aliases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("CON", "alias.reserved"),
        ("nul", "alias.reserved"),
        ("Aux.txt", "alias.reserved"),
        ("PRN.k1.x", "alias.reserved"),
        ("com1", "alias.reserved"),
        ("LPT9", "alias.reserved"),
        ("ＣＯＮ", "alias.reserved"),  # full-width: CON after NFKC
        ("COM¹", "alias.reserved"),  # Windows reserves the superscript forms too
        ("K1.", "alias.trailing-dot"),
        ("K1..", "alias.bad"),
        ("K1 ", None),  # spaces around are trimmed, not kept
        ("K1 2", "alias.bad"),
        ("KАТЯ", "alias.mixed-scripts"),  # Latin K, Cyrillic АТЯ
        ("Аnna", "alias.mixed-scripts"),  # Cyrillic А
        ("K1_811228-9874", "alias.id-number"),
        ("K1-19811228_9874", "alias.id-number"),
    ],
)
def test_refused_aliases(alias, key):
    if key is None:
        assert validate_alias(alias) == alias.strip()
        return
    with pytest.raises(UserError) as e:
        validate_alias(alias)
    assert e.value.key == key


@pytest.mark.parametrize(
    ("alias", "stored"),
    [
        ("K1", "K1"),
        ("Ｋ1", "K1"),
        ("K１", "K1"),
        ("Åsa-2", "Åsa-2"),
        ("Катя", "Катя"),  # one script, even if not Latin
        ("山田さん", "山田さん"),  # Han and Hiragana are written together
        ("COM10", "COM10"),
        ("CONSOLE", "CONSOLE"),
        ("k1.2", "k1.2"),
    ],
)
def test_accepted_aliases_are_stored_nfkc(alias, stored):
    assert validate_alias(alias) == stored


def test_look_alike_aliases_share_one_key():
    keys = {alias_key(a) for a in ("K1", "k1", "К1", "Ｋ1", "K１", "κ1")}
    assert keys == {"k1"}
    assert alias_key("K2") != alias_key("K1")


def test_a_client_folder_is_found_whatever_the_case_width_or_script(store_dir):
    store = Store(store_dir)
    saved_session(store, "K1", "2026-01-05T10:00")
    for typed in ("K1", "k1", "К1", "Ｋ1", " k1 "):
        assert store.client_alias(typed) == "K1"
        assert store.client_alias(typed, new=True) == "K1"
    assert store.client_alias("K2") == "K2"
    assert [s.client for s in store.client_sessions("k1")[0]] == ["K1"]


def test_folders_named_under_the_old_rules_stay_readable(store_dir):
    store = Store(store_dir)
    for old in ("CON", "Ｋ7", "811228.9874"):
        saved_session(store, old, "2026-01-05T10:00")  # as the old rules let them be made
        assert store.client_alias(old) == old
    assert store.client_alias("K7") == "Ｋ7"  # folded the same: the old folder
    with pytest.raises(UserError) as e:
        store.client_alias("811228.9874", new=True)  # never a new session into it
    assert e.value.key == "alias.id-number"


# --- F7 and issue 14 #7: names and the date --------------------------------------------------

START = ["start", "--meeting", "check-in", "--lang", "en", "--plain"]


def only_session(store_dir):
    (path,) = store_dir.rglob("*.yaml")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "practitioner",
    ["19121212-1212", "Anna 811228-9874", "Anna 811228 9874", "Anna ８１１２２８–９８７４"],
)
def test_the_practitioner_is_saved_masked(store_dir, practitioner):
    proc = sf(*START, "--client", "K1", "--practitioner", practitioner, input=lines("a", "/pause"))
    assert proc.returncode == 0, proc.stderr
    saved = only_session(store_dir)
    assert f"practitioner: {masked_form(practitioner)}" in saved
    assert "9874" not in saved and "1212-1212" not in saved


def test_the_practitioner_from_the_environment_and_the_prompt_is_masked(store_dir):
    sf(*START, "--client", "K1", input=lines("/pause"), env={"SFCOACH_PRACTITIONER": "811228-9874"})
    proc = sf(*START, "--client", "K2", input=lines("Bo 811228 9874", "/pause"))
    assert proc.returncode == 0, proc.stderr
    assert "9874" not in proc.stdout  # the echo of the prompt is masked too
    assert "Practitioner (may be left empty): Bo XXXXXX XXXX" in proc.stdout
    for path in store_dir.rglob("*.yaml"):
        assert "9874" not in path.read_text(encoding="utf-8")


def test_ids_keep_keeps_the_practitioner_and_scan_finds_it(store_dir):
    args = ("--client", "K1", "--practitioner", "19121212-1212", "--ids", "keep")
    assert sf(*START, *args, input=lines("a", "/pause")).returncode == 0
    assert "practitioner: 19121212-1212" in only_session(store_dir)
    proc = sf("scan")
    assert proc.returncode == 1 and "(practitioner)" in proc.stdout
    assert "1212-1212" not in proc.stdout
    assert sf("scan", "--fix").returncode == 0
    assert "practitioner: XXXXXXXX-XXXX" in only_session(store_dir)
    assert sf("scan").returncode == 0


def test_scan_checks_and_fixes_the_names_of_a_practice(store_dir):
    proc = sf(
        "practice", "--pair", "Anna 811228-9874,Bo", "--plain", "--ids", "keep", "--lang", "en",
        input=lines("/pause"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (path,) = store_dir.rglob("*.yaml")
    store = Store(store_dir)
    session = store.load(path)
    assert session.practice_data is not None
    session.practice_data.feedback = [Feedback(by="Anna 811228-9874", kind="well", text="t")]
    store.save(session)
    report = housekeeping.scan(store, fix=True)
    (finding,) = report.findings
    assert finding.fields == [
        "practitioner",
        "practice_data.names[0]",
        "practice_data.roles.coach",
        "practice_data.feedback[0].by",
    ]
    assert "9874" not in path.read_text(encoding="utf-8")
    assert not housekeeping.scan(store, fix=False).findings


def test_practice_names_are_masked_unless_kept(store_dir):
    proc = sf("practice", "--plain", "--lang", "en", input=lines("811228 9874,Bo", "/pause"))
    assert proc.returncode == 0, proc.stderr
    assert "9874" not in proc.stdout and "9874" not in only_session(store_dir)
    assert "XXXXXX XXXX" in only_session(store_dir)


def test_names_that_mask_alike_are_refused():
    assert masked_names(["Anna", "811228-9874"]) == ["Anna", "XXXXXX-XXXX"]
    with pytest.raises(UserError) as e:
        masked_names(["811228-9874", "121212-1212"])
    assert e.value.key == "practice.duplicate-names"


@pytest.mark.parametrize("value", ["811228-9874", "19811228 9874"])
def test_a_number_given_as_date_is_not_repeated(value):
    proc = sf(*START, "--client", "K1", "--practitioner", "A", "--date", value)
    assert proc.returncode == 2 and "9874" not in proc.stderr and no_traceback(proc)
    assert "is not a date" in proc.stderr


# --- F17 through the commands --------------------------------------------------------------


def test_look_alikes_are_one_client_in_every_command(store_dir):
    for typed in ("K1", "k1", "К1", "Ｋ1"):
        proc = sf(
            *START, "--client", typed, "--practitioner", "A", "--new", input=lines("a", "/pause")
        )
        assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in store_dir.iterdir() if not p.name.startswith((".", "_"))) == [
        "K1"
    ]
    rows = sf_json("sessions", "list", "--client", "к1")
    assert len(rows) == 4 and {r["client"] for r in rows} == {"K1"}
    assert sf("history", "ｋ1").returncode == 0
    assert sf("export", "--client", "k1", "--format", "json").returncode == 0
    proc = sf("purge", "--client", "К1", "--yes")
    assert proc.returncode == 0 and "Deleted 4 sessions." in proc.stdout
    assert not (store_dir / "K1").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["history", "811228 9874"],
        ["history", "811228\u20139874"],
        ["history", "K1_811228.9874"],
        ["purge", "--client", "８１１２２８-９８７４"],
        ["sessions", "list", "--client", "19811228_9874"],
        [*START, "--client", "811228 - 9874", "--practitioner", "A"],
    ],
)
def test_an_alias_holding_a_number_is_refused_without_repeating_it(args):
    proc = sf(*args, input="")
    assert proc.returncode == 1 and no_traceback(proc)
    assert "must not be a personal identity number" in proc.stderr
    assert "9874" not in proc.stderr and "９８７４" not in proc.stderr


def test_a_reserved_alias_is_refused_for_a_new_client(store_dir):
    proc = sf(*START, "--client", "nul", "--practitioner", "A", input=lines("/pause"))
    assert proc.returncode == 1 and "Windows reserves" in proc.stderr
    assert not store_dir.exists() or not list(store_dir.rglob("*.yaml"))
