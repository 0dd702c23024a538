//! Synthetic scans of a signed form, shared by the scan tests and the scan bench: a QR of a
//! document number on a noisy A4 page, optionally askew, as PNG, JPEG or a PDF scan.
//!
//! ImageMagick's PDF writer is blocked by the default Debian security policy, so the PDF scans
//! are built with lopdf the way ImageMagick and scan apps write them: `/Filter [/DCTDecode]`
//! around the JPEG as is, `/FlateDecode` over raw gray or RGB samples (ImageMagick for PNG
//! input), plus the PNG predictor and 1-bit variants some scanners use.

use std::io::Cursor;

use image::{GrayImage, ImageFormat, Luma, RgbImage};
use lopdf::{dictionary, Dictionary, Document, Object, Stream};

pub const NUMBER: &str = "SH01-HZ-2026-000123";
pub const OTHER: &str = "SH01-PX-2026-000045";

/// A tiny deterministic generator: the pages look the same on every run.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    pub fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}

pub const PAPER: u8 = 236;
pub const INK: u8 = 35;

/// The side of the QR of `text` in modules, without the quiet zone.
pub fn modules(text: &str) -> u32 {
    qrcode::QrCode::new(text.as_bytes()).unwrap().width() as u32
}

/// The QR of `text` with its 4-module quiet zone, `module` pixels per module, in scan tones.
pub fn qr(text: &str, module: u32) -> GrayImage {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let n = code.width() as u32;
    let colors = code.to_colors();
    let side = (n + 8) * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / module, y / module);
        let dark = (4..n + 4).contains(&mx)
            && (4..n + 4).contains(&my)
            && colors[((my - 4) * n + (mx - 4)) as usize] == qrcode::Color::Dark;
        Luma([if dark { INK } else { PAPER }])
    })
}

/// A blank A4 page at `dpi`: off-white paper with sensor noise.
pub fn blank(dpi: u32, seed: u64) -> GrayImage {
    let (w, h) = (dpi * 827 / 100, dpi * 1169 / 100);
    let mut rng = Lcg(seed);
    GrayImage::from_fn(w, h, |_, _| Luma([PAPER - 8 + rng.below(17) as u8]))
}

/// A page of the form with the QR 20 mm wide (quiet zone included), see [`page_with`].
pub fn page(dpi: u32, text: Option<&str>) -> GrayImage {
    page_with(dpi, text, 20)
}

/// A page of the form: header, lines of word-like blobs, table rules, and the QR of `text`
/// `qr_mm` wide at the top right when given.
pub fn page_with(dpi: u32, text: Option<&str>, qr_mm: u32) -> GrayImage {
    let mut img = blank(dpi, 7);
    let mm = |v: u32| v * dpi * 10 / 254;
    let mut rng = Lcg(42);
    let blot = |img: &mut GrayImage, x0: u32, y0: u32, w: u32, h: u32| {
        for y in y0..(y0 + h).min(img.height()) {
            for x in x0..(x0 + w).min(img.width()) {
                img.put_pixel(x, y, Luma([INK + (x * 7 + y * 13) as u8 % 40]));
            }
        }
    };
    // Title block left of the QR.
    blot(&mut img, mm(20), mm(20), mm(90), mm(8));
    // Body text: lines of words of random width, 3 mm high, 6 mm apart.
    let (w, h) = img.dimensions();
    let mut y = mm(50);
    while y < h - mm(40) {
        let mut x = mm(20);
        while x < w - mm(30) {
            let word = mm(4) + rng.below(mm(14));
            blot(&mut img, x, y, word, mm(3));
            x += word + mm(2) + rng.below(mm(2));
        }
        y += mm(6);
        if rng.below(9) == 0 {
            // A table rule.
            blot(&mut img, mm(20), y, w - mm(40), 2);
            y += mm(3);
        }
    }
    if let Some(text) = text {
        // A document number is a version 1 code (21 modules, 29 with the quiet zone).
        let module = (mm(qr_mm) / (modules(text) + 8)).max(1);
        let code = qr(text, module);
        let x = img.width() - mm(12) - code.width();
        image::imageops::overlay(&mut img, &code, i64::from(x), i64::from(mm(10)));
    }
    img
}

/// Rotates about the centre by nearest-neighbour sampling, as a crooked sheet in a scanner.
pub fn rotate(img: &GrayImage, degrees: f64) -> GrayImage {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (f64::from(img.width()) / 2.0, f64::from(img.height()) / 2.0);
    GrayImage::from_fn(img.width(), img.height(), |x, y| {
        let (dx, dy) = (f64::from(x) - cx, f64::from(y) - cy);
        let sx = cx + dx * cos + dy * sin;
        let sy = cy - dx * sin + dy * cos;
        if sx >= 0.0 && sy >= 0.0 && (sx as u32) < img.width() && (sy as u32) < img.height() {
            *img.get_pixel(sx as u32, sy as u32)
        } else {
            Luma([PAPER])
        }
    })
}

