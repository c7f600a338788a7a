"""What the commands need from a store, whichever kind it is.

Two stores implement it: a folder of session files (store.Store, with index.Index as
its Reader) and a PostgreSQL team store (pgstore.PgStore, its own Reader). A session
is located by a relative path, folder/id.yaml: a real file in the folder store, the
same name for a row in the team store (the id is its stem).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from sfcoach.index import Counts, Progress, Query, Rated, SearchHit, SessionListing
    from sfcoach.models import Session
    from sfcoach.store import Skipped


class SessionStore(Protocol):
    """Create, save after every answer, lock while a meeting runs, load and find."""

    notice: Any

    def create(self, session: Session) -> Path: ...

    def save(self, session: Session) -> Path: ...

    def room(self, session: Session) -> int: ...

    def path_of(self, session: Session) -> Path: ...

    def keep_bank(self, source: Path) -> str: ...

    def kept_bank(self, name: str) -> Path: ...

    def lock(self, session: Session) -> contextlib.AbstractContextManager[None]: ...

    def lock_id(self, folder: Path, session_id: str) -> contextlib.AbstractContextManager[None]: ...

    def load(self, path: Path) -> Session: ...

    def load_to_continue(self, path: Path) -> Session: ...

    def find(self, ref: str) -> Path: ...

    def files(self, client: str | None = None) -> list[Path]: ...

    def client_alias(self, alias: str, new: bool = False) -> str: ...

    def client_sessions(self, client: str) -> tuple[list[Session], list[Skipped]]: ...

    def latest_completed(self, client: str) -> Session | None: ...

    def latest_unfinished(self) -> Session | None: ...

    def exposed(self) -> bool: ...


class Reader(Protocol):
    """Lists, search and statistics: the folder store's index, or the team store itself."""

    def problems(self) -> list[Skipped]: ...

    def sessions(
        self,
        client: str | None = None,
        since: str | None = None,
        status: str | None = None,
        practice: bool | None = None,
        limit: int | None = None,
    ) -> tuple[list[SessionListing], int]: ...

    def has_client(self, client: str) -> bool: ...

    def search(
        self, match: Query, client: str | None = None, limit: int = 200
    ) -> list[SearchHit]: ...

    def counts(self, since: str | None) -> list[Counts]: ...

    def progress(self, since: str | None) -> list[Progress]: ...

    def rated(self, since: str | None) -> list[Rated]: ...

    def reflection_pairs(self, since: str) -> dict[str, int]: ...

    def practice_groups(self, ref: str) -> list[str]: ...

    def group_sessions(self, group: str) -> list[str]: ...


class TeamStore(SessionStore, Reader, Protocol):
    """A store that answers lists, search and statistics itself, and purges its rows."""

    def purge(self, doomed: list[Any]) -> int: ...


def team_store(store: SessionStore) -> TeamStore | None:
    """`store` as a team store, or None for a folder store (whose Reader is its index)."""
    from sfcoach.store import Store

    return None if isinstance(store, Store) else cast("TeamStore", store)
