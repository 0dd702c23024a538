//! Reading scanned paperwork back: which QR texts (document numbers) a scan of a signed form
//! carries, so the desk can tell whether a scan belongs to the document it is attached to.
//!
//! Owns the format check of an uploaded scan (PNG, JPEG or PDF, by magic bytes), the limits
//! that keep an untrusted file from eating the machine, the pixel extraction from PDF scans
//! (the one image per page that scanners and phone scan apps write) and the QR search itself.
//! Pure Rust so that it behaves the same on Windows, macOS and Linux.

use std::collections::HashSet;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::imageops::FilterType;
use image::{DynamicImage, GrayImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, FieldIssue, Result, Rule};

/// A scan file larger than this is refused before it is parsed (a 300-dpi A4 JPEG is ~1–3 MB).
pub const MAX_FILE_BYTES: usize = 30 * 1024 * 1024;
/// An image with more pixels than this is refused before its pixels are decoded: A4 at 600 dpi
/// is ~35 MP, so every sensible scan gets through while a forged header claiming 100000×100000
/// cannot make us allocate 10 GB.
pub const MAX_PIXELS: u64 = 60_000_000;
/// A PDF scan with more pages than this is refused: the paperwork is a few pages.
pub const MAX_PAGES: usize = 50;

/// The field every scan error is reported on.
const FIELD: &str = "scan";
/// Bound on any single PDF stream's decoded size (object and xref streams while loading, colour
/// lookup tables): a few compressed bytes can otherwise expand to gigabytes.
const MAX_PDF_STREAM_BYTES: usize = 64 * 1024 * 1024;
/// Bound on the raw samples of one PDF image: 8-bit RGB at the pixel limit.
const MAX_SAMPLE_BYTES: u64 = 3 * MAX_PIXELS;
/// Form XObjects may nest; scanners write none, so a shallow walk is enough and a cycle ends.
const MAX_FORM_DEPTH: u8 = 4;
/// Longest sides tried after the full image: a QR module of a 300-dpi scan is ~8 px, which
/// some noise defeats at full size but survives averaging down to 3–5 px.
const DOWNSCALED_SIDES: [u32; 2] = [1600, 1000];
/// Whole-page enlargement is tried only up to this side (A4 at ~200 dpi): beyond it, modules
/// are big enough and the enlarged page would cost more time than it could save.
const UPSCALE_MAX_SIDE: u32 = 2400;
/// Enlargements of a close-up, and the largest crop worth enlarging.
const CLOSE_UP_FACTORS: [f64; 2] = [2.0, 3.0];
const CLOSE_UP_MAX_SIDE: u32 = 1200;

/// What a scan file is, told by its first bytes (never by its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ScanFormat {
    Png,
    Jpeg,
    Pdf,
}

/// Detects the format from the magic bytes; anything else is an `unsupported_file` error.
pub fn detect(bytes: &[u8]) -> Result<ScanFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(ScanFormat::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ScanFormat::Jpeg)
    } else if bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        // Acrobat (and lopdf) accept bytes before the header within the first KB.
        Ok(ScanFormat::Pdf)
    } else {
        Err(Error::invalid(FIELD, Rule::UnsupportedFile))
    }
}

/// Every QR text found on the scan (all pages of a PDF, all images), deduplicated, in the order
/// found. An empty list means the scan is readable but shows no QR code.
///
/// Errors (all on the field `scan`): `unsupported_file` (not PNG/JPEG/PDF), `unreadable_file`
/// (corrupt or truncated), `too_large` with params `limit` (`bytes`, `pixels` or `pages`) and
/// `max`.
pub fn qr_texts(bytes: &[u8]) -> Result<Vec<String>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large("bytes", MAX_FILE_BYTES));
    }
    let format = detect(bytes)?;
    // The decoders below parse untrusted bytes with code we do not own; a panic in one of them
    // must become "this file cannot be read", not take the app down with it.
    catch_unwind(AssertUnwindSafe(|| {
        let mut found = Vec::new();
        match format {
            ScanFormat::Png => read_image(decode_raster(bytes, ImageFormat::Png)?, &mut found),
            ScanFormat::Jpeg => read_image(decode_raster(bytes, ImageFormat::Jpeg)?, &mut found),
            ScanFormat::Pdf => pdf_images(bytes, |gray| read_image(gray, &mut found))?,
        }
        Ok(found)
    }))
    .unwrap_or_else(|_| Err(unreadable()))
}

