-- 0002: phone tails. A clerk finds a caller by the last digits of a number. Trigram search
-- ranks about a thousand matches for four digits over a million phones (p95 18 ms warm,
-- 50 ms with a cold cache); with the digits stored reversed, "ends with" is one index range.
-- Filled from the existing contacts by the migration's hook (SQLite has no reverse()).
CREATE TABLE phone_tails (
    reversed     TEXT NOT NULL,
    customer_seq INTEGER NOT NULL,
    PRIMARY KEY (reversed, customer_seq)
) WITHOUT ROWID;
CREATE INDEX phone_tails_customer ON phone_tails(customer_seq);
