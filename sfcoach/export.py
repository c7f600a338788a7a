"""Exports of one session or of all of a client's sessions: md, json, csv and html.

Pure functions from sessions to text: no files, no terminal. `lang` is the
language of headings and labels; what was asked and answered is shown as
stored. Every piece of user text is escaped for the format it lands in, so an
answer can neither break a Markdown case file, run a formula in a spreadsheet
nor inject markup or script into the HTML page.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from typing import Any

from sfcoach import practicerecord
from sfcoach.i18n import LANGS, meeting_name, phase_name, t
from sfcoach.models import (
    CATEGORIES,
    PHASES,
    Answer,
    Feedback,
    Followup,
    OwnQuestion,
    Rating,
    Session,
    Step,
)
from sfcoach.practicerecord import Round
from sfcoach.texts import session_texts
from sfcoach.textsafe import json_text, printable

FORMATS = ("md", "json", "csv", "html")

CSV_COLUMNS = (
    "session",
    "client",
    "date",
    "meeting",
    "phase",
    "question",
    "type",
    "asked",
    "text",
    "value",
    "status",
)


def export(
    sessions: list[Session],
    fmt: str,
    lang: str,
    client: str | None = None,
    delimiter: str | None = None,
) -> str:
    """`sessions` oldest first: one session, or all of `client`'s sessions. CSV cells
    are split by `delimiter`, by default `;` in Swedish (Swedish Excel's list separator,
    as the decimal comma takes the comma) and `,` otherwise."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    lang = lang if lang in LANGS else "en"
    if fmt == "json":
        return _json(sessions, client)
    if fmt == "csv":
        return _csv(sessions, delimiter or (";" if lang == "sv" else ","))
    doc = _Doc(sessions, lang, client)
    return _markdown(doc) if fmt == "md" else _html(doc)


def sessions_lang(sessions: list[Session]) -> str | None:
    """The language the meetings were held in: the latest one's, if it is one we speak."""
    lang = sessions[-1].lang if sessions else None
    return lang if lang in LANGS else None


# --- shared ----------------------------------------------------------------------

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(stamp: str | None) -> str:
    m = _DATE.match(stamp or "")
    return m.group(0) if m else (stamp or "")


def _clean(text: str) -> str:
    """Control characters, escape sequences and bidi overrides made visible and inert: some
    are invalid in HTML, and any of them acts on the terminal a Markdown or CSV export is
    printed to (the same filter as every terminal output, see textsafe)."""
    return printable(text)


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in _clean(text).splitlines() if part.strip())


def _paragraphs(text: str) -> list[list[str]]:
    """Lines grouped by blank lines, each line stripped; empty text gives []."""
    paras: list[list[str]] = [[]]
    for line in _clean(text).splitlines():
        line = line.strip()
        if line:
            paras[-1].append(line)
        elif paras[-1]:
            paras.append([])
    return [p for p in paras if p]


class _Scale:
    def __init__(self, scale: str) -> None:
        self.scale = scale
        self.label = ""
        self.min: int | None = None
        self.max: int | None = None
        self.points: list[tuple[str, int]] = []  # (date, value), oldest first
        self.goal = ""  # a goal scale's goal in the client's words, as last rated

    def add(self, rating: Rating, date: str) -> None:
        self.label = rating.label or self.label
        self.goal = rating.goal or self.goal
        self.min = rating.min if self.min is None else min(self.min, rating.min)
        self.max = rating.max if self.max is None else max(self.max, rating.max)
        self.points.append((date, rating.value))

    @property
    def name(self) -> str:
        return self.label or self.scale

    @property
    def lo(self) -> int:
        return 0 if self.min is None else self.min

    @property
    def hi(self) -> int:
        return 10 if self.max is None else self.max


