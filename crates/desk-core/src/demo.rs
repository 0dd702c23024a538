//! Realistic demo data (a few hundred customers across Chinese cities with their appliances)
//! loaded through the ordinary core functions, so every record is validated and logged; and a
//! bulk generator of millions of rows for benchmarks, which writes the same tables directly.

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::catalog::{self, ProductModelInput};
use crate::customers::{self, AddressInput, ContactInput, CustomerInput, CustomerKind};
use crate::error::{Error, Result};
use crate::search::{self, Doc};
use crate::units::{self, UnitInput};
use crate::users::{self, NewUser, Permission, Role};
use crate::{new_id, Desk};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DemoSummary {
    pub customers: i64,
    pub units: i64,
    pub models: i64,
    pub users: i64,
    pub work_orders: i64,
    pub parts: i64,
    pub complaints: i64,
}

/// Demo staff, one per role besides the admin; their password is `DEMO_PASSWORD`.
pub const DEMO_PASSWORD: &str = "demo1234";
const STAFF: &[(&str, &str, Role)] = &[
    ("qiantai", "周丽", Role::FrontDesk),
    ("diaodu", "陈刚", Role::Dispatcher),
    ("jishi", "王建军", Role::Technician),
    ("jishi2", "刘海涛", Role::Technician),
    ("cangku", "李敏", Role::WarehouseKeeper),
    ("shouyin", "赵芳", Role::Cashier),
    ("huifang", "孙婷", Role::ReturnVisitOfficer),
    ("zhuguan", "刘洋", Role::Supervisor),
];

struct City {
    province: &'static str,
    city: &'static str,
    area_code: &'static str,
    districts: &'static [&'static str],
    streets: &'static [&'static str],
}

const CITIES: &[City] = &[
    City {
        province: "上海市",
        city: "上海市",
        area_code: "021",
        districts: &["浦东新区", "徐汇区", "闵行区", "静安区", "杨浦区"],
        streets: &[
            "张杨路",
            "世纪大道",
            "漕溪北路",
            "虹梅路",
            "南京西路",
            "国权路",
        ],
    },
    City {
        province: "北京市",
        city: "北京市",
        area_code: "010",
        districts: &["朝阳区", "海淀区", "丰台区", "东城区"],
        streets: &["建国路", "中关村大街", "丰台北路", "东四十条"],
    },
    City {
        province: "广东省",
        city: "广州市",
        area_code: "020",
        districts: &["天河区", "越秀区", "番禺区", "海珠区"],
        streets: &["天河路", "中山五路", "市桥大北路", "江南大道中"],
    },
    City {
        province: "广东省",
        city: "深圳市",
        area_code: "0755",
        districts: &["南山区", "福田区", "宝安区", "龙岗区"],
        streets: &["科技园南路", "深南大道", "新安六路", "龙岗大道"],
    },
    City {
        province: "浙江省",
        city: "杭州市",
        area_code: "0571",
        districts: &["西湖区", "滨江区", "余杭区", "拱墅区"],
        streets: &["文三路", "江南大道", "文一西路", "湖墅南路"],
    },
    City {
        province: "江苏省",
        city: "南京市",
        area_code: "025",
        districts: &["鼓楼区", "江宁区", "玄武区"],
        streets: &["中山北路", "双龙大道", "珠江路"],
    },
    City {
        province: "江苏省",
        city: "苏州市",
        area_code: "0512",
        districts: &["姑苏区", "工业园区", "吴中区"],
        streets: &["人民路", "星湖街", "东吴北路"],
    },
    City {
        province: "四川省",
        city: "成都市",
        area_code: "028",
        districts: &["武侯区", "锦江区", "高新区", "成华区"],
        streets: &["人民南路", "春熙路", "天府大道", "建设路"],
    },
    City {
        province: "湖北省",
        city: "武汉市",
        area_code: "027",
        districts: &["洪山区", "江汉区", "武昌区"],
        streets: &["珞喻路", "解放大道", "中北路"],
    },
    City {
        province: "山东省",
        city: "青岛市",
        area_code: "0532",
        districts: &["市南区", "崂山区", "黄岛区"],
        streets: &["香港中路", "海尔路", "长江中路"],
    },
    City {
        province: "陕西省",
        city: "西安市",
        area_code: "029",
        districts: &["雁塔区", "碑林区", "未央区"],
        streets: &["小寨东路", "南大街", "凤城八路"],
    },
    City {
        province: "天津市",
        city: "天津市",
        area_code: "022",
        districts: &["南开区", "河西区", "和平区"],
        streets: &["鞍山西道", "友谊路", "南京路"],
    },
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任",
    "沈", "姚", "卢", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "欧阳",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "华", "玉兰", "萍", "红", "建华", "文", "辉", "鹏",
    "宇", "浩", "晨", "欣怡", "婷", "子涵", "梓轩", "一诺", "雨桐", "思远", "志强", "建国", "海燕",
    "丹", "俊", "斌", "亮", "琳", "雪", "晓东", "春梅", "国庆", "嘉怡", "浩然",
];
const COMPANY_WORDS: &[&str] = &[
    "华润",
    "恒丰",
    "金桥",
    "新世纪",
    "东方",
    "宏达",
    "瑞丰",
    "锦江",
    "德信",
    "博远",
    "天和",
    "中联",
];
const INDUSTRIES: &[&str] = &[
    "酒店管理",
    "餐饮管理",
    "物业管理",
    "商贸",
    "信息科技",
    "置业",
    "医疗器械",
    "教育咨询",
];
const TITLES: &[&str] = &["采购经理", "行政主管", "物业经理", "总务", "工程部主管"];
const SELLERS: &[&str] = &[
    "苏宁易购",
    "国美电器",
    "京东自营",
    "天猫旗舰店",
    "品牌专卖店",
    "五星电器",
];

