//! The catalogue's migrations: append-only, each run in one transaction, with
//! `PRAGMA user_version` recording how many have run. A binary that finds a
//! higher version than it knows refuses to open the archive. A migration is
//! one or more scripts, run in order in its one transaction.

pub const MIGRATIONS: &[&[&str]] = &[
    // 1: the data model of DESIGN.md §3.
    &[r#"
CREATE TABLE office (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    province TEXT,
    default_access TEXT NOT NULL DEFAULT 'terbatas',
    created_at TEXT NOT NULL
);
CREATE TABLE doc_type (code TEXT PRIMARY KEY, name_id TEXT NOT NULL, name_en TEXT NOT NULL);
CREATE TABLE election (code TEXT PRIMARY KEY, name TEXT NOT NULL, year INTEGER NOT NULL, kind TEXT NOT NULL);
CREATE TABLE access_level (code TEXT PRIMARY KEY, rank INTEGER NOT NULL UNIQUE, name_id TEXT NOT NULL, name_en TEXT NOT NULL);
CREATE TABLE retention_outcome (code TEXT PRIMARY KEY, name_id TEXT NOT NULL, name_en TEXT NOT NULL);
CREATE TABLE classification (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE region (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    parent TEXT REFERENCES region(code)
);
CREATE INDEX region_parent ON region(parent);
CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT
);
CREATE TABLE record (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    doc_type TEXT REFERENCES doc_type(code),
    election TEXT REFERENCES election(code),
    stage TEXT,
    doc_date TEXT,
    number TEXT,
    region TEXT REFERENCES region(code),
    tps TEXT,
    classification TEXT,
    access TEXT NOT NULL REFERENCES access_level(code),
    retention TEXT REFERENCES retention_outcome(code),
    retain_until TEXT,
    loc_building TEXT,
    loc_shelf TEXT,
    loc_box TEXT,
    loc_folder TEXT,
    language TEXT,
    series_id INTEGER REFERENCES series(id),
    personal_data INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE record_tag (
    record_id TEXT NOT NULL REFERENCES record(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (record_id, tag)
);
CREATE TABLE file (
    sha256 TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES record(id),
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    original_name TEXT NOT NULL,
    original_path TEXT
);
CREATE INDEX file_record ON file(record_id);
CREATE TABLE page (
    record_id TEXT NOT NULL REFERENCES record(id),
    number INTEGER NOT NULL,
    file_sha256 TEXT NOT NULL REFERENCES file(sha256),
    text TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('pdf', 'ocr')),
    confidence REAL,
    rotation INTEGER NOT NULL DEFAULT 0,
    words TEXT,
    thumbnail TEXT,
    PRIMARY KEY (record_id, number)
);
CREATE TABLE suggestion (
    record_id TEXT NOT NULL REFERENCES record(id),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (record_id, field)
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE job (
    id INTEGER PRIMARY KEY,
    path BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'duplicate', 'failed')),
    series TEXT,
    access TEXT,
    record_id TEXT,
    error_code TEXT,
    error_message TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX job_pending ON job(state) WHERE state = 'pending';
CREATE TABLE change (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL
);
"#],
    // 2: users and sessions (users.rs).
    &[super::users::SCHEMA],
    // 3: sync: this office's log and targets (log.rs), the province's offices (replica.rs).
    &[super::log::SCHEMA, super::replica::SCHEMA],
    // 4: trust: which privacy rules the personal-data flags were computed
    // with (records.rs reflags when the rules change), and the targets the
    // admin approved for copies out of the archive (log.rs).
    &[r#"
ALTER TABLE office ADD COLUMN privacy_rules INTEGER NOT NULL DEFAULT 0;
CREATE TABLE approved_target (
    url TEXT PRIMARY KEY,
    -- Also written into the target (sync::push::APPROVAL): an approval is of
    -- that drive or bucket, not of whatever is later found at its address.
    token TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL
);
"#],
    // 5: the backup plan (backups.rs).
    &[super::backups::SCHEMA],
    // 6: keys of offices rebuilt under a new key (replica.rs).
    &[super::replica::RETIRED_SCHEMA],
    // 7: the page files a scanner wrote for one document are queued as one
    // group and read into one record (jobs.rs): `grp` is the first job's id.
    &["ALTER TABLE job ADD COLUMN grp INTEGER;"],
    // 8: the watched folder (watch.rs).
    &[super::watch::SCHEMA],
    // 9: a queued job's batch (jobs.rs): another process's running batch is
    // not taken over, only one left pending long ago.
    &["ALTER TABLE job ADD COLUMN owner TEXT;"],
    // 10: new records wait in the review queue until a person has looked at
    // what was read from their text (review.rs); those before were catalogued.
    &[super::review::SCHEMA],
    // 11: a scanned batch split at its separator sheets (split.rs) is
    // archived as its parts; the batch's own hash names the first part's
    // record, so the same batch imported again is found archived.
    &["CREATE TABLE split_file (
    sha256 TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES record(id),
    at TEXT NOT NULL
);"],
    // 12: result tables read from records' pages, and as people confirmed
    // them (recap.rs).
    &[super::recap::SCHEMA],
    // 13: berkas (file folders) with their retention schedule row (JRA),
    // and the berkas each record is filed in (berkas.rs).
    &[super::berkas::SCHEMA],
    // 14: disposal lists, the records a destruction emptied, and the blobs
    // it still has to remove from the disk (disposal.rs).
    &[super::disposal::SCHEMA],
    // 15: storage places, boxes, and the box each berkas is in
    // (storage.rs); the berkas' free-text locations become both.
    &[super::storage::SCHEMA],
    // 16: loans of berkas and boxes (loans.rs).
    &[super::loans::SCHEMA],
    // 17: a record's history is read from the audit trail by its target.
    &["CREATE INDEX audit_target ON audit(target, seq);"],
    // 18: a record's earlier content, kept when it is re-scanned, its text
    // read again, or an earlier version brought back (versions.rs).
    &[super::versions::SCHEMA],
    // 19: destruction carried through sync: tombstones that name their BA
    // without a disposal list, and what sealed segments must lose (redact.rs);
    // who carried a list out and who acknowledged it (disposal.rs).
    &[super::redact::SCHEMA, super::disposal::PARTIES_SCHEMA],
    // 20: berkas carried through sync: a province's copies of offices'
    // berkas, and each change to a berkas a change of its records
    // (berkas.rs).
    &[super::berkas::SYNC_SCHEMA],
];

/// The migration that made the `jra` table: the shipped rows are seeded
/// when it runs (an archive made before it gets them too).
pub const JRA_MIGRATION: usize = 12;

/// The migration that made places and boxes: the berkas' free-text
/// locations are adopted into them when it runs.
pub const STORAGE_MIGRATION: usize = 14;
