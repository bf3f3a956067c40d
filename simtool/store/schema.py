"""The archive's schema, as named migration functions applied in order.

The schema version is ``PRAGMA user_version``: version N means ``MIGRATIONS[:N]`` have run.
``Archive.open`` applies the pending ones inside one write transaction together with the new
``user_version``, so an upgrade either happens completely or not at all. A file whose version
is above ``CURRENT_VERSION`` was made by a newer simtool and is refused before anything is
written to it. ``PRAGMA application_id`` marks the file as a simtool archive.

History:
  1. ``create_v1`` — every table, the triggers that keep the record append-only and signed
     score sheets read-only, and the per-archive pseudonym secret.
  2. ``add_site_and_indexes`` — ``drills.site`` (which simulation lab ran the drill; a
     department archive gathers bundles from several) and the indexes that keep a trainee's
     history and a scenario's quarter fast on 100,000 drills.
  3. ``add_indicator_cache`` — each finished drill's indicator results, kept.
  4. ``audit_people_vitals_settings`` — an archive id; people, vitals, settings and kept
     results in the audit chain, with their guards.
  5. ``add_discards`` — a drill started by mistake, discarded with a reason.
  6. ``add_debrief_notes`` — the PEARLS debrief notes and the trainee's reflection,
     append-only and audited.
  7. ``add_drill_examiners`` — who examined each drill: one append-only, audited row per
     drill and examiner.
  8. ``add_person_merges`` — a drill's department; two records of one person merged with a
     reason (append-only, reversible by an unmerge row).
  9. ``add_person_details`` — the registry's fields of a person: profession, grade, home
     department and site (a staff id is unique within a site), for trainees and examiners.
  10. ``keep_indicator_results`` — every finished drill's indicator results kept (from now on
     the archive keeps them when a drill ends or is amended; before, the first report after
     a drill ended computed them, ~20 s for the first quality report of 100,000 drills). No
     table changes: the results an earlier simtool left uncomputed are computed now, each
     with its audit row, reporting progress (``migrate``'s ``progress``).
  11. ``add_logbook`` — a trainee's logbook of clinical procedures (issue 20), a supervisor's
     countersignature of an entry, and exam results (practical, written); all three
     append-only and audited.
  12. ``add_logbook_changes`` — a pending logbook entry corrected (a new entry supersedes it)
     or withdrawn, with a reason: one append-only, audited ``logbook_changes`` row per entry,
     which the original keeps beside it; a countersigned entry can be neither (triggers), and
     a corrected or withdrawn one cannot be countersigned. Logbook entries and exam results
     get a ``uid`` (new rows), so a bundle carrying them is imported once however often.
  13. ``add_indicator_groups`` — indicator results summed per scenario × quarter × site ×
     department (derived, not audited; triggers mark a quarter to sum again), so a quarterly
     report at 100,000 drills reads a few thousand rows; every quarter summed in the upgrade;
     and a partial index of the audit rows of imported drills (a portfolio marks them).
  14. ``add_quality_loop`` — the department's quality loop (issue 21): latent safety threats
     found in a drill's debrief (a revision is a new row naming the threat it revises),
     corrective actions with an owner and a deadline, every status change of an action, and
     the quarter's PDCA Act decision; all four append-only and audited.
  15. ``add_real_cases`` — real clinical cases (a PPH, LAST or PAS case's timeline entered
     after the event, issue 21), scored with the drills' indicator definitions but kept apart
     from drills: ``real_cases`` (scenario, date, site, department, an anonymous case
     reference, the timeline) and ``real_case_indicators``; both append-only and audited.

  16. ``add_exams`` — OSCE exam days (issue 22): the exam as created, each candidate's sitting
     at a station (the drill recording it), every change an examiner's device sent (unique by
     device and sequence number, so a resend is stored once) and the exam's start, close and
     release; all four append-only and audited (``simtool.store.exam``).
  17. ``add_media`` — video of a drill (issue 23): each attached file's SHA-256, size,
     duration, offset on the drill clock and label, append-only and audited; the file is
     kept beside the archive (``simtool.store.media``), never inside SQLite.
  18. ``group_indicators_by_month`` — the indicator sums of version 13 kept per month and per
     quarter (issue 21: monthly as well as quarterly reports; a quarter's rows are its three
     months merged), every month and quarter summed in the upgrade.
  19. ``add_real_case_withdrawals`` — a real case entered by mistake (a wrong date, the
     wrong scenario) is withdrawn with a reason: one append-only, audited
     ``real_case_withdrawals`` row; the case stays in the record and counts nowhere.

A migration never rewrites existing rows: record hashes leave out NULL columns, so adding a
nullable column keeps every signed record and audit hash valid.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from itertools import groupby

from sqlite_utils import Database

from simtool.core.rubric import EVALUATION_TYPES
from simtool.store.hashing import (GENESIS, audit_sha256, indicators_record_sha256,
                                   person_record_sha256, row_sha256, vitals_batch_id,
                                   vitals_batch_sha256, vitals_row_sha256)

APPLICATION_ID = 0x53494D54  # "SIMT"

# one vocabulary: the rubric format names the evaluation types (INACSL), the archive stores them


class DrillStatus(StrEnum):
    """A drill's status, as stored (a ``str``: the same bytes in the archive and in JSON)."""

    RUNNING = "running"
    PAUSED = "paused"
    INTERRUPTED = "interrupted"   # its simtool stopped before the end (a crash, or imported mid-drill)
    ENDED = "ended"
    SIGNED = "signed"


