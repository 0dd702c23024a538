-- 0008: customers whose search entries are still to be built. An import applies a hundred
-- thousand customers in one transaction and lists them here instead of indexing them inside
-- it; their entries are built right after, in batches (and before any search that finds the
-- list not empty), so a bundle is not held up by a derived index. Listed in the same
-- transaction as the import: a crash in between leaves them listed, never unindexed.
CREATE TABLE search_pending (
    customer_id TEXT PRIMARY KEY
) WITHOUT ROWID;
