"""sfcoach.yamlio: safe YAML reading and writing.

Every loading test runs twice: with the libyaml C loader sfcoach uses when it is
installed, and with PyYAML's pure-Python loader it falls back to without it.
"""

from __future__ import annotations

import contextlib
import itertools
import signal
import unicodedata

import pytest
import yaml

from sfcoach import yamlio
from sfcoach.yamlio import (
    MAX_DEPTH,
    LMap,
    LSeq,
    YamlError,
    dump,
    load,
    load_located,
    read_text,
)

C_LOADER = yamlio._yaml().sfcoach_loader  # what sfcoach picked


@pytest.fixture(params=["c-loader", "pure-python-loader"])
def loader(request, monkeypatch):
    """Which YAML loader sfcoach.yamlio uses for this test."""
    if request.param == "c-loader":
        if not getattr(yaml, "__with_libyaml__", False):
            pytest.skip("libyaml is not installed")
        monkeypatch.setattr(yamlio._yaml(), "sfcoach_loader", C_LOADER)
    else:
        monkeypatch.setattr(yamlio._yaml(), "sfcoach_loader", yaml.SafeLoader)
    return request.param


LOADERS = [load_located, load]


@contextlib.contextmanager
def deadline(seconds: int = 5):
    """Fail instead of hanging (or eating all memory) if a refusal is not quick."""

    def too_slow(signum, frame):
        raise AssertionError(f"took more than {seconds} s: the input was expanded")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """The classic alias bomb: `levels` lists of `width` aliases to the list before."""
    names = [f"l{i}" for i in range(levels)]
    out = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * width)}]"]
    for prev, name in itertools.pairwise(names):
        out.append(f"{name}: &{name} [{', '.join(['*' + prev] * width)}]")
    return "\n".join(out) + "\n"


def test_the_c_loader_is_the_default_when_libyaml_is_installed():
    if yaml.__with_libyaml__:
        assert C_LOADER is yaml.CSafeLoader
    else:
        assert C_LOADER is yaml.SafeLoader


# --- alias bombs and recursion ------------------------------------------------------


@pytest.mark.parametrize("fn", LOADERS)
def test_billion_laughs_is_refused_without_expanding(loader, fn):
    text = billion_laughs(9, 9)  # 9**9 = 387,420,489 strings if expanded
    assert len(text) < 1000
    with deadline(5), pytest.raises(YamlError) as err:
        fn(text)
    assert err.value.key == "yaml.alias-bomb"
    assert 1 <= err.value.line <= 9


@pytest.mark.parametrize("fn", LOADERS)
def test_mapping_alias_bomb_is_refused(loader, fn):
    lines = ["a: &a {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8, r: 9}"]
    names = "abcdefghij"
    for prev, name in itertools.pairwise(names):
        items = ", ".join(f"k{i}: *{prev}" for i in range(9))
        lines.append(f"{name}: &{name} {{{items}}}")
    with deadline(5), pytest.raises(YamlError) as err:
        fn("\n".join(lines) + "\n")
    assert err.value.key == "yaml.alias-bomb"


@pytest.mark.parametrize("fn", LOADERS)
def test_a_small_alias_tree_under_the_limit_is_accepted(loader, fn):
    # 9**4 = 6,561 leaves: well under the limit, so this is not a bomb.
    data = fn(billion_laughs(5, 9))
    assert len(data["l4"]) == 9
    assert data["l4"][8][8][8][8][8] == "lol"


@pytest.mark.parametrize("fn", LOADERS)
@pytest.mark.parametrize(
    "text, line",
    [
        ("a: &x [1, *x]\n", 1),
        ("&x {a: *x}\n", 1),
        ("top: 1\nloop: &x\n  child:\n    back: *x\n", 3),
    ],
    ids=["sequence", "mapping", "nested"],
)
def test_recursive_alias_is_refused(loader, fn, text, line):
    with deadline(5), pytest.raises(YamlError) as err:
        fn(text)
    assert err.value.key == "yaml.recursive"
    assert err.value.line in (line - 1, line)  # where the loop closes or is anchored


SHARED_FOLLOWUPS = """\
questions:
  - id: one
    followups: &more
      - {sv: "Vad mer?", en: "What else?"}
      - {sv: "Vem märker det?", en: "Who notices?"}
  - id: two
    followups: *more
"""


