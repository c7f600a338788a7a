"""The interface's texts in English and Swedish, by key. Question texts live in the banks."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- command-line help ---------------------------------------------------------
    "cli.app": {
        "en": "sfcoach: a meeting coach for solution-focused conversations (PLUS: Platform, Solution, Exceptions, Steps).",
        "sv": "sfcoach: samtalsstöd för lösningsfokuserade samtal (PLUS: Plattform, Lösning, Undantag, Steg).",
    },
    "cli.bank": {
        "en": "List, show, validate and print question banks.",
        "sv": "Lista, visa, kontrollera och skriv ut frågebanker.",
    },
    "cli.sessions": {"en": "List and show saved sessions.", "sv": "Lista och visa sparade samtal."},
    "cli.start": {
        "en": "Run a guided meeting. A client with an earlier completed meeting gets a follow-up, a new client a first visit, unless --meeting or --bank says otherwise.",
        "sv": "Håll ett guidat samtal. En klient med ett tidigare avslutat samtal får en uppföljning, en ny klient ett nybesök, om inte --meeting eller --bank säger annat.",
    },
    "cli.resume": {
        "en": "Continue a paused or interrupted session where it stopped (the most recent one without SESSION_ID).",
        "sv": "Fortsätt ett pausat eller avbrutet samtal där det slutade (det senaste om SESSION_ID saknas).",
    },
    "cli.sessions.show": {"en": "Show one session.", "sv": "Visa ett samtal."},
    "cli.sessions.list": {
        "en": "List sessions, newest first.",
        "sv": "Lista samtal, nyaste först.",
    },
    "cli.bank.list": {
        "en": "List the built-in question banks.",
        "sv": "Lista de inbyggda frågebankerna.",
    },
    "cli.bank.show": {
        "en": "Show a bank's phases and questions.",
        "sv": "Visa en frågebanks faser och frågor.",
    },
    "cli.bank.validate": {
        "en": "Check bank files; print every problem as FILE:LINE: key.path: message; exit 1 if any.",
        "sv": "Kontrollera bankfiler; skriv varje fel som FIL:RAD: nyckel.sökväg: meddelande; slutkod 1 om något fel finns.",
    },
    "cli.bank.cards": {
        "en": "Print the questions as cards per phase, like paper question cards.",
        "sv": "Skriv ut frågorna som kort per fas, som frågekort på papper.",
    },
    "cli.bank.schema": {
        "en": "Print the JSON Schema of the bank format, for editors.",
        "sv": "Skriv ut bankformatets JSON Schema, för redigerare.",
    },
    "cli.opt.store": {
        "en": "Folder with the session files (also SFCOACH_STORE; default: your user data folder).",
        "sv": "Mapp med samtalsfilerna (även SFCOACH_STORE; standard: din användardatamapp).",
    },
    "cli.opt.lang": {
        "en": "Language: sv or en (also SFCOACH_LANG; default: the locale, else English).",
        "sv": "Språk: sv eller en (även SFCOACH_LANG; standard: systemets språk, annars engelska).",
    },
    "cli.opt.json": {"en": "Print JSON to stdout.", "sv": "Skriv JSON till stdout."},
    "cli.opt.debug": {
        "en": "Show where an internal error happened (never answer text).",
        "sv": "Visa var ett internt fel inträffade (aldrig svarstext).",
    },
    "cli.opt.version": {"en": "Show the version and exit.", "sv": "Visa versionen och avsluta."},
    "cli.opt.client": {
        "en": "The client's alias (not a name).",
        "sv": "Klientens alias (inte ett namn).",
    },
    "cli.opt.client-filter": {
        "en": "Only this client's sessions.",
        "sv": "Bara den här klientens samtal.",
    },
    "cli.opt.meeting": {
        "en": "Meeting type: the id of a built-in bank (see `sfcoach bank list`).",
        "sv": "Mötestyp: id för en inbyggd bank (se `sfcoach bank list`).",
    },
    "cli.opt.bank": {
        "en": "A bank file, or a built-in bank's id.",
        "sv": "En bankfil, eller id för en inbyggd bank.",
    },
    "cli.opt.practitioner": {
        "en": "Who leads the meeting (also SFCOACH_PRACTITIONER).",
        "sv": "Vem som leder samtalet (även SFCOACH_PRACTITIONER).",
    },
    "cli.opt.plain": {
        "en": "Plain line mode: one line answers each question (automatic when input is not a terminal).",
        "sv": "Radläge: en rad besvarar varje fråga (automatiskt när indata inte är en terminal).",
    },
    "cli.opt.ids": {
        "en": "Personal identity numbers in answers: mask (default) or keep.",
        "sv": "Personnummer i svar: mask (maskera, standard) eller keep (behåll).",
    },
    "cli.opt.since": {
        "en": "Only sessions on or after this date (YYYY-MM-DD).",
        "sv": "Bara samtal från och med detta datum (ÅÅÅÅ-MM-DD).",
    },
    "cli.opt.status": {
        "en": "Only sessions with this status: in-progress, paused, completed.",
        "sv": "Bara samtal med denna status: in-progress, paused, completed.",
    },
    "cli.opt.practice": {
        "en": "Only practice sessions, or none of them.",
        "sv": "Bara övningssamtal, eller inga.",
    },
    "cli.opt.limit": {"en": "Show at most this many rows.", "sv": "Visa högst så här många rader."},
    "cli.opt.all": {"en": "Show every row.", "sv": "Visa alla rader."},
    "cli.opt.phase": {
        "en": "Only this phase: P, L, U or S.",
        "sv": "Bara denna fas: P, L, U eller S.",
    },
    "cli.arg.session": {
        "en": "A session id, or a unique start of one.",
        "sv": "Ett samtals-id, eller en unik början av ett.",
    },
    "cli.arg.bank": {
        "en": "A built-in bank's id, or a bank file.",
        "sv": "Id för en inbyggd bank, eller en bankfil.",
    },
    "cli.arg.bank-cards": {
        "en": "One bank (default: all built-in banks).",
        "sv": "En bank (standard: alla inbyggda banker).",
    },
    "cli.arg.files": {"en": "Bank files to check.", "sv": "Bankfiler att kontrollera."},
    # --- general errors ----------------------------------------------------------------
    "error.internal": {
        "en": "internal error ({kind} at {where}); please report it. Run with --debug for details.",
        "sv": "internt fel ({kind} i {where}); rapportera gärna. Kör med --debug för detaljer.",
    },
    "error.lang": {
        "en": "unsupported language '{value}': use sv or en",
        "sv": "språket '{value}' stöds inte: använd sv eller en",
    },
    "error.ids": {
        "en": "--ids must be mask or keep, not '{value}'",
        "sv": "--ids ska vara mask eller keep, inte '{value}'",
    },
    "oserror.disk-full": {"en": "the disk is full", "sv": "disken är full"},
    "oserror.read-only": {"en": "the folder is not writable", "sv": "mappen går inte att skriva i"},
    "oserror.other": {"en": "the system refused the write", "sv": "systemet nekade skrivningen"},
    # --- aliases, sessions, store ----------------------------------------------------------
    "alias.empty": {
        "en": "a client alias is needed (--client)",
        "sv": "ett klientalias behövs (--client)",
    },
    "alias.too-long": {
        "en": "a client alias can be at most {max} characters",
        "sv": "ett klientalias får vara högst {max} tecken",
    },
    "alias.bad": {
        "en": "'{alias}' cannot be a client alias: use letters, digits, '-', '_' or '.', starting with a letter or digit (an alias, not a name)",
        "sv": "'{alias}' kan inte vara ett klientalias: använd bokstäver, siffror, '-', '_' eller '.', med en bokstav eller siffra först (ett alias, inte ett namn)",
    },
    "session.unknown": {
        "en": "no session '{id}' in this store",
        "sv": "inget samtal '{id}' i den här lagringen",
    },
    "session.ambiguous": {
        "en": "'{id}' matches {count} sessions; type more of the id",
        "sv": "'{id}' passar {count} samtal; skriv mer av id:t",
    },
    "session.unreadable-file": {
        "en": "cannot read {path}: {reason}",
        "sv": "kan inte läsa {path}: {reason}",
    },
    "session.yaml-syntax": {"en": "not valid YAML", "sv": "inte giltig YAML"},
    "session.yaml-value": {
        "en": "a value that cannot be read",
        "sv": "ett värde som inte går att läsa",
    },
    "session.not-mapping": {"en": "not a session file", "sv": "inte en samtalsfil"},
    "session.no-schema": {
        "en": "no schema version: not a session file",
        "sv": "ingen schemaversion: inte en samtalsfil",
    },
    "session.future": {
        "en": "written by a newer sfcoach (schema {version}); update sfcoach to read it",
        "sv": "skriven av en nyare sfcoach (schema {version}); uppdatera sfcoach för att läsa den",
    },
    "session.bad-key": {
        "en": "the value of '{key}' is missing or of the wrong type",
        "sv": "värdet för '{key}' saknas eller har fel typ",
    },
    "session.symlink": {
        "en": "a symbolic link; not followed",
        "sv": "en symbolisk länk; följs inte",
    },
    "session.gone": {"en": "the file has disappeared", "sv": "filen har försvunnit"},
    "session.unreadable": {"en": "cannot be opened ({why})", "sv": "kan inte öppnas ({why})"},
    "session.not-file": {"en": "not a regular file", "sv": "inte en vanlig fil"},
    "session.too-big": {
        "en": "too big ({mb} MB); not read",
        "sv": "för stor ({mb} MB); läses inte",
    },
    "session.not-utf8": {"en": "not UTF-8 text", "sv": "inte UTF-8-text"},
    "session.binary": {"en": "binary data, not text", "sv": "binärdata, inte text"},
    "session.not-yaml": {"en": "line {line}: {why}", "sv": "rad {line}: {why}"},
    "session.already-completed": {
        "en": "this session is already completed",
        "sv": "samtalet är redan avslutat",
    },
    "session.paused": {
        "en": "Session paused. Continue with: {command}",
        "sv": "Samtalet är pausat. Fortsätt med: {command}",
    },
    "session.completed": {
        "en": "Saved as completed: {id}. Read it with: sfcoach sessions show {id}",
        "sv": "Sparat som avslutat: {id}. Läs det med: sfcoach sessions show {id}",
    },
    "store.id-taken": {
        "en": "session id {id} is already taken; try again",
        "sv": "samtals-id {id} är redan upptaget; försök igen",
    },
    "store.save-failed": {
        "en": "could not save the session in {path}: {why}",
        "sv": "kunde inte spara samtalet i {path}: {why}",
    },
    "store.unreadable": {
        "en": "cannot read the store {path}: {why}",
        "sv": "kan inte läsa lagringen {path}: {why}",
    },
    "store.keep-going": {
        "en": "Your answers are kept in memory; each new answer tries to save again. Free space or fix the folder, or /pause to stop.",
        "sv": "Svaren finns kvar i minnet; varje nytt svar försöker spara igen. Frigör utrymme eller rätta mappen, eller /paus för att sluta.",
    },
    "store.saved-again": {
        "en": "Saved again; nothing was lost.",
        "sv": "Sparat igen; inget gick förlorat.",
    },
    "store.not-saved": {
        "en": "The latest answers could not be saved. The last saved version is intact in {path}; resume from it when the store is writable.",
        "sv": "De senaste svaren kunde inte sparas. Den senast sparade versionen finns kvar i {path}; återuppta från den när lagringen går att skriva i.",
    },
    "store.locked": {
        "en": "session {id} is open in another terminal; finish or pause it there first",
        "sv": "samtal {id} är öppet i en annan terminal; avsluta eller pausa det där först",
    },
    # --- start and resume ----------------------------------------------------------------
    "ask.client": {"en": "Client alias:", "sv": "Klientalias:"},
    "ask.lang": {"en": "Language, sv or en [{default}]:", "sv": "Språk, sv eller en [{default}]:"},
    "ask.practitioner": {
        "en": "Practitioner (may be left empty):",
        "sv": "Handläggare (kan lämnas tomt):",
    },
    "ask.eof": {
        "en": "input ended before the meeting started; nothing was saved",
        "sv": "indata tog slut innan samtalet började; inget sparades",
    },
    "resume.nothing": {
        "en": "no paused or interrupted session to resume",
        "sv": "inget pausat eller avbrutet samtal att fortsätta",
    },
    "resume.completed": {
        "en": "session {id} is completed and cannot be resumed; read it with: sfcoach sessions show {id}",
        "sv": "samtal {id} är avslutat och kan inte återupptas; läs det med: sfcoach sessions show {id}",
    },
    "resume.bank-gone": {
        "en": "the bank file {path} of session {id} is gone; put it back to resume (the answers are safe)",
        "sv": "bankfilen {path} för samtal {id} finns inte längre; lägg tillbaka den för att fortsätta (svaren är kvar)",
    },
    "resume.which": {
        "en": "Resume {id} ({client}, {meeting}, {date})?",
        "sv": "Fortsätta {id} ({client}, {meeting}, {date})?",
    },
    "resume.confirm": {"en": "[Y/n]", "sv": "[J/n]"},
    "resume.continuing": {
        "en": "Continuing where you stopped ({n} answers kept).",
        "sv": "Fortsätter där ni slutade ({n} svar sparade).",
    },
    # --- banks -------------------------------------------------------------------------
    "bank.unknown": {
        "en": "no built-in bank '{id}' (there are: {known})",
        "sv": "ingen inbyggd bank '{id}' (det finns: {known})",
    },
    "bank.no-such-file": {"en": "no bank file {path}", "sv": "ingen bankfil {path}"},
    "bank.invalid": {
        "en": "not a usable bank: {where}{why} (+{count} more; all of them: sfcoach bank validate {file})",
        "sv": "ingen användbar bank: {where}{why} (+{count} till; alla: sfcoach bank validate {file})",
    },
    "cards.invalid": {
        "en": "not a usable role-card file: {where}{why} (+{count} more; all of them: sfcoach bank validate {file})",
        "sv": "ingen användbar rollkortsfil: {where}{why} (+{count} till; alla: sfcoach bank validate {file})",
    },
    "bank.no-lang": {
        "en": "bank {id} has no texts in '{lang}' (it has: {have})",
        "sv": "banken {id} saknar texter på '{lang}' (den har: {have})",
    },
    "bank.no-file": {"en": "no such file", "sv": "filen finns inte"},
    "bank.is-dir": {"en": "a folder, not a bank file", "sv": "en mapp, inte en bankfil"},
    "bank.unreadable": {"en": "cannot be read ({reason})", "sv": "kan inte läsas ({reason})"},
    "bank.not-mapping": {
        "en": "the top level must be a mapping (schema, id, languages, title, phases)",
        "sv": "översta nivån måste vara en mappning (schema, id, languages, title, phases)",
    },
    "bank.schema-version": {
        "en": "unsupported schema version {got} (this sfcoach reads schema 1)",
        "sv": "schemaversion {got} stöds inte (denna sfcoach läser schema 1)",
    },
    "bank.duplicate-lang": {"en": "a language is listed twice", "sv": "ett språk står två gånger"},
    "bank.missing-lang": {
        "en": "text missing in this language (the bank lists it in languages)",
        "sv": "texten saknas på detta språk (banken anger det under languages)",
    },
    "bank.phase-order": {
        "en": "phase {id} out of order: phases go P, L, U, S",
        "sv": "fas {id} i fel ordning: faserna går P, L, U, S",
    },
    "bank.phase-repeated": {
        "en": "phase {id} appears twice",
        "sv": "fas {id} förekommer två gånger",
    },
    "bank.duplicate-id": {
        "en": "question id '{id}' is already used at {first}",
        "sv": "fråge-id '{id}' används redan vid {first}",
    },
    "bank.scale-only": {
        "en": "only scale questions have this key (this one is {kind})",
        "sv": "bara skalfrågor har denna nyckel (denna är {kind})",
    },
    "bank.scale-range": {
        "en": "min ({min}) must be less than max ({max})",
        "sv": "min ({min}) måste vara mindre än max ({max})",
    },
    "bank.no-followups": {
        "en": "{kind} questions take no follow-ups",
        "sv": "{kind}-frågor har inga följdfrågor",
    },
    "bank.placeholder": {
        "en": "unknown placeholder {name} (allowed here: {allowed})",
        "sv": "okänd platshållare {name} (tillåtna här: {allowed})",
    },
    "schema.type": {"en": "must be {want}, not {got}", "sv": "måste vara {want}, inte {got}"},
    "schema.enum": {
        "en": "'{got}' is not one of: {allowed}",
        "sv": "'{got}' är inte något av: {allowed}",
    },
    "schema.range": {"en": "{got} is out of range", "sv": "{got} ligger utanför tillåtna värden"},
    "schema.pattern": {
        "en": "'{got}' is not a valid id (lowercase letters, digits and '-', at most 40)",
        "sv": "'{got}' är inte ett giltigt id (små bokstäver, siffror och '-', högst 40)",
    },
    "schema.too-long": {
        "en": "too long (at most {max} characters)",
        "sv": "för lång (högst {max} tecken)",
    },
    "schema.unknown-key": {
        "en": "unknown key (allowed: {allowed})",
        "sv": "okänd nyckel (tillåtna: {allowed})",
    },
    "schema.unknown-key-near": {
        "en": "unknown key; did you mean '{near}'?",
        "sv": "okänd nyckel; menade du '{near}'?",
    },
    "schema.missing": {"en": "required key is missing", "sv": "obligatorisk nyckel saknas"},
    "schema.empty": {"en": "must not be empty", "sv": "får inte vara tom"},
    "schema.text-needs-langs": {
        "en": "must give the text per language, like {{sv: ..., en: ...}}",
        "sv": "texten ska anges per språk, som {{sv: ..., en: ...}}",
    },
    "schema.unknown-lang": {
        "en": "unknown language (use sv or en)",
        "sv": "okänt språk (använd sv eller en)",
    },
    "schema.blank": {"en": "text is empty", "sv": "texten är tom"},
    "yaml.too-big": {
        "en": "file too big (limit {limit} kB)",
        "sv": "filen är för stor (gräns {limit} kB)",
    },
    "yaml.not-utf8": {"en": "not UTF-8 text", "sv": "inte UTF-8-text"},
    "yaml.syntax": {"en": "not valid YAML: {problem}", "sv": "inte giltig YAML: {problem}"},
    "yaml.recursive": {"en": "a recursive alias; refused", "sv": "ett rekursivt alias; nekas"},
    "yaml.alias-bomb": {
        "en": "aliases expand to too many nodes (an alias bomb?); refused",
        "sv": "alias expanderar till för många noder (en aliasbomb?); nekas",
    },
    "yaml.key-not-text": {"en": "keys must be text", "sv": "nycklar måste vara text"},
    "yaml.duplicate-key": {
        "en": "key '{key}' appears twice",
        "sv": "nyckeln '{key}' förekommer två gånger",
    },
    "validate.ok": {"en": "{file}: ok", "sv": "{file}: ok"},
    "validate.top": {"en": "(top)", "sv": "(överst)"},
    # --- inside a session ----------------------------------------------------------------
    "view.tip": {"en": "Tip:", "sv": "Tips:"},
    "view.step": {"en": "Step:", "sv": "Steg:"},
    "view.step-first": {
        "en": "One step per line; an empty line ends the list.",
        "sv": "Ett steg per rad; en tom rad avslutar listan.",
    },
    "view.step-more": {
        "en": "  Step {n} (empty line when done):",
        "sv": "  Steg {n} (tom rad när ni är klara):",
    },
    "view.review-choices": {
        "en": "done / partly / not yet (1 / 2 / 3)",
        "sv": "klart / delvis / inte än (1 / 2 / 3)",
    },
    "view.was-partly": {"en": "Last time: partly done.", "sv": "Förra gången: delvis klart."},
    "view.was-not": {"en": "Last time: not done yet.", "sv": "Förra gången: inte gjort än."},
    "view.scale-range": {
        "en": "A whole number from {min} to {max}.",
        "sv": "Ett heltal från {min} till {max}.",
    },
    "view.current": {
        "en": "Now: {text} (a new line replaces it, an empty line keeps it)",
        "sv": "Nu: {text} (en ny rad ersätter, en tom rad behåller)",
    },
    "view.last-time": {
        "en": "Last time ({date}, {meeting}):",
        "sv": "Förra gången ({date}, {meeting}):",
    },
    "view.steps-agreed": {"en": "Steps to follow up:", "sv": "Steg att följa upp:"},
    "practice.label": {"en": "practice", "sv": "övning"},
    "answer.too-long": {
        "en": "That answer is over {max} characters; not saved. Shorten it.",
        "sv": "Svaret är över {max} tecken; sparas inte. Korta ner det.",
    },
    "scale.invalid": {
        "en": "Please give a whole number from {min} to {max}.",
        "sv": "Ange ett heltal från {min} till {max}.",
    },
    "scale.need-number": {
        "en": "Please give a whole number from {min} to {max} (or /skip).",
        "sv": "Ange ett heltal från {min} till {max} (eller /hoppa).",
    },
    "scale.change": {
        "en": "Last time {before}, now {now}.",
        "sv": "Förra gången {before}, nu {now}.",
    },
    "review.invalid": {
        "en": "Answer done, partly or not (or 1, 2, 3).",
        "sv": "Svara klart, delvis eller inte (eller 1, 2, 3).",
    },
    "review.not-twice": {
        "en": "Not done two meetings in a row: if it doesn't work, do something different.",
        "sv": "Inte gjort två möten i rad: om det inte fungerar, gör något annat.",
    },
    "command.unknown": {
        "en": "Unknown command {word}; /help lists them. Start with // to write a literal /.",
        "sv": "Okänt kommando {word}; /hjälp listar dem. Börja med // för att skriva ett vanligt /.",
    },
    "back.none": {
        "en": "Nothing to go back to yet.",
        "sv": "Det finns inget att gå tillbaka till än.",
    },
    "phase.usage": {"en": "Use /phase P, L, U or S.", "sv": "Använd /fas P, L, U eller S."},
    "phase.absent": {
        "en": "This bank has no phase {phase}.",
        "sv": "Den här banken har ingen fas {phase}.",
    },
    "note.usage": {
        "en": "Use /note followed by the note.",
        "sv": "Använd /notera följt av anteckningen.",
    },
    "step.usage": {"en": "Use /step followed by the step.", "sv": "Använd /steg följt av steget."},
    "note.saved": {"en": "Note saved.", "sv": "Anteckningen är sparad."},
    "step.saved": {"en": "Step saved.", "sv": "Steget är sparat."},
    "tips.on": {"en": "Tips on.", "sv": "Tips visas."},
    "tips.off": {"en": "Tips off.", "sv": "Tips döljs."},
    "ids.masked": {
        "en": "A personal identity number was masked before saving ({n}).",
        "sv": "Ett personnummer maskerades innan det sparades ({n}).",
    },
    "toolbar.keys": {
        "en": "Enter: send · Alt-Enter: new line · /help",
        "sv": "Enter: skicka · Alt-Enter: ny rad · /hjälp",
    },
    "toolbar.unsaved": {"en": "NOT SAVED", "sv": "INTE SPARAT"},
    "help.title": {"en": "Commands:", "sv": "Kommandon:"},
    "help.back": {
        "en": "back to the previous question, to edit the answer",
        "sv": "tillbaka till föregående fråga, för att ändra svaret",
    },
    "help.skip": {"en": "skip this question", "sv": "hoppa över frågan"},
    "help.phase": {"en": "jump to a phase", "sv": "hoppa till en fas"},
    "help.note": {"en": "attach a note to the session", "sv": "lägg till en anteckning"},
    "help.step": {"en": "record an agreed next step", "sv": "skriv in ett överenskommet steg"},
    "help.tips": {"en": "show or hide the tips", "sv": "visa eller dölj tipsen"},
    "help.pause": {
        "en": "save and leave; sfcoach resume continues",
        "sv": "spara och gå ur; sfcoach resume fortsätter",
    },
    "help.end": {
        "en": "finish: summary, confirm, save",
        "sv": "avsluta: sammanfattning, bekräfta, spara",
    },
    "help.help": {"en": "this list", "sv": "den här listan"},
    "help.literal": {
        "en": "Start an answer with // to write a literal /.",
        "sv": "Börja ett svar med // för att skriva ett vanligt /.",
    },
    "summary.title": {"en": "Summary", "sv": "Sammanfattning"},
    "summary.answers": {"en": "Answers: {n}", "sv": "Svar: {n}"},
    "summary.last-time": {"en": "last time {n}", "sv": "förra gången {n}"},
    "summary.reviewed": {"en": "Steps from last time:", "sv": "Steg från förra gången:"},
    "summary.steps": {"en": "Next steps:", "sv": "Nästa steg:"},
    "summary.no-steps": {
        "en": "No next step agreed yet.",
        "sv": "Inget nästa steg överenskommet än.",
    },
    "summary.notes": {"en": "Notes: {n}", "sv": "Anteckningar: {n}"},
    "summary.unanswered": {"en": "Unanswered questions: {n}", "sv": "Obesvarade frågor: {n}"},
    "summary.confirm": {
        "en": "Save as completed? y = yes, anything else = back to the session:",
        "sv": "Spara som avslutat? j = ja, annat = tillbaka till samtalet:",
    },
    "summary.returned": {"en": "Back in the session.", "sv": "Tillbaka i samtalet."},
    "status.agreed": {"en": "agreed", "sv": "överenskommet"},
    "status.done": {"en": "done", "sv": "klart"},
    "status.partly": {"en": "partly", "sv": "delvis"},
    "status.not": {"en": "not yet", "sv": "inte än"},
    "status.in-progress": {"en": "in progress", "sv": "pågår"},
    "status.paused": {"en": "paused", "sv": "pausat"},
    "status.completed": {"en": "completed", "sv": "avslutat"},
    "category.platform": {"en": "platform", "sv": "plattform"},
    "category.future": {"en": "preferred future", "sv": "önskad framtid"},
    "category.exception": {"en": "exception", "sv": "undantag"},
    "category.scaling": {"en": "scaling", "sv": "skala"},
    "category.coping": {"en": "coping", "sv": "hantering"},
    "category.step": {"en": "step", "sv": "steg"},
    "category.compliment": {"en": "compliment", "sv": "erkännande"},
    "category.other": {"en": "other", "sv": "annat"},
    # --- review output -------------------------------------------------------------------
    "col.id": {"en": "id", "sv": "id"},
    "col.title": {"en": "title", "sv": "titel"},
    "col.languages": {"en": "languages", "sv": "språk"},
    "col.questions": {"en": "questions", "sv": "frågor"},
    "col.client": {"en": "client", "sv": "klient"},
    "col.meeting": {"en": "meeting", "sv": "möte"},
    "col.status": {"en": "status", "sv": "status"},
    "col.date": {"en": "date", "sv": "datum"},
    "col.progress": {"en": "progress", "sv": "framsteg"},
    "list.empty": {"en": "No sessions.", "sv": "Inga samtal."},
    "list.more": {
        "en": "Showing {shown} of {total}; --all shows every one.",
        "sv": "Visar {shown} av {total}; --all visar alla.",
    },
    "show.ratings": {"en": "Ratings", "sv": "Skattningar"},
    "show.steps": {"en": "Steps", "sv": "Steg"},
    "show.notes": {"en": "Notes", "sv": "Anteckningar"},
    # --- review commands ------------------------------------------------------------
    "cli.history": {
        "en": "A client's course: sessions, scale trends as charts, steps and their outcomes, resources.",
        "sv": "En klients förlopp: samtal, skalornas utveckling som diagram, steg och hur de gick, resurser.",
    },
    "cli.search": {
        "en": 'Search answers, follow-ups, notes and steps. Words as typed (e-post, CSN-lån); "a phrase"; prefix*.',
        "sv": 'Sök i svar, följdsvar, anteckningar och steg. Ord som de skrivs (e-post, CSN-lån); "en fras"; början*.',
    },
    "cli.export": {
        "en": "Export one session or a client's sessions as md, json, csv or html.",
        "sv": "Exportera ett samtal eller en klients samtal som md, json, csv eller html.",
    },
    "cli.stats": {
        "en": "Outcome figures: sessions per meeting type and status, first vs latest progress per client, steps done. Practice is never counted.",
        "sv": "Resultat: samtal per mötestyp och status, första mot senaste framsteg per klient, genomförda steg. Övningar räknas aldrig.",
    },
    "cli.arg.alias": {"en": "The client's alias.", "sv": "Klientens alias."},
    "cli.arg.search": {"en": "What to search for.", "sv": "Vad som ska sökas."},
    "cli.opt.client-export": {
        "en": "Export all of this client's sessions.",
        "sv": "Exportera alla den här klientens samtal.",
    },
    "cli.opt.format": {"en": "md, json, csv or html.", "sv": "md, json, csv eller html."},
    "cli.opt.output": {
        "en": "Write to this file (owner-only) instead of stdout.",
        "sv": "Skriv till denna fil (bara ägaren kan läsa) i stället för stdout.",
    },
    "cli.opt.force": {
        "en": "Overwrite an existing -o file.",
        "sv": "Skriv över en befintlig -o-fil.",
    },
    "export.which": {
        "en": "give either a SESSION_ID or --client ALIAS",
        "sv": "ange antingen ett SESSION_ID eller --client ALIAS",
    },
    "export.format": {
        "en": "unknown format '{value}' (use {allowed})",
        "sv": "okänt format '{value}' (använd {allowed})",
    },
    "export.written": {"en": "Written: {path}", "sv": "Skrivet: {path}"},
    "output.exists": {
        "en": "{path} exists; add --force to overwrite it",
        "sv": "{path} finns redan; lägg till --force för att skriva över",
    },
    "output.is-dir": {
        "en": "{path} is a folder; give a file name",
        "sv": "{path} är en mapp; ange ett filnamn",
    },
    "output.failed": {"en": "cannot write {path}: {why}", "sv": "kan inte skriva {path}: {why}"},
    "client.unknown": {
        "en": "no sessions for client '{client}' in this store",
        "sv": "inga samtal för klienten '{client}' i den här lagringen",
    },
    "date.bad": {
        "en": "'{value}' is not a date; use YYYY-MM-DD",
        "sv": "'{value}' är inget datum; använd ÅÅÅÅ-MM-DD",
    },
    "status.bad": {
        "en": "unknown status '{value}' (use in-progress, paused or completed)",
        "sv": "okänd status '{value}' (använd in-progress, paused eller completed)",
    },
    "search.bad-query": {
        "en": 'the search could not be understood; use words, "a phrase" or a prefix*',
        "sv": 'sökningen gick inte att tolka; använd ord, "en fras" eller en början*',
    },
    "search.unbalanced": {
        "en": "a quote mark is not closed",
        "sv": "ett citattecken är inte avslutat",
    },
    "search.empty": {"en": "nothing to search for", "sv": "inget att söka efter"},
    "search.none": {"en": "No matches.", "sv": "Inga träffar."},
    "search.count": {"en": "{n} hits", "sv": "{n} träffar"},
    "session.misplaced": {
        "en": "not where its content says it belongs (client folder and file name must match)",
        "sv": "ligger inte där innehållet säger (klientmapp och filnamn måste stämma)",
    },
    "skipped.line": {
        "en": "sfcoach: skipped {path}: {why}",
        "sv": "sfcoach: hoppade över {path}: {why}",
    },
    "skipped.more": {
        "en": "sfcoach: … and {n} more files skipped",
        "sv": "sfcoach: … och {n} filer till överhoppade",
    },
    "field.answer": {"en": "answer", "sv": "svar"},
    "field.followup": {"en": "follow-up", "sv": "följdsvar"},
    "field.note": {"en": "note", "sv": "anteckning"},
    "field.step": {"en": "step", "sv": "steg"},
    "field.feedback": {"en": "feedback", "sv": "återkoppling"},
    "history.count": {"en": "{n} sessions", "sv": "{n} samtal"},
    "history.scales": {"en": "Scales over time", "sv": "Skalor över tid"},
    "history.steps": {"en": "Steps and outcomes", "sv": "Steg och hur de gick"},
    "history.exceptions": {
        "en": "Exceptions and resources (newest first)",
        "sv": "Undantag och resurser (nyaste först)",
    },
    "stats.sessions": {"en": "{n} sessions", "sv": "{n} samtal"},
    "stats.since": {"en": "since {date}", "sv": "sedan {date}"},
    "stats.progress": {
        "en": "Progress, first vs latest rating per client",
        "sv": "Framsteg, första mot senaste skattning per klient",
    },
    "stats.no-followed": {
        "en": "No client has two progress ratings yet.",
        "sv": "Ingen klient har två framstegsskattningar än.",
    },
    "stats.followed": {
        "en": "{n} clients with two or more ratings ({rated} rated at all)",
        "sv": "{n} klienter med två eller fler skattningar ({rated} skattade totalt)",
    },
    "stats.mean-change": {
        "en": "Mean change: {change}",
        "sv": "Genomsnittlig förändring: {change}",
    },
    "stats.improved": {"en": "improved", "sv": "bättre"},
    "stats.same": {"en": "same", "sv": "oförändrat"},
    "stats.worse": {"en": "worse", "sv": "sämre"},
    "stats.steps": {"en": "Steps", "sv": "Steg"},
    "col.first": {"en": "first", "sv": "första"},
    "col.latest": {"en": "latest", "sv": "senaste"},
    "col.change": {"en": "change", "sv": "förändring"},
    "cli.opt.date": {
        "en": "When the meeting was held, to enter one afterwards: YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now).",
        "sv": "När samtalet hölls, för att föra in det i efterhand: ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTHH:MM (standard: nu).",
    },
    "date.bad-time": {
        "en": "'{value}' is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM",
        "sv": "'{value}' är inte ett datum eller en tid; använd ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTHH:MM",
    },
    "date.future": {"en": "{value} is in the future", "sv": "{value} ligger i framtiden"},
    "yaml.too-deep": {
        "en": "nested more than {max} levels deep; refused",
        "sv": "nästlad mer än {max} nivåer djupt; nekas",
    },
    "yaml.too-many-nodes": {
        "en": "too many values in one file; refused",
        "sv": "för många värden i en fil; nekas",
    },
    "yaml.merge-key": {
        "en": "merge keys (<<) are not supported; write the keys out",
        "sv": "sammanslagningsnycklar (<<) stöds inte; skriv ut nycklarna",
    },
    "yaml.bad-value": {
        "en": "a value YAML cannot read ({problem}), such as an impossible date",
        "sv": "ett värde som YAML inte kan läsa ({problem}), till exempel ett omöjligt datum",
    },
    "cards.not-mapping": {
        "en": "the top level must be a mapping (schema, cards)",
        "sv": "översta nivån måste vara en mappning (schema, cards)",
    },
    "cards.duplicate-id": {
        "en": "card id '{id}' is used twice",
        "sv": "kort-id '{id}' används två gånger",
    },
    "meeting.first-visit": {"en": "First visit", "sv": "Nybesök"},
    "meeting.follow-up": {"en": "Follow-up", "sv": "Uppföljning"},
    "meeting.plan": {"en": "Implementation plan", "sv": "Genomförandeplan"},
    "meeting.network": {"en": "Network meeting", "sv": "Nätverksmöte"},
    "meeting.check-in": {"en": "Short check-in", "sv": "Kort avstämning"},
    "meeting.closing": {"en": "Closing meeting", "sv": "Avslutande samtal"},
    "meeting.practice": {"en": "Practice conversation", "sv": "Övningssamtal"},
    "stats.steps-agreed": {"en": "agreed in meetings: {n}", "sv": "överenskomna på möten: {n}"},
    "stats.steps-reviewed": {
        "en": "reviewed at the next meeting: {detail}",
        "sv": "följda upp på nästa möte: {detail}",
    },
    "alias.id-number": {
        "en": "a client alias must not be a personal identity number; use an alias",
        "sv": "ett klientalias får inte vara ett personnummer; använd ett alias",
    },
    # --- pair practice ------------------------------------------------------------------
    "cli.practice": {
        "en": "Practise in pairs or threes: rotating roles (coach, client, observer), a role card for the client, the observer's tally, feedback and a usefulness rating. --list shows the role cards.",
        "sv": "Öva i par eller tre: roller som byts (samtalsledare, klient, observatör), ett rollkort för klienten, observatörens räkning, återkoppling och en skattning av nyttan. --list visar rollkorten.",
    },
    "cli.opt.pair": {
        "en": "Two or three names, comma separated: NAME,NAME[,NAME].",
        "sv": "Två eller tre namn, kommaseparerade: NAMN,NAMN[,NAMN].",
    },
    "cli.opt.scenario": {
        "en": "The role card to play (an id from --list); default: a different card each round.",
        "sv": "Rollkortet att spela (ett id från --list); standard: ett nytt kort varje runda.",
    },
    "cli.opt.minutes": {
        "en": "Minutes per round; the timer warns when they are up.",
        "sv": "Minuter per runda; klockan varnar när tiden är ute.",
    },
    "cli.opt.rounds": {
        "en": "How many rounds (default: one per person, so everyone coaches).",
        "sv": "Hur många rundor (standard: en per person, så att alla leder samtal).",
    },
    "cli.opt.list-cards": {"en": "List the role cards.", "sv": "Lista rollkorten."},
    "cli.opt.cards": {
        "en": "A role-card file of your own (checked like banks: sfcoach bank validate FILE).",
        "sv": "En egen fil med rollkort (kontrolleras som banker: sfcoach bank validate FIL).",
    },
    "col.level": {"en": "level", "sv": "nivå"},
    "practice.unknown-scenario": {
        "en": "no role card '{id}' (there are: {known})",
        "sv": "inget rollkort '{id}' (det finns: {known})",
    },
    "practice.too-few": {
        "en": "practice needs two or three names, like --pair Anna,Bo",
        "sv": "övning kräver två eller tre namn, som --pair Anna,Bo",
    },
    "practice.too-many": {
        "en": "at most {max} people practise together (coach, client, observer)",
        "sv": "högst {max} personer övar tillsammans (samtalsledare, klient, observatör)",
    },
    "practice.duplicate-names": {
        "en": "each name must be different",
        "sv": "varje namn måste vara olika",
    },
    "practice.long-name": {
        "en": "a name can be at most 40 characters",
        "sv": "ett namn får vara högst 40 tecken",
    },
    "practice.minutes": {
        "en": "--minutes must be from 1 to 240, not {value}",
        "sv": "--minutes ska vara från 1 till 240, inte {value}",
    },
    "practice.rounds": {
        "en": "--rounds must be from 1 to 20, not {value}",
        "sv": "--rounds ska vara från 1 till 20, inte {value}",
    },
    "practice.ask-names": {
        "en": "Names, two or three, comma separated:",
        "sv": "Namn, två eller tre, kommaseparerade:",
    },
    "practice.round": {"en": "Round {n} of {of}", "sv": "Runda {n} av {of}"},
    "practice.roles": {
        "en": "Coach: {coach} · client: {client} · observer: {observer}",
        "sv": "Samtalsledare: {coach} · klient: {client} · observatör: {observer}",
    },
    "practice.scenario": {
        "en": "Role card: {title} (level {level})",
        "sv": "Rollkort: {title} (nivå {level})",
    },
    "practice.card-hint": {
        "en": "{client}: type /card to read your role card (coach, look away). Enter starts the round.",
        "sv": "{client}: skriv /kort för att läsa ditt rollkort (samtalsledaren tittar bort). Enter startar rundan.",
    },
    "practice.hide-card": {"en": "Enter hides the card:", "sv": "Enter döljer kortet:"},
    "practice.level": {"en": "level {n}", "sv": "nivå {n}"},
    "practice.wants": {"en": "What you want:", "sv": "Det här vill du:"},
    "practice.hidden": {
        "en": "Tell only when asked well:",
        "sv": "Berätta bara när du får en bra fråga:",
    },
    "practice.play": {"en": "How to play:", "sv": "Så spelar du:"},
    "practice.time-up": {
        "en": "Time is up ({n} min): round off with a step and a summary.",
        "sv": "Tiden är ute ({n} min): runda av med ett steg och en sammanfattning.",
    },
    "practice.ask-usage": {
        "en": "Use /ask followed by your own question.",
        "sv": "Använd /fråga följt av din egen fråga.",
    },
    "practice.classify": {
        "en": "What kind of question? One key: {keys}",
        "sv": "Vilken sorts fråga? En tangent: {keys}",
    },
    "practice.classify-again": {
        "en": "One of the keys above, please.",
        "sv": "En av tangenterna ovan, tack.",
    },
    "practice.own-answer": {"en": "The client's answer:", "sv": "Klientens svar:"},
    "practice.feedback": {"en": "Feedback", "sv": "Återkoppling"},
    "practice.well": {
        "en": "{who}: what went well in {coach}'s conversation?",
        "sv": "{who}: vad gick bra i {coach}s samtal?",
    },
    "practice.more": {
        "en": "{who}: what could {coach} do more of?",
        "sv": "{who}: vad kan {coach} göra mer av?",
    },
    "practice.usefulness": {
        "en": "{client}: how useful was the conversation for what you hoped for (“{platform}”), 0–10?",
        "sv": "{client}: hur användbart var samtalet för det du hoppades på (”{platform}”), 0–10?",
    },
    "practice.round-summary": {
        "en": "Round {n}: {coach} coached",
        "sv": "Runda {n}: {coach} ledde samtalet",
    },
    "practice.round-line": {
        "en": "Round {n}: coach {coach}, client {client}",
        "sv": "Runda {n}: samtalsledare {coach}, klient {client}",
    },
    "practice.tally": {
        "en": "Questions asked: {n} ({detail})",
        "sv": "Ställda frågor: {n} ({detail})",
    },
    "practice.future-share": {
        "en": "Future-focused questions: {pct} %",
        "sv": "Framtidsinriktade frågor: {pct} %",
    },
    "practice.followups": {
        "en": "Follow-ups such as “what else?”: {n}",
        "sv": "Följdfrågor som ”vad mer?”: {n}",
    },
    "practice.scale-used": {
        "en": "Scale used: {used}; follow-up on it: {followup}",
        "sv": "Skala använd: {used}; följdfråga på den: {followup}",
    },
    "practice.ended-step": {
        "en": "Ended with a step the client chose: {answer}",
        "sv": "Slutade med ett steg som klienten valde: {answer}",
    },
    "practice.phase-time": {"en": "Time per phase: {detail}", "sv": "Tid per fas: {detail}"},
    "practice.useful-was": {
        "en": "Usefulness for the client: {n}/10",
        "sv": "Nytta för klienten: {n}/10",
    },
    "practice.useful-by-coach": {
        "en": "Usefulness when {coach} coached: {n}/10",
        "sv": "Nytta när {coach} ledde samtalet: {n}/10",
    },
    "practice.fb-well": {"en": "Went well:", "sv": "Gick bra:"},
    "practice.fb-more": {"en": "Do more of:", "sv": "Gör mer av:"},
    "practice.summary": {"en": "The whole practice", "sv": "Hela övningen"},
    "practice.yes": {"en": "yes", "sv": "ja"},
    "practice.no": {"en": "no", "sv": "nej"},
    # --- data protection ------------------------------------------------------------
    "cli.purge": {
        "en": "Delete a client's sessions, or sessions older than DAYS, with their index entries; lists them and asks first.",
        "sv": "Radera en klients samtal, eller samtal äldre än DAGAR, med deras indexrader; listar dem och frågar först.",
    },
    "cli.scan": {
        "en": "Find personal identity numbers saved unmasked (e.g. with --ids keep) and files open to other users; --fix masks the numbers and makes everything owner-only. Exit 1 when something is found and not fixed.",
        "sv": "Hitta personnummer som sparats omaskerade (t.ex. med --ids keep) och filer som andra kan läsa; --fix maskerar numren och gör allt privat. Slutkod 1 om något hittas och inte rättas.",
    },
    "cli.opt.client-purge": {
        "en": "Every session of this client.",
        "sv": "Alla samtal med den här klienten.",
    },
    "cli.opt.older-than": {
        "en": "Sessions whose last entry is more than DAYS days old.",
        "sv": "Samtal vars senaste anteckning är mer än DAGAR dagar gammal.",
    },
    "cli.opt.yes": {"en": "Do not ask for confirmation.", "sv": "Fråga inte om bekräftelse."},
    "cli.opt.dry-run": {
        "en": "Only list what would be deleted.",
        "sv": "Lista bara vad som skulle raderas.",
    },
    "cli.opt.fix": {
        "en": "Mask what is found, saving each file atomically.",
        "sv": "Maskera det som hittas, och spara varje fil atomärt.",
    },
    "purge.which": {
        "en": "give either --client ALIAS or --older-than DAYS",
        "sv": "ange antingen --client ALIAS eller --older-than DAGAR",
    },
    "purge.days": {
        "en": "--older-than must be 0 or more days, not {value}",
        "sv": "--older-than ska vara 0 dagar eller fler, inte {value}",
    },
    "purge.nothing": {"en": "Nothing to delete.", "sv": "Inget att radera."},
    "purge.plan": {"en": "To delete ({n}):", "sv": "Att radera ({n}):"},
    "purge.unreadable": {"en": "(unreadable file)", "sv": "(oläsbar fil)"},
    "purge.confirm": {
        "en": "Delete these {n} sessions for good? y = yes:",
        "sv": "Radera dessa {n} samtal för gott? j = ja:",
    },
    "purge.aborted": {"en": "nothing was deleted", "sv": "inget raderades"},
    "purge.done": {"en": "Deleted {n} sessions.", "sv": "Raderade {n} samtal."},
    "scan.found": {"en": "{n} unmasked identity numbers", "sv": "{n} omaskerade personnummer"},
    "scan.unreadable": {
        "en": "could not be read; not scanned",
        "sv": "kunde inte läsas; inte genomsökt",
    },
    "scan.clean": {
        "en": "No unmasked identity numbers, nothing open to others.",
        "sv": "Inga omaskerade personnummer, inget öppet för andra.",
    },
    "scan.fixed": {
        "en": "Masked {n} identity numbers in {files} files.",
        "sv": "Maskerade {n} personnummer i {files} filer.",
    },
    "scan.hint": {
        "en": "{n} identity numbers in {files} files; mask them with: sfcoach scan --fix",
        "sv": "{n} personnummer i {files} filer; maskera dem med: sfcoach scan --fix",
    },
    "store.exposed": {
        "en": "sfcoach: warning: the store {path} can be read by other users; fix with: sfcoach --store '{path}' scan --fix",
        "sv": "sfcoach: varning: lagringen {path} kan läsas av andra användare; rätta med: sfcoach --store '{path}' scan --fix",
    },
    "practice.card-id": {"en": "Role card:", "sv": "Rollkort:"},
    "store.folder-link": {
        "en": "{path} is a symbolic link; sfcoach does not follow links out of the store",
        "sv": "{path} är en symbolisk länk; sfcoach följer inte länkar ut ur lagringen",
    },
    "phase.P": {"en": "Platform", "sv": "Plattform"},
    "phase.L": {"en": "Solution", "sv": "Lösning"},
    "phase.U": {"en": "Exceptions", "sv": "Undantag"},
    "phase.S": {"en": "Steps", "sv": "Steg"},
    "cli.opt.search-limit": {
        "en": "Show at most this many hits, newest first (default 50; 200 with --json).",
        "sv": "Visa högst så här många träffar, nyaste först (standard 50; 200 med --json).",
    },
    "search.more": {
        "en": "The {n} newest hits; --limit shows more.",
        "sv": "De {n} nyaste träffarna; --limit visar fler.",
    },
    "scan.open": {"en": "open to other users", "sv": "öppen för andra användare"},
    "scan.open-more": {
        "en": "… and {n} more open to other users",
        "sv": "… och {n} till öppna för andra användare",
    },
    "scan.open-hint": {
        "en": "{n} files or folders can be read by others; make them owner-only with: sfcoach scan --fix",
        "sv": "{n} filer eller mappar kan läsas av andra; gör dem privata med: sfcoach scan --fix",
    },
    "scan.closed": {
        "en": "Made {n} files and folders owner-only.",
        "sv": "Gjorde {n} filer och mappar privata.",
    },
    "index.reading": {
        "en": "Updating the index of the store: {done} of {total} session files read…",
        "sv": "Uppdaterar lagrets index: {done} av {total} sessionsfiler lästa…",
    },
    "index.waiting": {
        "en": "Another sfcoach command is updating the index; waiting for it to finish…",
        "sv": "Ett annat sfcoach-kommando uppdaterar indexet; väntar tills det är klart…",
    },
    "bank.invalid-one": {
        "en": "not a usable bank: {where}{why}",
        "sv": "ingen användbar bank: {where}{why}",
    },
    "cards.invalid-one": {
        "en": "not a usable role-card file: {where}{why}",
        "sv": "ingen användbar rollkortsfil: {where}{why}",
    },
    # --- new keys (branch records)
    "field.ask": {"en": "own question", "sv": "egen fråga"},
}
