"""Human-readable output of the review and bank commands.

Two renderers: rich (imported on use) where a table, panel or long styled view
needs it, and `_Lines` for the hot commands. Every text from a file or a user
passes the one filter in `textsafe` on its way out (`_escape` for rich,
`_plain` for `_Lines`); textsafe's docstring says why each renderer stays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sfcoach.i18n import meeting_name, number, percent, phase_name, t
from sfcoach.models import Bank, Followup, PracticeRound, Session, text_in
from sfcoach.textsafe import markup, one_line, printable
from sfcoach.ui.view import local_minute


def console() -> Any:
    from rich.console import Console

    # soft_wrap: long lines stay whole in pipes; emoji: ':warning:' in an answer stays text.
    return Console(highlight=False, soft_wrap=True, emoji=False)


class _Prose:
    """A console for long texts: on a terminal each printed line wraps between words,
    its next rows hanging under its text (after the indent and a mark such as "↳ ");
    to a pipe or file, lines stay whole. A text's own line breaks keep its indent."""

    def __init__(self) -> None:
        import sys

        from sfcoach.ui.style import width_of

        self.out = console()
        self.width = width_of(sys.stdout)

    def print(self, markup: str = "") -> None:
        from rich.text import Text

        from sfcoach.ui.style import hang_of

        margin = 0  # a text's own next line starts at its first line's indent, in a pipe too
        lines = Text.from_markup(markup, emoji=False).split("\n", allow_blank=True)
        for k, line in enumerate(lines):
            if k and line.plain[:1] not in ("", " "):
                line = Text(" " * margin).append_text(line)
            plain = line.plain
            if plain.strip():  # a blank line inside an answer keeps the indent going
                margin = len(plain) - len(plain.lstrip(" "))
            if self.width is None:
                self.out.print(line)
            else:
                self._wrapped(line, hang_of(plain, self.width))

    def _wrapped(self, line: Any, indent: int) -> None:
        from rich.text import Text

        assert self.width is not None
        rows = line[indent:].wrap(self.out, max(self.width - indent, 1)) or [Text()]
        for n, row in enumerate(rows):
            lead = line[:indent] if n == 0 else Text(" " * indent)
            self.out.print(Text.assemble(lead, row), soft_wrap=True)


def _anchors(low: int, low_text: str, high: int, high_text: str) -> str:
    return f"{low} = {_escape(low_text)} · {high} = {_escape(high_text)}"


def _escape(text: object) -> str:
    """Any text from a file or a user, for rich markup: shown as written, never styled,
    never an escape sequence, never a MarkupError."""
    return markup(str(text))


def _plain(text: object) -> str:
    """Any text from a file or a user, for a `_Lines` line or column."""
    return one_line(str(text))


# --- banks -----------------------------------------------------------------------


def bank_table(rows: list[dict[str, Any]], lang: str) -> None:
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for key in ("id", "title", "languages", "questions"):
        table.add_column(t(f"col.{key}", lang), no_wrap=key == "id")
    for row in rows:
        title = text_in(row["title"], lang)
        table.add_row(
            _escape(row["id"]),
            _escape(title),
            _escape(", ".join(row["languages"])),
            str(row["questions"]),
        )
    console().print(table)


def show_bank(bank: Bank, lang: str) -> None:
    out = _Prose()
    out.print(
        f"[bold]{_escape(text_in(bank.title, lang))}[/] ({_escape(bank.id)}, v{_escape(bank.version)})"
    )
    if bank.description:
        out.print(_escape(text_in(bank.description, lang)))
    for phase in bank.phases:
        name = _escape(phase_name(phase.id, lang))
        out.print(f"\n[bold reverse] {_escape(phase.id)} [/] [bold]{name}[/]")
        if phase.purpose:
            out.print(f"[dim]{_escape(text_in(phase.purpose, lang))}[/]")
        for q in phase.questions:
            extra = f" {q.min}–{q.max}" if q.kind == "scale" else ""
            out.print(
                f"  • [bold]{_escape(text_in(q.text, lang))}[/] [dim]({_escape(q.id)}, {q.kind}{extra})[/]"
            )
            for f in q.followups:
                out.print(f"      ↳ {_escape(text_in(f, lang))}")


