//! Finding a customer in a keystroke: by a fragment of a name (two-character Chinese names
//! included), a phone tail, a serial or an address.
//!
//! Two indexes, both written in the transaction that changes the customer:
//! - `customer_fts`, FTS5 with the trigram tokenizer: any substring of 3+ characters, ranked by
//!   bm25 with names weighted above phones and serials, and those above addresses;
//! - `name_grams`: every 1–2 character fragment of the names, which trigram cannot match;
//! - `phone_tails`: phone digits reversed, so that "ends with 5678" is one index range. A query
//!   of digits is a phone tail first; only when no phone ends so is it a fragment anywhere.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension, ToSql};
use serde::Serialize;
use ts_rs::TS;

use crate::customers::CustomerKind;
use crate::error::Result;
use crate::users::Permission;
use crate::validate::phone_digits;
use crate::Desk;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SearchHit {
    pub customer_id: String,
    pub kind: CustomerKind,
    pub name: String,
    pub phone: String,
    pub city: String,
    pub serials: Vec<String>,
    /// The site that created the customer (empty if its site record never arrived).
    pub site_code: String,
    pub site_name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub total: i64,
    /// True when there are more matches than were counted (`total` is then a floor).
    pub total_is_lower_bound: bool,
    /// 0-based.
    pub page: i64,
    pub page_size: i64,
}

/// Counting every match of a one-character query over a million names costs more than the
/// page itself; past this many the UI says "1000+".
const COUNT_CAP: i64 = 1000;
pub const MAX_PAGE_SIZE: i64 = 100;

/// What the indexes hold for one customer.
#[derive(Debug, Default)]
pub struct Doc {
    pub name: String,
    pub contact_names: Vec<String>,
    pub phones: Vec<String>,
    pub serials: Vec<String>,
    pub addresses: Vec<String>,
}

/// Rebuilds both index entries of one customer from its stored rows.
pub(crate) fn reindex_customer(tx: &Connection, customer_id: &str) -> Result<()> {
    let (seq, doc) = stored_doc(tx, customer_id)?;
    index(tx, seq, &doc)
}

