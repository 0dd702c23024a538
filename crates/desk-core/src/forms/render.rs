//! Draws each form on A4 with the primitives of [`super::layout`]: which blocks a form has, in
//! which order, with which labels. Everything about how a block looks lives in `layout`.

use std::borrow::Cow;

use super::layout::{
    self, signed, yuan, yuan_in_words, Align, Column, Doc, Field, Grid, SignBox, Table,
};
use super::{
    AcceptanceReceipt, ApprovalLine, ComplaintHandling, ComplaintParty, ComplaintRegistration,
    CountLine, CountSheet, DispatchSlip, DisposalRecord, FormData, Party, RequisitionSlip,
    ReturnKind, ReturnNote, ScrapRequest, ServiceKind, StockLine,
};
use crate::{Error, Result};

/// The PostScript name of the one font the forms are printed in (`pdffonts` lists it after
/// the subset tag).
pub const FONT_NAME: &str = layout::FONT_NAME;

/// Wide enough for the longest label (使用说明已告知) on one line.
const LABEL_W: f32 = 30.0;
/// Free-text fields keep room for a few handwritten lines when printed empty.
const FREE_TEXT_LINES: usize = 2;

/// The form as PDF bytes: A4, the bundled font subset into the file, deterministic (the same
/// data always gives the same bytes, so a reprint is identical to the original).
pub fn render(form: &FormData) -> Result<Vec<u8>> {
    let seed = serde_json::to_vec(form)
        .map_err(|e| Error::Render(format!("serialising the form: {e}")))?;
    let doc = match form {
        FormData::DispatchSlip(f) => dispatch_slip(f)?,
        FormData::AcceptanceReceipt(f) => acceptance_receipt(f)?,
        FormData::ReturnNote(f) => return_note(f)?,
        FormData::RequisitionSlip(f) => requisition_slip(f)?,
        FormData::CountSheet(f) => count_sheet(f)?,
        FormData::ScrapRequest(f) => scrap_request(f)?,
        FormData::DisposalRecord(f) => disposal_record(f)?,
        FormData::ComplaintRegistration(f) => complaint_registration(f)?,
        FormData::ComplaintHandling(f) => complaint_handling(f)?,
    };
    doc.finish(&seed)
}

/// The characters of the form's text that the font cannot print (they would come out as
/// 〓), each once, in code point order: what the desk warns about before issuing.
pub fn missing_glyphs(form: &FormData) -> Vec<char> {
    fn walk(v: &serde_json::Value, text: &mut String) {
        match v {
            serde_json::Value::String(s) => {
                text.push_str(s);
                text.push('\n');
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, text)),
            serde_json::Value::Object(map) => map.values().for_each(|i| walk(i, text)),
            _ => {}
        }
    }
    // Walking the serialised form reaches every text field, including ones added later.
    let mut text = String::new();
    if let Ok(v) = serde_json::to_value(form) {
        walk(&v, &mut text);
    }
    let mut missing = layout::missing_glyphs(&text);
    missing.sort_unstable();
    missing
}

fn col(title: &str, weight: f32, align: Align) -> Column<'_> {
    Column {
        title,
        weight,
        align,
    }
}

fn is_commissioning(kind: ServiceKind) -> bool {
    matches!(kind, ServiceKind::Installation | ServiceKind::Commissioning)
}

fn people(names: &[String]) -> String {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

/// The customer and product block every work-order form opens with.
fn party_grid<'a>(
    work_order: &'a str,
    service: ServiceKind,
    party: &'a Party,
    date_label: &'a str,
) -> Grid<'a> {
    let purchase = party.purchase_date.map_or(Cow::Borrowed("不详"), |d| {
        Cow::Owned(d.format("%Y-%m-%d").to_string())
    });
    Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![
                Field::text("工单号", work_order),
                Field::text("服务类型", service.label_zh()),
            ],
            vec![
                Field::text("客户名称", &party.customer_name),
                Field::text("联系人", &party.contact_name),
            ],
            vec![
                Field::text("联系电话", &party.contact_phone),
                Field::text(date_label, purchase),
            ],
            vec![Field::text("地址", &party.address).span(2)],
            vec![
                Field::text("产品型号", &party.product),
                Field::text("序列号", &party.serial),
            ],
            vec![Field::text("保修状态", &party.warranty).span(2)],
        ],
    }
}

