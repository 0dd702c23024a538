-- Spare parts: the catalog, stock locations, the stock ledger (append-only) with a cached
-- balance that SQL keeps from going negative, serial numbers, inspection on receipt,
-- requisitions with approval, stocktakes, scrap requests and disposals.
-- Documents get a general subject (a requisition, a stocktake…), not only a work order.

ALTER TABLE documents ADD COLUMN subject_id TEXT;
UPDATE documents SET subject_id = work_order_id;
CREATE INDEX documents_subject ON documents(subject_id, form, issued_at);
DROP TRIGGER documents_immutable;
CREATE TRIGGER documents_immutable BEFORE UPDATE ON documents
WHEN NEW.id IS NOT OLD.id OR NEW.site_id IS NOT OLD.site_id OR NEW.form IS NOT OLD.form
  OR NEW.number IS NOT OLD.number OR NEW.revision IS NOT OLD.revision
  OR NEW.work_order_id IS NOT OLD.work_order_id OR NEW.subject_id IS NOT OLD.subject_id
  OR NEW.payload IS NOT OLD.payload
  OR NEW.pdf IS NOT OLD.pdf OR NEW.sha256 IS NOT OLD.sha256 OR NEW.signed IS NOT OLD.signed
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.issued_by IS NOT OLD.issued_by
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;

CREATE TABLE parts (
    id               TEXT PRIMARY KEY,
    site_id          TEXT NOT NULL,
    code             TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    model            TEXT NOT NULL DEFAULT '',
    unit             TEXT NOT NULL,
    price_fen        INTEGER NOT NULL CHECK (price_fen >= 0),
    warranty_months  INTEGER NOT NULL CHECK (warranty_months BETWEEN 0 AND 120),
    reorder_point    INTEGER NOT NULL CHECK (reorder_point >= 0),
    serial_tracked   INTEGER NOT NULL CHECK (serial_tracked IN (0, 1)),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    updated_by       TEXT NOT NULL,
    rev              INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE stock_locations (
    id         TEXT PRIMARY KEY,
    site_id    TEXT NOT NULL,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    -- 'scrap' holds approved scrap until it is destroyed; nothing is issued from it.
    kind       TEXT NOT NULL CHECK (kind IN ('store', 'scrap')),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    rev        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (site_id, code)
);

-- The ledger: every change of stock is one signed row. Never updated, never deleted.
CREATE TABLE stock_movements (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    site_id     TEXT NOT NULL,
    at          TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    part_id     TEXT NOT NULL REFERENCES parts(id),
    location_id TEXT NOT NULL REFERENCES stock_locations(id),
    qty         INTEGER NOT NULL CHECK (qty <> 0),
    kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'issue', 'return', 'transfer_out', 'transfer_in',
                                              'adjustment', 'scrap_out', 'scrap_in', 'dispose', 'factory_return')),
    ref_id      TEXT,
    serials     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(serials)),
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stock_movements_part ON stock_movements(part_id, location_id, qty);
CREATE INDEX stock_movements_ref ON stock_movements(ref_id);
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;

-- The balance per part and location, kept by a trigger on the ledger so it cannot drift from
-- it; the CHECK is the last line against negative stock whatever code writes.
CREATE TABLE stock_balances (
    part_id     TEXT NOT NULL REFERENCES parts(id),
    location_id TEXT NOT NULL REFERENCES stock_locations(id),
    qty         INTEGER NOT NULL CHECK (qty >= 0),
    PRIMARY KEY (part_id, location_id)
) WITHOUT ROWID;
CREATE TRIGGER stock_movements_balance AFTER INSERT ON stock_movements
BEGIN
    -- Two steps: an upsert would check the CHECK on the inserted value before resolving the
    -- conflict, refusing every outgoing movement.
    INSERT INTO stock_balances (part_id, location_id, qty) VALUES (NEW.part_id, NEW.location_id, 0)
    ON CONFLICT (part_id, location_id) DO NOTHING;
    UPDATE stock_balances SET qty = qty + NEW.qty WHERE part_id = NEW.part_id AND location_id = NEW.location_id;
END;

-- Where each serial-tracked piece is.
CREATE TABLE part_serials (
    part_id     TEXT NOT NULL REFERENCES parts(id),
    serial      TEXT NOT NULL,
    -- 'missing': written off by a stocktake that did not find the piece where the book had it.
    status      TEXT NOT NULL CHECK (status IN ('in_stock', 'issued', 'installed', 'scrapped', 'disposed', 'factory', 'sent',
                                            'missing')),
    location_id TEXT REFERENCES stock_locations(id),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (part_id, serial)
) WITHOUT ROWID;

-- Parts sent to another site of the network (a centre supplying its outlets). The sender
-- records 'sent' with the stock leaving; the receiving site confirms with the sender's transfer
-- number, which brings the stock in there. Each site keeps its own row; export files carry them
-- between sites.
CREATE TABLE stock_transfers (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    reference     TEXT NOT NULL,
    other_site    TEXT NOT NULL,
    part_id       TEXT NOT NULL REFERENCES parts(id),
    location_id   TEXT NOT NULL REFERENCES stock_locations(id),
    qty           INTEGER NOT NULL CHECK (qty > 0),
    serials       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(serials)),
    note          TEXT NOT NULL DEFAULT '',
    at            TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    UNIQUE (direction, reference, part_id)
);

