//! The printed forms, checked with the tools a reader of the PDF would use: qpdf for the file
//! structure, pdffonts for the embedded subset font, pdftotext for the Chinese text layer,
//! pdftoppm + zbarimg for the QR code as printed, pdfinfo for the page count.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use desk_core::forms::{
    self, AcceptanceReceipt, DispatchSlip, FeeLine, FormData, Header, PartLine, Party, ReturnKind,
    ReturnNote, ServiceKind, Signature,
};
use desk_core::ErrorCode;
use rstest::rstest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// Long Chinese text in every free-text field.
    Long,
    /// Enough lines (40 parts, a long list of things to bring, a long claim) for two pages.
    Many,
    /// No parts or fees, optional fields empty.
    Empty,
}

const NUMBER: &str = "SH01-PX-2026-000123";
const CUSTOMER: &str = "上海浦东新区张杨路物业管理有限公司";

fn header(number: &str) -> Header {
    Header {
        number: number.into(),
        revision: 1,
        site_code: "SH01".into(),
        site_name: "上海浦东服务中心".into(),
        site_hotline: "400-820-8820".into(),
        issued_at: "2026-11-22 14:05".into(),
        issued_by: "王芳".into(),
    }
}

fn long(sentence: &str, times: usize) -> String {
    sentence.repeat(times)
}

fn party(v: Variant) -> Party {
    match v {
        Variant::Empty => Party {
            customer_name: "李明".into(),
            contact_name: String::new(),
            contact_phone: "13812345678".into(),
            address: String::new(),
            product: String::new(),
            serial: String::new(),
            purchase_date: None,
            warranty: "购买日期不详".into(),
        },
        _ => Party {
            customer_name: CUSTOMER.into(),
            contact_name: "张建国（物业工程部主管，工作日 9:00–18:00 可联系）".into(),
            contact_phone: "021-58881234 转 8021，13812345678".into(),
            address: "上海市浦东新区张杨路1234弄56号789室（世纪大道地铁站4号口出，向东步行约300米，小区北门进入后左转第二幢），门卫处需登记".into(),
            product: "海尔 KFR-35GW/BP2DN1Y-PA400(B3) 变频壁挂式空调".into(),
            serial: "BA0Z6KE0A00QPB8N1234".into(),
            purchase_date: NaiveDate::from_ymd_opt(2025, 3, 1),
            warranty: "保修期内（整机保修至 2027-03-01，压缩机保修至 2035-03-01），凭购买发票与保修卡享受免费上门服务".into(),
        },
    }
}

const FAULT: &str = "客户反映空调制冷效果差，开机约二十分钟后室内机显示故障代码E4，外机运行时噪音明显且伴有异常震动，";

fn fault(v: Variant) -> String {
    match v {
        Variant::Empty => "不制冷".into(),
        _ => long(FAULT, 3) + "需上门检测。",
    }
}

fn dispatch(v: Variant) -> DispatchSlip {
    let text = |s: &str, n| match v {
        Variant::Empty => String::new(),
        _ => long(s, n),
    };
    DispatchSlip {
        header: header(NUMBER),
        work_order_number: "SH01-WO-2026-004567".into(),
        party: party(v),
        service: ServiceKind::Repair,
        fault_description: fault(v),
        appointment: "2026-11-23 09:00–12:00".into(),
        technicians: match v {
            Variant::Empty => vec![],
            _ => vec!["赵师傅".into(), "钱师傅".into()],
        },
        bring: match v {
            Variant::Many => (1..=60)
                .map(|i| format!("{i}. 冷媒R32一瓶、压力表、真空泵、检漏仪、电容35μF；"))
                .collect(),
            _ => text("压力表、真空泵、检漏仪、冷媒R32两瓶、室外机电容35μF一个、四通阀线圈一个、铜管与保温棉若干，", 2),
        },
        notes: text("客户家中有老人，上门前请提前半小时电话联系；小区不允许外来车辆进入，请停在北门外临时车位。", 2),
        dispatcher: "王芳".into(),
    }
}

fn signature() -> Signature {
    // A loop and a tail, in a 600×200 pad: enough to see that strokes are drawn and scaled.
    let loop_pts = (0..=40)
        .map(|i| {
            let t = i as f32 / 40.0 * std::f32::consts::TAU;
            [200.0 + 60.0 * t.cos(), 100.0 + 40.0 * t.sin()]
        })
        .collect();
    let tail = (0..=20)
        .map(|i| {
            [
                260.0 + i as f32 * 10.0,
                100.0 - (i as f32 * 0.6).sin() * 30.0,
            ]
        })
        .collect();
    Signature {
        width: 600.0,
        height: 200.0,
        strokes: vec![loop_pts, tail, vec![[480.0, 60.0]]],
        signed_at: "2026-11-23 11:42".into(),
        signer: "张建国".into(),
    }
}

