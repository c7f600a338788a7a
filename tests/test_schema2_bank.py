"""Schema 2 banks: the format, what `bank validate` refuses, and the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sfcoach import bank as banks
from sfcoach.models import When
from tests.helpers import ROOT, sf

HERE = Path(__file__).parent
SAMPLE = HERE / "banks" / "schema2.yaml"
CONTRACT = HERE / "banks" / "contract-v2.yaml"  # the conformance check's sample

HEAD = """\
schema: 2
id: bad
languages: [en]
title: {en: "Bad"}
phases:
  - id: P
    questions:
      - id: first
        kind: text
        text: {en: "First?"}
        outcome:
          ask: {en: "How?"}
          options:
            good: {en: "good"}
            poor: {en: "poor"}
"""
# Line 16 on: one more question, whose keys each case sets.
SECOND = """\
      - id: second
        kind: {kind}
        text: {{en: "Second?"}}
{extra}"""
TAIL = """\
      - id: third
        kind: text
        text: {en: "Third?"}
"""


def problems(tmp_path: Path, extra: str, kind: str = "text", head: str = HEAD) -> list[tuple]:
    path = tmp_path / "bad.yaml"
    path.write_text(head + SECOND.format(kind=kind, extra=extra) + TAIL, encoding="utf-8")
    return [(p.key, p.line, p.path) for p in banks.validate_file(path)]


Q = "phases[0].questions[1]"

CASES = {
    "unknown-question": (
        "        when: {nobody: [good]}\n",
        [("bank.when-unknown", 19, f"{Q}.when.nobody")],
    ),
    "later-question": (
        "        when: {answered: third}\n",
        [("bank.when-later", 19, f"{Q}.when.answered")],
    ),
    "itself": (
        "        when: {skipped: second}\n",
        [("bank.when-later", 19, f"{Q}.when.skipped")],
    ),
    "unknown-outcome": (
        "        when: {first: [good, maybe]}\n",
        [("bank.when-outcome", 19, f"{Q}.when.first")],
    ),
    "unknown-outcome-nested": (
        "        when:\n          any:\n            - {first: maybe}\n",
        [("bank.when-outcome", 21, f"{Q}.when.any[0].first")],
    ),
    "later-in-all": (
        "        when: {all: [{answered: first}, {answered: third}]}\n",
        [("bank.when-later", 19, f"{Q}.when.all[1].answered")],
    ),
    "followup-unknown-own-outcome": (
        "        outcome: {ask: {en: 'How?'}, options: {up: {en: 'up'}}}\n"
        "        followups:\n          - {when: down, text: {en: 'Why?'}}\n",
        [("bank.when-outcome", 21, f"{Q}.followups[0].when")],
    ),
    "followup-name-without-outcome": (
        "        followups:\n          - {when: up, text: {en: 'Why?'}}\n",
        [("bank.when-no-outcome", 20, f"{Q}.followups[0].when")],
    ),
    "change-on-text": (
        "        followups:\n          - {when: {change: up}, text: {en: 'Why?'}}\n",
        [("bank.when-scale-only", 20, f"{Q}.followups[0].when.change")],
    ),
    "change-on-question": (
        "        when: {at_most: 3}\n",
        [("bank.when-scale-only", 19, f"{Q}.when.at_most")],
    ),
    "bad-change": (
        "        followups:\n          - {when: {change: sideways}, text: {en: 'Why?'}}\n",
        [("schema.enum", 20, f"{Q}.followups[0].when.change")],
    ),
    "question-when-is-a-name": (
        "        when: good\n",
        [("schema.condition", 19, f"{Q}.when")],
    ),
    "outcome-on-scale": (
        "        outcome: {ask: {en: 'How?'}, options: {up: {en: 'up'}}}\n",
        [("bank.outcome-kind", 19, f"{Q}.outcome")],
    ),
    "outcome-without-options": (
        "        outcome: {ask: {en: 'How?'}}\n",
        [("schema.missing", 19, f"{Q}.outcome.options")],
    ),
    "review-status-unknown": (
        "        followups:\n          - {when: finished, text: {en: 'Why?'}}\n",
        [("bank.when-outcome", 20, f"{Q}.followups[0].when")],
    ),
    "prev-placeholder-bad-id": (
        "        say: {en: 'You said {prev:Not An Id}'}\n",
        [("bank.placeholder", 19, f"{Q}.say.en")],
    ),
    "followup-without-text": (
        "        followups:\n          - {when: {answered: first}}\n",
        [("schema.missing", 20, f"{Q}.followups[0].text")],
    ),
    "optional-not-bool": (
        "        optional: sometimes\n",
        [("schema.type", 19, f"{Q}.optional")],
    ),
}
KINDS = {"outcome-on-scale": "scale", "bad-change": "scale", "review-status-unknown": "step-review"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_schema2_bank_is_reported_at_its_line(tmp_path, name):
    extra, expected = CASES[name]
    assert problems(tmp_path, extra, KINDS.get(name, "text")) == expected


def test_schema2_keys_in_a_schema1_bank_are_refused(tmp_path):
    head = HEAD.replace("schema: 2", "schema: 1").split("        outcome:")[0]
    found = problems(
        tmp_path, "        say: {en: 'Hm.'}\n        when: {answered: first}\n", head=head
    )
    assert found == [
        ("bank.needs-schema-2", 15, "phases[0].questions[1].when"),
        ("bank.needs-schema-2", 14, "phases[0].questions[1].say"),
    ]


def test_placeholders_and_previous_are_not_checked_against_the_bank(tmp_path):
    extra = (
        "        when: {previous: elsewhere}\n        say: {en: '{prev:gone} and {first:gone}'}\n"
    )
    assert problems(tmp_path, extra) == []


def test_the_samples_are_valid_and_load_as_schema2():
    for path in (SAMPLE, CONTRACT):
        assert banks.validate_file(path) == []
    bank = banks.load_file(SAMPLE)
    questions = {q.id: q for _, q in bank.questions}
    assert bank.schema == 2
    assert questions["better"].outcome is not None
    assert questions["better"].outcome.names == ("better", "same", "worse")
    assert questions["better"].followup_when == (
        When("own", values=("better",)),
        When("own", values=("same", "worse")),
        None,
    )
    assert questions["coping"].when == When("outcome", ref="better", values=("same", "worse"))
    assert questions["review"].followup_when[2] == When("status", values=("not-twice",))
    assert questions["progress"].followup_when[4] == When("at_most", number=2)
    assert questions["picture"].optional
    assert questions["coping"].say == {"sv": "Det låter tungt.", "en": "That sounds hard."}


def test_the_json_schema_accepts_schema2_and_refuses_a_bad_condition(tmp_path):
    schema = json.loads(sf("bank", "schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["enum"] == [1, 2]
    for path in (SAMPLE, CONTRACT):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
    bad = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    bad["phases"][1]["questions"][0]["when"] = {"better": 3}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_validate_prints_file_line_path_message(tmp_path):
    problems(tmp_path, "        when: {nobody: [good]}\n")
    proc = sf("bank", "validate", str(tmp_path / "bad.yaml"))
    assert proc.returncode == 1
    assert f"bad.yaml:19: {Q}.when.nobody: no question 'nobody' in this bank" in proc.stdout


def test_the_readmes_schema_2_example_is_a_valid_bank(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Schema 2: a conversation that follows the client", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "small-follow-up.yaml"
    path.write_text(example, encoding="utf-8")
    proc = sf("bank", "validate", str(path))
    assert proc.returncode == 0 and proc.stdout.strip().endswith(": ok"), proc.stdout + proc.stderr