fn dispatch_slip(f: &DispatchSlip) -> Result<Doc> {
    let title = if is_commissioning(f.service) {
        "产品调试派遣书"
    } else {
        "产品维修派遣书"
    };
    let mut doc = Doc::new(title, &f.header)?;
    doc.section("一、客户与产品信息");
    doc.grid(&party_grid(
        &f.work_order_number,
        f.service,
        &f.party,
        "购买日期",
    ));
    doc.section("二、派工内容");
    let technicians = people(&f.technicians);
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![
                Field::text("预约时间", &f.appointment),
                Field::text("派工人", &f.dispatcher),
            ],
            vec![Field::text("技术员", &technicians).span(2)],
            vec![Field::text("故障描述", &f.fault_description)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
            vec![Field::text("携带工具及配件", &f.bring)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
            vec![Field::text("备注", &f.notes)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
        ],
    });
    doc.gap(2.0);
    doc.note(&format!(
        "说明：技术员到达现场请出示工作证件，按约定时间上门；更换配件须事先向客户说明名称、价格与保修并征得同意。{}",
        hotline_sentence(&f.header.site_hotline)
    ));
    doc.gap(3.0);
    doc.signatures(&[
        SignBox {
            label: "派工人",
            name: Some(&f.dispatcher),
            ..SignBox::default()
        },
        SignBox {
            label: "技术员",
            name: Some(&technicians),
            ..SignBox::default()
        },
        SignBox {
            label: "客户确认",
            ..SignBox::default()
        },
    ]);
    Ok(doc)
}

fn hotline_sentence(hotline: &str) -> String {
    if hotline.trim().is_empty() {
        String::new()
    } else {
        format!("如有疑问请拨打服务热线 {hotline}。")
    }
}

fn satisfaction(score: Option<u8>) -> Result<String> {
    let Some(score) = score else {
        return Ok("未评价".to_owned());
    };
    let word = match score {
        5 => "非常满意",
        4 => "满意",
        3 => "一般",
        2 => "不满意",
        1 => "非常不满意",
        other => {
            return Err(Error::Render(format!(
                "satisfaction {other} is not a score from 1 to 5"
            )))
        }
    };
    let face = layout::face();
    if face.has_glyph('★') && face.has_glyph('☆') {
        let n = usize::from(score);
        Ok(format!("{}{}　{word}", "★".repeat(n), "☆".repeat(5 - n)))
    } else {
        Ok(word.to_owned())
    }
}

fn sum(amounts: impl IntoIterator<Item = i64>) -> Result<i64> {
    amounts
        .into_iter()
        .try_fold(0i64, i64::checked_add)
        .ok_or_else(|| Error::Render("the amounts overflow".to_owned()))
}

