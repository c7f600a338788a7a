"""The user's config file: defaults for --lang, --practitioner, --store and --ids.

`config.toml` in the platform's user config folder (`paths.config_file`). A value
there comes after the command line and the environment, before the built-in
default. Only the commands that run read it, never `--help`; a file that is not
valid TOML, or a key that is unknown or of the wrong kind, is one line naming the
file and the key, not a silent fallback to the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sfcoach.errors import UserError
from sfcoach.i18n import normalise_lang


@dataclass
class Config:
    lang: str | None = None
    practitioner: str | None = None
    store: Path | None = None
    ids: str | None = None


KEYS = ("lang", "practitioner", "store", "ids")
IDS = ("mask", "keep")


def load(path: Path) -> Config:
    """The file at `path`; an empty Config when there is none."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as e:
        raise UserError("configfile.unreadable", path=str(path), why=e.strerror or str(e)) from None
    return parse(_decoded(raw, path), path)


def _decoded(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise UserError("configfile.syntax", path=str(path), line=line) from None


def parse(text: str, path: Path) -> Config:
    import re
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        found = re.search(r"line (\d+)", str(e))
        raise UserError(
            "configfile.syntax", path=str(path), line=found[1] if found else "?"
        ) from None
    for key in data:
        if key not in KEYS:
            raise UserError(
                "configfile.unknown-key", path=str(path), key=key, known=", ".join(KEYS)
            )
    return Config(
        lang=_lang(data, path),
        practitioner=_text(data, "practitioner", path),
        store=_store(data, path),
        ids=_ids(data, path),
    )


def _text(data: dict[str, object], key: str, path: Path) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise UserError(
            "configfile.wrong-type", path=str(path), key=key, want_key="configfile.want-text"
        )
    return value


def _lang(data: dict[str, object], path: Path) -> str | None:
    value = _text(data, "lang", path)
    code = normalise_lang(value) if value is not None else None
    if value is not None and code is None:
        raise UserError(
            "configfile.wrong-type", path=str(path), key="lang", want_key="configfile.want-lang"
        )
    return code


def _store(data: dict[str, object], path: Path) -> Path | None:
    value = _text(data, "store", path)
    if value is not None and not value.strip():  # '' would be the current folder
        raise UserError(
            "configfile.wrong-type", path=str(path), key="store", want_key="configfile.want-path"
        )
    return Path(value).expanduser() if value is not None else None


def _ids(data: dict[str, object], path: Path) -> str | None:
    value = _text(data, "ids", path)
    if value is not None and value not in IDS:
        raise UserError(
            "configfile.wrong-type", path=str(path), key="ids", want_key="configfile.want-ids"
        )
    return value