def validate_report(files: list[Path], lang: str) -> int:
    """Print every problem as FILE:LINE: key.path: message; 1 if any file has one."""
    import sys

    from sfcoach import bank as banks
    from sfcoach import practice

    bad = 0
    for path in files:
        is_cards = path.is_file() and practice.is_cards_file(path)
        problems = practice.card_problems(path) if is_cards else banks.validate_file(path)
        if not problems:
            sys.stdout.write(t("validate.ok", lang, file=str(path)) + "\n")
            continue
        bad += 1
        for p in problems:
            where = printable(p.path or t("validate.top", lang), lines=False)
            file = printable(str(p.file), lines=False)
            sys.stdout.write(f"{file}:{p.line}: {where}: {t(p.key, lang, **p.params)}\n")
    return 1 if bad else 0


CARD_WIDTH = 88  # a printed card stays readable on paper: about 80 characters a line


def cards(bank_id: str | None, phase: str | None, lang: str) -> None:
    """The questions as cards per phase, to print and use on the table like paper cards.
    The texts wrap inside the card, whole; with several banks each card names its banks."""
    from rich.console import Console

    from sfcoach import bank as banks
    from sfcoach.errors import UserError
    from sfcoach.models import PHASES

    if phase is not None and phase.upper() not in PHASES:
        raise UserError("phase.usage")
    chosen = (
        [banks.resolve(bank_id)]
        if bank_id
        else [banks.load_builtin(i) for i in banks.builtin_ids()]
    )
    # Wrapped, not soft-wrapped: a card's text is cut at its border otherwise.
    out = Console(highlight=False, emoji=False)
    width = min(out.width, CARD_WIDTH)
    for p in PHASES:
        if phase and p != phase.upper():
            continue
        out.print(f"\n[bold reverse] {p} [/] [bold]{phase_name(p, lang)}[/]")
        for q, sources in _phase_cards(chosen, p, lang):
            title = _escape(f"{p} · {t('category.' + q.category, lang)}")
            out.print(_card(q, title, lang, width, sources if len(chosen) > 1 else []))


def _phase_cards(chosen: list[Bank], p: str, lang: str) -> list[tuple[Any, list[str]]]:
    """One card per question text in the phase, with the titles of the banks asking it."""
    found: dict[str, tuple[Any, list[str]]] = {}
    for bank in chosen:
        ph = bank.phase(p)
        for q in ph.questions if ph else ():
            entry = found.setdefault(text_in(q.text, lang), (q, []))
            entry[1].append(text_in(bank.title, lang))
    return list(found.values())


def _card(q: Any, title: str, lang: str, width: int, sources: list[str]) -> Any:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts: list[Any] = [Text(printable(text_in(q.text, lang)), style="bold")]
    parts += [_hanging("↳", text_in(f, lang)) for f in q.followups]
    if q.kind == "scale":
        anchors = _anchors(q.min, text_in(q.low, lang), q.max, text_in(q.high, lang))
        parts.append(Text.from_markup(anchors))
    if q.tip:
        parts.append(_hanging(t("view.tip", lang), text_in(q.tip, lang), "dim"))
    if sources:
        parts.append(Text(t("cards.from", lang, banks=", ".join(sources)), style="dim"))
    return Panel(Group(*parts), title=title, title_align="left", width=width)


