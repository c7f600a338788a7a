"""Every line the interface shows, in each language, and the language choice.

Question texts live in the banks; the rest is in `sfcoach/locale/<lang>.py`,
one file per language (en.py says what such a file holds). `t()` falls back to
English for a key missing in a language, and shows the key itself for an
unknown one, so a slip never crashes a meeting. Only the languages in use are
imported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from types import ModuleType
from typing import Any


def _languages() -> tuple[str, ...]:
    folder = os.path.join(os.path.dirname(__file__), "locale")
    names = (n[:-3] for n in os.listdir(folder) if n.endswith(".py") and not n.startswith("_"))
    return tuple(sorted(names))


# What the interface speaks, and what a bank may be written in: the catalogues present,
# so a third language is one new file in sfcoach/locale.
LANGS = _languages()

_loaded: dict[str, ModuleType] = {}


def catalogue(lang: str) -> ModuleType:
    """The language's module (English for one we do not speak)."""
    module = _loaded.get(lang)
    if module is None:
        # __import__, not importlib: one import less on the way to --help.
        name = f"sfcoach.locale.{lang if lang in LANGS else 'en'}"
        module = __import__(name, fromlist=["MESSAGES"])
        _loaded[lang] = module
    return module


def _rule(local: ModuleType, name: str) -> Any:
    """A language file's plural, genitive or separator; English's where it has none."""
    found = getattr(local, name, None)
    return getattr(catalogue("en"), name) if found is None else found


def has(key: str) -> bool:
    return key in catalogue("en").MESSAGES


class UnknownLanguage(ValueError):
    """A language we do not speak; the caller says so in a language we do."""

    def __init__(self, value: str) -> None:
        super().__init__(f"unsupported language {value!r}")
        self.value = value


def t(key: str, lang: str = "en", /, **params: object) -> str:
    """The text for `key`; one with plural forms is chosen by the parameter `n`."""
    local = catalogue(lang)
    entry = local.MESSAGES.get(key)
    if entry is None:
        local = catalogue("en")
        entry = local.MESSAGES.get(key)
        if entry is None:
            return key
    if isinstance(entry, dict):
        n = params.get("n")
        form = _rule(local, "plural")(n) if isinstance(n, int | float) else "other"
        entry = entry.get(form) or entry["other"]
    if not params:  # written for format(): its doubled braces stand for one
        return entry.replace("{{", "{").replace("}}", "}")
    # Values come from files and users: a newline in one must not make a message two
    # lines (a fake FILE:LINE: line in `bank validate`, say).
    params = {k: _param(v, local) for k, v in params.items()}
    # A parameter named why_key (say) is itself a message: translate it into {why}, with
    # the other parameters, so messages nest (a reason that has a reason of its own).
    for name, value in list(params.items()):
        if name.endswith("_key") and isinstance(value, str):
            params[name[:-4]] = t(value, lang, **{k: v for k, v in params.items() if k != name})
    return entry.format_map(_Lenient(params, local))


def _param(value: object, local: ModuleType) -> object:
    if isinstance(value, str):
        return _CONTROL.sub(_escape, value)
    if isinstance(value, float):
        return _separators(format(value, ","), local)  # 7.0 -> "7,0" in Swedish
    return value


class _Lenient(dict):
    """A parameter a message lacks shows as '?' instead of crashing what was showing it;
    `{name_gen}` is the parameter `name` in the possessive ("Lars samtal")."""

    def __init__(self, params: dict[str, object], local: ModuleType) -> None:
        super().__init__(params)
        self.local = local

    def __missing__(self, key: str) -> str:
        base = key.removesuffix("_gen")
        if base != key and isinstance(self.get(base), str):
            return str(_rule(self.local, "genitive")(self[base]))
        return "?"


# Control characters and the bidi controls that reorder what follows (see textsafe).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def genitive(name: str, lang: str) -> str:
    """'Annas' / "Anna's"; 'Lars' in Swedish, where s, x and z take no extra s."""
    return str(_rule(catalogue(lang), "genitive")(name))


def number(value: float, lang: str, decimals: int = 1, sign: bool = False) -> str:
    """A number as the language writes it: '+3,25' and '12 345' in Swedish."""
    text = format(value, f"{'+' if sign else ''},.{decimals}f")
    return _separators(text, catalogue(lang))


def percent(share: float, lang: str) -> str:
    """0.45 -> '45%' / '45 %'."""
    return str(_rule(catalogue(lang), "PERCENT").format(number(100 * share, lang, decimals=0)))


def _separators(text: str, local: ModuleType) -> str:
    return text.translate({ord(","): _rule(local, "GROUP"), ord("."): _rule(local, "DECIMAL")})


def phase_name(phase: str, lang: str) -> str:
    """'P' -> 'Plattform' / 'Platform'."""
    return t(f"phase.{phase}", lang) if has(f"phase.{phase}") else phase


def meeting_name(meeting: str, lang: str) -> str:
    """A built-in meeting type's name ('Nybesök'); a custom bank's id as it is."""
    key = f"meeting.{meeting}"
    return t(key, lang) if has(key) else meeting


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
            return normalise_lang(env[var]) or "en"
    return None


def resolve_lang(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """--lang, else SFCOACH_LANG, else the locale, else English."""
    if explicit:
        code = normalise_lang(explicit)
        if code is None:
            raise UnknownLanguage(explicit)
        return code
    return lang_from_env(env) or "en"
