"""Every line the interface shows, in Swedish and English, and the language choice.

Question texts live in the banks; this holds everything else. `t()` falls
back to English for a key missing in Swedish, and shows the key itself for an
unknown one, so a slip never crashes a meeting.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from sfcoach.messages import MESSAGES

LANGS = ("sv", "en")  # what the interface speaks, and what a bank may be written in


class UnknownLanguage(ValueError):
    """A language we do not speak; the caller says so in a language we do."""

    def __init__(self, value: str) -> None:
        super().__init__(f"unsupported language {value!r}")
        self.value = value


def t(key: str, lang: str = "en", /, **params: object) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry["en"]
    if not params:
        return template
    # Values come from files and users: a newline in one must not make a message two
    # lines (a fake FILE:LINE: line in `bank validate`, say).
    params = {k: _CONTROL.sub(_escape, v) if isinstance(v, str) else v for k, v in params.items()}
    # A parameter named why_key (say) is itself a message: translate it into {why}, with
    # the other parameters, so messages nest (a reason that has a reason of its own).
    for name, value in list(params.items()):
        if name.endswith("_key") and isinstance(value, str):
            params[name[:-4]] = t(value, lang, **{k: v for k, v in params.items() if k != name})
    return template.format_map(_Lenient(params))


class _Lenient(dict):
    """A parameter a message lacks shows as '?' instead of crashing what was showing it."""

    def __missing__(self, key: str) -> str:
        return "?"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def phase_name(phase: str, lang: str) -> str:
    """'P' -> 'Plattform' / 'Platform'."""
    return t(f"phase.{phase}", lang) if f"phase.{phase}" in MESSAGES else phase


def meeting_name(meeting: str, lang: str) -> str:
    """A built-in meeting type's name ('Nybesök'); a custom bank's id as it is."""
    key = f"meeting.{meeting}"
    return t(key, lang) if key in MESSAGES else meeting


def normalise_lang(value: str) -> str | None:
    """'sv', 'sv_SE.UTF-8', 'SV' -> 'sv'; None if not a language we speak."""
    code = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return code if code in LANGS else None


def lang_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """SFCOACH_LANG, else the locale; None when neither names a language."""
    env = os.environ if env is None else env
    if env.get("SFCOACH_LANG"):
        code = normalise_lang(env["SFCOACH_LANG"])
        if code is None:  # a typo here must not quietly give a Swedish team English
            raise UnknownLanguage(env["SFCOACH_LANG"])
        return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            return "sv" if env[var].lower().startswith("sv") else "en"
    return None


def resolve_lang(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """--lang, else SFCOACH_LANG, else the locale, else English."""
    if explicit:
        code = normalise_lang(explicit)
        if code is None:
            raise UnknownLanguage(explicit)
        return code
    return lang_from_env(env) or "en"
