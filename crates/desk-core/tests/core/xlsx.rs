//! Excel export: every file is read back (calamine for the cells and their styles, the raw
//! sheet XML for the frozen header and the autofilter) and compared with what the list
//! function returns for the same filter.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use desk_core::complaints::{self as cp, ComplaintFilter, ComplaintKind, RegisterInput};
use desk_core::customers::{self, AddressInput, ContactInput, CustomerInput, CustomerKind};
use desk_core::parts::{self, MovementFilter, MovementKind, TransferInput};
use desk_core::search;
use desk_core::site::Language;
use desk_core::users::{self, Role};
use desk_core::work_orders::{self as wo, AcceptanceResult, Channel, State, WorkOrderFilter};
use desk_core::xlsx;
use desk_core::ErrorCode;

use crate::common::*;
use crate::parts::{receive, store};
use crate::work_orders::{appointment, on_site, repair_call, shop, work};

/// A sheet as read back: its name, its cells row by row, its styles and its raw XML.
struct Sheet {
    name: String,
    cells: calamine::Range<Data>,
    styles: calamine::StyleRange,
    xml: String,
}

/// Keeps a produced file for looking at (`target/tmp/xlsx/`), e.g. with
/// `libreoffice --headless --convert-to pdf`.
fn keep(name: &str, bytes: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("xlsx");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn read(bytes: &[u8]) -> Sheet {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a readable .xlsx");
    let names = book.sheet_names();
    assert_eq!(names.len(), 1, "one sheet per list");
    let name = names[0].clone();
    let cells = book.worksheet_range(&name).unwrap();
    let styles = book.worksheet_style(&name).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    Sheet {
        name,
        cells,
        styles,
        xml,
    }
}

impl Sheet {
    fn headers(&self) -> Vec<String> {
        (0..self.cells.width())
            .map(|c| self.text(0, c))
            .collect::<Vec<_>>()
    }

    /// Rows below the header.
    fn rows(&self) -> usize {
        self.cells.height().saturating_sub(1)
    }

    fn col(&self, header: &str) -> usize {
        self.headers()
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("no column {header:?} in {:?}", self.headers()))
    }

    fn cell(&self, row: usize, col: usize) -> &Data {
        self.cells.get((row, col)).unwrap_or(&Data::Empty)
    }

    /// A cell that must be text (a string cell, not a number shown as text).
    fn text(&self, row: usize, col: usize) -> String {
        match self.cell(row, col) {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => panic!("cell ({row}, {col}) should be text, is {other:?}"),
        }
    }

    fn column(&self, header: &str) -> Vec<String> {
        let c = self.col(header);
        (1..=self.rows()).map(|r| self.text(r, c)).collect()
    }

    fn number(&self, row: usize, col: usize) -> f64 {
        match self.cell(row, col) {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            other => panic!("cell ({row}, {col}) should be a number, is {other:?}"),
        }
    }

    fn datetime(&self, row: usize, col: usize) -> chrono::NaiveDateTime {
        match self.cell(row, col) {
            Data::DateTime(d) => d.as_datetime().unwrap(),
            other => panic!("cell ({row}, {col}) should be a date cell, is {other:?}"),
        }
    }

    fn format(&self, row: usize, col: usize) -> String {
        self.styles
            .get((row as u32, col as u32))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    }

    /// The frozen header row and the autofilter over every row written.
    fn assert_frame(&self, columns: usize) {
        assert!(
            self.xml.contains(r#"ySplit="1""#) && self.xml.contains(r#"state="frozen""#),
            "the header row is frozen"
        );
        let last = (b'A' + columns as u8 - 1) as char;
        let range = format!(r#"<autoFilter ref="A1:{last}{}"/>"#, self.rows() + 1);
        assert!(
            self.xml.contains(&range),
            "autofilter {range} over the rows"
        );
        for c in 0..columns {
            let bold = self
                .styles
                .get((0, c as u32))
                .and_then(|s| s.font.as_ref())
                .is_some_and(|f| f.is_bold());
            assert!(bold, "header cell {c} is bold");
        }
        assert!(self.xml.contains("<cols>"), "column widths are set");
    }
}

fn all_orders(desk: &desk_core::Desk, filter: &WorkOrderFilter) -> i64 {
    wo::list(desk, filter).unwrap().total
}

#[test]
fn work_orders_export_every_order_the_filter_matches_not_just_a_page() {
    let mut shop = shop();
    // More than one page (50) of orders, two of them booked, one with parts and fees.
    for i in 0..52 {
        repair_call(&mut shop, &format!("SN-X{i:03}"), "2026-06-01");
    }
    let tech = shop.tech.clone();
    let d = repair_call(&mut shop, "SN-BOOK", "2026-06-01");
    wo::schedule(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        appointment(&[&tech], "09:00", "12:00"),
    )
    .unwrap();
    let d = on_site(&mut shop, "SN-WORK", "2026-06-01");
    wo::record_work(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        work(AcceptanceResult::Passed, true),
    )
    .unwrap();
    let desk = &shop.env.desk;

    let all = WorkOrderFilter::default();
    let bytes = xlsx::work_orders(desk, &all, Language::ZhCn).unwrap();
    keep("工单.xlsx", &bytes);
    let sheet = read(&bytes);
    assert_eq!(sheet.name, "工单");
    assert_eq!(
        sheet.headers(),
        [
            "工单号",
            "受理时间",
            "类型",
            "受理渠道",
            "状态",
            "客户",
            "来电号码",
            "诉求",
            "预约日期",
            "预约时段",
            "服务地址",
            "技术员",
            "负责人",
            "应收合计"
        ]
    );
    assert_eq!(sheet.rows() as i64, all_orders(desk, &all));
    assert_eq!(sheet.rows(), 54, "every order, past the first page of 50");
    sheet.assert_frame(14);

    // The state filter really applies, in the words of the language.
    let scheduled = WorkOrderFilter {
        state: Some(State::Scheduled),
        ..WorkOrderFilter::default()
    };
    let sheet = read(&xlsx::work_orders(desk, &scheduled, Language::ZhCn).unwrap());
    assert_eq!(sheet.rows() as i64, all_orders(desk, &scheduled));
    assert_eq!(sheet.rows(), 1, "only the booked order");
    assert_eq!(sheet.column("状态"), ["已预约"]);
    assert_eq!(sheet.column("预约时段"), ["09:00–12:00"]);
    assert_eq!(
        sheet.datetime(1, sheet.col("预约日期")).date(),
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    );
    assert_eq!(sheet.format(1, sheet.col("预约日期")), "yyyy-mm-dd");
    assert_eq!(sheet.column("技术员"), ["李师傅"]);

    // The order on site: money in yuan with the ¥ format, the received time on the
    // Shanghai wall clock (the test clock reads 02:00 UTC), Chinese text intact, the
    // caller's phone as text.
    let on_site = WorkOrderFilter {
        state: Some(State::OnSite),
        ..WorkOrderFilter::default()
    };
    let sheet = read(&xlsx::work_orders(desk, &on_site, Language::ZhCn).unwrap());
    assert_eq!(sheet.rows(), 1);
    let total = sheet.col("应收合计");
    assert_eq!(
        sheet.number(1, total),
        125.0,
        "a 45.00 part out of warranty and an 80.00 fee"
    );
    assert_eq!(sheet.format(1, total), "\"¥\"#,##0.00");
    let received = sheet.col("受理时间");
    assert_eq!(
        sheet.datetime(1, received).to_string(),
        "2026-11-22 10:00:00"
    );
    assert_eq!(sheet.format(1, received), "yyyy-mm-dd hh:mm");
    assert_eq!(sheet.column("来电号码"), ["13812345678"]);
    assert_eq!(sheet.format(1, sheet.col("来电号码")), "@");
    assert_eq!(
        sheet.column("诉求"),
        ["空调不制冷，室外机有异响，开机十分钟后自动停机。"]
    );
    assert_eq!(sheet.column("类型"), ["维修"]);
    assert_eq!(sheet.column("受理渠道"), ["电话"]);
    assert_eq!(sheet.column("客户"), ["王芳"]);

    // The other languages word the same sheet their way.
    let sheet = read(&xlsx::work_orders(desk, &scheduled, Language::En).unwrap());
    assert_eq!(sheet.name, "Work orders");
    assert_eq!(sheet.headers()[0], "Number");
    assert_eq!(sheet.column("State"), ["Scheduled"]);
    assert_eq!(sheet.column("Service"), ["Repair"]);
    let sheet = read(&xlsx::work_orders(desk, &scheduled, Language::ZhTw).unwrap());
    assert_eq!(sheet.name, "工單");
    assert_eq!(sheet.column("狀態"), ["已預約"]);
}

#[test]
fn an_empty_list_gives_a_sheet_with_only_its_header() {
    let e = env();
    let sheet =
        read(&xlsx::work_orders(&e.desk, &WorkOrderFilter::default(), Language::ZhCn).unwrap());
    assert_eq!(sheet.cells.height(), 1, "the header row only");
    assert_eq!(sheet.headers().len(), 14);
    sheet.assert_frame(14);
    let sheet =
        read(&xlsx::complaints(&e.desk, &ComplaintFilter::default(), Language::En).unwrap());
    assert_eq!(sheet.rows(), 0);
    assert_eq!(sheet.headers()[0], "Number");
    let sheet = read(&xlsx::customers(&e.desk, "nobody", None, Language::ZhTw).unwrap());
    assert_eq!(sheet.rows(), 0);
    assert_eq!(sheet.headers()[0], "名稱");
}

fn contact(name: &str, phone: &str) -> ContactInput {
    ContactInput {
        id: None,
        name: name.into(),
        phone: phone.into(),
        title: String::new(),
    }
}

#[test]
fn customers_export_what_the_archive_search_finds() {
    let mut e = env();
    create_person(&mut e, "张伟", "13812345678");
    create_person(&mut e, "张伟明", "13900001111");
    create_person(&mut e, "李娜", "13700002222");
    customers::create(
        &mut e.desk,
        CustomerInput {
            kind: CustomerKind::Company,
            name: "苏州张伟电器有限公司".into(),
            note: "大客户，月结".into(),
            contacts: vec![
                contact("赵敏", "0512-6523 8888"),
                contact("钱进", "13600003333"),
            ],
            addresses: vec![AddressInput {
                id: None,
                province: "江苏省".into(),
                city: "苏州市".into(),
                district: "工业园区".into(),
                detail: "星湖街 328 号".into(),
            }],
        },
    )
    .unwrap();

    let found = search::search(&e.desk, "张伟", 0, 100).unwrap();
    let bytes = xlsx::customers(&e.desk, "张伟", None, Language::ZhCn).unwrap();
    keep("客户.xlsx", &bytes);
    let sheet = read(&bytes);
    assert_eq!(sheet.name, "客户");
    assert_eq!(
        sheet.rows() as i64,
        found.total,
        "the same matches as the search"
    );
    assert_eq!(sheet.rows(), 3, "张伟, 张伟明 and the company; not 李娜");
    assert_eq!(
        sheet.column("名称"),
        found
            .hits
            .iter()
            .map(|h| h.name.clone())
            .collect::<Vec<_>>(),
        "in the search's order"
    );
    sheet.assert_frame(11);

    let company = sheet
        .column("名称")
        .iter()
        .position(|n| n == "苏州张伟电器有限公司")
        .unwrap()
        + 1;
    assert_eq!(sheet.text(company, sheet.col("类型")), "单位");
    assert_eq!(sheet.text(company, sheet.col("联系人")), "赵敏");
    assert_eq!(
        sheet.text(company, sheet.col("电话")),
        "0512-65238888",
        "a landline keeps its leading 0: phones are text"
    );
    assert_eq!(
        sheet.text(company, sheet.col("其他联系人")),
        "钱进 13600003333"
    );
    assert_eq!(
        sheet.text(company, sheet.col("地址")),
        "江苏省苏州市工业园区星湖街 328 号"
    );
    assert_eq!(sheet.text(company, sheet.col("城市")), "苏州市");
    assert_eq!(sheet.text(company, sheet.col("备注")), "大客户，月结");
    assert_eq!(
        sheet.datetime(company, sheet.col("建档时间")).to_string(),
        "2026-11-22 10:00:00"
    );

    let person = sheet
        .column("名称")
        .iter()
        .position(|n| n == "张伟")
        .unwrap()
        + 1;
    assert_eq!(sheet.text(person, sheet.col("类型")), "个人");
    assert_eq!(sheet.text(person, sheet.col("电话")), "13812345678");
    assert_eq!(
        sheet.text(person, sheet.col("地址")),
        "上海市浦东新区张杨路500号",
        "the province that is also the city is written once"
    );

    // A phone tail finds one customer; an empty query exports the whole archive.
    let sheet = read(&xlsx::customers(&e.desk, "2222", None, Language::En).unwrap());
    assert_eq!(sheet.column("Name"), ["李娜"]);
    assert_eq!(sheet.column("Kind"), ["Person"]);
    let sheet = read(&xlsx::customers(&e.desk, "", None, Language::ZhCn).unwrap());
    assert_eq!(sheet.rows(), 4);
}

fn complaint(kind: ComplaintKind, level: i64, customer_id: &str) -> RegisterInput {
    RegisterInput {
        kind,
        level,
        channel: Channel::Phone,
        customer_id: Some(customer_id.into()),
        new_customer: None,
        unit_id: None,
        work_order_id: None,
        complainant: "陈静".into(),
        phone: "139 1234 5678".into(),
        object: "维修师傅".into(),
        content: "师傅上门迟到两小时，未提前告知，维修后空调仍有噪音。".into(),
        demand: "要求道歉并重新检修。".into(),
    }
}

#[test]
fn complaints_export_with_the_list_filter_applied() {
    let mut e = env();
    let c = create_person(&mut e, "陈静", "13912345678").customer.id;
    for (kind, level) in [
        (ComplaintKind::Service, 1),
        (ComplaintKind::Service, 3),
        (ComplaintKind::ProductQuality, 3),
        (ComplaintKind::Proposal, 2),
        (ComplaintKind::ProductQuality, 4),
    ] {
        cp::register(&mut e.desk, complaint(kind, level, &c)).unwrap();
    }
    let level3 = ComplaintFilter {
        level: Some(3),
        // The screen's page size and position do not limit the export.
        limit: Some(1),
        offset: Some(1),
        ..ComplaintFilter::default()
    };
    let total = cp::list(&e.desk, &level3).unwrap().total;
    let sheet = read(&xlsx::complaints(&e.desk, &level3, Language::ZhCn).unwrap());
    keep(
        "complaints-en.xlsx",
        &xlsx::complaints(&e.desk, &ComplaintFilter::default(), Language::En).unwrap(),
    );
    assert_eq!(sheet.name, "投诉");
    assert_eq!(sheet.rows() as i64, total);
    assert_eq!(sheet.rows(), 2);
    assert_eq!(sheet.column("级别"), ["三级（严重）", "三级（严重）"]);
    let mut kinds = sheet.column("类型");
    kinds.sort();
    assert_eq!(kinds, ["产品质量", "服务"]);
    assert_eq!(sheet.column("进度"), ["已登记", "已登记"]);
    assert_eq!(sheet.column("投诉人电话")[0], "13912345678");
    assert_eq!(
        sheet.column("内容")[0],
        "师傅上门迟到两小时，未提前告知，维修后空调仍有噪音。"
    );
    assert_eq!(
        sheet.datetime(1, sheet.col("登记时间")).to_string(),
        "2026-11-22 10:00:00"
    );
    let due = sheet.col("期限");
    assert!(
        matches!(sheet.cell(1, due), Data::DateTime(_)),
        "the next due time is a date cell"
    );
    assert_eq!(sheet.cell(1, sheet.col("结案时间")), &Data::Empty);
    sheet.assert_frame(17);

    let quality = ComplaintFilter {
        kind: Some(ComplaintKind::ProductQuality),
        text: Some("陈静".into()),
        ..ComplaintFilter::default()
    };
    let sheet = read(&xlsx::complaints(&e.desk, &quality, Language::En).unwrap());
    assert_eq!(
        sheet.rows() as i64,
        cp::list(&e.desk, &quality).unwrap().total
    );
    assert_eq!(sheet.column("Type"), ["Product quality", "Product quality"]);
    let mut levels = sheet.column("Level");
    levels.sort();
    assert_eq!(levels, ["Level 3 (serious)", "Level 4 (urgent)"]);
    assert_eq!(sheet.column("Stage")[0], "Recorded");
}

#[test]
fn parts_catalog_stock_movements_and_low_stock_export() {
    let mut s = store();
    let cap = s.capacitor.id.clone();
    let board = s.board.id.clone();
    receive(&mut s, &cap, 12, &[]);
    receive(&mut s, &board, 2, &["B-1", "B-2"]);
    parts::transfer(
        &mut s.shop.env.desk,
        TransferInput {
            part_id: cap.clone(),
            from_location_id: s.main.id.clone(),
            to_location_id: s.van.id.clone(),
            qty: 4,
            serials: vec![],
            note: "补充服务车".into(),
        },
    )
    .unwrap();
    let desk = &s.shop.env.desk;

    // The catalog, with the search applied, prices in yuan and what is on hand.
    let sheet = read(&xlsx::parts(desk, "主板", Language::ZhCn).unwrap());
    assert_eq!(sheet.name, "配件目录");
    assert_eq!(sheet.rows(), parts::list_parts(desk, "主板").unwrap().len());
    assert_eq!(sheet.column("名称"), ["室外机主板"]);
    let price = sheet.col("单价");
    assert_eq!(sheet.number(1, price), 380.0);
    assert_eq!(sheet.format(1, price), "\"¥\"#,##0.00");
    assert_eq!(sheet.number(1, sheet.col("在库")), 2.0);
    assert_eq!(sheet.column("序列号管理"), ["是"]);
    sheet.assert_frame(10);
    let sheet = read(&xlsx::parts(desk, "", Language::ZhCn).unwrap());
    assert_eq!(sheet.column("编码"), ["CAP-35", "PCB-01"]);
    assert_eq!(
        sheet.number(1, sheet.col("在库")),
        12.0,
        "main and van together"
    );

    // Stock of one location, with its value.
    let sheet = read(&xlsx::stock(desk, Some(&s.van.id), Language::ZhCn).unwrap());
    assert_eq!(
        sheet.rows(),
        parts::stock(desk, Some(&s.van.id)).unwrap().len()
    );
    assert_eq!(sheet.column("库位"), ["一号服务车"]);
    assert_eq!(sheet.number(1, sheet.col("数量")), 4.0);
    assert_eq!(sheet.number(1, sheet.col("金额")), 180.0);
    let sheet = read(&xlsx::stock(desk, None, Language::ZhCn).unwrap());
    assert_eq!(sheet.rows(), 3);

    // Movements filtered by kind; the quantities keep their sign.
    let filter = MovementFilter {
        kind: Some(MovementKind::TransferOut),
        ..MovementFilter::default()
    };
    let sheet = read(&xlsx::movements(desk, &filter, Language::ZhCn).unwrap());
    assert_eq!(sheet.rows(), parts::movements(desk, &filter).unwrap().len());
    assert_eq!(sheet.column("类型"), ["调出"]);
    assert_eq!(sheet.number(1, sheet.col("数量")), -4.0);
    assert_eq!(sheet.column("说明"), ["补充服务车"]);
    assert_eq!(sheet.column("经办人"), ["管理员"]);
    assert_eq!(
        sheet.datetime(1, sheet.col("时间")).to_string(),
        "2026-11-22 10:00:00"
    );
    let bytes = xlsx::movements(desk, &MovementFilter::default(), Language::ZhTw).unwrap();
    keep("出入庫記錄.xlsx", &bytes);
    let sheet = read(&xlsx::movements(desk, &MovementFilter::default(), Language::En).unwrap());
    assert_eq!(sheet.rows(), 4, "two receipts, one transfer out and in");
    let mut serials = sheet.column("Serials");
    serials.sort();
    assert_eq!(serials, ["", "", "", "B-1, B-2"]);

    // Low stock: the board (2 on hand) is under its reorder point of 5.
    let low = parts::low_stock(desk, 90).unwrap();
    let sheet = read(&xlsx::low_stock(desk, 90, Language::ZhCn).unwrap());
    assert_eq!(sheet.rows(), low.len());
    assert_eq!(sheet.column("编码"), ["PCB-01"]);
    assert_eq!(sheet.headers()[6], "近 90 天用量");
    assert_eq!(
        sheet.number(1, sheet.col("建议采购")),
        low[0].suggested_order as f64
    );
}

#[test]
fn everyone_who_sees_the_lists_may_export_them_and_nobody_else() {
    let mut e = env();
    e.sign_in_as(Role::Technician);
    assert!(xlsx::work_orders(&e.desk, &WorkOrderFilter::default(), Language::ZhCn).is_ok());
    users::sign_out(&mut e.desk);
    let refused = xlsx::complaints(&e.desk, &ComplaintFilter::default(), Language::ZhCn)
        .expect_err("signed out");
    assert_eq!(refused.code(), ErrorCode::Unauthenticated);
}

#[test]
fn a_bad_date_in_the_filter_is_refused_like_on_screen() {
    let e = env();
    let bad = WorkOrderFilter {
        date_from: Some("2026-13-01".into()),
        ..WorkOrderFilter::default()
    };
    let err = xlsx::work_orders(&e.desk, &bad, Language::ZhCn).unwrap_err();
    assert_eq!(
        issues(err),
        [("dateFrom".to_owned(), desk_core::Rule::InvalidDate)]
    );
}

#[test]
fn sheets_take_the_site_filter_like_the_lists() {
    let net = crate::sites::network();
    let desk = &net.centre.desk;
    let sorted = crate::sites::sorted;
    for code in crate::sites::SITES {
        let made = &net.made[code];
        let site_id = Some(net.id(code));
        let orders = WorkOrderFilter {
            site_id: site_id.clone(),
            ..WorkOrderFilter::default()
        };
        let sheet = read(&xlsx::work_orders(desk, &orders, Language::ZhCn).unwrap());
        assert_eq!(
            sorted(sheet.column("工单号")),
            sorted(made.orders.clone()),
            "{code}: the sheet holds that site's orders, as the list does"
        );
        assert_eq!(
            sheet.headers().last().map(String::as_str),
            Some("网点"),
            "several sites here: the last column says where each record comes from"
        );
        assert!(sheet.column("网点").iter().all(|c| c == code));
        let complaints = ComplaintFilter {
            site_id: site_id.clone(),
            ..ComplaintFilter::default()
        };
        let sheet = read(&xlsx::complaints(desk, &complaints, Language::ZhCn).unwrap());
        assert_eq!(
            sorted(sheet.column("投诉编号")),
            sorted(made.complaints.clone())
        );
        assert!(sheet.column("网点").iter().all(|c| c == code));
        for query in ["", "王"] {
            let bytes = xlsx::customers(desk, query, site_id.as_deref(), Language::ZhCn).unwrap();
            let sheet = read(&bytes);
            assert_eq!(
                sorted(sheet.column("名称")),
                sorted(made.customers.clone()),
                "{code}, query {query:?}"
            );
            assert!(sheet.column("网点").iter().all(|c| c == code));
        }
    }
    // No site: every site's records; an unknown one: the header only.
    let all = read(&xlsx::work_orders(desk, &WorkOrderFilter::default(), Language::En).unwrap());
    assert_eq!(all.rows(), 6);
    all.assert_frame(15);
    assert_eq!(
        sorted(all.column("Site")),
        ["A01", "A01", "A01", "B01", "SH01", "SH01"]
    );
    assert_eq!(
        read(&xlsx::customers(desk, "", None, Language::ZhCn).unwrap()).rows(),
        6
    );
    let unknown = Some("no-such-site".to_owned());
    let none = WorkOrderFilter {
        site_id: unknown.clone(),
        ..WorkOrderFilter::default()
    };
    assert_eq!(
        read(&xlsx::work_orders(desk, &none, Language::ZhCn).unwrap()).rows(),
        0
    );
    let none = ComplaintFilter {
        site_id: unknown.clone(),
        ..ComplaintFilter::default()
    };
    assert_eq!(
        read(&xlsx::complaints(desk, &none, Language::ZhCn).unwrap()).rows(),
        0
    );
    assert_eq!(
        read(&xlsx::customers(desk, "", unknown.as_deref(), Language::ZhCn).unwrap()).rows(),
        0
    );
}
