"""The schema as an ordered list of migrations; PRAGMA user_version is the number applied."""

from __future__ import annotations

from collections.abc import Callable

from .database import Database

_V1 = """
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES organizations(id) ON DELETE RESTRICT,
    kind TEXT NOT NULL CHECK (kind IN ('committee', 'general_branch', 'branch', 'group')),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    established_on TEXT,
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE UNIQUE INDEX organizations_sibling_name ON organizations(ifnull(parent_id, 0), name);
CREATE INDEX organizations_parent ON organizations(parent_id);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    group_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_initials TEXT NOT NULL DEFAULT '',
    gender TEXT NOT NULL CHECK (gender IN ('男', '女')),
    ethnicity TEXT NOT NULL DEFAULT '汉族',
    birth_date TEXT NOT NULL,
    id_number TEXT UNIQUE,
    education TEXT NOT NULL DEFAULT '',
    standing TEXT NOT NULL CHECK (standing IN ('full', 'probationary')),
    joined_on TEXT NOT NULL,
    full_on TEXT,
    probation_extension_months INTEGER NOT NULL DEFAULT 0,
    dues_category TEXT NOT NULL DEFAULT 'employed'
        CHECK (dues_category IN ('employed', 'retired', 'student', 'farmer', 'other')),
    dues_base_fen INTEGER NOT NULL DEFAULT 0 CHECK (dues_base_fen >= 0),
    phone TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'normal'
        CHECK (status IN ('normal', 'mobile', 'lost', 'transferred_out', 'deceased')),
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE INDEX members_org ON members(org_id, status);
CREATE INDEX members_group ON members(group_id);

CREATE TABLE member_events (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    on_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE INDEX member_events_member ON member_events(member_id, on_date);

CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    on_date TEXT NOT NULL,
    counterpart TEXT NOT NULL CHECK (length(trim(counterpart)) > 0),
    letter_no TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX transfers_member ON transfers(member_id);

CREATE TABLE committee_members (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE RESTRICT,
    role TEXT NOT NULL CHECK (role IN
        ('secretary', 'deputy_secretary', 'organization', 'propaganda', 'discipline', 'member')),
    term_start TEXT NOT NULL,
    term_end TEXT NOT NULL CHECK (term_end > term_start),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX committee_members_org ON committee_members(org_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


# Commendations, annual 民主评议 ratings and study output (issue: honours and evaluations).
_V2 = """
CREATE TABLE commendations (
    id INTEGER PRIMARY KEY,
    member_id INTEGER REFERENCES members(id) ON DELETE CASCADE,
    org_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (title IN
        ('advanced_organization', 'excellent_member', 'excellent_worker', 'five_good_branch', 'other')),
    title_text TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL CHECK (level IN
        ('national', 'provincial', 'city', 'organs_working_committee', 'party_committee', 'unit')),
    year INTEGER NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    document_no TEXT NOT NULL DEFAULT '',
    awarded_on TEXT,
    attachment TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    CHECK ((member_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX commendations_member ON commendations(member_id);
CREATE INDEX commendations_org ON commendations(org_id);
CREATE INDEX commendations_year ON commendations(year, level);

CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN
        ('excellent', 'qualified', 'basically_qualified', 'unqualified', 'not_rated')),
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (member_id, year)
);
CREATE INDEX evaluations_year ON evaluations(year);

CREATE TABLE study_outputs (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reflection', 'research_report', 'paper', 'other')),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    written_on TEXT NOT NULL,
    published_in TEXT NOT NULL DEFAULT '',
    award TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX study_outputs_member ON study_outputs(member_id, written_on);
"""


# Stable ids (issue 7, handover packages): every row of these tables carries a `uid` that is the same in
# every database the row travels to, so that importing a package twice adds nothing. The store's insert
# paths give each new row one (store.uids, store.bulk). Not by trigger: an AFTER INSERT trigger, even
# one whose WHEN is false, costs ~40% on bulk inserts (design.md §8 allows 1.5× in all).
_V3_UID_TABLES = ("organizations", "members", "member_events", "transfers", "committee_members",
                  "commendations", "evaluations", "study_outputs")
# Tables created since v3 carry their uid from the start (v5: meetings and study, party dues).
UID_TABLES = (*_V3_UID_TABLES, "activities", "attendance", "activity_attachments",
              "dues_bases", "dues_payments", "dues_months", "dues_remittances")
NEW_UID_SQL = "lower(hex(randomblob(16)))"  # 32 lowercase hex digits, 128 random bits


# Recycle bin and audit log (issue 8). A bin entry holds the deleted row and the rows that went with
# it (a member's history, transfers, commendations…) as JSON, by table, with their ids and uids, so
# that restoring brings back exactly what was deleted. The audit log holds names, never values.
_V4 = """
CREATE TABLE recycle_bin (
    id INTEGER PRIMARY KEY,
    deleted_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    os_user TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    record_uid TEXT NOT NULL,
    label TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX recycle_bin_deleted ON recycle_bin(deleted_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    os_user TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_uid TEXT,
    label TEXT NOT NULL DEFAULT '',
    fields TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
"""


# Meetings and study (issue 3) and party dues (issue 4), added together in one version.
# An activity belongs to a branch (`org_id`); a 党小组会 also names its group. Study hours are kept in
# tenths of a 学时 (0.5 学时 is common; sums stay exact). Attendance holds one row per expected
# attendee; 补学 (made_up) keeps the reason the member was away and the date of the make-up.
# attendance_activity_status covers the counts by status of an activity's lines (lists, members' hours, rates)
# and activities_held the counts held per branch and month (compliance), so that they are read from the index alone.
# Dues: a member's base is kept per month it takes effect ('YYYY-MM'); a payment covers one or more
# months (dues_months rows pointing at it); a month exempted has no payment and says why. Money is fen.
# dues_months_member gives a member's months with their amounts from the index alone (the year's totals):
# once payments are entered month by month, a member's rows lie scattered through the table.
# dues_payments_extra holds the few payments with a voluntary extra (the year's extras by branch).
_V5 = """
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    uid TEXT,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    group_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('general_meeting', 'committee_meeting', 'group_meeting', 'lecture',
        'theme_day', 'life_meeting', 'evaluation_meeting', 'study', 'reading_class', 'training', 'other')),
    status TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('planned', 'held')),
    held_on TEXT NOT NULL,
    starts_at TEXT NOT NULL DEFAULT '',
    ends_at TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    chair TEXT NOT NULL DEFAULT '',
    recorder TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL CHECK (length(trim(topic)) > 0),
    agenda TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    decisions TEXT NOT NULL DEFAULT '',
    study_hours_tenths INTEGER NOT NULL DEFAULT 0 CHECK (study_hours_tenths >= 0),
    lecturer TEXT NOT NULL DEFAULT '',
    lecturer_is_leader INTEGER NOT NULL DEFAULT 0 CHECK (lecturer_is_leader IN (0, 1)),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE UNIQUE INDEX activities_uid ON activities(uid);
CREATE INDEX activities_org ON activities(org_id, held_on);
CREATE INDEX activities_held ON activities(held_on, kind, status, org_id, group_id);

CREATE TABLE attendance (
    id INTEGER PRIMARY KEY,
    uid TEXT,
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('present', 'leave', 'absent', 'observer', 'made_up')),
    reason TEXT NOT NULL DEFAULT '',
    made_up_on TEXT,
    CHECK ((status = 'made_up') = (made_up_on IS NOT NULL)),
    UNIQUE (activity_id, member_id)
);
CREATE UNIQUE INDEX attendance_uid ON attendance(uid);
CREATE INDEX attendance_member ON attendance(member_id);
CREATE INDEX attendance_activity_status ON attendance(activity_id, status, member_id);

CREATE TABLE activity_attachments (
    id INTEGER PRIMARY KEY,
    uid TEXT,
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'file' CHECK (kind IN ('photo', 'sign_in', 'file')),
    file_name TEXT NOT NULL,
    original_name TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE UNIQUE INDEX activity_attachments_uid ON activity_attachments(uid);
CREATE INDEX activity_attachments_activity ON activity_attachments(activity_id);

CREATE TABLE dues_bases (
    id INTEGER PRIMARY KEY,
    uid TEXT,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    effective_from TEXT NOT NULL CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    category TEXT NOT NULL CHECK (category IN ('employed', 'retired', 'student', 'farmer', 'other')),
    base_fen INTEGER NOT NULL DEFAULT 0 CHECK (base_fen >= 0),
    gross_fen INTEGER CHECK (gross_fen >= 0),
    tax_fen INTEGER CHECK (tax_fen >= 0),
    deductions_fen INTEGER CHECK (deductions_fen >= 0),
    fixed_fen INTEGER CHECK (fixed_fen >= 0),
    override_fen INTEGER CHECK (override_fen >= 0),
    override_reason TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    CHECK (override_fen IS NULL OR length(trim(override_reason)) > 0),
    UNIQUE (member_id, effective_from)
);
CREATE UNIQUE INDEX dues_bases_uid ON dues_bases(uid);

CREATE TABLE dues_payments (
    id INTEGER PRIMARY KEY,
    uid TEXT,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    paid_on TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    extra_fen INTEGER NOT NULL DEFAULT 0 CHECK (extra_fen >= 0),
    receipt_no TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE UNIQUE INDEX dues_payments_uid ON dues_payments(uid);
CREATE INDEX dues_payments_member ON dues_payments(member_id, paid_on);
CREATE INDEX dues_payments_extra ON dues_payments(member_id, paid_on) WHERE extra_fen > 0;

CREATE TABLE dues_months (
    id INTEGER PRIMARY KEY,
    uid TEXT,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    payment_id INTEGER REFERENCES dues_payments(id) ON DELETE CASCADE,
    due_fen INTEGER NOT NULL DEFAULT 0 CHECK (due_fen >= 0),
    paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
    exempt_reason TEXT NOT NULL DEFAULT '',
    CHECK ((payment_id IS NULL) = (length(trim(exempt_reason)) > 0)),
    UNIQUE (member_id, month)
);
CREATE UNIQUE INDEX dues_months_uid ON dues_months(uid);
CREATE INDEX dues_months_payment ON dues_months(payment_id);
CREATE INDEX dues_months_member ON dues_months(member_id, month, due_fen, paid_fen);
CREATE INDEX dues_months_month ON dues_months(month);

CREATE TABLE dues_remittances (
    id INTEGER PRIMARY KEY,
    uid TEXT,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    period_from TEXT NOT NULL CHECK (period_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    period_to TEXT NOT NULL CHECK (period_to >= period_from),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    remitted_on TEXT NOT NULL,
    receipt_no TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE UNIQUE INDEX dues_remittances_uid ON dues_remittances(uid);
CREATE INDEX dues_remittances_org ON dues_remittances(org_id, period_from);
"""


def _run(db: Database, script: str) -> None:
    # executescript() would COMMIT the caller's transaction first: run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            db.conn.execute(statement)


def _v1(db: Database) -> None:
    _run(db, _V1)


def _v2(db: Database) -> None:
    _run(db, _V2)


def _v3(db: Database) -> None:
    # ALTER TABLE cannot add a UNIQUE column: a unique index instead (same effect). Existing rows
    # get a random uid each.
    for table in _V3_UID_TABLES:
        db.conn.execute(f"ALTER TABLE {table} ADD COLUMN uid TEXT")
        db.conn.execute(f"UPDATE {table} SET uid = {NEW_UID_SQL}")
        db.conn.execute(f"CREATE UNIQUE INDEX {table}_uid ON {table}(uid)")


def _v4(db: Database) -> None:
    _run(db, _V4)


def _v5(db: Database) -> None:
    _run(db, _V5)


MIGRATIONS: list[Callable[[Database], None]] = [_v1, _v2, _v3, _v4, _v5]
SCHEMA_VERSION = len(MIGRATIONS)
