"""What a practice keeps: the coaches side by side, shown again later, in every export,
searchable, listed so that rounds can be told apart, and never in the way of a meeting."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from helpers import lines, meeting_lines, saved_session, sf, sf_json

from sfcoach import practice, practicerecord
from sfcoach.bank import load_builtin
from sfcoach.models import Answer, Followup, PracticeRound, Roles, Session
from sfcoach.store import Store

PRACTICE = load_builtin("practice")
CARD = "debts-kronofogden"  # level 3, “Debts and the enforcement agency”, the practice bank


def round_lines(usefulness: str, followups: int = 1, ask: str | None = None) -> list[str]:
    """A plain-mode round: begin, the conversation (with `followups` follow-ups a
    question, and an own question if `ask`), what went well, do more of, usefulness."""
    talk = meeting_lines(PRACTICE, "en", followups=followups, steps=("Call the landlord",))
    if ask:
        talk = [*talk[:-1], f"/ask {ask}", "m", "I sleep before midnight", talk[-1]]
    return ["", *talk, "", f"Well {usefulness}", f"More {usefulness}", usefulness]


def three_rounds() -> dict:
    """A practice of three, each coaching once: Anna follows up and asks her own question,
    Bo follows up nothing, Cia a little. Returns the rounds' list rows, oldest first."""
    script = [
        *round_lines("8", followups=2, ask="What would tell you that you sleep better?"),
        *round_lines("5", followups=0),
        *round_lines("7", followups=1),
    ]
    proc = sf(
        "practice", "--pair", "Anna,Bo,Cia", "--scenario", CARD, "--lang", "en",
        input=lines(*script),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-800:] + proc.stderr
    rows = list(reversed(sf_json("sessions", "list", "--practice")))
    return {"out": proc.stdout, "rows": rows, "group": rows[0]["group"]}


@pytest.fixture
def played():
    return three_rounds()


def table_row(out: str, label: str) -> list[str]:
    """The cells after `label` in the comparison table."""
    (row,) = [line for line in out.splitlines() if line.startswith(label)]
    return row[len(label) :].split()


# --- the whole practice, side by side ------------------------------------------------


def test_the_summary_puts_the_coaches_side_by_side(played):
    out = played["out"]
    whole = out[out.index("The whole practice: 3 rounds") :]
    header = whole.splitlines()[2].split()
    assert header == ["Anna", "Bo", "Cia"]
    assert table_row(whole, "Usefulness (0–10)") == ["8", "5", "7"]
    assert table_row(whole, "Own questions (/ask)") == ["1", "0", "0"]
    assert table_row(whole, "Ended with a step") == ["yes", "yes", "yes"]
    anna, bo, cia = (float(x) for x in table_row(whole, "Follow-ups per question"))
    assert anna > cia > bo == 0  # what tells these coaches apart
    assert "Future-focused" not in out  # every bank question counted as such: it said nothing
    # Each round names its observer and its card with the level, and keeps its feedback.
    assert "Round 1 of 3 · coach Anna · client Bo · observer Cia" in whole
    assert "Round 3 of 3 · coach Cia · client Anna · observer Bo" in whole
    assert whole.count("Role card: Debts and the enforcement agency (level 3)") == 3
    assert "Went well: Well 5" in whole and "Do more of: More 7" in whole


def test_the_summary_in_swedish_writes_decimals_with_a_comma(played):
    proc = sf("practice", "--show", played["group"], "--lang", "sv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Hela övningen: 3 rundor")
    per_question = table_row(proc.stdout, "Följdfrågor per fråga")
    assert all("," in x for x in per_question[:1]) and "." not in " ".join(per_question)
    assert "Runda 1 av 3 · samtalsledare Anna · klient Bo · observatör Cia" in proc.stdout
    assert "Egen fråga (erkännande): What would tell you" in proc.stdout


