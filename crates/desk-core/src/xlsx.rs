//! Excel (.xlsx) export of every list: customers, work orders, the parts catalog, stock by
//! location, the stock movements, low stock and complaints — each taking the filter its
//! screen uses, and returning the bytes of the file.
//!
//! A sheet holds every row the filter matches, in the screen's order, not just the page on
//! screen (up to Excel's 1,048,575 rows below the header). What a person reads in it:
//! - headers and enum values as words of the chosen language (zh-CN, zh-TW or en), never
//!   the stored codes;
//! - instants as real Excel date cells on the site's wall clock (the database holds UTC),
//!   calendar dates as date cells;
//! - money in yuan (the database holds fen) with a `"¥"#,##0.00` format;
//! - phone numbers as text, so that a leading 0 or `+86` survives and Excel shows no
//!   exponent;
//! - where the database holds several sites' records (HQ, a centre), customers, work orders
//!   and complaints end with the code of the site each came from;
//! - a bold header row, frozen, with an autofilter, and columns as wide as their content
//!   (within bounds); printed on A4 landscape, one page wide, the header on every page.
//!
//! Rows stream to a temporary file as they are written (rust_xlsxwriter's constant-memory
//! mode): a 100k-row export needs a few MB, not hundreds.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use chrono_tz::Tz;
use rusqlite::{params_from_iter, OptionalExtension, Row};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::complaints::{self, ComplaintFilter, ComplaintKind, Department, Reaction, Stage};
use crate::customers::CustomerKind;
use crate::error::{Error, Result};
use crate::parts::{self, MovementFilter, MovementKind};
use crate::site::Language;
use crate::users::Permission;
use crate::work_orders::{self, Channel, Kind, State, WorkOrderFilter};
use crate::{search, Desk};

/// Rows below the header: Excel's sheet holds 1,048,576 rows in all.
pub const MAX_ROWS: u32 = 1_048_575;

/// The longest text a cell holds (UTF-16 units); longer text is cut with an ellipsis.
const MAX_CELL_TEXT: usize = 32_767;

/// A word in zh-CN, zh-TW and en (the UI's catalogs use the same wording).
type Words = [&'static str; 3];

fn pick(language: Language, words: Words) -> &'static str {
    match language {
        Language::ZhCn => words[0],
        Language::ZhTw => words[1],
        Language::En => words[2],
    }
}

/// The lists that export, for the sheet's name and the default file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Customers,
    WorkOrders,
    Parts,
    Stock,
    Movements,
    LowStock,
    Complaints,
}

impl List {
    fn title(self) -> Words {
        match self {
            List::Customers => ["客户", "客戶", "Customers"],
            List::WorkOrders => ["工单", "工單", "Work orders"],
            List::Parts => ["配件目录", "配件目錄", "Parts catalog"],
            List::Stock => ["库存", "庫存", "Stock"],
            List::Movements => ["出入库记录", "出入庫記錄", "Stock movements"],
            List::LowStock => ["库存预警", "庫存預警", "Low stock"],
            List::Complaints => ["投诉", "投訴", "Complaints"],
        }
    }

    /// English file names without spaces: they end up in shell commands and mail.
    fn file_stem(self) -> Words {
        let [cn, tw, _] = self.title();
        let en = match self {
            List::Customers => "customers",
            List::WorkOrders => "work-orders",
            List::Parts => "parts",
            List::Stock => "stock",
            List::Movements => "stock-movements",
            List::LowStock => "low-stock",
            List::Complaints => "complaints",
        };
        [cn, tw, en]
    }
}

/// The name the save dialog proposes: `工单-2026-11-22.xlsx`, `work-orders-2026-11-22.xlsx`.
pub fn file_name(list: List, language: Language, today: NaiveDate) -> String {
    format!(
        "{}-{}.xlsx",
        pick(language, list.file_stem()),
        today.format("%Y-%m-%d")
    )
}

// ---------------------------------------------------------------- the lists