fn acceptance_receipt(f: &AcceptanceReceipt) -> Result<Doc> {
    let parts_fen = sum(f.parts.iter().map(|p| p.charged_fen))?;
    let fees_fen = sum(f.fees.iter().map(|l| l.amount_fen))?;
    let computed = sum([parts_fen, fees_fen])?;
    if computed != f.total_fen {
        // A receipt whose total disagrees with its own lines must not reach a customer.
        return Err(Error::Render(format!(
            "total {} fen is not the sum of parts {} fen and fees {} fen",
            f.total_fen, parts_fen, fees_fen
        )));
    }
    let title = if is_commissioning(f.service) {
        "产品调试回执单"
    } else {
        "产品维修回执单"
    };
    let mut doc = Doc::new(title, &f.header)?;
    doc.section("一、客户与产品信息");
    doc.grid(&party_grid(
        &f.work_order_number,
        f.service,
        &f.party,
        "购买日期",
    ));

    doc.section("二、服务内容");
    let technicians = people(&f.technicians);
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            // Filled from the work record before issue, so no room is kept for handwriting:
            // a typical receipt then fits on one page with its signature boxes.
            vec![Field::text("故障描述", &f.fault_description).span(2)],
            vec![Field::text("处理情况", &f.work_done).span(2)],
            vec![Field::text("技术员", &technicians).span(2)],
        ],
    });

    doc.section("三、更换配件");
    let consent_mark = if layout::face().has_glyph('✓') {
        "✓"
    } else {
        "是"
    };
    // Widths in mm (the weights add up to the 180 mm of the page): the fixed columns just
    // fit their header and a four-digit amount, names and models share the rest.
    doc.table(&Table {
        columns: vec![
            col("序号", 11.0, Align::Center),
            col("配件名称", 42.0, Align::Left),
            col("型号", 38.0, Align::Left),
            col("数量", 11.0, Align::Right),
            col("单价", 20.0, Align::Right),
            col("保内/保外", 19.0, Align::Center),
            col("收费金额", 21.0, Align::Right),
            col("客户同意", 18.0, Align::Center),
        ],
        rows: f
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    (i + 1).to_string(),
                    p.name.clone(),
                    p.model.clone(),
                    p.qty.to_string(),
                    yuan(p.unit_price_fen),
                    if p.in_warranty { "保内" } else { "保外" }.to_owned(),
                    yuan(p.charged_fen),
                    if p.consent { consent_mark } else { "—" }.to_owned(),
                ]
            })
            .collect(),
        totals: (!f.parts.is_empty()).then(|| {
            let mut row = vec![String::new(); 8];
            row[0] = "配件小计".to_owned();
            row[6] = yuan(parts_fen);
            row
        }),
        empty: "未更换配件",
        min_lines: 1,
    });

    doc.section("四、服务费用");
    doc.table(&Table {
        columns: vec![
            col("序号", 11.0, Align::Center),
            col("收费项目", 148.0, Align::Left),
            col("金额", 21.0, Align::Right),
        ],
        rows: f
            .fees
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    (i + 1).to_string(),
                    l.description.clone(),
                    yuan(l.amount_fen),
                ]
            })
            .collect(),
        totals: (!f.fees.is_empty())
            .then(|| vec!["费用小计".to_owned(), String::new(), yuan(fees_fen)]),
        empty: "无服务费用",
        min_lines: 1,
    });
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![vec![Field::text(
            "合计金额",
            format!(
                "{}　人民币大写：{}",
                yuan(f.total_fen),
                yuan_in_words(f.total_fen)
            ),
        )
        .span(2)]],
    });

    doc.section("五、验收");
    let rating = satisfaction(f.satisfaction)?;
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![
                Field::choice(
                    "验收结果",
                    &["合格", "不合格"],
                    Some(usize::from(!f.passed)),
                ),
                Field::choice(
                    "使用说明已告知",
                    &["是", "否"],
                    Some(usize::from(!f.usage_instructions_given)),
                ),
            ],
            vec![Field::text("满意度", rating).span(2)],
            // Room to write by hand only when the opinion was not taken on screen.
            vec![Field::text("客户意见", &f.customer_opinion)
                .span(2)
                .min_lines(if f.customer_opinion.trim().is_empty() {
                    FREE_TEXT_LINES
                } else {
                    1
                })],
        ],
    });
    doc.gap(3.0);
    doc.signatures(&[
        SignBox {
            label: "客户签字",
            signature: f.signature.as_ref(),
            ..SignBox::default()
        },
        SignBox {
            label: "技术员签字",
            name: Some(&technicians),
            ..SignBox::default()
        },
    ]);
    Ok(doc)
}

fn return_note(f: &ReturnNote) -> Result<Doc> {
    let mut doc = Doc::new("销售退货单", &f.header)?;
    doc.section("一、客户与产品信息");
    // A return has no service kind of its own: that slot of the opening block holds the claim.
    let mut party = party_grid(
        &f.work_order_number,
        ServiceKind::Repair,
        &f.party,
        "原购买日期",
    );
    let kind = match f.kind {
        ReturnKind::Return => 0,
        ReturnKind::Exchange => 1,
    };
    party.rows[0][1] = Field::choice("处理方式", &["退货", "换货"], Some(kind));
    doc.grid(&party);
    doc.section("二、退换货处理");
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![Field::text("退换原因", &f.reason)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
            vec![Field::text("退换资格", &f.eligibility)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
            vec![Field::text("不合格品处置", &f.nonconforming_handling)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
        ],
    });
    doc.gap(3.0);
    doc.signatures(&[
        SignBox {
            label: "客户签字",
            ..SignBox::default()
        },
        SignBox {
            label: "审批人",
            name: Some(&f.approver),
            ..SignBox::default()
        },
    ]);
    Ok(doc)
}

