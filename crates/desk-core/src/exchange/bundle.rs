//! The bundle file: one zip with `manifest.json` (format version, site, range, counts and the
//! SHA-256 of every other entry), `manifest.sha256` (the manifest's own checksum), one JSON
//! Lines file per table and the files (PDFs, scans, attachments, photos).
//!
//! Reading treats the file as hostile: names, sizes, compression ratios, duplicates, links
//! and every checksum are checked before anything is returned — so an import touches the
//! database only with a bundle known to be whole. Its lines are parsed table by table as the
//! import applies them, inside its transaction: a malformed one rolls everything back.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Seek, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zip::write::SimpleFileOptions;

use super::tables::{self, Row};
use crate::error::{Error, FieldIssue, Result, Rule};

pub const FORMAT: &str = "after-sales-desk/exchange";
pub const FORMAT_VERSION: i64 = 1;

/// Limits for reading a bundle: generous for a year of a centre's data, far below what would
/// exhaust a desk PC.
pub const MAX_ENTRIES: usize = 200_000;
pub const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Uncompressed ÷ compressed, for entries big enough to matter (JSON compresses ~10–20×).
pub const MAX_RATIO: u64 = 200;
const RATIO_FLOOR: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "BundleSite")]
pub struct SiteRef {
    pub id: String,
    pub code: String,
    pub name: String,
    pub tier: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryDigest {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format: String,
    pub format_version: i64,
    pub app_version: String,
    /// `data` (records going up) or `policy` (settings coming down).
    pub kind: String,
    pub site: SiteRef,
    /// The site code it was made for; empty for a full export to anyone.
    pub destination: String,
    pub full: bool,
    pub seq_from: i64,
    pub seq_to: i64,
    pub created_at: String,
    pub created_by: String,
    /// Rows per table.
    pub counts: BTreeMap<String, i64>,
    /// Calendar years replaced as a whole by this bundle.
    #[serde(default)]
    pub calendar_years: Vec<i32>,
    pub entries: Vec<EntryDigest>,
}

/// A bundle read and verified.
pub struct Bundle {
    pub manifest: Manifest,
    pub sha256: String,
    /// Table → its JSON Lines, checked to be UTF-8 ([`Bundle::sort_entries`]); parsed one
    /// table at a time while the import applies it ([`Bundle::parse_table`]), so that only one
    /// table's rows are in memory at once. Taken out as it is parsed.
    pub(crate) tables: std::cell::RefCell<BTreeMap<String, String>>,
    pub files: BTreeMap<String, Vec<u8>>,
    /// Entries verified but not yet sorted into tables and files.
    pub(crate) raw: BTreeMap<String, Vec<u8>>,
}

/// One table's rows, parsed.
pub(crate) struct TableRows {
    pub rows: Vec<Row>,
    /// `row_hash` of each row, for the tables whose records are compared with local ones.
    pub hashes: Vec<String>,
}

fn bad(rule: Rule, detail: impl ToString) -> Error {
    Error::Validation(vec![
        FieldIssue::new("file", rule).with("detail", detail.to_string())
    ])
}

/// Writes the bundle; returns the manifest's SHA-256, which names the bundle (an import
/// recognises a bundle it applied already by it).
pub fn write(
    manifest: &mut Manifest,
    tables: &[(String, Vec<u8>)],
    files: &[(String, Vec<u8>)],
    out: impl Write + Seek,
) -> Result<String> {
    let mut zip = zip::ZipWriter::new(out);
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6));
    // PDFs, photos and scans are compressed already.
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    manifest.entries.clear();
    for (name, bytes) in tables {
        zip.start_file(name, opts).map_err(zip_err)?;
        zip.write_all(bytes)?;
        manifest.entries.push(digest(name, bytes));
    }
    for (name, bytes) in files {
        zip.start_file(name, stored).map_err(zip_err)?;
        zip.write_all(bytes)?;
        manifest.entries.push(digest(name, bytes));
    }
    let json = serde_json::to_vec_pretty(manifest).expect("the manifest serialises");
    zip.start_file("manifest.json", opts).map_err(zip_err)?;
    zip.write_all(&json)?;
    let sha = tables::hex(&Sha256::digest(&json));
    zip.start_file("manifest.sha256", opts).map_err(zip_err)?;
    zip.write_all(sha.as_bytes())?;
    zip.finish().map_err(zip_err)?;
    Ok(sha)
}