-- Goods arrived: inspected before they enter stock. A failed inspection is kept and the goods
-- go back to the supplier, with no stock movement.
CREATE TABLE inspections (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    part_id     TEXT NOT NULL REFERENCES parts(id),
    location_id TEXT NOT NULL REFERENCES stock_locations(id),
    qty         INTEGER NOT NULL CHECK (qty > 0),
    supplier    TEXT NOT NULL,
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    note        TEXT NOT NULL DEFAULT '',
    serials     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(serials)),
    at          TEXT NOT NULL,
    user_id     TEXT NOT NULL
);

CREATE TABLE requisitions (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL,
    work_order_id TEXT NOT NULL REFERENCES work_orders(id),
    location_id   TEXT NOT NULL REFERENCES stock_locations(id),
    requester_id  TEXT NOT NULL REFERENCES users(id),
    purpose       TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'issued')),
    decided_by    TEXT,
    decided_at    TEXT,
    comment       TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    rev           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX requisitions_state ON requisitions(state, created_at);
CREATE INDEX requisitions_work_order ON requisitions(work_order_id);

CREATE TABLE requisition_lines (
    requisition_id TEXT NOT NULL REFERENCES requisitions(id),
    position       INTEGER NOT NULL,
    part_id        TEXT NOT NULL REFERENCES parts(id),
    qty            INTEGER NOT NULL CHECK (qty > 0),
    PRIMARY KEY (requisition_id, position)
) WITHOUT ROWID;

-- The parts a work order used, as the technician reports them: what went in (and its serial)
-- and what came out of the customer's unit.
ALTER TABLE work_order_parts ADD COLUMN part_id TEXT REFERENCES parts(id);
ALTER TABLE work_order_parts ADD COLUMN new_serial TEXT NOT NULL DEFAULT '';
ALTER TABLE work_order_parts ADD COLUMN faulty_serial TEXT NOT NULL DEFAULT '';

-- A periodic count of one location: the book quantities are snapshotted at the start, the
-- counts entered, then someone other than the counter posts the differences as adjustments.
CREATE TABLE stocktakes (
    id           TEXT PRIMARY KEY,
    site_id      TEXT NOT NULL,
    location_id  TEXT NOT NULL REFERENCES stock_locations(id),
    state        TEXT NOT NULL CHECK (state IN ('counting', 'submitted', 'posted', 'rejected')),
    counted_on   TEXT NOT NULL,
    counter_id   TEXT NOT NULL,
    submitted_at TEXT,
    decided_by   TEXT,
    decided_at   TEXT,
    comment      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    rev          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX stocktakes_location ON stocktakes(location_id, state);
CREATE TABLE stocktake_lines (
    stocktake_id    TEXT NOT NULL REFERENCES stocktakes(id),
    part_id         TEXT NOT NULL REFERENCES parts(id),
    book_qty        INTEGER NOT NULL,
    -- Serial-tracked parts: the serials the book had here, and the serials found.
    book_serials    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(book_serials)),
    counted_qty     INTEGER CHECK (counted_qty IS NULL OR counted_qty >= 0),
    counted_serials TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(counted_serials)),
    reason          TEXT NOT NULL DEFAULT '',
    -- Who entered the count: they may not post it either.
    counted_by      TEXT,
    PRIMARY KEY (stocktake_id, part_id)
) WITHOUT ROWID;

CREATE TABLE scrap_requests (
    id                TEXT PRIMARY KEY,
    site_id           TEXT NOT NULL,
    location_id       TEXT NOT NULL REFERENCES stock_locations(id),
    state             TEXT NOT NULL CHECK (state IN ('submitted', 'reviewed', 'approved', 'rejected', 'disposed')),
    reason            TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    applicant_id      TEXT NOT NULL,
    reviewed_by       TEXT,
    reviewed_at       TEXT,
    review_comment    TEXT NOT NULL DEFAULT '',
    approved_by       TEXT,
    approved_at       TEXT,
    approval_comment  TEXT NOT NULL DEFAULT '',
    -- Where the approved scrap is held until it is destroyed.
    scrap_location_id TEXT REFERENCES stock_locations(id),
    disposal_id       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    rev               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX scrap_requests_state ON scrap_requests(state, created_at);
CREATE TABLE scrap_lines (
    scrap_id TEXT NOT NULL REFERENCES scrap_requests(id),
    position INTEGER NOT NULL,
    part_id  TEXT NOT NULL REFERENCES parts(id),
    qty      INTEGER NOT NULL CHECK (qty > 0),
    serials  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(serials)),
    PRIMARY KEY (scrap_id, position)
) WITHOUT ROWID;
CREATE TABLE scrap_photos (
    id        TEXT PRIMARY KEY,
    scrap_id  TEXT NOT NULL REFERENCES scrap_requests(id),
    position  INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    bytes     BLOB NOT NULL
);
CREATE INDEX scrap_photos_scrap ON scrap_photos(scrap_id, position);

CREATE TABLE disposals (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    location_id TEXT NOT NULL REFERENCES stock_locations(id),
    batch       TEXT NOT NULL,
    method      TEXT NOT NULL,
    witness     TEXT NOT NULL CHECK (length(trim(witness)) > 0),
    disposed_by TEXT NOT NULL,
    at          TEXT NOT NULL
);