// ---------------------------------------------------------------------------------------------
// The parts forms.

/// The rules the technician signs for: parts are for this work order only.
const REQUISITION_NOTE: &str =
    "说明：领用配件仅限本工单使用，不得外借或挪作他用；更换下的旧件须交回仓库，按规定返厂或报废。";

/// How a difference is reckoned, and that it changes the books only once approved.
const COUNT_NOTE: &str =
    "说明：差异 = 实盘数量 − 账面数量；有差异的项目须注明原因，经审批后方可调整账面。";

/// Scrapped parts are held, then destroyed in batches (报废处置记录).
const SCRAP_NOTE: &str =
    "说明：报废配件经批准后由仓库集中存放，定期统一销毁并填写报废处置记录，不得自行处理或挪作他用。";

/// Destroyed in front of the witness, and filed with the scrap requests.
const DISPOSAL_NOTE: &str =
    "说明：报废配件须在监销人现场监督下销毁，销毁后不得回收利用；本记录与对应的报废申请单一并存档。";

/// Refuses a parts form whose printed total is not the sum of its own lines: the paper is
/// signed as the value that leaves (or is written off from) stock.
fn check_total(lines: &[StockLine], total_fen: i64) -> Result<()> {
    let computed = sum(lines.iter().map(|l| l.amount_fen))?;
    if computed == total_fen {
        Ok(())
    } else {
        Err(Error::Render(format!(
            "total {total_fen} fen is not the sum of the lines, {computed} fen"
        )))
    }
}

/// The parts table of the requisition slip, the scrap request and the disposal record: one
/// row per part with its serial numbers one per line (a serial is copied from the paper
/// character by character, so it is never run together with the next), and the total, in
/// Chinese capitals as well on the forms that carry a value someone answers for.
fn stock_table(
    doc: &mut Doc,
    lines: &[StockLine],
    total_fen: i64,
    numbered: bool,
    in_words: bool,
    empty: &str,
) {
    // Widths in mm (each set adds up to 180): 序列号 fits a 20-character serial, 单价 a
    // four-digit price and 金额 a five-digit sum; code, name and model share what is left
    // (a long model is cut after its hyphens and slashes).
    let columns = if numbered {
        vec![
            col("序号", 10.5, Align::Center),
            col("配件编码", 18.5, Align::Left),
            col("名称", 25.0, Align::Left),
            col("型号", 22.0, Align::Left),
            col("单位", 10.5, Align::Center),
            col("数量", 10.5, Align::Right),
            col("序列号", 44.0, Align::Left),
            col("单价", 18.5, Align::Right),
            col("金额", 20.5, Align::Right),
        ]
    } else {
        vec![
            col("配件编码", 19.5, Align::Left),
            col("名称", 31.0, Align::Left),
            col("型号", 25.5, Align::Left),
            col("单位", 10.5, Align::Center),
            col("数量", 10.5, Align::Right),
            col("序列号", 44.0, Align::Left),
            col("单价", 18.5, Align::Right),
            col("金额", 20.5, Align::Right),
        ]
    };
    let rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let serials = l
                .serials
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            let mut row = vec![
                l.code.clone(),
                l.name.clone(),
                l.model.clone(),
                l.unit.clone(),
                l.qty.to_string(),
                serials,
                yuan(l.unit_price_fen),
                yuan(l.amount_fen),
            ];
            if numbered {
                row.insert(0, (i + 1).to_string());
            }
            row
        })
        .collect();
    let totals = (!lines.is_empty()).then(|| {
        let mut row = vec![String::new(); columns.len()];
        row[0] = if in_words {
            format!("合计　人民币大写：{}", yuan_in_words(total_fen))
        } else {
            "合计".to_owned()
        };
        row[columns.len() - 1] = yuan(total_fen);
        row
    });
    doc.table(&Table {
        columns,
        rows,
        totals,
        empty,
        min_lines: 1,
    });
}