/// (category, brand, model, serial prefix)
const MODELS: &[(&str, &str, &str, &str)] = &[
    ("空调", "格力", "KFR-35GW/NhGc1B", "GL"),
    ("空调", "格力", "KFR-72LW/NhIb1B", "GL"),
    ("空调", "美的", "KFR-35GW/N8MJA3", "MD"),
    ("空调", "美的", "KFR-51LW/BP3DN8Y", "MD"),
    ("空调", "海尔", "KFR-35GW/05EDS83", "HR"),
    ("冰箱", "海尔", "BCD-470WDPG", "HR"),
    ("冰箱", "美的", "BCD-508WKPZM", "MD"),
    ("冰箱", "西门子", "KA92NV02TI", "SM"),
    ("洗衣机", "海尔", "EG100MATE2S", "HR"),
    ("洗衣机", "小天鹅", "TG100V88WMUIADY5", "XT"),
    ("洗衣机", "西门子", "WM12P2602W", "SM"),
    ("热水器", "A.O.史密斯", "E60VN3-B", "AO"),
    ("热水器", "海尔", "EC6002-MC3", "HR"),
    ("热水器", "万和", "JSQ30-565W16", "WH"),
    ("油烟机", "方太", "CXW-258-EMD20T", "FT"),
    ("油烟机", "老板", "CXW-260-27A7", "LB"),
    ("燃气灶", "方太", "JZT-TH29B", "FT"),
    ("燃气灶", "老板", "JZT-37B0", "LB"),
    ("电视", "海信", "65E5K", "HX"),
    ("电视", "TCL", "75Q10G", "TC"),
    ("净水器", "沁园", "RO-185I", "QY"),
    ("洗碗机", "美的", "RX600", "MD"),
];

fn person_name(rng: &mut StdRng) -> String {
    format!(
        "{}{}",
        SURNAMES.choose(rng).unwrap(),
        GIVEN.choose(rng).unwrap()
    )
}

fn mobile(rng: &mut StdRng) -> String {
    const PREFIXES: &[&str] = &[
        "130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158",
        "159", "166", "177", "180", "181", "186", "187", "188", "189", "199",
    ];
    format!(
        "{}{:08}",
        PREFIXES.choose(rng).unwrap(),
        rng.random_range(0..100_000_000u32)
    )
}

fn address(rng: &mut StdRng, city: &City) -> AddressInput {
    let detail = match rng.random_range(0..3) {
        0 => format!(
            "{}{}号{}栋{}室",
            city.streets.choose(rng).unwrap(),
            rng.random_range(1..999),
            rng.random_range(1..30),
            rng.random_range(101..2802)
        ),
        1 => format!(
            "{}{}弄{}号{}室",
            city.streets.choose(rng).unwrap(),
            rng.random_range(1..600),
            rng.random_range(1..40),
            rng.random_range(101..1802)
        ),
        _ => format!(
            "{}{}号",
            city.streets.choose(rng).unwrap(),
            rng.random_range(1..2000)
        ),
    };
    AddressInput {
        id: None,
        province: city.province.into(),
        city: city.city.into(),
        district: (*city.districts.choose(rng).unwrap()).into(),
        detail,
    }
}