@pytest.mark.parametrize("fn", LOADERS)
def test_a_harmless_alias_is_accepted_and_expanded(loader, fn):
    data = fn(SHARED_FOLLOWUPS)
    one, two = data["questions"]
    expected = [
        {"sv": "Vad mer?", "en": "What else?"},
        {"sv": "Vem märker det?", "en": "Who notices?"},
    ]
    assert one["followups"] == expected
    assert two["followups"] == expected


def test_load_located_gives_each_expansion_of_an_alias_its_own_copy(loader):
    data = load_located(SHARED_FOLLOWUPS)
    one, two = data["questions"]
    assert isinstance(two["followups"], LSeq)
    assert one["followups"] is not two["followups"]
    one["followups"].append("changed")
    assert len(two["followups"]) == 2


@pytest.mark.parametrize("fn", LOADERS)
def test_ampersand_and_asterisk_in_plain_text_are_just_text(loader, fn):
    text = 'title: "Q&A *with* notes"\nitems: [a & b, "*star*"]\n'
    assert fn(text) == {"title": "Q&A *with* notes", "items": ["a & b", "*star*"]}


# --- lines, keys, duplicates --------------------------------------------------------


def test_load_located_remembers_lines(loader):
    text = "a: 1\nb:\n  - x\n  -\n    c: 2\n    d: [3, 4]\n"
    data = load_located(text)
    assert isinstance(data, LMap)
    assert data.line == 1
    assert data.key_lines == {"a": 1, "b": 2}
    assert isinstance(data["b"], LSeq)
    assert data["b"].item_lines == [3, 5]
    inner = data["b"][1]
    assert inner.line == 5
    assert inner.key_lines == {"c": 5, "d": 6}
    assert data == {"a": 1, "b": ["x", {"c": 2, "d": [3, 4]}]}


def test_load_located_of_an_empty_document_is_none(loader):
    assert load_located("") is None
    assert load_located("# only a comment\n") is None
    assert load("") is None


@pytest.mark.parametrize(
    "text, line, key",
    [
        ("a: 1\nb: 2\na: 3\n", 3, "a"),
        ("outer:\n  - x: 1\n    y: 2\n    x: 3\n", 4, "x"),
    ],
    ids=["top", "nested"],
)
def test_duplicate_keys_are_flagged_with_their_line(loader, text, line, key):
    with pytest.raises(YamlError) as err:
        load_located(text)
    assert err.value.key == "yaml.duplicate-key"
    assert err.value.line == line
    assert err.value.params == {"key": key}


@pytest.mark.parametrize(
    "text, line",
    [
        ("a: 1\n1: 2\n", 2),
        ("a: 1\nb:\n  true: x\n", 3),
        ("a: 1\n~: x\n", 2),
        ("a: 1\n2.5: x\n", 2),
        ("a: 1\n2024-01-01: x\n", 2),
        ("a: 1\nb:\n  [x, y]: 1\n", 3),
        ("a: 1\n? {k: v}\n: 1\n", 2),
    ],
    ids=["int", "bool", "null", "float", "date", "sequence", "mapping"],
)
def test_non_string_keys_are_flagged_with_their_line(loader, text, line):
    with pytest.raises(YamlError) as err:
        load_located(text)
    assert err.value.key == "yaml.key-not-text"
    assert err.value.line == line


# --- syntax errors ------------------------------------------------------------------


@pytest.mark.parametrize("fn", LOADERS)
@pytest.mark.parametrize(
    "text, line",
    [
        ("a: 1\nb: [1, 2\nc: 3\n", {2, 3}),
        ("a: 1\nb: c: d\n", {2}),
        ("a: 1\nb:\n\t- x\n", {3}),
        ("a: 1\n\nb: 'open\n", {3, 4}),
        ("a: 1\n  b: 2\n", {2}),
        ("a: 1\n---\nb: 2\n", {2}),
    ],
    ids=["unclosed-flow", "colon", "tab", "unterminated-quote", "indent", "two-documents"],
)
def test_syntax_errors_give_the_line(loader, fn, text, line):
    with pytest.raises(YamlError) as err:
        fn(text)
    assert err.value.key == "yaml.syntax"
    assert err.value.params.get("problem")
    assert err.value.line in line


@pytest.mark.parametrize("fn", LOADERS)
def test_a_scalar_with_an_unknown_tag_is_a_yaml_error(loader, fn):
    with pytest.raises(YamlError) as err:
        fn("a: 1\nb: !secret x\n")
    assert err.value.key == "yaml.bad-value"