/// The name recorded for `role` in the approvals, for the matching signature box.
fn approver<'a>(approvals: &'a [ApprovalLine], role: &str) -> Option<&'a ApprovalLine> {
    approvals.iter().rev().find(|a| a.role.trim() == role)
}

/// A signature box for an approval role, with the approver's name and time when recorded.
fn approval_box<'a>(label: &'a str, approvals: &'a [ApprovalLine], role: &str) -> SignBox<'a> {
    let a = approver(approvals, role);
    SignBox {
        label,
        name: a.map(|a| a.name.as_str()).filter(|n| !n.trim().is_empty()),
        date: a.map(|a| a.at.as_str()).filter(|d| !d.trim().is_empty()),
        ..SignBox::default()
    }
}

fn requisition_slip(f: &RequisitionSlip) -> Result<Doc> {
    check_total(&f.lines, f.total_fen)?;
    let mut doc = Doc::new("配件领用单", &f.header)?;
    doc.section("一、领用信息");
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![
                Field::text("工单号", &f.work_order_number),
                Field::text("领用人", &f.technician),
            ],
            vec![Field::text("客户名称", &f.customer_name).span(2)],
            vec![Field::text("仓库/库位", &f.location).span(2)],
            vec![Field::text("领用用途", &f.purpose).span(2)],
        ],
    });
    doc.section("二、领用配件");
    stock_table(&mut doc, &f.lines, f.total_fen, true, true, "无领用配件");
    doc.section("三、审批记录");
    doc.approvals(&f.approvals, &["审批人"]);
    doc.closing(
        REQUISITION_NOTE,
        &[
            SignBox {
                label: "领用人",
                name: Some(&f.technician),
                ..SignBox::default()
            },
            approval_box("审批人", &f.approvals, "审批人"),
            SignBox {
                label: "发料人（仓库管理员）",
                ..SignBox::default()
            },
        ],
    );
    Ok(doc)
}

/// What the count of one line shows: its counted quantity and difference, both None on the
/// blank sheet. A difference that is not the count minus the book is refused: the sheet is
/// what the stock is adjusted by.
fn counted(line: &CountLine) -> Result<Option<(i64, i64)>> {
    match (line.counted_qty, line.difference) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(Error::Render(format!(
            "part {} has a difference but no counted quantity",
            line.code
        ))),
        (Some(c), d) => {
            let computed = c
                .checked_sub(line.book_qty)
                .ok_or_else(|| Error::Render("the difference overflows".to_owned()))?;
            match d {
                Some(d) if d != computed => Err(Error::Render(format!(
                    "part {}: difference {d} is not counted {c} minus book {}",
                    line.code, line.book_qty
                ))),
                _ => Ok(Some((c, computed))),
            }
        }
    }
}