fn receipt(v: Variant) -> AcceptanceReceipt {
    let parts: Vec<PartLine> = match v {
        Variant::Empty => vec![],
        Variant::Long => (0..3).map(part).collect(),
        Variant::Many => (0..40).map(part).collect(),
    };
    let fees: Vec<FeeLine> = match v {
        Variant::Empty => vec![],
        _ => vec![
            FeeLine {
                description: "上门服务费（市区）".into(),
                amount_fen: 5_000,
            },
            FeeLine {
                description: "高空作业费（外机位于三楼以上，需使用安全绳及升降设备，按公司收费标准第 4.2 条执行）".into(),
                amount_fen: 12_000,
            },
            FeeLine {
                description: "检测费".into(),
                amount_fen: 3_050,
            },
        ],
    };
    let total_fen = parts.iter().map(|p| p.charged_fen).sum::<i64>()
        + fees.iter().map(|f| f.amount_fen).sum::<i64>();
    AcceptanceReceipt {
        header: header(NUMBER),
        work_order_number: "SH01-WO-2026-004567".into(),
        party: party(v),
        service: ServiceKind::Repair,
        fault_description: fault(v),
        work_done: match v {
            Variant::Empty => String::new(),
            _ => long("检测发现外机电容容量不足、冷媒泄漏，更换电容并对焊接点补焊检漏，抽真空后按铭牌加注冷媒R32，试机三十分钟运行正常，", 3),
        },
        parts,
        fees,
        total_fen,
        passed: v != Variant::Empty,
        usage_instructions_given: v == Variant::Long,
        customer_opinion: match v {
            Variant::Empty => String::new(),
            _ => long("技术员准时上门，态度很好，讲解清楚，更换配件前说明了价格和保修，", 3),
        },
        satisfaction: match v {
            Variant::Empty => None,
            Variant::Long => Some(4),
            Variant::Many => Some(5),
        },
        technicians: match v {
            Variant::Empty => vec![],
            _ => vec!["赵师傅".into(), "钱师傅".into()],
        },
        signature: (v != Variant::Empty).then(signature),
    }
}

fn part(i: usize) -> PartLine {
    let in_warranty = i.is_multiple_of(3);
    let qty = 1 + (i % 2) as i64;
    let unit_price_fen = 3_550 + i as i64 * 1_000;
    PartLine {
        name: if i % 5 == 1 {
            "室外机压缩机启动电容（含固定卡箍与接线端子）".into()
        } else {
            format!("配件{}号 冷凝器风扇电机", i + 1)
        },
        model: format!("CBB65-35μF/450V-{i:02}"),
        qty,
        unit_price_fen,
        in_warranty,
        charged_fen: if in_warranty { 0 } else { qty * unit_price_fen },
        consent: i % 7 != 6,
    }
}

fn return_note(v: Variant) -> ReturnNote {
    let text = |s: &str, n| match v {
        Variant::Empty => String::new(),
        Variant::Long => long(s, n),
        Variant::Many => long(s, n * 8),
    };
    ReturnNote {
        header: header(NUMBER),
        work_order_number: "SH01-WO-2026-004567".into(),
        party: party(v),
        kind: if v == Variant::Long {
            ReturnKind::Exchange
        } else {
            ReturnKind::Return
        },
        reason: match v {
            Variant::Empty => "不制冷".into(),
            _ => fault(v),
        },
        eligibility: text(
            "购买后第 9 天，在 15 天退货期内；发票、保修卡与包装齐全，",
            3,
        ),
        nonconforming_handling: text(
            "整机贴不合格品标识后隔离存放于不合格品区，由质量部在三个工作日内检验并判定责任，",
            3,
        ),
        approver: match v {
            Variant::Empty => String::new(),
            _ => "孙经理".into(),
        },
    }
}

fn form(kind: &str, v: Variant) -> FormData {
    match kind {
        "dispatch" => FormData::DispatchSlip(dispatch(v)),
        "receipt" => FormData::AcceptanceReceipt(receipt(v)),
        "return" => FormData::ReturnNote(return_note(v)),
        other => panic!("no fixture for {other}"),
    }
}

/// The text the test looks for as the fault description.
fn fault_text(f: &FormData) -> &str {
    match f {
        FormData::DispatchSlip(f) => &f.fault_description,
        FormData::AcceptanceReceipt(f) => &f.fault_description,
        FormData::ReturnNote(f) => &f.reason,
        other => panic!("no fault text on {other:?}"),
    }
}