@pytest.mark.parametrize("fn", LOADERS)
def test_a_tagged_scalar_that_cannot_be_built_is_a_yaml_error(loader, fn):
    with pytest.raises(YamlError) as err:
        fn("a: 1\nb: !!int abc\n")
    assert err.value.key == "yaml.bad-value"


@pytest.mark.parametrize("fn", LOADERS)
def test_an_impossible_date_is_a_yaml_error_not_a_crash(loader, fn):
    with pytest.raises(YamlError) as err:
        fn("a: 1\nversion: 2024-13-45\n")
    assert err.value.line in (0, 2)


@pytest.mark.parametrize("fn", LOADERS)
def test_a_control_character_is_a_yaml_error(loader, fn):
    with pytest.raises(YamlError) as err:
        fn('a: 1\nb: "x\x00y"\n')
    assert err.value.key == "yaml.syntax"


def test_a_control_character_is_reported_on_its_line(loader):
    with pytest.raises(YamlError) as err:
        load_located('a: 1\nb: 2\nc: "x\x07y"\n')
    assert err.value.line == 3


def test_merge_keys_are_merged_or_refused_not_a_crash(loader):
    text = "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n"
    assert load(text) == {"base": {"x": 1, "y": 2}, "derived": {"x": 1, "y": 3}}
    try:
        data = load_located(text)
    except YamlError:
        return  # refusing merge keys is fine, as a YAML problem with a line
    assert data == load(text)


def test_deep_nesting_is_a_yaml_error_not_a_crash(loader):
    depth = 3000  # 6 kB of brackets
    with deadline(5), pytest.raises(YamlError):
        load_located("a: " + "[" * depth + "]" * depth + "\n")


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", False),
        ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n", True),
        ("a: " + "{x: " * (MAX_DEPTH + 1) + "{}" + "}" * (MAX_DEPTH + 1) + "\n", True),
        ("a: " + "[" * MAX_DEPTH + "[]" + "]" * MAX_DEPTH + "\n", True),
        ("".join(f"q{i}:\n  followups: []\n" for i in range(3 * MAX_DEPTH)), False),
    ],
    ids=["at-limit", "one-over", "mapping-over-with-empty-leaf", "empty-leaf-over", "many-empty"],
)
def test_the_depth_limit_counts_empty_collections_as_one_level(text, refused):
    if refused:
        with pytest.raises(YamlError) as err:
            load(text)
        assert err.value.key == "yaml.too-deep"
    else:
        load(text)


def test_a_file_of_many_empty_lists_is_not_walked_for_depth(monkeypatch):
    import yaml

    walked = []
    real = yaml.parse
    monkeypatch.setattr(yaml, "parse", lambda *a, **k: walked.append(1) or real(*a, **k))
    load("".join(f"q{i}:\n  followups: []\n" for i in range(3 * MAX_DEPTH)))
    assert walked == []


# --- reading files ------------------------------------------------------------------