fn customer_input(rng: &mut StdRng) -> CustomerInput {
    let city = CITIES.choose(rng).unwrap();
    if rng.random_bool(0.15) {
        let name = format!(
            "{}{}{}有限公司",
            city.city.trim_end_matches('市'),
            COMPANY_WORDS.choose(rng).unwrap(),
            INDUSTRIES.choose(rng).unwrap()
        );
        let mut contacts = vec![ContactInput {
            id: None,
            name: person_name(rng),
            phone: format!(
                "{}-{}{:07}",
                city.area_code,
                rng.random_range(2..9),
                rng.random_range(0..10_000_000u32)
            ),
            title: (*TITLES.choose(rng).unwrap()).into(),
        }];
        contacts.push(ContactInput {
            id: None,
            name: person_name(rng),
            phone: mobile(rng),
            title: (*TITLES.choose(rng).unwrap()).into(),
        });
        CustomerInput {
            kind: CustomerKind::Company,
            name,
            note: String::new(),
            contacts,
            addresses: vec![address(rng, city)],
        }
    } else {
        let name = person_name(rng);
        let mut contacts = vec![ContactInput {
            id: None,
            name: name.clone(),
            phone: mobile(rng),
            title: String::new(),
        }];
        if rng.random_bool(0.2) {
            contacts.push(ContactInput {
                id: None,
                name: person_name(rng),
                phone: mobile(rng),
                title: "家属".into(),
            });
        }
        CustomerInput {
            kind: CustomerKind::Person,
            name,
            note: String::new(),
            contacts,
            addresses: vec![address(rng, city)],
        }
    }
}

fn serial(rng: &mut StdRng, prefix: &str, purchase: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{prefix}{:02}{:02}{:07}{}",
        purchase.year() % 100,
        purchase.month(),
        rng.random_range(0..10_000_000u32),
        (b'A' + rng.random_range(0..26u8)) as char
    )
}

/// Purchase dates over the last five years, with a tenth in the last month so that some units
/// are still inside their return or exchange term.
fn purchase_date(rng: &mut StdRng, today: NaiveDate) -> NaiveDate {
    let back = if rng.random_bool(0.1) {
        rng.random_range(0..30)
    } else {
        rng.random_range(30..5 * 365)
    };
    today - Days::new(back)
}

/// Loads the demo archive into an empty one. Admin only.
pub fn load(desk: &mut Desk, customers_n: usize) -> Result<DemoSummary> {
    desk.require(Permission::LoadDemoData)?;
    let existing: i64 = desk
        .conn()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(Error::Conflict {
            entity: "archive",
            id: "customers".into(),
            expected: 0,
        });
    }
    let mut rng = StdRng::seed_from_u64(2026);
    let today = desk.today();
    let mut summary = DemoSummary {
        customers: 0,
        units: 0,
        models: 0,
        users: 0,
        work_orders: 0,
        parts: 0,
        complaints: 0,
    };

    let known: std::collections::HashSet<String> = catalog::list(desk)?
        .into_iter()
        .map(|m| format!("{}|{}", m.brand, m.model))
        .collect();
    for (category, brand, model, _) in MODELS {
        if !known.contains(&format!("{brand}|{model}")) {
            catalog::create(
                desk,
                ProductModelInput {
                    brand: (*brand).into(),
                    model: (*model).into(),
                    category: (*category).into(),
                },
            )?;
            summary.models += 1;
        }
    }
    let models = catalog::list(desk)?;
    let prefix_of = |id: &str| {
        let m = models.iter().find(|m| m.id == id).expect("listed model");
        MODELS
            .iter()
            .find(|(_, b, n, _)| *b == m.brand && *n == m.model)
            .map(|x| x.3)
            .unwrap_or("SN")
    };

    let usernames: std::collections::HashSet<String> =
        users::list(desk)?.into_iter().map(|u| u.username).collect();
    for (username, display, role) in STAFF {
        if !usernames.contains(*username) {
            users::create(
                desk,
                NewUser {
                    username: (*username).into(),
                    display_name: (*display).into(),
                    role: *role,
                    password: DEMO_PASSWORD.into(),
                },
            )?;
            summary.users += 1;
        }
    }

    for _ in 0..customers_n {
        let detail = customers::create(desk, customer_input(&mut rng))?;
        summary.customers += 1;
        let n_units = *[1, 1, 1, 2, 2, 3].choose(&mut rng).unwrap();
        for _ in 0..n_units {
            let model = models.choose(&mut rng).unwrap();
            let purchase = purchase_date(&mut rng, today);
            let install = (purchase + Days::new(rng.random_range(0..8))).min(today);
            let input = UnitInput {
                model_id: model.id.clone(),
                serial: serial(&mut rng, prefix_of(&model.id), purchase),
                purchase_date: Some(purchase.to_string()),
                seller: format!(
                    "{}{}",
                    SELLERS.choose(&mut rng).unwrap(),
                    if rng.random_bool(0.5) { "门店" } else { "" }
                ),
                install_date: rng.random_bool(0.85).then(|| install.to_string()),
                address_id: detail.addresses.first().map(|a| a.id.clone()),
                note: String::new(),
            };
            units::create(desk, &detail.customer.id, input)?;
            summary.units += 1;
        }
    }
    summary.parts = demo_parts(desk, &mut rng)?;
    summary.work_orders = demo_work_orders(desk, &mut rng, customers_n.min(40))?;
    summary.complaints = demo_complaints(desk, &mut rng, customers_n.min(30))?;
    Ok(summary)
}

