-- 0006: export and import between the tiers (outlet → centre → HQ, policy back down).

-- The sites this one exchanges with: its outlets (or centres, at HQ) and the site above it.
-- A data bundle from a site not listed here is refused unless the importer allows it.
CREATE TABLE exchange_peers (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL DEFAULT '',
    relation TEXT NOT NULL CHECK (relation IN ('below', 'above')),
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
) WITHOUT ROWID;

-- Every export and import: the history per site, and where the next incremental export to a
-- destination starts (after the last seq_to sent there).
CREATE TABLE exchange_log (
    id         TEXT PRIMARY KEY,
    direction  TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    kind       TEXT NOT NULL CHECK (kind IN ('data', 'policy')),
    peer       TEXT NOT NULL DEFAULT '',
    full       INTEGER NOT NULL DEFAULT 0 CHECK (full IN (0, 1)),
    seq_from   INTEGER NOT NULL,
    seq_to     INTEGER NOT NULL,
    bundle_sha TEXT NOT NULL,
    file_name  TEXT NOT NULL DEFAULT '',
    counts     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts)),
    at         TEXT NOT NULL,
    by_user    TEXT NOT NULL
);
CREATE INDEX exchange_log_peer ON exchange_log(direction, peer, at);
CREATE INDEX exchange_log_bundle ON exchange_log(bundle_sha);

-- The version of a record last received from another site: the base that tells "changed
-- here since" from "changed there since". A record changed on both sides is a conflict.
CREATE TABLE exchange_versions (
    table_name TEXT NOT NULL,
    record_key TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (table_name, record_key)
) WITHOUT ROWID;

-- A record changed at two sites, for a person to resolve. The origin site's version stands
-- until then; both versions are kept here as they were.
CREATE TABLE exchange_conflicts (
    id          TEXT PRIMARY KEY,
    table_name  TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    origin_site TEXT NOT NULL,
    from_site   TEXT NOT NULL,
    local_data  TEXT NOT NULL CHECK (json_valid(local_data)),
    incoming    TEXT NOT NULL CHECK (json_valid(incoming)),
    kept        TEXT NOT NULL CHECK (kept IN ('local', 'incoming')),
    import_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    resolution  TEXT CHECK (resolution IS NULL OR resolution IN ('local', 'incoming'))
);
CREATE INDEX exchange_conflicts_open ON exchange_conflicts(resolved_at, at);
