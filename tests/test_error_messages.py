"""Error messages never repeat an identity number the user typed as an argument."""

from __future__ import annotations

import pytest
from helpers import sf

NUMBER = "811228-9874"  # a valid personnummer (checksum and date)


@pytest.mark.parametrize(
    "args",
    [
        ("sessions", "show", NUMBER),
        ("export", NUMBER, "--format", "json"),
        ("resume", NUMBER),
        ("sessions", "list", "--since", NUMBER),
    ],
    ids=["show", "export", "resume", "since"],
)
def test_an_identity_number_typed_as_an_argument_is_masked_in_the_error(args):
    proc = sf(*args)
    assert proc.returncode in (1, 2) and proc.stderr.strip()
    assert "9874" not in proc.stderr and "Traceback" not in proc.stderr
