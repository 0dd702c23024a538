//! Issued paperwork: gapless numbering per site, form and year; issuing (render the PDF, store
//! the data it was rendered from, the bytes and their SHA-256); revisions; voiding; reprint;
//! and scans of signed paper checked against the QR code printed on them.
//!
//! An issued row is a fact. The core never updates one except to void it, and SQL triggers
//! (migration 0003) refuse any other change and any delete, whatever code runs against the file.

use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::error::{Error, Result, Rule};
use crate::forms::{self, FormData, Header};
use crate::scan::{self, ScanFormat};
use crate::users::Permission;
use crate::validate::Issues;
use crate::{new_id, Ctx, Desk};

/// The form codes printed in document numbers (`SH01-PX-2026-000123`). Forms still to come
/// (requisition slip, scrap request, complaint forms…) add a variant and a code here; the
/// database stores the code as text, so no migration is needed for a new form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FormCode {
    /// 工单 — the work order's own number.
    WorkOrder,
    /// 派遣书
    DispatchSlip,
    /// 回执单
    AcceptanceReceipt,
    /// 销售退货单
    ReturnNote,
    /// 配件领用单
    RequisitionSlip,
    /// 盘点表
    CountSheet,
    /// 配件报废申请单
    ScrapRequest,
    /// 报废处置记录
    DisposalRecord,
    /// 调拨 — parts sent to another site (a reference, not a printed form yet).
    Transfer,
    /// 投诉 — the complaint's own number.
    Complaint,
    /// 顾客意见登记单
    ComplaintRegistration,
    /// 顾客信息处理单
    ComplaintHandling,
}

impl FormCode {
    pub const ALL: [FormCode; 12] = [
        FormCode::WorkOrder,
        FormCode::DispatchSlip,
        FormCode::AcceptanceReceipt,
        FormCode::ReturnNote,
        FormCode::RequisitionSlip,
        FormCode::CountSheet,
        FormCode::ScrapRequest,
        FormCode::DisposalRecord,
        FormCode::Transfer,
        FormCode::Complaint,
        FormCode::ComplaintRegistration,
        FormCode::ComplaintHandling,
    ];

    /// The two letters in the number: pinyin initials, as Chinese paper forms are coded.
    pub fn code(self) -> &'static str {
        match self {
            FormCode::WorkOrder => "GD",
            FormCode::DispatchSlip => "PX",
            FormCode::AcceptanceReceipt => "HZ",
            FormCode::ReturnNote => "TH",
            FormCode::RequisitionSlip => "LY",
            FormCode::CountSheet => "PD",
            FormCode::ScrapRequest => "BF",
            FormCode::DisposalRecord => "XH",
            FormCode::Transfer => "DB",
            FormCode::Complaint => "TS",
            FormCode::ComplaintRegistration => "YJ",
            FormCode::ComplaintHandling => "CL",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FormCode::WorkOrder => "work_order",
            FormCode::DispatchSlip => "dispatch_slip",
            FormCode::AcceptanceReceipt => "acceptance_receipt",
            FormCode::ReturnNote => "return_note",
            FormCode::RequisitionSlip => "requisition_slip",
            FormCode::CountSheet => "count_sheet",
            FormCode::ScrapRequest => "scrap_request",
            FormCode::DisposalRecord => "disposal_record",
            FormCode::Transfer => "transfer",
            FormCode::Complaint => "complaint",
            FormCode::ComplaintRegistration => "complaint_registration",
            FormCode::ComplaintHandling => "complaint_handling",
        }
    }

    fn parse(s: &str) -> FormCode {
        FormCode::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .unwrap_or(FormCode::WorkOrder)
    }

    fn of(form: &FormData) -> FormCode {
        match form {
            FormData::DispatchSlip(_) => FormCode::DispatchSlip,
            FormData::AcceptanceReceipt(_) => FormCode::AcceptanceReceipt,
            FormData::ReturnNote(_) => FormCode::ReturnNote,
            FormData::RequisitionSlip(_) => FormCode::RequisitionSlip,
            FormData::CountSheet(_) => FormCode::CountSheet,
            FormData::ScrapRequest(_) => FormCode::ScrapRequest,
            FormData::DisposalRecord(_) => FormCode::DisposalRecord,
            FormData::ComplaintRegistration(_) => FormCode::ComplaintRegistration,
            FormData::ComplaintHandling(_) => FormCode::ComplaintHandling,
        }
    }
}