fn digest(name: &str, bytes: &[u8]) -> EntryDigest {
    EntryDigest {
        name: name.to_owned(),
        size: bytes.len() as u64,
        sha256: tables::hex(&Sha256::digest(bytes)),
    }
}

fn zip_err(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::Io(io),
        other => bad(Rule::UnreadableFile, other),
    }
}

/// A safe entry name: relative, forward slashes, no `..`, plain characters only.
fn name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains("//")
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

/// Reads and verifies a bundle. Errors are validation errors on the field `file` with a
/// rule (`unreadable_file`, `unsupported_file`, `too_large`, `checksum_mismatch`…) and a
/// `detail` naming the entry.
pub fn read(bytes: &[u8]) -> Result<Bundle> {
    read_from(Cursor::new(bytes), bytes.len() as u64)
}

/// How many entries the zip's end record says the central directory holds (None when it
/// cannot tell: no end record, or a ZIP64 count).
fn declared_entries(src: &mut (impl Read + Seek), file_len: u64) -> Option<usize> {
    let tail = file_len.min(22 + 65_535);
    src.seek(std::io::SeekFrom::End(-(tail as i64))).ok()?;
    let mut buf = vec![0u8; tail as usize];
    src.read_exact(&mut buf).ok()?;
    src.seek(std::io::SeekFrom::Start(0)).ok()?;
    let at = buf.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let total = u16::from_le_bytes([*buf.get(at + 10)?, *buf.get(at + 11)?]);
    (total != u16::MAX).then_some(total as usize)
}

/// Verifies a bundle and parses every line of every table (what an import does, without a
/// database): for tools and tests.
pub fn read_from(src: impl Read + Seek, file_len: u64) -> Result<Bundle> {
    let mut b = verify_from(src, file_len)?;
    b.sort_entries()?;
    let names: Vec<String> = b.tables.borrow().keys().cloned().collect();
    for name in names {
        b.parse_table(&name)?;
    }
    Ok(b)
}