fn count_sheet(f: &CountSheet) -> Result<Doc> {
    let counts = f.lines.iter().map(counted).collect::<Result<Vec<_>>>()?;
    let done = counts.iter().flatten().count();
    let blank = done == 0;
    let book = sum(f.lines.iter().map(|l| l.book_qty))?;
    let counted_sum = sum(counts.iter().flatten().map(|&(c, _)| c))?;
    let diffs: Vec<i64> = counts.iter().flatten().map(|&(_, d)| d).collect();
    let net = sum(diffs.iter().copied())?;
    let gain = sum(diffs.iter().copied().filter(|&d| d > 0))?;
    let loss = sum(diffs.iter().copied().filter(|&d| d < 0))?;
    let count_of = |pred: fn(i64) -> bool| diffs.iter().filter(|&&d| pred(d)).count();

    let mut doc = Doc::new("配件盘点表", &f.header)?;
    doc.section("一、盘点信息");
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![Field::text("仓库/库位", &f.location).span(2)],
            vec![
                Field::text("盘点日期", &f.counted_on),
                Field::text("盘点人", &f.counter),
            ],
        ],
    });
    doc.section("二、盘点明细");
    let rows = f
        .lines
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, (l, c))| {
            vec![
                (i + 1).to_string(),
                l.code.clone(),
                l.name.clone(),
                l.model.clone(),
                l.unit.clone(),
                l.book_qty.to_string(),
                c.map_or_else(String::new, |(c, _)| c.to_string()),
                c.map_or_else(String::new, |(_, d)| signed(d)),
                l.reason.clone(),
            ]
        })
        .collect();
    let totals = (!f.lines.is_empty()).then(|| {
        let mut row = vec![String::new(); 9];
        row[0] = "合计".to_owned();
        row[5] = book.to_string();
        if !blank {
            row[6] = counted_sum.to_string();
            row[7] = signed(net);
        }
        row
    });
    doc.table(&Table {
        columns: vec![
            col("序号", 10.5, Align::Center),
            col("编码", 19.0, Align::Left),
            col("名称", 28.0, Align::Left),
            col("型号", 22.0, Align::Left),
            col("单位", 10.5, Align::Center),
            col("账面数量", 17.5, Align::Right),
            col("实盘数量", 17.5, Align::Right),
            col("差异", 13.0, Align::Right),
            col("差异原因", 42.0, Align::Left),
        ],
        rows,
        totals,
        empty: "本库位无账面库存",
        // The blank sheet is filled in at the shelves: a figure and a few words of reason
        // need more than a printed line's height.
        min_lines: if blank { 2 } else { 1 },
    });
    let n = f.lines.len();
    let result = if f.lines.is_empty() {
        "无盘点项目".to_owned()
    } else if blank {
        // Blanks to fill in by hand once the count is done.
        format!("共 {n} 项：相符　　　项，盘盈　　　项，盘亏　　　项")
    } else {
        let progress = if done < n {
            format!("，已盘 {done} 项")
        } else {
            String::new()
        };
        // A kind of difference that did not occur is said without a zero sum after it.
        let kind = |label: &str, n: usize, total: i64| {
            if n == 0 {
                format!("{label} 0 项")
            } else {
                format!("{label} {n} 项（{}）", signed(total))
            }
        };
        format!(
            "共 {n} 项{progress}：相符 {} 项，{}，{}，净差异 {}",
            count_of(|d| d == 0),
            kind("盘盈", count_of(|d| d > 0), gain),
            kind("盘亏", count_of(|d| d < 0), loss),
            signed(net),
        )
    };
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![vec![Field::text("盘点结果", result).span(2)]],
    });
    doc.section("三、审批记录");
    doc.approvals(&f.approvals, &["审批人"]);
    doc.closing(
        COUNT_NOTE,
        &[
            SignBox {
                label: "盘点人",
                name: Some(&f.counter),
                ..SignBox::default()
            },
            approval_box("监盘人", &f.approvals, "监盘人"),
            approval_box("审批人", &f.approvals, "审批人"),
        ],
    );
    Ok(doc)
}

fn scrap_request(f: &ScrapRequest) -> Result<Doc> {
    check_total(&f.lines, f.total_fen)?;
    let mut doc = Doc::new("配件报废申请单", &f.header)?;
    doc.section("一、申请信息");
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![Field::text("仓库/库位", &f.location).span(2)],
            vec![Field::text("申请人", &f.applicant).span(2)],
        ],
    });
    doc.section("二、报废配件");
    stock_table(&mut doc, &f.lines, f.total_fen, false, true, "无报废配件");
    doc.section("三、报废原因");
    let photos = if f.photos > 0 {
        format!("附照片 {} 张", f.photos)
    } else {
        "无照片".to_owned()
    };
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![Field::text("报废原因", &f.reason)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
            vec![Field::text("附件", photos).span(2)],
        ],
    });
    doc.section("四、审批流程");
    doc.approvals(&f.approvals, &["申请人", "审核部门", "批准人"]);
    doc.closing(
        SCRAP_NOTE,
        &[
            SignBox {
                label: "申请人",
                name: Some(&f.applicant),
                date: approver(&f.approvals, "申请人")
                    .map(|a| a.at.as_str())
                    .filter(|d| !d.trim().is_empty()),
                ..SignBox::default()
            },
            approval_box("审核部门", &f.approvals, "审核部门"),
            approval_box("批准人", &f.approvals, "批准人"),
        ],
    );
    Ok(doc)
}