/// Customers as the archive search finds them (`query` empty: all, most recently changed
/// first; `site_id`: only that site's), one row each: the first contact's name and phone, the
/// others in one cell, the first address, every serial.
pub fn customers(
    desk: &Desk,
    query: &str,
    site_id: Option<&str>,
    language: Language,
) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    search::ensure_indexed(desk)?;
    let conn = desk.conn();
    let (seqs, _, _) = search::matching_seqs(conn, query, site_id, MAX_ROWS as i64, 0)?;
    let by_site = several_sites(desk)?;
    let mut cols = vec![
        col(["名称", "名稱", "Name"], 10.0, 40.0),
        col(["类型", "類型", "Kind"], 6.0, 12.0),
        col(["联系人", "聯絡人", "Contact"], 8.0, 20.0),
        col(["电话", "電話", "Phone"], 12.0, 20.0),
        col(["其他联系人", "其他聯絡人", "Other contacts"], 10.0, 40.0),
        col(["城市", "城市", "City"], 6.0, 16.0),
        col(["地址", "地址", "Address"], 12.0, 50.0),
        col(["产品序列号", "產品序號", "Serial numbers"], 12.0, 50.0),
        col(["备注", "備註", "Note"], 8.0, 50.0),
        col(["建档时间", "建檔時間", "Created"], 16.0, 20.0),
        col(["更新时间", "更新時間", "Updated"], 16.0, 20.0),
    ];
    if by_site {
        cols.push(site_col());
    }
    build(desk, language, List::Customers, &cols, |sheet| {
        let mut customer = conn.prepare_cached(
            "SELECT c.id, c.name, c.kind, c.note, c.created_at, c.updated_at,
                    (SELECT group_concat(serial, ', ') FROM
                       (SELECT serial FROM units WHERE customer_id = c.id ORDER BY created_at)),
                    (SELECT code FROM sites WHERE id = c.site_id)
             FROM customers c WHERE c.seq = ?1",
        )?;
        let mut contacts = conn.prepare_cached(
            "SELECT name, phone FROM contacts WHERE customer_id = ?1 ORDER BY position",
        )?;
        let mut address = conn.prepare_cached(
            "SELECT province, city, district, detail FROM addresses WHERE customer_id = ?1
             ORDER BY position LIMIT 1",
        )?;
        for seq in seqs {
            let Some((id, mut cells)) = customer
                .query_row([seq], |r| {
                    let kind = CustomerKind::parse(&r.get::<_, String>(2)?);
                    let mut cells = vec![
                        Cell::Text(r.get(1)?),
                        Cell::Word(pick(language, customer_kind(kind))),
                        Cell::Blank,
                        Cell::Blank,
                        Cell::Blank,
                        Cell::Blank,
                        Cell::Blank,
                        Cell::Text(r.get::<_, Option<String>>(6)?.unwrap_or_default()),
                        Cell::Text(r.get(3)?),
                        Cell::Instant(r.get(4)?),
                        Cell::Instant(r.get(5)?),
                    ];
                    if by_site {
                        cells.push(site_cell(r, 7)?);
                    }
                    Ok((r.get::<_, String>(0)?, cells))
                })
                .optional()?
            else {
                continue;
            };
            let people = contacts
                .query_map([&id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if let Some((name, phone)) = people.first() {
                cells[2] = Cell::Text(name.clone());
                cells[3] = Cell::Phone(phone.clone());
            }
            let others = people
                .iter()
                .skip(1)
                .map(|(name, phone)| format!("{name} {phone}").trim().to_owned())
                .collect::<Vec<_>>()
                .join("；");
            cells[4] = Cell::Text(others);
            if let Some((province, city, district, detail)) = address
                .query_row([&id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })
                .optional()?
            {
                // 上海市 is both the province and the city: written once.
                let city_part = if city == province { "" } else { city.as_str() };
                cells[6] = Cell::Text(format!("{province}{city_part}{district}{detail}"));
                cells[5] = Cell::Text(city);
            }
            sheet.push(&cells)?;
        }
        Ok(())
    })
}

/// Work orders as the list filters them, newest first, with the total the customer is
/// charged (parts out of warranty and fees).
pub fn work_orders(desk: &Desk, filter: &WorkOrderFilter, language: Language) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    let (where_, args) = work_orders::filter_sql(desk.time_zone(), filter)?;
    let by_site = several_sites(desk)?;
    let mut cols = vec![
        col(["工单号", "工單號", "Number"], 18.0, 24.0),
        col(["受理时间", "受理時間", "Received"], 16.0, 20.0),
        col(["类型", "類型", "Service"], 6.0, 16.0),
        col(["受理渠道", "受理管道", "Channel"], 6.0, 12.0),
        col(["状态", "狀態", "State"], 8.0, 20.0),
        col(["客户", "客戶", "Customer"], 10.0, 40.0),
        col(["来电号码", "來電號碼", "Caller's phone"], 12.0, 20.0),
        col(["诉求", "訴求", "Request"], 16.0, 60.0),
        col(["预约日期", "預約日期", "Appointment date"], 10.0, 20.0),
        col(["预约时段", "預約時段", "Time window"], 11.0, 14.0),
        col(["服务地址", "服務地址", "Service address"], 12.0, 50.0),
        col(["技术员", "技術員", "Technicians"], 8.0, 30.0),
        col(["负责人", "負責人", "Owner"], 8.0, 20.0),
        col(["应收合计", "應收合計", "Total to charge"], 10.0, 16.0),
    ];
    if by_site {
        cols.push(site_col());
    }
    let conn = desk.conn();
    build(desk, language, List::WorkOrders, &cols, |sheet| {
        let mut stmt = conn.prepare(&format!(
            "SELECT w.number, w.created_at, w.kind, w.channel, w.state, c.name, w.caller_phone, w.description,
                    w.appt_date, w.appt_start, w.appt_end, w.appt_address,
                    (SELECT group_concat(u.display_name, '、') FROM work_order_technicians t
                       JOIN users u ON u.id = t.user_id WHERE t.work_order_id = w.id),
                    coalesce(o.display_name, w.owner_id),
                    (SELECT coalesce(sum(CASE WHEN in_warranty THEN 0 ELSE qty * unit_price_fen END), 0)
                       FROM work_order_parts WHERE work_order_id = w.id)
                  + (SELECT coalesce(sum(amount_fen), 0) FROM work_order_fees WHERE work_order_id = w.id),
                    (SELECT code FROM sites WHERE id = w.site_id)
             FROM work_orders w JOIN customers c ON c.id = w.customer_id LEFT JOIN users o ON o.id = w.owner_id
             {where_} ORDER BY w.created_at DESC LIMIT {MAX_ROWS}"
        ))?;
        let mut rows = stmt.query(params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            let start: Option<String> = r.get(9)?;
            let end: Option<String> = r.get(10)?;
            let window = match (start.as_deref(), end.as_deref()) {
                (Some(s), Some(e)) if !s.is_empty() && !e.is_empty() => format!("{s}–{e}"),
                (Some(s), _) => s.to_owned(),
                _ => String::new(),
            };
            let mut cells = vec![
                Cell::Text(r.get(0)?),
                Cell::Instant(r.get(1)?),
                stored(r, 2, |s| Kind::parse(s).map(|k| pick(language, wo_kind(k))))?,
                stored(r, 3, |s| {
                    Channel::parse(s).map(|c| pick(language, channel(c)))
                })?,
                stored(r, 4, |s| {
                    State::parse(s).map(|v| pick(language, wo_state(v)))
                })?,
                Cell::Text(r.get(5)?),
                Cell::Phone(r.get(6)?),
                Cell::Text(r.get(7)?),
                Cell::Date(r.get(8)?),
                Cell::Text(window),
                Cell::Text(r.get::<_, Option<String>>(11)?.unwrap_or_default()),
                Cell::Text(r.get::<_, Option<String>>(12)?.unwrap_or_default()),
                Cell::Text(r.get(13)?),
                Cell::Money(r.get(14)?),
            ];
            if by_site {
                cells.push(site_cell(r, 15)?);
            }
            sheet.push(&cells)?;
        }
        Ok(())
    })
}

