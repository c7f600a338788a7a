"""The session loop: show, read one line, mask, hand to the engine, save, repeat.

The same loop serves plain mode and the terminal screen; only the io object
differs. The session is saved after every line, before the next question is
shown. If a save fails (disk full, store made read-only), the meeting goes
on with the answers held in memory and every later line retries the save.
"""

from __future__ import annotations

import contextlib
import time
from typing import Protocol

from sfcoach import fsio, privacy
from sfcoach.engine import Engine, Prompt, Reply
from sfcoach.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USER, StoreError
from sfcoach.i18n import t
from sfcoach.models import Session
from sfcoach.store import MAX_SESSION_BYTES, Store
from sfcoach.ui import view
from sfcoach.ui.reflection import give_feedback
from sfcoach.ui.style import Plain

GROWTH_MARGIN = 4096  # bytes a line adds to the file besides its own text (keys, time)
MAX_MB = MAX_SESSION_BYTES // 1_000_000


class SessionIO(Protocol):
    style: Plain
    tips_default: bool
    editable_prefill: bool
    mask_shown: bool

    def write(self, lines: list[str]) -> None: ...
    def echo(self, line: str) -> None: ...
    def read(
        self, label: str = "> ", prefill: str = "", status: view.Status | None = None
    ) -> str: ...
    def close(self) -> None: ...


class Extension(Protocol):
    """What pair practice adds to a meeting: its own commands and a watch on time."""

    def handle(self, line: str, runner: Runner) -> bool: ...  # True: the line was its command
    def on_prompt(self, prompt: Prompt, runner: Runner) -> None: ...