/// (code, name, model, unit, price in fen, serial-tracked)
const PARTS: &[(&str, &str, &str, &str, i64, bool)] = &[
    ("CAP-35", "启动电容", "CBB65 35μF", "个", 4500, false),
    ("CAP-25", "风扇电容", "CBB61 2.5μF", "个", 1800, false),
    ("R32-500", "R32 冷媒", "500g", "瓶", 12000, false),
    ("FAN-OUT", "室外风扇电机", "YDK-45-6", "台", 26000, true),
    ("PCB-IN", "室内机主板", "KFR-35GW 主控板", "块", 38000, true),
    ("PCB-OUT", "室外机主板", "变频驱动板", "块", 52000, true),
    ("SENS-T", "温度传感器", "10K NTC", "个", 2500, false),
    ("VALVE-4", "四通阀", "DSF-9U", "个", 16000, false),
    ("BELT-W", "洗衣机皮带", "M-10", "条", 3500, false),
    ("PUMP-D", "排水泵", "B20-6A", "个", 9000, false),
    ("IGN-1", "热水器点火针", "DH-1", "个", 1500, false),
    ("THERM-F", "冰箱温控器", "WDF20", "个", 6500, false),
];

/// A main store, a van, the scrap-holding area and a stocked catalog of common parts.
fn demo_parts(desk: &mut Desk, rng: &mut StdRng) -> Result<i64> {
    use crate::parts::{self, LocationInput, LocationKind, PartInput, ReceiptInput};
    if !parts::list_parts(desk, "")?.is_empty() {
        return Ok(0);
    }
    let main = parts::create_location(
        desk,
        LocationInput {
            code: "MAIN".into(),
            name: "主仓库".into(),
            kind: LocationKind::Store,
        },
    )?;
    parts::create_location(
        desk,
        LocationInput {
            code: "VAN1".into(),
            name: "一号服务车".into(),
            kind: LocationKind::Store,
        },
    )?;
    parts::create_location(
        desk,
        LocationInput {
            code: "SCRAP".into(),
            name: "报废暂存区".into(),
            kind: LocationKind::Scrap,
        },
    )?;
    for (code, name, model, unit, price, serial) in PARTS {
        let part = parts::create_part(
            desk,
            PartInput {
                code: (*code).into(),
                name: (*name).into(),
                model: (*model).into(),
                unit: (*unit).into(),
                price_fen: *price,
                warranty_months: 12,
                reorder_point: if *serial { 2 } else { 10 },
                serial_tracked: *serial,
                active: true,
            },
        )?;
        let qty: i64 = if *serial { 3 } else { rng.random_range(4..40) };
        let serials = if *serial {
            (1..=qty).map(|i| format!("{code}-2026{i:04}")).collect()
        } else {
            Vec::new()
        };
        parts::receive(
            desk,
            ReceiptInput {
                part_id: part.id,
                location_id: main.id.clone(),
                qty,
                supplier: "厂家配件中心".into(),
                passed: true,
                note: String::new(),
                serials,
            },
        )?;
    }
    Ok(PARTS.len() as i64)
}