STATUSES: tuple[str, ...] = tuple(DrillStatus)


def _run(db: Database, statements: list[str]) -> None:
    # one statement at a time: executescript() would COMMIT the open transaction first
    for sql in statements:
        db.execute(sql)


def _append_only(table: str, message: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{message}'); END""",
    ]


SIGNED_SHEET = "signed score sheet is read-only; record an amendment"


def create_v1(db: Database) -> None:
    """Every table of the first archive format, with its guards."""
    statuses = ", ".join(f"'{s}'" for s in STATUSES)
    kinds = ", ".join(f"'{k}'" for k in EVALUATION_TYPES)
    _run(db, [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # scenario and rubric texts, stored once however many drills used them
        """CREATE TABLE texts (
            sha256 TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('scenario', 'rubric')),
            text TEXT NOT NULL) WITHOUT ROWID""",
        """CREATE TABLE trainees (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, staff_id TEXT, department TEXT)""",
        """CREATE TABLE examiners (id TEXT PRIMARY KEY, name TEXT NOT NULL, staff_id TEXT)""",
        f"""CREATE TABLE drills (
            id TEXT PRIMARY KEY,
            scenario_id TEXT NOT NULL, scenario_version TEXT NOT NULL,
            scenario_sha256 TEXT NOT NULL REFERENCES texts(sha256),
            patient TEXT NOT NULL,
            evaluation_type TEXT NOT NULL CHECK (evaluation_type IN ({kinds})),
            status TEXT NOT NULL CHECK (status IN ({statuses})),
            started_at TEXT NOT NULL, ended_at TEXT, updated_at TEXT NOT NULL,
            owner_host TEXT, owner_pid INTEGER, owner_start TEXT,
            audit_seq INTEGER)""",
        """CREATE TABLE participants (
            drill_id TEXT NOT NULL REFERENCES drills(id), id TEXT NOT NULL,
            trainee_id TEXT REFERENCES trainees(id), name TEXT NOT NULL, role TEXT NOT NULL,
            PRIMARY KEY (drill_id, id)) WITHOUT ROWID""",
        """CREATE TABLE events (
            drill_id TEXT NOT NULL REFERENCES drills(id), seq INTEGER NOT NULL,
            t REAL NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
            row_sha256 TEXT NOT NULL, audit_seq INTEGER NOT NULL,
            PRIMARY KEY (drill_id, seq)) WITHOUT ROWID""",
        """CREATE TABLE vitals (
            drill_id TEXT NOT NULL REFERENCES drills(id), t REAL NOT NULL, data TEXT NOT NULL,
            PRIMARY KEY (drill_id, t)) WITHOUT ROWID""",
        """CREATE TABLE score_sheets (
            id TEXT PRIMARY KEY, drill_id TEXT NOT NULL REFERENCES drills(id),
            trainee_id TEXT REFERENCES trainees(id),
            rubric_id TEXT NOT NULL, rubric_version TEXT NOT NULL,
            rubric_sha256 TEXT NOT NULL REFERENCES texts(sha256),
            version INTEGER NOT NULL DEFAULT 1,
            supersedes TEXT UNIQUE REFERENCES score_sheets(id),
            data TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT,
            signed_at TEXT, signed_by TEXT REFERENCES examiners(id), record_sha256 TEXT,
            audit_seq INTEGER)""",
        """CREATE TABLE sheet_items (
            sheet_id TEXT NOT NULL REFERENCES score_sheets(id), item_id TEXT NOT NULL,
            result TEXT, points REAL, evidence TEXT,
            PRIMARY KEY (sheet_id, item_id)) WITHOUT ROWID""",
        """CREATE TABLE signoffs (
            id INTEGER PRIMARY KEY, sheet_id TEXT NOT NULL REFERENCES score_sheets(id),
            examiner_id TEXT NOT NULL REFERENCES examiners(id), at TEXT NOT NULL,
            record_sha256 TEXT NOT NULL, audit_seq INTEGER)""",
        """CREATE TABLE amendments (
            id INTEGER PRIMARY KEY, sheet_id TEXT NOT NULL REFERENCES score_sheets(id),
            new_sheet_id TEXT NOT NULL UNIQUE REFERENCES score_sheets(id),
            by TEXT NOT NULL REFERENCES examiners(id), at TEXT NOT NULL, why TEXT NOT NULL,
            audit_seq INTEGER)""",
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, op TEXT NOT NULL,
            table_name TEXT NOT NULL, record_id TEXT NOT NULL, record_sha256 TEXT NOT NULL,
            prev_sha256 TEXT NOT NULL, sha256 TEXT NOT NULL)""",
        # the last guard: the store never issues these, so only a bug or a hand edit trips them
        f"""CREATE TRIGGER score_sheets_signed_no_update BEFORE UPDATE ON score_sheets
            WHEN OLD.signed_at IS NOT NULL BEGIN SELECT RAISE(ABORT, '{SIGNED_SHEET}'); END""",
        f"""CREATE TRIGGER score_sheets_signed_no_delete BEFORE DELETE ON score_sheets
            WHEN OLD.signed_at IS NOT NULL BEGIN SELECT RAISE(ABORT, '{SIGNED_SHEET}'); END""",
        f"""CREATE TRIGGER sheet_items_signed_no_insert BEFORE INSERT ON sheet_items
            WHEN (SELECT signed_at FROM score_sheets WHERE id = NEW.sheet_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, '{SIGNED_SHEET}'); END""",
        f"""CREATE TRIGGER sheet_items_signed_no_update BEFORE UPDATE ON sheet_items
            WHEN (SELECT signed_at FROM score_sheets WHERE id = OLD.sheet_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, '{SIGNED_SHEET}'); END""",
        f"""CREATE TRIGGER sheet_items_signed_no_delete BEFORE DELETE ON sheet_items
            WHEN (SELECT signed_at FROM score_sheets WHERE id = OLD.sheet_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, '{SIGNED_SHEET}'); END""",
        *_append_only("events", "events are append-only: the event log is the record"),
        *_append_only("audit", "the audit log is append-only"),
        *_append_only("signoffs", "sign-offs are append-only"),
        *_append_only("amendments", "amendments are append-only"),
        f"PRAGMA application_id = {APPLICATION_ID}",
    ])
    db.execute("INSERT INTO meta (key, value) VALUES ('pseudonym_secret', ?)",
               [secrets.token_hex(32)])


def add_site_and_indexes(db: Database) -> None:
    """Version 2: the lab a drill ran in, and indexes for history and per-quarter queries."""
    _run(db, [
        "ALTER TABLE drills ADD COLUMN site TEXT",
        "CREATE INDEX drills_scenario_started ON drills (scenario_id, started_at)",
        "CREATE INDEX drills_started ON drills (started_at)",
        "CREATE INDEX drills_status ON drills (status)",
        "CREATE INDEX participants_trainee ON participants (trainee_id)",
        "CREATE INDEX trainees_staff_id ON trainees (staff_id)",
        "CREATE INDEX score_sheets_drill ON score_sheets (drill_id)",
        "CREATE INDEX score_sheets_trainee ON score_sheets (trainee_id)",
        "CREATE INDEX amendments_sheet ON amendments (sheet_id)",
        "CREATE INDEX signoffs_sheet ON signoffs (sheet_id)",
    ])


def add_indicator_cache(db: Database) -> None:
    """Version 3: each finished drill's indicator results, kept so department statistics
    need not rescan millions of event rows. Derived data, recomputable from the events, and
    not guarded (a recomputation replaces it); keyed by the scenario text's hash it was
    computed from. From version 4 on every write of it has an audit row."""
    _run(db, [
        # departments: the participants' departments when the results were kept, joined by
        # U+001F (a report groups by them without touching participants and trainees)
        "CREATE TABLE drill_indicators_kept (drill_id TEXT PRIMARY KEY REFERENCES drills(id), "
        "scenario_sha256 TEXT NOT NULL, departments TEXT NOT NULL DEFAULT '') WITHOUT ROWID",
        # rowid keeps the scenario file's order of indicators
        "CREATE TABLE drill_indicators (rowid_order INTEGER PRIMARY KEY, "
        "drill_id TEXT NOT NULL REFERENCES drills(id), indicator_id TEXT NOT NULL, "
        "seconds REAL, target_s REAL NOT NULL, met INTEGER)",
        "CREATE INDEX drill_indicators_drill ON drill_indicators (drill_id)",
    ])


# who and when a migration's audit rows name; set by ``migrate``
_AUDIT_AS: ContextVar[tuple[str, str]] = ContextVar("simtool_migration_audit",
                                                    default=("1970-01-01T00:00:00.000+00:00",
                                                             "simtool@migration"))


# who hears a long migration's progress; set by ``migrate``
_PROGRESS: ContextVar[Callable[[str, int, int], None] | None] = ContextVar(
    "simtool_migration_progress", default=None)


def append_audit(db: Database, op: str, table: str, record_id: str, record_sha256: str,
                 at: str, actor: str) -> int:
    """Append one row to the audit chain inside the caller's transaction; returns its seq."""
    row = db.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (1, GENESIS) if row is None else (row[0] + 1, row[1])
    db.execute("INSERT INTO audit (seq, at, actor, op, table_name, record_id, record_sha256, "
               "prev_sha256, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (seq, at, actor, op, table, record_id, record_sha256, prev,
                audit_sha256(prev, op, table, record_id, record_sha256, at, actor)))
    return seq


