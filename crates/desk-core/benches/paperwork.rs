//! `make bench` (paperwork part): rendering each form, issuing a document (number + render +
//! store under synchronous=FULL, in one transaction), and, in the same run, headless Chromium
//! printing an equivalent HTML form for comparison. Forms are rendered from the data of real
//! issued documents, made by walking a work order through the core on a temporary database.
//!
//! BENCH_ROUNDS (default 200) sets the samples; CHROMIUM (default `chromium`) the browser.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use desk_core::catalog::{self, ProductModelInput};
use desk_core::customers::{AddressInput, ContactInput, CustomerInput, CustomerKind};
use desk_core::documents::{self, FormCode};
use desk_core::forms::{self, FormData, ReturnKind};
use desk_core::site::{self, SetupInput, SiteInput, Tier};
use desk_core::units::UnitInput;
use desk_core::users::{self, NewUser, Role};
use desk_core::work_orders::{
    self as wo, AcceptanceResult, AppointmentInput, Channel, FeeInput, IntakeInput, Kind,
    PartInput, ReturnInput, SignatureInput, WorkInput,
};
use desk_core::{Desk, SystemClock};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(label: &str, mut samples: Vec<Duration>, extra: &str) -> Duration {
    samples.sort();
    let p50 = percentile(&samples, 0.5);
    println!(
        "| {label:<40} | {:>5} | {:>8.2} | {:>8.2} | {:>8.2} | {extra}",
        samples.len(),
        ms(p50),
        ms(percentile(&samples, 0.95)),
        ms(*samples.last().unwrap())
    );
    p50
}

struct Bench {
    desk: Desk,
    tech: String,
    customer: String,
    unit: String,
}

fn setup(dir: &Path) -> Bench {
    let mut desk = Desk::open_with_clock(&dir.join("desk.sqlite"), Arc::new(SystemClock)).unwrap();
    site::setup(
        &mut desk,
        SetupInput {
            site: SiteInput {
                code: "BN01".into(),
                name: "基准测试网点".into(),
                tier: Tier::Outlet,
                time_zone: "Asia/Shanghai".into(),
                hotline: "400-820-8820".into(),
            },
            admin: NewUser {
                username: "admin".into(),
                display_name: "管理员".into(),
                role: Role::Admin,
                password: "bench-password".into(),
            },
        },
    )
    .unwrap();
    let tech = users::create(
        &mut desk,
        NewUser {
            username: "jishi".into(),
            display_name: "王建军".into(),
            role: Role::Technician,
            password: "password1".into(),
        },
    )
    .unwrap()
    .id;
    let model = catalog::create(
        &mut desk,
        ProductModelInput {
            brand: "海尔".into(),
            model: "KFR-35GW/01".into(),
            category: "空调".into(),
        },
    )
    .unwrap()
    .id;
    let purchase = (desk.today() - chrono::Days::new(10)).to_string();
    let first = wo::intake(
        &mut desk,
        IntakeInput {
            kind: Kind::Repair,
            channel: Channel::Phone,
            customer_id: None,
            new_customer: Some(CustomerInput {
                kind: CustomerKind::Person,
                name: "王芳".into(),
                note: String::new(),
                contacts: vec![ContactInput {
                    id: None,
                    name: "王芳".into(),
                    phone: "13812345678".into(),
                    title: String::new(),
                }],
                addresses: vec![AddressInput {
                    id: None,
                    province: "上海市".into(),
                    city: "上海市".into(),
                    district: "浦东新区".into(),
                    detail: "张杨路500号时代广场 1201室".into(),
                }],
            }),
            contact_id: None,
            unit_id: None,
            new_unit: Some(UnitInput {
                model_id: model,
                serial: "HR2026A0001".into(),
                purchase_date: Some(purchase),
                seller: "国美电器".into(),
                install_date: None,
                address_id: None,
                note: String::new(),
            }),
            caller_phone: "13812345678".into(),
            description: "空调开机后不制冷，室外机风扇不转，显示屏报 E4 故障代码，客户家中有老人，希望尽快上门。".into(),
        },
    )
    .unwrap();
    Bench {
        desk,
        tech,
        customer: first.order.customer_id,
        unit: first.order.unit_id.unwrap(),
    }
}