fn unreadable() -> Error {
    Error::invalid(FIELD, Rule::UnreadableFile)
}

fn too_large(limit: &str, max: impl ToString) -> Error {
    Error::Validation(vec![FieldIssue::new(FIELD, Rule::TooLarge)
        .with("limit", limit)
        .with("max", max)])
}

fn is_too_large(e: &Error) -> bool {
    matches!(e, Error::Validation(issues) if issues.iter().any(|i| i.rule == Rule::TooLarge))
}

fn image_error(e: ImageError) -> Error {
    match e {
        ImageError::Limits(_) => too_large("pixels", MAX_PIXELS),
        _ => unreadable(),
    }
}

/// Decodes a PNG or JPEG to gray, refusing it from its header alone when it has too many pixels.
fn decode_raster(bytes: &[u8], format: ImageFormat) -> Result<GrayImage> {
    let decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(image_error)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(too_large("pixels", MAX_PIXELS));
    }
    let image = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    Ok(image.into_luma8())
}

// ---------------------------------------------------------------------------------------------
// The QR search

/// Adds the QR texts of one image to `found`, trying views of it from the likeliest to the
/// least until one settles it. The full image comes first: a clean scan is read there, and a
/// located but damaged code gets a close-up (see [`close_up`]). Only when that leaves the page
/// without a code do the slower views follow.
fn read_image(gray: GrayImage, found: &mut Vec<String>) {
    let longest = gray.width().max(gray.height());
    if gray.width() == 0 || gray.height() == 0 || read_view(&gray, found) {
        return;
    }
    let mut base = None;
    for side in DOWNSCALED_SIDES {
        if longest > side {
            let small = resize(&gray, f64::from(side) / f64::from(longest));
            if read_view(&small, found) {
                return;
            }
            base.get_or_insert(small);
        }
    }
    // Faint print on grey paper: rqrr's adaptive threshold wants ink ~5% darker than its
    // surroundings; stretching the range first, or a global (Otsu) cut, recovers it.
    let stretched = stretch(base.as_ref().unwrap_or(&gray));
    if read_view(&stretched, found) || read_view(&binarize(stretched), found) {
        return;
    }
    // A low-resolution scan whose code rqrr did not even locate: modules of 3–4 px lose their
    // finder patterns to JPEG blur; twice the size, cut at Otsu's threshold, brings them back.
    if longest <= UPSCALE_MAX_SIDE {
        read_view(&binarize(resize(&gray, 2.0)), found);
    }
}

/// Runs rqrr on one view. True when the view settles it: something was decoded and every code
/// rqrr located was decoded (a located but unreadable code deserves another view).
fn read_view(view: &GrayImage, found: &mut Vec<String>) -> bool {
    // rqrr binarises the image it is given in place; the view stays intact for close-ups.
    let mut prepared = rqrr::PreparedImage::prepare(view.clone());
    let mut decoded = 0;
    let mut failed = 0;
    for grid in prepared.detect_grids() {
        let text = match grid.decode() {
            Ok((_, text)) => Some(text),
            Err(_) => close_up(view, &grid.bounds),
        };
        match text {
            Some(text) => {
                decoded += 1;
                if !text.is_empty() && !found.contains(&text) {
                    found.push(text);
                }
            }
            None => failed += 1,
        }
    }
    decoded > 0 && failed == 0
}

