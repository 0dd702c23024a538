//! Draws each form on A4 with the primitives of [`super::layout`]: which blocks a form has, in
//! which order, with which labels. Everything about how a block looks lives in `layout`.

use std::borrow::Cow;

use super::layout::{self, yuan, yuan_in_words, Align, Column, Doc, Field, Grid, SignBox, Table};
use super::{
    AcceptanceReceipt, DispatchSlip, FormData, Party, ReturnKind, ReturnNote, ServiceKind,
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
        // The parts forms are drawn by the parts issue's renderer (branch forms-parts).
        FormData::RequisitionSlip(_)
        | FormData::CountSheet(_)
        | FormData::ScrapRequest(_)
        | FormData::DisposalRecord(_) => {
            return Err(crate::Error::Render("this form has no layout yet".into()))
        }
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
    let col = |title, weight, align| Column {
        title,
        weight,
        align,
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