fn scheduled(b: &mut Bench) -> (String, i64) {
    let d = wo::intake(
        &mut b.desk,
        IntakeInput {
            kind: Kind::Repair,
            channel: Channel::Phone,
            customer_id: Some(b.customer.clone()),
            new_customer: None,
            contact_id: None,
            unit_id: Some(b.unit.clone()),
            new_unit: None,
            caller_phone: String::new(),
            description: "空调开机后不制冷，室外机风扇不转，显示屏报 E4 故障代码，客户家中有老人，希望尽快上门。".into(),
        },
    )
    .unwrap();
    let tomorrow = (b.desk.today() + chrono::Days::new(1)).to_string();
    let d = wo::schedule(
        &mut b.desk,
        &d.order.id,
        d.order.rev,
        AppointmentInput {
            date: tomorrow,
            start: "09:00".into(),
            end: "12:00".into(),
            address: "上海市浦东新区张杨路500号时代广场 1201室".into(),
            technician_ids: vec![b.tech.clone()],
            bring: "压力表、R32 冷媒、启动电容、万用表".into(),
        },
    )
    .unwrap()
    .detail;
    (d.order.id, d.order.rev)
}

fn work() -> WorkInput {
    WorkInput {
        work_done:
            "检测为启动电容失效导致压缩机无法启动，更换电容并补充冷媒，试机 30 分钟制冷正常。"
                .into(),
        parts: vec![
            PartInput {
                name: "启动电容".into(),
                model: "CBB65 35μF".into(),
                qty: 1,
                unit_price_fen: 4500,
                in_warranty: Some(false),
                consent: true,
                part_id: None,
                new_serial: None,
                faulty_serial: None,
            },
            PartInput {
                name: "R32 冷媒".into(),
                model: "500g".into(),
                qty: 1,
                unit_price_fen: 12000,
                in_warranty: Some(true),
                consent: true,
                part_id: None,
                new_serial: None,
                faulty_serial: None,
            },
        ],
        fees: vec![FeeInput {
            description: "上门维修费".into(),
            amount_fen: 8000,
        }],
        result: Some(AcceptanceResult::Failed),
        instructions_given: true,
        customer_opinion: "师傅很专业，但希望换一台新机。".into(),
        satisfaction: Some(4),
    }
}

fn signature() -> SignatureInput {
    SignatureInput {
        width: 400.0,
        height: 150.0,
        strokes: vec![
            vec![[30.0, 100.0], [70.0, 40.0], [110.0, 110.0], [150.0, 45.0]],
            vec![[190.0, 90.0], [250.0, 70.0], [320.0, 95.0], [360.0, 60.0]],
        ],
        signer: "王芳".into(),
    }
}

/// One of each form, issued for real; returns their stored data.
fn sample_forms(b: &mut Bench) -> Vec<(&'static str, FormData)> {
    let (id, rev) = scheduled(b);
    let d = wo::dispatch(&mut b.desk, &id, rev).unwrap();
    let d = wo::arrive(&mut b.desk, &id, d.order.rev).unwrap();
    let d = wo::record_work(&mut b.desk, &id, d.order.rev, work()).unwrap();
    let d = wo::issue_receipt(&mut b.desk, &id, d.order.rev, Some(signature())).unwrap();
    let d = wo::fail_acceptance(&mut b.desk, &id, d.order.rev).unwrap();
    let d = wo::settle_return(
        &mut b.desk,
        &id,
        d.order.rev,
        ReturnInput {
            kind: ReturnKind::Return,
            reason: "两次维修后仍不制冷，客户要求退货。".into(),
            nonconforming_handling: "整机封存退回工厂检测，按不合格品控制程序处置。".into(),
        },
    )
    .unwrap();
    let payload = |form: FormCode| {
        let doc = d.documents.iter().find(|x| x.form == form).unwrap();
        documents::payload(&b.desk, &doc.id).unwrap()
    };
    vec![
        ("dispatch slip (派遣书)", payload(FormCode::DispatchSlip)),
        (
            "signed acceptance receipt (回执单)",
            payload(FormCode::AcceptanceReceipt),
        ),
        ("return note (销售退货单)", payload(FormCode::ReturnNote)),
    ]
}

