"""Exports in md, json, csv and html: content, escaping, and hostile answers."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from sfcoach import export as ex
from sfcoach.models import Answer, Followup, Note, Rating, Session, Step
from sfcoach.sessionfile import session_json

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</svg><script>alert(2)</script>",
]
COMBINING = "Bjo\u0308rk och ka\u030arlek"  # ö and å as letter + combining mark
MULTILINE = "Första raden\nandra raden med å ä ö\n\n# inte en rubrik\n- inte en punkt"


def progress(value: int, label: str = "Framsteg", at: str = "") -> Rating:
    return Rating(
        scale="progress",
        phase="S",
        value=value,
        min=0,
        max=10,
        low="motsatsen till hur du vill ha det",
        high="det är som du vill ha det",
        label=label,
        followups=[Followup("Vad gör att du är på 3 och inte på 0?", "Jag har börjat gå ut 🚶")],
        at=at,
        asked="Var på skalan 0–10 är du i dag?",
    )


def session(
    sid: str,
    day: str,
    value: int | None,
    meeting: str = "follow-up",
    client: str | None = "Klient-Ö7",
    **kw,
) -> Session:
    s = Session(
        id=sid,
        client=client,
        meeting=meeting,
        bank_id=meeting,
        bank_version=1,
        lang="sv",
        practitioner="Åsa Öberg",
        status="completed",
        started=f"{day}T10:00:00+01:00",
        ended=f"{day}T10:45:00+01:00",
        **kw,
    )
    if value is not None:
        s.ratings.append(progress(value, at=f"{day}T10:30:00+01:00"))
    return s


@pytest.fixture
def three() -> list[Session]:
    """A client's first visit and two follow-ups: progress 3, 5, 6; steps carried."""
    s1 = session("s1", "2024-01-10", 3, meeting="first-visit")
    s1.answers = [
        Answer(
            "P",
            "useful",
            "Att jag får hjälp med CV:t 😊",
            [Followup("Vad mer?", "Att någon lyssnar")],
            "2024-01-10T10:05:00+01:00",
            "Vad behöver hända i dag för att samtalet ska vara värt tiden?",
        ),
        Answer("L", "miracle", MULTILINE, [], "2024-01-10T10:10:00+01:00", "Mirakelfrågan"),
        Answer("U", "exceptions", COMBINING, [], "2024-01-10T10:20:00+01:00", ""),
    ]
    s1.steps = [
        Step("Ringa Arbetsförmedlingen", "agreed", "s1", "next-step"),
        Step("Skriva ett utkast till CV", "agreed", "s1", "next-step"),
    ]
    s1.notes = [Note("Klienten kom i tid.")]

    s2 = session("s2", "2024-02-12", 5, previous="s1")
    s2.carried = [
        Step("Ringa Arbetsförmedlingen", "agreed", "s1"),
        Step("Skriva ett utkast till CV", "agreed", "s1"),
    ]
    s2.steps = [
        Step("Ringa Arbetsförmedlingen", "done", "s1", "step-review"),
        Step("Skriva ett utkast till CV", "partly", "s1", "step-review"),
        Step("Söka två jobb", "agreed", "s2", "next-step"),
    ]
    s2.answers = [Answer("P", "better", "Lite bättre, jag sover bättre.", asked="Vad är bättre?")]

    s3 = session("s3", "2024-03-11", 6, previous="s2")
    s3.carried = [
        Step("Skriva ett utkast till CV", "partly", "s1"),
        Step("Söka två jobb", "agreed", "s2"),
    ]
    s3.steps = [Step("Söka två jobb", "done", "s2", "step-review")]
    return [s1, s2, s3]


@pytest.fixture
def hostile() -> Session:
    s = session("evil", "2024-04-01", None, client="<b>x</b>")
    s.practitioner = HOSTILE[1]
    s.answers = [
        Answer("P", "q1", HOSTILE[0], [Followup(HOSTILE[2], HOSTILE[1])], asked=HOSTILE[1]),
        Answer("L", "q2", "# heading\n> quote\n| a | b |\n```\ncode\n```\n1. one\n<b>bold</b>"),
    ]
    s.ratings = [
        Rating(
            scale="p",
            phase="S",
            value=4,
            min=0,
            max=10,
            low=HOSTILE[0],
            high=HOSTILE[2],
            label=HOSTILE[2],
            asked=HOSTILE[0],
        )
    ]
    s.steps = [Step(HOSTILE[0], "agreed", "evil")]
    s.notes = [Note(HOSTILE[2])]
    return s