/// The parts catalog as its search finds it (a piece of the code, name or model), by code,
/// with what is on hand in store locations.
pub fn parts(desk: &Desk, query: &str, language: Language) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    let conn = desk.conn();
    let list = parts::list_parts_in(conn, query, MAX_ROWS as i64)?;
    let on_hand: HashMap<String, i64> = conn
        .prepare(
            "SELECT b.part_id, sum(b.qty) FROM stock_balances b
             JOIN stock_locations l ON l.id = b.location_id WHERE l.kind = 'store' GROUP BY b.part_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let cols = [
        col(["编码", "編碼", "Code"], 10.0, 24.0),
        col(["名称", "名稱", "Name"], 10.0, 40.0),
        col(["型号", "型號", "Model"], 8.0, 30.0),
        col(["单位", "單位", "Unit"], 5.0, 8.0),
        col(["单价", "單價", "Price"], 10.0, 16.0),
        col(["保修（月）", "保固（月）", "Warranty (months)"], 6.0, 20.0),
        col(["补货点", "補貨點", "Reorder point"], 6.0, 16.0),
        col(["序列号管理", "序號管理", "Serials"], 6.0, 12.0),
        col(["在库", "在庫", "On hand"], 6.0, 12.0),
        col(["状态", "狀態", "Status"], 6.0, 12.0),
    ];
    build(desk, language, List::Parts, &cols, |sheet| {
        for p in list {
            sheet.push(&[
                Cell::Text(p.code.clone()),
                Cell::Text(p.name),
                Cell::Text(p.model),
                Cell::Text(p.unit),
                Cell::Money(p.price_fen),
                Cell::Int(p.warranty_months),
                Cell::Int(p.reorder_point),
                Cell::Word(pick(language, yes_no(p.serial_tracked))),
                Cell::Int(on_hand.get(&p.id).copied().unwrap_or(0)),
                Cell::Word(pick(
                    language,
                    if p.active {
                        ["在用", "在用", "Active"]
                    } else {
                        ["已停用", "已停用", "Inactive"]
                    },
                )),
            ])?;
        }
        Ok(())
    })
}

