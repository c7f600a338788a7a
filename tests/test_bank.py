"""Question banks: the built-in banks, the validator, the JSON Schema, lookup, `sfcoach bank`.

Each bad bank in tests/banks/bad holds one mistake (many-problems.yaml holds
several); the table CASES says what the validator must report for it. The
huge ones (alias bomb, over the size limit, deep nesting) are generated here.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import ROOT, SAMPLE_BANK, no_traceback, sf

from sfcoach import bank as banks
from sfcoach.errors import UserError
from sfcoach.i18n import t
from sfcoach.models import PHASES

BAD = ROOT / "tests" / "banks" / "bad"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<path>[^:\s]+): (?P<msg>.+)$")
TOP = "(top)"

BUILTIN_FILES = banks.builtin_files()
BUILTIN_IDS = [p.stem for p in BUILTIN_FILES]
WITH_PROGRESS = ["first-visit", "follow-up", "check-in", "closing", "network", "plan", "practice"]
WITH_STEP_REVIEW = ["follow-up", "check-in"]


# file name: every (message key, line, key path) the validator must report; "" is the top.
CASES: dict[str, list[tuple[str, int, str]]] = {
    # not YAML, not UTF-8, not a bank at all
    "not-yaml.yaml": [("yaml.syntax", 5, "")],
    "tab-indent.yaml": [("yaml.syntax", 6, "")],
    "second-document.yaml": [("yaml.syntax", 11, "")],
    "control-char.yaml": [("yaml.syntax", 4, "")],
    "not-utf8.yaml": [("yaml.not-utf8", 4, "")],
    "utf16.yaml": [("yaml.not-utf8", 1, "")],
    "binary.png": [("yaml.not-utf8", 1, "")],
    "empty.yaml": [("bank.not-mapping", 1, "")],
    "top-list.yaml": [("bank.not-mapping", 1, "")],
    "top-scalar.yaml": [("bank.not-mapping", 1, "")],
    "too-big.yaml": [("yaml.too-big", 1, "")],  # generated
    "alias-bomb.yaml": [("yaml.alias-bomb", 10, "")],  # generated
    "recursive-alias.yaml": [("yaml.recursive", 6, "")],
    "duplicate-key.yaml": [("yaml.duplicate-key", 11, "")],
    "key-not-text.yaml": [("yaml.key-not-text", 11, "")],
    # unknown or misspelt keys
    "unknown-key.yaml": [("schema.unknown-key", 5, "colour")],
    "misspelt-key.yaml": [("schema.unknown-key-near", 4, "titel"), ("schema.missing", 1, "title")],
    "misspelt-question-key.yaml": [
        ("schema.unknown-key-near", 11, "phases[0].questions[0].followup")
    ],
    # missing required keys
    "missing-schema.yaml": [("schema.missing", 2, "schema")],
    "missing-id.yaml": [("schema.missing", 2, "id")],
    "missing-languages.yaml": [("schema.missing", 2, "languages")],
    "missing-title.yaml": [("schema.missing", 2, "title")],
    "missing-phases.yaml": [("schema.missing", 2, "phases")],
    "missing-question-text.yaml": [("schema.missing", 8, "phases[0].questions[0].text")],
    # schema version
    "schema-version-3.yaml": [("bank.schema-version", 1, "schema")],
    # languages and texts
    "missing-lang.yaml": [("bank.missing-lang", 10, "phases[0].questions[0].text.en")],
    "missing-lang-followup.yaml": [
        ("bank.missing-lang", 13, "phases[0].questions[0].followups[1].sv")
    ],
    "duplicate-language.yaml": [("bank.duplicate-lang", 3, "languages")],
    "unknown-language.yaml": [("schema.enum", 3, "languages[1]")],
    "unhashable-language.yaml": [("schema.type", 3, "languages[0]")],
    "empty-languages.yaml": [("schema.empty", 3, "languages")],
    "text-not-per-lang.yaml": [("schema.text-needs-langs", 10, "phases[0].questions[0].text")],
    "unknown-lang-in-text.yaml": [("schema.unknown-lang", 13, "phases[0].questions[0].text.de")],
    "blank-text.yaml": [("schema.blank", 12, "phases[0].questions[0].text.en")],
    "number-as-text.yaml": [("schema.type", 10, "phases[0].questions[0].text.en")],
    "null-text.yaml": [("schema.type", 10, "phases[0].questions[0].text")],
    "title-too-long.yaml": [("schema.too-long", 4, "title.en")],
    # ids
    "bad-id.yaml": [("schema.pattern", 2, "id")],
    "id-trailing-newline.yaml": [("schema.pattern", 2, "id")],
    "bad-question-id.yaml": [("schema.pattern", 8, "phases[0].questions[0].id")],
    "duplicate-question-id.yaml": [("bank.duplicate-id", 13, "phases[1].questions[0].id")],
    # phases
    "phase-unknown.yaml": [("schema.enum", 6, "phases[0].id")],
    "phase-order.yaml": [("bank.phase-order", 11, "phases[1].id")],
    "phase-repeated.yaml": [("bank.phase-repeated", 11, "phases[1].id")],
    "phase-not-mapping.yaml": [("schema.type", 6, "phases[0]")],
    # empty banks
    "empty-phases.yaml": [("schema.empty", 5, "phases")],
    "empty-questions.yaml": [("schema.empty", 7, "phases[0].questions")],
    # kinds and scales
    "unknown-kind.yaml": [("schema.enum", 9, "phases[0].questions[0].kind")],
    "scale-min-above-max.yaml": [("bank.scale-range", 12, "phases[0].questions[0].max")],
    "scale-min-equals-max.yaml": [("bank.scale-range", 12, "phases[0].questions[0].max")],
    "scale-min-above-default-max.yaml": [("bank.scale-range", 8, "phases[0].questions[0].max")],
    "scale-float.yaml": [("schema.type", 12, "phases[0].questions[0].max")],
    "scale-integral-float.yaml": [("schema.type", 12, "phases[0].questions[0].max")],
    "scale-text-bound.yaml": [("schema.type", 11, "phases[0].questions[0].min")],
    "scale-bool-bound.yaml": [("schema.type", 11, "phases[0].questions[0].max")],
    "scale-out-of-range.yaml": [("schema.range", 11, "phases[0].questions[0].max")],
    "scale-only-key.yaml": [("bank.scale-only", 11, "phases[0].questions[0].low")],
    "step-followups.yaml": [("bank.no-followups", 11, "phases[0].questions[0].followups")],
    # placeholders
    "placeholder.yaml": [("bank.placeholder", 13, "phases[0].questions[0].followups[0].en")],
    "placeholder-in-text.yaml": [("bank.placeholder", 10, "phases[0].questions[0].text.sv")],
    "placeholder-nested.yaml": [("bank.placeholder", 13, "phases[0].questions[0].followups[0].en")],
    "placeholder-format-spec.yaml": [
        ("bank.placeholder", 13, "phases[0].questions[0].followups[0].en")
    ],
}
# Bad banks tested on their own below, not through the table.
OWN_TESTS = {"many-problems.yaml", "merge-key.yaml", "bad-date.yaml"}
GENERATED = {"too-big.yaml", "alias-bomb.yaml"}

HEAD = 'schema: 1\nid: {id}\nlanguages: [sv, en]\ntitle: {{sv: "Prov", en: "Sample"}}\n'


def generate(name: str, folder: Path) -> Path:
    path = folder / name
    if name == "too-big.yaml":
        body = (SAMPLE_BANK.read_text() + "# " + "x" * banks.MAX_BANK_BYTES + "\n").encode()
        path.write_bytes(body)
    elif name == "alias-bomb.yaml":
        lines = [HEAD.format(id="alias-bomb").rstrip("\n")]
        lines.append("l0: &l0 [" + ", ".join(["lol"] * 9) + "]")
        for i in range(1, 9):
            lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
        path.write_text("\n".join(lines) + "\n")
    else:
        raise AssertionError(name)
    return path


def case_path(name: str, tmp_path: Path) -> Path:
    return generate(name, tmp_path) if name in GENERATED else BAD / name


def case_params(names):
    return [pytest.param(n, id=n.rsplit(".", 1)[0]) for n in names]


def triples(problems) -> set[tuple[str, int, str]]:
    return {(p.key, p.line, p.path) for p in problems}


def parse_output(stdout: str) -> list[dict[str, str]]:
    out = []
    for line in stdout.splitlines():
        m = LINE.match(line)
        assert m, f"not FILE:LINE: key.path: message: {line!r}"
        out.append(m.groupdict())
    return out


# --- the built-in banks -------------------------------------------------------------


def test_the_builtin_banks_are_all_there():
    assert set(WITH_PROGRESS) <= set(BUILTIN_IDS)
    assert banks.builtin_ids() == BUILTIN_IDS


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=BUILTIN_IDS)
def test_builtin_bank_validates_and_loads(path):
    assert banks.validate_file(path) == []
    bank = banks.load_builtin(path.stem)
    assert bank.id == path.stem
    assert bank.builtin
    assert tuple(p.id for p in bank.phases) == PHASES
    assert set(bank.languages) == {"sv", "en"}
    ids = [q.id for _, q in bank.questions]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("bank_id", WITH_PROGRESS)
def test_builtin_bank_has_a_progress_scale_with_anchors(bank_id):
    bank = banks.load_builtin(bank_id)
    found = [q for _, q in bank.questions if q.id == "progress"]
    assert len(found) == 1
    q = found[0]
    assert q.kind == "scale"
    assert q.min < q.max
    for anchor in (q.low, q.high):
        assert anchor is not None
        assert anchor["sv"].strip()
        assert anchor["en"].strip()


@pytest.mark.parametrize("bank_id", WITH_STEP_REVIEW)
def test_builtin_follow_up_banks_review_the_steps(bank_id):
    bank = banks.load_builtin(bank_id)
    assert any(q.kind == "step-review" for _, q in bank.questions)


TEXT_KEYS = {"title", "description", "purpose", "text", "tip", "low", "high", "label", "say", "ask"}
TEXT_LIST_KEYS = {"tips", "followups"}


def texts_in(node, path=""):
    """Every text ({sv: ..., en: ...}) in a bank's raw data, with its key path."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else key
            if key in TEXT_KEYS:
                yield here, value
            elif key in TEXT_LIST_KEYS:
                for i, item in enumerate(value):
                    rich = isinstance(item, dict) and "text" in item  # schema 2's {when, text}
                    yield (f"{here}[{i}].text", item["text"]) if rich else (f"{here}[{i}]", item)
            elif key == "options":  # an outcome's options: name -> text
                for name, text in value.items():
                    yield f"{here}.{name}", text
            else:
                yield from texts_in(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from texts_in(item, f"{path}[{i}]")


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=BUILTIN_IDS)
def test_every_builtin_text_has_swedish_and_english(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = list(texts_in(data))
    assert len(found) > 10
    for where, text in found:
        assert isinstance(text, dict), where
        assert set(text) == {"sv", "en"}, where
        assert text["sv"].strip(), where
        assert text["en"].strip(), where


def test_the_sample_bank_with_only_required_keys_validates_and_loads():
    assert banks.validate_file(SAMPLE_BANK) == []
    bank = banks.load_file(SAMPLE_BANK)
    assert bank.id == "contract-sample"
    assert not bank.builtin
    assert bank.version == 1
    progress = next(q for _, q in bank.questions if q.id == "progress")
    assert (progress.min, progress.max) == (0, 10)


def test_a_bank_sharing_followups_through_an_alias_is_valid(tmp_path):
    path = tmp_path / "shared.yaml"
    path.write_text(
        HEAD.format(id="shared") + "phases:\n"
        "  - id: P\n"
        "    questions:\n"
        "      - id: one\n"
        "        kind: text\n"
        '        text: {sv: "Ett?", en: "One?"}\n'
        "        followups: &more\n"
        '          - {sv: "Vad mer?", en: "What else?"}\n'
        "      - id: two\n"
        "        kind: text\n"
        '        text: {sv: "Två?", en: "Two?"}\n'
        "        followups: *more\n"
    )
    assert banks.validate_file(path) == []
    bank = banks.load_file(path)
    _, two = bank.questions[1]
    assert two.followups == ({"sv": "Vad mer?", "en": "What else?"},)


# --- the validator, case by case ----------------------------------------------------


def test_every_bad_bank_file_is_covered_by_a_test():
    on_disk = {p.name for p in BAD.iterdir()}
    assert on_disk == (set(CASES) - GENERATED) | OWN_TESTS


@pytest.mark.parametrize("name", case_params(CASES))
def test_bad_bank_is_reported(name, tmp_path):
    path = case_path(name, tmp_path)
    problems = banks.validate_file(path)
    assert triples(problems) == set(CASES[name])
    assert all(p.file == str(path) for p in problems)
    for p in problems:
        t(p.key, "en", **p.params)  # every problem has a message that formats


@pytest.mark.parametrize("name", case_params(CASES))
def test_bad_bank_is_reported_by_the_cli(name, tmp_path):
    path = case_path(name, tmp_path)
    proc = sf("bank", "validate", str(path), timeout=30)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr == ""
    rows = parse_output(proc.stdout)
    assert {r["file"] for r in rows} == {str(path)}
    assert {(int(r["line"]), r["path"]) for r in rows} == {
        (line, where or TOP) for _, line, where in CASES[name]
    }
    messages = {t(p.key, "en", **p.params) for p in banks.validate_file(path)}
    assert {r["msg"] for r in rows} == messages


def test_the_size_limit_is_reported_in_kilobytes(tmp_path):
    proc = sf("bank", "validate", str(generate("too-big.yaml", tmp_path)))
    assert proc.stdout.rstrip("\n").endswith(": (top): file too big (limit 1000 kB)")


def test_a_newer_schema_version_is_reported_alone():
    problems = banks.validate_file(BAD / "schema-version-3.yaml")
    assert [p.params for p in problems] == [{"got": 3}]


MANY = {
    ("schema.unknown-key", 6, "colour"),
    ("schema.pattern", 3, "id"),
    ("bank.missing-lang", 5, "title.en"),
    ("bank.phase-order", 13, "phases[1].id"),
    ("bank.duplicate-id", 15, "phases[1].questions[0].id"),
    ("schema.enum", 16, "phases[1].questions[0].kind"),
    ("bank.scale-range", 22, "phases[1].questions[1].max"),
}


def test_every_problem_in_a_file_is_reported_at_once():
    path = BAD / "many-problems.yaml"
    assert triples(banks.validate_file(path)) == MANY
    proc = sf("bank", "validate", str(path))
    assert proc.returncode == 1
    rows = parse_output(proc.stdout)
    assert len(rows) == len(MANY)
    assert {(int(r["line"]), r["path"]) for r in rows} == {(line, p) for _, line, p in MANY}


def test_a_bank_that_validates_does_not_crash_the_meeting_on_a_placeholder():
    # The scale follow-up says "{value:{width}}": the validator lets it through, and
    # the meeting then fails on it after the rating. Either refusing the bank up front
    # or asking the follow-up is fine; an internal error is not.
    proc = sf(
        "start",
        "--client",
        "Q1",
        "--bank",
        str(BAD / "placeholder-nested.yaml"),
        "--lang",
        "en",
        "--practitioner",
        "P",
        input="5\nanswer\n\ny\n",
    )
    assert no_traceback(proc)
    assert "internal error" not in proc.stderr


def test_a_merge_key_is_reported_not_a_crash():
    # After the merge both questions have the id 'wish': bad either way.
    problems = banks.validate_file(BAD / "merge-key.yaml")
    assert problems
    assert all(p.line >= 1 for p in problems)


def test_an_impossible_date_is_reported_not_a_crash():
    problems = banks.validate_file(BAD / "bad-date.yaml")
    assert problems
    assert {p.line for p in problems} == {5}


def test_an_impossible_date_is_reported_by_the_cli():
    proc = sf("bank", "validate", str(BAD / "bad-date.yaml"))
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert [r["line"] for r in parse_output(proc.stdout)] == ["5"]


def test_deep_nesting_is_reported_not_a_crash(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(HEAD.format(id="deep") + "phases: " + "[" * 3000 + "]" * 3000 + "\n")
    problems = banks.validate_file(path)
    assert problems


def test_deep_nesting_is_reported_by_the_cli(tmp_path):
    depth = 100_000  # 200 kB, well under the size limit
    path = tmp_path / "deep.yaml"
    path.write_text(HEAD.format(id="deep") + "phases: " + "[" * depth + "]" * depth + "\n")
    proc = sf("bank", "validate", str(path), timeout=30)
    assert proc.returncode == 1, f"exit {proc.returncode}: {proc.stderr}"
    assert proc.stderr == ""
    assert len(parse_output(proc.stdout)) >= 1


# --- the validate command -----------------------------------------------------------


def test_validate_reports_every_file_good_and_bad(tmp_path):
    good = BUILTIN_FILES[0]
    missing = tmp_path / "nowhere.yaml"
    files = [good, BAD / "phase-order.yaml", missing, BAD / "unknown-kind.yaml", SAMPLE_BANK]
    proc = sf("bank", "validate", *map(str, files))
    assert proc.returncode == 1
    assert no_traceback(proc)
    out = proc.stdout.splitlines()
    assert f"{good}: ok" in out
    assert f"{SAMPLE_BANK}: ok" in out
    problems = parse_output("\n".join(x for x in out if not x.endswith(": ok")))
    assert {(r["file"], r["path"]) for r in problems} == {
        (str(BAD / "phase-order.yaml"), "phases[1].id"),
        (str(missing), TOP),
        (str(BAD / "unknown-kind.yaml"), "phases[0].questions[0].kind"),
    }


def test_validate_all_good_exits_0():
    files = [*BUILTIN_FILES, SAMPLE_BANK]
    proc = sf("bank", "validate", *map(str, files))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [f"{f}: ok" for f in files]
    assert proc.stderr == ""


def test_validate_a_missing_file_is_one_clear_line(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    proc = sf("bank", "validate", str(missing))
    assert proc.returncode == 1
    assert no_traceback(proc)
    assert proc.stdout == f"{missing}:0: (top): no such file\n"
    assert banks.validate_file(missing)[0].key == "bank.no-file"


def test_validate_a_folder_is_one_clear_line(tmp_path):
    proc = sf("bank", "validate", str(tmp_path))
    assert proc.returncode == 1
    assert no_traceback(proc)
    assert proc.stdout == f"{tmp_path}:0: (top): a folder, not a bank file\n"


@pytest.mark.parametrize("where", ["after", "before"])
def test_validate_speaks_swedish(where):
    files = [str(BAD / "phase-order.yaml"), str(BAD / "top-list.yaml")]
    args = ["bank", "validate", *files, "--lang", "sv"]
    if where == "before":
        args = ["--lang", "sv", "bank", "validate", *files]
    proc = sf(*args)
    assert proc.returncode == 1
    rows = parse_output(proc.stdout)
    assert [(r["path"], r["msg"]) for r in rows] == [
        ("phases[1].id", "fas P i fel ordning: faserna går P, L, U, S"),
        ("(överst)", "översta nivån måste vara en mappning (schema, id, languages, title, phases)"),
    ]


# --- the JSON Schema and the validator agree ----------------------------------------

# Bad banks the JSON Schema cannot catch, only the validator; for each, the
# schema must accept the file (so this list documents the boundary exactly).
SCHEMA_BLIND = {
    # A YAML parser keeps the last of two equal keys; the schema never sees the first.
    "duplicate-key.yaml",
    # Uniqueness across the whole bank, and order: not expressible per item.
    "duplicate-question-id.yaml",
    "merge-key.yaml",  # the merge makes a second question with the id 'wish'
    "phase-order.yaml",
    "phase-repeated.yaml",
    # Not done in the schema, though `uniqueItems` could say it.
    "duplicate-language.yaml",
    # A text must exist in each language the bank lists: depends on another key's value.
    "missing-lang.yaml",
    "missing-lang-followup.yaml",
    # min < max compares two keys.
    "scale-min-above-max.yaml",
    "scale-min-equals-max.yaml",
    "scale-min-above-default-max.yaml",
    # Which keys a question may have depends on its kind.
    "scale-only-key.yaml",
    "step-followups.yaml",
    # Placeholders inside the texts.
    "placeholder.yaml",
    "placeholder-in-text.yaml",
    "placeholder-nested.yaml",
    "placeholder-format-spec.yaml",
    # JSON has one kind of number: 10.0 is an integer to JSON Schema, not to the validator.
    "scale-integral-float.yaml",
    # jsonschema's `pattern` uses Python's re.search, where `$` also matches before a
    # final newline; the validator uses re.fullmatch.
    "id-trailing-newline.yaml",
}


def yaml_data(path: Path):
    """The file as plain data, as an editor's YAML plugin would see it; None if not YAML."""
    try:
        return yaml.safe_load(path.read_bytes())
    except (yaml.YAMLError, ValueError):
        return None


PARSEABLE = sorted(p.name for p in BAD.iterdir() if p.stat().st_size and yaml_data(p) is not None)


@pytest.fixture(scope="module")
def schema_validator():
    schema = banks.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(validator, data) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize("path", [*BUILTIN_FILES, SAMPLE_BANK], ids=[*BUILTIN_IDS, "sample"])
def test_good_banks_pass_both_the_schema_and_the_validator(schema_validator, path):
    assert schema_errors(schema_validator, yaml_data(path)) == []
    assert banks.validate_file(path) == []


def test_some_bad_banks_are_not_yaml_so_only_the_validator_sees_them():
    not_yaml = {p.name for p in BAD.iterdir()} - set(PARSEABLE)
    assert {"not-yaml.yaml", "not-utf8.yaml", "binary.png", "tab-indent.yaml"} <= not_yaml
    assert SCHEMA_BLIND.issubset(PARSEABLE)


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, id=n.rsplit(".", 1)[0]) for n in PARSEABLE],
)
def test_the_validator_rejects_what_the_schema_rejects(schema_validator, name):
    path = BAD / name
    errors = schema_errors(schema_validator, yaml_data(path))
    problems = banks.validate_file(path)
    assert problems, "the validator accepts a bad bank"
    if name in SCHEMA_BLIND:
        assert errors == [], "the schema catches this after all: move it out of SCHEMA_BLIND"
    else:
        assert errors, "the schema accepts this: list it in SCHEMA_BLIND with the reason"