def test_unknown_format_is_refused(three):
    with pytest.raises(ValueError):
        ex.export(three, "pdf", "sv")
    assert ex.FORMATS == ("md", "json", "csv", "html")


# --- json ---------------------------------------------------------------------------


def test_json_one_session_is_session_json(three):
    out = ex.export(three[:1], "json", "en")
    assert out.endswith("\n")
    assert json.loads(out) == session_json(three[0])
    assert "å" in out and "😊" in out  # ensure_ascii=False
    assert COMBINING in json.loads(out)["answers"][2]["text"]


def test_json_client_is_array_oldest_first(three):
    data = json.loads(ex.export(three, "json", "sv", client="Klient-Ö7"))
    assert data == [session_json(s) for s in three]
    assert [d["ratings"][0]["value"] for d in data] == [3, 5, 6]
    # a client with one session is still an array
    assert isinstance(json.loads(ex.export(three[:1], "json", "sv", client="Klient-Ö7")), list)


# --- markdown -----------------------------------------------------------------------


def test_md_content_and_trend(three):
    md = ex.export(three, "md", "en", client="Klient-Ö7")
    assert md.startswith("# Klient\\-Ö7 – sessions\n") or md.startswith("# Klient-Ö7 – sessions\n")
    assert "Progress" not in md.split("## Overview")[0]
    overview = md.split("## Overview")[1].split("\n## ")[0]
    assert "Framsteg: 3 → 5 → 6 (0–10)" in overview
    assert "## 2024-01-10 · First visit · Åsa Öberg · completed" in md
    assert "## 2024-02-12 · Follow-up · Åsa Öberg · completed" in md
    for phase in ("### Platform", "### Solution", "### Exceptions", "### Steps"):
        assert phase in md
    assert "**Vad behöver hända i dag för att samtalet ska vara värt tiden?**" in md
    assert "Att jag får hjälp med CV:t 😊" in md
    assert "*Vad mer?*" in md and "Att någon lyssnar" in md
    # the rating: label, value and both anchors
    assert (
        "Framsteg: 6 (0 = motsatsen till hur du vill ha det, 10 = det är som du vill ha det)" in md
    )
    assert COMBINING in md
    # a question with no stored wording falls back to its id
    assert "**exceptions**" in md
    assert "### Agreed steps" in md and "Söka två jobb — *agreed*" in md
    assert "Ringa Arbetsförmedlingen — *done*, from 2024\\-01\\-10" in md or (
        "Ringa Arbetsförmedlingen — *done*, from 2024-01-10" in md
    )
    assert "### Notes" in md and "Klienten kom i tid." in md


def test_md_swedish_labels(three):
    md = ex.export(three, "md", "sv", client="Klient-Ö7")
    assert "– samtal" in md.splitlines()[0]
    assert "## Översikt" in md
    assert "· Nybesök · Åsa Öberg · avslutat" in md
    assert "### Plattform" in md and "### Undantag" in md
    assert "### Uppföljning av tidigare steg" in md
    assert "Skriva ett utkast till CV — *delvis*, från 2024" in md
    # s3: a carried step never reviewed is shown as such
    assert "Skriva ett utkast till CV — *inte uppföljt*" in md
    assert "### Anteckningar" in md


def test_md_single_session_has_no_overview(three):
    md = ex.export(three[1:2], "md", "en")
    assert "## Overview" not in md
    assert "→" not in md


def test_md_multiline_answer_stays_in_its_item(three):
    md = ex.export(three[:1], "md", "sv")
    assert "Första raden\\\n  andra raden med å ä ö\n\n  \\# inte en rubrik\\\n  \\- inte" in md


def test_md_escapes_structure(hostile):
    md = ex.export([hostile], "md", "en")
    lines = md.splitlines()
    # only our own headings: title, the session, its phases
    headings = [line for line in lines if line.lstrip().startswith("#")]
    assert all(re.match(r"#{1,3} ", h) for h in headings), headings
    assert not any("heading" in h for h in headings)
    assert not any(line.lstrip().startswith((">", "|", "```", "1.")) for line in lines)
    assert "<" not in md  # every tag written as &lt;
    assert "&lt;script>" in md and "&lt;b>bold&lt;/b>" in md
    assert "\\`\\`\\`" in md and "\\| a \\| b \\|" in md