/// Stock by location (every location when none is given), with the value at the catalog
/// price.
pub fn stock(desk: &Desk, location_id: Option<&str>, language: Language) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    let rows = parts::stock(desk, location_id.filter(|l| !l.is_empty()))?;
    let cols = [
        col(["库位", "庫位", "Location"], 8.0, 30.0),
        col(["编码", "編碼", "Code"], 10.0, 24.0),
        col(["名称", "名稱", "Name"], 10.0, 40.0),
        col(["型号", "型號", "Model"], 8.0, 30.0),
        col(["单位", "單位", "Unit"], 5.0, 8.0),
        col(["数量", "數量", "Quantity"], 6.0, 12.0),
        col(["单价", "單價", "Price"], 10.0, 16.0),
        col(["金额", "金額", "Value"], 10.0, 18.0),
    ];
    build(desk, language, List::Stock, &cols, |sheet| {
        for r in rows {
            sheet.push(&[
                Cell::Text(r.location_name),
                Cell::Text(r.part.code),
                Cell::Text(r.part.name),
                Cell::Text(r.part.model),
                Cell::Text(r.part.unit),
                Cell::Int(r.qty),
                Cell::Money(r.part.price_fen),
                Cell::Money(r.qty.saturating_mul(r.part.price_fen)),
            ])?;
        }
        Ok(())
    })
}

/// The stock ledger as the movements screen filters it (part, location, kind), newest first.
pub fn movements(desk: &Desk, filter: &MovementFilter, language: Language) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    let (where_, args) = parts::movement_filter_sql(filter);
    let cols = [
        col(["时间", "時間", "Time"], 16.0, 20.0),
        col(["配件编码", "配件編碼", "Part code"], 10.0, 24.0),
        col(["配件名称", "配件名稱", "Part"], 10.0, 40.0),
        col(["库位", "庫位", "Location"], 8.0, 30.0),
        col(["类型", "類型", "Kind"], 6.0, 22.0),
        col(["数量", "數量", "Qty"], 6.0, 10.0),
        col(["序列号", "序號", "Serials"], 10.0, 50.0),
        col(["说明", "說明", "Note"], 10.0, 50.0),
        col(["经办人", "經辦人", "By"], 8.0, 20.0),
    ];
    let conn = desk.conn();
    build(desk, language, List::Movements, &cols, |sheet| {
        let mut stmt = conn.prepare(&format!(
            "SELECT m.at, p.code, p.name, l.name, m.kind, m.qty, m.serials, m.note,
                    coalesce(u.display_name, m.user_id)
             FROM stock_movements m JOIN parts p ON p.id = m.part_id
             JOIN stock_locations l ON l.id = m.location_id LEFT JOIN users u ON u.id = m.user_id
             {where_} ORDER BY m.seq DESC LIMIT {MAX_ROWS}"
        ))?;
        let mut rows = stmt.query(params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            let serials: Vec<String> =
                serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default();
            sheet.push(&[
                Cell::Instant(r.get(0)?),
                Cell::Text(r.get(1)?),
                Cell::Text(r.get(2)?),
                Cell::Text(r.get(3)?),
                stored(r, 4, |s| {
                    MovementKind::parse(s).map(|k| pick(language, movement_kind(k)))
                })?,
                Cell::Int(r.get(5)?),
                Cell::Text(serials.join(", ")),
                Cell::Text(r.get(7)?),
                Cell::Text(r.get(8)?),
            ])?;
        }
        Ok(())
    })
}

/// Parts at or below their reorder point with the purchase suggestion, usage counted over
/// the last `window_days` as on screen.
pub fn low_stock(desk: &Desk, window_days: i64, language: Language) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    let rows = parts::low_stock(desk, window_days)?;
    // The core clamps the window; the header says the one it used.
    let days = rows
        .first()
        .map(|r| r.window_days)
        .unwrap_or(window_days.clamp(7, 730));
    let used = match language {
        Language::ZhCn => format!("近 {days} 天用量"),
        Language::ZhTw => format!("近 {days} 天用量"),
        Language::En => format!("Used in the last {days} days"),
    };
    let cols = [
        col(["编码", "編碼", "Code"], 10.0, 24.0),
        col(["名称", "名稱", "Name"], 10.0, 40.0),
        col(["型号", "型號", "Model"], 8.0, 30.0),
        col(["单位", "單位", "Unit"], 5.0, 8.0),
        col(["在库", "在庫", "On hand"], 6.0, 12.0),
        col(["补货点", "補貨點", "Reorder point"], 6.0, 16.0),
        Col {
            header: Header::Worded(used),
            min: 8.0,
            max: 30.0,
        },
        col(["建议采购", "建議採購", "Suggested order"], 8.0, 18.0),
    ];
    build(desk, language, List::LowStock, &cols, |sheet| {
        for r in rows {
            sheet.push(&[
                Cell::Text(r.part.code),
                Cell::Text(r.part.name),
                Cell::Text(r.part.model),
                Cell::Text(r.part.unit),
                Cell::Int(r.on_hand),
                Cell::Int(r.part.reorder_point),
                Cell::Int(r.used),
                Cell::Int(r.suggested_order),
            ])?;
        }
        Ok(())
    })
}

