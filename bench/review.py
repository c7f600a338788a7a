"""Review commands over a large store: index build, refresh, list, history, search, stats.

    .venv/bin/python bench/review.py [--n N] [--runs N] [--keep DIR]

Generates N synthetic sessions (default 10,000; `--n 100000` for the full run)
into a temporary store: about 10 meetings per client, Swedish and English
answers built from a vocabulary (å ä ö, e-post, Försäkringskassan), 10-20
answers with follow-ups, a progress rating that drifts per client, 1-2 new
steps (plus reviews of the last meeting's), mostly completed, ids from
`new_session_id` spread over two years, and a few practice rounds. Files are
written with plain open()/write (no fsync), 0600 in 0700 folders, in parallel,
each file's mtime its meeting's end; then every folder's mtime is set an hour
back, so the index's two-second "racy" rule does not force rescans.

Then, each as a whole process of the venv's `sfcoach` (SFCOACH_STORE, HOME and
XDG_CACHE_HOME in a temporary folder):

  * full index build: the first `sessions list` on a cold index cache (1 run);
  * refresh with nothing changed: in-process `Index(Store(path)).refresh()`,
    and the difference between a whole `sessions list` and the same command
    with `Index.refresh` replaced by a no-op (median of 5 each);
  * refresh after 10 changed files: 10 sessions of 10 clients changed through
    `Store.save` (write, fsync, rename into the folder), >2 s before the
    refresh; in-process and as a whole `sessions list` (median of 5 rounds
    each, different files every round);
  * review commands, warm index, round-robin after 2 warm-up rounds, `--runs`
    times each (default 10): `sessions list`, `history`, `search` (a common
    word, a phrase), `stats`, `export --client --format md`, and
    `python -c pass` as the floor.

Goals at 100,000 sessions: each review command <= 300 ms median, refresh with
nothing changed <= 1 s. `--keep DIR` keeps the generated store in DIR/store and
reuses it when it already holds N sessions (the index is always rebuilt).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from common import PYTHON, SFCOACH, clean_env, percentile, require_entry_script, run_once

WARMUP = 2
REFRESH_RUNS = 5
CHANGED_FILES = 10
RACY_WAIT = 2.1  # seconds between the changes and the refresh: past the index's racy window
GOAL_COMMAND_MS = 300.0  # median of each review command
GOAL_REFRESH_S = 1.0  # median of a refresh with nothing changed
SEED = 2026
PER_CLIENT = 10  # sessions per client on average
DAYS = 730  # sessions spread over two years up to today
AGE_S = 3600  # folder mtimes are set this far back after generation
MARKER = ".bench-review.json"  # in a --keep store: what was generated
COMMON_WORD = "jobbet"
PHRASE = "svara på e-post"


# `sessions list` without its refresh: the command's whole cost minus the index check.
NO_REFRESH = (
    "import sys; from sfcoach.index import Index; Index.refresh = lambda self: 0; "
    "from sfcoach.cli import main; sys.exit(main(['sessions', 'list']))"
)


def say(text: str) -> None:
    """Progress on stderr; the table goes to stdout."""
    sys.stderr.write(f"[review.py {time.strftime('%H:%M:%S')}] {text}\n")
    sys.stderr.flush()


# --- what people say ---------------------------------------------------------------------

SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "sv": {
        "person": (
            "mamma", "pappa", "min syster", "min bror", "Jonna", "sambon", "grannen",
            "min kompis Sara", "handläggaren", "läraren på Komvux", "chefen", "min dotter",
            "min son", "farmor", "kollegorna", "kuratorn", "min granne Åke", "Göran",
            "Märta", "min handledare", "tjejerna på SFI", "kusin Jörgen", "morfar",
        ),
        "place": (
            "hemma", "på jobbet", "i affären", "på biblioteket", "på gymmet", "vid sjön",
            "på Arbetsförmedlingen", "på vårdcentralen", "i skolan", "på caféet", "i parken",
            "hos mamma", "på bussen", "i köket", "på praktiken", "i tvättstugan",
            "på Komvux", "i Göteborg", "i Örebro", "i Västerås", "i Malmö", "i Umeå",
            "i Jönköping", "på förskolan", "på lagret",
        ),
        "activity": (
            "gå ut med hunden", "laga mat", "städa köket", "ringa Försäkringskassan",
            "svara på e-post", "söka jobb", "promenera runt sjön", "träffa kompisar",
            "läsa en bok", "cykla till jobbet", "handla mat", "betala räkningarna",
            "gå upp i tid", "plugga matte", "skriva om mitt CV", "öppna posten",
            "träna på gymmet", "sova ordentligt", "ta bussen själv", "ringa vårdcentralen",
            "lämna barnen på förskolan", "skicka in aktivitetsrapporten", "baka bröd",
            "gå på föräldramötet", "öva på svenska", "fylla i ansökan", "plocka svamp",
            "sätta upp ett schema", "gå till tandläkaren", "säga nej ibland",
        ),
        "time": (
            "i morse", "i går", "förra veckan", "på måndag", "varje förmiddag", "i helgen",
            "efter lunch", "på kvällarna", "för två veckor sedan", "i våras", "i höstas",
            "nästan varje dag", "tre gånger i veckan", "innan jul", "efter påsk",
            "i fredags", "på söndagskvällen",
        ),
        "feeling": (
            "lugnare", "gladare", "tryggare", "mindre stressad", "stolt", "trött men nöjd",
            "hoppfull", "lättad", "starkare", "mer som mig själv", "piggare", "modigare",
            "mindre ensam", "förväntansfull",
        ),
        "thing": (
            "ekonomin", "sömnen", "lägenheten", "körkortet", "praktikplatsen", "ansökan",
            "räkningarna", "schemat", "bostadsbidraget", "lönespecifikationen",
            "kalendern", "telefonen", "busskortet", "aktivitetsrapporten", "e-posten",
            "sjukskrivningen", "CSN-lånet", "hyran", "utbildningen", "jobbet",
            "försörjningsstödet", "läxorna", "tandvården", "flytten",
        ),
    },
    "en": {
        "person": (
            "my mother", "my dad", "my sister", "my brother", "Jonna", "my partner",
            "the neighbour", "my friend Sara", "my caseworker", "the teacher", "my boss",
            "my daughter", "my son", "grandma", "my colleagues", "the counsellor",
        ),
        "place": (
            "at home", "at work", "at the shop", "at the library", "at the gym",
            "by the lake", "at the job centre", "at the health centre", "at school",
            "at the café", "in the park", "on the bus", "in the kitchen", "at the warehouse",
            "in Gothenburg", "in Malmö", "in Uppsala",
        ),
        "activity": (
            "walk the dog", "cook dinner", "clean the kitchen", "call the insurance office",
            "answer my e-mail", "apply for jobs", "walk around the lake", "see friends",
            "read a book", "cycle to work", "do the shopping", "pay the bills",
            "get up on time", "study maths", "rewrite my CV", "open the post",
            "go to the gym", "sleep properly", "take the bus on my own", "practise Swedish",
            "fill in the application", "say no sometimes", "go to the dentist",
        ),
        "time": (
            "this morning", "yesterday", "last week", "on Monday", "every morning",
            "at the weekend", "after lunch", "in the evenings", "two weeks ago",
            "in the spring", "almost every day", "three times a week", "before Christmas",
        ),
        "feeling": (
            "calmer", "happier", "safer", "less stressed", "proud", "tired but pleased",
            "hopeful", "relieved", "stronger", "more like myself", "braver", "less alone",
        ),
        "thing": (
            "money", "sleep", "the flat", "the driving licence", "the placement",
            "the application", "the bills", "the schedule", "the housing benefit",
            "the payslip", "the calendar", "the phone", "the bus pass", "e-mail",
            "the sick leave", "the student loan", "the rent", "the course", "the job",
        ),
    },
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    "sv": (
        "Jag har börjat {activity} {time}.",
        "{person} märkte att jag var {feeling} {time}.",
        "Det känns {feeling} när jag hinner {activity}.",
        "Jag vill kunna {activity} utan att det blir för mycket.",
        "{time} lyckades jag {activity}, det hade jag inte trott.",
        "Det som hjälpte var att {person} följde med {place}.",
        "Jag skulle märka det på att jag orkar {activity}.",
        "Jag har fått ordning på {thing} och det är skönt.",
        "Det var svårt med {thing} men jag gav inte upp.",
        "Jag pratade med {person} om {thing} {time}.",
        "Om det vore bra nog skulle jag {activity} varje vecka.",
        "Jag var {place} och det gick bättre än jag trodde.",
        "Jag har skickat e-post till {person} om {thing}.",
        "Att jag vågade {activity} {time} betyder mycket för mig.",
        "Jag sover bättre sedan jag började {activity}.",
        "Nästa sak är att ringa Försäkringskassan om {thing}.",
        "{person} säger att jag har blivit {feeling}.",
        "Det är lättare {place} nu än för ett år sedan.",
        "Jag vill att {thing} ska fungera så att jag slipper oroa mig.",
        "Jag har klarat mig genom att {activity} och ta en dag i taget.",
        "När jag är orolig brukar jag {activity}, då blir jag {feeling}.",
        "Det bästa i veckan var när {person} och jag satt {place}.",
        "Jag är på väg, men {thing} tar fortfarande mycket energi.",
        "Jag har gjort det förut, när jag fick ordning på {thing}.",
        "Första tecknet vore att jag går upp i tid och hinner {activity}.",
        "Jag läser min e-post varje dag och svarar på det viktigaste.",
        "Jag är stolt över att jag inte ställde in mötet {place}.",
        "Jag har sagt till {person} att jag behöver hjälp med {thing}.",
        "Det går åt rätt håll, jag är nog {feeling} än förra gången.",
        "Jag vet att jag kan {activity} om jag förbereder mig kvällen innan.",
        "{person} skulle se att jag skrattar mer och är {feeling}.",
        "Jag har börjat svara på e-post direkt i stället för att skjuta upp det.",
        "Det viktigaste för mig är {thing} och att få trivas på jobbet.",
        "Jag tror att {person} skulle säga att jag är envis, på ett bra sätt.",
        "Vi har pratat om {thing} hemma, och det blev inget bråk.",
        "Jag skrev en lista över vad jag ska göra {time} och strök det jag gjort.",
        "Jag har varit {place} flera gånger utan att känna mig stressad.",
        "Det blev inte som jag tänkt med {thing}, men jag hittade en annan väg.",
        "Jag fick ett svar på ansökan {time}, de vill träffa mig.",
        "Jag märker att jag är {feeling} på morgnarna nu.",
    ),
    "en": (
        "I have started to {activity} {time}.",
        "{person} noticed I was {feeling} {time}.",
        "It feels good when I manage to {activity}.",
        "I want to be able to {activity} without it getting too much.",
        "{time} I managed to {activity}, which I did not expect.",
        "What helped was that {person} came with me {place}.",
        "I would notice it because I have the energy to {activity}.",
        "I have sorted out {thing} and that is a relief.",
        "It was hard with {thing} but I did not give up.",
        "I talked to {person} about {thing} {time}.",
        "If it were good enough I would {activity} every week.",
        "I was {place} and it went better than I thought.",
        "I sent an e-mail to {person} about {thing}.",
        "That I dared to {activity} {time} means a lot to me.",
        "I sleep better since I started to {activity}.",
        "{person} says I have become {feeling}.",
        "It is easier {place} now than a year ago.",
        "I have coped by trying to {activity} and taking one day at a time.",
        "The best thing this week was when {person} and I sat {place}.",
        "I am getting there, but {thing} still takes a lot of energy.",
        "The first sign would be getting up on time and having time to {activity}.",
        "I read my e-mail every day and answer the important ones.",
        "I know I can {activity} if I prepare the evening before.",
        "{person} would see me laughing more and being {feeling}.",
        "I notice that I feel {feeling} in the mornings now.",
    ),
}
STEP_TEMPLATES: dict[str, tuple[str, ...]] = {
    "sv": (
        "{activity} {time}",
        "Ringa Försäkringskassan om {thing}",
        "Svara på e-post från {person} om {thing}",
        "Fråga {person} om hjälp med {thing}",
        "{activity} två gånger före nästa möte",
        "Skriva ner tre saker som gått bra med {thing}",
    ),
    "en": (
        "{activity} {time}",
        "Call the insurance office about {thing}",
        "Answer the e-mail from {person} about {thing}",
        "Ask {person} for help with {thing}",
        "{activity} twice before the next meeting",
    ),
}
NOTE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "sv": (
        "Vi pratade om {thing}. Klienten har börjat {activity}.",
        "Uppföljning av {thing} nästa gång; klienten vill {activity}.",
        "Klienten kom i tid och var {feeling}. Tar kontakt via e-post om {thing}.",
    ),
    "en": (
        "We talked about {thing}. The client has started to {activity}.",
        "Follow up {thing} next time; the client wants to {activity}.",
    ),
}
FEEDBACK = (
    "Bra att du frågade om {thing}, då blev det konkret.",
    "Du följde upp skalfrågan och frågade vem som skulle märka skillnaden.",
    "Mer tid för undantagen: när gick det bättre med {thing}?",
    "Jag blev {feeling} av att du lyssnade så noga.",
)
PRACTITIONERS = tuple(f"Handläggare {c}" for c in "ABCDEFGHIJKLMNOP")
PRACTICE_NAMES = ("Anna", "Bo", "Cia", "Dag", "Eva", "Åsa", "Örjan", "Ylva")
CARDS = ("first-application", "sfi-learning-swedish", "back-after-sick-leave", "nothing-is-better")
GENERIC_FOLLOWUP = {"sv": "Vad mer?", "en": "What else?"}


class _Pick(dict):
    """str.format_map slots that draw a word from the vocabulary on each use."""

    def __init__(self, rng: Random, lang: str) -> None:
        super().__init__()
        self.rng, self.slots = rng, SLOTS[lang]

    def __missing__(self, key: str) -> str:
        return self.rng.choice(self.slots[key])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def said(rng: Random, lang: str, low: int, high: int, templates: Any = None) -> str:
    pick = _Pick(rng, lang)
    return " ".join(
        _cap(rng.choice(templates or TEMPLATES[lang]).format_map(pick))
        for _ in range(rng.randint(low, high))
    )


# --- generating a store --------------------------------------------------------------------


def plan(n: int) -> tuple[list[int], int]:
    """Sessions per client (about PER_CLIENT, summing with the practice rounds to n)."""
    rng = Random(SEED)
    practice = min(max(2, n // 1000), n // 2)
    real = n - practice
    clients = max(1, round(real / PER_CLIENT))
    counts = [PER_CLIENT] * clients
    for i in range(0, clients - 1, 2):  # vary pairwise, so the sum stays the same
        d = rng.randint(-6, 6)
        counts[i] += d
        counts[i + 1] -= d
    extra = real - sum(counts)
    for i in range(abs(extra)):
        j = i % clients
        if extra < 0 and counts[j] == 1:
            continue
        counts[j] += 1 if extra > 0 else -1
    extra = real - sum(counts)
    counts[0] += extra  # whatever could not be spread (tiny n only)
    return counts, practice


def alias(i: int) -> str:
    return f"K{i + 1}"


def _banks() -> dict[str, Any]:
    from sfcoach import bank

    return {b: bank.load_builtin(b) for b in bank.builtin_ids()}


def _when(rng: Random, day: datetime) -> datetime:
    """A weekday in office hours, to the millisecond (a weekend moves back to Friday)."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day.replace(
        hour=rng.randint(8, 15),
        minute=rng.randrange(0, 60, 15),
        second=rng.randint(0, 59),
        microsecond=rng.randint(0, 999) * 1000,
    )