/// Takes the next number of `form` for this site and year. Must run inside the transaction
/// that stores what the number is for: the counter and the record commit or vanish together,
/// and the IMMEDIATE transaction serialises concurrent issuers, threads or processes alike.
pub(crate) fn next_number(
    tx: &Connection,
    site_id: &str,
    site_code: &str,
    form: FormCode,
    year: i32,
) -> Result<String> {
    let seq: i64 = tx.query_row(
        "INSERT INTO document_sequences (site_id, form, year, last) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (site_id, form, year) DO UPDATE SET last = last + 1
         RETURNING last",
        params![site_id, form.code(), year],
        |r| r.get(0),
    )?;
    Ok(format!("{site_code}-{}-{year}-{seq:06}", form.code()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DocumentStatus {
    Issued,
    Void,
}

/// An issued document as lists show it; the bytes are fetched separately ([`pdf`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Document {
    pub id: String,
    pub site_id: String,
    pub form: FormCode,
    pub number: String,
    pub revision: i64,
    pub work_order_id: Option<String>,
    pub sha256: String,
    pub size: i64,
    pub signed: bool,
    pub issued_at: String,
    pub issued_by: String,
    pub issued_by_name: String,
    pub status: DocumentStatus,
    pub void_reason: String,
    pub voided_at: Option<String>,
    /// A later revision of the same number exists: this one is kept for the record only.
    pub superseded: bool,
    /// Scans of the signed paper attached to this revision.
    pub scans: Vec<ScanInfo>,
}

const COLUMNS: &str = "d.id, d.site_id, d.form, d.number, d.revision, d.work_order_id, d.sha256, length(d.pdf), d.signed,
    d.issued_at, d.issued_by, coalesce(u.display_name, d.issued_by), d.status, d.void_reason, d.voided_at,
    EXISTS (SELECT 1 FROM documents n WHERE n.number = d.number AND n.revision > d.revision)";

fn from_row(r: &Row) -> rusqlite::Result<Document> {
    Ok(Document {
        id: r.get(0)?,
        site_id: r.get(1)?,
        form: FormCode::parse(&r.get::<_, String>(2)?),
        number: r.get(3)?,
        revision: r.get(4)?,
        work_order_id: r.get(5)?,
        sha256: r.get(6)?,
        size: r.get(7)?,
        signed: r.get(8)?,
        issued_at: r.get(9)?,
        issued_by: r.get(10)?,
        issued_by_name: r.get(11)?,
        status: if r.get::<_, String>(12)? == "void" {
            DocumentStatus::Void
        } else {
            DocumentStatus::Issued
        },
        void_reason: r.get(13)?,
        voided_at: r.get(14)?,
        superseded: r.get(15)?,
        scans: Vec::new(),
    })
}

fn with_scans(conn: &Connection, mut doc: Document) -> Result<Document> {
    doc.scans = scans_in(conn, &doc.id)?;
    Ok(doc)
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<Document> {
    let doc = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM documents d LEFT JOIN users u ON u.id = d.issued_by WHERE d.id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "document",
            id: id.to_owned(),
        })?;
    with_scans(conn, doc)
}

pub fn get(desk: &Desk, id: &str) -> Result<Document> {
    desk.require(Permission::ViewArchive)?;
    get_in(desk.conn(), id)
}

/// Every revision of every document of a work order, newest first.
pub(crate) fn list_for_work_order_in(
    conn: &Connection,
    work_order_id: &str,
) -> Result<Vec<Document>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM documents d LEFT JOIN users u ON u.id = d.issued_by
         WHERE d.work_order_id = ?1 ORDER BY d.issued_at DESC, d.revision DESC"
    ))?;
    let docs = stmt
        .query_map([work_order_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    docs.into_iter().map(|d| with_scans(conn, d)).collect()
}

/// Every revision of a subject's documents of `form` (a complaint's forms…), oldest first.
pub(crate) fn list_for_subject_in(
    conn: &Connection,
    subject_id: &str,
    form: FormCode,
) -> Result<Vec<Document>> {
    let docs = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM documents d LEFT JOIN users u ON u.id = d.issued_by
             WHERE d.subject_id = ?1 AND d.form = ?2 ORDER BY d.issued_at, d.revision"
        ))?
        .query_map(params![subject_id, form.as_str()], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    docs.into_iter().map(|d| with_scans(conn, d)).collect()
}