def _hanging(mark: str, text: Any, style: str = "") -> Any:
    """`mark text`, a wrapped text's next rows under its first word, not under the mark."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column(overflow="fold", style=style)
    body = text if isinstance(text, Text) else Text(printable(str(text)))
    grid.add_row(mark, body)
    return grid


def card_table(cards: list[Any], lang: str) -> None:
    from rich.table import Table

    out = console()
    meetings = [meeting_name(card.meeting or "practice", lang) for card in cards]
    keys = ["id", "level", "meeting", "title"]
    # A narrow terminal drops the meeting type (--json keeps it) rather than squeeze the
    # titles to a word a row.
    if max(len(c.id) for c in cards) + max(map(len, meetings)) + 8 + CARD_TITLE > out.width:
        keys.remove("meeting")
    table = Table(box=None, pad_edge=False)
    for key in keys:
        table.add_column(t(f"col.{key}", lang), no_wrap=key != "title")
    for card, meeting in zip(cards, meetings, strict=True):
        cells = {"id": card.id, "level": str(card.level), "meeting": meeting,
                 "title": card.text("title", lang)}  # fmt: skip
        table.add_row(*(_escape(cells[k]) for k in keys))
    out.print(table)


CARD_TITLE = 24  # columns a card's title needs to read as a title


# --- sessions ----------------------------------------------------------------------


def session_table(rows: Sequence[Mapping[str, Any]], total: int, lang: str) -> None:
    out = _Lines()
    if not rows:
        out.say(t("list.empty", lang))
        return
    if all("group" in r for r in rows):
        _practice_table(out, rows, total, lang)
        return
    keys = ["id", "client", "meeting", "status", "date", "progress"]
    body = [
        [
            _plain(r["id"]),
            _plain(r["client"] or t("practice.label", lang)),
            _plain(meeting_name(r["meeting"], lang)),
            _plain(t("status." + r["status"], lang)),
            _plain(local_minute(r["started"])),
            "" if r["progress"] is None else _plain(r["progress"]),
        ]
        for r in rows
    ]
    header = [t(f"col.{k}", lang) for k in keys]
    _fit(header, body, keys, _terminal_width())
    out.table(header, body, right={keys.index("progress")} if "progress" in keys else set())
    if total > len(rows):
        out.say(out.style.dim(t("list.more", lang, shown=len(rows), total=total)))


def _practice_table(out: _Lines, rows: Sequence[Mapping[str, Any]], total: int, lang: str) -> None:
    """Practice rounds: which practice (its group id), round, coach and card, so a trainer
    can tell the rounds apart and find a whole practice for `practice --show`."""
    from sfcoach.practicerecord import card_titles

    titles = card_titles(lang)
    keys = ["id", "group", "round", "coach", "card", "status", "date"]
    body = [
        [
            _plain(r["id"]),
            _plain(r["group"]),
            f"{r['round']}/{r['rounds']}",
            _plain(r["coach"]),
            _plain(titles.get(r["card"], r["card"])),
            _plain(t("status." + r["status"], lang)),
            _plain(local_minute(r["started"])),
        ]
        for r in rows
    ]
    header = [t(f"col.{k}", lang) for k in keys]
    _fit_practice(header, body, keys, _terminal_width())
    out.table(header, body)
    if total > len(rows):
        out.say(out.style.dim(t("list.more", lang, shown=len(rows), total=total)))


SHORT_GROUP = 15  # YYYYMMDD-HHMMSS: the practice's start, still a prefix practice --show takes
MIN_CARD = 12


def _fit_practice(
    header: list[str], body: list[list[str]], keys: list[str], width: int | None
) -> None:
    """Narrow a practice table until a row fits: the time of day goes, then the date (the
    group id holds it), the group id is cut to its start, the status goes, the card's
    title is cut, and last the group goes (a round's id finds its practice too). The
    round's id stays whole: it is what users type next."""
    if width is None:
        return

    def cut(key: str, size: int, mark: str = "…") -> None:
        i = keys.index(key)
        for row in body:
            row[i] = row[i] if len(row[i]) <= size else row[i][: size - len(mark)] + mark

    def drop(key: str) -> None:
        i = keys.index(key)
        for row in [header, *body]:
            del row[i]
        del keys[i]

    def shorter_card(minimum: int) -> None:
        i = keys.index("card")
        longest = max(len(row[i]) for row in [header, *body])
        cut(
            "card", max(minimum, len(header[i]), longest - (_table_width(header, body) - width + 1))
        )

    steps = [
        lambda: cut("date", 10, ""),
        lambda: drop("date"),
        lambda: cut("group", SHORT_GROUP, ""),
        lambda: drop("status"),
        lambda: shorter_card(MIN_CARD),
        lambda: drop("group"),
        lambda: shorter_card(1),
    ]
    for step in steps:
        if _table_width(header, body) < width:
            return
        step()


def practice_hidden(n: int, lang: str) -> None:
    """A list of meetings says when it left practice rounds out, and how to see them."""
    if n:
        out = _Lines()
        out.say(out.style.dim(t("list.practice-hidden", lang, n=n)))


def _terminal_width() -> int | None:
    """The terminal's columns; None when the output is not a terminal (a pipe keeps all)."""
    import shutil
    import sys

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _table_width(header: list[str], body: list[list[str]]) -> int:
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    return sum(widths) + 2 * (len(widths) - 1)


def _fit(header: list[str], body: list[list[str]], keys: list[str], width: int | None) -> None:
    """Narrow the table in place until a row fits on one line: the time of day goes first,
    then progress, then the meeting name. The id stays: it is what users type next."""
    if width is None:
        return
    if _table_width(header, body) >= width:
        date = keys.index("date")
        for row in body:
            row[date] = row[date][:10]
    for key in ("progress", "meeting"):
        if _table_width(header, body) < width:
            return
        i = keys.index(key)
        for row in [header, *body]:
            del row[i]
        del keys[i]


def show_session(
    s: Session, lang: str, reflection: bool = False, outcomes: dict[str, str] | None = None
) -> None:
    out = _Prose()
    who = _escape(s.client or t("practice.label", lang))
    meeting = _escape(meeting_name(s.meeting, lang))
    status = _escape(t("status." + s.status, lang))
    out.print(f"[bold]{_escape(s.id)}[/] · {who} · {meeting} · {status}")
    when = (
        f"{_escape(local_minute(s.started))} → {_escape(local_minute(s.ended) if s.ended else '…')}"
    )
    out.print(f"[dim]{when} · {_escape(s.practitioner or '-')}[/]")
    phase = None
    for a in s.answers:
        if a.phase != phase:
            phase = a.phase
            out.print(
                f"\n[bold reverse] {_escape(phase)} [/] [bold]{_escape(phase_name(phase, lang))}[/]"
            )
        said = (outcomes or {}).get(a.question, a.outcome)  # the option's words, if known
        outcome = f" [dim]({_escape(said)})[/]" if a.outcome else ""
        out.print(f"  [dim]{_escape(a.asked or a.question)}[/]\n    {_escape(a.text)}{outcome}")
        _show_followups(out, a.followups)
    if s.ratings:
        out.print(f"\n[bold]{t('show.ratings', lang)}[/]")
        for r in s.ratings:
            anchors = _anchors(r.min, r.low, r.max, r.high)
            out.print(f"  {_escape(r.label or r.scale)}: [bold]{_escape(r.value)}[/] ({anchors})")
            if r.goal:
                out.print("    " + _escape(t("view.quoted", lang, text=r.goal)))
            _show_followups(out, r.followups)
    if s.steps:
        out.print(f"\n[bold]{t('show.steps', lang)}[/]")
        for x in s.steps:
            status = _escape(t("status." + x.status, lang))
            out.print(f"  • {_escape(x.text)} [dim]({status})[/]")
            _show_followups(out, x.followups)
    if s.notes:
        out.print(f"\n[bold]{t('show.notes', lang)}[/]")
        for n in s.notes:
            out.print(f"  • {_escape(n.text)}")
    if s.practice and s.practice_data:
        _show_practice(out, s.practice_data, lang)
    if s.reflection is not None:
        _show_reflection(out, s, lang, reflection)


def _show_followups(out: Any, followups: list[Followup]) -> None:
    for f in followups:
        out.print(f"    ↳ [dim]{_escape(f.text)}[/] {_escape(f.answer)}")


def _show_practice(out: Any, data: PracticeRound, lang: str) -> None:
    roles = data.roles
    heading = t("practice.round", lang, n=data.round, of=data.rounds)
    out.print(f"\n[bold]{_escape(heading)}[/]")
    names = {"coach": roles.coach, "client": roles.client, "observer": roles.observer}
    out.print("  " + _escape(t("practice.roles", lang, **{k: v or "-" for k, v in names.items()})))
    from sfcoach.practicerecord import card_name

    out.print("  " + _escape(card_name(data, lang)))
    for q in data.asked:
        category = t("category." + q.category, lang)
        asked = t("practice.own-question", lang, category=category, text=q.text, answer=q.answer)
        out.print("  " + _escape(asked))
    if data.usefulness is not None:
        out.print("  " + _escape(t("practice.useful-was", lang, n=data.usefulness)))
    for f in data.feedback:
        kind = _escape(t("practice.fb-" + f.kind, lang))
        out.print(f"  {kind} {_escape(f.text)}")


def _show_reflection(out: Any, s: Session, lang: str, full: bool) -> None:
    """The colleague's name; their feedback and the tally only when asked for (private)."""
    kept = s.reflection
    assert kept is not None
    if not full:
        partner = t("reflection.partner", lang, colleague=kept.colleague or "-", id=s.id)
        out.print(f"\n[dim]{_escape(partner)}[/]")
        return
    from sfcoach.ui.reflection import tally_lines

    out.print(f"\n[bold]{_escape(t('reflection.title', lang, colleague=kept.colleague))}[/]")
    for line in tally_lines(kept, lang):
        out.print(_escape(line))
    for f in kept.feedback:
        out.print(f"  {_escape(t('reflection.fb-' + f.kind, lang))} {_escape(f.text)}")
    if not kept.feedback:
        out.print("  " + _escape(t("reflection.none-given", lang)))


# --- review ------------------------------------------------------------------------

SPARKS = "▁▂▃▄▅▆▇█"
MAX_WARNINGS = 10


def warn_skipped(skipped: list[Any], lang: str) -> None:
    """One line per file left out, naming it; never its content."""
    import sys

    for item in skipped[:MAX_WARNINGS]:
        why = t(item.key, lang, **item.params)
        sys.stderr.write(t("skipped.line", lang, path=str(item.path), why=why) + "\n")
    if len(skipped) > MAX_WARNINGS:
        sys.stderr.write(t("skipped.more", lang, n=len(skipped) - MAX_WARNINGS) + "\n")


def sparkline(values: list[int], low: int, high: int) -> str:
    """One glyph per value. Eleven scale values cannot all get their own of eight glyphs, but
    the values of one history usually span fewer: then a window of eight consecutive values
    gets one glyph each, so 3 and 4 differ. The window slides along the scale in proportion
    to the lowest value, so a low history still looks low (3 → 4 → 3 → 5 → 6 on 0–10 is
    ▃▄▃▅▆). Histories wider than the window fall back to the whole scale, proportionally."""
    top = len(SPARKS) - 1
    span = max(high - low, 1)
    if not values:
        return ""
    vmin, vmax = min(values), max(values)
    if vmax - vmin > top or span <= top:
        base, step = low, max(span / top, 1.0)
    else:
        base = low + round((vmin - low) * (span - top) / span)
        base, step = max(base, vmax - top), 1.0
    return "".join(SPARKS[min(top, max(0, round((v - base) / step)))] for v in values)


def history(data: dict[str, Any], lang: str) -> None:
    out = _Prose()
    count = t("history.count", lang, n=len(data["sessions"]))
    out.print(f"[bold]{_escape(data['client'])}[/] · {count}")
    for s in data["sessions"]:
        progress = "" if s["progress"] is None else f" · {t('col.progress', lang)} {s['progress']}"
        meeting = _escape(f"{_plain(meeting_name(s['meeting'], lang)):<18}")
        status = _escape(t("status." + s["status"], lang))
        out.print(
            f"  {_escape(s['date'])}  {meeting} {status}{_escape(progress)}  [dim]{_escape(s['id'])}[/]"
        )
    if data["ratings"]:
        out.print(f"\n[bold]{t('history.scales', lang)}[/]")
        for scale, points in data["ratings"].items():
            meta = data["scales"][scale]
            values = [p["value"] for p in points]
            trend = " → ".join(str(v) for v in values)
            line = sparkline(values, meta["min"], meta["max"])
            label = _escape(f"{_plain(meta['label']):<16}")
            out.print(f"  {label} [bold]{line}[/]  {trend}  [dim]({meta['min']}–{meta['max']})[/]")
            if meta.get("goal"):
                words = " ".join(meta["goal"].split())
                out.print("    " + _escape(t("view.quoted", lang, text=words)))
    if data["steps"]:
        out.print(f"\n[bold]{t('history.steps', lang)}[/]")
        for step in data["steps"]:
            path = " → ".join(t("status." + o["status"], lang) for o in step["outcomes"]) or t(
                "status.agreed", lang
            )
            out.print(
                f"  • {_escape(step['text'])} [dim]({_escape(step['agreed'])}: {_escape(path)})[/]"
            )
            for o in step["outcomes"]:
                for f in o.get("followups", []):
                    asked, said = (" ".join(f[k].split()) for k in ("question", "answer"))
                    out.print(f"    [dim]{_escape(o['date'])} {_escape(asked)}[/] {_escape(said)}")
    if data["exceptions"]:
        out.print(f"\n[bold]{t('history.exceptions', lang)}[/]")
        for e in data["exceptions"]:
            out.print(f"  {_escape(e['date'])}  {_escape(e['text'])}")


def search_hits(hits: Sequence[Mapping[str, Any]], lang: str, more: bool = False) -> None:
    out = _Lines()
    if not hits:
        out.say(t("search.none", lang))
        return
    style = out.style
    for h in hits:
        # The index marks matched words «so»; show them highlighted, on one line.
        parts = _plain(h["snippet"]).replace("»", "«").split("«")
        snippet = "".join(style.mark(p) if i % 2 else p for i, p in enumerate(parts))
        who = h["client"] or t("practice.label", lang)
        field = t("field." + h["field"], lang)
        out.say(style.dim(_plain(f"{h['date']} {who} {h['session']} {field}")) + "  " + snippet)
    out.say(style.dim(t("search.more" if more else "search.count", lang, n=len(hits))))


def stats(data: dict[str, Any], lang: str) -> None:
    out = _Lines()
    bold = out.style.bold
    sessions = data["sessions"]
    since = f" ({t('stats.since', lang, date=data['since'])})" if data["since"] else ""
    out.say(bold(t("stats.sessions", lang, n=sessions["total"])) + _plain(since))
    for meeting, n in sessions["by_meeting"].items():
        out.say(f"  {_plain(meeting_name(meeting, lang)):<20} {n:>6}")
    out.say(
        "  "
        + " · ".join(
            f"{_plain(t('status.' + k, lang))} {v}" for k, v in sessions["by_status"].items()
        )
    )
    p = data["progress"]
    out.say("", bold(t("stats.progress", lang)))
    if not p["clients_followed"]:
        out.say("  " + t("stats.no-followed", lang))
    else:
        out.say("  " + t("stats.followed", lang, n=p["clients_followed"], rated=p["clients_rated"]))
        change = number(p["mean_change"], lang, decimals=2, sign=True)
        out.say("  " + t("stats.mean-change", lang, change=change))
        for key in ("improved", "same", "worse"):
            share = percent(p["share_" + key], lang)
            out.say(f"  {t('stats.' + key, lang):<12} {p[key]:>5}  {share:>6}")
        followed = [c for c in p["clients"] if c["ratings"] > 1]
        body = [
            [_plain(c["client"]), str(c["first"]), str(c["latest"]), f"{c['change']:+d}"]
            for c in followed[:50]
        ]
        out.table(
            [t("col." + k, lang) for k in ("client", "first", "latest", "change")],
            body,
            right={1, 2, 3},
        )
    _usefulness(out, data["usefulness"], lang)
    steps = data["steps"]
    out.say("", bold(t("stats.steps", lang)))
    out.say("  " + t("stats.steps-agreed", lang, n=steps["agreed"]))
    reviewed = " · ".join(f"{t('status.' + k, lang)} {steps[k]}" for k in ("done", "partly", "not"))
    out.say("  " + t("stats.steps-reviewed", lang, detail=reviewed))
    _stats_pairs(out, data["reflection_pairs"], lang)


def _stats_pairs(out: _Lines, pairs: dict[str, Any], lang: str) -> None:
    out.say("", out.style.bold(t("stats.pairs", lang, date=pairs["since"])))
    if not pairs["by_practitioner"]:
        out.say("  " + t("stats.pairs-none", lang))
        return
    rows = [[_plain(name or "-"), str(n)] for name, n in pairs["by_practitioner"].items()]
    out.table([t("col.practitioner", lang), t("col.meetings", lang)], rows, right={1})


def _usefulness(out: _Lines, u: dict[str, Any], lang: str) -> None:
    """The clients' rating of the meetings per period, beside the mean progress."""
    out.say("", out.style.bold(t("stats.usefulness", lang)))
    if not u["rated"]:
        out.say("  " + t("stats.no-usefulness", lang))
    else:
        mean = number(u["mean"], lang, decimals=2)
        out.say("  " + t("stats.usefulness-mean", lang, mean=mean, n=u["rated"]))
    rows = [
        [
            p["period"],
            str(p["rated"]),
            "-" if p["mean"] is None else number(p["mean"], lang, decimals=2),
            "-" if p["progress_mean"] is None else number(p["progress_mean"], lang, decimals=2),
        ]
        for p in u["periods"]
    ]
    if rows:  # the progress of each period shows even before any usefulness rating
        keys = ("month" if u["per"] == "month" else "quarter", "rated", "useful", "progress")
        out.table([t("col." + k, lang) for k in keys], rows, right={1, 2, 3})


class _Lines:
    """Plain lines and aligned columns, styled only on a terminal. The hot review
    commands print through this: rich costs ~90 ms to import and lay out a table."""

    def __init__(self) -> None:
        import sys

        from sfcoach.ui.style import for_stream

        self.stream = sys.stdout
        self.style = for_stream(sys.stdout)

    def say(self, *lines: str) -> None:
        self.stream.write("".join(f"{line}\n" for line in lines))

    def table(
        self,
        header: list[str],
        rows: list[list[str]],
        right: frozenset[int] | set[int] = frozenset(),
    ) -> None:
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

        def line(cells: list[str]) -> str:
            padded = (
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            return "  ".join(padded).rstrip()

        self.say(self.style.bold(line(header)), *(line(r) for r in rows))


# --- data protection ------------------------------------------------------------------


def purge_plan(doomed: list[Any], lang: str) -> None:
    out = console()
    if not doomed:
        out.print(t("purge.nothing", lang))
        return
    out.print(t("purge.plan", lang, n=len(doomed)))
    for item in doomed:
        who = item.client or t("practice.label", lang)
        date = _escape(item.date or t("purge.unreadable", lang))
        out.print(f"  {_escape(item.id)}  {_escape(who)}  {date}")


def scan_report(report: Any, fixed: bool, root: Path, lang: str) -> None:
    out = console()

    def shown(path: Path) -> str:
        return _escape(str(path.relative_to(root)) if path != root else str(root))

    for f in report.findings:
        where = _escape(", ".join(f.fields[:5]) + (" …" if len(f.fields) > 5 else ""))
        out.print(f"  {shown(f.path)}: {t('scan.found', lang, n=f.count)} ({where})")
    for path in report.unreadable:
        out.print(f"  {shown(path)}: {t('scan.unreadable', lang)}")
    for path in report.exposed[:20]:
        out.print(f"  {shown(path)}: {t('scan.open', lang)}")
    if len(report.exposed) > 20:
        out.print("  " + t("scan.open-more", lang, n=len(report.exposed) - 20))
    total = sum(f.count for f in report.findings)
    if report.findings:
        key = "scan.fixed" if fixed else "scan.hint"
        files = t("scan.files", lang, n=len(report.findings))
        out.print(t(key, lang, n=total, files=files))
    if report.exposed:
        out.print(t("scan.closed" if fixed else "scan.open-hint", lang, n=len(report.exposed)))
    if not report.findings and not report.exposed:
        out.print(t("scan.clean", lang))