def test_practice_show_finds_the_practice_by_group_its_start_or_any_round(played):
    group, rows = played["group"], played["rows"]
    by_group = sf("practice", "--show", group, "--lang", "en")
    assert by_group.returncode == 0 and by_group.stdout.startswith("The whole practice")
    for ref in (group[:15], rows[1]["id"], rows[2]["id"][:18]):
        again = sf("practice", "--show", ref, "--lang", "en")
        assert again.returncode == 0, again.stderr
        assert again.stdout == by_group.stdout


def test_practice_show_json_has_every_round_and_a_column_per_coach(played):
    data = sf_json("practice", "--show", played["group"])
    assert data["group"] == played["group"] and data["names"] == ["Anna", "Bo", "Cia"]
    assert [r["round"] for r in data["rounds"]] == [1, 2, 3]
    first = data["rounds"][0]
    assert first["roles"] == {"coach": "Anna", "client": "Bo", "observer": "Cia"}
    assert first["card"]["id"] == CARD and first["card"]["level"] == 3
    assert first["card"]["title"]["sv"] == "Skulder och Kronofogden"
    assert first["asked"][0]["answer"] == "I sleep before midnight"
    assert first["tally"]["by_type"]["compliment"] >= 1 and "future_share" not in first["tally"]
    assert [f["text"] for f in first["feedback"]] == ["Well 8", "More 8"]
    assert [c["coach"] for c in data["coaches"]] == ["Anna", "Bo", "Cia"]
    assert [c["usefulness"] for c in data["coaches"]] == [8, 5, 7]
    assert data["coaches"][1]["followups_per_question"] == 0