class _Doc:
    """What md and html both show, with labels in the export's language."""

    def __init__(self, sessions: list[Session], lang: str, client: str | None) -> None:
        self.sessions = sessions
        self.lang = lang
        alias = client or next((s.client for s in sessions if s.client), None)
        self.title = (
            f"{alias} – {self.label('export.sessions')}" if alias else self.label("export.practice")
        )
        self.dates = {s.id: _date(s.started) for s in sessions}
        # Practice rounds are role-play with fictional cards: no confidentiality banner.
        self.practice = bool(sessions) and all(s.practice for s in sessions)
        self.rounds = {r.session.id: r for r in practicerecord.keep(sessions)}
        self.scales: dict[str, _Scale] = {}
        for s in sessions:
            seen: set[str] = set()
            for r in s.ratings:
                if r.scale not in seen:
                    seen.add(r.scale)
                    self.scales.setdefault(r.scale, _Scale(r.scale)).add(r, self.dates[s.id])

    def label(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def banner(self) -> str:
        return self.label("export.practice-note" if self.practice else "export.confidential")

    def practice_sections(self, s: Session) -> list[tuple[str, list[str]]]:
        """(heading, lines) of a practice round: its roles, card and usefulness, the
        observer's tally and the feedback; plain text, for md and html to escape."""
        kept = self.rounds.get(s.id)
        if kept is None:
            return []
        lang = self.lang
        about = [practicerecord.round_head(kept, lang), kept.card_name(lang)]
        about += [revealed] if (revealed := practicerecord.revealed_line(kept, lang)) else []
        if kept.data.usefulness is not None:
            about.append(t("practice.useful-was", lang, n=kept.data.usefulness))
        sections = [("export.practice-round", about)]
        if kept.tally is not None:
            tally = [line.strip() for line in practicerecord.tally_lines(kept.tally, lang)]
            sections.append(("export.tally", tally))
        feedback = [f"{t('practice.fb-' + f.kind, lang)} {f.text}" for f in kept.data.feedback]
        if feedback:
            sections.append(("export.feedback", feedback))
        return [(self.label(key), lines) for key, lines in sections]

    def own_questions(self, s: Session) -> list[OwnQuestion]:
        return s.practice_data.asked if s.practice_data else []

    def category(self, name: str) -> str:
        return self.label("category." + name)

    def count(self) -> str:
        if not self.sessions:
            return self.label("export.no-sessions")
        first, last = _date(self.sessions[0].started), _date(self.sessions[-1].started)
        return self.label("export.count", n=len(self.sessions), first=first, last=last)

    def meeting(self, s: Session) -> str:
        return meeting_name(s.meeting, self.lang)

    def phase(self, phase: str) -> str:
        return phase_name(phase, self.lang)

    def trend(self, sc: _Scale) -> str:
        """'Progress: 3 → 5 → 6 (0–10)', label as stored."""
        values = " → ".join(str(v) for _, v in sc.points)
        goal = f" {self.label('view.quoted', text=_one_line(sc.goal))}" if sc.goal else ""
        return f"{sc.name}: {values} ({sc.lo}–{sc.hi}){goal}"

    def heading(self, s: Session) -> list[str]:
        """Date, meeting type, practitioner, status: each already plain text."""
        parts = [_date(s.started) or s.id, self.meeting(s)]
        if s.practitioner.strip():
            parts.append(s.practitioner)
        parts.append(self.label("status." + s.status))
        return parts

    def phases(self, s: Session) -> list[tuple[str, list[Any]]]:
        """Answers and ratings by PLUS phase, in the order they were given."""
        items: list[Any] = [*s.answers, *s.ratings]
        if all(i.at for i in items):
            items.sort(key=lambda i: i.at)
        order = list(PHASES) + [i.phase for i in items if i.phase not in PHASES]
        out = []
        for phase in dict.fromkeys(order):
            mine = [i for i in items if i.phase == phase]
            if mine:
                out.append((phase, mine))
        return out

    def step_sections(self, s: Session) -> list[tuple[str, list[tuple[Step, str, str]]]]:
        """(label key, [(step, status, which meeting it came from)]): the steps from
        earlier meetings as reviewed here (or carried and not reviewed), then the steps
        agreed here; a section without steps is left out."""
        reviewed = [
            (x, self.label("status." + x.status), self._origin(x))
            for x in s.steps
            if x.from_session not in (None, s.id)
        ]
        done = {(x.text, x.from_session) for x, _, _ in reviewed}
        reviewed += [
            (x, self.label("export.not-reviewed"), self._origin(x))
            for x in s.carried
            if (x.text, x.from_session) not in done
        ]
        agreed = [
            (x, self.label("status." + x.status), "")
            for x in s.steps
            if x.from_session in (None, s.id)
        ]
        sections = (("export.steps-reviewed", reviewed), ("export.steps-agreed", agreed))
        return [(key, steps) for key, steps in sections if steps]

    def _origin(self, step: Step) -> str:
        date = self.dates.get(step.from_session or "")
        return self.label("export.from", date=date) if date else ""

    def rating_line(self, r: Rating) -> tuple[str, str]:
        """('Progress: 6', '0 = …, 10 = …') or ('Progress: 6', '0–10') without anchors."""
        head = f"{r.label or r.scale}: {r.value}"
        if r.low.strip() or r.high.strip():
            return head, f"{r.min} = {_one_line(r.low)}, {r.max} = {_one_line(r.high)}"
        return head, f"{r.min}–{r.max}"


# --- json -------------------------------------------------------------------------


def _json(sessions: list[Session], client: str | None) -> str:
    from sfcoach.sessionfile import session_json

    data: Any = [session_json(s) for s in sessions]
    if client is None and len(sessions) == 1:
        data = data[0]
    # json_text: the same data, with nothing left raw that a terminal would act on.
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


# --- csv --------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula and a terminal will not act on;
    numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return _clean("'" + text if text.startswith(_FORMULA_START) else text)


def _csv_rows(s: Session, kept: Round | None = None) -> list[list[object]]:
    """One row per answer, follow-up, rating, step and note, in CSV_COLUMNS order; a
    practice round adds its roles and card first, and its own questions, feedback,
    tally and usefulness."""
    base: list[object] = [s.id, s.client or "", _date(s.started), s.meeting]
    rows: list[list[object]] = []

    def add(
        phase: str,
        question: str,
        kind: str,
        asked: str,
        text: str,
        value: int | None = None,
        status: str = "",
    ) -> None:
        rows.append([*base, phase, question, kind, asked, text, value, status])

    if kept is not None:
        roles = kept.data.roles
        for role in ("coach", "client", "observer"):
            if getattr(roles, role):
                add("", role, "role", "", getattr(roles, role))
        title = kept.card.text("title", s.lang) if kept.card else ""
        add("", kept.data.scenario, "card", "", title, kept.card.level if kept.card else None)
    for ref in session_texts(s):
        owner, text = ref.owner, ref.get()
        if isinstance(ref.holder, Followup) and isinstance(owner, Answer | Rating):
            add(owner.phase, ref.question or "", "followup", ref.holder.text, text)
        elif isinstance(ref.holder, Followup) and isinstance(owner, Step):  # a step review's
            add("", owner.question or "", "followup", ref.holder.text, text, None, owner.status)
        elif ref.kind == "answer" and isinstance(owner, Answer):
            add(owner.phase, owner.question, "answer", owner.asked, text)
        elif ref.kind == "rating" and isinstance(owner, Rating):
            add(owner.phase, owner.scale, "rating", owner.asked, text, owner.value)
        elif ref.kind == "step" and isinstance(owner, Step):
            add("", owner.question or "", "step", "", text, None, owner.status)
        elif ref.kind == "note":
            add("", "", "note", "", text)
        elif ref.kind == "ask-answer" and isinstance(owner, OwnQuestion):
            add(owner.phase or "", owner.category, "ask", owner.text, text)
        elif ref.kind == "feedback" and isinstance(owner, Feedback):
            add("", owner.kind, "feedback", "", text)
    if kept is not None:
        rows += [[*base, "", key, "tally", "", "", n, ""] for key, n in _tally_counts(kept)]
        if kept.data.usefulness is not None:
            add("", "usefulness", "usefulness", "", "", kept.data.usefulness)
    return rows


def _tally_counts(kept: Round) -> list[tuple[str, int]]:
    """A round's tally as whole numbers: questions per type, then the rest (yes is 1)."""
    c = kept.tally
    if c is None:
        return []
    counts = [(k, c.by_type.get(k, 0)) for k in CATEGORIES]
    return [
        *counts,
        ("questions", c.questions),
        ("followups", c.followups),
        ("scale_used", int(c.scale_used)),
        ("ended_with_step", int(c.ended_with_step)),
    ]


def _csv(sessions: list[Session], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    kept = {r.session.id: r for r in practicerecord.keep(sessions)}
    for s in sessions:
        writer.writerows([_cell(c) for c in row] for row in _csv_rows(s, kept.get(s.id)))
    return "\ufeff" + buf.getvalue()


# --- markdown -----------------------------------------------------------------------

# Punctuation that means something anywhere in a line; each is backslash-escaped.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]|~#])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What turns a line into a list item, quote, heading or rule at its start.
_MD_LINE_START = re.compile(r"^([-+=>])")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def _md_line(line: str) -> str:
    """One line of user text, made inert: shown literally, never Markdown structure."""
    line = _MD_ANYWHERE.sub(r"\\\1", line)
    line = _MD_ENTITY.sub("&amp;", line)
    line = line.replace("<", "&lt;")
    line = _MD_LINE_START.sub(r"\\\1", line)
    return _MD_ORDERED.sub(r"\1\\\2", line)


def _md(text: str) -> str:
    """Single-line user text (labels, names, questions as asked)."""
    return _md_line(_one_line(text))


def _md_block(text: str, indent: str) -> str:
    """Multi-line user text inside a list item: hard line breaks, paragraphs kept."""
    paras = [[_md_line(line) for line in p] for p in _paragraphs(text)]
    return f"\n\n{indent}".join(f"\\\n{indent}".join(p) for p in paras)


def _md_item(question: str, body: str, followups: list[Followup]) -> list[str]:
    inner = "  "
    head = f"- **{_md(question)}**" if question.strip() else "-"
    if body:
        head += f"\\\n{inner}{body}" if question.strip() else f" {body}"
    lines = [head]
    for f in followups:
        answer = _md_block(f.answer, inner + "  ")
        lines += _md_item_followup(f.text, answer, inner)
    return lines


def _md_item_followup(question: str, answer: str, pad: str) -> list[str]:
    q = _md(question)
    head = f"{pad}- *{q}*" if q else f"{pad}-"
    if answer:
        head += f"\\\n{pad}  {answer}" if q else f" {answer}"
    return [head]


def _markdown(doc: _Doc) -> str:
    out = [
        f"# {_md(doc.title)}",
        "",
        f"*{doc.banner()}*",
        "",
        _md(doc.count()),
        "",
    ]
    if len(doc.sessions) > 1 and doc.scales:
        out += [f"## {doc.label('export.overview')}", ""]
        out += [f"- {_md(doc.trend(sc))}" for sc in doc.scales.values()]
        out.append("")
    for s in doc.sessions:
        out += _md_session(doc, s)
    return "\n".join(out).rstrip("\n") + "\n"


def _md_session(doc: _Doc, s: Session) -> list[str]:
    out = ["## " + " · ".join(_md(p) for p in doc.heading(s)), ""]
    out += [f"{doc.label('export.session-id')}: {_md(s.id)}", ""]
    out += _md_practice(doc, s, first=True)
    phases = doc.phases(s)
    if not phases:
        out += [doc.label("export.no-answers"), ""]
    for phase, items in phases:
        out += [f"### {_md(doc.phase(phase))}", ""]
        for item in items:
            if isinstance(item, Rating):
                head, scale = doc.rating_line(item)
                body = f"{_md(head)} ({_md(scale)})"
                out += _md_item(item.asked or item.scale, body, item.followups)
            else:
                body = _md_block(item.text, "  ")
                out += _md_item(item.asked or item.question, body, item.followups)
        out.append("")
    for key, steps in doc.step_sections(s):
        out += [f"### {doc.label(key)}", ""]
        for step, status, origin in steps:
            tail = f"*{_md(status)}*" + (f", {_md(origin)}" if origin else "")
            out.append(f"- {_md_block(step.text, '  ')} — {tail}")
            for f in step.followups:  # the client's account of the step, as reviewed
                out += _md_item_followup(f.text, _md_block(f.answer, "    "), "  ")
        out.append("")
    if s.notes:
        out += [f"### {doc.label('export.notes')}", ""]
        out += [f"- {_md_block(n.text, '  ')}" for n in s.notes]
        out.append("")
    return out + _md_practice(doc, s, first=False)


def _md_practice(doc: _Doc, s: Session, first: bool) -> list[str]:
    """A practice round's roles and card `first`, before the conversation; after it, the
    coach's own questions, the tally and the feedback."""
    out: list[str] = []
    sections = doc.practice_sections(s)
    for heading, lines in sections[:1] if first else sections[1:]:
        out += [f"### {_md(heading)}", "", *(f"- {_md(line)}" for line in lines), ""]
    if first or not doc.own_questions(s):
        return out
    own: list[str] = [f"### {doc.label('export.own-questions')}", ""]
    for q in doc.own_questions(s):
        asked = f"{q.text} ({doc.category(q.category)})"
        own += _md_item(asked, _md_block(q.answer, "  "), [])
    return [*own, "", *out]


# --- html ---------------------------------------------------------------------------

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d1d1f; background: #fff; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem;
  margin-top: 2.5rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; color: #24516e; }
.confidential { font-style: italic; color: #6e3b00; }
.fictional { font-style: italic; color: #444; }
.meta { color: #555; font-size: .9rem; margin-top: 0; }
ul { padding-left: 1.2rem; }
li { margin: .35rem 0; }
.q { font-weight: 600; }
.fu .q { font-weight: normal; font-style: italic; }
.a, .t { white-space: pre-wrap; overflow-wrap: anywhere; }
.u { unicode-bidi: isolate; }
.rating .value { font-weight: 600; }
.anchors { color: #555; }
.status { font-style: italic; color: #444; }
.trend { list-style: none; padding: 0; }
figure { margin: 1rem 0 1.5rem; }
figcaption { font-size: .9rem; color: #444; }
svg.chart { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
@media print {
  body { font-size: 11pt; max-width: none; margin: 0; padding: 0; color: #000; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  article.session { break-before: page; page-break-before: always; }
  article.session:first-of-type { break-before: auto; page-break-before: auto; }
  figure, li { break-inside: avoid; page-break-inside: avoid; }
  .confidential, .meta, .anchors, .status, figcaption { color: #000; }
}
""".strip()


def _h(text: str) -> str:
    return html.escape(_clean(text), quote=True)


def _u(text: str, cls: str, tag: str = "span") -> str:
    """User text in its own element: escaped, its direction isolated."""
    return f'<{tag} class="u {cls}" dir="auto">{_h(text)}</{tag}>'


def _html(doc: _Doc) -> str:
    lang = doc.lang
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(doc.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_h(doc.title)}</h1>",
        f'<p class="{"fictional" if doc.practice else "confidential"}">{_h(doc.banner())}</p>',
        f"<p>{_h(doc.count())}</p>",
        "</header>",
    ]
    if doc.scales:
        title = (
            doc.label("export.overview") if len(doc.sessions) > 1 else doc.label("export.ratings")
        )
        out += ['<section class="overview">', f"<h2>{_h(title)}</h2>"]
        if len(doc.sessions) > 1:
            out.append('<ul class="trend">')
            out += [f"<li>{_h(doc.trend(sc))}</li>" for sc in doc.scales.values()]
            out.append("</ul>")
        for sc in doc.scales.values():
            out += ["<figure>", _svg(doc, sc), f"<figcaption>{_h(sc.name)}</figcaption>"]
            out.append("</figure>")
        out.append("</section>")
    for s in doc.sessions:
        out += _html_session(doc, s)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_followups(items: list[Followup]) -> list[str]:
    if not items:
        return []
    out = ['<ul class="fu">']
    for f in items:
        out.append(f"<li>{_u(f.text, 'q', 'div')}{_u(f.answer, 'a', 'div')}</li>")
    out.append("</ul>")
    return out


def _html_session(doc: _Doc, s: Session) -> list[str]:
    out = [
        '<article class="session">',
        "<h2>" + " · ".join(_h(p) for p in doc.heading(s)) + "</h2>",
        f'<p class="meta">{_h(doc.label("export.session-id"))}: {_h(s.id)}</p>',
        *_html_practice(doc, s, first=True),
    ]
    phases = doc.phases(s)
    if not phases:
        out.append(f"<p>{_h(doc.label('export.no-answers'))}</p>")
    for phase, items in phases:
        out += ['<section class="phase">', f"<h3>{_h(doc.phase(phase))}</h3>", "<ul>"]
        for item in items:
            if isinstance(item, Rating):
                head, scale = doc.rating_line(item)
                out.append(
                    '<li class="rating">'
                    + _u(item.asked or item.scale, "q", "div")
                    + f'<div><span class="u value" dir="auto">{_h(head)}</span> '
                    + f'<span class="u anchors" dir="auto">({_h(scale)})</span></div>'
                )
                out += _html_followups(item.followups)
            else:
                out.append("<li>" + _u(item.asked or item.question, "q", "div"))
                if item.text:
                    out.append(_u(item.text, "a", "div"))
                out += _html_followups(item.followups)
            out.append("</li>")
        out += ["</ul>", "</section>"]
    for key, steps in doc.step_sections(s):
        out += [f'<section class="steps"><h3>{_h(doc.label(key))}</h3>', "<ul>"]
        for step, status, origin in steps:
            tail = status + (f", {origin}" if origin else "")
            out.append(f'<li>{_u(step.text, "t")} — <span class="status">{_h(tail)}</span>')
            out += _html_followups(step.followups)
            out.append("</li>")
        out += ["</ul>", "</section>"]
    if s.notes:
        out += [f'<section class="notes"><h3>{_h(doc.label("export.notes"))}</h3>', "<ul>"]
        out += [f"<li>{_u(n.text, 't')}</li>" for n in s.notes]
        out += ["</ul>", "</section>"]
    out += _html_practice(doc, s, first=False)
    out.append("</article>")
    return out


def _html_practice(doc: _Doc, s: Session, first: bool) -> list[str]:
    """As `_md_practice`: the roles and card `first`, the rest after the conversation."""

    def section(heading: str, lines: list[str]) -> list[str]:
        items = [f"<li>{_u(line, 't')}</li>" for line in lines]
        head = f'<section class="practice"><h3>{_h(heading)}</h3>'
        return [head, "<ul>", *items, "</ul>", "</section>"]

    sections = doc.practice_sections(s)
    out = [
        row
        for heading, lines in (sections[:1] if first else sections[1:])
        for row in section(heading, lines)
    ]
    if first or not doc.own_questions(s):
        return out
    own = [f'<section class="asked"><h3>{_h(doc.label("export.own-questions"))}</h3>', "<ul>"]
    for q in doc.own_questions(s):
        asked = f"{q.text} ({doc.category(q.category)})"
        own.append(f"<li>{_u(asked, 'q', 'div')}{_u(q.answer, 'a', 'div')}</li>")
    return [*own, "</ul>", "</section>", *out]


def _ticks(lo: int, hi: int) -> list[int]:
    span = max(hi - lo, 1)
    step = max(1, math.ceil(span / 10))
    ticks = list(range(lo, hi + 1, step))
    if ticks[-1] != hi:
        ticks.append(hi)
    return ticks


def _svg(doc: _Doc, sc: _Scale) -> str:
    """A line chart of one scale over the sessions that rated it: inline SVG, no script."""
    lo, hi = sc.lo, sc.hi
    if hi <= lo:
        hi = lo + 1
    n = len(sc.points)
    if n == 1:
        return _svg_mark(doc, sc, lo, hi)
    left, right, top, bottom = 44, 24, 20, 44
    gap = 84
    width = max(360, left + right + gap * n)
    height = 240
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + plot_w * (i + 0.5) / n

    def y(v: int) -> float:
        v = min(max(v, lo), hi)
        return top + plot_h * (hi - v) / (hi - lo)

    values = ", ".join(f"{d} {v}" for d, v in sc.points)
    label = doc.label("export.chart", label=sc.name, min=sc.lo, max=sc.hi, values=values)
    parts = [
        f'<svg class="chart" role="img" aria-label="{_h(label)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{_h(label)}</title>",
        '<g class="axis" stroke="#d0d7de" stroke-width="1">',
    ]
    for tick in _ticks(lo, hi):
        ty = y(tick)
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}"/>')
    parts += [
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#57606a"/>',
        "</g>",
        '<g class="ticks" fill="#57606a" text-anchor="end">',
    ]
    for tick in _ticks(lo, hi):
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}">{tick}</text>')
    parts.append("</g>")
    coords = [(x(i), y(v)) for i, (_, v) in enumerate(sc.points)]
    if n > 1:
        pts = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="#24516e" stroke-width="2.5" '
            'stroke-linejoin="round"/>'
        )
    parts.append('<g class="points" fill="#24516e">')
    for (cx, cy), (date, v) in zip(coords, sc.points, strict=True):
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5"><title>{_h(date)}: {v}</title>')
        parts.append("</circle>")
    parts.append("</g>")
    parts.append('<g class="values" text-anchor="middle" font-weight="bold" fill="#1d1d1f">')
    for (cx, cy), (_, v) in zip(coords, sc.points, strict=True):
        parts.append(f'<text x="{cx:.1f}" y="{cy - 10:.1f}">{v}</text>')
    parts.append("</g>")
    parts.append('<g class="dates" text-anchor="middle" fill="#57606a">')
    for (cx, _), (date, _) in zip(coords, sc.points, strict=True):
        parts.append(f'<text x="{cx:.1f}" y="{height - bottom + 20}">{_h(date)}</text>')
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_mark(doc: _Doc, sc: _Scale, lo: int, hi: int) -> str:
    """One value has no trend to draw: a compact scale bar with its one mark, not an
    axis-sized chart around a single dot."""
    ((date, v),) = sc.points
    label = doc.label("export.chart", label=sc.name, min=sc.lo, max=sc.hi, values=f"{date} {v}")
    left, right, width, height, mid = 28, 28, 280, 40, 24
    cx = left + (width - left - right) * (min(max(v, lo), hi) - lo) / (hi - lo)
    return "\n".join(
        [
            f'<svg class="chart mark" role="img" aria-label="{_h(label)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
            f"<title>{_h(label)}</title>",
            f'<line x1="{left}" y1="{mid}" x2="{width - right}" y2="{mid}" stroke="#d0d7de" '
            'stroke-width="4" stroke-linecap="round"/>',
            f'<g class="ticks" fill="#57606a"><text x="{left - 6}" y="{mid + 4}" '
            f'text-anchor="end">{lo}</text><text x="{width - right + 6}" y="{mid + 4}">{hi}</text>'
            "</g>",
            f'<g class="points" fill="#24516e"><circle cx="{cx:.1f}" cy="{mid}" r="5.5">'
            f"<title>{_h(date)}: {v}</title></circle></g>",
            f'<g class="values" text-anchor="middle" font-weight="bold" fill="#1d1d1f">'
            f'<text x="{cx:.1f}" y="{mid - 10}">{v}</text></g>',
            "</svg>",
        ]
    )