def _write(folder: Path, session: Any, mtime: float) -> int:
    from sfcoach import sessionfile

    data = sessionfile.to_yaml(session).encode("utf-8")
    while True:
        path = folder / f"{session.id}.yaml"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:  # same millisecond and random byte: another byte
            old = session.id
            session.id = f"{old[:-2]}{os.urandom(1).hex()}"  # as Store.create does
            for step in session.steps:
                step.from_session = session.id if step.from_session == old else step.from_session
            data = sessionfile.to_yaml(session).encode("utf-8")
    with open(fd, "wb") as fh:
        fh.write(data)
    os.utime(path, (mtime, mtime))
    return len(data)


def filled(text: str, **values: int) -> str:
    """A follow-up as asked: its placeholders filled, `{first:ID}`/`{prev:ID}` and any other
    with the value (a schema-2 bank's texts are templates, not str.format strings)."""
    return re.sub(
        r"\{([a-z_]+)(?::[^}]*)?\}",
        lambda m: str(values.get(m.group(1), values["value"])),
        text,
    )


def _session(
    rng: Random,
    banks: dict[str, Any],
    client: str | None,
    meeting: str,
    lang: str,
    when: datetime,
    progress: int,
    previous: Any,
    status: str,
    practitioner: str,
) -> Any:
    from sfcoach.models import Answer, Cursor, Followup, Note, Rating, Session, Step
    from sfcoach.store import new_session_id

    b = banks[meeting]
    sid = new_session_id(when)
    elapsed = rng.uniform(1500, 4800)
    started = when.astimezone()
    s = Session(
        id=sid,
        client=client,
        meeting=meeting,
        bank_id=b.id,
        bank_version=b.version,
        bank_source="builtin",
        lang=lang,
        practitioner=practitioner,
        practice=client is None,
        status=status,
        started=started.isoformat(timespec="seconds"),
        ended=(
            (started + timedelta(seconds=elapsed)).isoformat(timespec="seconds")
            if status == "completed"
            else None
        ),
        elapsed=round(elapsed, 1),
        previous=previous.id if previous else None,
    )
    back: list[tuple[str, int]] = []
    texts = [(p.id, q) for p, q in b.questions if q.kind == "text"]
    clock = started
    for i in range(rng.randint(10, 20)):
        phase, q = texts[i % len(texts)]
        qid = q.id if i < len(texts) else f"{q.id}-{i // len(texts) + 1}"
        clock += timedelta(seconds=rng.randint(40, 240))
        asked = [f[lang] for f in q.followups] or [GENERIC_FOLLOWUP[lang]]
        followups = [
            Followup(asked[j % len(asked)], said(rng, lang, 1, 2))
            for j in range(rng.choice((0, 1, 1, 1, 2)))
        ]
        s.answers.append(
            Answer(phase, qid, said(rng, lang, 1, 3), followups, clock.isoformat(), q.text[lang])
        )
        back += [(qid, k) for k in range(len(followups) + 1)]
    for p, q in b.questions:
        if q.kind != "scale":
            continue
        value = progress if q.id == "progress" else max(0, min(10, progress + rng.randint(-2, 2)))
        nxt = min(q.max, value + 1)
        followups = [
            Followup(
                filled(f[lang], value=value, next=nxt, min=q.min, max=q.max, before=value - 1),
                said(rng, lang, 1, 2),
            )
            for f in q.followups[: rng.randint(1, max(1, len(q.followups)))]
        ]
        clock += timedelta(seconds=rng.randint(60, 300))
        s.ratings.append(
            Rating(
                q.id,
                p.id,
                value,
                q.min,
                q.max,
                (q.low or {}).get(lang, ""),
                (q.high or {}).get(lang, ""),
                (q.label or {}).get(lang, ""),
                followups,
                clock.isoformat(),
                q.text[lang],
            )
        )
        back += [(q.id, k) for k in range(len(followups) + 1)]
    if previous is not None:  # the last meeting's steps, carried and reviewed
        for x in previous.steps:
            if x.status != "agreed":
                continue
            s.carried.append(Step(x.text, "agreed", x.from_session, None, x.at))
            outcome = rng.choice(("done", "done", "done", "partly", "partly", "not"))
            s.steps.append(Step(x.text, outcome, x.from_session, "step-review", clock.isoformat()))
    for _ in range(rng.randint(1, 2)):
        text = _cap(said(rng, lang, 1, 1, STEP_TEMPLATES[lang]).rstrip("."))
        s.steps.append(Step(text, "agreed", sid, "next-step", clock.isoformat()))
        back.append(("next-step", 0))
    if rng.random() < 0.5:
        s.notes.append(Note(said(rng, lang, 1, 2, NOTE_TEMPLATES[lang]), clock.isoformat()))
    if status == "completed":
        s.cursor = Cursor(None, 0, back, [], False)
    else:
        s.cursor = Cursor(back[-1][0], back[-1][1], back[:-1], [], False)
    return s