def test_practice_show_refuses_what_is_not_a_practice(played, store_dir):
    saved_session(Store(store_dir), "K1", "2026-03-02T10:00")
    meeting = next(r for r in sf_json("sessions", "list") if r["client"] == "K1")
    proc = sf("practice", "--show", meeting["id"], "--lang", "en")
    assert proc.returncode == 1 and "not a practice round" in proc.stderr
    proc = sf("practice", "--show", "20990101", "--lang", "en")
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_sessions_show_of_a_round_shows_its_practice_side_by_side(played):
    proc = sf("sessions", "show", played["rows"][1]["id"], "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Role card: Debts and the enforcement agency (level 3)" in out  # the title, not the id
    assert out.index("Coach: Bo") < out.index("The whole practice: 3 rounds")
    assert table_row(out[out.index("The whole practice") :], "Usefulness (0–10)") == ["8", "5", "7"]
    assert f"sfcoach practice --show {played['group']}" in out


def test_sessions_show_of_a_round_in_swedish_has_no_english_command_word(played):
    out = sf("sessions", "show", played["rows"][0]["id"], "--lang", "sv").stdout
    assert "Egen fråga (erkännande): What would tell you that you sleep better?" in out
    assert "/ask" not in out


def test_followups_per_question_replaces_the_future_focused_share():
    def round_with(followups: int) -> Session:
        s = Session("20261123-100000-aaaa", None, "practice", "practice", 1, "en", practice=True)
        s.answers = [
            Answer("P", "best-hopes", "x", [Followup("What else?", "y")] * followups),
            Answer("L", "miracle", "x"),
        ]
        s.practice_data = PracticeRound(roles=Roles("A", "B"))
        return s

    curious, brief = (practice.tally(round_with(n), PRACTICE) for n in (4, 0))
    assert curious.followups_per_question == 2.0 and brief.followups_per_question == 0
    assert not hasattr(curious, "future_share")


def test_a_coach_of_two_rounds_gets_their_counts_added_up():
    rounds = []
    for n, coach, useful in ((1, "A", 6), (2, "B", 9), (3, "A", 9)):
        s = Session(f"20261123-10000{n}-aaaa", None, "practice", "practice", 1, "en", practice=True)
        s.answers = [Answer("P", "best-hopes", "x")]
        s.practice_data = PracticeRound(
            round=n, rounds=3, roles=Roles(coach, "C"), scenario=CARD, usefulness=useful
        )
        rounds.append(s)
    summary = practicerecord.summary(practicerecord.keep(rounds))
    a, b = summary["coaches"]
    assert (a["coach"], a["rounds"], a["questions"], a["usefulness"]) == ("A", [1, 3], 2, 7.5)
    assert (b["coach"], b["rounds"], b["usefulness"]) == ("B", [2], 9)
    table = practicerecord.comparison(summary, "sv")
    assert table_row("\n".join(table), "Nytta (0–10)") == ["7,5", "9"]
    assert table_row("\n".join(table), "Skala använd") == ["0/2", "nej"]


def test_the_table_fits_sixty_columns_with_long_names():
    rounds = []
    for n, coach in enumerate(("Annamaria Lindqvist", "Bo", "Cia-Lotta"), start=1):
        s = Session(f"20261123-10000{n}-aaaa", None, "practice", "practice", 1, "sv", practice=True)
        s.practice_data = PracticeRound(round=n, rounds=3, roles=Roles(coach, "X", "Y"))
        rounds.append(s)
    for lang in ("sv", "en"):
        table = practicerecord.comparison(practicerecord.summary(practicerecord.keep(rounds)), lang)
        assert all(len(row) < 60 for row in table), table
        assert table[0].split() == ["Annamaria…", "Bo", "Cia-Lotta"]


# --- exports ---------------------------------------------------------------------------


def test_a_markdown_export_of_a_round_carries_the_practice_and_no_confidentiality_banner(played):
    md = sf("export", played["rows"][0]["id"], "--format", "md").stdout
    assert "Confidential" not in md and "sensitive personal data" not in md
    assert "*Practice with a fictional role card: no client's personal data.*" in md
    assert "- Round 1 of 3 · coach Anna · client Bo · observer Cia" in md
    assert "- Role card: Debts and the enforcement agency (level 3)" in md
    assert (
        "- **What would tell you that you sleep better? (compliment)**\\\n  I sleep before midnight"
        in md
    )
    assert "### The observer's tally" in md and "- Follow-ups per question: " in md
    assert "- Went well: Well 8" in md and "- Do more of: More 8" in md
    assert "- Usefulness for the client: 8/10" in md
    # The card and roles come before the conversation, the feedback after it.
    assert md.index("### Practice round") < md.index("### Platform") < md.index("### Feedback")


def test_a_meeting_export_keeps_its_confidentiality_banner(store_dir):
    saved_session(Store(store_dir), "K1", "2026-03-02T10:00", progress=4)
    (row,) = sf_json("sessions", "list")
    md = sf("export", row["id"], "--format", "md", "--lang", "en").stdout
    assert "sensitive personal data" in md and "fictional" not in md
    assert 'class="confidential"' in sf("export", row["id"], "--format", "html").stdout


class Sections(HTMLParser):
    """Each <section>'s heading and the texts of its list items."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {}
        self.classes: list[str] = []
        self._heading: str | None = None
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        self.classes += (dict(attrs).get("class") or "").split()
        if tag in ("h3", "li"):
            self._in, self._text = tag, ""

    def handle_endtag(self, tag):
        if tag == "h3" and self._in == "h3":
            self._heading = self._text
            self.found[self._heading] = []
        elif tag == "li" and self._in == "li" and self._heading:
            self.found[self._heading].append(self._text)
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text += data


def test_an_html_export_of_a_round_carries_the_practice(played):
    page = sf("export", played["rows"][1]["id"], "--format", "html", "--lang", "sv").stdout
    parsed = Sections()
    parsed.feed(page)
    assert "confidential" not in parsed.classes and "fictional" in parsed.classes
    about = parsed.found["Övningsrunda"]
    assert about[0] == "Runda 2 av 3 · samtalsledare Bo · klient Cia · observatör Anna"
    assert (
        about[1] == "Rollkort: Skulder och Kronofogden (nivå 3)"
        and "Nytta för klienten: 5/10" in about
    )
    assert parsed.found["Återkoppling"] == ["Gick bra: Well 5", "Gör mer av: More 5"]
    assert any(x.startswith("Ställda frågor:") for x in parsed.found["Observatörens räkning"])
    assert "Egna frågor" not in parsed.found  # Bo asked none of his own


def test_an_html_export_lists_own_questions_with_their_answers(played):
    page = sf("export", played["rows"][0]["id"], "--format", "html").stdout
    parsed = Sections()
    parsed.feed(page)
    (asked,) = parsed.found["Own questions"]
    assert asked == "What would tell you that you sleep better? (compliment)I sleep before midnight"


def test_a_csv_export_of_a_round_has_rows_for_the_practice(played):
    text = sf("export", played["rows"][0]["id"], "--format", "csv").stdout.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    kinds = {}
    for r in rows:
        kinds.setdefault(r["type"], []).append(r)
    assert [(r["question"], r["text"]) for r in kinds["role"]] == [
        ("coach", "Anna"), ("client", "Bo"), ("observer", "Cia"),
    ]  # fmt: skip
    (card,) = kinds["card"]
    assert (card["question"], card["text"], card["value"]) == (
        CARD,
        "Debts and the enforcement agency",
        "3",
    )
    (asked,) = kinds["ask"]
    assert (asked["question"], asked["asked"], asked["text"]) == (
        "compliment", "What would tell you that you sleep better?", "I sleep before midnight",
    )  # fmt: skip
    assert [(r["question"], r["text"]) for r in kinds["feedback"]] == [
        ("well", "Well 8"), ("more", "More 8"),
    ]  # fmt: skip
    tally = {r["question"]: int(r["value"]) for r in kinds["tally"]}
    assert tally["compliment"] >= 1 and tally["ended_with_step"] == 1 and tally["questions"] > 5
    assert [r["value"] for r in kinds["usefulness"]] == ["8"]


def test_the_json_export_of_a_round_is_unchanged_and_keeps_practice_data(played):
    data = json.loads(sf("export", played["rows"][0]["id"], "--format", "json").stdout)
    assert data["practice"] is True and data["practice_data"]["usefulness"] == 8


# --- search ------------------------------------------------------------------------------


def test_the_answer_to_an_own_question_is_found_among_practice_rounds(played):
    hits = sf_json("search", "midnight")
    assert [h["session"] for h in hits] == [played["rows"][0]["id"]]
    assert hits[0]["practice"] is True and "«midnight»" in hits[0]["snippet"]
    assert sf_json("search", "sleep better")[0]["field"] == "ask"


# --- lists -------------------------------------------------------------------------------


def test_sessions_list_practice_tells_the_rounds_apart(played, monkeypatch):
    from sfcoach.ui import render

    monkeypatch.setattr(render, "_terminal_width", lambda: None)  # a pipe: every column
    out = sf("sessions", "list", "--practice", "--lang", "en").stdout.splitlines()
    assert out[0].split() == ["id", "practice", "round", "coach", "card", "status", "date"]
    first = out[-1]  # newest first: round 1 last
    assert first.startswith(played["rows"][0]["id"]) and played["group"] in first
    assert "1/3" in first and "Anna" in first and "Debts and the enforcement agency" in first


@pytest.mark.parametrize("width", [60, 80, 100])
def test_sessions_list_practice_fits_the_terminal(played, monkeypatch, width):
    from sfcoach.ui import render

    monkeypatch.setattr(render, "_terminal_width", lambda: width)
    out = sf("sessions", "list", "--practice", "--lang", "sv").stdout.splitlines()
    assert all(len(line) < width for line in out), out
    assert all(r["id"] in "\n".join(out) for r in played["rows"])  # the ids stay whole
    assert "1/3" in out[-1] and "Anna" in out[-1]
    if width > 60:
        assert played["group"][:15] in out[1]  # a start of the group that --show takes


def test_sessions_list_json_practice_rows_have_group_round_coach_and_card(played):
    row = played["rows"][1]
    for key in ("id", "client", "meeting", "practice", "status", "started", "ended", "progress"):
        assert key in row
    assert (row["group"], row["round"], row["rounds"]) == (played["group"], 2, 3)
    assert (row["coach"], row["card"]) == ("Bo", CARD)


def test_sessions_list_leaves_practice_out_unless_asked(played, store_dir):
    saved_session(Store(store_dir), "K1", "2026-03-02T10:00", progress=4)
    assert [r["client"] for r in sf_json("sessions", "list")] == ["K1"]
    listed = sf("sessions", "list", "--lang", "en").stdout
    assert "3 practice rounds not listed: --practice lists" in listed
    assert len(sf_json("sessions", "list", "--all")) == 4
    assert len(sf_json("sessions", "list", "--no-practice")) == 1
    assert "not listed" not in sf("sessions", "list", "--all", "--lang", "en").stdout
    everything = sf("sessions", "list", "--all", "--lang", "en").stdout
    assert len([line for line in everything.splitlines() if " practice " in line]) == 3
    assert "K1" in everything


def test_a_list_of_meetings_without_practice_says_nothing_about_practice(store_dir):
    saved_session(Store(store_dir), "K1", "2026-03-02T10:00", progress=4)
    assert "practice" not in sf("sessions", "list", "--lang", "en").stdout


# --- resume ------------------------------------------------------------------------------


def test_resume_offers_a_paused_meeting_before_a_newer_abandoned_practice_round(store_dir):
    store = Store(store_dir)
    meeting = saved_session(store, "K1", "2026-03-02T10:00", status="paused")
    saved_session(store, "K1", "2026-03-04T10:00", status="paused", practice=True)
    assert store.latest_unfinished().id == meeting.id


def test_resume_without_an_id_continues_the_meeting_not_the_practice(store_dir):
    start = sf(
        "start", "--client", "K1", "--meeting", "first-visit", "--lang", "en",
        "--practitioner", "P", input="My hopes\n",
    )  # fmt: skip
    assert start.returncode == 0, start.stderr
    round_one = round_lines("8")[:4]  # the practice stops in its conversation
    sf("practice", "--pair", "A,B", "--lang", "en", input=lines(*round_one))
    (abandoned,) = sf_json("sessions", "list", "--practice")
    assert abandoned["status"] == "paused"
    proc = sf("resume", "--lang", "en", input="")
    assert proc.returncode == 0, proc.stderr
    assert "K1" in proc.stdout.splitlines()[0]
    (still,) = sf_json("sessions", "list", "--practice")
    assert still["status"] == "paused"


def test_a_practice_with_own_cards_names_them_and_falls_back_to_the_id(tmp_path):
    cards = tmp_path / "cards.yaml"
    cards.write_text(
        "schema: 1\ncards:\n"
        "  - {id: own-a, level: 2, title: {sv: Eget A, en: Own A}, situation: {sv: S, en: S}}\n"
    )
    script = [*round_lines("6"), *round_lines("7")]
    proc = sf(
        "practice", "--pair", "A,B", "--cards", str(cards), "--lang", "en", input=lines(*script)
    )
    assert proc.returncode == 0, proc.stdout[-600:]
    group = sf_json("sessions", "list", "--practice")[0]["group"]
    assert (
        sf("practice", "--show", group, "--lang", "en").stdout.count("Role card: Own A (level 2)")
        == 2
    )
    cards.unlink()  # moved away since: the rounds are still shown, the card by its id
    shown = sf("practice", "--show", group, "--lang", "en")
    assert shown.returncode == 0 and shown.stdout.count("Role card: own-a") == 2


def test_an_unfinished_round_says_so_in_the_whole_practice():
    proc = sf("practice", "--pair", "A,B", "--lang", "en", input=lines(*round_lines("6")[:-2]))
    assert proc.returncode == 0
    (row,) = sf_json("sessions", "list", "--practice")
    out = sf("practice", "--show", row["id"], "--lang", "en").stdout
    assert "Round 1 of 2 · coach A · client B (paused)" in out
    assert table_row(out, "Usefulness (0–10)") == ["–"]