pub fn png(img: &GrayImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A colour JPEG at quality 80, as scanners and phone apps write by default.
pub fn jpeg(img: &GrayImage) -> Vec<u8> {
    let rgb = rgb(img);
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&rgb)
        .unwrap();
    out
}

/// The gray page in colour, with the slight warm tint of a flatbed's lamp.
pub fn rgb(img: &GrayImage) -> RgbImage {
    RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let v = img.get_pixel(x, y).0[0];
        image::Rgb([v, v.saturating_sub(3), v.saturating_sub(10)])
    })
}

/// The image XObject of a JPEG, as ImageMagick writes it (`/Filter [/DCTDecode]`).
pub fn dct_image(img: &GrayImage) -> Stream {
    let dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => img.width(),
        "Height" => img.height(),
        "ColorSpace" => "DeviceRGB",
        "BitsPerComponent" => 8,
        "Filter" => vec![Object::from("DCTDecode")],
    };
    Stream::new(dict, jpeg(img))
}

/// A Flate-compressed image XObject over `samples` (rows of `comps`×`bpc` bits).
pub fn flate_image(w: u32, h: u32, space: &str, bpc: u8, samples: Vec<u8>) -> Stream {
    let dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => w,
        "Height" => h,
        "ColorSpace" => space,
        "BitsPerComponent" => bpc,
    };
    let mut stream = Stream::new(dict, samples);
    stream.compress().unwrap();
    assert!(stream.is_compressed(), "the test image is compressed");
    stream
}

/// Raw 8-bit gray samples under Flate: what ImageMagick writes for a gray PNG.
pub fn flate_gray(img: &GrayImage) -> Stream {
    flate_image(
        img.width(),
        img.height(),
        "DeviceGray",
        8,
        img.as_raw().clone(),
    )
}

/// RGB under Flate with the PNG predictor, every row filter in turn (Average included).
pub fn flate_rgb_predicted(img: &GrayImage) -> Stream {
    let rgb = rgb(img);
    let row = rgb.width() as usize * 3;
    let mut out = Vec::with_capacity((row + 1) * rgb.height() as usize);
    let mut prev = vec![0u8; row];
    for (r, cur) in rgb.as_raw().chunks_exact(row).enumerate() {
        let filter = (r % 5) as u8;
        out.push(filter);
        for i in 0..row {
            let a = if i >= 3 { cur[i - 3] } else { 0 };
            let b = prev[i];
            let c = if i >= 3 { prev[i - 3] } else { 0 };
            let p = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                _ => paeth(a, b, c),
            };
            out.push(cur[i].wrapping_sub(p));
        }
        prev.copy_from_slice(cur);
    }
    let mut stream = flate_image(rgb.width(), rgb.height(), "DeviceRGB", 8, out);
    stream.dict.set(
        "DecodeParms",
        dictionary! { "Predictor" => 15, "Colors" => 3, "Columns" => rgb.width() },
    );
    stream
}

pub fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Black-and-white scanner mode: 1 bit per pixel, 1 = white.
pub fn flate_bilevel(img: &GrayImage) -> Stream {
    let row = img.width().div_ceil(8) as usize;
    let mut bits = vec![0u8; row * img.height() as usize];
    for (x, y, p) in img.enumerate_pixels() {
        if p.0[0] > 128 {
            bits[y as usize * row + x as usize / 8] |= 0x80 >> (x % 8);
        }
    }
    flate_image(img.width(), img.height(), "DeviceGray", 1, bits)
}

/// 16 gray levels through a palette, as ImageMagick writes images of 256 colours or fewer:
/// `[/Indexed /DeviceRGB 15 <lookup>]` over 8-bit indexes.
pub fn flate_indexed(img: &GrayImage) -> Stream {
    let lookup: Vec<u8> = (0..16u8).flat_map(|i| [i * 17, i * 17, i * 17]).collect();
    let indexes = img.as_raw().iter().map(|v| v / 16).collect();
    let mut stream = flate_image(img.width(), img.height(), "DeviceRGB", 8, indexes);
    stream.dict.set(
        "ColorSpace",
        vec![
            Object::from("Indexed"),
            Object::from("DeviceRGB"),
            Object::from(15),
            Object::String(lookup, lopdf::StringFormat::Hexadecimal),
        ],
    );
    stream
}

/// A PDF of A4 pages, each showing its image full page, or only vector drawing when `None`.
pub fn pdf(pages: Vec<Option<Stream>>) -> Vec<u8> {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for image in pages {
        let mut resources = Dictionary::new();
        let content = match image {
            Some(image) => {
                let id = doc.add_object(image);
                resources.set("XObject", dictionary! { "Im0" => id });
                "q 595 0 0 842 0 0 cm /Im0 Do Q".to_owned()
            }
            // A table drawn with lines: no pixels anywhere.
            None => "0 0 0 RG 1 w 56 700 m 539 700 l S 56 680 m 539 680 l S 0 0 0 rg \
                     480 760 60 60 re f"
                .to_owned(),
        };
        let contents = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => resources,
            "Contents" => contents,
        });
        kids.push(Object::from(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}