fn disposal_record(f: &DisposalRecord) -> Result<Doc> {
    check_total(&f.lines, f.total_fen)?;
    let mut doc = Doc::new("配件报废处置记录", &f.header)?;
    doc.section("一、处置信息");
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![
                Field::text("处置批次", &f.batch),
                Field::text("处置方式", &f.method),
            ],
            vec![Field::text("仓库/库位", &f.location).span(2)],
        ],
    });
    doc.section("二、处置配件");
    stock_table(&mut doc, &f.lines, f.total_fen, true, false, "无处置配件");
    doc.section("三、对应报废申请");
    let numbers = f
        .scrap_numbers
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>();
    let numbers = if numbers.is_empty() {
        String::new()
    } else {
        format!("{}（共 {} 份）", numbers.join("、"), numbers.len())
    };
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![vec![Field::text("报废申请单号", numbers).span(2)]],
    });
    doc.closing(
        DISPOSAL_NOTE,
        &[
            SignBox {
                label: "处置人",
                name: Some(&f.disposed_by),
                ..SignBox::default()
            },
            SignBox {
                label: "监销人",
                name: Some(&f.witness),
                ..SignBox::default()
            },
        ],
    );
    Ok(doc)
}

// ---------------------------------------------------------------------------------------------
// The complaint forms.

/// The first receiver answers for the complaint until it is handed over (首问负责制). One line
/// at the note's size: a second line would hold a word or two and look like an accident.
const REGISTRATION_NOTE: &str =
    "说明：本单由首问受理人登记并跟踪至结案；投诉须在规定时限内受理、响应和处理，征得顾客意见后方可结案。";

/// Closed loop (闭环): the customer's reaction is on the paper the verifier signs.
const HANDLING_NOTE: &str =
    "说明：处理措施须告知顾客并落实，顾客对处理结果的意见记录在案后方可结案，由管理者代表验证。";

/// Who complained, how, when and about what: the opening block of both complaint forms. The
/// short fields go two to a row (type beside level, the customer beside the channel): the
/// handling slip needs the room for its steps and signatures.
fn complaint_party(doc: &mut Doc, p: &ComplaintParty) {
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![
                Field::text("投诉编号", &p.complaint_number),
                Field::text("受理时间", &p.received_at),
            ],
            vec![
                Field::text("投诉类型", &p.kind),
                Field::text("投诉级别", &p.level),
            ],
            vec![
                Field::text("投诉人", &p.complainant),
                Field::text("联系电话", &p.phone),
            ],
            vec![
                Field::text("客户名称", &p.customer_name),
                Field::text("投诉渠道", &p.channel),
            ],
            vec![Field::text("地址", &p.address).span(2)],
            vec![Field::text("投诉对象", &p.object).span(2)],
        ],
    });
}

/// One item per line, blanks dropped.
fn one_per_line(items: &[String]) -> String {
    items
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn complaint_registration(f: &ComplaintRegistration) -> Result<Doc> {
    let attachments = one_per_line(&f.attachments);
    let attachments = if attachments.is_empty() {
        // Said, not left blank: a blank could be an attachment not yet listed.
        "无".to_owned()
    } else {
        attachments
    };
    let mut doc = Doc::new("顾客意见登记单", &f.header)?;
    doc.section("一、投诉人与投诉对象");
    complaint_party(&mut doc, &f.party);
    doc.section("二、意见内容");
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            // Room to write in even when filled: a walk-in complainant may add to what the
            // receiver typed before signing.
            vec![Field::text("意见内容", &f.content)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
            vec![Field::text("顾客要求", &f.demand)
                .span(2)
                .min_lines(FREE_TEXT_LINES)],
            vec![Field::text("附件", attachments).span(2)],
            // Blank, not 无, when none was recorded: every complaint has its time limits.
            vec![Field::text("处理时限", one_per_line(&f.time_limits)).span(2)],
        ],
    });
    doc.closing(
        REGISTRATION_NOTE,
        &[
            SignBox {
                label: "登记人（首问受理人）",
                name: Some(&f.registered_by),
                date: Some(&f.party.received_at),
                ..SignBox::default()
            },
            SignBox {
                label: "投诉人确认",
                ..SignBox::default()
            },
        ],
    );
    Ok(doc)
}