/// The current revision of a subject's document of `form` (a work order's receipt, a
/// requisition's slip…): the newest one not voided.
pub(crate) fn current_in(
    conn: &Connection,
    subject_id: &str,
    form: FormCode,
) -> Result<Option<(Document, FormData)>> {
    let row = conn
        .query_row(
            &format!(
                "SELECT {COLUMNS}, d.payload FROM documents d LEFT JOIN users u ON u.id = d.issued_by
                 WHERE d.subject_id = ?1 AND d.form = ?2 AND d.status = 'issued'
                 ORDER BY d.issued_at DESC, d.revision DESC LIMIT 1"
            ),
            params![subject_id, form.as_str()],
            |r| Ok((from_row(r)?, r.get::<_, String>(16)?)),
        )
        .optional()?;
    let Some((doc, payload)) = row else {
        return Ok(None);
    };
    let data: FormData = serde_json::from_str(&payload)
        .map_err(|e| Error::Corrupt(format!("document {} payload: {e}", doc.id)))?;
    Ok(Some((with_scans(conn, doc)?, data)))
}

/// What [`issue_in`] did.
pub(crate) enum Issued {
    New(Document),
    /// The data is the same as the current revision's: nothing was issued, that one stands.
    Unchanged(Document),
}

impl Issued {
    pub(crate) fn document(&self) -> &Document {
        match self {
            Issued::New(d) | Issued::Unchanged(d) => d,
        }
    }
}

/// Issues `form` for a subject (a work order, a requisition, a stocktake…; `work_order_id` too
/// when the paper belongs to a work order): the next revision of the subject's current
/// document of that form if there is one (same number), otherwise a new number. The header (number, revision, site,
/// issuer, time) is filled in here, so callers only describe the content. Issuing identical
/// content again is not a new revision: paper that says the same thing keeps its revision.
pub(crate) fn issue_in(
    tx: &Connection,
    ctx: &Ctx,
    subject_id: &str,
    work_order_id: Option<&str>,
    mut form: FormData,
) -> Result<Issued> {
    let code = FormCode::of(&form);
    let current = current_in(tx, subject_id, code)?;
    if let Some((doc, old)) = &current {
        let mut candidate = form.clone();
        *candidate.header_mut() = old.header().clone();
        if &candidate == old {
            return Ok(Issued::Unchanged(doc.clone()));
        }
    }
    let site = crate::site::get_local(tx)?.ok_or(Error::NotSetUp)?;
    let (number, revision) = match &current {
        Some((doc, _)) => (doc.number.clone(), doc.revision + 1),
        None => (
            next_number(tx, &site.id, &site.code, code, ctx.today.year())?,
            1,
        ),
    };
    let issuer: String = tx
        .query_row(
            "SELECT display_name FROM users WHERE id = ?1",
            [&ctx.actor.user_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| ctx.actor.user_id.clone());
    *form.header_mut() = Header {
        number: number.clone(),
        revision,
        site_code: site.code.clone(),
        site_name: site.name.clone(),
        site_hotline: site.hotline.clone(),
        issued_at: ctx.local_now_text(),
        issued_by: issuer,
    };
    let signed = matches!(&form, FormData::AcceptanceReceipt(r) if r.signature.is_some());
    let pdf = forms::render(&form)?;
    let sha = hex(&Sha256::digest(&pdf));
    let payload = serde_json::to_string(&form).expect("form data serialises to JSON");
    let id = new_id();
    tx.execute(
        "INSERT INTO documents (id, site_id, form, number, revision, work_order_id, subject_id, payload, pdf, sha256, signed,
                                issued_at, issued_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![id, ctx.actor.site_id, code.as_str(), number, revision, work_order_id, subject_id, payload, pdf, sha, signed,
                ctx.now_text(), ctx.actor.user_id],
    )?;
    let doc = get_in(tx, &id)?;
    // The log carries what was issued and its hash; the bytes stay in the documents table.
    audit::record(
        tx,
        ctx,
        "documents",
        &id,
        Action::Insert,
        &serde_json::json!({ "document": &doc, "payload": &form }),
    )?;
    Ok(Issued::New(doc))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    // Hashed per row on import (hundreds of thousands): no formatting machinery per byte.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// The stored bytes of an issued document, exactly as issued: a reprint is the same paper.
pub fn pdf(desk: &Desk, id: &str) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    desk.conn()
        .query_row("SELECT pdf FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "document",
            id: id.to_owned(),
        })
}