def test_md_parses_to_the_intended_structure(hostile, three):
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(ex.export([hostile], "md", "en"))
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_block", "fence", "code_block", "blockquote_open", "table_open"}
    assert "ordered_list_open" not in kinds
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[2:] == ["Platform", "Solution", "Steps", "Agreed steps", "Notes"]
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert not [c for c in inline if c.type in ("html_inline", "code_inline", "link_open")]
    text = "".join(c.content for c in inline if c.type == "text")
    assert "# heading" in text and "<script>alert(1)</script>" in text
    # Swedish answers come through the parser unchanged
    rendered = parser.render(ex.export(three, "md", "sv", client="Klient-Ö7"))
    assert "Att jag får hjälp med CV:t 😊" in rendered and COMBINING in rendered


# --- csv ----------------------------------------------------------------------------


def parse_csv(out: str, delimiter: str = ",") -> list[dict[str, str]]:
    assert out.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(out[1:], newline=""), delimiter=delimiter))


def test_csv_rows_and_types(three):
    out = ex.export(three, "csv", "sv", client="Klient-Ö7")
    assert "\r\n" in out and out.endswith("\r\n")
    rows = parse_csv(out, ";")  # Swedish: Swedish Excel's separator
    assert list(rows[0]) == list(ex.CSV_COLUMNS)
    s1 = [r for r in rows if r["session"] == "s1"]
    assert [r["type"] for r in s1] == [
        "answer",
        "followup",
        "answer",
        "answer",
        "rating",
        "followup",
        "step",
        "step",
        "note",
    ]
    first = s1[0]
    assert first["client"] == "Klient-Ö7" and first["date"] == "2024-01-10"
    assert first["meeting"] == "first-visit" and first["phase"] == "P"
    assert first["question"] == "useful" and first["text"] == "Att jag får hjälp med CV:t 😊"
    assert s1[1]["asked"] == "Vad mer?" and s1[1]["text"] == "Att någon lyssnar"
    assert s1[2]["text"] == MULTILINE  # multi-line answer intact in one cell
    assert s1[3]["text"] == COMBINING
    ratings = [r for r in rows if r["type"] == "rating"]
    assert [(r["session"], r["value"], r["text"]) for r in ratings] == [
        ("s1", "3", "Framsteg"),
        ("s2", "5", "Framsteg"),
        ("s3", "6", "Framsteg"),
    ]
    steps = [(r["session"], r["text"], r["status"]) for r in rows if r["type"] == "step"]
    assert ("s2", "Skriva ett utkast till CV", "partly") in steps
    assert ("s3", "Söka två jobb", "done") in steps
    assert len(rows) == 9 + 6 + 3


def test_csv_neutralises_formulas():
    s = session("f", "2024-05-01", None, client="=cmd")
    bad = ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tx", "\r=1", '=HYPERLINK("http://x")']
    s.answers = [Answer("P", f"q{i}", text, asked="fråga") for i, text in enumerate(bad)]
    s.notes = [Note("-ok")]
    s.ratings = [progress(7)]
    rows = parse_csv(ex.export([s], "csv", "en"))
    answers = [r["text"] for r in rows if r["type"] == "answer"]
    assert answers == ["'" + b.replace("\r", "\u240d") for b in bad]  # a CR shown, not acted on
    assert rows[0]["client"] == "'=cmd"
    assert [r["text"] for r in rows if r["type"] == "note"] == ["'-ok"]
    assert [r["value"] for r in rows if r["type"] == "rating"] == ["7"]
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


# --- html ---------------------------------------------------------------------------

VOID = {"meta", "br", "img", "hr", "input", "link"}