fn customer(f: &FormData) -> &str {
    match f {
        FormData::DispatchSlip(f) => &f.party.customer_name,
        FormData::AcceptanceReceipt(f) => &f.party.customer_name,
        FormData::ReturnNote(f) => &f.party.customer_name,
        other => panic!("no customer on {other:?}"),
    }
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} must be installed (poppler-utils, qpdf, zbar-tools): {e}")
        });
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tool output is UTF-8")
}

/// Text without any whitespace: wrapping breaks lines anywhere, and pdftotext puts spaces
/// and line breaks where the layout had gaps.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pages(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports the page count")
}

struct Checked {
    path: PathBuf,
    pages: usize,
    size: usize,
}

/// Writes the PDF and runs every reader-side check on it.
fn check(dir: &Path, name: &str, form: &FormData, bytes: &[u8]) -> Checked {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap();
    // For looking at the layout: `DESK_FORMS_OUT=/some/dir cargo test -p desk-core forms`.
    if let Some(out) = std::env::var_os("DESK_FORMS_OUT") {
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(Path::new(&out).join(format!("{name}.pdf")), bytes).unwrap();
    }

    let qpdf = run("qpdf", &["--check", p]);
    assert!(
        qpdf.contains("No syntax or stream encoding errors"),
        "{name}: qpdf finds the file damaged:\n{qpdf}"
    );

    let info = run("pdfinfo", &[p]);
    assert!(
        info.contains("(A4)"),
        "{name}: the form is printed on A4:\n{info}"
    );

    let fonts = run("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{name}: the PDF uses no font:\n{fonts}");
    for row in &rows {
        assert!(
            row.contains(forms::FONT_NAME),
            "{name}: every font is the bundled {}:\n{fonts}",
            forms::FONT_NAME
        );
        let cols: Vec<&str> = row.split_whitespace().collect();
        let flags = &cols[cols.len() - 5..cols.len() - 2];
        assert_eq!(
            flags,
            ["yes", "yes", "yes"],
            "{name}: each font must be embedded, subset and have a ToUnicode map (else the \
             file depends on the printer's fonts, is megabytes, or its text cannot be \
             searched):\n{fonts}"
        );
    }

    // -raw keeps content-stream order: each cell's lines in sequence, even beside other cells.
    let text = squash(&run("pdftotext", &["-raw", "-enc", "UTF-8", p, "-"]));
    for (what, expected) in [
        ("customer name", customer(form)),
        ("document number", form.header().number.as_str()),
        ("fault description", fault_text(form)),
    ] {
        assert!(
            text.contains(&squash(expected)),
            "{name}: the text layer lacks the {what} {expected:?}; it is:\n{text}"
        );
    }

    let n = pages(&path);
    assert!(
        text.contains(&format!("第1页/共{n}页")),
        "{name}: the footer numbers the pages (第 1 页 / 共 {n} 页): {text}"
    );

    let png = dir.join(format!("{name}-qr"));
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            p,
            png.to_str().unwrap(),
        ],
    );
    let decoded = run(
        "zbarimg",
        &["--raw", "-q", png.with_extension("png").to_str().unwrap()],
    );
    assert_eq!(
        decoded.trim_end(),
        form.header().number,
        "{name}: the QR code printed on page 1 must scan (150 dpi) as exactly the document number"
    );

    Checked {
        path,
        pages: n,
        size: bytes.len(),
    }
}

#[rstest]
#[case::dispatch_long("dispatch", Variant::Long)]
#[case::dispatch_many("dispatch", Variant::Many)]
#[case::dispatch_empty("dispatch", Variant::Empty)]
#[case::receipt_long("receipt", Variant::Long)]
#[case::receipt_many("receipt", Variant::Many)]
#[case::receipt_empty("receipt", Variant::Empty)]
#[case::return_long("return", Variant::Long)]
#[case::return_many("return", Variant::Many)]
#[case::return_empty("return", Variant::Empty)]
fn form_prints_and_reads_back(#[case] kind: &str, #[case] v: Variant) {
    let dir = tempfile::tempdir().unwrap();
    let form = form(kind, v);
    let bytes = forms::render(&form).expect("the form renders");
    let name = format!("{kind}-{v:?}").to_lowercase();
    let checked = check(dir.path(), &name, &form, &bytes);

    assert_eq!(
        forms::render(&form).unwrap(),
        bytes,
        "{name}: rendering the same form twice must give identical bytes (a reprint is the original)"
    );

    if v == Variant::Many {
        assert!(
            checked.pages >= 2,
            "{name}: this much content must run onto a second page, got {}",
            checked.pages
        );
        let text = squash(&run(
            "pdftotext",
            &["-raw", "-enc", "UTF-8", checked.path.to_str().unwrap(), "-"],
        ));
        assert!(
            text.contains(&format!("第2页/共{}页", checked.pages)),
            "{name}: page 2 carries its number in the footer"
        );
    }
    if v == Variant::Empty {
        assert_eq!(checked.pages, 1, "{name}: an empty form fits on one page");
    }
    if checked.pages == 1 {
        assert!(
            checked.size < 60 * 1024,
            "{name}: a one-page form with a subset font stays under 60 KB, got {} bytes",
            checked.size
        );
    }
}