/// Reads a located code that failed its error correction again from a close-up: rqrr samples
/// one thresholded pixel per module, which misreads modules of a few pixels on a crooked or
/// JPEG-blurred scan. The crop enlarged by interpolation and cut at its own Otsu threshold puts
/// each module edge where the ink really changes. Cheap: the crop is a few hundred pixels.
fn close_up(view: &GrayImage, bounds: &[rqrr::Point; 4]) -> Option<String> {
    let xs = bounds.iter().map(|p| p.x);
    let ys = bounds.iter().map(|p| p.y);
    let (x0, x1) = (xs.clone().min()?, xs.max()?);
    let (y0, y1) = (ys.clone().min()?, ys.max()?);
    // The quiet zone (4 modules beside a 21-module code, ~20%) plus slack for a misplaced corner.
    let margin = (x1 - x0).max(y1 - y0) / 4;
    let clamp = |v: i32, max: u32| v.clamp(0, max as i32) as u32;
    let (left, top) = (
        clamp(x0 - margin, view.width()),
        clamp(y0 - margin, view.height()),
    );
    let (right, bottom) = (
        clamp(x1 + margin, view.width()),
        clamp(y1 + margin, view.height()),
    );
    if right <= left || bottom <= top || (right - left).max(bottom - top) > CLOSE_UP_MAX_SIDE {
        return None;
    }
    let crop = image::imageops::crop_imm(view, left, top, right - left, bottom - top).to_image();
    CLOSE_UP_FACTORS.iter().find_map(|&factor| {
        let mut prepared = rqrr::PreparedImage::prepare(binarize(resize(&crop, factor)));
        prepared
            .detect_grids()
            .iter()
            .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
    })
}

/// `gray` scaled by `factor`. Triangle widens with the ratio when shrinking, so it averages
/// like a box filter (noise and JPEG ringing fade, module edges stay); when enlarging it
/// interpolates linearly.
fn resize(gray: &GrayImage, factor: f64) -> GrayImage {
    let (w, h) = gray.dimensions();
    let nw = ((f64::from(w) * factor).round() as u32).max(1);
    let nh = ((f64::from(h) * factor).round() as u32).max(1);
    image::imageops::resize(gray, nw, nh, FilterType::Triangle)
}

/// Maps the 1st..99th percentile of the gray levels onto 0..255.
fn stretch(gray: &GrayImage) -> GrayImage {
    let hist = histogram(gray);
    let total: u64 = hist.iter().sum();
    let cut = total / 100;
    let percentile = |from_top: bool| {
        let mut acc = 0;
        for i in 0..256 {
            let level = if from_top { 255 - i } else { i };
            acc += hist[level];
            if acc > cut {
                return level as i32;
            }
        }
        if from_top {
            0
        } else {
            255
        }
    };
    let (lo, hi) = (percentile(false), percentile(true));
    if hi <= lo {
        return gray.clone();
    }
    let mut out = gray.clone();
    for p in out.pixels_mut() {
        let v = (i32::from(p.0[0]) - lo) * 255 / (hi - lo);
        p.0[0] = v.clamp(0, 255) as u8;
    }
    out
}

/// Black and white at Otsu's threshold (the cut that best separates ink from paper).
fn binarize(mut gray: GrayImage) -> GrayImage {
    let hist = histogram(&gray);
    let total: u64 = hist.iter().sum();
    let sum_all: u64 = hist.iter().enumerate().map(|(i, &n)| i as u64 * n).sum();
    let (mut best, mut best_var) = (128u8, 0f64);
    let (mut w_lo, mut sum_lo) = (0u64, 0u64);
    for (t, &n) in hist.iter().enumerate() {
        w_lo += n;
        sum_lo += t as u64 * n;
        let w_hi = total - w_lo;
        if w_lo == 0 || w_hi == 0 {
            continue;
        }
        let m_lo = sum_lo as f64 / w_lo as f64;
        let m_hi = (sum_all - sum_lo) as f64 / w_hi as f64;
        let var = w_lo as f64 * w_hi as f64 * (m_lo - m_hi).powi(2);
        if var > best_var {
            best_var = var;
            best = t as u8;
        }
    }
    for p in gray.pixels_mut() {
        p.0[0] = if p.0[0] <= best { 0 } else { 255 };
    }
    gray
}

fn histogram(gray: &GrayImage) -> [u64; 256] {
    let mut hist = [0u64; 256];
    for p in gray.pixels() {
        hist[usize::from(p.0[0])] += 1;
    }
    hist
}