/// Complaints as the list filters them (text, open or closed, level, kind, days received),
/// newest first.
pub fn complaints(desk: &Desk, filter: &ComplaintFilter, language: Language) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    let (sql, args) = complaints::filter_sql(desk.time_zone(), filter)?;
    let by_site = several_sites(desk)?;
    let mut cols = vec![
        col(["投诉编号", "投訴編號", "Number"], 18.0, 24.0),
        col(["登记时间", "登記時間", "Received"], 16.0, 20.0),
        col(["类型", "類型", "Type"], 6.0, 24.0),
        col(["级别", "級別", "Level"], 8.0, 20.0),
        col(["客户", "客戶", "Customer"], 10.0, 40.0),
        col(["投诉人", "投訴人", "Complainant"], 8.0, 20.0),
        col(
            ["投诉人电话", "投訴人電話", "Complainant's phone"],
            12.0,
            22.0,
        ),
        col(["投诉对象", "投訴對象", "Complaint against"], 10.0, 30.0),
        col(["内容", "內容", "Complaint"], 16.0, 60.0),
        col(["顾客要求", "顧客要求", "Customer's demand"], 10.0, 40.0),
        col(["进度", "進度", "Stage"], 8.0, 24.0),
        col(["暂停中", "暫停中", "Paused"], 6.0, 10.0),
        col(
            ["责任部门", "責任部門", "Responsible department"],
            8.0,
            24.0,
        ),
        col(["负责人", "負責人", "Owner"], 8.0, 20.0),
        col(["期限", "期限", "Due"], 16.0, 20.0),
        col(["结案时间", "結案時間", "Closed"], 16.0, 20.0),
        col(["顾客反应", "顧客反應", "Customer's reaction"], 8.0, 24.0),
    ];
    if by_site {
        cols.push(site_col());
    }
    let conn = desk.conn();
    build(desk, language, List::Complaints, &cols, |sheet| {
        let params: Vec<&dyn rusqlite::ToSql> = args.iter().map(|b| b.as_ref()).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT c.number, c.received_at, c.kind, c.level, cu.name, c.complainant, c.phone, c.object,
                    c.content, c.demand, c.stage, c.paused_since IS NOT NULL, c.department,
                    coalesce(u.display_name, c.owner_id), c.next_due_at, c.closed_at, c.reaction,
                    (SELECT code FROM sites WHERE id = c.site_id)
             {sql} ORDER BY c.received_at DESC LIMIT {MAX_ROWS}"
        ))?;
        let mut rows = stmt.query(&params[..])?;
        while let Some(r) = rows.next()? {
            let level: i64 = r.get(3)?;
            let paused: bool = r.get(11)?;
            let mut cells = vec![
                Cell::Text(r.get(0)?),
                Cell::Instant(r.get(1)?),
                stored(r, 2, |s| {
                    ComplaintKind::parse(s).map(|k| pick(language, complaint_kind(k)))
                })?,
                match complaint_level(level) {
                    Some(w) => Cell::Word(pick(language, w)),
                    None => Cell::Int(level),
                },
                Cell::Text(r.get(4)?),
                Cell::Text(r.get(5)?),
                Cell::Phone(r.get(6)?),
                Cell::Text(r.get(7)?),
                Cell::Text(r.get(8)?),
                Cell::Text(r.get(9)?),
                stored(r, 10, |s| Stage::parse(s).map(|v| pick(language, stage(v))))?,
                if paused {
                    Cell::Word(pick(language, yes_no(true)))
                } else {
                    Cell::Blank
                },
                stored(r, 12, |s| {
                    Department::parse(s).map(|d| pick(language, department(d)))
                })?,
                Cell::Text(r.get(13)?),
                Cell::Instant(r.get(14)?),
                Cell::Instant(r.get(15)?),
                stored(r, 16, |s| {
                    Reaction::parse(s).map(|v| pick(language, reaction(v)))
                })?,
            ];
            if by_site {
                cells.push(site_cell(r, 17)?);
            }
            sheet.push(&cells)?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------- the origin site

/// Whether the database holds more than one site's records (HQ, a centre after an import):
/// the sheets of its records then end with the site each comes from, as the lists show it.
/// A single site's sheets keep their columns.
fn several_sites(desk: &Desk) -> Result<bool> {
    Ok(desk
        .conn()
        .query_row("SELECT count(*) > 1 FROM sites", [], |r| r.get(0))?)
}

fn site_col() -> Col {
    col(["网点", "網點", "Site"], 6.0, 12.0)
}

/// The site code in column `i` (NULL when the site's record never arrived).
fn site_cell(r: &Row, i: usize) -> rusqlite::Result<Cell> {
    Ok(Cell::Text(
        r.get::<_, Option<String>>(i)?.unwrap_or_default(),
    ))
}

// ---------------------------------------------------------------- words

fn yes_no(yes: bool) -> Words {
    if yes {
        ["是", "是", "Yes"]
    } else {
        ["否", "否", "No"]
    }
}

fn customer_kind(k: CustomerKind) -> Words {
    match k {
        CustomerKind::Person => ["个人", "個人", "Person"],
        CustomerKind::Company => ["单位", "單位", "Company"],
    }
}

fn wo_kind(k: Kind) -> Words {
    match k {
        Kind::Consultation => ["咨询", "諮詢", "Consultation"],
        Kind::Installation => ["安装", "安裝", "Installation"],
        Kind::Commissioning => ["调试", "調試", "Commissioning"],
        Kind::Repair => ["维修", "維修", "Repair"],
        Kind::Maintenance => ["保养", "保養", "Maintenance"],
    }
}

fn channel(c: Channel) -> Words {
    match c {
        Channel::Phone => ["电话", "電話", "Phone"],
        Channel::WalkIn => ["到店", "到店", "Walk-in"],
        Channel::Online => ["网上", "網上", "Online"],
        Channel::Email => ["电子邮件", "電子郵件", "Email"],
    }
}

fn wo_state(s: State) -> Words {
    match s {
        State::Received => ["已受理", "已受理", "Received"],
        State::Answered => ["已答复", "已答覆", "Answered"],
        State::Scheduled => ["已预约", "已預約", "Scheduled"],
        State::Dispatched => ["已派工", "已派工", "Dispatched"],
        State::OnSite => ["服务中", "服務中", "On site"],
        State::Completed => ["已完成", "已完成", "Completed"],
        State::AcceptanceFailed => ["验收未通过", "驗收未通過", "Acceptance failed"],
        State::Returned => ["已退货", "已退貨", "Returned"],
        State::Exchanged => ["已换货", "已換貨", "Exchanged"],
        State::Cancelled => ["已取消", "已取消", "Cancelled"],
    }
}

fn movement_kind(k: MovementKind) -> Words {
    match k {
        MovementKind::Receipt => ["检验入库", "檢驗入庫", "Receipt"],
        MovementKind::Issue => ["领用出库", "領用出庫", "Issue"],
        MovementKind::Return => ["退回入库", "退回入庫", "Return"],
        MovementKind::TransferOut => ["调出", "調出", "Transfer out"],
        MovementKind::TransferIn => ["调入", "調入", "Transfer in"],
        MovementKind::Adjustment => ["盘点调整", "盤點調整", "Stocktake adjustment"],
        MovementKind::ScrapOut => ["报废出库", "報廢出庫", "Scrapped"],
        MovementKind::ScrapIn => ["报废件入存放区", "報廢件入存放區", "Into scrap holding"],
        MovementKind::Dispose => ["销毁", "銷毀", "Destroyed"],
        MovementKind::FactoryReturn => ["返厂", "退回原廠", "Returned to factory"],
    }
}

fn complaint_kind(k: ComplaintKind) -> Words {
    match k {
        ComplaintKind::ProductQuality => ["产品质量", "產品品質", "Product quality"],
        ComplaintKind::Service => ["服务", "服務", "Service"],
        ComplaintKind::Proposal => ["建议与意见", "建議與意見", "Proposal or suggestion"],
    }
}

fn complaint_level(level: i64) -> Option<Words> {
    Some(match level {
        1 => ["一级（轻微）", "一級（輕微）", "Level 1 (minor)"],
        2 => ["二级（一般）", "二級（一般）", "Level 2 (medium)"],
        3 => ["三级（严重）", "三級（嚴重）", "Level 3 (serious)"],
        4 => ["四级（紧急）", "四級（緊急）", "Level 4 (urgent)"],
        _ => return None,
    })
}

fn stage(s: Stage) -> Words {
    match s {
        Stage::Recorded => ["已登记", "已登記", "Recorded"],
        Stage::Accepted => ["已受理", "已受理", "Accepted"],
        Stage::Assigned => ["已指派", "已指派", "Assigned"],
        Stage::Investigated => ["已调查", "已調查", "Investigated"],
        Stage::Proposed => ["已提出方案", "已提出方案", "Solution proposed"],
        Stage::CarriedOut => ["已告知落实", "已告知落實", "Carried out"],
        Stage::ResponsibilityDecided => ["已认定责任", "已認定責任", "Responsibility decided"],
        Stage::Closed => ["已结案", "已結案", "Closed"],
        Stage::Invalid => ["无效投诉", "無效投訴", "Invalid"],
    }
}

fn department(d: Department) -> Words {
    match d {
        Department::CustomerService => ["客户服务部", "客戶服務部", "Customer service"],
        Department::Technical => ["技术部", "技術部", "Technical department"],
        Department::Quality => ["质量部", "品質部", "Quality department"],
        Department::Logistics => ["物流部", "物流部", "Logistics"],
        Department::Sales => ["销售部", "銷售部", "Sales"],
        Department::SeniorManagement => ["高层管理", "高層管理", "Senior management"],
    }
}

fn reaction(r: Reaction) -> Words {
    match r {
        Reaction::Satisfied => ["满意", "滿意", "Satisfied"],
        Reaction::Accepted => [
            "基本满意，接受处理",
            "基本滿意，接受處理",
            "Accepts the solution",
        ],
        Reaction::Dissatisfied => ["不满意", "不滿意", "Dissatisfied"],
    }
}

/// A stored code (column `i`, possibly NULL) as its word; a code this version does not know
/// (written by a newer one at another site) is shown as stored rather than dropped.
fn stored(
    r: &Row,
    i: usize,
    word: impl Fn(&str) -> Option<&'static str>,
) -> rusqlite::Result<Cell> {
    Ok(match r.get::<_, Option<String>>(i)? {
        None => Cell::Blank,
        Some(code) => match word(&code) {
            Some(w) => Cell::Word(w),
            None => Cell::Text(code),
        },
    })
}

// ---------------------------------------------------------------- the sheet

/// A column: its header and the bounds of its width, in Excel's character units.
struct Col {
    header: Header,
    min: f64,
    max: f64,
}

/// A header in the three languages, or one already worded (it carries a number).
enum Header {
    Words(Words),
    Worded(String),
}

fn col(header: Words, min: f64, max: f64) -> Col {
    Col {
        header: Header::Words(header),
        min,
        max,
    }
}

impl Col {
    fn header(&self, language: Language) -> &str {
        match &self.header {
            Header::Words(w) => pick(language, *w),
            Header::Worded(s) => s,
        }
    }
}

/// One cell as the sheet writes it.
enum Cell {
    Blank,
    Text(String),
    /// An enum's word in the chosen language.
    Word(&'static str),
    /// Text, even when it is all digits.
    Phone(String),
    Int(i64),
    /// Fen, written as yuan.
    Money(i64),
    /// A stored UTC instant (RFC 3339), written on the site's wall clock.
    Instant(Option<String>),
    /// A stored calendar date (`YYYY-MM-DD`).
    Date(Option<String>),
}

struct Formats {
    header: Format,
    text: Format,
    money: Format,
    instant: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2))
                .set_border_bottom(FormatBorder::Thin),
            // "@": the cell stays text when someone edits it in Excel.
            text: Format::new().set_num_format("@"),
            money: Format::new().set_num_format("\"¥\"#,##0.00"),
            instant: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

/// The rows being written: the next row's number and the widest content of each column.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    formats: &'a Formats,
    tz: Tz,
    rows: u32,
    widths: Vec<f64>,
}

