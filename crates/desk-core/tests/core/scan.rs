//! Reading the QR back from scans: PNG, JPEG and PDF scans made from a generated QR on a
//! noisy A4 page (see `scan_pages`), and the files a clerk might pick by mistake (or an
//! attacker might craft).

use std::time::{Duration, Instant};

use desk_core::scan::{self, ScanFormat};
use desk_core::Rule;
use image::GrayImage;
use lopdf::Stream;
use rstest::rstest;

use crate::common::issues;
use crate::scan_pages::*;

fn texts(bytes: &[u8]) -> Vec<String> {
    scan::qr_texts(bytes).expect("a well-formed scan is read")
}

fn refused(bytes: &[u8]) -> Rule {
    let err = scan::qr_texts(bytes).expect_err("the file is refused");
    let list = issues(err);
    assert_eq!(list.len(), 1, "one issue: {list:?}");
    assert_eq!(list[0].0, "scan", "the issue is on the scan field");
    list[0].1
}

// ---------------------------------------------------------------------------------------------
// Reading

#[test]
fn png_scan_gives_the_document_number() {
    let bytes = png(&page(150, Some(NUMBER)));
    assert_eq!(scan::detect(&bytes).unwrap(), ScanFormat::Png);
    assert_eq!(texts(&bytes), [NUMBER], "the QR at the top right is read");
}

#[test]
fn jpeg_scan_gives_the_document_number() {
    let bytes = jpeg(&page(150, Some(NUMBER)));
    assert_eq!(scan::detect(&bytes).unwrap(), ScanFormat::Jpeg);
    assert_eq!(
        texts(&bytes),
        [NUMBER],
        "JPEG artefacts at q80 do not hide it"
    );
}

#[test]
fn crooked_300_dpi_jpeg_is_read() {
    let bytes = jpeg(&rotate(&page(300, Some(NUMBER)), 2.5));
    assert_eq!(
        texts(&bytes),
        [NUMBER],
        "a sheet fed 2.5° askew at 300 dpi is still read"
    );
}

/// 15 mm codes at 150 dpi: modules of 3 px, which rqrr locates on the page as scanned but
/// misreads at these angles; another view of the code must be tried.
#[rstest]
#[case(-2.87)]
#[case(-0.37)]
#[case(1.13)]
#[case(2.63)]
fn small_codes_on_low_resolution_scans_are_read(#[case] degrees: f64) {
    let bytes = jpeg(&rotate(&page_with(150, Some(NUMBER), 15), degrees));
    assert_eq!(
        texts(&bytes),
        [NUMBER],
        "3 px modules, {degrees}° askew, JPEG q80"
    );
}

#[rstest]
#[case::dct(dct_image)]
#[case::flate_gray(flate_gray)]
#[case::flate_rgb_png_predictor(flate_rgb_predicted)]
#[case::bilevel(flate_bilevel)]
#[case::indexed(flate_indexed)]
fn pdf_scan_gives_the_document_number(#[case] encode: fn(&GrayImage) -> Stream) {
    let bytes = pdf(vec![Some(encode(&rotate(&page(150, Some(NUMBER)), -2.0)))]);
    assert_eq!(scan::detect(&bytes).unwrap(), ScanFormat::Pdf);
    assert_eq!(
        texts(&bytes),
        [NUMBER],
        "the page image is extracted and decoded"
    );
}

#[test]
fn every_page_of_a_pdf_is_searched() {
    let bytes = pdf(vec![
        Some(dct_image(&page(150, None))),
        None,
        Some(flate_gray(&page(150, Some(NUMBER)))),
    ]);
    assert_eq!(
        texts(&bytes),
        [NUMBER],
        "the QR on page 3 is found past a page without one and a vector page"
    );
}

#[test]
fn codes_on_several_pages_are_listed_once_each_in_page_order() {
    let bytes = pdf(vec![
        Some(dct_image(&page(150, Some(OTHER)))),
        Some(dct_image(&page(150, Some(NUMBER)))),
        Some(flate_gray(&page(150, Some(OTHER)))),
    ]);
    assert_eq!(
        texts(&bytes),
        [OTHER, NUMBER],
        "deduplicated, in the order found"
    );
}

