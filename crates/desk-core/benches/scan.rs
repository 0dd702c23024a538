//! `cargo bench -p desk-core --bench scan`: how long reading the QR of a scanned A4 form takes,
//! per file kind, on the synthetic pages of the scan tests (QR top right, text-like noise).
//! The page without a QR is the slow path: every view is tried before giving up.
//!
//! BENCH_ROUNDS (default 5) sets the samples per row.

use std::time::{Duration, Instant};

use desk_core::scan;

#[allow(dead_code)] // the tests use more of it than the bench
#[path = "../tests/core/scan_pages.rs"]
mod scan_pages;

use scan_pages::*;

fn main() {
    let rounds = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5usize);
    let straight = page(300, Some(NUMBER));
    let askew = rotate(&straight, 2.5);
    let empty = page(300, None);
    let cases: Vec<(&str, Vec<u8>, usize)> = vec![
        ("A4 300 dpi JPEG q80", jpeg(&straight), 1),
        ("A4 300 dpi JPEG q80, 2.5° askew", jpeg(&askew), 1),
        ("A4 300 dpi PNG (gray)", png(&straight), 1),
        (
            "A4 300 dpi PDF (DCT)",
            pdf(vec![Some(dct_image(&askew))]),
            1,
        ),
        (
            "A4 300 dpi PDF (Flate gray)",
            pdf(vec![Some(flate_gray(&askew))]),
            1,
        ),
        ("A4 300 dpi JPEG, no QR", jpeg(&empty), 0),
        (
            "A4 150 dpi JPEG q80, askew",
            jpeg(&rotate(&page(150, Some(NUMBER)), 2.5)),
            1,
        ),
    ];
    println!(
        "| {:<38} | {:>7} | {:>6} | {:>6} |",
        format!("scan ({rounds} rounds)"),
        "size",
        "p50 ms",
        "max ms"
    );
    println!("|{:-<40}|{:->8}:|{:->7}:|{:->7}:|", "", "", "", "");
    for (label, bytes, codes) in cases {
        let mut samples: Vec<Duration> = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                let found = scan::qr_texts(&bytes).expect("the bench scans are readable");
                let elapsed = t.elapsed();
                assert_eq!(found.len(), codes, "{label}: {found:?}");
                elapsed
            })
            .collect();
        samples.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {label:<38} | {:>4} KB | {:>6.0} | {:>6.0} |",
            bytes.len() / 1024,
            ms(samples[samples.len() / 2]),
            ms(*samples.last().unwrap())
        );
    }
}