def _client_meetings(rng: Random, count: int) -> list[str]:
    out = ["first-visit"]
    for i in range(1, count):
        if i == count - 1 and count >= 5 and rng.random() < 0.3:
            out.append("closing")
        else:
            r = rng.random()
            out.append(
                "follow-up"
                if r < 0.62
                else "check-in"
                if r < 0.88
                else "plan"
                if r < 0.96
                else "network"
            )
    return out


def generate_clients(job: tuple[str, int, list[int], float]) -> tuple[int, int]:
    """Write the sessions of clients first .. first+len(counts)-1; returns (files, bytes)."""
    root, first, counts, today_ts = job
    banks = _banks()
    today = datetime.fromtimestamp(today_ts)
    files = size = 0
    for offset, count in enumerate(counts):
        index = first + offset
        rng = Random(SEED * 1_000_003 + index)
        name = alias(index)
        folder = Path(root) / name
        os.mkdir(folder, 0o700)
        lang = "sv" if rng.random() < 0.8 else "en"
        practitioner = rng.choice(PRACTITIONERS)
        gaps = [rng.randint(10, 60) for _ in range(count - 1)]
        span = min(sum(gaps), DAYS - 1)
        day = today - timedelta(days=DAYS) + timedelta(days=rng.randint(0, DAYS - 1 - span))
        progress = rng.randint(1, 5)
        previous = None
        for i, meeting in enumerate(_client_meetings(rng, count)):
            if i:
                day = min(day + timedelta(days=gaps[i - 1]), today - timedelta(days=1))
                progress = max(0, min(10, progress + rng.choice((-1, 0, 0, 1, 1, 1, 2))))
            when = _when(rng, day)
            status = "completed"
            if i == count - 1 and rng.random() < 0.04:
                status = rng.choice(("in-progress", "paused"))
            s = _session(
                rng, banks, name, meeting, lang, when, progress, previous, status, practitioner
            )
            size += _write(folder, s, min(when.timestamp() + s.elapsed, today_ts - AGE_S))
            files += 1
            previous = s
    return files, size


