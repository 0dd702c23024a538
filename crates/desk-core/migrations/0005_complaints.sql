-- 0005: complaints (投诉) with their SLA clocks, the working-day calendar they count on, and the
-- SLA policy per severity level.

-- The exceptions to "Monday to Friday work": weekdays off and weekend days worked (调休).
CREATE TABLE calendar_days (
    date       TEXT PRIMARY KEY CHECK (date(date) = date),
    kind       TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name       TEXT NOT NULL DEFAULT '',
    site_id    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) WITHOUT ROWID;

-- Working hours as minutes of the local day. The default 0–1440 counts whole working days:
-- "within 24 h" then skips weekends and holidays (节假日顺延).
CREATE TABLE calendar_settings (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    rev          INTEGER NOT NULL DEFAULT 1,
    CHECK (start_minute < end_minute)
);
INSERT INTO calendar_settings (id, start_minute, end_minute, updated_at, updated_by)
VALUES (1, 0, 1440, '1970-01-01T00:00:00.000000Z', 'migration');

-- Time limits per severity level, in working time. Defaults from the service commitments:
-- accepted within 24 h; first response within 24 h, 48 h for major cases (levels 3–4);
-- closed within 3–7 working days by level.
CREATE TABLE sla_policies (
    level           INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 4),
    accept_hours    INTEGER NOT NULL CHECK (accept_hours BETWEEN 1 AND 720),
    respond_hours   INTEGER NOT NULL CHECK (respond_hours BETWEEN 1 AND 720),
    close_days      INTEGER NOT NULL CHECK (close_days BETWEEN 1 AND 90),
    at_risk_percent INTEGER NOT NULL CHECK (at_risk_percent BETWEEN 50 AND 99),
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    rev             INTEGER NOT NULL DEFAULT 1
);
INSERT INTO sla_policies (level, accept_hours, respond_hours, close_days, at_risk_percent, updated_at, updated_by) VALUES
    (1, 24, 24, 3, 80, '1970-01-01T00:00:00.000000Z', 'migration'),
    (2, 24, 24, 5, 80, '1970-01-01T00:00:00.000000Z', 'migration'),
    (3, 24, 48, 7, 80, '1970-01-01T00:00:00.000000Z', 'migration'),
    (4, 24, 48, 7, 80, '1970-01-01T00:00:00.000000Z', 'migration');

CREATE TABLE complaints (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL,
    number        TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('product_quality', 'service', 'proposal')),
    level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    channel       TEXT NOT NULL CHECK (channel IN ('phone', 'walk_in', 'online', 'email')),
    -- The last of the eight steps recorded ('invalid': judged invalid, replied to and closed).
    stage         TEXT NOT NULL CHECK (stage IN ('recorded', 'accepted', 'assigned', 'investigated', 'proposed',
                                                 'carried_out', 'responsibility_decided', 'closed', 'invalid')),
    customer_id   TEXT NOT NULL REFERENCES customers(id),
    unit_id       TEXT REFERENCES units(id),
    work_order_id TEXT REFERENCES work_orders(id),
    complainant   TEXT NOT NULL CHECK (length(trim(complainant)) > 0),
    phone         TEXT NOT NULL DEFAULT '',
    object        TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL CHECK (length(trim(content)) > 0),
    demand        TEXT NOT NULL DEFAULT '',
    -- The first receiver (首问负责制).
    owner_id      TEXT NOT NULL REFERENCES users(id),
    department    TEXT CHECK (department IS NULL OR department IN ('customer_service', 'technical', 'quality',
                                  'logistics', 'sales', 'senior_management')),
    received_at   TEXT NOT NULL,
    paused_since  TEXT,
    pause_reason  TEXT NOT NULL DEFAULT '',
    -- The earliest due and at-risk instants of the clocks still running; NULL while paused or
    -- closed. Kept by the core whenever a clock changes, so the board is one indexed query.
    next_due_at   TEXT,
    next_risk_at  TEXT,
    -- The earliest due instant of a running clock not yet escalated: what the sweep looks for.
    next_escalation_at TEXT,
    reaction      TEXT CHECK (reaction IS NULL OR reaction IN ('satisfied', 'accepted', 'dissatisfied')),
    feedback      TEXT NOT NULL DEFAULT '',
    reopen_count  INTEGER NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
    closed_at     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    rev           INTEGER NOT NULL DEFAULT 1,
    -- Closed loop: a valid complaint is closed only with the customer's reaction on record.
    CHECK (stage <> 'closed' OR (reaction IS NOT NULL AND length(trim(feedback)) > 0))
);
-- The board reads open complaints only: by due time, and per level with everything its state
-- needs in the index itself.
CREATE INDEX complaints_open_due ON complaints(next_due_at, next_risk_at) WHERE closed_at IS NULL;
CREATE INDEX complaints_open_level ON complaints(level, next_due_at, next_risk_at, paused_since) WHERE closed_at IS NULL;
CREATE INDEX complaints_to_escalate ON complaints(next_escalation_at)
    WHERE closed_at IS NULL AND next_escalation_at IS NOT NULL;
CREATE INDEX complaints_received ON complaints(received_at);
CREATE INDEX complaints_customer ON complaints(customer_id, received_at);

-- The three clocks of a complaint: accept, first response, close. The limit is fixed when the
-- clock starts (a later policy change does not move a running clock); paused working minutes
-- push the due time out. due_at/risk_at are NULL while the complaint is paused.
CREATE TABLE complaint_clocks (
    complaint_id   TEXT NOT NULL REFERENCES complaints(id),
    clock          TEXT NOT NULL CHECK (clock IN ('accept', 'respond', 'close')),
    started_at     TEXT NOT NULL,
    limit_minutes  INTEGER NOT NULL CHECK (limit_minutes > 0),
    risk_percent   INTEGER NOT NULL CHECK (risk_percent BETWEEN 1 AND 99),
    paused_minutes INTEGER NOT NULL DEFAULT 0 CHECK (paused_minutes >= 0),
    due_at         TEXT,
    risk_at        TEXT,
    stopped_at     TEXT,
    escalated      INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
    PRIMARY KEY (complaint_id, clock)
) WITHOUT ROWID;

-- Every recorded step (the eight steps, first response, pause/resume, escalation, hand-over,
-- reopening, documents) with its content, who and when. Append-only.
CREATE TABLE complaint_events (
    id           TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL REFERENCES complaints(id),
    at           TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    event        TEXT NOT NULL,
    from_stage   TEXT NOT NULL,
    to_stage     TEXT NOT NULL,
    content      TEXT NOT NULL DEFAULT '',
    data         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data))
);
CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, at);
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint events are append-only'); END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint events are append-only'); END;

-- Photos, recordings' notes, letters: what the customer handed in with the complaint.
CREATE TABLE complaint_attachments (
    id           TEXT PRIMARY KEY,
    site_id      TEXT NOT NULL,
    complaint_id TEXT NOT NULL REFERENCES complaints(id),
    file_name    TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL
);
CREATE INDEX complaint_attachments_complaint ON complaint_attachments(complaint_id);
CREATE TRIGGER complaint_attachments_no_update BEFORE UPDATE ON complaint_attachments
BEGIN SELECT RAISE(ABORT, 'attachments are kept as handed in'); END;
