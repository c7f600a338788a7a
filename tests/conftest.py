"""Every test runs with its own store, cache and home; none touches the real ones."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SFCOACH_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("PAGER", "cat")  # output at a pty is read whole, never paged
    for var in ("SFCOACH_LANG", "SFCOACH_PRACTITIONER", "LANG", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


@pytest.fixture
def store_dir(tmp_path):
    return tmp_path / "store"