/// The dispatch slip as an HTML page of the same content and layout, for Chromium to print.
fn dispatch_slip_html(form: &FormData, font: &Path) -> String {
    let FormData::DispatchSlip(s) = form else {
        panic!("a dispatch slip")
    };
    let row = |a: &str, b: &str, c: &str, d: &str| {
        format!("<tr><th>{a}</th><td>{b}</td><th>{c}</th><td>{d}</td></tr>")
    };
    let p = &s.party;
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@font-face {{ font-family: Noto; src: url("file://{font}"); }}
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: Noto; font-size: 10.5pt; }}
h1 {{ text-align: center; font-size: 18pt; margin: 0 0 4mm; }}
.meta {{ display: flex; justify-content: space-between; margin-bottom: 3mm; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 0.5pt solid #000; padding: 2mm; text-align: left; vertical-align: top; }}
th {{ width: 18%; background: #f2f2f2; font-weight: normal; }}
.sig {{ display: flex; gap: 6mm; margin-top: 6mm; }}
.sig div {{ flex: 1; border: 0.5pt solid #000; height: 25mm; padding: 2mm; }}
footer {{ position: fixed; bottom: 0; width: 100%; text-align: center; font-size: 9pt; }}
</style></head><body>
<h1>产品维修派遣书</h1>
<div class="meta"><span>编号：{number}　第 {rev} 版</span><span>{site}</span><span>签发：{issued}</span></div>
<table>
{r1}{r2}{r3}{r4}{r5}
<tr><th>故障描述</th><td colspan="3">{fault}</td></tr>
{r6}
<tr><th>携带工具/配件</th><td colspan="3">{bring}</td></tr>
</table>
<div class="sig"><div>派工人：{dispatcher}</div><div>客户确认：</div><div>技术员：</div></div>
<footer>{site} 服务热线 {hotline}　第 1 页 / 共 1 页</footer>
</body></html>"#,
        font = font.display(),
        number = s.header.number,
        rev = s.header.revision,
        site = s.header.site_name,
        issued = s.header.issued_at,
        r1 = row("客户", &p.customer_name, "联系人", &p.contact_name),
        r2 = row("电话", &p.contact_phone, "工单号", &s.work_order_number),
        r3 = row("地址", &p.address, "服务类型", s.service.label_zh()),
        r4 = row("产品型号", &p.product, "序列号", &p.serial),
        r5 = row(
            "购买日期",
            &p.purchase_date.map(|d| d.to_string()).unwrap_or_default(),
            "保修状态",
            &p.warranty
        ),
        fault = s.fault_description,
        r6 = row(
            "预约时间",
            &s.appointment,
            "技术员",
            &s.technicians.join("、")
        ),
        bring = s.bring,
        dispatcher = s.dispatcher,
        hotline = s.header.site_hotline,
    )
}

fn chromium(html: &Path, out: &Path) -> Option<Duration> {
    let browser = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let t = Instant::now();
    let status = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", out.display()),
            &format!("file://{}", html.display()),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    status.success().then(|| t.elapsed())
}

fn main() {
    let rounds = env_usize("BENCH_ROUNDS", 200);
    let dir = tempfile::tempdir().unwrap();
    let mut b = setup(dir.path());
    let samples = sample_forms(&mut b);

    println!("\n## Paperwork (release, {rounds} samples each)\n");
    println!("| what | n | p50 ms | p95 ms | max ms | size |");
    println!("|---|---:|---:|---:|---:|---|");
    let mut slip_p50 = Duration::ZERO;
    let mut slip_size = 0;
    for (label, form) in &samples {
        let bytes = forms::render(form).unwrap();
        let times = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(forms::render(form).unwrap());
                t.elapsed()
            })
            .collect();
        let p50 = report(
            &format!("render {label}"),
            times,
            &format!("{:.1} KB", bytes.len() as f64 / 1024.0),
        );
        if matches!(form, FormData::DispatchSlip(_)) {
            slip_p50 = p50;
            slip_size = bytes.len();
        }
    }

    // Issuing: take the number, render, store the bytes and data, log, commit (FULL sync).
    let orders: Vec<_> = (0..rounds).map(|_| scheduled(&mut b)).collect();
    let times = orders
        .iter()
        .map(|(id, rev)| {
            let t = Instant::now();
            wo::dispatch(&mut b.desk, id, *rev).unwrap();
            t.elapsed()
        })
        .collect();
    report(
        "issue a dispatch slip (dispatch)",
        times,
        "number + render + store + commit",
    );

    let font = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSansSC-Regular.ttf");
    let html = dir.path().join("slip.html");
    std::fs::write(&html, dispatch_slip_html(&samples[0].1, &font)).unwrap();
    let out = dir.path().join("slip-chromium.pdf");
    let runs = 5;
    let times: Vec<Duration> = (0..runs).filter_map(|_| chromium(&html, &out)).collect();
    if times.len() == runs {
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        let p50 = report(
            "chromium --headless --print-to-pdf (slip)",
            times,
            &format!("{:.1} KB", size as f64 / 1024.0),
        );
        println!(
            "\nChromium / printpdf for the same dispatch slip: {:.0}× the time (p50 {:.0} ms vs {:.2} ms), {:.1}× the size ({:.1} KB vs {:.1} KB).",
            ms(p50) / ms(slip_p50).max(0.001),
            ms(p50),
            ms(slip_p50),
            size as f64 / slip_size.max(1) as f64,
            size as f64 / 1024.0,
            slip_size as f64 / 1024.0
        );
    } else {
        println!("\n(chromium not available: install the `chromium` package for the comparison)");
    }
}