/// Everything but parsing the rows: names, sizes, ratios, duplicates, links, the manifest and
/// every checksum. Enough to know a bundle is whole and which one it is.
pub fn verify_from(mut src: impl Read + Seek, file_len: u64) -> Result<Bundle> {
    let declared = declared_entries(&mut src, file_len);
    let mut zip = zip::ZipArchive::new(src).map_err(|e| bad(Rule::UnreadableFile, e))?;
    // The reader keeps one entry per name: more entries declared than read means a name
    // appears twice (a later entry could otherwise shadow a checked one).
    if declared.is_some_and(|n| n != zip.len()) {
        return Err(bad(Rule::Duplicate, "an entry name appears twice"));
    }
    if zip.len() > MAX_ENTRIES {
        return Err(bad(Rule::TooLarge, format!("{} entries", zip.len())));
    }
    let mut seen = BTreeSet::new();
    let mut total = 0u64;
    let mut raw: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| bad(Rule::UnreadableFile, e))?;
        let name = entry
            .name()
            .map_err(|e| bad(Rule::UnsupportedFile, format!("entry {i}: {e}")))?
            .into_owned();
        if !name_ok(&name) {
            return Err(bad(Rule::UnsupportedFile, format!("entry name {name:?}")));
        }
        if entry.is_dir() || entry.is_symlink() {
            return Err(bad(
                Rule::UnsupportedFile,
                format!("{name} is not a plain file"),
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(bad(Rule::Duplicate, name));
        }
        let declared = entry.size();
        let packed = entry.compressed_size().max(1);
        if declared > MAX_ENTRY_BYTES {
            return Err(bad(Rule::TooLarge, format!("{name}: {declared} bytes")));
        }
        if declared > RATIO_FLOOR && declared / packed > MAX_RATIO {
            return Err(bad(
                Rule::TooLarge,
                format!("{name}: compression ratio {}", declared / packed),
            ));
        }
        total += declared;
        if total > MAX_TOTAL_BYTES
            || total > file_len.saturating_mul(MAX_RATIO).max(RATIO_FLOOR * 4)
        {
            return Err(bad(Rule::TooLarge, "total size"));
        }
        // Never trust the declared size: read at most one byte more than it says.
        let mut buf = Vec::with_capacity(declared.min(64 * 1024 * 1024) as usize);
        (&mut entry)
            .take(declared + 1)
            .read_to_end(&mut buf)
            .map_err(|e| bad(Rule::UnreadableFile, format!("{name}: {e}")))?;
        if buf.len() as u64 != declared {
            return Err(bad(
                Rule::UnreadableFile,
                format!("{name}: size differs from its header"),
            ));
        }
        raw.insert(name, buf);
    }
    let manifest_bytes = raw
        .remove("manifest.json")
        .ok_or_else(|| bad(Rule::UnsupportedFile, "no manifest.json"))?;
    let manifest_sum = raw
        .remove("manifest.sha256")
        .ok_or_else(|| bad(Rule::UnsupportedFile, "no manifest.sha256"))?;
    let sha = tables::hex(&Sha256::digest(&manifest_bytes));
    if String::from_utf8_lossy(&manifest_sum).trim() != sha {
        return Err(bad(Rule::ChecksumMismatch, "manifest.json"));
    }
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| bad(Rule::UnreadableFile, format!("manifest.json: {e}")))?;
    if manifest.format != FORMAT {
        return Err(bad(
            Rule::UnsupportedFile,
            format!("format {:?}", manifest.format),
        ));
    }
    if manifest.format_version != FORMAT_VERSION {
        return Err(Error::Validation(vec![FieldIssue::new(
            "file",
            Rule::UnsupportedVersion,
        )
        .with("found", manifest.format_version)
        .with("supported", FORMAT_VERSION)]));
    }
    if !matches!(manifest.kind.as_str(), "data" | "policy") {
        return Err(bad(
            Rule::UnsupportedFile,
            format!("kind {:?}", manifest.kind),
        ));
    }
    // Every entry listed, every listed entry present, every checksum right.
    let listed: BTreeSet<&str> = manifest.entries.iter().map(|e| e.name.as_str()).collect();
    if listed.len() != manifest.entries.len() {
        return Err(bad(
            Rule::Duplicate,
            "an entry listed twice in the manifest",
        ));
    }
    for name in raw.keys() {
        if !listed.contains(name.as_str()) {
            return Err(bad(
                Rule::UnsupportedFile,
                format!("{name} is not in the manifest"),
            ));
        }
    }
    for e in &manifest.entries {
        let bytes = raw
            .get(&e.name)
            .ok_or_else(|| bad(Rule::UnreadableFile, format!("{} is missing", e.name)))?;
        if bytes.len() as u64 != e.size || tables::hex(&Sha256::digest(bytes)) != e.sha256 {
            return Err(bad(Rule::ChecksumMismatch, &e.name));
        }
    }
    Ok(Bundle {
        manifest,
        sha256: sha,
        tables: Default::default(),
        files: BTreeMap::new(),
        raw,
    })
}