def generate_practice(root: Path, count: int, today: datetime) -> tuple[int, int]:
    from sfcoach import codec
    from sfcoach.models import PracticeRound
    from sfcoach.store import PRACTICE_DIR, new_session_id

    rng = Random(SEED - 1)
    banks = _banks()
    folder = root / PRACTICE_DIR
    os.mkdir(folder, 0o700)
    files = size = 0
    while files < count:
        rounds = min(rng.randint(2, 3), count - files)
        names = rng.sample(PRACTICE_NAMES, 3)
        day = _when(rng, today - timedelta(days=rng.randint(1, DAYS - 1)))
        group = new_session_id(day - timedelta(minutes=5))
        plan_ = {"group": group, "names": names, "rounds": rounds, "minutes": 15}
        plan_ |= {"bank": "practice", "fixed": None}
        for r in range(rounds):
            when = day + timedelta(minutes=20 * r)
            roles = {"coach": names[r % 3], "client": names[(r + 1) % 3]}
            roles["observer"] = names[(r + 2) % 3]
            s = _session(
                rng, banks, None, "practice", "sv", when, rng.randint(2, 7), None, "completed",
                roles["coach"],
            )  # fmt: skip
            pick = _Pick(rng, "sv")
            s.practice_data = codec.decode(PracticeRound, {
                **plan_,
                "round": r + 1,
                "roles": roles,
                "scenario": rng.choice(CARDS),
                "stage": "done",
                "asked": [],
                "phase_seconds": {p: rng.randint(60, 400) for p in "PLUS"},
                "feedback": [
                    {
                        "by": roles["observer"],
                        "kind": kind,
                        "text": rng.choice(FEEDBACK).format_map(pick),
                        "at": s.ended,
                    }
                    for kind in ("well", "more")
                ],
                "usefulness": rng.randint(4, 9),
            })  # fmt: skip
            size += _write(folder, s, min(when.timestamp() + s.elapsed, time.time() - AGE_S))
            files += 1
    return files, size