impl Sheet<'_> {
    fn push(&mut self, cells: &[Cell]) -> Result<()> {
        if self.rows >= MAX_ROWS {
            return Ok(());
        }
        self.rows += 1;
        let row = self.rows;
        for (i, cell) in cells.iter().enumerate() {
            let c = i as u16;
            let f = self.formats;
            let width = match cell {
                Cell::Blank => 0.0,
                Cell::Text(s) | Cell::Phone(s) if s.is_empty() => 0.0,
                Cell::Text(s) => {
                    self.ws.write_string(row, c, clip(s))?;
                    text_width(s)
                }
                Cell::Word(s) => {
                    self.ws.write_string(row, c, *s)?;
                    text_width(s)
                }
                Cell::Phone(s) => {
                    self.ws.write_string_with_format(row, c, clip(s), &f.text)?;
                    text_width(s)
                }
                Cell::Int(n) => {
                    self.ws.write_number(row, c, *n as f64)?;
                    n.to_string().len() as f64
                }
                Cell::Money(fen) => {
                    self.ws
                        .write_number_with_format(row, c, *fen as f64 / 100.0, &f.money)?;
                    money_width(*fen)
                }
                Cell::Instant(None) | Cell::Date(None) => 0.0,
                Cell::Instant(Some(s)) => match local(s, self.tz).and_then(excel_instant) {
                    Some(t) => {
                        self.ws.write_datetime_with_format(row, c, t, &f.instant)?;
                        17.0
                    }
                    None => {
                        self.ws.write_string(row, c, clip(s))?;
                        text_width(s)
                    }
                },
                Cell::Date(Some(s)) => match NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .and_then(excel_date)
                {
                    Some(d) => {
                        self.ws.write_datetime_with_format(row, c, d, &f.date)?;
                        11.0
                    }
                    None => {
                        self.ws.write_string(row, c, clip(s))?;
                        text_width(s)
                    }
                },
            };
            if let Some(w) = self.widths.get_mut(i) {
                *w = w.max(width);
            }
        }
        Ok(())
    }
}

