"""Low-priority view polish from issue 14 (ux.md, Low table)."""

from __future__ import annotations

import pytest
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