PEOPLE = ("trainees", "examiners")


def _people_guards(table: str) -> list[str]:
    """A person changes only with an audit row naming the new record (written first)."""
    audited = (f"EXISTS (SELECT 1 FROM audit a WHERE a.seq = NEW.audit_seq "
               f"AND a.table_name = '{table}' AND a.record_id = NEW.id)")
    return [
        f"""CREATE TRIGGER {table}_audited_insert BEFORE INSERT ON {table}
            WHEN NOT {audited}
            BEGIN SELECT RAISE(ABORT, '{table} change only through simtool, with an audit row'); END""",
        f"""CREATE TRIGGER {table}_audited_update BEFORE UPDATE ON {table}
            WHEN NEW.id IS NOT OLD.id OR NEW.audit_seq IS OLD.audit_seq OR NOT {audited}
            BEGIN SELECT RAISE(ABORT, '{table} change only through simtool, with an audit row'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} are never deleted: drills and sheets name them'); END""",
    ]


def audit_people_vitals_settings(db: Database) -> None:
    """Version 4: an archive id, and every table that carries meaning in the audit chain.

    Existing trainees, examiners, settings and kept indicator results get one audit row each
    (op ``migrate``), existing vitals one per drill (a batch hash over the samples' row
    hashes); then the guard triggers: settings and vitals are append-only, people change only
    together with an audit row written first. Only nullable bookkeeping columns are added
    (``audit_seq``, ``vitals.row_sha256``), so no existing record hash changes."""
    at, actor = _AUDIT_AS.get()
    _run(db, [
        "ALTER TABLE trainees ADD COLUMN audit_seq INTEGER",
        "ALTER TABLE examiners ADD COLUMN audit_seq INTEGER",
        "ALTER TABLE vitals ADD COLUMN row_sha256 TEXT",
        "ALTER TABLE vitals ADD COLUMN audit_seq INTEGER",
    ])
    for key, value in db.execute("SELECT key, value FROM meta ORDER BY key").fetchall():
        append_audit(db, "migrate", "meta", key, row_sha256({"key": key, "value": value}), at, actor)
    if db.execute("SELECT 1 FROM meta WHERE key = 'archive_id'").fetchone() is None:
        archive_id = str(uuid.uuid4())
        db.execute("INSERT INTO meta (key, value) VALUES ('archive_id', ?)", [archive_id])
        append_audit(db, "insert", "meta", "archive_id",
                     row_sha256({"key": "archive_id", "value": archive_id}), at, actor)
    for table in PEOPLE:
        cur = db.execute(f"SELECT * FROM {table} ORDER BY id")
        cols = [d[0] for d in cur.description]
        for values in cur.fetchall():
            row = dict(zip(cols, values))
            seq = append_audit(db, "migrate", table, row["id"], person_record_sha256(row), at, actor)
            db.execute(f"UPDATE {table} SET audit_seq = ? WHERE id = ?", [seq, row["id"]])
    for did, sha, deps in db.execute("SELECT drill_id, scenario_sha256, departments FROM "
                                     "drill_indicators_kept ORDER BY drill_id").fetchall():
        rows = db.execute("SELECT indicator_id, seconds, target_s, met FROM drill_indicators "
                          "WHERE drill_id = ? ORDER BY rowid_order", [did]).fetchall()
        digest = indicators_record_sha256(
            {"drill_id": did, "scenario_sha256": sha, "departments": deps},
            [dict(zip(("indicator_id", "seconds", "target_s", "met"), r)) for r in rows])
        append_audit(db, "migrate", "drill_indicators", did, digest, at, actor)
    cur = db.execute("SELECT drill_id, t, data FROM vitals ORDER BY drill_id, t")
    for did, group in groupby(cur, key=lambda r: r[0]):
        hashed = [(float(t), vitals_row_sha256(did, t, data)) for _d, t, data in group]
        seq = append_audit(db, "migrate", "vitals", vitals_batch_id(did, hashed),
                           vitals_batch_sha256(hashed), at, actor)
        db.conn.executemany("UPDATE vitals SET row_sha256 = ?, audit_seq = ? "
                            "WHERE drill_id = ? AND t = ?",
                            [(h, seq, did, t) for t, h in hashed])
    _run(db, [
        *_append_only("meta", "archive settings are written once and never changed"),
        *_append_only("vitals", "vitals are append-only: they are part of the record"),
        """CREATE TRIGGER vitals_audited_insert BEFORE INSERT ON vitals
            WHEN NOT EXISTS (SELECT 1 FROM audit a WHERE a.seq = NEW.audit_seq
                             AND a.table_name = 'vitals')
            BEGIN SELECT RAISE(ABORT, 'vitals are written only through simtool, with an audit row'); END""",
        *_people_guards("trainees"),
        *_people_guards("examiners"),
    ])


