//! `make bench`: search over a million customers and a million units, creating a customer
//! through the core, and rendering the printed forms. Prints p50/p95 per kind. The search
//! database is generated once into `.bench/` at the workspace root and reused (delete it to
//! regenerate).
//!
//! BENCH_CUSTOMERS (default 1000000) sets the size; BENCH_ROUNDS (default 200) the samples.
//! Arguments pick sections by name: `cargo bench -p desk-core --bench core -- forms` renders
//! the forms only (seconds, no database); no argument runs everything. DESK_FORMS_OUT=dir
//! keeps the measured PDFs there for looking at, as in the forms tests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use desk_core::forms::{
    self, AcceptanceReceipt, ApprovalLine, ComplaintHandling, ComplaintParty,
    ComplaintRegistration, ComplaintStepLine, CountLine, CountSheet, DispatchSlip, DisposalRecord,
    FeeLine, FormData, Header, PartLine, Party, RequisitionSlip, ReturnKind, ReturnNote,
    ScrapRequest, ServiceKind, Signature, StockLine,
};
use desk_core::site::{self, SetupInput, SiteInput, Tier};
use desk_core::users::{self, NewUser, Role};
use desk_core::{customers, demo, search, Desk, SystemClock};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {label:<34} | {:>5} | {:>8.2} | {:>8.2} | {:>8.2} |",
        samples.len(),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.95)),
        ms(*samples.last().unwrap())
    );
}