// ---------------------------------------------------------------------------------------------
// PDF scans

/// Hands every image XObject of every page to `each`, decoded to gray, one at a time so that a
/// 50-page scan never holds more than one page's pixels. Images in encodings we cannot decode
/// (JPEG 2000, CCITT, JBIG2) or that are corrupt are skipped: the page then shows no QR, which
/// the desk reports anyway.
fn pdf_images(bytes: &[u8], mut each: impl FnMut(GrayImage)) -> Result<()> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_PDF_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let mut doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            too_large("bytes", MAX_PDF_STREAM_BYTES)
        }
        _ => unreadable(),
    })?;
    let pages: Vec<ObjectId> = doc.page_iter().take(MAX_PAGES + 1).collect();
    if pages.len() > MAX_PAGES {
        return Err(too_large("pages", MAX_PAGES));
    }
    if pages.is_empty() {
        return Err(unreadable());
    }

    let mut seen = HashSet::new();
    let mut images = Vec::new();
    for page in pages {
        // Resources may sit on the page or be inherited from the page tree; lopdf gives both.
        let Ok((own, inherited)) = doc.get_page_resources(page) else {
            continue;
        };
        if let Some(resources) = own {
            collect_images(&doc, resources, 0, &mut seen, &mut images);
        }
        for id in inherited {
            if let Ok(resources) = doc.get_dictionary(id) {
                collect_images(&doc, resources, 0, &mut seen, &mut images);
            }
        }
    }
    for id in images {
        // Taken out of the document so that its bytes are decoded in place, not copied.
        let Some(Object::Stream(stream)) = doc.objects.remove(&id) else {
            continue;
        };
        if let Some(gray) = pdf_image(&doc, stream)? {
            each(gray);
        }
    }
    Ok(())
}

/// The image XObjects reachable from `resources`, in file order, through nested forms.
fn collect_images(
    doc: &Document,
    resources: &Dictionary,
    depth: u8,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<ObjectId>,
) {
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| resolve(doc, o).as_dict().ok())
    else {
        return;
    };
    for (_, value) in xobjects.iter() {
        let Ok(id) = value.as_reference() else {
            continue;
        };
        if !seen.insert(id) {
            continue;
        }
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            continue;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => out.push(id),
            Ok(b"Form") if depth < MAX_FORM_DEPTH => {
                if let Some(inner) = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| resolve(doc, o).as_dict().ok())
                {
                    collect_images(doc, inner, depth + 1, seen, out);
                }
            }
            _ => {}
        }
    }
}

fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).map(|(_, o)| o).unwrap_or(obj)
}