impl Bundle {
    /// Sorts the verified entries into tables (known ones, UTF-8) and files; anything else is
    /// refused. Cheap: nothing is parsed yet.
    pub fn sort_entries(&mut self) -> Result<()> {
        for (name, bytes) in std::mem::take(&mut self.raw) {
            if let Some(table) = name
                .strip_prefix("tables/")
                .and_then(|n| n.strip_suffix(".jsonl"))
            {
                let t = tables::table(table)
                    .ok_or_else(|| bad(Rule::UnsupportedFile, format!("unknown table {table}")))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| bad(Rule::UnreadableFile, format!("{name}: not UTF-8")))?;
                self.tables.get_mut().insert(t.name.to_owned(), text);
            } else if name.starts_with("files/") {
                self.files.insert(name, bytes);
            } else {
                return Err(bad(Rule::UnsupportedFile, format!("entry {name}")));
            }
        }
        for (table, n) in &self.manifest.counts {
            if *n > 0 && !self.tables.get_mut().contains_key(table) {
                return Err(bad(
                    Rule::UnreadableFile,
                    format!("tables/{table}.jsonl is missing"),
                ));
            }
        }
        Ok(())
    }

    /// Rows in the bundle, all tables (as the manifest counts them).
    pub(crate) fn total_rows(&self) -> i64 {
        self.tables
            .borrow()
            .keys()
            .filter_map(|t| self.manifest.counts.get(t))
            .sum()
    }

    /// Parses every line of one table (each reported with its line on error) on every core,
    /// in jobs of about a megabyte of whole lines, with the content hash of each record that
    /// may meet a local version. `None`: the bundle has no such table (or it was parsed
    /// already: its text is let go once parsed).
    pub(crate) fn parse_table(&self, table: &str) -> Result<Option<TableRows>> {
        let Some(text) = self.tables.borrow_mut().remove(table) else {
            return Ok(None);
        };
        let text = text.as_str();
        let t = tables::table(table)
            .ok_or_else(|| bad(Rule::UnsupportedFile, format!("unknown table {table}")))?;
        let name = format!("tables/{table}.jsonl");
        const CHUNK: usize = 1 << 20;
        let mut jobs = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let mut end = (start + CHUNK).min(text.len());
            end = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
            jobs.push((start, &text[start..end]));
            start = end;
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(8)
            .min(jobs.len().max(1));
        type Job = std::result::Result<TableRows, (usize, String)>;
        let mut done: Vec<Option<Job>> = (0..jobs.len()).map(|_| None).collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    s.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some((_, text)) = jobs.get(j) else {
                                return out;
                            };
                            out.push((j, parse_lines(t, text)));
                        }
                    })
                })
                .collect();
            for h in handles {
                for (j, r) in h.join().unwrap_or_default() {
                    done[j] = Some(r);
                }
            }
        });
        let mut all = TableRows {
            rows: Vec::new(),
            hashes: Vec::new(),
        };
        for ((start, _), r) in jobs.iter().zip(done) {
            match r {
                Some(Ok(p)) => {
                    all.rows.extend(p.rows);
                    all.hashes.extend(p.hashes);
                }
                Some(Err((line, e))) => {
                    // The line in the whole file: the lines of the chunks before this one.
                    let line = text[..*start].matches('\n').count() + line;
                    return Err(Error::Validation(vec![FieldIssue::new(
                        "file",
                        Rule::UnreadableFile,
                    )
                    .with("detail", format!("{name} line {line}: {e}"))
                    .with("line", line)]));
                }
                None => return Err(bad(Rule::UnreadableFile, format!("{name}: not parsed"))),
            }
        }
        let expected = self.manifest.counts.get(table).copied().unwrap_or(-1);
        if expected != all.rows.len() as i64 {
            return Err(bad(Rule::ChecksumMismatch, format!("{name}: row count")));
        }
        Ok(Some(all))
    }
}

/// Parses whole lines; an error carries its line number within `text` (from 1).
fn parse_lines(t: &tables::Table, text: &str) -> std::result::Result<TableRows, (usize, String)> {
    let hashed = t.kind == tables::Kind::Mutable;
    let mut out = TableRows {
        rows: Vec::new(),
        hashes: Vec::new(),
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(line).map_err(|e| (i + 1, e.to_string()))?;
        if t.key.iter().any(|k| !row.contains_key(*k)) {
            return Err((i + 1, "no key".into()));
        }
        if hashed {
            out.hashes.push(tables::row_hash(&row));
        }
        out.rows.push(row);
    }
    Ok(out)
}