/// Rebuilds the index entries of many customers at once (an import brings a hundred
/// thousand): the fragments of all of them are sorted first, so each index is written in
/// its own order instead of at a random place per row. `fresh`: customers new in this
/// transaction, with no entries to remove.
pub(crate) fn reindex_customers<'a>(
    tx: &Connection,
    ids: impl IntoIterator<Item = &'a str>,
    fresh: bool,
) -> Result<()> {
    let mut docs = Vec::new();
    for id in ids {
        docs.push(stored_doc(tx, id)?);
    }
    docs.sort_by_key(|(seq, _)| *seq);
    if !fresh {
        for (seq, _) in &docs {
            for sql in [
                "DELETE FROM customer_fts WHERE rowid = ?1",
                "DELETE FROM phone_tails WHERE customer_seq = ?1",
                "DELETE FROM name_grams WHERE customer_seq = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([seq])?;
            }
        }
    }
    let mut fts = tx.prepare_cached(
        "INSERT INTO customer_fts (rowid, name, phones, serials, addresses) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut tails = Vec::new();
    let mut all_grams = Vec::new();
    for (seq, doc) in &docs {
        let (names, phones) = fts_text(doc);
        fts.execute(params![
            seq,
            names,
            phones,
            doc.serials.join(" "),
            doc.addresses.join(" ")
        ])?;
        tails.extend(doc.phones.iter().map(|p| (reversed_digits(p), *seq)));
        all_grams.extend(grams(doc).into_iter().map(|(g, rank)| (g, rank, *seq)));
    }
    tails.sort();
    let mut tail = tx.prepare_cached(
        "INSERT OR IGNORE INTO phone_tails (reversed, customer_seq) VALUES (?1, ?2)",
    )?;
    for (reversed, seq) in &tails {
        tail.execute(params![reversed, seq])?;
    }
    // The primary key's order: gram, rank, then customer_seq descending.
    all_grams.sort_by(|a, b| (&a.0, a.1, b.2).cmp(&(&b.0, b.1, a.2)));
    let mut insert =
        tx.prepare_cached("INSERT INTO name_grams (gram, rank, customer_seq) VALUES (?1, ?2, ?3)")?;
    for (gram, rank, seq) in &all_grams {
        insert.execute(params![gram, rank, seq])?;
    }
    Ok(())
}

/// A customer's searchable text as stored: name, contacts, addresses, unit serials.
fn stored_doc(tx: &Connection, customer_id: &str) -> Result<(i64, Doc)> {
    let (seq, name): (i64, String) = tx
        .prepare_cached("SELECT seq, name FROM customers WHERE id = ?1")?
        .query_row([customer_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut doc = Doc {
        name,
        ..Doc::default()
    };
    for c in crate::customers::contacts_in(tx, customer_id)? {
        doc.contact_names.push(c.name);
        doc.phones.push(c.phone);
    }
    for a in crate::customers::addresses_in(tx, customer_id)? {
        doc.addresses.push(format!(
            "{}{}{}{}",
            a.province, a.city, a.district, a.detail
        ));
    }
    let mut stmt = tx.prepare_cached("SELECT serial FROM units WHERE customer_id = ?1")?;
    doc.serials = stmt
        .query_map([customer_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((seq, doc))
}

/// The full-text columns for names and phones: the customer's and contacts' names, the
/// phones' digits.
fn fts_text(doc: &Doc) -> (String, String) {
    let names = std::iter::once(doc.name.as_str())
        .chain(doc.contact_names.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let phones = doc
        .phones
        .iter()
        .map(|p| phone_digits(p))
        .collect::<Vec<_>>()
        .join(" ");
    (names, phones)
}

/// Writes the index entries of customer `seq` (also used by the bulk generator).
pub fn index(tx: &Connection, seq: i64, doc: &Doc) -> Result<()> {
    tx.prepare_cached("DELETE FROM customer_fts WHERE rowid = ?1")?
        .execute([seq])?;
    let (names, phones) = fts_text(doc);
    tx.prepare_cached("INSERT INTO customer_fts (rowid, name, phones, serials, addresses) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(
        params![seq, names, phones, doc.serials.join(" "), doc.addresses.join(" ")],
    )?;
    tx.prepare_cached("DELETE FROM phone_tails WHERE customer_seq = ?1")?
        .execute([seq])?;
    let mut tail = tx.prepare_cached(
        "INSERT OR IGNORE INTO phone_tails (reversed, customer_seq) VALUES (?1, ?2)",
    )?;
    for p in &doc.phones {
        tail.execute(params![reversed_digits(p), seq])?;
    }
    tx.prepare_cached("DELETE FROM name_grams WHERE customer_seq = ?1")?
        .execute([seq])?;
    let mut insert =
        tx.prepare_cached("INSERT INTO name_grams (gram, rank, customer_seq) VALUES (?1, ?2, ?3)")?;
    for (gram, rank) in grams(doc) {
        insert.execute(params![gram, rank, seq])?;
    }
    Ok(())
}

fn reversed_digits(phone: &str) -> String {
    phone_digits(phone).chars().rev().collect()
}

/// Fills `phone_tails` from the stored contacts (migration 0002).
pub(crate) fn backfill_phone_tails(tx: &Connection) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(
        "SELECT c.seq, ct.phone FROM contacts ct JOIN customers c ON c.id = ct.customer_id",
    )?;
    let mut insert =
        tx.prepare("INSERT OR IGNORE INTO phone_tails (reversed, customer_seq) VALUES (?1, ?2)")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (seq, phone) = row?;
        insert.execute(params![reversed_digits(&phone), seq])?;
    }
    Ok(())
}

/// Customers with a phone ending in `digits`: a whole number first, then the newest.
/// None when no phone ends so, and the query is then searched as a fragment anywhere.
fn tail_page(
    conn: &Connection,
    digits: &str,
    site: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Option<(Vec<i64>, i64, bool)>> {
    let low: String = digits.chars().rev().collect();
    // ':' sorts right after '9': [low, low + ':') is every string starting with `low`.
    let high = format!("{low}:");
    let join = match site {
        Some(_) => " JOIN customers c ON c.seq = customer_seq",
        None => "",
    };
    let n: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT DISTINCT customer_seq FROM phone_tails{join} WHERE reversed >= ?1 AND reversed < ?2{} LIMIT {})",
            site_clause(site, 3),
            COUNT_CAP + 1
        ))?
        .query_row(&with_site(vec![&low, &high], &site)[..], |r| r.get(0))?;
    if n == 0 {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT customer_seq FROM phone_tails{join} WHERE reversed >= ?1 AND reversed < ?2{}
         GROUP BY customer_seq ORDER BY max(reversed = ?1) DESC, customer_seq DESC LIMIT ?3 OFFSET ?4",
        site_clause(site, 5)
    ))?;
    let seqs = stmt
        .query_map(
            &with_site(vec![&low, &high, &limit, &offset], &site)[..],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some((seqs, n.min(COUNT_CAP), n > COUNT_CAP)))
}

fn fold(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every 1- and 2-character fragment with its best rank: 0 the whole name, 1 its start,
/// 2 inside it, 3 inside a contact's name.
fn grams(doc: &Doc) -> BTreeMap<String, i64> {
    let mut out: BTreeMap<String, i64> = BTreeMap::new();
    let mut add = |chars: &[char], base: Option<i64>| {
        for len in 1..=2 {
            for start in 0..chars.len().saturating_sub(len - 1) {
                let gram: String = chars[start..start + len].iter().collect();
                let rank = match base {
                    Some(_) if len == chars.len() => 0,
                    Some(_) if start == 0 => 1,
                    Some(_) => 2,
                    None => 3,
                };
                out.entry(gram)
                    .and_modify(|r| *r = (*r).min(rank))
                    .or_insert(rank);
            }
        }
    };
    add(&fold(&doc.name), Some(0));
    for c in &doc.contact_names {
        add(&fold(c), None);
    }
    out
}

/// A query of digits and separators is a phone number or its tail: compare digits only.
fn normalise(query: &str) -> Vec<String> {
    let q = query.trim();
    let digits = phone_digits(q);
    if !digits.is_empty() && q.chars().all(|c| c.is_ascii_digit() || " -+()".contains(c)) {
        return vec![digits];
    }
    q.split_whitespace().map(|t| t.to_lowercase()).collect()
}

fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Lists customers whose entries are to be (re)built after this transaction commits.
pub(crate) fn mark_pending<'a>(
    tx: &Connection,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO search_pending (customer_id) VALUES (?1)")?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// Builds the entries of up to `max` listed customers in one transaction; returns how many
/// are still listed. Runs in batches in the background after an import, so that the desk is
/// held for a moment at a time.
pub fn catch_up(desk: &Desk, max: usize) -> Result<usize> {
    let conn = desk.conn();
    let tx = conn.unchecked_transaction()?;
    let ids: Vec<String> = tx
        .prepare_cached("SELECT customer_id FROM search_pending LIMIT ?1")?
        .query_map([max as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let existing: Vec<&str> = {
        let mut here =
            tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            if here.query_row([id], |r| r.get::<_, bool>(0))? {
                out.push(id.as_str());
            }
        }
        out
    };
    reindex_customers(&tx, existing, false)?;
    let mut done = tx.prepare_cached("DELETE FROM search_pending WHERE customer_id = ?1")?;
    for id in &ids {
        done.execute([id])?;
    }
    drop(done);
    let left: i64 = tx.query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))?;
    tx.commit()?;
    Ok(left as usize)
}

/// Builds every listed entry first: a search never misses a customer an import brought.
pub(crate) fn ensure_indexed(desk: &Desk) -> Result<()> {
    let pending: bool =
        desk.conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM search_pending)", [], |r| {
                r.get(0)
            })?;
    if pending {
        catch_up(desk, usize::MAX >> 1)?;
    }
    Ok(())
}