def add_discards(db: Database) -> None:
    """Version 5: a drill started by mistake is discarded with a reason — kept, with its whole
    record and audit chain, and left out of indicators, portfolios, exam statistics and
    bundles. One append-only row per discarded drill, each with its audit row."""
    _run(db, [
        "CREATE TABLE discards (drill_id TEXT PRIMARY KEY REFERENCES drills(id), "
        "reason TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL, audit_seq INTEGER) WITHOUT ROWID",
        *_append_only("discards", "a discard is part of the record; it cannot be changed or undone"),
    ])


def add_debrief_notes(db: Database) -> None:
    """Version 6: the facilitator's PEARLS debrief notes and the trainee's reflection, kept.
    Append-only: every save is a new row with its audit row (nothing is overwritten, the
    history stays); a phase's current note is its latest row. AUTOINCREMENT: an id is never
    used twice, so a note deleted behind simtool's back stays missing after the next save."""
    _run(db, [
        "CREATE TABLE debrief_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "drill_id TEXT NOT NULL REFERENCES drills(id), "
        "phase TEXT NOT NULL CHECK (phase IN ('reactions', 'description', 'analysis', 'summary', "
        "'reflection')), "
        "text TEXT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL, audit_seq INTEGER)",
        "CREATE INDEX debrief_notes_drill ON debrief_notes (drill_id, phase, id)",
        *_append_only("debrief_notes", "debrief notes are append-only: save a new note instead"),
    ])