fn complaint_handling(f: &ComplaintHandling) -> Result<Doc> {
    let mut doc = Doc::new("顾客信息处理单", &f.header)?;
    doc.section("一、顾客信息");
    complaint_party(&mut doc, &f.party);
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        // Copied from the registration, never written in by hand.
        rows: vec![vec![Field::text("信息内容", &f.feedback).span(2)]],
    });
    doc.section("二、调查与处理");
    doc.grid(&Grid {
        cols: 2,
        label_w: LABEL_W,
        rows: vec![
            vec![
                Field::text("性质判定", &f.validity),
                Field::text("责任部门", &f.department),
            ],
            // Filled from the recorded steps before issue, so no room is kept for handwriting
            // (as on the acceptance receipt): a slip takes no more paper than its text, and
            // one printed before any handling ends on page 1 with its signatures.
            vec![Field::text("原因调查", &f.cause).span(2)],
            vec![Field::text("处理措施", &f.measures).span(2)],
            vec![Field::text("告知与落实", &f.result).span(2)],
            // Not 顾客意见, which reads as the complaint itself: the customer's word on the
            // solution, without which the complaint cannot close. Room to write it by hand
            // when it was not taken on screen.
            vec![Field::text("顾客反馈意见", &f.customer_reaction)
                .span(2)
                .min_lines(if f.customer_reaction.trim().is_empty() {
                    FREE_TEXT_LINES
                } else {
                    1
                })],
            vec![Field::text("责任认定", &f.responsibility).span(2)],
            vec![Field::text("总结", &f.summary).span(2)],
            vec![Field::text("时限执行", one_per_line(&f.clocks)).span(2)],
        ],
    });
    let steps = Table {
        // Widths in mm (adding up to 180): 时间 fits `2026-11-22 10:05`, 步骤 a four-character
        // step (告知落实), 经办人 a department and a name (质量部 李工); the content takes
        // the rest.
        columns: vec![
            col("序号", 10.5, Align::Center),
            col("时间", 31.5, Align::Center),
            col("步骤", 19.0, Align::Center),
            col("处理内容", 97.0, Align::Left),
            col("经办人", 22.0, Align::Center),
        ],
        rows: f
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    (i + 1).to_string(),
                    s.at.clone(),
                    s.step.clone(),
                    s.content.clone(),
                    s.by.clone(),
                ]
            })
            .collect(),
        totals: None,
        empty: "尚无处理记录",
        min_lines: 1,
    };
    let boxes = [
        SignBox {
            label: "处理人",
            name: Some(&f.handler),
            ..SignBox::default()
        },
        SignBox {
            label: "验证人（管理者代表）",
            name: Some(f.verifier.as_str()).filter(|v| !v.trim().is_empty()),
            ..SignBox::default()
        },
    ];
    Ok(table_and_closing(
        doc,
        "三、处理记录",
        steps,
        HANDLING_NOTE,
        &boxes,
    ))
}

/// How many rows of a table go over to the next page with the closing note and signatures
/// when these do not fit under the table.
const ROWS_WITH_CLOSING: usize = 2;

/// A table and the closing under it. [`Doc::closing`] keeps the note and the signature boxes
/// together, but when they do not fit under the table's last row they would stand alone on the
/// last page, a sheet that looks stray and could be swapped: then the last rows go over with
/// them, under the repeated header row as at any page break.
fn table_and_closing(doc: Doc, heading: &str, table: Table, note: &str, boxes: &[SignBox]) -> Doc {
    let mut trial = doc.clone();
    trial.section_with_table(heading, &table);
    let pages = trial.page_count();
    trial.closing(note, boxes);
    if trial.page_count() == pages {
        return trial;
    }
    let mut doc = doc;
    let split = table.rows.len().saturating_sub(ROWS_WITH_CLOSING);
    if split == 0 {
        doc.new_page();
        doc.section_with_table(heading, &table);
    } else {
        let (head, tail) = table.rows.split_at(split);
        doc.section_with_table(
            heading,
            &Table {
                rows: head.to_vec(),
                ..table.clone()
            },
        );
        doc.new_page();
        doc.table(&Table {
            rows: tail.to_vec(),
            ..table
        });
    }
    doc.closing(note, boxes);
    doc
}