def test_bank_schema_prints_the_json_schema():
    proc = sf("bank", "schema")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == banks.json_schema()
    schema = banks.json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["schema", "id", "languages", "title", "phases"]


# --- finding banks ------------------------------------------------------------------


def test_resolve_a_builtin_id():
    bank = banks.resolve("first-visit")
    assert bank.id == "first-visit"
    assert bank.builtin
    assert Path(bank.source) == banks.builtin_dir() / "first-visit.yaml"


def test_resolve_a_file_path():
    bank = banks.resolve(str(SAMPLE_BANK))
    assert bank.id == "contract-sample"
    assert not bank.builtin


def test_resolve_a_relative_file_path(monkeypatch):
    monkeypatch.chdir(SAMPLE_BANK.parent)
    assert banks.resolve("sample.yaml").id == "contract-sample"


def test_resolve_an_unknown_id():
    with pytest.raises(UserError) as err:
        banks.resolve("no-such-bank")
    assert err.value.key == "bank.unknown"
    assert err.value.params["id"] == "no-such-bank"
    assert "first-visit" in err.value.params["known"]


def test_resolve_a_missing_file(tmp_path):
    with pytest.raises(UserError) as err:
        banks.resolve(str(tmp_path / "nowhere.yaml"))
    assert err.value.key == "bank.no-such-file"