fn open_or_generate(customers: usize) -> Desk {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.bench");
    let path = root.join(format!("search-{customers}.sqlite"));
    let fresh = !path.exists();
    let mut desk = Desk::open_with_clock(&path, Arc::new(SystemClock)).expect("open bench db");
    if fresh {
        let t = Instant::now();
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
        demo::generate_bulk(&mut desk, customers, 1, &mut |n| {
            eprint!("\rgenerating: {n}/{customers} customers")
        })
        .unwrap();
        desk.conn()
            .execute_batch("PRAGMA optimize; ANALYZE;")
            .unwrap();
        eprintln!(
            "\ngenerated {customers} customers and units in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    } else {
        users::sign_in(&mut desk, "admin", "bench-password").unwrap();
    }
    desk
}

fn main() {
    // cargo passes `--bench` (and libtest-style flags) to a harness=false binary: only the
    // bare words are section names.
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let run = |section: &str| wanted.is_empty() || wanted.iter().any(|w| section.contains(w));
    let rounds = env_usize("BENCH_ROUNDS", 200);
    if run("search") {
        search_bench(rounds);
    }
    if run("forms") {
        forms_bench(rounds);
    }
}

fn search_bench(rounds: usize) {
    let n = env_usize("BENCH_CUSTOMERS", 1_000_000);
    let mut desk = open_or_generate(n);
    let conn = desk.conn();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let size = std::fs::metadata(desk.path()).map(|m| m.len()).unwrap_or(0);
    println!(
        "\ndatabase: {} customers, {} units, {} contacts, {:.0} MiB\n",
        count("SELECT count(*) FROM customers"),
        count("SELECT count(*) FROM units"),
        count("SELECT count(*) FROM contacts"),
        size as f64 / 1048576.0
    );

    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let sample = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // Real names, serials and phones from the database, picked at random rowids.
    let random_ids = format!("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 400) SELECT abs(random()) % {n} + 1 FROM r");
    let pick = format!("WHERE seq IN ({random_ids})");
    let names = sample(&format!(
        "SELECT name FROM customers {pick} AND kind = 'person'"
    ));
    let three: Vec<String> = names
        .iter()
        .filter(|s| s.chars().count() >= 3)
        .cloned()
        .collect();
    let serials = sample(&format!(
        "SELECT serial FROM units WHERE rowid IN ({random_ids})"
    ));
    let two_char: Vec<String> = names.iter().map(|s| s.chars().take(2).collect()).collect();
    let one_char = ["王", "李", "张", "芳", "伟", "娜", "明", "欧"];

    let mut queries: Vec<(&str, Vec<String>)> = vec![
        (
            "2-char name fragment",
            (0..rounds)
                .map(|_| two_char.choose(&mut rng).unwrap().clone())
                .collect(),
        ),
        (
            "1-char name fragment",
            (0..rounds)
                .map(|_| one_char.choose(&mut rng).unwrap().to_string())
                .collect(),
        ),
        (
            "3-char name",
            (0..rounds)
                .map(|_| three.choose(&mut rng).unwrap().clone())
                .collect(),
        ),
        (
            "phone tail (4 digits)",
            (0..rounds)
                .map(|_| format!("{:04}", rng.random_range(0..10000)))
                .collect(),
        ),
        (
            "phone tail (6 digits)",
            (0..rounds)
                .map(|_| format!("{:06}", rng.random_range(0..1_000_000)))
                .collect(),
        ),
        (
            "serial fragment (6 chars)",
            (0..rounds)
                .map(|_| {
                    let s = serials.choose(&mut rng).unwrap();
                    s[s.len() - 6..].to_owned()
                })
                .collect(),
        ),
        (
            "full serial",
            (0..rounds)
                .map(|_| serials.choose(&mut rng).unwrap().clone())
                .collect(),
        ),
        ("empty query (recent)", vec![String::new(); rounds]),
    ];

    println!("| query (page of 20 with total)      |     n |  p50 ms  |  p95 ms  |  max ms  |");
    println!("|------------------------------------|-------|----------|----------|----------|");
    let mut all = Vec::new();
    for (label, qs) in queries.iter_mut() {
        for q in qs.iter().take(10) {
            search::search(&desk, q, 0, 20).unwrap(); // warm the page cache
        }
        let mut samples = Vec::with_capacity(qs.len());
        let mut empty = 0;
        for q in qs.iter() {
            let t = Instant::now();
            let page = search::search(&desk, q, 0, 20).unwrap();
            samples.push(t.elapsed());
            if page.hits.is_empty() {
                empty += 1;
            }
        }
        assert!(
            empty < qs.len(),
            "{label}: every query found nothing; the benchmark measures nothing"
        );
        all.extend(samples.iter().copied());
        report(label, samples);
    }
    report("all searches", all);

    // HQ narrows its lists to one site. This database holds one site only, so its id is the
    // worst case for counting (every customer matches) and an id no customer has the worst
    // case for scanning (nothing matches, every candidate is looked at).
    let local = site::list_sites(&desk).unwrap()[0].id.clone();
    println!("\n| one site's customers               |     n |  p50 ms  |  p95 ms  |  max ms  |");
    println!("|------------------------------------|-------|----------|----------|----------|");
    for (label, site_id) in [
        ("every customer at the site", local.as_str()),
        ("no customer at the site", "elsewhere"),
    ] {
        for (kind, qs) in queries.iter().filter(|(k, _)| {
            [
                "empty query (recent)",
                "1-char name fragment",
                "3-char name",
                "phone tail (4 digits)",
            ]
            .contains(k)
        }) {
            let mut samples = Vec::with_capacity(qs.len());
            for q in qs.iter() {
                let t = Instant::now();
                search::search_site(&desk, q, Some(site_id), 0, 20).unwrap();
                samples.push(t.elapsed());
            }
            report(&format!("{kind}, {label}"), samples);
        }
    }

    // The floor under every write: one committed transaction with synchronous=FULL on this disk.
    let mut floor = Vec::new();
    for i in 0..rounds {
        let t = Instant::now();
        desk.conn()
            .execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('bench', ?1)",
                [i.to_string()],
            )
            .unwrap();
        floor.push(t.elapsed());
    }
    report("empty commit (fsync floor, FULL)", floor);
    let create = |desk: &mut Desk, rng: &mut rand::rngs::StdRng, label: &str| {
        let mut creates = Vec::new();
        for i in 0..rounds {
            let input = customers::CustomerInput {
                kind: customers::CustomerKind::Person,
                name: format!("基准{label}{i}"),
                note: String::new(),
                contacts: vec![customers::ContactInput {
                    id: None,
                    name: String::new(),
                    phone: format!("1370{:07}", rng.random_range(0..10_000_000)),
                    title: String::new(),
                }],
                addresses: vec![customers::AddressInput {
                    id: None,
                    province: "上海市".into(),
                    city: "上海市".into(),
                    district: "浦东新区".into(),
                    detail: format!("张杨路{}号", i),
                }],
            };
            let t = Instant::now();
            customers::create(desk, input).unwrap();
            creates.push(t.elapsed());
        }
        report(label, creates);
    };
    create(&mut desk, &mut rng, "create customer (synchronous=FULL)");
    // For comparison only: what the same work costs without waiting for the disk.
    desk.conn()
        .execute_batch("PRAGMA synchronous = NORMAL")
        .unwrap();
    create(&mut desk, &mut rng, "create customer (NORMAL, comparison)");
}