/// One image XObject as gray pixels; `None` when its encoding is not one we read.
fn pdf_image(doc: &Document, mut stream: Stream) -> Result<Option<GrayImage>> {
    let dict = &stream.dict;
    let int = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|o| resolve(doc, o).as_i64().ok())
    };
    let (Some(w), Some(h)) = (int(b"Width"), int(b"Height")) else {
        return Ok(None);
    };
    let (Ok(w), Ok(h)) = (u32::try_from(w), u32::try_from(h)) else {
        return Ok(None);
    };
    if w == 0 || h == 0 {
        return Ok(None);
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(too_large("pixels", MAX_PIXELS));
    }

    let filters: Vec<Vec<u8>> = match dict.get(b"Filter").map(|o| resolve(doc, o)) {
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(list)) => list
            .iter()
            .filter_map(|o| resolve(doc, o).as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    if filters == [b"DCTDecode".to_vec()] {
        // A JPEG as is: what scanners and scan apps write. Its own header is checked again.
        return match decode_raster(&stream.content, ImageFormat::Jpeg) {
            Ok(gray) => Ok(Some(gray)),
            Err(e) if is_too_large(&e) => Err(e),
            Err(_) => Ok(None),
        };
    }
    // lopdf decodes these three; DCT inside a chain, JPX, CCITT, JBIG2 and RunLength it does not.
    if !filters.iter().all(|f| {
        matches!(
            f.as_slice(),
            b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode"
        )
    }) {
        return Ok(None);
    }

    let mask = dict
        .get(b"ImageMask")
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let (space, bpc) = if mask {
        (Space::Gray, 1)
    } else {
        let space = dict
            .get(b"ColorSpace")
            .ok()
            .and_then(|o| color_space(doc, o, 0));
        match (space, int(b"BitsPerComponent")) {
            (Some(space), Some(bpc @ (1 | 2 | 4 | 8 | 16))) => (space, bpc as usize),
            _ => return Ok(None),
        }
    };
    // A /Decode of [1 0] on a one-component image swaps black and white (masks, some fax scans).
    let inverted = matches!(&space, Space::Gray)
        && dict
            .get(b"Decode")
            .and_then(Object::as_array)
            .ok()
            .and_then(|d| Some(d.first()?.as_float().ok()? > d.get(1)?.as_float().ok()?))
            .unwrap_or(false);
    let predictor = decode_parms(doc, dict)
        .and_then(|p| p.get(b"Predictor").ok())
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(1);

    let (w, h) = (w as usize, h as usize);
    let comps = space.components();
    let row_bytes = (w * comps * bpc).div_ceil(8);
    let predicted = (10..=15).contains(&predictor);
    if predictor != 1 && !predicted {
        // TIFF predictor 2: rare in scans, not worth the code.
        return Ok(None);
    }
    let stored_row = row_bytes + usize::from(predicted);
    if (stored_row as u64) * (h as u64) > MAX_SAMPLE_BYTES {
        // Within the pixel limit but 16-bit or CMYK: more raw samples than we inflate.
        return Err(too_large("pixels", MAX_PIXELS));
    }
    // lopdf would apply the PNG predictor itself, but its Average filter adds before halving
    // and it mis-sizes rows below 8 bits per component; it is undone here instead.
    stream.dict.remove(b"DecodeParms");
    let Ok(raw) = stream.decompressed_content_with_limit(stored_row * h + 1024) else {
        return Ok(None);
    };
    let data = if predicted {
        unpredict_png(&raw, row_bytes, (comps * bpc).div_ceil(8))
    } else {
        raw
    };
    // A truncated stream still shows its top rows, and the QR sits at the top of our forms.
    let rows = (data.len() / row_bytes).min(h);
    if rows == 0 {
        return Ok(None);
    }

    let palette = space.palette();
    let max = (1u32 << bpc.min(8)) - 1;
    let mut gray = GrayImage::new(w as u32, rows as u32);
    let mut px = vec![0u8; comps];
    for (y, row) in data.chunks_exact(row_bytes).take(rows).enumerate() {
        for x in 0..w {
            for (c, v) in px.iter_mut().enumerate() {
                let s = sample(row, x * comps + c, bpc);
                *v = match &palette {
                    Some(_) => s as u8,
                    None => (s * 255 / max) as u8,
                };
            }
            let mut luma = match &palette {
                Some(table) => table[usize::from(px[0])],
                None => space.luma(&px),
            };
            if inverted {
                luma = 255 - luma;
            }
            gray.put_pixel(x as u32, y as u32, image::Luma([luma]));
        }
    }
    Ok(Some(gray))
}

/// The decode parameters that go with the Flate/LZW filter (a dictionary, or one per filter).
fn decode_parms<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    match resolve(doc, dict.get(b"DecodeParms").ok()?) {
        Object::Dictionary(d) => Some(d),
        Object::Array(list) => list
            .iter()
            .filter_map(|o| resolve(doc, o).as_dict().ok())
            .find(|d| d.has(b"Predictor")),
        _ => None,
    }
}

/// Sample `i` of a row packed at `bpc` bits; 16-bit samples keep their high byte.
fn sample(row: &[u8], i: usize, bpc: usize) -> u32 {
    match bpc {
        8 => u32::from(row[i]),
        16 => u32::from(row[2 * i]),
        _ => {
            let bit = i * bpc;
            u32::from(row[bit / 8] >> (8 - bpc - bit % 8)) & ((1 << bpc) - 1)
        }
    }
}