class Runner:
    def __init__(
        self,
        engine: Engine,
        store: Store,
        io: SessionIO,
        ids: str = "mask",
        resume_command: str = "sfcoach resume",
        extension: Extension | None = None,
    ) -> None:
        self.engine, self.store, self.io = engine, store, io
        self.session: Session = engine.session
        self.lang = self.session.lang
        self.mask = ids == "mask"
        io.mask_shown = self.mask
        self.resume_command = f"{resume_command} {self.session.id}"
        chosen = self.session.cursor.tips
        self.tips = io.tips_default if chosen is None else chosen
        self._base = self.session.elapsed
        self._t0 = time.monotonic()
        self.status = view.Status(self.lang, self.elapsed)
        self.unsaved: StoreError | None = None
        self.extension = extension

    def elapsed(self) -> float:
        return self._base + time.monotonic() - self._t0

    def say(self, key: str, **params: object) -> None:
        self.io.write([t(key, self.lang, **params)])

    # --- the loop --------------------------------------------------------------

    def run(self) -> int:
        try:
            return self._loop()
        except EOFError:
            return self.pause(EXIT_OK)
        except KeyboardInterrupt:
            self.io.write([""])
            if self.session.cursor.draft:
                self.say("draft.kept")
            return self.pause(EXIT_INTERRUPTED)
        except Exception:
            # A bug must not cost the meeting: keep what was answered as paused and say
            # how to go on, then let the command report the error as it reports any.
            with contextlib.suppress(Exception):
                self.io.write([""])
                self.pause(EXIT_USER)
            raise

    def _loop(self) -> int:
        shown: Prompt | None = None
        phase = None
        while True:
            prompt = self.engine.prompt()
            if prompt.kind == "confirm":
                if self.extension:  # the last question's time ends here
                    self.extension.on_prompt(prompt, self)
                self.io.write(view.summary(self.engine.summary(), self.lang, self.io.style))
                line = self.io.read(t("summary.confirm", self.lang) + " ", status=self.status)
            else:
                if prompt.phase != phase:
                    phase = prompt.phase
                    self.io.write(
                        view.phase_banner(
                            self.engine.bank, phase, self.lang, self.io.style, self.tips
                        )
                    )
                if prompt != shown:
                    context = shown is None or shown.number != prompt.number
                    self.io.write(
                        view.question(prompt, self.lang, self.io.style, self.tips, context)
                    )
                    if prompt.prefill and not self.io.editable_prefill:
                        self.say("view.current", text=prompt.prefill)
                shown = prompt
                if self.extension:
                    self.extension.on_prompt(prompt, self)
                self.status.phase, self.status.number, self.status.total = (
                    prompt.phase,
                    prompt.number,
                    prompt.total,
                )
                line = self._read_answer(prompt)
            line = self._masked(line)
            if not self._fits(line):
                continue
            if self.extension and self.extension.handle(line, self):
                self.save()
                shown = None  # the question again, below what the command printed
                continue
            reply = self.engine.handle(line)
            self.save()
            for key, params in reply.messages:
                self.say(key, **params)
            done = self._signal(reply)
            if done is not None:
                return done
            if reply.signal in ("help", "tips", "returned", "questions"):
                shown = None

    def _read_answer(self, prompt: Prompt) -> str:
        """The answer line; a draft kept from an interrupted meeting is put back in it
        once, and what was typed when Ctrl-C came is kept as the next draft."""
        cursor = self.session.cursor
        prefill, draft = prompt.prefill, cursor.draft
        cursor.draft = None
        if draft and self.io.editable_prefill:
            prefill = draft
        elif draft:  # plain mode has no input box to put it in: show it instead
            self.say("draft.plain", text=draft)
        try:
            return self.io.read(self.marker, prefill, self.status)
        except view.Interrupted as e:
            typed = fsio.decoded(e.draft)
            if typed.strip() and typed != prompt.prefill:  # more than the stored answer
                cursor.draft = self._masked_quietly(typed)
            raise

    def _masked_quietly(self, text: str) -> str:
        return privacy.mask_ids(text)[0] if self.mask else text

    @property
    def marker(self) -> str:
        """The input marker: '›' on the screen, '>' in plain mode."""
        return "› " if self.io.editable_prefill else "> "

    def ask(self, label: str | None = None) -> str:
        """One more line from the user, masked and echoed like an answer."""
        return self._masked(
            self.io.read(self.marker if label is None else label, status=self.status)
        )

    def _masked(self, line: str) -> str:
        line = fsio.decoded(line)  # bytes that are not UTF-8 (a Latin-1 terminal) become �
        if not self.mask:
            self.io.echo(line)
            return line
        masked, count = privacy.mask_ids(line)
        self.io.echo(masked)
        if count:
            self.say("ids.masked", n=count)
        return masked

    def _fits(self, line: str) -> bool:
        """Whether the session file can take this line and still be read back. YAML may
        write a character as up to four bytes (an escaped control); the rest is room
        for the line's place in the file. An empty line or a bare command (/pause, /back)
        adds no text, so a full session can always be moved through and paused."""
        bare = not line.strip() or (line[:1] == "/" and line[:2] != "//" and " " not in line)
        if bare or 4 * len(line.encode("utf-8")) + GROWTH_MARGIN <= self.store.room(self.session):
            return True
        self.io.write([self.io.style.warn(t("session.full", self.lang, mb=MAX_MB))])
        return False

    def _signal(self, reply: Reply) -> int | None:
        if reply.signal == "help":
            self.io.write(view.help_lines(self.lang))
        elif reply.signal == "tips":
            self.tips = self.session.cursor.tips = not self.tips
            self.say("tips.on" if self.tips else "tips.off")
        elif reply.signal == "pause":
            return self.pause(EXIT_OK)
        elif reply.signal == "returned":
            self.say("summary.returned")
        elif reply.signal == "questions":
            self.io.write(view.deck(self.engine.deck(), self.lang, self.io.style))
        elif reply.signal == "completed":
            if self.unsaved:
                return self.unsaved_exit()
            code = self._reflection()
            if self.unsaved:
                return self.unsaved_exit()
            if self.extension is None:  # a practice round says so after its feedback
                self.say("session.completed", id=self.session.id)
            return code
        return None

    def _reflection(self) -> int:
        """A reflection partner's feedback, once the meeting is saved as completed."""
        if self.session.reflection is None:
            return EXIT_OK
        return give_feedback(self) or EXIT_OK

    # --- saving ----------------------------------------------------------------

    def save(self) -> None:
        self.session.elapsed = self.elapsed()
        try:
            self.store.save(self.session)
        except StoreError as e:
            if not self.unsaved:
                self.io.write([self.io.style.warn(e.message(self.lang))])
                self.say("store.keep-going")
            self.unsaved = e
        else:
            if self.unsaved:
                self.say("store.saved-again")
            self.unsaved = None
        self.status.unsaved = self.unsaved is not None

    def pause(self, code: int) -> int:
        if self.session.status != "completed":
            self.session.status = "paused"
        self.save()
        if self.unsaved:
            return self.unsaved_exit()
        self.say("session.paused", command=self.resume_command)
        return code

    def unsaved_exit(self) -> int:
        assert self.unsaved is not None
        self.io.write(
            [
                self.io.style.warn(
                    t("store.not-saved", self.lang, path=str(self.store.path_of(self.session)))
                )
            ]
        )
        return EXIT_USER