def add_drill_examiners(db: Database) -> None:
    """Version 7: the examiners of each drill. Before it a drill had no link to the people
    who examined it (setup only added examiner rows), so a sheet could not be checked against
    them. One append-only row per drill and examiner (unique), each with its audit row; a
    drill's examiners are its rows in id order. AUTOINCREMENT: a link deleted behind simtool's
    back stays missing after the next one. An index on the examiners' staff ids: setup looks an
    examiner up by staff id so one person is never recorded twice."""
    _run(db, [
        "CREATE TABLE drill_examiners (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "drill_id TEXT NOT NULL REFERENCES drills(id), "
        "examiner_id TEXT NOT NULL REFERENCES examiners(id), "
        "at TEXT NOT NULL, audit_seq INTEGER, UNIQUE (drill_id, examiner_id))",
        "CREATE INDEX examiners_staff_id ON examiners (staff_id)",
        *_append_only("drill_examiners", "the examiners of a drill are part of its record; "
                                         "they cannot be changed or removed"),
    ])


def add_person_merges(db: Database) -> None:
    """Version 8: people and places. A drill's department is recorded beside its site. One
    person, one record. Two trainee records found to be one person are merged
    with a reason — an append-only row (``merge``) that a later ``unmerge`` row reverses, each
    with its audit row; nothing else is rewritten (a signed sheet keeps the record it was
    signed for; reads resolve the merge)."""
    _run(db, [
        "CREATE TABLE person_merges (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "kind TEXT NOT NULL CHECK (kind IN ('merge', 'unmerge')), "
        "keep_id TEXT NOT NULL REFERENCES trainees(id), "
        "other_id TEXT NOT NULL REFERENCES trainees(id), "
        "reason TEXT NOT NULL, at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        # the department a drill belongs to (its site is there from version 2): every
        # department figure counts only its own drills
        "ALTER TABLE drills ADD COLUMN department TEXT",
        *_append_only("person_merges", "a merge of two people is part of the record; it is "
                                       "reversed by an unmerge, never changed or removed"),
    ])


def add_person_details(db: Database) -> None:
    """Version 9: the people registry. A person has a profession (doctor, midwife, nurse…), a
    grade, a home department and a home site; a staff id names one person within a site, so
    the same staff id at two hospitals is two people until someone merges them. Examiners get
    the same fields as trainees. Nullable columns: no existing record's hash changes."""
    _run(db, [
        "ALTER TABLE trainees ADD COLUMN profession TEXT",
        "ALTER TABLE trainees ADD COLUMN grade TEXT",
        "ALTER TABLE trainees ADD COLUMN site TEXT",
        "ALTER TABLE examiners ADD COLUMN department TEXT",
        "ALTER TABLE examiners ADD COLUMN profession TEXT",
        "ALTER TABLE examiners ADD COLUMN grade TEXT",
        "ALTER TABLE examiners ADD COLUMN site TEXT",
    ])


def keep_indicator_results(db: Database) -> None:
    """Version 10: the indicator results of every finished drill that has none kept (or has
    them kept under an earlier rule or scenario text), computed from its events and kept, each
    with its audit row (op insert or update, as when a report kept them). From this version on
    ``Archive`` keeps them in the transaction that ends or amends a drill."""
    if db.execute("SELECT 1 FROM drills LIMIT 1").fetchone() is None:
        return   # a new archive: nothing to compute (and no indicator code to load)
    from simtool.store.analytics import keep_all_missing
    at, actor = _AUDIT_AS.get()
    keep_all_missing(db.conn, 9,   # the tables as migrations 1-9 left them
                     lambda op, did, sha: append_audit(db, op, "drill_indicators", did, sha, at, actor),
                     _PROGRESS.get())


LOGBOOK_LEVELS = ("independent", "supervised", "assisted")   # simtool.core.programme.LEVELS


