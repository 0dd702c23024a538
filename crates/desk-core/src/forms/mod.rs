//! The printed paperwork: what each form shows (the data structs below, which are also what an
//! issued document stores as "the data it was rendered from") and how it is drawn on A4.
//! Every form is drawn with the primitives in [`layout`] (wrapping, tables, QR, signature box,
//! page numbers, footer), so all forms share one look and one set of tested building blocks.
//! Paper is printed in Simplified Chinese whatever the UI language: it is what the customer and
//! the network's auditors read and sign.

pub mod layout;
mod render;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use render::{missing_glyphs, render, FONT_NAME};

/// What every form carries at its top and bottom. Callers build a form with
/// `Header::default()`: [`crate::documents::issue_in`] fills it in when it issues.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    /// `SH01-PX-2026-000123`; also what the QR code encodes.
    pub number: String,
    /// 1 for the first issue; a correction is issued as the next revision under the same number.
    pub revision: i64,
    pub site_code: String,
    pub site_name: String,
    /// Printed in the footer of every page.
    pub site_hotline: String,
    /// Local date and time at the site, already formatted: `2026-11-22 14:05`.
    pub issued_at: String,
    pub issued_by: String,
}

/// The customer and product block shared by the work-order forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    pub customer_name: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub address: String,
    /// Brand and model, e.g. `海尔 KFR-35GW`; empty when no unit is known yet.
    pub product: String,
    pub serial: String,
    pub purchase_date: Option<NaiveDate>,
    /// Already worded: `保修期内（至 2028-03-01）`, `已过保修期`, `购买日期不详`.
    pub warranty: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ServiceKind {
    Installation,
    Commissioning,
    Repair,
    Maintenance,
}

impl ServiceKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            ServiceKind::Installation => "安装",
            ServiceKind::Commissioning => "调试",
            ServiceKind::Repair => "维修",
            ServiceKind::Maintenance => "保养",
        }
    }
}

/// 产品调试(维修)派遣书 — a technician is sent out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchSlip {
    pub header: Header,
    /// The work order's own number, so the paper leads back to the case.
    pub work_order_number: String,
    pub party: Party,
    pub service: ServiceKind,
    pub fault_description: String,
    /// `2026-11-23 09:00–12:00`
    pub appointment: String,
    pub technicians: Vec<String>,
    /// Tools, materials and parts to bring; free text, may be long.
    pub bring: String,
    pub notes: String,
    pub dispatcher: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartLine {
    pub name: String,
    pub model: String,
    pub qty: i64,
    pub unit_price_fen: i64,
    /// In warranty → free (the charged amount is 0), otherwise qty × price.
    pub in_warranty: bool,
    pub charged_fen: i64,
    /// The customer agreed to the replacement before it was made.
    pub consent: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeeLine {
    pub description: String,
    pub amount_fen: i64,
}

/// A handwritten signature as the pad recorded it: strokes of points in the pad's own
/// coordinate space (origin top-left, y down), scaled into the signature box when drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signature {
    pub width: f32,
    pub height: f32,
    pub strokes: Vec<Vec<[f32; 2]>>,
    /// Local date and time of signing, formatted.
    pub signed_at: String,
    pub signer: String,
}

/// 产品调试回执单 / 产品维修回执单 — the work done, accepted (or not) by the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptanceReceipt {
    pub header: Header,
    pub work_order_number: String,
    pub party: Party,
    pub service: ServiceKind,
    pub fault_description: String,
    pub work_done: String,
    pub parts: Vec<PartLine>,
    pub fees: Vec<FeeLine>,
    /// Sum of the parts' charged amounts and the fee lines.
    pub total_fen: i64,
    pub passed: bool,
    pub usage_instructions_given: bool,
    pub customer_opinion: String,
    /// 1–5, or none when the customer declined to rate.
    pub satisfaction: Option<u8>,
    pub technicians: Vec<String>,
    /// Drawn in the customer's signature box when the receipt is issued as signed.
    pub signature: Option<Signature>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReturnKind {
    Return,
    Exchange,
}

/// 销售退货单 — a failed acceptance or a claim within the return/exchange term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnNote {
    pub header: Header,
    pub work_order_number: String,
    pub party: Party,
    pub kind: ReturnKind,
    pub reason: String,
    /// Already worded by the core: `购买后第 9 天，在 15 天退货期内`.
    pub eligibility: String,
    /// 不合格品处置: what happens to the nonconforming product.
    pub nonconforming_handling: String,
    pub approver: String,
}

/// One line of a parts form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockLine {
    pub code: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub qty: i64,
    /// Serial numbers, for serial-tracked parts.
    pub serials: Vec<String>,
    pub unit_price_fen: i64,
    pub amount_fen: i64,
}

/// An approval as printed: who, in what capacity, when, and what they said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalLine {
    /// 申请人 / 审核部门 / 批准人 …
    pub role: String,
    pub name: String,
    /// Local date and time, formatted; empty while pending.
    pub at: String,
    pub decision: String,
    pub comment: String,
}

/// 配件领用单 — a technician takes parts from stock for a work order, after approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequisitionSlip {
    pub header: Header,
    pub work_order_number: String,
    pub customer_name: String,
    pub location: String,
    pub technician: String,
    pub purpose: String,
    pub lines: Vec<StockLine>,
    pub total_fen: i64,
    pub approvals: Vec<ApprovalLine>,
}

/// One row of a stocktake count sheet: book quantity, and the count when entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountLine {
    pub code: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub book_qty: i64,
    /// None on the blank sheet taken to the shelves.
    pub counted_qty: Option<i64>,
    pub difference: Option<i64>,
    pub reason: String,
}