/// The data a document was rendered from, as stored at issue.
pub fn payload(desk: &Desk, id: &str) -> Result<FormData> {
    desk.require(Permission::ViewArchive)?;
    let text: String = desk
        .conn()
        .query_row("SELECT payload FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "document",
            id: id.to_owned(),
        })?;
    serde_json::from_str(&text).map_err(|e| Error::Corrupt(format!("document {id} payload: {e}")))
}

/// A suggested file name for saving: the number and revision, which is what people search by.
pub fn file_name(doc: &Document) -> String {
    format!("{}-R{}.pdf", doc.number, doc.revision)
}

/// Voids one revision with a reason. The number stays on record (void), is never reused, and
/// the paper can still be reprinted, marked void in the list.
pub fn void(desk: &mut Desk, id: &str, reason: &str) -> Result<Document> {
    let mut issues = Issues::default();
    let reason = issues.text("reason", reason, true, 200);
    issues.finish()?;
    let doc = get(desk, id)?;
    let perm = match doc.form {
        FormCode::ReturnNote => Permission::ApproveReturns,
        FormCode::AcceptanceReceipt => Permission::RecordWork,
        _ => Permission::Dispatch,
    };
    desk.write(perm, |tx, ctx| {
        let n = tx.execute(
            "UPDATE documents SET status = 'void', void_reason = ?1, voided_at = ?2, voided_by = ?3
             WHERE id = ?4 AND status = 'issued'",
            params![reason, ctx.now_text(), ctx.actor.user_id, id],
        )?;
        if n == 0 {
            return Err(Error::invalid("reason", Rule::AlreadyVoid));
        }
        let doc = get_in(tx, id)?;
        audit::record(tx, ctx, "documents", id, Action::Update, &doc)?;
        if let Some(wo) = &doc.work_order_id {
            crate::work_orders::log_document_event(tx, ctx, wo, "document_voided", &doc, &reason)?;
        }
        Ok(doc)
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScanInfo {
    pub id: String,
    pub document_id: String,
    pub file_name: String,
    pub format: ScanFormat,
    pub size: i64,
    pub sha256: String,
    /// What the QR codes on the scan said.
    pub qr_texts: Vec<String>,
    /// One of them is this document's number.
    pub matches: bool,
    pub attached_at: String,
    pub attached_by: String,
}

fn scans_in(conn: &Connection, document_id: &str) -> Result<Vec<ScanInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, document_id, file_name, format, length(bytes), sha256, qr_texts, matches, attached_at, attached_by
         FROM document_scans WHERE document_id = ?1 ORDER BY attached_at",
    )?;
    let rows = stmt.query_map([document_id], |r| {
        Ok(ScanInfo {
            id: r.get(0)?,
            document_id: r.get(1)?,
            file_name: r.get(2)?,
            format: match r.get::<_, String>(3)?.as_str() {
                "png" => ScanFormat::Png,
                "jpeg" => ScanFormat::Jpeg,
                _ => ScanFormat::Pdf,
            },
            size: r.get(4)?,
            sha256: r.get(5)?,
            qr_texts: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
            matches: r.get(7)?,
            attached_at: r.get(8)?,
            attached_by: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Reads the QR codes on a scan and says whether it is this document's paper. Writes nothing:
/// the desk sees the verdict before deciding to attach.
pub fn check_scan(desk: &Desk, document_id: &str, bytes: &[u8]) -> Result<ScanCheck> {
    let doc = get(desk, document_id)?;
    let format = scan::detect(bytes)?;
    let found = scan::qr_texts(bytes)?;
    Ok(ScanCheck {
        matches: found.iter().any(|t| t.trim() == doc.number),
        expected: doc.number,
        found,
        format,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScanCheck {
    pub expected: String,
    pub found: Vec<String>,
    pub matches: bool,
    pub format: ScanFormat,
}

/// Attaches a scan of the signed paper to a document revision. A scan whose QR code is not
/// this document's number is refused with `scan_mismatch` unless the desk confirms it (a
/// smudged code, a photocopy without one), and the verdict is stored with the scan either way.
pub fn attach_scan(
    desk: &mut Desk,
    document_id: &str,
    file_name: &str,
    bytes: &[u8],
    accept_mismatch: bool,
) -> Result<ScanInfo> {
    desk.require(Permission::RecordWork)?;
    let mut issues = Issues::default();
    let file_name = issues.text("fileName", file_name, true, 200);
    issues.finish()?;
    let check = check_scan(desk, document_id, bytes)?;
    let doc = get(desk, document_id)?;
    if doc.status == DocumentStatus::Void {
        return Err(Error::invalid("document", Rule::AlreadyVoid));
    }
    if !check.matches && !accept_mismatch {
        return Err(Error::Validation(vec![crate::error::FieldIssue::new(
            "scan",
            Rule::ScanMismatch,
        )
        .with("expected", &check.expected)
        .with("found", check.found.join(", "))]));
    }
    let format = match check.format {
        ScanFormat::Png => "png",
        ScanFormat::Jpeg => "jpeg",
        ScanFormat::Pdf => "pdf",
    };
    desk.write(Permission::RecordWork, |tx, ctx| {
        let id = new_id();
        let sha = hex(&Sha256::digest(bytes));
        tx.execute(
            "INSERT INTO document_scans (id, site_id, document_id, file_name, format, bytes, sha256, qr_texts, matches, attached_at, attached_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![id, ctx.actor.site_id, document_id, file_name, format, bytes, sha,
                    serde_json::to_string(&check.found).expect("strings serialise"), check.matches,
                    ctx.now_text(), ctx.actor.user_id],
        )?;
        let info = scans_in(tx, document_id)?
            .into_iter()
            .find(|s| s.id == id)
            .expect("the scan was just inserted");
        audit::record(tx, ctx, "document_scans", &id, Action::Insert, &info)?;
        if let Some(wo) = &doc.work_order_id {
            crate::work_orders::log_document_event(tx, ctx, wo, "scan_attached", &doc, &file_name)?;
        }
        Ok(info)
    })
}

/// The bytes of an attached scan, for viewing.
pub fn scan_bytes(desk: &Desk, scan_id: &str) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    desk.conn()
        .query_row(
            "SELECT bytes FROM document_scans WHERE id = ?1",
            [scan_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "scan",
            id: scan_id.to_owned(),
        })
}