#[test]
fn two_codes_on_one_image_are_both_returned() {
    let mut img = page(150, Some(NUMBER));
    let second = qr(OTHER, 5);
    image::imageops::overlay(&mut img, &second, 90, 1450);
    let mut found = texts(&png(&img));
    found.sort();
    assert_eq!(
        found,
        [NUMBER, OTHER],
        "both the form's QR and a second one are read"
    );
}

#[test]
fn a_page_without_a_code_gives_nothing() {
    assert!(
        texts(&png(&page(150, None))).is_empty(),
        "text and rules alone are not mistaken for a QR"
    );
    assert!(
        texts(&jpeg(&blank(150, 3))).is_empty(),
        "a blank sheet is readable and empty"
    );
}

#[test]
fn a_vector_only_pdf_gives_nothing() {
    assert!(
        texts(&pdf(vec![None, None])).is_empty(),
        "a PDF without images has no scanned QR (a vector QR is not a scan)"
    );
}

// ---------------------------------------------------------------------------------------------
// Refusing

#[rstest]
#[case::empty(b"".to_vec())]
#[case::garbage((0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect())]
#[case::text(b"SH01-HZ-2026-000123\nsigned by customer\n".to_vec())]
#[case::gif(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec())]
fn other_files_are_unsupported(#[case] bytes: Vec<u8>) {
    assert!(
        scan::detect(&bytes).is_err(),
        "detect looks at the bytes only"
    );
    assert_eq!(
        refused(&bytes),
        Rule::UnsupportedFile,
        "only PNG, JPEG and PDF are scans"
    );
}

#[test]
fn a_truncated_png_is_unreadable() {
    let bytes = png(&page(150, Some(NUMBER)));
    let cut = &bytes[..bytes.len() / 2];
    assert_eq!(
        refused(cut),
        Rule::UnreadableFile,
        "half a PNG is corrupt, not blank"
    );
}

#[test]
fn a_broken_pdf_is_unreadable() {
    assert_eq!(
        refused(b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
        Rule::UnreadableFile,
        "a PDF header without a document behind it"
    );
}

/// A PNG chunk: length, type, data, CRC-32.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = !0u32;
    for &b in kind.iter().chain(data) {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&(!crc).to_be_bytes());
    out
}

#[test]
fn a_png_claiming_ten_gigapixels_is_refused_from_its_header() {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit gray, no interlace
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(chunk(b"IHDR", &ihdr));
    // An empty zlib stream: the file is well formed up to its pixels.
    bytes.extend(chunk(
        b"IDAT",
        &[0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0, 0, 0, 1],
    ));
    bytes.extend(chunk(b"IEND", &[]));
    let start = Instant::now();
    assert_eq!(
        refused(&bytes),
        Rule::TooLarge,
        "100000×100000 is over the pixel limit"
    );
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "refused before allocating 10 GB, took {:?}",
        start.elapsed()
    );
}

#[test]
fn a_pdf_image_claiming_ten_gigapixels_is_refused() {
    let mut huge = flate_image(1, 1, "DeviceGray", 8, vec![255; 64]);
    huge.dict.set("Width", 100_000);
    huge.dict.set("Height", 100_000);
    assert_eq!(
        refused(&pdf(vec![Some(huge)])),
        Rule::TooLarge,
        "the image dictionary's size is checked before inflating"
    );
}

#[test]
fn a_file_over_30_mb_is_refused_unread() {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(scan::MAX_FILE_BYTES + 1, 0);
    let err = scan::qr_texts(&bytes).expect_err("over the size limit");
    let payload = err.payload();
    assert_eq!(payload.rule, Some(Rule::TooLarge));
    assert_eq!(
        payload.params.get("limit").map(String::as_str),
        Some("bytes"),
        "the UI can say which limit"
    );
}

#[test]
fn a_pdf_of_more_than_50_pages_is_refused() {
    let bytes = pdf((0..=scan::MAX_PAGES).map(|_| None).collect());
    assert_eq!(refused(&bytes), Rule::TooLarge, "51 pages is not a form");
    let bytes = pdf((0..scan::MAX_PAGES).map(|_| None).collect());
    assert!(texts(&bytes).is_empty(), "50 pages are still read");
}
