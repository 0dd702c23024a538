//! The printed forms, checked with the tools a reader of the PDF would use: qpdf for the file
//! structure, pdffonts for the embedded subset font, pdftotext for the Chinese text layer,
//! pdftoppm + zbarimg for the QR code as printed, pdfinfo for the page count.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use desk_core::forms::layout::{signed, yuan, yuan_in_words};
use desk_core::forms::{
    self, AcceptanceReceipt, ApprovalLine, ComplaintHandling, ComplaintParty,
    ComplaintRegistration, ComplaintStepLine, CountLine, CountSheet, DispatchSlip, DisposalRecord,
    FeeLine, FormData, Header, PartLine, Party, RequisitionSlip, ReturnKind, ReturnNote,
    ScrapRequest, ServiceKind, Signature, StockLine,
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

// ---- the parts forms ------------------------------------------------------------------------

const LOCATION: &str = "上海浦东服务中心配件仓 A区-03架-02层（空调配件专区）";
const REQUISITION_NUMBER: &str = "SH01-LY-2026-000031";
const COUNT_NUMBER: &str = "SH01-PD-2026-000007";
const SCRAP_NUMBER: &str = "SH01-BF-2026-000012";
const DISPOSAL_NUMBER: &str = "SH01-XH-2026-000003";

fn lines_of(v: Variant) -> usize {
    match v {
        Variant::Empty => 0,
        Variant::Long => 3,
        Variant::Many => 40,
    }
}

fn stock_line(i: usize) -> StockLine {
    let qty = 1 + (i % 3) as i64;
    let unit_price_fen = 3_550 + i as i64 * 1_000;
    StockLine {
        code: format!("PJ-{:05}", 10_000 + i),
        name: if i % 5 == 1 {
            "室外机压缩机启动电容（含固定卡箍与接线端子）".into()
        } else {
            format!("配件{}号 冷凝器风扇电机", i + 1)
        },
        model: format!("CBB65-35μF/450V-{i:02}"),
        unit: if i % 4 == 3 { "套" } else { "个" }.into(),
        qty,
        // Serial-tracked parts carry one serial per piece.
        serials: if i.is_multiple_of(2) {
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

fn stock_lines(v: Variant) -> (Vec<StockLine>, i64) {
    let lines: Vec<StockLine> = (0..lines_of(v)).map(stock_line).collect();
    let total = lines.iter().map(|l| l.amount_fen).sum();
    (lines, total)
}

/// A chain where the first steps are decided and the last one is still pending.
fn approvals(v: Variant, roles: &[&str]) -> Vec<ApprovalLine> {
    if v == Variant::Empty {
        return vec![];
    }
    let n = roles.len();
    roles
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let decided = i + 1 < n || n == 1;
            ApprovalLine {
                role: (*role).into(),
                name: match *role {
                    "申请人" => "钱师傅",
                    "监盘人" => "王芳",
                    "审核部门" => "质量部 李工",
                    "批准人" => "周主任",
                    _ => "孙经理",
                }
                .into(),
                at: if decided {
                    format!("2026-11-2{} 1{i}:30", 2 + i)
                } else {
                    String::new()
                },
                decision: if decided { "同意" } else { "" }.into(),
                comment: if decided {
                    long("已核对工单与库存记录，数量与型号无误，", 2)
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

fn requisition(v: Variant) -> RequisitionSlip {
    let (lines, total_fen) = stock_lines(v);
    let empty = v == Variant::Empty;
    RequisitionSlip {
        header: header(REQUISITION_NUMBER),
        work_order_number: if empty { "" } else { "SH01-WO-2026-004567" }.into(),
        customer_name: if empty { "" } else { CUSTOMER }.into(),
        location: if empty { "总仓" } else { LOCATION }.into(),
        technician: if empty { "" } else { "赵师傅" }.into(),
        purpose: if empty {
            String::new()
        } else {
            long(
                "更换室外机启动电容与冷凝器风扇电机，客户空调制冷效果差并伴有异常噪音，",
                3,
            )
        },
        lines,
        total_fen,
        approvals: approvals(v, &["审批人"]),
    }
}

/// Every fifth line is one short, every fifth from the fourth two over, the rest agree.
fn count_line(i: usize, filled: bool, v: Variant) -> CountLine {
    let book = 5 + (i % 7) as i64;
    let diff: i64 = match i % 5 {
        0 => -1,
        3 => 2,
        _ => 0,
    };
    let reason = match (filled, diff.signum()) {
        (true, -1) => "维修领用未及时登记出库（工单 SH01-WO-2026-004567），已补录领用单",
        (true, 1) => "上月退回旧件误入新件库位，待质检后转入旧件区",
        _ => "",
    };
    let s = stock_line(i);
    CountLine {
        code: s.code,
        name: s.name,
        model: s.model,
        unit: s.unit,
        book_qty: book,
        counted_qty: filled.then_some(book + diff),
        difference: filled.then_some(diff),
        reason: if v == Variant::Long && !reason.is_empty() {
            long(reason, 2)
        } else {
            reason.into()
        },
    }
}

fn count_sheet(v: Variant, filled: bool) -> CountSheet {
    let empty = v == Variant::Empty;
    CountSheet {
        header: header(COUNT_NUMBER),
        location: LOCATION.into(),
        counted_on: "2026-11-30".into(),
        lines: (0..lines_of(v)).map(|i| count_line(i, filled, v)).collect(),
        counter: if empty { "" } else { "钱师傅" }.into(),
        approvals: if filled {
            approvals(v, &["监盘人", "审批人"])
        } else {
            vec![]
        },
    }
}

fn scrap_request(v: Variant) -> ScrapRequest {
    let (lines, total_fen) = stock_lines(v);
    ScrapRequest {
        header: header(SCRAP_NUMBER),
        location: LOCATION.into(),
        lines,
        total_fen,
        reason: match v {
            Variant::Empty => String::new(),
            _ => long(
                "运输途中外包装受潮，电容外壳鼓包、接线端子锈蚀，经质检部门检测容量低于标称值的百分之八十，无法修复且不能返厂索赔，",
                3,
            ),
        },
        photos: if v == Variant::Empty { 0 } else { 3 },
        applicant: if v == Variant::Empty { "" } else { "钱师傅" }.into(),
        approvals: approvals(v, &["申请人", "审核部门", "批准人"]),
    }
}

fn disposal_record(v: Variant) -> DisposalRecord {
    let (lines, total_fen) = stock_lines(v);
    let empty = v == Variant::Empty;
    DisposalRecord {
        header: header(DISPOSAL_NUMBER),
        batch: if empty {
            ""
        } else {
            "2026年第四季度第2批"
        }
        .into(),
        method: if empty {
            String::new()
        } else {
            "破碎后交由有资质的回收单位处理（上海浦东再生资源回收有限公司）".into()
        },
        location: LOCATION.into(),
        lines,
        total_fen,
        scrap_numbers: (0..match v {
            Variant::Empty => 0,
            Variant::Long => 3,
            Variant::Many => 30,
        })
            .map(|i| format!("SH01-BF-2026-{:06}", 12 + i))
            .collect(),
        disposed_by: if empty { "" } else { "周师傅" }.into(),
        witness: if empty { "" } else { "孙经理" }.into(),
    }
}

// ---- the complaint forms --------------------------------------------------------------------

const COMPLAINT_NUMBER: &str = "SH01-TS-2026-000012";
const REGISTRATION_NUMBER: &str = "SH01-YJ-2026-000012";
const HANDLING_NUMBER: &str = "SH01-CL-2026-000009";

const COMPLAINT: &str = "顾客来电反映：11月20日技术员上门更换室外机电容并加注冷媒后，空调外机运行噪音比维修前更大，夜间开机时像拖拉机一样轰鸣，并伴有明显震动，楼下邻居已经上门投诉两次，";

fn complaint_party(v: Variant) -> ComplaintParty {
    match v {
        Variant::Empty => ComplaintParty {
            complaint_number: COMPLAINT_NUMBER.into(),
            kind: "服务".into(),
            level: "一级（轻微）· 客服组处理".into(),
            channel: "来访".into(),
            received_at: "2026-11-22 10:05".into(),
            complainant: "李明".into(),
            phone: String::new(),
            customer_name: "李明".into(),
            address: String::new(),
            object: String::new(),
        },
        _ => ComplaintParty {
            complaint_number: COMPLAINT_NUMBER.into(),
            kind: "产品质量".into(),
            level: "二级（中等）· 技术组处理".into(),
            channel: "电话".into(),
            received_at: "2026-11-22 10:05".into(),
            complainant: "张建国（物业工程部主管）".into(),
            phone: "021-58881234 转 8021，13812345678".into(),
            customer_name: CUSTOMER.into(),
            address: party(v).address,
            object: "海尔 KFR-35GW/BP2DN1Y-PA400(B3) 变频壁挂式空调（序列号 BA0Z6KE0A00QPB8N1234）；维修工单 SH01-WO-2026-004567，上门技术员赵师傅".into(),
        },
    }
}

fn complaint_registration(v: Variant) -> ComplaintRegistration {
    // Many runs onto page 2 through its attachments, a line each, as the parts forms do
    // through their parts: a paragraph split at the page end would have the footer and the
    // repeated label inside it in the text layer.
    let n = if v == Variant::Empty { 0 } else { 2 };
    ComplaintRegistration {
        header: header(REGISTRATION_NUMBER),
        party: complaint_party(v),
        content: match v {
            Variant::Empty => "维修后外机噪音大".into(),
            _ => long(COMPLAINT, n) + "顾客情绪激动，表示维修前从未出现过这种情况。",
        },
        demand: match v {
            Variant::Empty => String::new(),
            _ => long("要求24小时内再次免费上门检修，查明噪音原因；若仍不能解决，要求免费更换室外机，并由服务中心出具书面说明，", n) + "同时对上门技术员的服务质量作出答复。",
        },
        attachments: match v {
            Variant::Empty => vec![],
            Variant::Long => vec![
                "外机噪音录像_20261121.mp4".into(),
                "维修回执单照片.jpg".into(),
                "购买发票.pdf".into(),
            ],
            Variant::Many => (1..=30)
                .map(|i| format!("现场照片_{i:02}（外机支架与减震垫）.jpg"))
                .collect(),
        },
        registered_by: if v == Variant::Empty { "" } else { "王芳" }.into(),
        time_limits: match v {
            Variant::Empty => vec![],
            _ => vec![
                "受理：2026-11-23 10:05 前（24 小时）".into(),
                "首次响应：2026-11-23 10:05 前（24 小时）".into(),
                "上门处理：2026-11-23 10:05 前（硬件故障 24 小时内到达现场）".into(),
                "结案：2026-11-27 前（5 个工作日）".into(),
            ],
        },
    }
}

/// The eight steps of a complaint as the handling slip lists them; Many adds a pause and an
/// escalation and words every step at length, so that the steps table runs onto page 2.
fn complaint_steps(v: Variant) -> Vec<ComplaintStepLine> {
    let n = if v == Variant::Many { 2 } else { 1 };
    let step = |step: &str, content: &str, by: &str, at: &str| ComplaintStepLine {
        step: step.into(),
        content: long(content, n),
        by: by.into(),
        at: at.into(),
    };
    let mut steps = vec![
        step(
            "登记",
            "电话受理，记录投诉人、投诉对象与顾客要求，告知24小时内回复。",
            "王芳",
            "2026-11-22 10:05",
        ),
        step(
            "判定",
            "经核对维修记录，投诉属实，判定为有效投诉，级别二级。",
            "王芳",
            "2026-11-22 10:40",
        ),
        step(
            "指派",
            "属维修质量问题，指派技术部处理，技术部李工为责任人。",
            "孙经理",
            "2026-11-22 11:00",
        ),
        step(
            "调查",
            "李工上门检测：外机减震垫漏装，固定螺栓松动，压缩机运行正常。",
            "李工",
            "2026-11-23 09:30",
        ),
        step(
            "方案",
            "免费补装减震垫、紧固支架螺栓并复测噪音；赠送一次免费清洗保养。",
            "李工",
            "2026-11-23 10:15",
        ),
        step(
            "告知落实",
            "电话告知顾客方案，顾客同意；当日上门完成整改，复测噪音52分贝。",
            "李工",
            "2026-11-23 15:20",
        ),
        step(
            "责任",
            "技术员赵师傅漏装减震垫，负主要责任，按服务质量考核扣分并再培训。",
            "孙经理",
            "2026-11-24 09:00",
        ),
        step(
            "总结结案",
            "回访顾客对处理结果满意，投诉关闭；在周例会上通报案例。",
            "王芳",
            "2026-11-25 16:30",
        ),
    ];
    if v == Variant::Many {
        // A pause and an escalation between the regular steps, as a long case records them.
        steps.insert(
            3,
            step(
                "暂停",
                "顾客出差，约定11月23日上午再上门，处理时限暂停计时。",
                "王芳",
                "2026-11-22 17:10",
            ),
        );
        steps.insert(
            6,
            step(
                "升级",
                "顾客要求更换外机，超出技术部权限，升级至管理层协调。",
                "孙经理",
                "2026-11-23 11:00",
            ),
        );
    }
    steps
}

fn complaint_handling(v: Variant) -> ComplaintHandling {
    // Many keeps its fields short so that the steps table starts on page 1 and its long
    // steps carry it onto page 2 under a repeated header.
    let text = |s: &str, n: usize| match v {
        Variant::Empty => String::new(),
        Variant::Long => long(s, n),
        Variant::Many => long(s, 1),
    };
    ComplaintHandling {
        header: header(HANDLING_NUMBER),
        party: complaint_party(v),
        feedback: match v {
            Variant::Empty => "维修后外机噪音大".into(),
            Variant::Long => {
                text(COMPLAINT, 1) + "顾客要求再次免费上门检修，若仍不能解决则免费更换室外机。"
            }
            Variant::Many => "维修后外机噪音明显增大并伴有震动，要求再次免费上门检修。".into(),
        },
        validity: match v {
            Variant::Empty => String::new(),
            _ => "有效（维修记录与顾客描述一致）".into(),
        },
        department: if v == Variant::Empty { "" } else { "技术部（责任人：李工）" }.into(),
        cause: text("上门检测发现室外机减震垫在上次维修时漏装，支架固定螺栓松动，压缩机启动时整机共振；压缩机与风扇电机本身运行正常，", 2),
        measures: text("免费补装减震垫，紧固并加固支架螺栓，复测运行噪音；向顾客赠送一次免费清洗保养，", 2),
        result: text("11月23日电话告知顾客处理方案并征得同意，当日下午上门完成整改，复测室外机噪音由68分贝降至52分贝，", 2),
        customer_reaction: match v {
            Variant::Empty => String::new(),
            _ => text("顾客对处理结果表示满意，确认噪音已明显降低，邻居未再投诉，", 1) + "同意结案。",
        },
        responsibility: text("上门技术员赵师傅漏装减震垫，负主要责任，按服务质量考核办法扣3分，安排再培训一次，", 1),
        summary: text("维修完成后须按检查表逐项核对减震垫、支架与管路固定情况，并在周例会上通报本案例，", 1),
        steps: match v {
            Variant::Empty => vec![],
            _ => complaint_steps(v),
        },
        clocks: match v {
            Variant::Empty => vec![],
            _ => vec![
                "受理：按时（2026-11-22 10:05）".into(),
                "首次响应：按时（2026-11-22 10:40）".into(),
                "上门处理：按时（2026-11-23 09:30）".into(),
                "结案：按时（2026-11-25 16:30，3 个工作日）".into(),
            ],
        },
        handler: if v == Variant::Empty { "" } else { "李工" }.into(),
        verifier: if v == Variant::Long { "周主任" } else { "" }.into(),
    }
}

fn form(kind: &str, v: Variant) -> FormData {
    match kind {
        "dispatch" => FormData::DispatchSlip(dispatch(v)),
        "receipt" => FormData::AcceptanceReceipt(receipt(v)),
        "return" => FormData::ReturnNote(return_note(v)),
        "requisition" => FormData::RequisitionSlip(requisition(v)),
        "count" => FormData::CountSheet(count_sheet(v, true)),
        "count-blank" => FormData::CountSheet(count_sheet(v, false)),
        "scrap" => FormData::ScrapRequest(scrap_request(v)),
        "disposal" => FormData::DisposalRecord(disposal_record(v)),
        "registration" => FormData::ComplaintRegistration(complaint_registration(v)),
        "handling" => FormData::ComplaintHandling(complaint_handling(v)),
        other => panic!("no fixture for {other}"),
    }
}

/// What the text layer of each form must contain besides its number: what a reader looks
/// for on that paper. Empty values (of the minimal variants) are not looked for.
fn key_texts(f: &FormData) -> Vec<(&'static str, String)> {
    let first = |lines: &[StockLine]| lines.first().map_or(String::new(), |l| l.name.clone());
    match f {
        FormData::DispatchSlip(f) => vec![
            ("customer name", f.party.customer_name.clone()),
            ("fault description", f.fault_description.clone()),
        ],
        FormData::AcceptanceReceipt(f) => vec![
            ("customer name", f.party.customer_name.clone()),
            ("fault description", f.fault_description.clone()),
        ],
        FormData::ReturnNote(f) => vec![
            ("customer name", f.party.customer_name.clone()),
            ("reason", f.reason.clone()),
        ],
        FormData::RequisitionSlip(f) => vec![
            ("work order", f.work_order_number.clone()),
            ("customer name", f.customer_name.clone()),
            ("location", f.location.clone()),
            ("technician", f.technician.clone()),
            ("purpose", f.purpose.clone()),
            ("part name", first(&f.lines)),
            (
                "serial",
                f.lines
                    .iter()
                    .flat_map(|l| l.serials.first())
                    .next()
                    .cloned()
                    .unwrap_or_default(),
            ),
        ],
        FormData::CountSheet(f) => vec![
            ("location", f.location.clone()),
            ("counter", f.counter.clone()),
            (
                "part name",
                f.lines.first().map_or(String::new(), |l| l.name.clone()),
            ),
            (
                "reason",
                f.lines
                    .iter()
                    .map(|l| l.reason.clone())
                    .find(|r| !r.is_empty())
                    .unwrap_or_default(),
            ),
        ],
        FormData::ScrapRequest(f) => vec![
            ("location", f.location.clone()),
            ("applicant", f.applicant.clone()),
            ("part name", first(&f.lines)),
            ("reason", f.reason.clone()),
            (
                "photo count",
                if f.photos > 0 {
                    format!("附照片 {} 张", f.photos)
                } else {
                    String::new()
                },
            ),
        ],
        FormData::DisposalRecord(f) => vec![
            ("batch", f.batch.clone()),
            ("method", f.method.clone()),
            ("location", f.location.clone()),
            ("part name", first(&f.lines)),
            (
                "scrap request number",
                f.scrap_numbers.first().cloned().unwrap_or_default(),
            ),
            ("witness", f.witness.clone()),
        ],
        FormData::ComplaintRegistration(f) => vec![
            ("complaint number", f.party.complaint_number.clone()),
            ("complainant", f.party.complainant.clone()),
            ("complaint object", f.party.object.clone()),
            ("content", f.content.clone()),
            ("demand", f.demand.clone()),
            (
                "attachment",
                f.attachments
                    .last()
                    .cloned()
                    .unwrap_or_else(|| "附件无".into()),
            ),
            (
                "time limit",
                f.time_limits.last().cloned().unwrap_or_default(),
            ),
            ("first receiver", f.registered_by.clone()),
        ],
        FormData::ComplaintHandling(f) => vec![
            ("complaint number", f.party.complaint_number.clone()),
            ("feedback", f.feedback.clone()),
            ("cause", f.cause.clone()),
            ("measures", f.measures.clone()),
            ("customer reaction", f.customer_reaction.clone()),
            (
                "last step",
                f.steps.last().map_or(String::new(), |s| s.content.clone()),
            ),
            ("clock", f.clocks.last().cloned().unwrap_or_default()),
            ("handler", f.handler.clone()),
            ("verifier", f.verifier.clone()),
        ],
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
    let mut expected_texts = key_texts(form);
    expected_texts.push(("document number", form.header().number.clone()));
    for (what, expected) in expected_texts.iter().filter(|(_, e)| !e.is_empty()) {
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
#[case::requisition_long("requisition", Variant::Long)]
#[case::requisition_many("requisition", Variant::Many)]
#[case::requisition_empty("requisition", Variant::Empty)]
#[case::count_long("count", Variant::Long)]
#[case::count_many("count", Variant::Many)]
#[case::count_empty("count", Variant::Empty)]
#[case::count_blank_long("count-blank", Variant::Long)]
#[case::count_blank_many("count-blank", Variant::Many)]
#[case::scrap_long("scrap", Variant::Long)]
#[case::scrap_many("scrap", Variant::Many)]
#[case::scrap_empty("scrap", Variant::Empty)]
#[case::disposal_long("disposal", Variant::Long)]
#[case::disposal_many("disposal", Variant::Many)]
#[case::disposal_empty("disposal", Variant::Empty)]
#[case::registration_long("registration", Variant::Long)]
#[case::registration_many("registration", Variant::Many)]
#[case::registration_empty("registration", Variant::Empty)]
#[case::handling_long("handling", Variant::Long)]
#[case::handling_many("handling", Variant::Many)]
#[case::handling_empty("handling", Variant::Empty)]
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
        all.contains(&squash(&yuan(total_fen))),
        "the grand total is printed"
    );
    assert!(
        all.contains(&yuan_in_words(total_fen)),
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

/// The text layer of a rendered form, whitespace removed; `pages` limits it to a page range.
fn text_of(form: &FormData, pages: Option<(usize, usize)>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, forms::render(form).expect("the form renders")).unwrap();
    let (f, l) = pages.map_or((String::new(), String::new()), |(f, l)| {
        (f.to_string(), l.to_string())
    });
    let mut args = vec!["-raw", "-enc", "UTF-8"];
    if pages.is_some() {
        args.extend(["-f", f.as_str(), "-l", l.as_str()]);
    }
    let p = path.to_str().unwrap();
    args.extend([p, "-"]);
    squash(&run("pdftotext", &args))
}

#[rstest]
#[case::requisition(
    "requisition",
    "配件领用单",
    "序号配件编码名称型号单位数量序列号单价金额"
)]
#[case::count(
    "count",
    "配件盘点表",
    "序号编码名称型号单位账面数量实盘数量差异差异原因"
)]
#[case::count_blank(
    "count-blank",
    "配件盘点表",
    "序号编码名称型号单位账面数量实盘数量差异差异原因"
)]
#[case::scrap("scrap", "配件报废申请单", "配件编码名称型号单位数量序列号单价金额")]
#[case::disposal(
    "disposal",
    "配件报废处置记录",
    "序号配件编码名称型号单位数量序列号单价金额"
)]
fn a_parts_table_repeats_its_header_on_the_next_page(
    #[case] kind: &str,
    #[case] title: &str,
    #[case] columns: &str,
) {
    let form = form(kind, Variant::Many);
    let page1 = text_of(&form, Some((1, 1)));
    assert!(
        page1.contains(title),
        "{kind}: page 1 carries the title {title}: {page1}"
    );
    let page2 = text_of(&form, Some((2, 2)));
    assert!(
        page2.contains(&format!("{title}（续）")),
        "{kind}: page 2 says which form it continues: {page2}"
    );
    assert!(
        page2.contains(columns),
        "{kind}: the parts table continues on page 2 under its header row: {page2}"
    );
    let all = text_of(&form, None);
    let names: Vec<String> = match &form {
        FormData::CountSheet(f) => f.lines.iter().map(|l| l.name.clone()).collect(),
        FormData::RequisitionSlip(f) => f.lines.iter().map(|l| l.name.clone()).collect(),
        FormData::ScrapRequest(f) => f.lines.iter().map(|l| l.name.clone()).collect(),
        FormData::DisposalRecord(f) => f.lines.iter().map(|l| l.name.clone()).collect(),
        _ => unreachable!(),
    };
    for i in [0, 19, 39] {
        assert!(
            all.contains(&squash(&names[i])),
            "{kind}: line {} ({}) is printed somewhere",
            i + 1,
            names[i]
        );
    }
}

#[test]
fn money_forms_print_their_total_in_figures_and_capitals() {
    let r = requisition(Variant::Many);
    let text = text_of(&FormData::RequisitionSlip(r.clone()), None);
    assert!(
        text.contains(&squash(&yuan(r.total_fen))),
        "the requisition total is printed in figures"
    );
    assert!(
        text.contains(&format!("人民币大写：{}", yuan_in_words(r.total_fen))),
        "the requisition total is printed in Chinese capitals: {text}"
    );
    let s = scrap_request(Variant::Long);
    let text = text_of(&FormData::ScrapRequest(s.clone()), None);
    assert!(
        text.contains(&squash(&yuan(s.total_fen))) && text.contains(&yuan_in_words(s.total_fen)),
        "the scrapped value is printed in figures and capitals: {text}"
    );
    for serial in &r.lines[2].serials {
        assert!(
            text_of(&FormData::RequisitionSlip(r.clone()), None).contains(serial.as_str()),
            "every serial of a line is printed, whole: {serial}"
        );
    }
}

#[test]
fn a_parts_form_whose_total_disagrees_with_its_lines_is_refused() {
    let mut r = requisition(Variant::Long);
    r.total_fen += 1;
    let mut s = scrap_request(Variant::Long);
    s.total_fen -= 100;
    let mut d = disposal_record(Variant::Long);
    d.lines.pop();
    for form in [
        FormData::RequisitionSlip(r),
        FormData::ScrapRequest(s),
        FormData::DisposalRecord(d),
    ] {
        let err = forms::render(&form).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Storage, "{err}");
        assert!(
            err.to_string().contains("total"),
            "the message names the total: {err}"
        );
    }
}