/// Ranked, paged search. An empty query lists the most recently changed customers.
pub fn search(desk: &Desk, query: &str, page: i64, page_size: i64) -> Result<SearchPage> {
    search_site(desk, query, None, page, page_size)
}

/// [`search`] among the customers created at one site (`sites.id`); `None` or empty: every
/// site. An id no site has matches nothing.
pub fn search_site(
    desk: &Desk,
    query: &str,
    site_id: Option<&str>,
    page: i64,
    page_size: i64,
) -> Result<SearchPage> {
    desk.require(Permission::ViewArchive)?;
    ensure_indexed(desk)?;
    search_in(desk.conn(), query, site_id, page, page_size)
}

pub fn search_in(
    conn: &Connection,
    query: &str,
    site_id: Option<&str>,
    page: i64,
    page_size: i64,
) -> Result<SearchPage> {
    let page = page.max(0);
    let page_size = page_size.clamp(1, MAX_PAGE_SIZE);
    let offset = page * page_size;
    let (seqs, total, capped) = matching_seqs(conn, query, site_id, page_size, offset)?;
    let hits = seqs
        .into_iter()
        .map(|seq| hit(conn, seq))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    Ok(SearchPage {
        hits,
        total,
        total_is_lower_bound: capped,
        page,
        page_size,
    })
}