def test_resolve_an_invalid_file():
    with pytest.raises(banks.InvalidBank) as err:
        banks.resolve(str(BAD / "phase-order.yaml"))
    assert err.value.key == "bank.invalid-one"
    assert [p.key for p in err.value.problems] == ["bank.phase-order"]


@pytest.mark.parametrize("prefix", ["../", "../../", "./../"])
def test_a_path_traversal_id_loads_nothing_outside_the_builtin_folder(
    tmp_path, monkeypatch, prefix
):
    # A valid bank right next to questions/...
    outside = tmp_path / "evil.yaml"
    outside.write_text(SAMPLE_BANK.read_text())
    # ...and an id that would reach it if it were joined onto builtin_dir().
    ref = os.path.relpath(tmp_path / "evil", banks.builtin_dir())
    assert (banks.builtin_dir() / f"{ref}.yaml").resolve() == outside.resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for attempt in (ref, prefix + "evil", prefix + "x"):
        with pytest.raises(UserError) as err:
            banks.resolve(attempt)
        assert err.value.key in ("bank.unknown", "bank.no-such-file")
        with pytest.raises(UserError) as err:
            banks.load_builtin(attempt)
        assert err.value.key == "bank.unknown"


def test_bank_show_a_path_traversal_id_is_one_line():
    proc = sf("bank", "show", "../x")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == "sfcoach: no bank file ../x\n"