/// 盘点表 — the count sheet of one location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountSheet {
    pub header: Header,
    pub location: String,
    /// Local date the count was started.
    pub counted_on: String,
    pub lines: Vec<CountLine>,
    pub counter: String,
    pub approvals: Vec<ApprovalLine>,
}

/// 配件报废申请单 — scrapping a damaged or unusable part, through its approval chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScrapRequest {
    pub header: Header,
    pub location: String,
    pub lines: Vec<StockLine>,
    pub total_fen: i64,
    pub reason: String,
    /// How many photos are attached to the request (they are kept with the record).
    pub photos: i64,
    pub applicant: String,
    pub approvals: Vec<ApprovalLine>,
}

/// 报废处置记录 — a batch of held scrap destroyed, with a witness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DisposalRecord {
    pub header: Header,
    pub batch: String,
    pub method: String,
    pub location: String,
    pub lines: Vec<StockLine>,
    pub total_fen: i64,
    /// The scrap requests whose parts are destroyed here.
    pub scrap_numbers: Vec<String>,
    pub disposed_by: String,
    pub witness: String,
}

/// One of the eight steps of a complaint as printed: what was done, by whom, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintStepLine {
    /// 登记 / 判定 / 指派 / 调查 / 方案 / 告知落实 / 责任 / 总结结案, or 暂停 / 升级 …
    pub step: String,
    pub content: String,
    pub by: String,
    /// Local date and time, formatted.
    pub at: String,
}

/// What both complaint forms show at the top: who complained, how, about what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintParty {
    /// The complaint's own number (`SH01-TS-2026-000012`), which every form about it names.
    pub complaint_number: String,
    /// Already worded: 产品质量 / 服务 / 建议与意见.
    pub kind: String,
    /// Already worded: `三级（严重）· 管理层协调`.
    pub level: String,
    /// 电话 / 来访 / 网络 / 邮件.
    pub channel: String,
    /// Local date and time the complaint was received.
    pub received_at: String,
    pub complainant: String,
    pub phone: String,
    pub customer_name: String,
    pub address: String,
    /// What the complaint is against, worded: the product (brand, model, serial), the work
    /// order number, a person or a service — empty when not known.
    pub object: String,
}

/// 顾客意见登记单 — a complaint or opinion as the first receiver registered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintRegistration {
    pub header: Header,
    pub party: ComplaintParty,
    pub content: String,
    /// What the customer asks for.
    pub demand: String,
    /// File names of the attachments kept with the record.
    pub attachments: Vec<String>,
    /// The first receiver, who owns the complaint.
    pub registered_by: String,
    /// The time limits as set at registration, worded: `受理 2026-11-23 10:05 前`…
    pub time_limits: Vec<String>,
}

/// 顾客信息处理单 — the handling of customer feedback, from validity to the verified close.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintHandling {
    pub header: Header,
    pub party: ComplaintParty,
    /// The feedback as registered (content and demand).
    pub feedback: String,
    /// 有效 / 无效（答复：…）
    pub validity: String,
    pub department: String,
    pub cause: String,
    pub measures: String,
    /// How the solution was told to the customer and carried out.
    pub result: String,
    /// The customer's reaction to the solution; empty while not yet recorded.
    pub customer_reaction: String,
    pub responsibility: String,
    pub summary: String,
    /// The recorded steps in order (the eight steps, pauses and escalations).
    pub steps: Vec<ComplaintStepLine>,
    /// Each clock worded: `受理：按时（2026-11-22 15:10）`, `结案：超时 2 小时`.
    pub clocks: Vec<String>,
    pub handler: String,
    /// The management representative who verifies; empty leaves the box for a hand.
    pub verifier: String,
}

/// Every form the app prints, as one type so that documents can store and render any of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "camelCase")]
pub enum FormData {
    DispatchSlip(DispatchSlip),
    AcceptanceReceipt(AcceptanceReceipt),
    ReturnNote(ReturnNote),
    RequisitionSlip(RequisitionSlip),
    CountSheet(CountSheet),
    ScrapRequest(ScrapRequest),
    DisposalRecord(DisposalRecord),
    ComplaintRegistration(ComplaintRegistration),
    ComplaintHandling(ComplaintHandling),
}

impl FormData {
    pub fn header(&self) -> &Header {
        match self {
            FormData::DispatchSlip(f) => &f.header,
            FormData::AcceptanceReceipt(f) => &f.header,
            FormData::ReturnNote(f) => &f.header,
            FormData::RequisitionSlip(f) => &f.header,
            FormData::CountSheet(f) => &f.header,
            FormData::ScrapRequest(f) => &f.header,
            FormData::DisposalRecord(f) => &f.header,
            FormData::ComplaintRegistration(f) => &f.header,
            FormData::ComplaintHandling(f) => &f.header,
        }
    }
    pub fn header_mut(&mut self) -> &mut Header {
        match self {
            FormData::DispatchSlip(f) => &mut f.header,
            FormData::AcceptanceReceipt(f) => &mut f.header,
            FormData::ReturnNote(f) => &mut f.header,
            FormData::RequisitionSlip(f) => &mut f.header,
            FormData::CountSheet(f) => &mut f.header,
            FormData::ScrapRequest(f) => &mut f.header,
            FormData::DisposalRecord(f) => &mut f.header,
            FormData::ComplaintRegistration(f) => &mut f.header,
            FormData::ComplaintHandling(f) => &mut f.header,
        }
    }
}