#[test]
fn a_filled_count_sheet_prints_signed_differences_and_their_totals() {
    let sheet = count_sheet(Variant::Many, true);
    let text = text_of(&FormData::CountSheet(sheet.clone()), None);
    // Lines 0, 5, … are one short; lines 3, 8, … two over: 8 of each in 40.
    assert!(
        text.contains(&format!("{}{}", signed(-1), squash(&sheet.lines[0].reason))),
        "a shortfall prints as −1 beside its reason: {text}"
    );
    assert!(
        text.contains(&format!("+2{}", squash(&sheet.lines[3].reason))),
        "a surplus prints as +2 beside its reason"
    );
    let book: i64 = sheet.lines.iter().map(|l| l.book_qty).sum();
    let counted: i64 = sheet.lines.iter().map(|l| l.counted_qty.unwrap()).sum();
    assert_eq!(counted - book, 8, "fixture: 8 × (+2) and 8 × (−1)");
    assert!(
        text.contains(&format!("合计{book}{counted}+8")),
        "the totals row sums book, count and the net difference: {text}"
    );
    assert!(
        text.contains(&format!(
            "共40项：相符24项，盘盈8项（+16），盘亏8项（{}），净差异+8",
            signed(-8)
        )),
        "the result line counts agreeing, surplus and short lines: {text}"
    );
}