def test_read_text_returns_utf8_text(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_bytes("title: Nybesök 😀\n".encode())
    assert read_text(path, 1000) == "title: Nybesök 😀\n"


@pytest.mark.parametrize(
    "data, line",
    [
        (b"\xff\xfeschema: 1\n", 1),
        (b"a: 1\nb: 2\ntitle: Nybes\xf6k\n", 3),
        ("a: å\nb: ä\nc: ö\n".encode() + b"d: \xe5\n", 4),
        (b"a: 1\n\n\n\n\ne: \xc3\n", 6),  # a multi-byte character cut short
    ],
    ids=["utf16-bom", "latin1-line3", "after-utf8", "truncated-sequence"],
)
def test_not_utf8_is_reported_with_its_line(tmp_path, data, line):
    path = tmp_path / "bad.yaml"
    path.write_bytes(data)
    with pytest.raises(YamlError) as err:
        read_text(path, 10_000)
    assert err.value.key == "yaml.not-utf8"
    assert err.value.line == line


def test_a_file_over_the_limit_is_refused_before_decoding_or_parsing(tmp_path):
    limit = 4000
    path = tmp_path / "big.yaml"
    # Not UTF-8 and not YAML either: only the size check may speak.
    path.write_bytes(b"\xff: [" + b"x" * limit)
    with pytest.raises(YamlError) as err:
        read_text(path, limit)
    assert err.value.key == "yaml.too-big"
    assert err.value.params == {"limit": 4}


def test_a_file_exactly_at_the_limit_is_read(tmp_path):
    path = tmp_path / "edge.yaml"
    path.write_bytes(b"a: " + b"x" * 97)
    assert len(read_text(path, 100)) == 100
    path.write_bytes(b"a: " + b"x" * 98)
    with pytest.raises(YamlError):
        read_text(path, 100)


# --- writing ------------------------------------------------------------------------


UNICODE_SAMPLES = [
    "Nybesök på Åland – är det så?",
    "Glad 😀, ledsen 😢, familj 👩‍👩‍👧",
    "e\u0301 (decomposed) and \u00e9 (composed)",
    "A\u030a ngström vs \u00c5ngström",
    "non-breaking\u00a0space and trailing space ",
    "  leading spaces",
    "yes",
    "no",
    "null",
    "~",
    "1.0",
    "0777",
    "2024-01-01",
    "- looks like a list",
    "key: value",
    "# not a comment",
    "&anchor *alias",
    "line one\nline two\n",
    "tab\there",
    "quote ' and \" both",
    "",
]


def test_dump_round_trips_unicode_exactly(loader):
    data = {"texts": UNICODE_SAMPLES, "åäö": {"ÅÄÖ": "😀"}}
    out = dump(data)
    assert load(out) == data
    assert load_located(out) == data
    back = load(out)["texts"]
    for before, after in zip(UNICODE_SAMPLES, back, strict=True):
        assert after == before
        # not normalised: decomposed stays decomposed
        assert unicodedata.is_normalized("NFC", after) == unicodedata.is_normalized("NFC", before)


def test_dump_writes_swedish_letters_as_is_not_escaped():
    out = dump({"title": "Nybesök åäö ÅÄÖ", "word": "e\u0301"})
    assert "Nybesök åäö ÅÄÖ" in out
    assert "e\u0301" in out
    assert "\\u" not in out
    assert "\\x" not in out


def test_dump_keeps_swedish_letters_as_they_are_and_emoji_exactly():
    # libyaml writes characters beyond the Basic Multilingual Plane as \U escapes.
    out = dump({"mood": "Glad 😀 åäö"})
    assert "åäö" in out
    assert load(out) == {"mood": "Glad 😀 åäö"}


def test_dump_has_no_anchors_or_aliases_even_for_shared_objects(loader):
    text = {"sv": "Vad mer?", "en": "What else?"}
    shared_list = [text, text]
    data = {"a": text, "b": text, "c": shared_list, "d": shared_list, "e": [shared_list]}
    out = dump(data)
    for line in out.splitlines():
        assert "&id" not in line
        assert "*id" not in line
    events = list(yaml.parse(out, Loader=yaml.SafeLoader))
    assert not any(isinstance(e, yaml.AliasEvent) for e in events)
    assert not any(getattr(e, "anchor", None) for e in events)
    assert load(out) == data


def test_dump_keeps_key_order_and_block_style():
    data = {"zeta": 1, "alpha": [1, 2], "mid": {"b": 1, "a": 2}}
    out = dump(data)
    assert list(load(out)) == ["zeta", "alpha", "mid"]
    assert list(load(out)["mid"]) == ["b", "a"]
    assert "{" not in out
    assert "[" not in out


def test_dump_does_not_wrap_long_lines():
    long = " ".join(["ord"] * 500)
    out = dump({"text": long})
    assert len(out.splitlines()) == 1
    assert load(out) == {"text": long}


@pytest.mark.parametrize("depth", [1_001, 5_000, 100_000])
@pytest.mark.parametrize("loader", [load, yamlio.load_located])
def test_nesting_past_libyamls_own_limit_is_too_deep_on_every_pyyaml(depth, loader):
    """PyYAML 6.0.4's libyaml refuses flow nesting past 1,000 levels itself, before our
    check sees an event; 6.0.3 parses it. Either way the reason is the depth."""
    with pytest.raises(YamlError) as err:
        loader("a: " + "[" * depth + "]" * depth + "\n")
    assert err.value.key == "yaml.too-deep"


def test_libyamls_nesting_refusal_is_reported_as_too_deep():
    """The error libyaml raises, whether or not this PyYAML has it."""
    e = yaml.scanner.ScannerError(
        "while increasing flow level", None, "exceeded maximum nesting depth", None
    )
    assert yamlio._problem(e, "[[[").key == "yaml.too-deep"