def generate(root: Path, n: int) -> dict[str, Any]:
    counts, practice = plan(n)
    root.mkdir(mode=0o700, parents=True)
    today_ts = time.time()
    chunk = 100
    jobs = [(str(root), i, counts[i : i + chunk], today_ts) for i in range(0, len(counts), chunk)]
    files = size = 0
    t0 = time.perf_counter()
    workers = os.cpu_count() or 1
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for done, (f, b) in enumerate(pool.imap_unordered(generate_clients, jobs), 1):
            files += f
            size += b
            if done % max(1, len(jobs) // 10) == 0:
                say(f"generated {files:,} / {n:,} sessions")
    f, b = generate_practice(root, practice, datetime.fromtimestamp(today_ts))
    files += f
    size += b
    aged = time.time() - AGE_S
    for entry in os.scandir(root):
        if entry.is_dir(follow_symlinks=False):
            os.utime(entry.path, (aged, aged))
    info = {
        "n": files,
        "clients": len(counts),
        "practice": practice,
        "bytes": size,
        "seconds": time.perf_counter() - t0,
        "workers": workers,
    }
    (root / MARKER).write_text(json.dumps(info))
    return info


def prepare_store(keep: Path | None, tmp: Path, n: int) -> tuple[Path, dict[str, Any], bool]:
    """The store to bench: reused from --keep when it holds n sessions, else generated."""
    root = (keep / "store") if keep else (tmp / "store")
    marker = root / MARKER
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("n") == n:
            return root, info, True
        say(f"{root} holds {info.get('n'):,} sessions, not {n:,}: generating again")
        shutil.rmtree(root)
    elif root.exists() and any(root.iterdir()):
        sys.exit(f"review.py: {root} exists and was not made by this benchmark; not touching it")
    elif root.exists():
        root.rmdir()
    say(f"generating {n:,} sessions into {root}")
    return root, generate(root, n), False


# --- timing ------------------------------------------------------------------------------


def in_process_index(store_root: Path) -> Any:
    from sfcoach.index import Index
    from sfcoach.store import Store

    return Index(Store(store_root))


def timed_refresh(store_root: Path) -> tuple[float, int]:
    index = in_process_index(store_root)
    try:
        t0 = time.perf_counter()
        read = index.refresh()
        return time.perf_counter() - t0, read
    finally:
        index.close()


def change_files(store_root: Path, rng: Random, clients: int, used: set[str]) -> None:
    """Change one session each of CHANGED_FILES clients not changed before, as a save does."""
    from sfcoach.models import Note, now_iso
    from sfcoach.store import Store

    store = Store(store_root)
    fresh = [alias(i) for i in range(clients) if alias(i) not in used]
    picked = rng.sample(fresh, min(CHANGED_FILES, len(fresh)))
    used.update(picked)
    if not picked:
        sys.exit(f"review.py: too few clients to change {CHANGED_FILES} new ones each round")
    for name in picked:
        path = rng.choice(store.files(name))
        session = store.load(path)
        session.notes = [
            Note(said(rng, session.lang, 1, 2, NOTE_TEMPLATES[session.lang]), now_iso())
        ]
        store.save(session)


def index_stats(path: Path) -> dict[str, Any]:
    from sfcoach.index import fts_query

    db = sqlite3.connect(path)

    def one(sql: str, *args: Any) -> Any:
        return db.execute(sql, args).fetchone()[0]

    try:
        return {
            "sessions": one("SELECT count(*) FROM sessions"),
            "problems": one("SELECT count(*) FROM files WHERE problem IS NOT NULL"),
            "texts": one("SELECT count(*) FROM texts"),
            "word_hits": one(
                "SELECT count(*) FROM tri WHERE tri MATCH ?", fts_query(COMMON_WORD).long
            ),
            "phrase_hits": one(
                "SELECT count(*) FROM tri WHERE tri MATCH ?", fts_query(f'"{PHRASE}"').long
            ),
        }
    finally:
        db.close()


def disk_usage(root: Path) -> tuple[int, int, int]:
    """(bytes on disk, apparent bytes, files) under root, like du."""
    on_disk = apparent = files = 0
    stack = [root]
    while stack:
        for entry in os.scandir(stack.pop()):
            info = entry.stat(follow_symlinks=False)
            on_disk += info.st_blocks * 512
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                apparent += info.st_size
                files += 1
    return on_disk, apparent, files


def review_commands(client: str) -> list[tuple[str, list[str]]]:
    sf = str(SFCOACH)
    return [
        ("python -c pass (floor)", [str(PYTHON), "-c", "pass"]),
        ("sessions list", [sf, "sessions", "list"]),
        (f"history {client}", [sf, "history", client]),
        (f"search {COMMON_WORD}", [sf, "search", COMMON_WORD]),
        (f'search "{PHRASE}"', [sf, "search", f'"{PHRASE}"']),
        ("stats", [sf, "stats"]),
        (f"export --client {client} --format md", [sf, "export", "--client", client, "--format", "md"]),
    ]  # fmt: skip


def round_robin(
    cmds: list[tuple[str, list[str]]], runs: int, env: dict[str, str], cwd: Path
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name, _ in cmds}
    for i in range(WARMUP + runs):
        for name, argv in cmds:  # round-robin, so drift hits every command alike
            t = run_once(argv, env, cwd)
            if i >= WARMUP:
                times[name].append(t)
    return times


# --- report --------------------------------------------------------------------------------


def row(name: str, values: list[float], unit: str, goal: str = "-", met: bool | None = None) -> str:
    scale = 1000.0 if unit == "ms" else 1.0
    fmt = ".1f" if unit == "ms" else ".2f"
    med = f"{statistics.median(values) * scale:{fmt}} {unit}"
    p95 = f"{percentile(values, 95) * scale:{fmt}} {unit}" if len(values) > 1 else "-"
    result = "-" if met is None else ("met" if met else "MISSED")
    return f"{name:<46} {len(values):>4} {med:>11} {p95:>11}  {goal:<16} {result}"


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="sessions to generate (10000)")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per command (10)")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the store in DIR/store and reuse it"
    )
    args = parser.parse_args()
    if args.n < 20 or args.runs < 1:
        parser.error("--n must be at least 20 and --runs at least 1")
    require_entry_script()
    keep = args.keep.resolve() if args.keep else None
    if keep:
        keep.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="sfcoach-bench-review-"))
    try:
        report(args, keep, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(args: argparse.Namespace, keep: Path | None, tmp: Path) -> None:
    root, info, reused = prepare_store(keep, tmp, args.n)
    env = clean_env(tmp, store=root)
    os.environ.update({k: env[k] for k in ("HOME", "XDG_CACHE_HOME")})  # the same index path
    from sfcoach.paths import index_path

    index_file = index_path(root)
    sf = str(SFCOACH)
    rng = Random(SEED + 7)
    counts, _ = plan(args.n)
    client = alias(min(range(len(counts)), key=lambda i: (abs(counts[i] - PER_CLIENT), i)))

    say("full index build (first `sessions list`, cold index cache)")
    build = run_once([sf, "sessions", "list"], env, tmp)
    got = index_stats(index_file)
    if got["sessions"] != args.n or got["problems"]:
        sys.exit(f"review.py: index holds {got['sessions']} sessions, {got['problems']} problems")

    say("refresh with nothing changed")
    refresh, reads = [], []
    for _ in range(REFRESH_RUNS):
        t, read = timed_refresh(root)
        refresh.append(t)
        reads.append(read)
    whole, bare = [], []
    run_once([sf, "sessions", "list"], env, tmp)
    run_once([str(PYTHON), "-c", NO_REFRESH], env, tmp)
    for _ in range(REFRESH_RUNS):
        whole.append(run_once([sf, "sessions", "list"], env, tmp))
        bare.append(run_once([str(PYTHON), "-c", NO_REFRESH], env, tmp))
    delta = [w - b for w, b in zip(whole, bare, strict=True)]

    say(f"refresh after {CHANGED_FILES} changed files")
    used: set[str] = {client}
    changed, changed_reads, changed_whole = [], [], []
    for _ in range(REFRESH_RUNS):
        change_files(root, rng, len(counts), used)
        time.sleep(RACY_WAIT)  # a review comes later than the same clock tick
        t, read = timed_refresh(root)
        changed.append(t)
        changed_reads.append(read)
    for _ in range(REFRESH_RUNS):
        change_files(root, rng, len(counts), used)
        time.sleep(RACY_WAIT)
        changed_whole.append(run_once([sf, "sessions", "list"], env, tmp))

    say(f"review commands: {WARMUP} warm-up rounds + {args.runs} runs")
    cmds = review_commands(client)
    load = os.getloadavg()[0]
    times = round_robin(cmds, args.runs, env, tmp)
    load = max(load, os.getloadavg()[0])  # other work on the machine skews every row

    store_disk, store_bytes, store_files = disk_usage(root)
    index_bytes = sum(
        os.path.getsize(f"{index_file}{s}")
        for s in ("", "-wal", "-shm")
        if os.path.exists(f"{index_file}{s}")
    )

    gen = (
        f"reused from {root}"
        if reused
        else f"generated in {info['seconds']:.1f} s with {info['workers']} processes"
    )
    print(
        f"sfcoach review at {info['n']:,} sessions ({info['clients']:,} clients,"
        f" {info['practice']} practice rounds; {gen})"
    )
    print(f"python:  {PYTHON} (-> {os.path.realpath(PYTHON)})")
    print(
        f"sfcoach: {SFCOACH}; sqlite {sqlite3.sqlite_version}; {os.cpu_count()} cores,"
        f" load average up to {load:.2f} during the review commands"
    )
    print(
        f"store: {store_files:,} files, {mb(store_disk)} on disk ({mb(store_bytes)} of text);"
        f" index: {mb(index_bytes)}, {got['texts']:,} texts"
    )
    print(
        f"search {COMMON_WORD}: {got['word_hits']:,} matching texts;"
        f' search "{PHRASE}": {got["phrase_hits"]:,}; history/export: {client}'
        f" ({counts[int(client[1:]) - 1]} sessions)"
    )
    print()
    print(f"{'measure':<46} {'runs':>4} {'median':>11} {'p95':>11}  {'goal':<16} result")
    print(f"{'-' * 46} {'-' * 4} {'-' * 11} {'-' * 11}  {'-' * 16} ------")
    goal_r = f"median <= {GOAL_REFRESH_S:g} s"
    goal_c = f"median <= {GOAL_COMMAND_MS:g} ms"
    refresh_ok = statistics.median(refresh) <= GOAL_REFRESH_S
    delta_ok = statistics.median(delta) <= GOAL_REFRESH_S
    n = CHANGED_FILES
    rows: list[tuple[str, list[float], str, str, bool | None]] = [
        ("full index build (first sessions list)", [build], "s", "-", None),
        ("refresh, nothing changed (in-process)", refresh, "ms", goal_r, refresh_ok),
        ("refresh, nothing changed (list - no-refresh)", delta, "ms", goal_r, delta_ok),
        ("  sessions list, whole", whole, "ms", "-", None),
        ("  sessions list with refresh a no-op", bare, "ms", "-", None),
        (f"refresh after {n} changed files (in-process)", changed, "ms", "-", None),
        (f"sessions list after {n} changed files", changed_whole, "ms", "-", None),
    ]
    missed = [] if refresh_ok and delta_ok else ["refresh with nothing changed"]
    for name, _ in cmds:
        if name.startswith("python"):
            rows.append((name, times[name], "ms", "-", None))
            continue
        ok = statistics.median(times[name]) * 1000 <= GOAL_COMMAND_MS
        missed += [] if ok else [name]
        rows.append((name, times[name], "ms", goal_c, ok))
    for name, values, unit, goal, met in rows:
        print(row(name, values, unit, goal, met))
    print()
    print(
        f"files read by the in-process refreshes: nothing changed {sorted(set(reads))},"
        f" after changes {sorted(set(changed_reads))}"
    )
    print(f"Goals missed: {', '.join(missed)}" if missed else "All goals met.")


if __name__ == "__main__":
    main()