class Checker(HTMLParser):
    """Collects tags and checks that elements nest and close properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.circles: list[int] = []  # per svg

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "svg":
            self.circles.append(0)
        if tag == "circle":
            self.circles[-1] += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(out: str) -> Checker:
    checker = Checker()
    checker.feed(out)
    checker.close()
    assert not checker.errors, checker.errors
    assert not checker.stack, checker.stack
    return checker


ALLOWED = {
    *("html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p"),
    *("section", "article", "ul", "li", "div", "span", "figure", "figcaption"),
    *("svg", "g", "line", "polyline", "circle", "text"),
}


def test_html_document_shell(three):
    out = ex.export(three, "html", "sv", client="Klient-Ö7")
    assert out.startswith("<!DOCTYPE html>\n")
    checker = check_html(out)
    tags = checker.tags
    assert {t for t, _ in tags} <= ALLOWED
    assert ("html", {"lang": "sv"}) in tags
    assert ("meta", {"charset": "utf-8"}) in tags
    csp = [a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [
        {
            "http-equiv": "Content-Security-Policy",
            "content": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        }
    ]
    assert "<script" not in out.lower()
    assert "http://" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in out
    assert not re.search(r"\b(src|href)=", out)
    assert "@media print" in out and "url(" not in out and "@import" not in out
    assert ex.export(three, "html", "en")[:100].count('lang="en"') == 1


def test_html_content(three):
    out = ex.export(three, "html", "en", client="Klient-Ö7")
    text = "".join(check_html(out).text)
    assert "Klient-Ö7 – sessions" in text
    assert "Framsteg: 3 → 5 → 6 (0–10)" in text
    assert "2024-01-10 · First visit · Åsa Öberg · completed" in text
    for phase in ("Platform", "Solution", "Exceptions", "Steps"):
        assert phase in text
    assert "Att jag får hjälp med CV:t 😊" in text and "Att någon lyssnar" in text
    assert MULTILINE in text and COMBINING in text
    assert "Framsteg: 6" in text
    assert "(0 = motsatsen till hur du vill ha det, 10 = det är som du vill ha det)" in text
    assert "Söka två jobb" in text and "partly, from 2024-01-10" in text
    assert "Klienten kom i tid." in text
    assert "white-space: pre-wrap" in out


def test_html_chart_per_scale(three):
    three[1].ratings.append(
        Rating("confidence", "S", 8, 0, 10, "inte alls", "helt säker", label="Tilltro")
    )
    out = ex.export(three, "html", "sv", client="Klient-Ö7")
    checker = check_html(out)
    svgs = [a for t, a in checker.tags if t == "svg"]
    assert len(svgs) == 2
    assert checker.circles == [3, 1]
    assert all(a["role"] == "img" and a["aria-label"] for a in svgs)
    assert "Framsteg" in svgs[0]["aria-label"] and "Tilltro" in svgs[1]["aria-label"]
    chart = out[out.index("<svg") : out.index("</svg>")]
    assert "<title>" in chart and "<polyline" in chart
    # y axis ticks 0..10, x labels the dates, the values at the points
    ticks = re.findall(r'<text x="\d+" y="[\d.]+">(\d+)</text>', chart)
    assert ticks == [str(i) for i in range(11)]
    for label in ("2024-01-10", "2024-02-12", "2024-03-11"):
        assert f">{label}</text>" in chart
    assert re.findall(r'<text x="[\d.]+" y="[\d.]+">(\d)</text>', chart)[-3:] == ["3", "5", "6"]
    # higher values are drawn higher up
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', chart)]
    assert ys[0] > ys[1] > ys[2]


def test_html_single_session_has_one_point_chart(three):
    out = ex.export(three[:1], "html", "en")
    checker = check_html(out)
    assert checker.circles == [1]
    assert "<polyline" not in out


def test_html_without_ratings_has_no_chart(hostile):
    hostile.ratings = []
    assert "<svg" not in ex.export([hostile], "html", "en")


def test_html_escapes_hostile_input(hostile):
    out = ex.export([hostile], "html", "en")
    checker = check_html(out)
    assert {t for t, _ in checker.tags} <= ALLOWED
    assert "<script" not in out.lower()
    assert "<img" not in out.lower() and "<b>" not in out
    assert checker.circles == [1]  # the label's </svg> did not close the chart early
    for tag, attrs in checker.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "src" not in attrs
    text = "".join(checker.text)
    for h in HOSTILE:
        assert h in text  # shown literally, as typed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in out
    svg = next(a for t, a in checker.tags if t == "svg")
    assert HOSTILE[2] in svg["aria-label"]


def test_every_format_handles_no_sessions():
    assert json.loads(ex.export([], "json", "en", client="A1")) == []
    assert parse_csv(ex.export([], "csv", "en", client="A1")) == []
    assert "No sessions." in ex.export([], "md", "en", client="A1")
    check_html(ex.export([], "html", "sv", client="A1"))