const FAULTS: &[&str] = &[
    "空调开机后不制冷，室外机风扇不转，显示屏报 E4 故障代码。",
    "洗衣机脱水时剧烈抖动并伴有异响，排水正常。",
    "冰箱冷藏室温度偏高，食物容易变质，压缩机频繁启停。",
    "热水器点火失败，燃气阀打开后无火花，显示 E1。",
    "油烟机吸力明显下降，运行噪音大。",
];

const INSTALL_REQUEST: &str = "新购空调需要上门安装，客户要求打孔位置避开承重墙。";

/// Work orders in every state, walked through the ordinary core functions (so their slips and
/// receipts are real issued documents): the desk sees a working day's mix at once.
fn demo_work_orders(desk: &mut Desk, rng: &mut StdRng, n: usize) -> Result<i64> {
    use crate::work_orders::{
        self as wo, AcceptanceResult, AppointmentInput, Channel, FeeInput, IntakeInput, Kind,
        PartInput, SignatureInput, WorkInput,
    };
    let technicians = wo::technicians(desk)?;
    if technicians.is_empty() {
        return Ok(0);
    }
    let units: Vec<(String, String)> = {
        let mut stmt = desk
            .conn()
            .prepare("SELECT customer_id, id FROM units ORDER BY created_at LIMIT ?1")?;
        let rows = stmt.query_map([n as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let today = desk.today();
    let mut made = 0;
    for (i, (customer, unit)) in units.into_iter().enumerate() {
        let kind = [
            Kind::Repair,
            Kind::Repair,
            Kind::Installation,
            Kind::Maintenance,
            Kind::Consultation,
        ][i % 5];
        let d = wo::intake(
            desk,
            IntakeInput {
                kind,
                channel: [
                    Channel::Phone,
                    Channel::Phone,
                    Channel::WalkIn,
                    Channel::Online,
                    Channel::Email,
                ][i % 5],
                customer_id: Some(customer),
                new_customer: None,
                contact_id: None,
                unit_id: Some(unit),
                new_unit: None,
                caller_phone: String::new(),
                description: match kind {
                    Kind::Installation => INSTALL_REQUEST.to_owned(),
                    Kind::Consultation => "咨询：空调冬季制热效果差，是否需要加氟？".to_owned(),
                    _ => FAULTS.choose(rng).unwrap().to_string(),
                },
            },
        )?;
        made += 1;
        let (id, mut rev) = (d.order.id.clone(), d.order.rev);
        // How far along this one is: 0 received … 5 completed, 6 exchanged.
        let stage = i % 7;
        if kind == Kind::Consultation {
            if stage % 2 == 0 {
                wo::answer(
                    desk,
                    &id,
                    rev,
                    "已电话答复客户：请先检查电源和滤网，如仍有问题再报修。",
                )?;
            }
            continue;
        }
        if stage == 0 {
            continue;
        }
        let tech = &technicians[i % technicians.len()];
        let day = today + Days::new(1 + (i % 3) as u64);
        let start = ["09:00", "13:30", "15:00"][i % 3];
        let end = ["11:00", "15:30", "17:00"][i % 3];
        let address = wo::proposed_address(desk, &id)?;
        rev = wo::schedule(
            desk,
            &id,
            rev,
            AppointmentInput {
                date: day.to_string(),
                start: start.into(),
                end: end.into(),
                address: if address.is_empty() {
                    "客户地址待确认".into()
                } else {
                    address
                },
                technician_ids: vec![tech.id.clone()],
                bring: "常用工具、万用表、压力表".into(),
            },
        )?
        .detail
        .order
        .rev;
        if stage == 1 {
            continue;
        }
        rev = wo::dispatch(desk, &id, rev)?.order.rev;
        if stage == 2 {
            continue;
        }
        rev = wo::arrive(desk, &id, rev)?.order.rev;
        let passed = stage != 6;
        rev = wo::record_work(
            desk,
            &id,
            rev,
            WorkInput {
                work_done: "检查故障原因，更换损坏部件，试机运行正常。".into(),
                parts: vec![PartInput {
                    name: "启动电容".into(),
                    model: "CBB65 35μF".into(),
                    qty: 1,
                    unit_price_fen: 4500,
                    in_warranty: None,
                    consent: true,
                    part_id: None,
                    new_serial: None,
                    faulty_serial: None,
                }],
                fees: vec![FeeInput {
                    description: "上门服务费".into(),
                    amount_fen: 5000,
                }],
                result: Some(if passed {
                    AcceptanceResult::Passed
                } else {
                    AcceptanceResult::Failed
                }),
                instructions_given: true,
                customer_opinion: if passed {
                    "维修及时，态度很好。".into()
                } else {
                    "问题未解决，要求换机。".into()
                },
                satisfaction: Some(if passed { 5 } else { 2 }),
            },
        )?
        .order
        .rev;
        if stage == 3 {
            continue;
        }
        let signature = SignatureInput {
            width: 400.0,
            height: 150.0,
            strokes: vec![
                vec![[30.0, 100.0], [70.0, 40.0], [110.0, 110.0], [150.0, 45.0]],
                vec![[190.0, 90.0], [250.0, 70.0], [320.0, 95.0], [360.0, 60.0]],
            ],
            signer: String::new(),
        };
        rev = wo::issue_receipt(desk, &id, rev, Some(signature))?
            .order
            .rev;
        if passed {
            wo::complete(desk, &id, rev)?;
        } else {
            wo::fail_acceptance(desk, &id, rev)?;
        }
    }
    Ok(made)
}

/// Writes `customers` customers (each with a contact, an address and `units_per_customer`
/// units) straight into the tables and both search indexes, in large transactions. For
/// benchmark databases only: it bypasses validation and the change log to build a million
/// rows in about a minute. The desk must be set up and signed in as an admin.
pub fn generate_bulk(
    desk: &mut Desk,
    customers: usize,
    units_per_customer: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    let actor = desk.require(Permission::LoadDemoData)?.clone();
    let mut rng = StdRng::seed_from_u64(1_000_000);
    let today = desk.today();
    let now = crate::timestamp(desk.now());
    let mut model_ids = Vec::new();
    for (category, brand, model, prefix) in MODELS {
        let id = match catalog::create(
            desk,
            ProductModelInput {
                brand: (*brand).into(),
                model: (*model).into(),
                category: (*category).into(),
            },
        ) {
            Ok(m) => m.id,
            Err(Error::Validation(_)) => desk.conn().query_row(
                "SELECT id FROM product_models WHERE brand = ?1 AND model = ?2",
                [brand, model],
                |r| r.get(0),
            )?,
            Err(e) => return Err(e),
        };
        model_ids.push((id, *prefix));
    }
    const BATCH: usize = 20_000;
    let mut done = 0;
    while done < customers {
        let tx = desk.conn.transaction()?;
        {
            let mut ins_c = tx.prepare_cached(
                "INSERT INTO customers (id, site_id, kind, name, note, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?2, ?3, ?4, '', ?5, ?5, ?6, ?6)",
            )?;
            let mut ins_ct = tx.prepare_cached(
                "INSERT INTO contacts (id, site_id, customer_id, position, name, phone, title, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?9)",
            )?;
            let mut ins_a = tx.prepare_cached(
                "INSERT INTO addresses (id, site_id, customer_id, position, province, city, district, detail, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?9)",
            )?;
            let mut ins_u = tx.prepare_cached(
                "INSERT OR IGNORE INTO units (id, site_id, customer_id, model_id, serial, purchase_date, seller, install_date, address_id, note,
                                    created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10, ?10, ?11, ?11)",
            )?;
            for _ in done..(done + BATCH).min(customers) {
                let input = customer_input(&mut rng);
                let id = new_id();
                let kind = if input.kind == CustomerKind::Company {
                    "company"
                } else {
                    "person"
                };
                ins_c.execute(params![
                    id,
                    actor.site_id,
                    kind,
                    input.name,
                    now,
                    actor.user_id
                ])?;
                let seq = tx.last_insert_rowid();
                let mut doc = Doc {
                    name: input.name.clone(),
                    ..Doc::default()
                };
                for (pos, c) in input.contacts.iter().enumerate() {
                    let phone = crate::normalize_phone(
                        &c.phone,
                        crate::validate::PhoneKinds { service: false },
                    )
                    .unwrap_or_else(|| c.phone.clone());
                    ins_ct.execute(params![
                        new_id(),
                        actor.site_id,
                        id,
                        pos as i64,
                        c.name,
                        phone,
                        c.title,
                        now,
                        actor.user_id
                    ])?;
                    doc.contact_names.push(c.name.clone());
                    doc.phones.push(phone);
                }
                let a = &input.addresses[0];
                let address_id = new_id();
                ins_a.execute(params![
                    address_id,
                    actor.site_id,
                    id,
                    a.province,
                    a.city,
                    a.district,
                    a.detail,
                    now,
                    actor.user_id
                ])?;
                doc.addresses.push(format!(
                    "{}{}{}{}",
                    a.province, a.city, a.district, a.detail
                ));
                for _ in 0..units_per_customer {
                    let (model_id, prefix) = model_ids.choose(&mut rng).unwrap();
                    let purchase = purchase_date(&mut rng, today);
                    let serial = serial(&mut rng, prefix, purchase);
                    ins_u.execute(params![
                        new_id(),
                        actor.site_id,
                        id,
                        model_id,
                        serial,
                        purchase.to_string(),
                        SELLERS.choose(&mut rng).unwrap(),
                        purchase.to_string(),
                        address_id,
                        now,
                        actor.user_id
                    ])?;
                    doc.serials.push(serial);
                }
                search::index(&tx, seq, &doc)?;
            }
        }
        tx.commit()?;
        done = (done + BATCH).min(customers);
        progress(done);
    }
    Ok(())
}

/// The 2026 official schedule, as HQ would push it down (and as a calendar file example).
pub const CALENDAR_2026: &str = include_str!("../calendars/cn-2026.csv");

/// (kind, level, content, demand)
const COMPLAINTS: &[(crate::complaints::ComplaintKind, i64, &str, &str)] = {
    use crate::complaints::ComplaintKind::*;
    &[
        (
            Service,
            1,
            "维修师傅上门比约定时间晚了两个小时，也没有提前打电话说明。",
            "希望以后准时或提前告知。",
        ),
        (
            ProductQuality,
            2,
            "空调维修后第三天又不制冷，室外机异响比修之前还大。",
            "要求免费重新维修，否则退机。",
        ),
        (
            Service,
            1,
            "客服电话等待时间太长，转接了三次才有人处理。",
            "改进热线接听。",
        ),
        (
            ProductQuality,
            3,
            "新装热水器使用一周出现漏水，把楼下邻居的天花板泡坏了。",
            "赔偿邻居损失并更换热水器。",
        ),
        (
            Proposal,
            1,
            "建议上门服务前发短信告知师傅姓名和照片，方便确认身份。",
            "",
        ),
        (
            Service,
            2,
            "安装师傅打孔时弄脏了墙面和沙发，走的时候没有清理。",
            "要求上门清洁并道歉。",
        ),
        (
            ProductQuality,
            4,
            "冰箱压缩机起火冒烟，家中有老人小孩，非常危险。",
            "立即上门处理，要求退货并书面说明原因。",
        ),
        (
            Service,
            2,
            "更换的主板收费与报价不一致，多收了一百二十元。",
            "退还多收的费用。",
        ),
        (
            ProductQuality,
            2,
            "洗衣机脱水时剧烈晃动，已经报修两次仍未解决。",
            "更换整机。",
        ),
        (Proposal, 1, "希望周末也能预约上门安装。", ""),
        (
            Service,
            3,
            "维修人员态度恶劣，与老人发生争执。",
            "要求公司书面道歉并处理该员工。",
        ),
        (ProductQuality, 1, "遥控器按键失灵。", "寄一个新的遥控器。"),
    ]
};

/// Complaints registered over the last days, at every step: some closed, one judged invalid,
/// one paused waiting for the customer, and some whose clocks have run out and escalated.
fn demo_complaints(desk: &mut Desk, rng: &mut StdRng, n: usize) -> Result<i64> {
    use crate::complaints::{self as cp, Department, Reaction, RegisterInput, Step, StepInput};
    use crate::work_orders::Channel;
    crate::calendar::import(desk, CALENDAR_2026)?;
    let customers: Vec<(String, String, String)> = {
        let mut stmt = desk.conn().prepare(
            "SELECT c.id, c.name, coalesce((SELECT phone FROM contacts k WHERE k.customer_id = c.id ORDER BY position LIMIT 1), '')
             FROM customers c ORDER BY c.created_at LIMIT ?1",
        )?;
        let rows = stmt.query_map([n as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let now = desk.now();
    let step = |s: Step, content: &str| StepInput {
        step: s,
        content: content.into(),
        level: None,
        department: None,
        reaction: None,
        feedback: None,
    };
    let mut made = 0;
    for (i, (customer, name, phone)) in customers.into_iter().enumerate() {
        let (kind, level, content, demand) = COMPLAINTS[i % COMPLAINTS.len()];
        // Received between 10 days and an hour ago; the later ones are less far along.
        let hours_ago = 240 - (i as i64 * 240 / n.max(1) as i64).min(239);
        let at = now - chrono::Duration::hours(hours_ago);
        let work_order_id: Option<String> = desk
            .conn()
            .query_row(
                "SELECT id FROM work_orders WHERE customer_id = ?1 ORDER BY created_at LIMIT 1",
                [&customer],
                |r| r.get(0),
            )
            .ok();
        let d = cp::register_as_of(
            desk,
            RegisterInput {
                kind,
                level,
                channel: [
                    Channel::Phone,
                    Channel::Phone,
                    Channel::WalkIn,
                    Channel::Online,
                    Channel::Email,
                ][i % 5],
                customer_id: Some(customer),
                new_customer: None,
                unit_id: None,
                work_order_id,
                complainant: name,
                phone,
                object: String::new(),
                content: content.into(),
                demand: demand.into(),
            },
            Some(at),
        )?;
        made += 1;
        let id = d.complaint.id.clone();
        let mut rev = d.complaint.rev;
        let mut t = at;
        let mut next = |desk: &mut Desk, rev: i64, input: StepInput, hours: i64| -> Result<i64> {
            t += chrono::Duration::minutes(hours * 60 + rng.random_range(0..50));
            let t = t.min(now);
            Ok(cp::record_step_as_of(desk, &id, rev, input, Some(t))?
                .complaint
                .rev)
        };
        // How far along: 0 just recorded … 7 closed; 8 invalid. Late ones stay early.
        let progress = if i % 9 == 4 {
            8
        } else {
            (7 - (i * 8 / n.max(1)).min(7)) as i64
        };
        if progress == 8 {
            next(
                desk,
                rev,
                step(
                    Step::Reject,
                    "经核实，该问题属于正常使用现象，已向顾客详细解释并演示正确操作方法。",
                ),
                2,
            )?;
            continue;
        }
        let plan: &[(Step, &str, i64)] = &[
            (Step::Accept, "投诉属实，予以受理。", 3),
            (Step::Assign, "指派责任部门处理。", 2),
            (
                Step::Investigate,
                "经调查，原因为派单信息未同步、现场作业不规范。",
                20,
            ),
            (
                Step::Propose,
                "上门致歉，免费重新检修，并赠送一次清洗保养。",
                6,
            ),
            (
                Step::CarryOut,
                "已电话告知顾客处理方案，并于约定时间上门落实完毕。",
                24,
            ),
            (
                Step::DecideResponsibility,
                "责任人：当班调度员及维修技师；给予通报批评，纳入月度考核。",
                8,
            ),
            (Step::Close, "问题已解决，纳入服务质量周会案例。", 4),
        ];
        for (k, (s, text, hours)) in plan.iter().enumerate().take(progress as usize) {
            let mut input = step(*s, text);
            match s {
                Step::Assign => {
                    input.department = Some(match kind {
                        crate::complaints::ComplaintKind::ProductQuality => Department::Quality,
                        _ => Department::CustomerService,
                    })
                }
                Step::CarryOut => {
                    input.reaction = Some(if k % 2 == 0 {
                        Reaction::Satisfied
                    } else {
                        Reaction::Accepted
                    });
                    input.feedback = Some("顾客对处理结果表示认可。".into());
                }
                _ => {}
            }
            rev = next(desk, rev, input, *hours)?;
        }
        if progress == 2 && i % 2 == 0 {
            rev = cp::pause(desk, &id, rev, "顾客出差，约定回来后再上门勘查。")?
                .complaint
                .rev;
        }
        let _ = rev;
    }
    crate::complaints::sla::escalate_breached(desk)?;
    Ok(made)
}