/// Undoes PNG row filters (PDF predictors 10–15: each row carries its own filter byte).
fn unpredict_png(data: &[u8], row_bytes: usize, bpp: usize) -> Vec<u8> {
    let rows = data.len() / (row_bytes + 1);
    let mut out = Vec::with_capacity(rows * row_bytes);
    for (r, stored) in data.chunks_exact(row_bytes + 1).enumerate() {
        let (filter, src) = (stored[0], &stored[1..]);
        let start = r * row_bytes;
        out.extend_from_slice(src);
        for i in 0..row_bytes {
            let left = if i >= bpp { out[start + i - bpp] } else { 0 };
            let up = if r > 0 { out[start - row_bytes + i] } else { 0 };
            let up_left = if r > 0 && i >= bpp {
                out[start - row_bytes + i - bpp]
            } else {
                0
            };
            let predicted = match filter {
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => 0,
            };
            out[start + i] = out[start + i].wrapping_add(predicted);
        }
    }
    out
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
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

/// The colour spaces scans use, reduced to what gray conversion needs.
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// A palette of at most 256 entries in a base space, as gray levels.
    Indexed(Box<[u8; 256]>),
}

impl Space {
    fn components(&self) -> usize {
        match self {
            Space::Gray | Space::Indexed(_) => 1,
            Space::Rgb => 3,
            Space::Cmyk => 4,
        }
    }

    fn palette(&self) -> Option<&[u8; 256]> {
        match self {
            Space::Indexed(table) => Some(table),
            _ => None,
        }
    }

    fn luma(&self, c: &[u8]) -> u8 {
        match self {
            Space::Gray | Space::Indexed(_) => c[0],
            Space::Rgb => rgb_luma(c[0], c[1], c[2]),
            Space::Cmyk => {
                let ink = |v: u8| 255 - (u16::from(v) + u16::from(c[3])).min(255) as u8;
                rgb_luma(ink(c[0]), ink(c[1]), ink(c[2]))
            }
        }
    }
}

fn rgb_luma(r: u8, g: u8, b: u8) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000) as u8
}

fn color_space(doc: &Document, obj: &Object, depth: u8) -> Option<Space> {
    let by_name = |name: &[u8]| match name {
        b"DeviceGray" | b"G" | b"CalGray" => Some(Space::Gray),
        b"DeviceRGB" | b"RGB" | b"CalRGB" => Some(Space::Rgb),
        b"DeviceCMYK" | b"CMYK" => Some(Space::Cmyk),
        _ => None,
    };
    match resolve(doc, obj) {
        Object::Name(name) => by_name(name),
        Object::Array(list) => {
            let family = resolve(doc, list.first()?).as_name().ok()?;
            match family {
                b"ICCBased" => {
                    let profile = resolve(doc, list.get(1)?).as_stream().ok()?;
                    match profile.dict.get(b"N").and_then(Object::as_i64).ok()? {
                        1 => Some(Space::Gray),
                        3 => Some(Space::Rgb),
                        4 => Some(Space::Cmyk),
                        _ => None,
                    }
                }
                // ImageMagick writes palette images (≤ 256 colours) this way.
                b"Indexed" | b"I" if depth == 0 => {
                    let base = color_space(doc, list.get(1)?, depth + 1)?;
                    let hival = resolve(doc, list.get(2)?).as_i64().ok()?.clamp(0, 255) as usize;
                    let lookup = match resolve(doc, list.get(3)?) {
                        Object::String(bytes, _) => bytes.clone(),
                        Object::Stream(s) => s.get_plain_content_with_limit(256 * 4).ok()?,
                        _ => return None,
                    };
                    let n = base.components();
                    let mut table = [255u8; 256];
                    for (i, level) in table.iter_mut().enumerate().take(hival + 1) {
                        if let Some(entry) = lookup.get(i * n..i * n + n) {
                            *level = base.luma(entry);
                        }
                    }
                    // An index past hival reads as the last entry, as viewers do.
                    let last = table[hival];
                    table[hival + 1..].fill(last);
                    Some(Space::Indexed(Box::new(table)))
                }
                _ => by_name(family),
            }
        }
        _ => None,
    }
}
