"""Search in Swedish: a plain word finds its inflected and compound forms (the
trigram table), short words still work, and the README's examples work on the
demo store."""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
from helpers import ROOT, sf, sf_json

from sfcoach.index import fts_query


@pytest.fixture
def demo(tmp_path):
    copy = tmp_path / "demo"
    shutil.copytree(ROOT / "sessions", copy)
    return str(copy)


def found(demo, *args):
    return sf_json("--store", demo, "search", *args)


@pytest.mark.parametrize(
    ("word", "inside"),
    [
        ("lån", "CSN-lånet"),
        ('"CSN-lån"', "CSN-lånet"),
        ("kylskåp", "kylskåpet"),
        ("Kylskåp", "kylskåpet"),
        ("steg", "CV-steget"),
    ],
)
def test_a_word_finds_its_inflected_and_compound_forms(demo, word, inside):
    hits = found(demo, word)
    assert hits and all(
        inside.casefold() in h["snippet"].casefold().replace("«", "").replace("»", "")
        for h in hits[:1]
    )
    assert any("«" in h["snippet"] for h in hits)


def test_the_match_inside_a_word_is_highlighted(demo):
    (hit, *_) = found(demo, "kylskåp")
    assert "«kylskåp»et" in hit["snippet"]


def test_swedish_letters_stay_distinct(demo):
    for word in ("lan", "lån"):
        marked = {
            m.casefold() for h in found(demo, word) for m in re.findall("«(.*?)»", h["snippet"])
        }
        assert marked == {word}


def test_short_words_are_whole_words(demo):
    cv = found(demo, "CV")
    assert cv and all("«CV»" in h["snippet"] for h in cv)
    # "ja" is a word of its own, not every "jag"
    assert all("«ja»" in h["snippet"].casefold() for h in found(demo, "ja"))


def test_short_and_long_terms_together_must_both_match(demo):
    both = found(demo, "CV kusin")
    assert both and all("kusin" in h["snippet"] for h in both)
    assert len(both) < len(found(demo, "CV"))


def test_query_syntax_is_still_taken_as_text(demo):
    assert sf("--store", demo, "search", "jobb OR NEAR(").returncode == 0
    assert fts_query('"a phrase" e-post lån* CV*').long == '"a phrase" "e-post" "lån"'
    assert fts_query("CV* ja").short == '"CV"* "ja"'


def test_a_step_reviewed_in_later_meetings_is_one_hit(demo):
    hits = found(demo, "betalningsplan")
    steps = [h for h in hits if h["field"] == "step"]
    assert len(steps) == 1


def test_an_unknown_client_is_said_so(demo):
    proc = sf("--store", demo, "search", "mamma", "--client", "K9")
    assert proc.returncode == 1 and "K9" in proc.stderr
    assert sf("--store", demo, "search", "mamma", "--client", "k1").returncode == 0


def readme_examples():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^sfcoach --store sessions (search .*)$", text, flags=re.M)


@pytest.mark.parametrize("line", readme_examples())
def test_the_readme_search_examples_find_something(demo, line):
    args = shlex.split(line)
    assert len(sf_json("--store", demo, *args, "--json")) > 0