/// The customers (`seq`) matching `query` in the order the search shows them, `limit` from
/// `offset` on, with the (capped) count of all matches; only those created at `site` when one
/// is given. The Excel export takes every match from here, so a sheet lists exactly what the
/// screen pages through.
pub(crate) fn matching_seqs(
    conn: &Connection,
    query: &str,
    site: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<i64>, i64, bool)> {
    let site = site.filter(|s| !s.is_empty());
    let terms = normalise(query);
    let (long, short): (Vec<&String>, Vec<&String>) =
        terms.iter().partition(|t| t.chars().count() >= 3);
    // Short terms beside the first one narrow by name; they cannot use an index.
    let name_filter = |skip: usize| {
        short
            .iter()
            .skip(skip)
            .map(|t| format!(" AND c.name LIKE '%' || {} || '%'", sql_quote(t)))
            .collect::<String>()
    };

    let phone_tail = match terms.as_slice() {
        [t] if t.len() >= 3 && t.bytes().all(|b| b.is_ascii_digit()) => {
            tail_page(conn, t, site, limit, offset)?
        }
        _ => None,
    };
    let (seqs, total, capped) = if let Some(found) = phone_tail {
        found
    } else if terms.is_empty() {
        let (count, only) = match site {
            Some(_) => (" WHERE site_id = ?1", " WHERE site_id = ?3"),
            None => ("", ""),
        };
        let total: i64 = conn
            .prepare_cached(&format!("SELECT count(*) FROM customers{count}"))?
            .query_row(&with_site(vec![], &site)[..], |r| r.get(0))?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT seq FROM customers{only} ORDER BY updated_at DESC LIMIT ?1 OFFSET ?2"
        ))?;
        let seqs = stmt
            .query_map(&with_site(vec![&limit, &offset], &site)[..], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        (seqs, total, false)
    } else if !long.is_empty() {
        let fts = long
            .iter()
            .map(|t| fts_phrase(t))
            .collect::<Vec<_>>()
            .join(" ");
        let filter = name_filter(0);
        // The site is the last argument: ?4 after the page's limit and offset, ?2 in the count.
        let from = |site_arg: usize| {
            format!(
                "FROM customer_fts f JOIN customers c ON c.seq = f.rowid WHERE customer_fts MATCH ?1{filter}{}",
                site_clause(site, site_arg)
            )
        };
        let seqs = query_seqs(
            conn,
            &format!(
                "SELECT f.rowid {} ORDER BY bm25(customer_fts, 10.0, 6.0, 6.0, 1.0) LIMIT ?2 OFFSET ?3",
                from(4)
            ),
            &fts,
            site,
            limit,
            offset,
        )?;
        let (total, capped) = capped_count(conn, &format!("SELECT 1 {}", from(2)), &fts, site)?;
        (seqs, total, capped)
    } else {
        let filter = name_filter(1);
        let from = |site_arg: usize| {
            if filter.is_empty() && site.is_none() {
                "FROM name_grams g WHERE g.gram = ?1".to_owned()
            } else {
                format!(
                    "FROM name_grams g JOIN customers c ON c.seq = g.customer_seq WHERE g.gram = ?1{filter}{}",
                    site_clause(site, site_arg)
                )
            }
        };
        let seqs = query_seqs(
            conn,
            &format!(
                "SELECT g.customer_seq {} ORDER BY g.rank, g.customer_seq DESC LIMIT ?2 OFFSET ?3",
                from(4)
            ),
            short[0],
            site,
            limit,
            offset,
        )?;
        let (total, capped) = capped_count(conn, &format!("SELECT 1 {}", from(2)), short[0], site)?;
        (seqs, total, capped)
    };
    Ok((seqs, total, capped))
}

