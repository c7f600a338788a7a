"""Where sfcoach keeps things: the store of session files and the index cache."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def default_store() -> Path:
    """SFCOACH_STORE, else the platform's user data folder (never the repo's sessions/)."""
    if os.environ.get("SFCOACH_STORE"):
        return Path(os.environ["SFCOACH_STORE"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("sfcoach", appauthor=False))


def cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("sfcoach", appauthor=False))


def index_path(store: Path) -> Path:
    """One index per store, named by the store's absolute path."""
    key = hashlib.sha256(os.fsencode(store.resolve())).hexdigest()[:16]
    return cache_dir() / f"index-{key}.sqlite"


def config_file() -> Path:
    """The user's config.toml, in the platform's user config folder."""
    import platformdirs

    return Path(platformdirs.user_config_dir("sfcoach", appauthor=False)) / "config.toml"
