"""Output of the team-store commands: what a push did, and the access log."""

from __future__ import annotations

from typing import Any

from sfcoach.i18n import t
from sfcoach.textsafe import one_line


def push_report(report: Any, lang: str) -> None:
    print(t("push.copied", lang, n=report.copied))
    for key, n in sorted(report.skipped.items()):
        print("  " + t("push.skipped", lang, n=n, why=t(key, lang)))


def audit_table(rows: list[dict[str, Any]], lang: str) -> None:
    if not rows:
        print(t("audit.empty", lang))
        return
    for r in rows:
        # Names come from the database, typed by people: one line each, no controls.
        print("  ".join(one_line(str(r[k] or "")) for k in ("at", "who", "session", "command")))