#[test]
fn the_receipt_table_repeats_its_header_on_the_next_page() {
    let dir = tempfile::tempdir().unwrap();
    let form = form("receipt", Variant::Many);
    let bytes = forms::render(&form).unwrap();
    let path = dir.path().join("receipt.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let p = path.to_str().unwrap();
    let page2 = squash(&run("pdftotext", &["-raw", "-f", "2", "-l", "2", p, "-"]));
    assert!(
        page2.contains("序号配件名称型号数量单价保内/保外收费金额客户同意"),
        "the parts table continues on page 2 under its header row: {page2}"
    );
    assert!(
        page2.contains("产品维修回执单（续）"),
        "page 2 says which form it continues: {page2}"
    );
    let all = squash(&run("pdftotext", &["-raw", p, "-"]));
    for i in [1, 20, 40] {
        let name = squash(&part(i - 1).name);
        assert!(
            all.contains(&name),
            "part line {i} ({name}) is printed somewhere"
        );
    }
    let AcceptanceReceipt { total_fen, .. } = receipt(Variant::Many);
    assert!(
        all.contains(&squash(&desk_core::forms::layout::yuan(total_fen))),
        "the grand total is printed"
    );
    assert!(
        all.contains(&desk_core::forms::layout::yuan_in_words(total_fen)),
        "the grand total is printed in Chinese capitals"
    );
}

#[test]
fn titles_follow_the_service_kind() {
    let dir = tempfile::tempdir().unwrap();
    for (service, dispatch_title, receipt_title) in [
        (
            ServiceKind::Installation,
            "产品调试派遣书",
            "产品调试回执单",
        ),
        (
            ServiceKind::Commissioning,
            "产品调试派遣书",
            "产品调试回执单",
        ),
        (ServiceKind::Repair, "产品维修派遣书", "产品维修回执单"),
        (ServiceKind::Maintenance, "产品维修派遣书", "产品维修回执单"),
    ] {
        let mut d = dispatch(Variant::Empty);
        d.service = service;
        let mut r = receipt(Variant::Empty);
        r.service = service;
        for (form, title) in [
            (FormData::DispatchSlip(d), dispatch_title),
            (FormData::AcceptanceReceipt(r), receipt_title),
        ] {
            let path = dir.path().join("t.pdf");
            std::fs::write(&path, forms::render(&form).unwrap()).unwrap();
            let text = squash(&run("pdftotext", &["-raw", path.to_str().unwrap(), "-"]));
            assert!(
                text.contains(title),
                "{service:?} is printed as {title}: {text}"
            );
        }
    }
}

#[test]
fn unprintable_characters_are_listed_and_printed_as_placeholders() {
    assert!(
        forms::missing_glyphs(&form("receipt", Variant::Many)).is_empty(),
        "ordinary form text must be fully printable"
    );
    let mut r = receipt(Variant::Empty);
    r.party.customer_name = "李明😀".into();
    r.customer_opinion = "很好\u{E000}".into();
    let form = FormData::AcceptanceReceipt(r);
    assert_eq!(
        forms::missing_glyphs(&form),
        vec!['\u{E000}', '😀'],
        "characters the font lacks are reported so the desk can warn before issuing"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.pdf");
    std::fs::write(&path, forms::render(&form).unwrap()).unwrap();
    let text = run("pdftotext", &["-raw", path.to_str().unwrap(), "-"]);
    assert!(
        text.contains("李明〓"),
        "an unprintable character is printed as 〓, not silently as an empty box: {text}"
    );
}

#[test]
fn a_receipt_whose_total_disagrees_with_its_lines_is_refused() {
    let mut r = receipt(Variant::Long);
    r.total_fen += 1;
    let err = forms::render(&FormData::AcceptanceReceipt(r)).unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::Storage,
        "a render failure reaches the UI as a storage-class error: {err}"
    );
    assert!(
        err.to_string().contains("total"),
        "the message names the total: {err}"
    );
}

#[test]
fn different_revisions_are_different_files() {
    let a = form("return", Variant::Long);
    let mut b = a.clone();
    b.header_mut().revision = 2;
    assert_ne!(
        forms::render(&a).unwrap(),
        forms::render(&b).unwrap(),
        "a new revision must not be byte-identical to the old one"
    );
}