#[test]
fn a_blank_count_sheet_leaves_the_count_to_be_written_in() {
    let sheet = count_sheet(Variant::Many, false);
    let form = FormData::CountSheet(sheet.clone());
    let text = text_of(&form, None);
    assert!(
        text.contains("共40项：相符项，盘盈项，盘亏项"),
        "the result line has blanks to fill in: {text}"
    );
    assert!(
        !text.contains("+") && !text.contains(&signed(-1)),
        "no difference is printed before the count: {text}"
    );
    assert!(
        text.contains("审批人同意不同意"),
        "with no approval recorded, the approver's row waits with boxes to tick: {text}"
    );
    // Rows tall enough to write in make the blank sheet longer than the filled one, even
    // where every printed value fits on one line.
    let pages_of = |filled: bool| {
        let mut sheet = count_sheet(Variant::Many, filled);
        for l in &mut sheet.lines {
            l.name = "启动电容".into();
            l.model = "CBB65".into();
            l.reason.clear();
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.pdf");
        std::fs::write(&p, forms::render(&FormData::CountSheet(sheet)).unwrap()).unwrap();
        pages(&p)
    };
    assert!(
        pages_of(false) > pages_of(true),
        "the blank sheet keeps handwriting room in every row"
    );
}

#[test]
fn a_count_difference_that_is_not_count_minus_book_is_refused() {
    let mut sheet = count_sheet(Variant::Long, true);
    sheet.lines[0].difference = Some(3);
    let err = forms::render(&FormData::CountSheet(sheet)).unwrap_err();
    assert!(err.to_string().contains("difference"), "{err}");
    let mut sheet = count_sheet(Variant::Long, false);
    sheet.lines[1].difference = Some(1);
    let err = forms::render(&FormData::CountSheet(sheet)).unwrap_err();
    assert!(
        err.to_string().contains("no counted quantity"),
        "a difference without a count is refused: {err}"
    );
}

#[test]
fn the_scrap_request_shows_its_whole_approval_chain() {
    let s = scrap_request(Variant::Long);
    let text = text_of(&FormData::ScrapRequest(s.clone()), None);
    assert!(
        text.contains("审批环节姓名审批结论时间意见"),
        "the approvals are a table: {text}"
    );
    let decided = &s.approvals[1];
    assert!(
        text.contains(&squash(&format!(
            "{}{}{}{}",
            decided.role, decided.name, decided.decision, decided.at
        ))),
        "a decided step prints role, name, decision and time: {text}"
    );
    assert!(
        text.contains("批准人周主任同意不同意"),
        "the pending last step waits for its decision with boxes to tick: {text}"
    );
    let blank = text_of(&FormData::ScrapRequest(scrap_request(Variant::Empty)), None);
    assert!(
        blank.contains("申请人同意不同意审核部门同意不同意批准人同意不同意"),
        "with nothing recorded the chain 申请人 → 审核部门 → 批准人 is printed to sign: {blank}"
    );
    assert!(blank.contains("无照片"), "no photos is said: {blank}");
}

#[test]
fn the_disposal_record_lists_the_scrap_requests_it_covers() {
    let d = disposal_record(Variant::Many);
    let text = text_of(&FormData::DisposalRecord(d.clone()), None);
    for n in &d.scrap_numbers {
        assert!(text.contains(n.as_str()), "{n} is listed: {text}");
    }
    assert!(
        text.contains("（共30份）"),
        "the count of requests is given"
    );
    for who in ["处置人", "监销人", "周师傅", "孙经理"] {
        assert!(text.contains(who), "{who} is printed at the signatures");
    }
}

// ---- the complaint forms --------------------------------------------------------------------

#[test]
fn the_handling_steps_table_repeats_its_header_on_the_next_page() {
    let slip = complaint_handling(Variant::Many);
    let printed = FormData::ComplaintHandling(slip.clone());
    let columns = "序号时间步骤处理内容经办人";
    let page1 = text_of(&printed, Some((1, 1)));
    assert!(
        page1.contains(&format!(
            "三、处理记录{columns}1{}",
            squash(&slip.steps[0].at)
        )),
        "the steps table starts on page 1 under its heading and header row: {page1}"
    );
    let page2 = text_of(&printed, Some((2, 2)));
    assert!(
        page2.contains("顾客信息处理单（续）"),
        "page 2 says which form it continues: {page2}"
    );
    assert!(
        page2.contains(columns),
        "the steps table continues on page 2 under its header row: {page2}"
    );
    let all = text_of(&printed, None);
    assert_eq!(
        slip.steps.len(),
        10,
        "fixture: eight steps, a pause and an escalation"
    );
    for (i, s) in slip.steps.iter().enumerate() {
        let row = squash(&format!("{}{}{}", i + 1, s.at, s.step));
        assert!(
            all.contains(&row),
            "step {} is numbered and printed with its time and name ({row}): {all}",
            i + 1
        );
    }
    for kind in ["registration", "handling"] {
        for v in [Variant::Long, Variant::Many, Variant::Empty] {
            assert!(
                forms::missing_glyphs(&form(kind, v)).is_empty(),
                "{kind} {v:?}: the complaint forms' ordinary text is fully printable"
            );
        }
    }
}

#[test]
fn the_handling_slip_prints_the_customer_reaction_and_the_verifier() {
    let slip = complaint_handling(Variant::Long);
    let text = text_of(&FormData::ComplaintHandling(slip.clone()), None);
    assert!(
        text.contains(&format!("顾客反馈意见{}", squash(&slip.customer_reaction))),
        "the customer's word on the solution is printed under its own label (the closed \
         loop): {text}"
    );
    assert!(
        text.contains(&format!(
            "性质判定{}责任部门{}",
            squash(&slip.validity),
            squash(&slip.department)
        )),
        "validity and the responsible department are printed side by side: {text}"
    );
    for clock in &slip.clocks {
        assert!(
            text.contains(&squash(clock)),
            "every clock is printed: {clock}"
        );
    }
    assert!(
        text.contains("处理人姓名：李工日期：年月日验证人（管理者代表）姓名：周主任日期：年月日"),
        "the handler's and the verifier's boxes carry their names, dates left to write: {text}"
    );
}

#[test]
fn an_empty_verifier_leaves_the_box_for_a_hand_signature() {
    let mut slip = complaint_handling(Variant::Empty);
    slip.verifier = "  ".into();
    // A slip printed before any handling still has the clocks started at registration.
    slip.clocks = vec![
        "受理：按时（2026-11-22 10:05）".into(),
        "首次响应：未到期（2026-11-23 10:05 前）".into(),
    ];
    let form = FormData::ComplaintHandling(slip);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handling.pdf");
    std::fs::write(&path, forms::render(&form).unwrap()).unwrap();
    assert_eq!(
        pages(&path),
        1,
        "a slip with nothing handled yet ends on page 1 with its signatures"
    );
    let text = text_of(&form, None);
    assert!(
        text.contains("验证人（管理者代表）姓名：日期：年月日"),
        "with no verifier recorded the box is left blank to sign and date by hand: {text}"
    );
    assert!(
        text.contains("尚无处理记录"),
        "an empty steps table says so: {text}"
    );
    assert!(
        text.contains("顾客反馈意见责任认定"),
        "no reaction recorded: nothing is printed in its place: {text}"
    );
}

#[test]
fn the_registration_lists_its_attachments_or_says_there_are_none() {
    let r = complaint_registration(Variant::Long);
    let text = text_of(&FormData::ComplaintRegistration(r.clone()), None);
    assert!(
        text.contains(&squash(&format!("附件{}处理时限", r.attachments.concat()))),
        "each attachment is listed by its file name: {text}"
    );
    assert!(
        text.contains(&squash(&r.time_limits.concat())),
        "the time limits set at registration are printed: {text}"
    );
    assert!(
        text.contains("登记人（首问受理人）姓名：王芳日期：2026-11-2210:05投诉人确认"),
        "the first receiver is named with the time received; the complainant confirms: {text}"
    );
    let mut none = complaint_registration(Variant::Empty);
    none.attachments = vec![" ".into()];
    let text = text_of(&FormData::ComplaintRegistration(none), None);
    assert!(
        text.contains("附件无处理时限"),
        "no attachment is said as 无, not left blank: {text}"
    );
    assert!(
        !text.contains("处理时限无"),
        "missing time limits are left blank, not printed as 无: {text}"
    );
}

#[test]
fn the_steps_heading_never_stays_behind_at_the_foot_of_a_page() {
    let columns = "序号时间步骤处理内容经办人";
    let mut seen_on_page_2 = false;
    // Each extra sentence of feedback moves the steps table down by about a line, so the
    // heading passes the foot of page 1 somewhere in this range.
    for extra in 0..12 {
        let mut slip = complaint_handling(Variant::Many);
        slip.feedback
            .push_str(&long("顾客补充：夜间噪音影响休息，", extra * 2));
        let form = FormData::ComplaintHandling(slip);
        let page1 = text_of(&form, Some((1, 1)));
        let page2 = text_of(&form, Some((2, 2)));
        let page = if page1.contains("三、处理记录") {
            page1
        } else {
            seen_on_page_2 = true;
            page2
        };
        assert!(
            page.contains(&format!("三、处理记录{columns}")),
            "with {extra} extra sentences the heading is followed on its page by the table's \
             header row: {page}"
        );
    }
    assert!(
        seen_on_page_2,
        "fixture: the longest feedback moves the steps table onto page 2"
    );
}

#[test]
fn the_handling_signatures_never_stand_alone_on_the_last_page() {
    let columns = "序号时间步骤处理内容经办人";
    let mut split_seen = false;
    // Eight short steps under a feedback of growing length: the end of the steps table moves
    // from just above the foot of page 1 (where the note and the signature boxes would go over
    // on their own) to past it.
    for extra in 0..16 {
        let mut slip = complaint_handling(Variant::Empty);
        slip.steps = complaint_steps(Variant::Long)
            .into_iter()
            .map(|s| ComplaintStepLine {
                content: s.content.split('，').next().unwrap().into(),
                ..s
            })
            .collect();
        slip.feedback
            .push_str(&long("顾客补充：夜间噪音影响休息，", extra * 2));
        let form = FormData::ComplaintHandling(slip.clone());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("handling.pdf");
        std::fs::write(&path, forms::render(&form).unwrap()).unwrap();
        let n = pages(&path);
        split_seen |= n == 2 && text_of(&form, Some((1, 1))).contains(columns);
        let last = text_of(&form, Some((n, n)));
        assert!(
            last.contains("验证人（管理者代表）"),
            "the signatures are on the last page: {last}"
        );
        if n > 1 {
            let last_step = &slip.steps[7];
            assert!(
                last.contains(columns)
                    && last.contains(&squash(&format!("8{}{}", last_step.at, last_step.step))),
                "with {extra} extra sentences the last page carries the last steps under the \
                 table's header row, not the signatures alone: {last}"
            );
        }
    }
    assert!(
        split_seen,
        "fixture: in some case the steps table starts on page 1 and its end reaches page 2"
    );
}