def add_logbook(db: Database) -> None:
    """Version 11: the logbook (issue 20). An entry is one procedure a trainee did (date,
    procedure id of a programme, supervision level, the supervisor's staff id, site, an
    anonymous case reference, complications); a countersignature is a separate row naming
    the person who signed and the hash of the entry as signed, so a signed entry is never
    rewritten (every entry is append-only anyway). An exam result is a practical or written
    exam of a programme, passed or failed, on a date. Each row has its audit row;
    AUTOINCREMENT: a row deleted behind simtool's back stays missing."""
    levels = ", ".join(f"'{x}'" for x in LOGBOOK_LEVELS)
    _run(db, [
        "CREATE TABLE logbook_entries (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "trainee_id TEXT NOT NULL REFERENCES trainees(id), date TEXT NOT NULL, "
        "procedure TEXT NOT NULL, "
        f"level TEXT NOT NULL CHECK (level IN ({levels})), "
        "supervisor TEXT NOT NULL, site TEXT, case_ref TEXT NOT NULL, complications TEXT, "
        "at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        "CREATE INDEX logbook_entries_trainee ON logbook_entries (trainee_id, date)",
        "CREATE TABLE logbook_signatures (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "entry_id INTEGER NOT NULL UNIQUE REFERENCES logbook_entries(id), "
        "signer_table TEXT NOT NULL CHECK (signer_table IN ('trainees', 'examiners')), "
        "signer_id TEXT NOT NULL, at TEXT NOT NULL, entry_sha256 TEXT NOT NULL, "
        "audit_seq INTEGER)",
        "CREATE TABLE exam_results (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "trainee_id TEXT NOT NULL REFERENCES trainees(id), programme TEXT NOT NULL, "
        "exam TEXT NOT NULL, date TEXT NOT NULL, "
        "result TEXT NOT NULL CHECK (result IN ('pass', 'fail')), examiner TEXT, "
        "at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        *_append_only("logbook_entries", "logbook entries are append-only: they are part of "
                                         "a trainee record"),
        *_append_only("logbook_signatures", "a countersigned logbook entry is read-only"),
        *_append_only("exam_results", "exam results are append-only: record a new result"),
    ])


def add_logbook_changes(db: Database) -> None:
    """Version 12: corrections and withdrawals of pending logbook entries (see the history
    above). Nullable ``uid`` columns: no existing record's hash changes; rows written from
    now on get one, and a bundle names an older row by its archive id and row id."""
    _run(db, [
        "ALTER TABLE logbook_entries ADD COLUMN uid TEXT",
        "ALTER TABLE exam_results ADD COLUMN uid TEXT",
        "CREATE UNIQUE INDEX logbook_entries_uid ON logbook_entries (uid) WHERE uid IS NOT NULL",
        "CREATE UNIQUE INDEX exam_results_uid ON exam_results (uid) WHERE uid IS NOT NULL",
        "CREATE INDEX logbook_entries_supervisor ON logbook_entries (supervisor)",
        "CREATE TABLE logbook_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "entry_id INTEGER NOT NULL UNIQUE REFERENCES logbook_entries(id), "
        "kind TEXT NOT NULL CHECK (kind IN ('correct', 'withdraw')), "
        "new_entry_id INTEGER UNIQUE REFERENCES logbook_entries(id), "
        "reason TEXT NOT NULL, at TEXT NOT NULL, by TEXT, audit_seq INTEGER, "
        "CHECK ((kind = 'correct') = (new_entry_id IS NOT NULL)), "
        "CHECK (new_entry_id IS NOT entry_id))",
        *_append_only("logbook_changes", "a correction or withdrawal of a logbook entry is part "
                                         "of the record; it cannot be changed or removed"),
        """CREATE TRIGGER logbook_changes_unsigned BEFORE INSERT ON logbook_changes
            WHEN EXISTS (SELECT 1 FROM logbook_signatures WHERE entry_id = NEW.entry_id)
            BEGIN SELECT RAISE(ABORT, 'a countersigned logbook entry cannot be corrected or withdrawn'); END""",
        """CREATE TRIGGER logbook_signatures_current BEFORE INSERT ON logbook_signatures
            WHEN EXISTS (SELECT 1 FROM logbook_changes WHERE entry_id = NEW.entry_id)
            BEGIN SELECT RAISE(ABORT, 'a corrected or withdrawn logbook entry cannot be countersigned'); END""",
    ])


def add_indicator_groups(db: Database) -> None:
    """Version 13: indicator results summed per scenario × quarter × site × department, so a
    quarterly report reads a few thousand rows instead of every drill's (derived data, not
    audited; ``simtool.store.indicatorgroups``), with the triggers that mark a quarter to sum
    again when anything in it changes. Every quarter is summed here, with progress."""
    from simtool.store import indicatorgroups
    indicatorgroups.create(db.conn)
    # and which drills came from a bundle (a portfolio marks them): a partial index, a few
    # rows, instead of a scan of the whole audit log (seconds at 100,000 drills)
    db.execute("CREATE INDEX IF NOT EXISTS audit_drill_imports ON audit (record_id) "
               "WHERE table_name = 'drills' AND op = 'import'")
    tell = _PROGRESS.get()
    indicatorgroups.refresh(
        db.conn, "d.status IN ('ended', 'signed') AND d.id NOT IN (SELECT drill_id FROM discards)",
        progress=None if tell is None else (lambda done, total: tell("indicator groups", done, total)))


QUALITY_CATEGORIES = ("equipment", "process", "people", "environment", "communication")
QUALITY_DECISIONS = ("standardise", "new-cycle", "other")


