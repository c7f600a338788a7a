"""Low-priority view polish from issue 14 (ux.md, Low table)."""

from __future__ import annotations

import pytest
from helpers import engine_for
from rich.cells import cell_len

from sfcoach.ui.view import help_lines


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_help_descriptions_share_one_column(lang: str) -> None:
    rows = help_lines(lang)[1:-1]  # between the title and the literal-slash hint
    starts = set()
    for row in rows:
        head, _, _ = row.strip().partition("  ")
        desc = row[row.index(head) + len(head) :].lstrip(" ")
        starts.add(cell_len(row) - cell_len(desc))
    assert len(starts) == 1, rows


def test_sparkline_tells_neighbouring_values_apart() -> None:
    from sfcoach.ui.render import sparkline

    assert sparkline([3, 4, 3, 5, 6], 0, 10) == "▃▄▃▅▆"
    line = sparkline([3, 4, 3, 5, 6], 0, 10)
    assert len(set(line)) == 4  # 3, 4, 5, 6: four glyphs


def test_sparkline_keeps_the_ends_of_the_scale() -> None:
    from sfcoach.ui.render import sparkline

    assert sparkline([0, 10], 0, 10) == "▁█"
    assert sparkline([10, 9], 0, 10) == "█▇"
    assert sparkline([1, 2, 3], 1, 5) == "▁▂▃"


def _session(**kw: object) -> object:
    from sfcoach.models import Session

    base: dict[str, object] = {
        "id": "20261130-031717-56534",
        "client": "K7",
        "meeting": "first-visit",
        "bank_id": "first-visit",
        "bank_version": 1,
        "lang": "sv",
        "started": "2026-11-30T03:17:17",  # naive: read as local time
    }
    base.update(kw)
    return Session(**base)  # type: ignore[arg-type]


class _PlainIO:
    editable_prefill = False

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, lines: list[str]) -> None:
        self.lines += lines


def test_resume_question_names_the_meeting_and_a_local_time() -> None:
    from types import SimpleNamespace

    from sfcoach.ui.session import confirm_resume

    io = _PlainIO()
    confirm_resume(io, SimpleNamespace(session=_session()), "sv")  # type: ignore[arg-type]
    assert io.lines == ["Fortsätter Nybesök (K7, 2026-11-30 03:17)."]  # plain mode: no question


def test_resume_question_for_practice_has_no_dash() -> None:
    from types import SimpleNamespace

    from sfcoach.ui.session import confirm_resume

    io = _PlainIO()
    s = _session(client=None, meeting="practice", practice=True)
    confirm_resume(io, SimpleNamespace(session=s), "en")  # type: ignore[arg-type]
    assert io.lines == ["Resuming Practice conversation (2026-11-30 03:17)."]


def test_local_minute_converts_an_offset_to_local_time() -> None:
    from datetime import datetime

    from sfcoach.ui.view import local_minute

    stamp = "2026-11-30T03:17:17+00:00"
    expected = datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    assert local_minute(stamp) == expected
    assert "T" not in local_minute(stamp)


def test_sessions_show_header_has_no_iso_timestamps(capsys: pytest.CaptureFixture[str]) -> None:
    from sfcoach.ui.render import show_session

    s = _session(status="completed", ended="2026-11-30T04:02:00")
    show_session(s, "en")  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "2026-11-30 03:17 → 2026-11-30 04:02" in out
    assert "T03:17" not in out


def _engine(lang: str = "en"):  # type: ignore[no-untyped-def]
    return engine_for(lang=lang)


def _summary(engine, lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    from sfcoach.ui.style import Plain
    from sfcoach.ui.view import summary

    return summary(engine.summary(), lang, Plain())


def test_ending_with_no_answers_says_so() -> None:
    e = _engine()
    e.handle("/end")
    lines = _summary(e, "sv")
    assert any("Inga svar än" in line for line in lines), lines
    assert not any(line.strip() == "Svar: 0" for line in lines)


def test_summary_names_the_unanswered_questions_with_their_deck_numbers() -> None:
    from sfcoach.models import text_in

    e = _engine()
    for line in ("hopes", "", "/phase S", "5", "", "step a", "", "/end"):
        e.handle(line)
    data = e.summary()
    lines = _summary(e, "en")
    names = [text_in(q.text, "en") for _, q in data["open"]]
    assert len(names) == data["unanswered"] == 2
    for (n, _), name in zip(data["open"], names, strict=True):
        assert any(name in line and f"{n} " in line for line in lines), lines
    assert any("/questions N" in line for line in lines)


def test_tips_choice_survives_pause_and_resume() -> None:
    import re

    from helpers import SAMPLE_BANK, lines, sf, sf_json

    base = ["start", "--client", "K1", "--lang", "en", "--practitioner", "Anna"]
    proc = sf(*base, "--bank", str(SAMPLE_BANK), input=lines("/tips", "/pause"))
    assert "Tips on." in proc.stdout, proc.stdout[-400:]
    sid = re.findall(r"\d{8}-\d{6}-[0-9a-f]{4,8}", proc.stdout)[-1]
    assert sf_json("sessions", "show", sid)["status"] == "paused"
    # Toggling again after resume turns them off: they were still on.
    proc = sf("resume", sid, input=lines("/tips", "/pause"))
    assert proc.returncode == 0, proc.stderr
    assert "Tips off." in proc.stdout, proc.stdout[-400:]


def test_export_draws_a_single_value_as_a_compact_mark() -> None:
    import re

    from sfcoach import export as ex
    from sfcoach.models import Rating

    s = _session(status="completed", ended="2026-11-30T04:02:00")
    s.ratings.append(Rating("progress", "S", 4, 0, 10, "low", "high", "Progress"))  # type: ignore[attr-defined]
    out = ex.export([s], "html", "en")  # type: ignore[list-item]
    svg = out[out.index("<svg") : out.index("</svg>")]
    height = int(re.search(r'height="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert height <= 60  # a bar with a mark, not a 240 px chart
    assert svg.count("<circle") == 1 and "<polyline" not in svg
    assert ">4</text>" in svg


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_sessions_list_fits_a_60_column_terminal(
    lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sfcoach.ui import render

    rows = [
        {
            "id": f"20261130-03171{i}-56534",
            "client": "K7",
            "meeting": "first-visit",
            "status": "in-progress",
            "started": "2026-11-30T03:17:17",
            "progress": 7,
        }
        for i in range(3)
    ]
    monkeypatch.setattr(render, "_terminal_width", lambda: 60)
    render.session_table(rows, 3, lang)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4
    assert all(len(line) < 60 for line in out), out
    assert all(r["id"] in "\n".join(out) for r in rows)
    assert "2026-11-30" in out[1]


def test_sessions_list_keeps_every_column_when_wide(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sfcoach.ui import render

    row = {
        "id": "20261130-031717-56534",
        "client": "K7",
        "meeting": "first-visit",
        "status": "completed",
        "started": "2026-11-30T03:17:17",
        "progress": 7,
    }
    monkeypatch.setattr(render, "_terminal_width", lambda: 200)
    render.session_table([row], 1, "en")
    out = capsys.readouterr().out
    assert "2026-11-30 03:17" in out and "First visit" in out