# --- bank show, list, cards ---------------------------------------------------------


@pytest.mark.parametrize("bank_id", BUILTIN_IDS)
def test_bank_show_json_has_the_yaml_keys(bank_id):
    proc = sf("bank", "show", bank_id, "--json")
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    data = yaml_data(banks.builtin_dir() / f"{bank_id}.yaml")
    assert list(shown) == list(data)
    assert shown == data


def test_bank_show_json_of_a_file():
    proc = sf("bank", "show", str(SAMPLE_BANK), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == yaml_data(SAMPLE_BANK)


def test_bank_show_unknown_is_one_line():
    proc = sf("bank", "show", "no-such-bank")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("sfcoach: no built-in bank 'no-such-bank'")
    assert proc.stderr.count("\n") == 1


def test_bank_list_json():
    proc = sf("bank", "list", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["id"] for r in rows] == BUILTIN_IDS
    for row in rows:
        assert {"id", "title", "languages", "questions"} <= set(row)
        data = yaml_data(banks.builtin_dir() / f"{row['id']}.yaml")
        assert row["title"] == data["title"]
        assert row["languages"] == data["languages"]
        assert row["questions"] == sum(len(p["questions"]) for p in data["phases"])


def test_bank_cards_for_one_phase():
    proc = sf("bank", "cards", "--phase", "L", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    titles = re.findall(r"^╭─ (\S+) · ", proc.stdout, flags=re.M)
    expected = {
        q.text["en"]
        for bank_id in BUILTIN_IDS
        for phase, q in banks.load_builtin(bank_id).questions
        if phase.id == "L"
    }
    assert titles == ["L"] * len(expected)
    assert "What else?" in proc.stdout
    assert sf("bank", "cards", "--phase", "l", "--lang", "en").stdout == proc.stdout


def test_bank_cards_for_one_bank():
    proc = sf("bank", "cards", "check-in", "--phase", "S", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    titles = re.findall(r"^╭─ (\S+) · ", proc.stdout, flags=re.M)
    bank = banks.load_builtin("check-in")
    assert len(titles) == len([q for p, q in bank.questions if p.id == "S"])
    assert "0 = " in proc.stdout  # the progress scale's anchors


@pytest.mark.parametrize("phase", ["X", "PL", ""])
def test_bank_cards_for_an_unknown_phase_is_one_line(phase):
    proc = sf("bank", "cards", "--phase", phase)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert no_traceback(proc)
    assert proc.stderr.startswith("sfcoach: ")
    assert proc.stderr.count("\n") == 1


def test_a_bank_with_one_problem_is_named_without_a_count_of_more():
    path = BAD / "phase-order.yaml"
    proc = sf("start", "--bank", str(path), "--client", "K1", "--lang", "en", "--practitioner", "A")
    assert proc.returncode == 1 and proc.stderr.startswith(f"sfcoach: not a usable bank: {path}:")
    assert "(+" not in proc.stderr and len(proc.stderr.splitlines()) == 1