/// Writes the header, lets `fill` write the rows, then sizes the columns, freezes the header
/// and puts an autofilter over everything written.
fn build(
    desk: &Desk,
    language: Language,
    list: List,
    cols: &[Col],
    fill: impl FnOnce(&mut Sheet) -> Result<()>,
) -> Result<Vec<u8>> {
    let title = pick(language, list.title());
    let mut workbook = Workbook::new();
    let mut properties = DocProperties::new().set_title(title);
    if let Some(site) = crate::site::get_local(desk.conn())? {
        properties = properties.set_company(&site.name);
    }
    workbook.set_properties(&properties);
    let formats = Formats::new();
    let ws = workbook.add_worksheet_with_constant_memory()?;
    ws.set_name(title)?;
    for (i, col) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, col.header(language), &formats.header)?;
    }
    let mut sheet = Sheet {
        ws,
        formats: &formats,
        tz: desk.time_zone(),
        rows: 0,
        widths: vec![0.0; cols.len()],
    };
    fill(&mut sheet)?;
    let (rows, widths) = (sheet.rows, sheet.widths);
    let ws = workbook.worksheet_from_index(0)?;
    for (i, (col, content)) in cols.iter().zip(widths).enumerate() {
        // Room for the autofilter's drop-down button beside the header.
        let header = text_width(col.header(language)) * 1.1 + 3.0;
        let width = header
            .max(content + 2.0)
            .clamp(col.min, col.max.max(col.min));
        ws.set_column_width(i as u16, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    // Printed: A4 landscape, every column on one page width, the header on every page.
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_gridlines(true)
        .set_footer("&C&P / &N")
        .set_repeat_rows(0, 0)?;
    if !cols.is_empty() {
        ws.autofilter(0, 0, rows, cols.len() as u16 - 1)?;
    }
    Ok(workbook.save_to_buffer()?)
}

impl From<XlsxError> for Error {
    /// Writing to memory fails only for an I/O reason (the temporary file of the streamed
    /// rows); the user can only retry, like any other file error.
    fn from(e: XlsxError) -> Error {
        Error::Io(std::io::Error::other(format!("xlsx: {e}")))
    }
}

/// Text as a cell holds it: at most 32,767 UTF-16 units.
fn clip(s: &str) -> Cow<'_, str> {
    if s.len() <= MAX_CELL_TEXT {
        // UTF-8 is never shorter than UTF-16 in code units.
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut out = String::new();
    for ch in s.chars() {
        units += ch.len_utf16();
        if units > MAX_CELL_TEXT - 1 {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    Cow::Owned(out)
}

/// How wide text shows, in Excel's character units: CJK and full-width characters take two.
/// Only the start is measured; columns are capped well below it anyway.
fn text_width(s: &str) -> f64 {
    s.chars()
        .take(80)
        .map(|c| if is_wide(c) { 2.0 } else { 1.0 })
        .sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// `¥12,345.00`: the digits of the yuan, their separators, the sign and `¥` with the fen.
fn money_width(fen: i64) -> f64 {
    let digits = (fen.unsigned_abs() / 100).to_string().len();
    (digits + (digits - 1) / 3 + 4 + usize::from(fen < 0)) as f64
}

/// A stored UTC instant on the site's wall clock.
fn local(stored: &str, tz: Tz) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| t.with_timezone(&tz).naive_local())
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        d.month() as u8,
        d.day() as u8,
    )
    .ok()
}

/// To the second: the sheet shows minutes, and a filter on a minute still matches.
fn excel_instant(t: NaiveDateTime) -> Option<ExcelDateTime> {
    excel_date(t.date())?
        .and_hms(t.hour() as u16, t.minute() as u8, t.second())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_per_language() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(
            file_name(List::WorkOrders, Language::ZhCn, day),
            "工单-2026-11-22.xlsx"
        );
        assert_eq!(
            file_name(List::WorkOrders, Language::ZhTw, day),
            "工單-2026-11-22.xlsx"
        );
        assert_eq!(
            file_name(List::Movements, Language::En, day),
            "stock-movements-2026-11-22.xlsx"
        );
    }

    #[test]
    fn widths_count_cjk_twice() {
        assert_eq!(text_width("张伟"), 4.0);
        assert_eq!(text_width("ab"), 2.0);
        assert_eq!(text_width("（轻微）"), 8.0);
        assert_eq!(
            money_width(12_345_678),
            "¥123,456.78".chars().count() as f64
        );
        assert_eq!(money_width(5), "¥0.05".chars().count() as f64);
    }

    #[test]
    fn long_text_is_clipped_to_what_a_cell_holds() {
        let long = "投".repeat(40_000);
        let clipped = clip(&long);
        assert_eq!(clipped.encode_utf16().count(), MAX_CELL_TEXT);
        assert!(clipped.ends_with('…'));
        assert!(matches!(clip("短"), Cow::Borrowed(_)));
    }

    #[test]
    fn instants_go_to_the_site_wall_clock() {
        let t = local("2026-11-22T02:00:00.000000Z", chrono_tz::Asia::Shanghai).unwrap();
        assert_eq!(t.to_string(), "2026-11-22 10:00:00");
    }
}