def add_quality_loop(db: Database) -> None:
    """Version 14: the quality loop of issue 21 (``simtool.store.quality``). A latent safety
    threat belongs to a drill: what was found, its category, likelihood and severity (1-5
    each: the NPSA 5 × 5 risk matrix), its root cause, the drill's event seqs and indicator
    ids it concerns (JSON lists); a revision is a new row whose ``threat`` is the first row's
    id. A corrective action names its owner (a person of the registry), a deadline, the
    indicator it should move and optionally the threat it answers; its status is its latest
    ``quality_action_updates`` row (open without one). A PDCA decision is the Act of a quarter
    (and department): the latest row counts, the earlier ones stay. Every row has its audit
    row; AUTOINCREMENT: a row deleted behind simtool's back stays missing."""
    cats = ", ".join(f"'{c}'" for c in QUALITY_CATEGORIES)
    decisions = ", ".join(f"'{d}'" for d in QUALITY_DECISIONS)
    _run(db, [
        "CREATE TABLE safety_threats (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "threat INTEGER REFERENCES safety_threats(id), "
        "drill_id TEXT NOT NULL REFERENCES drills(id), found TEXT NOT NULL, "
        f"category TEXT NOT NULL CHECK (category IN ({cats})), "
        "likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5), "
        "severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5), "
        "root_cause TEXT NOT NULL, events TEXT NOT NULL, indicators TEXT NOT NULL, "
        "at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        "CREATE INDEX safety_threats_drill ON safety_threats (drill_id, id)",
        "CREATE INDEX safety_threats_threat ON safety_threats (threat, id)",
        "CREATE TABLE quality_actions (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "title TEXT NOT NULL, owner_table TEXT NOT NULL CHECK (owner_table IN ('trainees', "
        "'examiners')), owner_id TEXT NOT NULL, owner_staff_id TEXT NOT NULL, "
        "deadline TEXT NOT NULL, indicator TEXT, threat INTEGER REFERENCES safety_threats(id), "
        "department TEXT, site TEXT, at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        "CREATE TABLE quality_action_updates (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "action_id INTEGER NOT NULL REFERENCES quality_actions(id), "
        "status TEXT NOT NULL CHECK (status IN ('open', 'done')), note TEXT, "
        "at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        "CREATE INDEX quality_action_updates_action ON quality_action_updates (action_id, id)",
        "CREATE TABLE quality_decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "quarter TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'), "
        f"department TEXT, decision TEXT NOT NULL CHECK (decision IN ({decisions})), "
        "note TEXT NOT NULL, at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        *_append_only("safety_threats", "a safety threat is part of the record: record a "
                                        "revision instead"),
        *_append_only("quality_actions", "a corrective action is part of the record: record "
                                         "a status change instead"),
        *_append_only("quality_action_updates", "a status change of an action is part of the "
                                                "record; it cannot be changed or removed"),
        *_append_only("quality_decisions", "a PDCA decision is part of the record: record a "
                                           "new decision instead"),
    ])


def add_real_cases(db: Database) -> None:
    """Real cases (``simtool.store.cases``): a case is never a drill — no participants, no
    score sheets, no portfolio — only its scenario (the text kept in ``texts``), date, site,
    department, an anonymous case reference (unique), the timeline as entered (JSON: times,
    actions, doses, roles; no names, no free text) and its indicator results judged by the
    scenario's definitions. Every row has its audit row; AUTOINCREMENT: a row deleted behind
    simtool's back stays missing."""
    _run(db, [
        "CREATE TABLE real_cases (id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, "
        "case_ref TEXT NOT NULL UNIQUE, scenario_id TEXT NOT NULL, scenario_version TEXT NOT NULL, "
        "scenario_sha256 TEXT NOT NULL REFERENCES texts(sha256), "
        "date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'), "
        "site TEXT, department TEXT, duration_s REAL NOT NULL, weight_kg REAL NOT NULL, "
        "timeline TEXT NOT NULL, at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        "CREATE INDEX real_cases_date ON real_cases (date)",
        "CREATE TABLE real_case_indicators (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "case_id INTEGER NOT NULL REFERENCES real_cases(id), position INTEGER NOT NULL, "
        "indicator_id TEXT NOT NULL, seconds REAL, target_s REAL NOT NULL, "
        "met INTEGER CHECK (met IN (0, 1)), audit_seq INTEGER, UNIQUE (case_id, indicator_id))",
        *_append_only("real_cases", "a real case is part of the record; it cannot be changed "
                                    "or removed"),
        *_append_only("real_case_indicators", "the indicator results of a real case are part "
                                              "of its record; they cannot be changed or removed"),
    ])

def add_exams(db: Database) -> None:
    """OSCE exams (``simtool.store.exam``): exams, sittings, marks from devices, exam events."""
    from simtool.store.exam import migration_statements
    _run(db, migration_statements(_append_only))


def add_media(db: Database) -> None:
    """Video of a drill (issue 23): each attached file's SHA-256, size, duration, its offset on
    the drill clock and its label. The file itself is kept beside the archive (its media
    folder, ``simtool.store.media``) under a name made of its hash, never inside SQLite.
    Append-only and audited: attaching again is a new row, nothing is rewritten."""
    _run(db, [
        "CREATE TABLE media (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "drill_id TEXT NOT NULL REFERENCES drills(id), file TEXT NOT NULL, "
        "sha256 TEXT NOT NULL CHECK (length(sha256) = 64), size INTEGER NOT NULL, "
        "original_name TEXT NOT NULL, offset_s REAL NOT NULL, duration_s REAL NOT NULL, "
        "label TEXT, codec TEXT, width INTEGER, height INTEGER, at TEXT NOT NULL, by TEXT, "
        "audit_seq INTEGER)",
        "CREATE INDEX media_drill ON media (drill_id, id)",
        *_append_only("media", "an attached video is part of the record; attach it again instead"),
    ])


def group_indicators_by_month(db: Database) -> None:
    """Version 18: the indicator sums kept per scenario × period × site × department, a period
    being a month or a quarter (its months merged), instead of per quarter only
    (``simtool.store.indicatorgroups.rebuild_by_month``), so a monthly report reads them as a
    quarterly one does; every month and quarter summed here, with progress."""
    from simtool.store import indicatorgroups
    tell = _PROGRESS.get()
    indicatorgroups.rebuild_by_month(
        db.conn, "d.status IN ('ended', 'signed') AND d.id NOT IN (SELECT drill_id FROM discards)",
        progress=None if tell is None else (lambda done, total: tell("indicator groups", done, total)))


def add_real_case_withdrawals(db: Database) -> None:
    """A real case withdrawn with a reason (``simtool.store.cases.withdraw_case``): one
    append-only, audited row per case; the case and its results stay, left out of every
    report and publication."""
    _run(db, [
        "CREATE TABLE real_case_withdrawals (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "case_id INTEGER NOT NULL UNIQUE REFERENCES real_cases(id), reason TEXT NOT NULL, "
        "at TEXT NOT NULL, by TEXT, audit_seq INTEGER)",
        *_append_only("real_case_withdrawals", "a withdrawal of a real case is part of the "
                                               "record; it cannot be changed or undone"),
    ])

Migration = Callable[[Database], None]
MIGRATIONS: tuple[Migration, ...] = (create_v1, add_site_and_indexes, add_indicator_cache,
                                     audit_people_vitals_settings, add_discards,
                                     add_debrief_notes, add_drill_examiners, add_person_merges,
                                     add_person_details, keep_indicator_results, add_logbook,
                                     add_logbook_changes, add_indicator_groups,
                                     add_quality_loop,
                                     add_real_cases, add_exams,
                                     add_media,
                                     group_indicators_by_month,
                                     add_real_case_withdrawals)
CURRENT_VERSION = len(MIGRATIONS)


def current_version() -> int:
    return len(MIGRATIONS)


def migrate(db: Database, from_version: int, to_version: int | None = None, *,
            at: str | None = None, actor: str | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> None:
    """Apply migrations ``from_version+1 .. to_version``; the caller holds the transaction.
    ``at`` and ``actor`` are what the audit rows a migration appends record; a long migration
    calls ``progress(step, done, total)`` as it goes (``keep_indicator_results``: step
    "indicators", in drills)."""
    target = current_version() if to_version is None else to_version
    token = _PROGRESS.set(progress)
    try:
        with _audit_as(at, actor):
            for fn in MIGRATIONS[from_version:target]:
                fn(db)
    finally:
        _PROGRESS.reset(token)
    db.execute(f"PRAGMA user_version = {int(target)}")


@contextmanager
def _audit_as(at: str | None, actor: str | None) -> Iterator[None]:
    default_at, default_actor = _AUDIT_AS.get()
    token = _AUDIT_AS.set((at or default_at, actor or default_actor))
    try:
        yield
    finally:
        _AUDIT_AS.reset(token)


# the tables each format version has: a file without one of them is damaged
TABLES = {1: {"meta", "texts", "trainees", "examiners", "drills", "participants", "events",
              "vitals", "score_sheets", "sheet_items", "signoffs", "amendments", "audit"}}
TABLES[2] = TABLES[1]
TABLES[3] = TABLES[2] | {"drill_indicators_kept", "drill_indicators"}
TABLES[4] = TABLES[3]
TABLES[5] = TABLES[4] | {"discards"}
TABLES[6] = TABLES[5] | {"debrief_notes"}
TABLES[7] = TABLES[6] | {"drill_examiners"}
TABLES[8] = TABLES[7] | {"person_merges"}
TABLES[9] = TABLES[8]
TABLES[10] = TABLES[9]
TABLES[11] = TABLES[10] | {"logbook_entries", "logbook_signatures", "exam_results"}
TABLES[12] = TABLES[11] | {"logbook_changes"}
TABLES[13] = TABLES[12] | {"indicator_groups", "indicator_groups_stale"}
TABLES[14] = TABLES[13] | {"safety_threats", "quality_actions", "quality_action_updates",
                           "quality_decisions"}
TABLES[15] = TABLES[14] | {"real_cases", "real_case_indicators"}
TABLES[16] = TABLES[15] | {"exams", "exam_sittings", "exam_marks", "exam_events"}
TABLES[17] = TABLES[16] | {"media"}
TABLES[18] = TABLES[17]
TABLES[19] = TABLES[18] | {"real_case_withdrawals"}
