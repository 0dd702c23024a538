-- 0001: the foundation. Shipped migrations are never edited; add 0002_… instead.
-- Record conventions: UUIDv7 text ids, the creating site, UTC instants (RFC 3339), creator,
-- last editor and a revision that an update must name (stale rev = conflict).

CREATE TABLE sites (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    tier        TEXT NOT NULL CHECK (tier IN ('hq', 'centre', 'outlet')),
    time_zone   TEXT NOT NULL,
    hotline     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    rev         INTEGER NOT NULL DEFAULT 1
);

-- Device-local settings (which site this database is, the UI language). Not exported.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE policies (
    id              TEXT PRIMARY KEY,
    site_id         TEXT NOT NULL UNIQUE REFERENCES sites(id),
    warranty_months INTEGER NOT NULL CHECK (warranty_months BETWEEN 0 AND 120),
    return_days     INTEGER NOT NULL CHECK (return_days BETWEEN 0 AND 90),
    exchange_days   INTEGER NOT NULL CHECK (exchange_days BETWEEN 0 AND 365),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    rev             INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL REFERENCES sites(id),
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('front_desk', 'dispatcher', 'technician',
                      'warehouse_keeper', 'cashier', 'return_visit_officer', 'supervisor', 'admin')),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    rev           INTEGER NOT NULL DEFAULT 1
);

-- The audit trail and the feed for incremental export. Append-only, enforced here too.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    site_id    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    data       TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX change_log_record ON change_log(table_name, record_id);
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;

CREATE TABLE product_models (
    id         TEXT PRIMARY KEY,
    site_id    TEXT NOT NULL,
    brand      TEXT NOT NULL,
    model      TEXT NOT NULL,
    category   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    rev        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (brand, model)
);

-- `seq` is a stable local integer key: the search index refers to it (it is the FTS rowid),
-- and an INTEGER PRIMARY KEY survives VACUUM unchanged, a plain rowid does not.
CREATE TABLE customers (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    site_id    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    rev        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX customers_recent ON customers(updated_at);

CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL CHECK (length(phone) > 0),
    title       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    rev         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_customer ON contacts(customer_id, position);

CREATE TABLE addresses (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    province    TEXT NOT NULL,
    city        TEXT NOT NULL,
    district    TEXT NOT NULL,
    detail      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    rev         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX addresses_customer ON addresses(customer_id, position);

CREATE TABLE units (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL,
    customer_id   TEXT NOT NULL REFERENCES customers(id),
    model_id      TEXT NOT NULL REFERENCES product_models(id),
    serial        TEXT NOT NULL CHECK (length(serial) > 0),
    purchase_date TEXT CHECK (purchase_date IS NULL OR date(purchase_date) = purchase_date),
    seller        TEXT NOT NULL DEFAULT '',
    install_date  TEXT CHECK (install_date IS NULL OR date(install_date) = install_date),
    address_id    TEXT REFERENCES addresses(id) ON DELETE SET NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    rev           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (model_id, serial)
);
CREATE INDEX units_customer ON units(customer_id);

-- Search, maintained by the core in the same transaction as every customer change.
-- Trigram FTS finds any substring of 3+ characters (names, phone tails, serials, addresses).
CREATE VIRTUAL TABLE customer_fts USING fts5(
    name, phones, serials, addresses,
    tokenize = 'trigram'
);
-- Trigram cannot match 1–2 characters, yet most Chinese names are 2–3 characters long and
-- clerks type two of them. Every 1- and 2-character fragment of the customer's and contacts'
-- names, with its best rank (0 whole name, 1 prefix, 2 inside the name, 3 a contact's name),
-- laid out so that a page of hits is one ordered range read of the primary key.
CREATE TABLE name_grams (
    gram         TEXT NOT NULL,
    rank         INTEGER NOT NULL,
    customer_seq INTEGER NOT NULL,
    PRIMARY KEY (gram, rank, customer_seq DESC)
) WITHOUT ROWID;
CREATE INDEX name_grams_customer ON name_grams(customer_seq);
