-- Work orders (consultations and service requests), their timeline, the work recorded on site,
-- and the issued paperwork with its gapless numbering.

-- One counter per site, form and year. It is bumped in the same transaction that issues the
-- document, so a rolled-back issue leaves no gap and two issuers can never share a number.
CREATE TABLE document_sequences (
    site_id TEXT NOT NULL,
    form    TEXT NOT NULL,
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (site_id, form, year)
) WITHOUT ROWID;

CREATE TABLE work_orders (
    id                TEXT PRIMARY KEY,
    site_id           TEXT NOT NULL,
    number            TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('consultation', 'installation', 'commissioning', 'repair', 'maintenance')),
    channel           TEXT NOT NULL CHECK (channel IN ('phone', 'walk_in', 'online', 'email')),
    state             TEXT NOT NULL CHECK (state IN ('received', 'answered', 'scheduled', 'dispatched', 'on_site',
                                                    'completed', 'acceptance_failed', 'returned', 'exchanged', 'cancelled')),
    customer_id       TEXT NOT NULL REFERENCES customers(id),
    contact_id        TEXT REFERENCES contacts(id) ON DELETE SET NULL,
    unit_id           TEXT REFERENCES units(id),
    caller_phone      TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL CHECK (length(trim(description)) > 0),
    owner_id          TEXT NOT NULL REFERENCES users(id),
    promised_reply_at TEXT,
    answer            TEXT NOT NULL DEFAULT '',
    -- The appointment: a site-local date and time window, where, and (in work_order_technicians) who.
    appt_date         TEXT CHECK (appt_date IS NULL OR date(appt_date) = appt_date),
    appt_start        TEXT,
    appt_end          TEXT,
    appt_address      TEXT NOT NULL DEFAULT '',
    bring             TEXT NOT NULL DEFAULT '',
    -- The on-site record.
    work_done         TEXT NOT NULL DEFAULT '',
    result            TEXT CHECK (result IS NULL OR result IN ('passed', 'failed')),
    instructions_given INTEGER NOT NULL DEFAULT 0 CHECK (instructions_given IN (0, 1)),
    customer_opinion  TEXT NOT NULL DEFAULT '',
    satisfaction      INTEGER CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5),
    cancel_reason     TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    rev               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX work_orders_state ON work_orders(state, created_at);
CREATE INDEX work_orders_customer ON work_orders(customer_id, created_at);
CREATE INDEX work_orders_appt ON work_orders(appt_date);
CREATE INDEX work_orders_created ON work_orders(created_at);

CREATE TABLE work_order_technicians (
    work_order_id TEXT NOT NULL REFERENCES work_orders(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (work_order_id, user_id)
) WITHOUT ROWID;
CREATE INDEX work_order_technicians_user ON work_order_technicians(user_id);

-- Every accepted transition and hand-over, with who and when. Append-only.
CREATE TABLE work_order_events (
    id            TEXT PRIMARY KEY,
    work_order_id TEXT NOT NULL REFERENCES work_orders(id),
    at            TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    event         TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_order_events_order ON work_order_events(work_order_id, at);
CREATE TRIGGER work_order_events_no_update BEFORE UPDATE ON work_order_events
BEGIN SELECT RAISE(ABORT, 'work order events are append-only'); END;
CREATE TRIGGER work_order_events_no_delete BEFORE DELETE ON work_order_events
BEGIN SELECT RAISE(ABORT, 'work order events are append-only'); END;

CREATE TABLE work_order_parts (
    id             TEXT PRIMARY KEY,
    work_order_id  TEXT NOT NULL REFERENCES work_orders(id),
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    model          TEXT NOT NULL DEFAULT '',
    qty            INTEGER NOT NULL CHECK (qty > 0),
    unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
    in_warranty    INTEGER NOT NULL CHECK (in_warranty IN (0, 1)),
    consent        INTEGER NOT NULL CHECK (consent IN (0, 1))
);
CREATE INDEX work_order_parts_order ON work_order_parts(work_order_id, position);

CREATE TABLE work_order_fees (
    id            TEXT PRIMARY KEY,
    work_order_id TEXT NOT NULL REFERENCES work_orders(id),
    position      INTEGER NOT NULL,
    description   TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL CHECK (amount_fen >= 0)
);
CREATE INDEX work_order_fees_order ON work_order_fees(work_order_id, position);

-- Issued paperwork. A row is a fact: the data it was rendered from, the PDF bytes and their
-- SHA-256 never change. Only voiding (issued → void, once, with a reason) may touch a row.
CREATE TABLE documents (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL,
    form          TEXT NOT NULL,
    number        TEXT NOT NULL,
    revision      INTEGER NOT NULL CHECK (revision > 0),
    work_order_id TEXT REFERENCES work_orders(id),
    payload       TEXT NOT NULL CHECK (json_valid(payload)),
    pdf           BLOB NOT NULL,
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    signed        INTEGER NOT NULL DEFAULT 0 CHECK (signed IN (0, 1)),
    issued_at     TEXT NOT NULL,
    issued_by     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'void')),
    void_reason   TEXT NOT NULL DEFAULT '',
    voided_at     TEXT,
    voided_by     TEXT,
    UNIQUE (number, revision)
);
CREATE INDEX documents_work_order ON documents(work_order_id, form, issued_at);

CREATE TRIGGER documents_immutable BEFORE UPDATE ON documents
WHEN NEW.id IS NOT OLD.id OR NEW.site_id IS NOT OLD.site_id OR NEW.form IS NOT OLD.form
  OR NEW.number IS NOT OLD.number OR NEW.revision IS NOT OLD.revision
  OR NEW.work_order_id IS NOT OLD.work_order_id OR NEW.payload IS NOT OLD.payload
  OR NEW.pdf IS NOT OLD.pdf OR NEW.sha256 IS NOT OLD.sha256 OR NEW.signed IS NOT OLD.signed
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.issued_by IS NOT OLD.issued_by
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER documents_void_once BEFORE UPDATE ON documents
WHEN OLD.status = 'void' OR NEW.status <> 'void' OR length(trim(NEW.void_reason)) = 0
BEGIN SELECT RAISE(ABORT, 'a document can only be voided once, with a reason'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'issued documents are never deleted'); END;

-- A scan of the signed paper, with what its QR code said.
CREATE TABLE document_scans (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    file_name   TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('png', 'jpeg', 'pdf')),
    bytes       BLOB NOT NULL,
    sha256      TEXT NOT NULL,
    qr_texts    TEXT NOT NULL CHECK (json_valid(qr_texts)),
    matches     INTEGER NOT NULL CHECK (matches IN (0, 1)),
    attached_at TEXT NOT NULL,
    attached_by TEXT NOT NULL
);
CREATE INDEX document_scans_document ON document_scans(document_id);
CREATE TRIGGER document_scans_no_update BEFORE UPDATE ON document_scans
BEGIN SELECT RAISE(ABORT, 'scans are kept as attached'); END;
