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