fn bench_header(number: &str) -> Header {
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

fn bench_party() -> Party {
    Party {
        customer_name: "张建国".into(),
        contact_name: "张建国".into(),
        contact_phone: "13812345678".into(),
        address: "上海市浦东新区张杨路1234弄56号789室".into(),
        product: "海尔 KFR-35GW/BP2DN1Y-PA400(B3)".into(),
        serial: "BA0Z6KE0A00QPB8N1234".into(),
        purchase_date: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
        warranty: "保修期内（至 2027-03-01）".into(),
    }
}

const BENCH_FAULT: &str =
    "空调制冷效果差，开机约二十分钟后室内机显示故障代码E4，外机运行时噪音明显且伴有异常震动。";

/// What a typical one-page form of each kind carries.
fn typical_forms() -> Vec<(&'static str, FormData)> {
    let dispatch = DispatchSlip {
        header: bench_header("SH01-PX-2026-000123"),
        work_order_number: "SH01-WO-2026-004567".into(),
        party: bench_party(),
        service: ServiceKind::Repair,
        fault_description: BENCH_FAULT.into(),
        appointment: "2026-11-23 09:00–12:00".into(),
        technicians: vec!["赵师傅".into(), "钱师傅".into()],
        bring: "压力表、真空泵、检漏仪、冷媒R32两瓶、室外机电容35μF一个".into(),
        notes: "上门前请提前半小时电话联系。".into(),
        dispatcher: "王芳".into(),
    };
    let parts: Vec<PartLine> = (0..3)
        .map(|i| PartLine {
            name: format!("室外机启动电容{}", i + 1),
            model: format!("CBB65-35μF/450V-{i:02}"),
            qty: 1,
            unit_price_fen: 4_550,
            in_warranty: i == 0,
            charged_fen: if i == 0 { 0 } else { 4_550 },
            consent: true,
        })
        .collect();
    let fees = vec![
        FeeLine {
            description: "上门服务费".into(),
            amount_fen: 5_000,
        },
        FeeLine {
            description: "检测费".into(),
            amount_fen: 3_050,
        },
    ];
    let total_fen = parts.iter().map(|p| p.charged_fen).sum::<i64>()
        + fees.iter().map(|f| f.amount_fen).sum::<i64>();
    let stroke = (0..=40)
        .map(|i| [i as f32 * 12.0, 100.0 + (i as f32 * 0.5).sin() * 40.0])
        .collect();
    let receipt = AcceptanceReceipt {
        header: bench_header("SH01-HZ-2026-000456"),
        work_order_number: "SH01-WO-2026-004567".into(),
        party: bench_party(),
        service: ServiceKind::Repair,
        fault_description: BENCH_FAULT.into(),
        work_done: "更换室外机电容，补焊检漏后加注冷媒R32，试机三十分钟运行正常。".into(),
        parts,
        fees,
        total_fen,
        passed: true,
        usage_instructions_given: true,
        customer_opinion: "技术员准时上门，讲解清楚。".into(),
        satisfaction: Some(5),
        technicians: vec!["赵师傅".into()],
        signature: Some(Signature {
            width: 600.0,
            height: 200.0,
            strokes: vec![stroke],
            signed_at: "2026-11-23 11:42".into(),
            signer: "张建国".into(),
        }),
    };
    let return_note = ReturnNote {
        header: bench_header("SH01-TH-2026-000789"),
        work_order_number: "SH01-WO-2026-004567".into(),
        party: bench_party(),
        kind: ReturnKind::Exchange,
        reason: BENCH_FAULT.into(),
        eligibility: "购买后第 9 天，在 15 天退货期内".into(),
        nonconforming_handling: "贴不合格品标识，隔离存放，由质量部检验判定。".into(),
        approver: "孙经理".into(),
    };
    let mut forms = vec![
        ("dispatch slip", FormData::DispatchSlip(dispatch)),
        ("acceptance receipt", FormData::AcceptanceReceipt(receipt)),
        ("sales return note", FormData::ReturnNote(return_note)),
    ];
    forms.extend(typical_parts_forms());
    forms.extend(typical_complaint_forms());
    forms
}

fn bench_stock_line(i: usize, qty: i64, serial: bool) -> StockLine {
    let unit_price_fen = 4_550 + i as i64 * 1_000;
    StockLine {
        code: format!("PJ-{:05}", 10_000 + i),
        name: ["室外机启动电容", "冷凝器风扇电机", "四通阀线圈"][i % 3].into(),
        model: ["CBB65-35μF/450V", "YDK-35-6", "SHF-4H-34U"][i % 3].into(),
        unit: "个".into(),
        qty,
        serials: if serial {
            (0..qty)
                .map(|k| format!("BA0Z6KE0A00QPB8N{:04}", i * 10 + k as usize))
                .collect()
        } else {
            vec![]
        },
        unit_price_fen,
        amount_fen: qty * unit_price_fen,
    }
}

fn bench_approval(role: &str, name: &str, at: &str) -> ApprovalLine {
    ApprovalLine {
        role: role.into(),
        name: name.into(),
        at: at.into(),
        decision: if at.is_empty() { "" } else { "同意" }.into(),
        comment: if at.is_empty() {
            String::new()
        } else {
            "已核对，数量与型号无误。".into()
        },
    }
}

/// A typical one-page parts form of each kind: a few lines, the approvals of the day.
fn typical_parts_forms() -> Vec<(&'static str, FormData)> {
    const LOCATION: &str = "配件仓 A区-03架-02层";
    let lines: Vec<StockLine> = (0..3)
        .map(|i| bench_stock_line(i, 1 + (i % 2) as i64, i != 1))
        .collect();
    let total_fen = lines.iter().map(|l| l.amount_fen).sum();
    let requisition = RequisitionSlip {
        header: bench_header("SH01-LY-2026-000031"),
        work_order_number: "SH01-WO-2026-004567".into(),
        customer_name: "张建国".into(),
        location: LOCATION.into(),
        technician: "赵师傅".into(),
        purpose: "更换室外机启动电容与风扇电机（工单维修）".into(),
        lines: lines.clone(),
        total_fen,
        approvals: vec![bench_approval("审批人", "孙经理", "2026-11-22 10:30")],
    };
    let count = CountSheet {
        header: bench_header("SH01-PD-2026-000007"),
        location: LOCATION.into(),
        counted_on: "2026-11-30".into(),
        lines: (0..8)
            .map(|i| {
                let s = bench_stock_line(i, 1, false);
                let book = 4 + (i % 5) as i64;
                let diff = [0, 0, -1, 0, 2, 0][i % 6];
                CountLine {
                    code: s.code,
                    name: s.name,
                    model: s.model,
                    unit: s.unit,
                    book_qty: book,
                    counted_qty: Some(book + diff),
                    difference: Some(diff),
                    reason: match diff {
                        0 => String::new(),
                        d if d < 0 => "维修领用未登记出库".into(),
                        _ => "退回旧件误入库位".into(),
                    },
                }
            })
            .collect(),
        counter: "钱师傅".into(),
        approvals: vec![
            bench_approval("监盘人", "王芳", "2026-11-30 16:00"),
            bench_approval("审批人", "孙经理", ""),
        ],
    };
    let scrap_lines = lines[..2].to_vec();
    let scrap_total = scrap_lines.iter().map(|l| l.amount_fen).sum();
    let scrap = ScrapRequest {
        header: bench_header("SH01-BF-2026-000012"),
        location: LOCATION.into(),
        lines: scrap_lines,
        total_fen: scrap_total,
        reason: "运输途中外包装受潮，电容外壳鼓包、接线端子锈蚀，经检测容量低于标称值的百分之八十，无法修复且不能返厂索赔。".into(),
        photos: 3,
        applicant: "钱师傅".into(),
        approvals: vec![
            bench_approval("申请人", "钱师傅", "2026-11-22 09:10"),
            bench_approval("审核部门", "质量部 李工", "2026-11-23 11:30"),
            bench_approval("批准人", "周主任", ""),
        ],
    };
    let disposal_lines: Vec<StockLine> = (0..5).map(|i| bench_stock_line(i, 1, true)).collect();
    let disposal_total = disposal_lines.iter().map(|l| l.amount_fen).sum();
    let disposal = DisposalRecord {
        header: bench_header("SH01-XH-2026-000003"),
        batch: "2026年第四季度第2批".into(),
        method: "破碎后交回收单位".into(),
        location: "配件仓 报废品区".into(),
        lines: disposal_lines,
        total_fen: disposal_total,
        scrap_numbers: (12..15).map(|n| format!("SH01-BF-2026-{n:06}")).collect(),
        disposed_by: "周师傅".into(),
        witness: "孙经理".into(),
    };
    vec![
        (
            "parts requisition slip",
            FormData::RequisitionSlip(requisition),
        ),
        ("stocktake count sheet", FormData::CountSheet(count)),
        ("scrap request", FormData::ScrapRequest(scrap)),
        ("scrap disposal record", FormData::DisposalRecord(disposal)),
    ]
}

/// A typical complaint: registered from a phone call, then handled through its eight steps
/// and closed, as the two complaint forms print it.
fn typical_complaint_forms() -> Vec<(&'static str, FormData)> {
    let party = ComplaintParty {
        complaint_number: "SH01-TS-2026-000012".into(),
        kind: "产品质量".into(),
        level: "二级（中等）· 技术组处理".into(),
        channel: "电话".into(),
        received_at: "2026-11-22 10:05".into(),
        complainant: "张建国".into(),
        phone: "13812345678".into(),
        customer_name: "张建国".into(),
        address: "上海市浦东新区张杨路1234弄56号789室".into(),
        object: "海尔 KFR-35GW/BP2DN1Y-PA400(B3)（序列号 BA0Z6KE0A00QPB8N1234）；维修工单 SH01-WO-2026-004567".into(),
    };
    const COMPLAINT: &str =
        "维修更换电容后，空调外机运行噪音比维修前更大并伴有震动，夜间影响休息。";
    let registration = ComplaintRegistration {
        header: bench_header("SH01-YJ-2026-000012"),
        party: party.clone(),
        content: COMPLAINT.into(),
        demand: "要求24小时内免费上门检修；若仍不能解决，免费更换室外机。".into(),
        attachments: vec!["外机噪音录像.mp4".into(), "维修回执单照片.jpg".into()],
        registered_by: "王芳".into(),
        time_limits: vec![
            "受理：2026-11-23 10:05 前".into(),
            "首次响应：2026-11-23 10:05 前".into(),
            "结案：2026-11-27 前（5 个工作日）".into(),
        ],
    };
    let steps = [
        (
            "登记",
            "电话受理，记录投诉对象与顾客要求。",
            "王芳",
            "2026-11-22 10:05",
        ),
        (
            "判定",
            "核对维修记录，判定为有效投诉。",
            "王芳",
            "2026-11-22 10:40",
        ),
        (
            "指派",
            "维修质量问题，指派技术部李工处理。",
            "孙经理",
            "2026-11-22 11:00",
        ),
        (
            "调查",
            "上门检测：减震垫漏装，支架螺栓松动。",
            "李工",
            "2026-11-23 09:30",
        ),
        (
            "方案",
            "补装减震垫、紧固支架并复测噪音。",
            "李工",
            "2026-11-23 10:15",
        ),
        (
            "告知落实",
            "顾客同意方案，当日完成整改，噪音52分贝。",
            "李工",
            "2026-11-23 15:20",
        ),
        (
            "责任",
            "技术员漏装减震垫，考核扣分并再培训。",
            "孙经理",
            "2026-11-24 09:00",
        ),
        (
            "总结结案",
            "回访顾客满意，投诉关闭。",
            "王芳",
            "2026-11-25 16:30",
        ),
    ]
    .into_iter()
    .map(|(step, content, by, at)| ComplaintStepLine {
        step: step.into(),
        content: content.into(),
        by: by.into(),
        at: at.into(),
    })
    .collect();
    let handling = ComplaintHandling {
        header: bench_header("SH01-CL-2026-000009"),
        party,
        feedback: COMPLAINT.into(),
        validity: "有效".into(),
        department: "技术部".into(),
        cause: "上次维修时室外机减震垫漏装，支架固定螺栓松动，压缩机启动时整机共振。".into(),
        measures: "免费补装减震垫，紧固支架螺栓，复测运行噪音。".into(),
        result: "电话告知顾客并征得同意，11月23日上门完成整改，噪音由68分贝降至52分贝。".into(),
        customer_reaction: "顾客对处理结果满意，同意结案。".into(),
        responsibility: "技术员赵师傅负主要责任，按服务质量考核办法扣3分。".into(),
        summary: "维修后按检查表核对减震垫与支架固定，周例会通报本案例。".into(),
        steps,
        clocks: vec![
            "受理：按时（2026-11-22 10:05）".into(),
            "首次响应：按时（2026-11-22 10:40）".into(),
            "结案：按时（2026-11-25 16:30）".into(),
        ],
        handler: "李工".into(),
        verifier: "周主任".into(),
    };
    vec![
        (
            "complaint registration",
            FormData::ComplaintRegistration(registration),
        ),
        (
            "complaint handling slip",
            FormData::ComplaintHandling(handling),
        ),
    ]
}

fn forms_bench(rounds: usize) {
    println!(
        "\n| form (typical, A4)                 |     n |  p50 ms  |  p95 ms  |  max ms  |  KB  | pages |"
    );
    println!(
        "|------------------------------------|-------|----------|----------|----------|------|-------|"
    );
    let forms = typical_forms();
    // The first render of the process parses the 10 MB font; every later one reuses it.
    let t = Instant::now();
    let first = forms::render(&forms[0].1).expect("render");
    let first_ms = t.elapsed().as_secs_f64() * 1000.0;
    for (label, form) in &forms {
        let pages = lopdf::Document::load_mem(&forms::render(form).expect("render"))
            .expect("the rendered PDF parses")
            .get_pages()
            .len();
        if let Some(dir) = std::env::var_os("DESK_FORMS_OUT") {
            let name = format!("bench-{}.pdf", label.replace(' ', "-"));
            std::fs::write(
                std::path::Path::new(&dir).join(name),
                forms::render(form).unwrap(),
            )
            .unwrap();
        }
        let mut samples = Vec::with_capacity(rounds);
        let mut size = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let bytes = forms::render(form).expect("render");
            samples.push(t.elapsed());
            size = bytes.len();
        }
        samples.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {label:<34} | {:>5} | {:>8.2} | {:>8.2} | {:>8.2} | {:>4.1} | {pages:>5} |",
            samples.len(),
            ms(percentile(&samples, 0.5)),
            ms(percentile(&samples, 0.95)),
            ms(*samples.last().unwrap()),
            size as f64 / 1024.0
        );
    }
    println!(
        "\nfirst render in the process (font parse included): {first_ms:.1} ms, {:.1} KB",
        first.len() as f64 / 1024.0
    );
}