/// Quotes a search term as an SQL string literal (terms are user input; this keeps the
/// statement text closed even though it varies with the number of terms).
fn sql_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''").replace(['%', '_'], ""))
}

/// ` AND +c.site_id = ?n` when the list is narrowed to one site (the statement then joins
/// `customers c`), nothing otherwise: the statements of the unfiltered search stay as they
/// were, plan and all.
///
/// The unary `+` keeps SQLite from driving the search with the `customers_site` index: it
/// would take every customer of the site and look each up in the search index (0.3–0.4 s for
/// a 1–4 character query over a site of a million), where the matches of the search index,
/// ranked, each checked for its site, take well under a millisecond.
fn site_clause(site: Option<&str>, n: usize) -> String {
    match site {
        Some(_) => format!(" AND +c.site_id = ?{n}"),
        None => String::new(),
    }
}

/// A statement's arguments, then the site when there is one (see [`site_clause`]).
fn with_site<'a>(mut args: Vec<&'a dyn ToSql>, site: &'a Option<&str>) -> Vec<&'a dyn ToSql> {
    if let Some(s) = site {
        args.push(s);
    }
    args
}

fn query_seqs(
    conn: &Connection,
    sql: &str,
    arg: &str,
    site: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(&with_site(vec![&arg, &limit, &offset], &site)[..], |r| {
        r.get(0)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn capped_count(
    conn: &Connection,
    select: &str,
    arg: &str,
    site: Option<&str>,
) -> Result<(i64, bool)> {
    let n: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM ({select} LIMIT {})",
            COUNT_CAP + 1
        ))?
        .query_row(&with_site(vec![&arg], &site)[..], |r| r.get(0))?;
    Ok((n.min(COUNT_CAP), n > COUNT_CAP))
}

fn hit(conn: &Connection, seq: i64) -> Result<Option<SearchHit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.kind, c.name,
                (SELECT phone FROM contacts WHERE customer_id = c.id ORDER BY position LIMIT 1),
                (SELECT city FROM addresses WHERE customer_id = c.id ORDER BY position LIMIT 1),
                (SELECT group_concat(serial, ' ') FROM (SELECT serial FROM units WHERE customer_id = c.id ORDER BY created_at LIMIT 3)),
                coalesce(s.code, ''), coalesce(s.name, '')
         FROM customers c LEFT JOIN sites s ON s.id = c.site_id WHERE c.seq = ?1",
    )?;
    let hit = stmt
        .query_row([seq], |r| {
            let serials: Option<String> = r.get(5)?;
            Ok(SearchHit {
                customer_id: r.get(0)?,
                kind: CustomerKind::parse(&r.get::<_, String>(1)?),
                name: r.get(2)?,
                phone: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                city: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                serials: serials
                    .map(|s| s.split(' ').map(str::to_owned).collect())
                    .unwrap_or_default(),
                site_code: r.get(6)?,
                site_name: r.get(7)?,
            })
        })
        .optional()?;
    Ok(hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_rank_whole_prefix_inside_contact() {
        let doc = Doc {
            name: "张伟".into(),
            contact_names: vec!["李伟明".into()],
            ..Doc::default()
        };
        let g = grams(&doc);
        assert_eq!(g["张伟"], 0, "the whole name");
        assert_eq!(g["张"], 1, "a prefix");
        assert_eq!(g["伟"], 2, "inside the name beats the contact's 伟");
        assert_eq!(g["伟明"], 3, "only in a contact's name");
        assert!(!g.contains_key("张伟明"), "only 1–2 character fragments");
    }

    #[test]
    fn phone_like_queries_become_digits() {
        assert_eq!(normalise(" 138-1234 5678 "), vec!["13812345678"]);
        assert_eq!(normalise("张 伟"), vec!["张", "伟"]);
    }
}
