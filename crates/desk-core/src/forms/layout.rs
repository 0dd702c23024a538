//! The layout primitives every printed form is drawn with: the bundled font and its
//! measurements, line wrapping for mixed Chinese/Latin text, money in figures and in Chinese
//! capitals, and [`Doc`] — an A4 document with a top-down cursor that draws the title block,
//! the QR code of the number, labelled field grids, tables that break across pages, signature
//! boxes and the footer with page numbers.
//!
//! Callers think in millimetres from the top-left corner of the page; the flip to PDF's
//! bottom-left origin in points happens only where an operation is emitted.

use std::borrow::Cow;
use std::sync::LazyLock;

use printpdf::{
    Color, FontId, Greyscale, Line, LineCapStyle, LineJoinStyle, LinePoint, Mm, Op, PaintMode,
    ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfParseErrorSeverity,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem, TextMatrix, TextRenderingMode,
    WindingOrder,
};
use sha2::{Digest, Sha256};

use super::{ApprovalLine, Header, Signature};
use crate::{Error, Result};

// ---------------------------------------------------------------------------------------------
// Page geometry, in millimetres from the top-left corner.

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN_X: f32 = 15.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const MARGIN_TOP: f32 = 12.0;
/// Where the body of a continuation page starts, below its one-line running header.
const CONT_TOP: f32 = MARGIN_TOP + 9.0;
const FOOTER_RULE: f32 = PAGE_H - 14.0;
/// Nothing of the body may reach below this line: the footer lives under it.
pub const CONTENT_BOTTOM: f32 = FOOTER_RULE - 3.0;

/// 五号, the size of body text on Chinese paperwork.
pub const BODY_PT: f32 = 10.5;
pub const TABLE_PT: f32 = 9.5;
pub const SMALL_PT: f32 = 9.0;
const FOOTER_PT: f32 = 8.5;
const TITLE_PT: f32 = 20.0;
const LINE_FACTOR: f32 = 1.4;
const PAD_X: f32 = 1.8;
const PAD_Y: f32 = 1.5;
const MM_PER_PT: f32 = 25.4 / 72.0;
/// Widths are sums of f32 advances; a line that "overflows" by less than this is a rounding
/// artefact, not an overflow.
const EPS: f32 = 1e-3;
/// A cell taller than this is split line by line at a page end instead of moving whole to
/// the next page, which would leave half a page empty.
const KEEP_WHOLE_MM: f32 = 45.0;
/// Side of the QR code including its 4-module quiet zone: decodes from a 150 dpi scan with
/// modules of about five pixels, and stays out of the title's way.
const QR_SIZE: f32 = 24.0;

/// Room for a handwritten signature in a signature box: 15 mm is a generous line of
/// handwriting, and keeps a typical receipt (a part, a fee) with its signature boxes on one
/// page.
const SIGN_AREA: f32 = 15.0;

const BORDER_GREY: f32 = 0.2;
const SHADE_GREY: f32 = 0.92;

fn pt(mm: f32) -> Pt {
    Pt::from(Mm(mm))
}

fn point(x: f32, y_top_down: f32) -> Point {
    Point {
        x: pt(x),
        y: pt(PAGE_H - y_top_down),
    }
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

/// Height of one line of text of `size_pt`, in mm.
pub fn line_height(size_pt: f32) -> f32 {
    size_pt * LINE_FACTOR * MM_PER_PT
}

// ---------------------------------------------------------------------------------------------
// The font.

/// The PostScript name of the bundled face, as `pdffonts` shows it after the subset tag.
pub const FONT_NAME: &str = "NotoSansSC-Regular";
const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/NotoSansSC-Regular.ttf");
/// The PDF resource name of the font. printpdf derives the subset tag from its first six
/// letters, so a fixed name (instead of its random default) keeps the output reproducible.
const FONT_ID: &str = "NOTOSC";
/// Printed instead of a character the font has no glyph for. 〓 is the conventional
/// placeholder of Chinese typesetting; printpdf itself would draw the font's empty .notdef
/// box and drop the character from the text layer.
pub const SUBSTITUTE: char = '〓';

/// The parsed font with what measuring needs. Parsing the 10 MB file takes ~25 ms, so it
/// happens once per process.
pub struct Face {
    parsed: ParsedFont,
    units_per_em: f32,
}

static FACE: LazyLock<Face> = LazyLock::new(|| {
    let parsed = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut Vec::new())
        .expect("the bundled NotoSansSC-Regular.ttf parses (checked by the forms tests)");
    let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
    Face {
        parsed,
        units_per_em,
    }
});

/// The one face every form is printed in.
pub fn face() -> &'static Face {
    &FACE
}

impl Face {
    fn glyph(&self, c: char) -> Option<u16> {
        self.parsed
            .lookup_glyph_index(c as u32)
            .filter(|&gid| gid != 0)
    }

    /// Whether the font has a real glyph for `c` (not the .notdef box).
    pub fn has_glyph(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    fn advance_em(&self, c: char) -> f32 {
        self.glyph(c)
            .or_else(|| self.glyph(SUBSTITUTE))
            .map_or(1.0, |gid| {
                f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em
            })
    }

    /// Width of `text` set in `size_pt`, in mm, from the glyph advances the PDF viewer uses.
    pub fn width(&self, text: &str, size_pt: f32) -> f32 {
        text.chars().map(|c| self.advance_em(c)).sum::<f32>() * size_pt * MM_PER_PT
    }
}

/// Zero-width characters that input methods and copy-paste leave behind; they print as
/// nothing, so they are dropped rather than reported.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

/// The characters of `text` the font cannot draw, each once, in order of appearance.
/// Line breaks, tabs and zero-width characters are not counted: layout handles them.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let face = face();
    let mut out = Vec::new();
    for c in text.chars() {
        if c.is_control() || is_ignorable(c) || out.contains(&c) {
            continue;
        }
        if !face.has_glyph(c) {
            out.push(c);
        }
    }
    out
}

/// `text` as it will be printed: tabs become spaces, other control and zero-width characters
/// go, and a character without a glyph becomes [`SUBSTITUTE`]. Line breaks are kept.
pub fn printable(text: &str) -> Cow<'_, str> {
    let face = face();
    let clean = |c: char| {
        c == '\n' || c == ' ' || (!c.is_control() && !is_ignorable(c) && face.has_glyph(c))
    };
    if text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() || is_ignorable(c) => {}
            c if face.has_glyph(c) => out.push(c),
            _ => out.push(SUBSTITUTE),
        }
    }
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------------------------
// Line breaking.

/// Punctuation that must not begin a line (the closing half of 禁则, line-breaking rules).
pub fn is_closing(c: char) -> bool {
    "，。、；：？！）》」』”’】〕〗〉｝］．…‥·～％‰°℃,.;:!?)]}%".contains(c)
}

/// Punctuation that must not end a line.
fn is_opening(c: char) -> bool {
    "（《「『“‘【〔〖〈｛［([{".contains(c)
}

/// Characters that belong to a Latin word, number or code: a run of them is never split.
fn is_word_char(c: char) -> bool {
    if c.is_whitespace() {
        false
    } else if c.is_ascii() {
        true
    } else {
        // Latin-1 letters and signs (¥, ×), Latin extended, Greek and Cyrillic, and the
        // hyphens and en dash inside codes and ranges (09:00–12:00). The middle dot is
        // punctuation in Chinese names (阿依古丽·买买提), not part of a word.
        c != '·'
            && matches!(c as u32, 0x00A0..=0x024F | 0x0370..=0x052F | 0x1E00..=0x1EFF | 0x2010..=0x2013)
    }
}

struct Unit {
    text: String,
    width: f32,
    space: bool,
}

/// Splits one paragraph into the pieces a line may break between: a Chinese character, a
/// whole Latin word, a space. Closing punctuation is glued to the piece before it and opening
/// punctuation to the piece after it, so no break can separate them.
fn units(par: &str, size_pt: f32) -> Vec<Unit> {
    let face = face();
    let mut atoms: Vec<(String, bool)> = Vec::new();
    for c in par.chars() {
        if c.is_whitespace() {
            // A run of spaces stays one break opportunity of its real width: ideographic
            // spaces are how blanks to fill in by hand are printed.
            match atoms.last_mut() {
                Some((s, true)) => s.push(c),
                _ => atoms.push((c.to_string(), true)),
            }
        } else if is_word_char(c) {
            match atoms.last_mut() {
                Some((s, false)) if s.chars().last().is_some_and(is_word_char) => s.push(c),
                _ => atoms.push((c.to_string(), false)),
            }
        } else {
            atoms.push((c.to_string(), false));
        }
    }
    let mut out: Vec<Unit> = Vec::new();
    for (text, space) in atoms {
        if let Some(last) = out.last_mut().filter(|u| !u.space && !space) {
            let glue = text.chars().next().is_some_and(is_closing)
                || last.text.chars().last().is_some_and(is_opening);
            if glue {
                last.text.push_str(&text);
                continue;
            }
        }
        out.push(Unit {
            text,
            width: 0.0,
            space,
        });
    }
    for u in &mut out {
        u.width = face.width(&u.text, size_pt);
    }
    out
}

/// Breaks `text` into lines no wider than `max_w` mm at `size_pt`: Chinese between any two
/// characters, Latin words and numbers only at spaces (unless one alone is wider than the
/// line), never before closing punctuation or after opening punctuation. Explicit line breaks
/// are kept. Empty text gives no lines.
pub fn wrap(text: &str, size_pt: f32, max_w: f32) -> Vec<String> {
    let text = printable(text);
    let text = text.trim();
    let mut lines = Vec::new();
    if text.is_empty() {
        return lines;
    }
    for par in text.split('\n') {
        wrap_paragraph(par, size_pt, max_w, &mut lines);
    }
    lines
}

/// A word split where an overlong model or code may be cut: after a hyphen, slash or
/// underscore that follows a letter or digit and precedes one. Without such a place the
/// word is one piece.
fn soft_pieces(word: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in word.char_indices() {
        if prev.is_some_and(|p| "-/_\u{2010}\u{2013}".contains(p))
            && c.is_alphanumeric()
            && word[start..i].chars().any(char::is_alphanumeric)
        {
            pieces.push(&word[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    pieces.push(&word[start..]);
    pieces
}

fn wrap_paragraph(par: &str, size_pt: f32, max_w: f32, lines: &mut Vec<String>) {
    let face = face();
    let mut line = String::new();
    let mut w = 0.0f32;
    let mut space: Option<Unit> = None;
    let first = lines.len();
    for u in units(par, size_pt) {
        if u.space {
            if !line.is_empty() {
                space = Some(u);
            }
            continue;
        }
        let space = space.take();
        let sw = space.as_ref().map_or(0.0, |s| s.width);
        if w + sw + u.width <= max_w + EPS {
            if let Some(s) = &space {
                line.push_str(&s.text);
            }
            line.push_str(&u.text);
            w += sw + u.width;
        } else if u.width <= max_w + EPS {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line.push_str(&u.text);
            w = u.width;
        } else {
            // A single piece wider than the line (a long model, code or URL) has to be cut:
            // after a hyphen or slash inside it where one falls (CBB65-35μF/ | 450V-00 reads
            // as a model; CBB65-35μ | F/450V-00 does not), otherwise anywhere, filling the
            // current line first and keeping closing punctuation off a line start.
            let mut space = space.filter(|_| w + sw < max_w);
            for piece in soft_pieces(&u.text) {
                let pw = face.width(piece, size_pt);
                let sw = space.as_ref().map_or(0.0, |s| s.width);
                if w + sw + pw <= max_w + EPS {
                    if let Some(s) = space.take() {
                        line.push_str(&s.text);
                    }
                    line.push_str(piece);
                    w += sw + pw;
                    continue;
                }
                if pw <= max_w + EPS {
                    if !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                    }
                    space = None;
                    line.push_str(piece);
                    w = pw;
                    continue;
                }
                if let Some(s) = space.take() {
                    line.push_str(&s.text);
                    w += sw;
                }
                for c in piece.chars() {
                    let cw = face.width(c.encode_utf8(&mut [0; 4]), size_pt);
                    if w + cw > max_w + EPS && !line.is_empty() {
                        // Carry characters down until the break falls between an allowed
                        // pair: not before closing punctuation, not after opening punctuation.
                        let mut carry = String::new();
                        let mut next = c;
                        while line.chars().count() > 1 {
                            let last = line.chars().last().unwrap_or(' ');
                            if !(is_closing(next) || is_opening(last)) {
                                break;
                            }
                            line.pop();
                            carry.insert(0, last);
                            next = last;
                        }
                        lines.push(std::mem::replace(&mut line, carry));
                        w = face.width(&line, size_pt);
                    }
                    line.push(c);
                    w += cw;
                }
            }
        }
    }
    if !line.is_empty() || lines.len() == first {
        lines.push(line);
    }
}

// ---------------------------------------------------------------------------------------------
// Money.

/// Fen as yuan in figures: `¥1,234.50`, `-¥8.00`.
pub fn yuan(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let int = (abs / 100).to_string();
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}¥{grouped}.{:02}", abs % 100)
}

/// A count difference with its sign always shown, as a count sheet prints it: `+3`, `−2`,
/// `0`. The minus is U+2212, as wide as the plus: a hyphen would be easy to miss in a column
/// of figures.
pub fn signed(n: i64) -> String {
    match n {
        0 => "0".to_owned(),
        n if n > 0 => format!("+{n}"),
        n => format!("\u{2212}{}", n.unsigned_abs()),
    }
}

const CAPITAL_DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

/// Fen as the amount in Chinese capital numerals (大写金额) written on receipts so that a
/// figure cannot be altered: `壹佰贰拾叁元伍角`, `壹万零伍元整`, `伍角`. Follows the usual
/// rules: 整 after a whole yuan, one 零 for any run of zeros inside the number, 负 for a
/// negative amount.
pub fn yuan_in_words(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let (int, jiao, fen_digit) = (abs / 100, (abs / 10 % 10) as usize, (abs % 10) as usize);
    let mut out = String::new();
    if fen < 0 {
        out.push('负');
    }
    if int > 0 {
        out.push_str(&integer_in_words(int));
        out.push('元');
    } else if jiao == 0 && fen_digit == 0 {
        out.push_str("零元");
    }
    match (jiao, fen_digit) {
        (0, 0) => out.push('整'),
        (j, 0) => {
            out.push(CAPITAL_DIGITS[j]);
            out.push('角');
        }
        (j, f) => {
            if j > 0 {
                out.push(CAPITAL_DIGITS[j]);
                out.push('角');
            } else if int > 0 {
                out.push('零');
            }
            out.push(CAPITAL_DIGITS[f]);
            out.push('分');
        }
    }
    out
}

fn integer_in_words(n: u64) -> String {
    const GROUP_UNITS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
    const DIGIT_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (zero_pending || group < 1000) {
            out.push('零');
        }
        zero_pending = false;
        let digits = [group / 1000, group / 100 % 10, group / 10 % 10, group % 10];
        let mut inner_zero = false;
        let mut started = false;
        for (k, &d) in digits.iter().enumerate() {
            if d == 0 {
                inner_zero = started;
                continue;
            }
            if inner_zero {
                out.push('零');
                inner_zero = false;
            }
            out.push(CAPITAL_DIGITS[d]);
            out.push_str(DIGIT_UNITS[3 - k]);
            started = true;
        }
        out.push_str(GROUP_UNITS[i]);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// What callers put on the page.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VAlign {
    Top,
    Middle,
}

/// The value of a labelled field.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    /// Wrapped to the cell's width; may run over several lines and across pages.
    Text(Cow<'a, str>),
    /// Options printed as check boxes, the selected one ticked (`None`: all left blank to be
    /// ticked by hand).
    Choice(&'a [&'a str], Option<usize>),
}

/// One `label | value` pair of a [`Grid`] row.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    pub label: &'a str,
    pub value: Value<'a>,
    /// How many of the grid's columns the pair spans.
    pub span: usize,
    /// Height in lines even when the value is shorter or empty: room to write by hand on a
    /// form printed blank.
    pub min_lines: usize,
}

impl<'a> Field<'a> {
    pub fn text(label: &'a str, value: impl Into<Cow<'a, str>>) -> Self {
        Field {
            label,
            value: Value::Text(value.into()),
            span: 1,
            min_lines: 1,
        }
    }

    pub fn choice(label: &'a str, options: &'a [&'a str], selected: Option<usize>) -> Self {
        Field {
            label,
            value: Value::Choice(options, selected),
            span: 1,
            min_lines: 1,
        }
    }

    pub fn span(mut self, span: usize) -> Self {
        self.span = span.max(1);
        self
    }

    pub fn min_lines(mut self, lines: usize) -> Self {
        self.min_lines = lines.max(1);
        self
    }
}

/// Rows of labelled fields in bordered cells, labels shaded, like a paper form. Each row is
/// `cols` columns wide; a row whose spans fall short stretches its last field.
#[derive(Debug, Clone)]
pub struct Grid<'a> {
    pub cols: usize,
    /// Width of every label cell, so that labels line up down the page.
    pub label_w: f32,
    pub rows: Vec<Vec<Field<'a>>>,
}

#[derive(Debug, Clone)]
pub struct Column<'a> {
    pub title: &'a str,
    /// Relative width; the columns share [`CONTENT_W`] in proportion.
    pub weight: f32,
    pub align: Align,
}

/// A table with a shaded header row that is repeated on every page the table runs onto.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub columns: Vec<Column<'a>>,
    pub rows: Vec<Vec<String>>,
    /// A shaded last row. Its first cell is a label that also covers the empty cells after it.
    pub totals: Option<Vec<String>>,
    /// Printed across the table when there are no rows.
    pub empty: &'a str,
    /// Height of every body row in lines even when its cells are shorter or empty: room to
    /// write in by hand (a count sheet taken to the shelves). 1 for a table printed filled.
    pub min_lines: usize,
}

/// One box of the signature row.
#[derive(Debug, Clone, Default)]
pub struct SignBox<'a> {
    pub label: &'a str,
    /// Printed as the signer's name (a dispatcher or technician known in advance).
    pub name: Option<&'a str>,
    /// Drawn into the box; its signer and time fill the name and date lines.
    pub signature: Option<&'a Signature>,
    pub date: Option<&'a str>,
}

// ---------------------------------------------------------------------------------------------
// Cells and rows: the machinery under grids, tables and section headings.

#[derive(Debug, Clone)]
enum CellLine {
    Text(String),
    Choices(Vec<(String, bool)>),
}

#[derive(Debug, Clone)]
struct Cell {
    x: f32,
    w: f32,
    lines: Vec<CellLine>,
    size: f32,
    align: Align,
    valign: VAlign,
    shade: bool,
    bold: bool,
    /// May be cut between lines at a page end; other cells of the row are repeated whole.
    splittable: bool,
    min_lines: usize,
}

impl Cell {
    fn text(x: f32, w: f32, text: &str, size: f32) -> Cell {
        let lines = wrap(text, size, w - 2.0 * PAD_X)
            .into_iter()
            .map(CellLine::Text)
            .collect();
        Cell {
            x,
            w,
            lines,
            size,
            align: Align::Left,
            valign: VAlign::Top,
            shade: false,
            bold: false,
            splittable: true,
            min_lines: 1,
        }
    }

    fn label(x: f32, w: f32, text: &str, size: f32) -> Cell {
        Cell {
            align: Align::Center,
            shade: true,
            splittable: false,
            ..Cell::text(x, w, text, size)
        }
    }

    fn choices(x: f32, w: f32, options: &[&str], selected: Option<usize>, size: f32) -> Cell {
        let face = face();
        let max = w - 2.0 * PAD_X;
        let mut lines = Vec::new();
        let mut line: Vec<(String, bool)> = Vec::new();
        let mut used = 0.0;
        for (i, opt) in options.iter().enumerate() {
            let ow = choice_width(face.width(opt, size), size);
            if used + ow > max + EPS && !line.is_empty() {
                lines.push(CellLine::Choices(std::mem::take(&mut line)));
                used = 0.0;
            }
            line.push(((*opt).to_owned(), selected == Some(i)));
            used += ow;
        }
        if !line.is_empty() {
            lines.push(CellLine::Choices(line));
        }
        Cell {
            x,
            w,
            lines,
            size,
            align: Align::Left,
            valign: VAlign::Top,
            shade: false,
            bold: false,
            splittable: false,
            min_lines: 1,
        }
    }

    fn line_count(&self) -> usize {
        self.lines.len().max(self.min_lines).max(1)
    }
}

/// Left edge and width of each column: the columns share [`CONTENT_W`] by weight.
fn column_xs(columns: &[Column]) -> Vec<(f32, f32)> {
    let total: f32 = columns.iter().map(|c| c.weight.max(0.0)).sum();
    let total = if total > 0.0 { total } else { 1.0 };
    let mut xs = Vec::with_capacity(columns.len());
    let mut x = MARGIN_X;
    for c in columns {
        let w = CONTENT_W * c.weight.max(0.0) / total;
        xs.push((x, w));
        x += w;
    }
    xs
}

fn checkbox_side(size: f32) -> f32 {
    0.72 * size * MM_PER_PT
}

/// Box, gap, label and the space before the next option.
fn choice_width(label_w: f32, size: f32) -> f32 {
    checkbox_side(size) + 1.2 + label_w + 5.0
}

// ---------------------------------------------------------------------------------------------
// The document.

/// An A4 document being laid out top-down. [`Doc::new`] draws the first page's title block;
/// every method then draws at the cursor and moves it down, starting a new page (with a
/// running header, and a table's header row) when something does not fit. [`Doc::finish`]
/// adds the footers, now that the page count is known, and serialises. A clone is a trial
/// layout: a form can see where a block would end before committing to it.
#[derive(Clone)]
pub struct Doc {
    title: String,
    header: Header,
    pages: Vec<Vec<Op>>,
    /// The page being drawn on: the last one while laying out, each in turn for footers.
    cur: usize,
    y: f32,
}

impl Doc {
    /// Starts page 1 with the title block: site, form title, number, revision, issue date and
    /// issuer, and the QR code of the number in the top-right corner.
    pub fn new(title: &str, header: &Header) -> Result<Doc> {
        let mut doc = Doc {
            title: title.to_owned(),
            header: header.clone(),
            pages: Vec::new(),
            cur: 0,
            y: MARGIN_TOP,
        };
        doc.start_page();
        doc.title_block()?;
        Ok(doc)
    }

    /// The cursor, in mm from the top of the current page.
    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Moves the cursor down; at the end of a page this only starts the next page.
    pub fn gap(&mut self, mm: f32) {
        self.y += mm;
        if self.y > CONTENT_BOTTOM {
            self.new_page();
        }
    }

    /// Starts a new page when less than `mm` is left on this one (keeps a block together).
    pub fn ensure(&mut self, mm: f32) {
        if self.y + mm > CONTENT_BOTTOM + EPS {
            self.new_page();
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.pages[self.cur]
    }

    fn start_page(&mut self) {
        self.cur = self.pages.len();
        self.pages.push(vec![
            Op::SetOutlineColor {
                col: grey(BORDER_GREY),
            },
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::SetLineJoinStyle {
                join: LineJoinStyle::Miter,
            },
        ]);
    }

    /// A continuation page: the form's title and number in one line over a rule, so that a
    /// loose second sheet still says what it belongs to.
    pub fn new_page(&mut self) {
        self.start_page();
        let size = SMALL_PT + 1.0;
        let base = MARGIN_TOP + 4.0;
        let title = format!("{}（续）", self.title);
        self.put_text(MARGIN_X, base, &title, size, true);
        let right = format!("编号：{}", self.header.number);
        let w = face().width(&right, size);
        self.put_text(PAGE_W - MARGIN_X - w, base, &right, size, false);
        self.hline(MARGIN_X, PAGE_W - MARGIN_X, MARGIN_TOP + 6.5, 0.6);
        self.y = CONT_TOP;
    }

    fn title_block(&mut self) -> Result<()> {
        let h = self.header.clone();
        let left_w = CONTENT_W - QR_SIZE - 4.0;
        self.put_text(MARGIN_X, MARGIN_TOP + 4.0, &h.site_name, BODY_PT, false);

        let tw = face().width(&self.title, TITLE_PT);
        let title = self.title.clone();
        self.put_text(
            (PAGE_W - tw) / 2.0,
            MARGIN_TOP + 14.0,
            &title,
            TITLE_PT,
            true,
        );

        let meta = [
            format!("编号：{}　　版本：第 {} 版", h.number, h.revision),
            format!(
                "网点：{}（{}）　　开单：{}　{}",
                h.site_name, h.site_code, h.issued_at, h.issued_by
            ),
        ];
        let mut base = MARGIN_TOP + 21.5;
        for m in &meta {
            for line in wrap(m, SMALL_PT, left_w) {
                self.put_text(MARGIN_X, base, &line, SMALL_PT, false);
                base += line_height(SMALL_PT);
            }
        }
        let qr_x = PAGE_W - MARGIN_X - QR_SIZE;
        self.qr(&h.number, qr_x, MARGIN_TOP - 3.0, QR_SIZE)?;
        let rule = (base - 2.0).max(MARGIN_TOP + QR_SIZE - 1.0);
        self.hline(MARGIN_X, PAGE_W - MARGIN_X, rule, 0.8);
        self.y = rule + 3.0;
        Ok(())
    }

    /// The QR code of `data` as filled vector rectangles (one per run of dark modules, all in
    /// one path so that no seams show between them), with a white 4-module quiet zone.
    /// `x`, `y` is the top-left corner of the quiet zone, `size` its side.
    pub fn qr(&mut self, data: &str, x: f32, y: f32, size: f32) -> Result<()> {
        let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
            .map_err(|e| Error::Render(format!("no QR code for {data:?}: {e}")))?;
        let n = code.width();
        let colors = code.to_colors();
        let module = size / (n + 8) as f32;
        let (ox, oy) = (x + 4.0 * module, y + 4.0 * module);
        let mut rings = Vec::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if colors[row * n + col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                rings.push(rect_ring(
                    ox + start as f32 * module,
                    oy + row as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ));
            }
        }
        let ops = self.ops();
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetFillColor { col: grey(1.0) });
        ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![rect_ring(x, y, size, size)],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
        ops.push(Op::SetFillColor { col: grey(0.0) });
        ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
        ops.push(Op::RestoreGraphicsState);
        Ok(())
    }

    // ---- drawing primitives ------------------------------------------------------------

    /// Text on one line with its baseline at `baseline` (mm from the top). `bold` strokes the
    /// outline as well as filling it: the bundled regular face made heavier, at none of the
    /// cost of embedding a second 10 MB face.
    fn put_text(&mut self, x: f32, baseline: f32, text: &str, size: f32, bold: bool) {
        let text = printable(text);
        if text.trim().is_empty() {
            return;
        }
        let text = text.into_owned();
        let ops = self.ops();
        if bold {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetOutlineColor { col: grey(0.0) });
            ops.push(Op::SetOutlineThickness {
                pt: Pt(size * 0.035),
            });
            ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
        }
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(FONT_ID.to_owned())),
            size: Pt(size),
        });
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(pt(x), pt(PAGE_H - baseline)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text)],
        });
        ops.push(Op::EndTextSection);
        if bold {
            ops.push(Op::RestoreGraphicsState);
        }
    }

    fn hline(&mut self, x0: f32, x1: f32, y: f32, thickness: f32) {
        let ops = self.ops();
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: point(x0, y),
                        bezier: false,
                    },
                    LinePoint {
                        p: point(x1, y),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
        ops.push(Op::RestoreGraphicsState);
    }

    fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.ops().push(Op::DrawRectangle {
            rectangle: Rect {
                mode: Some(PaintMode::Stroke),
                ..Rect::from_xywh(pt(x), pt(PAGE_H - y - h), pt(w), pt(h))
            },
        });
    }

    fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, level: f32) {
        let ops = self.ops();
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetFillColor { col: grey(level) });
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                mode: Some(PaintMode::Fill),
                ..Rect::from_xywh(pt(x), pt(PAGE_H - y - h), pt(w), pt(h))
            },
        });
        ops.push(Op::RestoreGraphicsState);
    }

    fn polyline(&mut self, points: &[(f32, f32)], thickness: f32, colour: f32) {
        if points.is_empty() {
            return;
        }
        let mut pts: Vec<LinePoint> = points
            .iter()
            .map(|&(x, y)| LinePoint {
                p: point(x, y),
                bezier: false,
            })
            .collect();
        if pts.len() == 1 {
            // A tap on the pad is a dot: a zero-length segment with round caps draws it.
            pts.push(pts[0].clone());
        }
        let ops = self.ops();
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetOutlineColor { col: grey(colour) });
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::SetLineCapStyle {
            cap: LineCapStyle::Round,
        });
        ops.push(Op::SetLineJoinStyle {
            join: LineJoinStyle::Round,
        });
        ops.push(Op::DrawLine {
            line: Line {
                points: pts,
                is_closed: false,
            },
        });
        ops.push(Op::RestoreGraphicsState);
    }

    fn checkbox(&mut self, x: f32, baseline: f32, size: f32, checked: bool) {
        let side = checkbox_side(size);
        // Centred on the ideographs' body, which spans -0.12..0.88 em around the baseline.
        let top = baseline - 0.38 * size * MM_PER_PT - side / 2.0;
        self.ops().push(Op::SaveGraphicsState);
        self.ops().push(Op::SetOutlineColor { col: grey(0.0) });
        self.ops().push(Op::SetOutlineThickness { pt: Pt(0.6) });
        self.stroke_rect(x, top, side, side);
        self.ops().push(Op::RestoreGraphicsState);
        if checked {
            let tick = [
                (x + 0.15 * side, top + 0.5 * side),
                (x + 0.42 * side, top + 0.82 * side),
                (x + 0.95 * side, top - 0.05 * side),
            ];
            self.polyline(&tick, 1.2, 0.0);
        }
    }

    // ---- rows of cells -----------------------------------------------------------------

    fn baseline_in_line(line_top: f32, size: f32) -> f32 {
        line_top + line_height(size) / 2.0 + 0.38 * size * MM_PER_PT
    }

    /// Draws the lines `from..from + count` of the splittable cells (all lines of the others)
    /// in a row `h` high at the cursor, and moves the cursor below it.
    fn draw_row(&mut self, cells: &[Cell], from: usize, count: usize, h: f32) {
        let top = self.y;
        for c in cells.iter().filter(|c| c.shade) {
            self.fill_rect(c.x + 0.1, top + 0.1, c.w - 0.2, h - 0.2, SHADE_GREY);
        }
        for c in cells {
            let lines: &[CellLine] = if c.splittable {
                let end = (from + count).min(c.lines.len());
                &c.lines[from.min(end)..end]
            } else {
                &c.lines
            };
            let lh = line_height(c.size);
            let mut line_top = top + PAD_Y;
            if c.valign == VAlign::Middle {
                line_top = top + (h - lines.len() as f32 * lh) / 2.0;
            }
            for line in lines {
                let base = Self::baseline_in_line(line_top, c.size);
                match line {
                    CellLine::Text(t) => {
                        let tw = face().width(t, c.size);
                        let x = match c.align {
                            Align::Left => c.x + PAD_X,
                            Align::Center => c.x + (c.w - tw) / 2.0,
                            Align::Right => c.x + c.w - PAD_X - tw,
                        };
                        self.put_text(x, base, t, c.size, c.bold);
                    }
                    CellLine::Choices(opts) => {
                        let mut x = c.x + PAD_X;
                        for (label, checked) in opts {
                            self.checkbox(x, base, c.size, *checked);
                            let lx = x + checkbox_side(c.size) + 1.2;
                            self.put_text(lx, base, label, c.size, false);
                            x += choice_width(face().width(label, c.size), c.size);
                        }
                    }
                }
                line_top += lh;
            }
        }
        for c in cells {
            self.stroke_rect(c.x, top, c.w, h);
        }
        self.y = top + h;
    }

    fn row_height(cells: &[Cell], lines: usize) -> f32 {
        let lh = cells
            .iter()
            .map(|c| line_height(c.size))
            .fold(0.0, f32::max);
        lines.max(1) as f32 * lh + 2.0 * PAD_Y
    }

    /// Draws a row at the cursor. If it does not fit, a short row moves to the next page and
    /// a tall one is cut between lines; after every page break `header` (a table's header
    /// row) is drawn again first.
    fn row(&mut self, cells: &[Cell], header: Option<&[Cell]>) {
        let n = cells.iter().map(Cell::line_count).max().unwrap_or(1);
        let fixed = cells
            .iter()
            .filter(|c| !c.splittable)
            .map(Cell::line_count)
            .max()
            .unwrap_or(1);
        let full = Self::row_height(cells, n);
        if self.y + full <= CONTENT_BOTTOM + EPS {
            self.draw_row(cells, 0, n, full);
            return;
        }
        let header_h = header.map_or(0.0, |h| Self::row_height(h, Self::lines_of(h)));
        let fresh = CONTENT_BOTTOM - CONT_TOP - header_h;
        let splittable = n > fixed;
        if full <= fresh && (full <= KEEP_WHOLE_MM || !splittable) {
            self.break_page(header);
            self.draw_row(cells, 0, n, full);
            return;
        }
        let lh = Self::row_height(cells, 1) - 2.0 * PAD_Y;
        let mut start = 0;
        let mut just_broke = false;
        while start < n {
            let avail = CONTENT_BOTTOM - self.y - 2.0 * PAD_Y;
            let fit = ((avail + EPS) / lh).floor().max(0.0) as usize;
            let want = fixed.max(2).min(n - start);
            if fit < want && !just_broke {
                self.break_page(header);
                just_broke = true;
                continue;
            }
            let take = fit.max(1).min(n - start);
            let h = Self::row_height(cells, take.max(fixed));
            self.draw_row(cells, start, take, h);
            start += take;
            just_broke = false;
            if start < n {
                self.break_page(header);
                just_broke = true;
            }
        }
    }

    fn lines_of(cells: &[Cell]) -> usize {
        cells.iter().map(Cell::line_count).max().unwrap_or(1)
    }

    fn break_page(&mut self, header: Option<&[Cell]>) {
        self.new_page();
        if let Some(h) = header {
            let n = Self::lines_of(h);
            let height = Self::row_height(h, n);
            self.draw_row(h, 0, n, height);
        }
    }

    // ---- blocks ------------------------------------------------------------------------

    /// A shaded full-width heading row, kept on the same page as the block after it.
    pub fn section(&mut self, title: &str) {
        let mut cell = Cell::text(MARGIN_X, CONTENT_W, title, BODY_PT);
        cell.shade = true;
        cell.bold = true;
        cell.splittable = false;
        cell.valign = VAlign::Middle;
        let h = Self::row_height(std::slice::from_ref(&cell), 1);
        self.ensure(h + 2.0 * line_height(BODY_PT) + 2.0 * PAD_Y);
        self.row(&[cell], None);
    }

    /// A section heading and the table under it, the heading kept on the page where the
    /// table's header row and first row go: [`Doc::section`] keeps room for two lines of
    /// text only, and a taller first row would move the table on and leave the heading alone
    /// at the foot of the page.
    pub fn section_with_table(&mut self, title: &str, table: &Table) {
        let xs = column_xs(&table.columns);
        let cells = |texts: Vec<&str>, min_lines: usize| -> Vec<Cell> {
            xs.iter()
                .zip(texts)
                .map(|(&(x, w), t)| Cell {
                    min_lines,
                    ..Cell::text(x, w, t, TABLE_PT)
                })
                .collect()
        };
        let header = cells(table.columns.iter().map(|c| c.title).collect(), 1);
        let first = match table.rows.first() {
            Some(r) => cells(
                (0..xs.len())
                    .map(|i| r.get(i).map_or("", String::as_str))
                    .collect(),
                table.min_lines.max(1),
            ),
            None => vec![Cell::text(MARGIN_X, CONTENT_W, table.empty, TABLE_PT)],
        };
        let heading = Self::row_height(&[Cell::text(MARGIN_X, CONTENT_W, title, BODY_PT)], 1);
        self.ensure(
            heading
                + Self::row_height(&header, Self::lines_of(&header))
                + Self::row_height(&first, Self::lines_of(&first)),
        );
        self.section(title);
        self.table(table);
    }

    /// Rows of `label | value` cells.
    pub fn grid(&mut self, grid: &Grid) {
        let cols = grid.cols.max(1);
        let col_w = CONTENT_W / cols as f32;
        for fields in &grid.rows {
            let mut cells = Vec::with_capacity(fields.len() * 2);
            let mut col = 0;
            for (i, f) in fields.iter().enumerate() {
                let span = if i + 1 == fields.len() {
                    cols.saturating_sub(col).max(1)
                } else {
                    f.span.min(cols - col)
                };
                let x = MARGIN_X + col as f32 * col_w;
                let w = span as f32 * col_w;
                let label_w = grid.label_w.min(w / 2.0);
                cells.push(Cell::label(x, label_w, f.label, BODY_PT));
                let (vx, vw) = (x + label_w, w - label_w);
                let mut value = match &f.value {
                    Value::Text(t) => Cell::text(vx, vw, t, BODY_PT),
                    Value::Choice(opts, sel) => Cell::choices(vx, vw, opts, *sel, BODY_PT),
                };
                value.min_lines = f.min_lines;
                cells.push(value);
                col += span;
                if col >= cols {
                    break;
                }
            }
            self.row(&cells, None);
        }
    }

    /// A table; rows that do not fit continue on the next page under a repeated header row.
    pub fn table(&mut self, table: &Table) {
        let xs = column_xs(&table.columns);
        let rows: Vec<Vec<Cell>> = table
            .rows
            .iter()
            .map(|r| {
                xs.iter()
                    .zip(&table.columns)
                    .enumerate()
                    .map(|(i, (&(x, w), c))| {
                        let mut cell = Cell {
                            align: c.align,
                            valign: VAlign::Middle,
                            ..Cell::text(x, w, r.get(i).map_or("", String::as_str), TABLE_PT)
                        };
                        cell.min_lines = table.min_lines.max(1);
                        cell
                    })
                    .collect()
            })
            .collect();
        self.table_rows(
            &table.columns,
            &xs,
            &rows,
            table.totals.as_deref(),
            table.empty,
        );
    }

    /// The approval record of a form as a table: role, name, decision, time and comment of
    /// each approval in order. An approval still pending (no time, no decision) gets 同意 /
    /// 不同意 boxes to tick and room to write; with no approvals recorded at all, `chain` (the
    /// roles the form goes through) is printed as such pending rows, so that a form printed
    /// before approval still shows whom it must pass.
    pub fn approvals(&mut self, lines: &[ApprovalLine], chain: &[&str]) {
        const DECISIONS: [&str; 2] = ["同意", "不同意"];
        let columns = [
            Column {
                title: "审批环节",
                weight: 24.0,
                align: Align::Center,
            },
            Column {
                title: "姓名",
                weight: 22.0,
                align: Align::Center,
            },
            Column {
                title: "审批结论",
                weight: 38.0,
                align: Align::Center,
            },
            Column {
                title: "时间",
                weight: 34.0,
                align: Align::Center,
            },
            Column {
                title: "意见",
                weight: 62.0,
                align: Align::Left,
            },
        ];
        let xs = column_xs(&columns);
        let pending_chain: Vec<ApprovalLine>;
        let lines = if lines.is_empty() {
            pending_chain = chain
                .iter()
                .map(|role| ApprovalLine {
                    role: (*role).to_owned(),
                    name: String::new(),
                    at: String::new(),
                    decision: String::new(),
                    comment: String::new(),
                })
                .collect();
            &pending_chain[..]
        } else {
            lines
        };
        let rows: Vec<Vec<Cell>> = lines
            .iter()
            .map(|a| {
                let pending = a.at.trim().is_empty() && a.decision.trim().is_empty();
                let texts = [&a.role, &a.name, &a.decision, &a.at, &a.comment];
                xs.iter()
                    .zip(&columns)
                    .zip(texts)
                    .enumerate()
                    .map(|(i, ((&(x, w), c), text))| {
                        let mut cell = if i == 2 && pending {
                            Cell::choices(x, w, &DECISIONS, None, TABLE_PT)
                        } else {
                            Cell {
                                align: c.align,
                                ..Cell::text(x, w, text, TABLE_PT)
                            }
                        };
                        cell.valign = VAlign::Middle;
                        // A pending approval is signed by hand: a line to write the comment
                        // and a line for the name and time.
                        cell.min_lines = if pending { 2 } else { 1 };
                        cell
                    })
                    .collect()
            })
            .collect();
        self.table_rows(&columns, &xs, &rows, None, "无审批记录");
    }

    /// Draws a table's header row, its body rows (or `empty` across the table) and the totals
    /// row, breaking pages between rows under a repeated header.
    fn table_rows(
        &mut self,
        columns: &[Column],
        xs: &[(f32, f32)],
        rows: &[Vec<Cell>],
        totals: Option<&[String]>,
        empty: &str,
    ) {
        let header: Vec<Cell> = columns
            .iter()
            .zip(xs)
            .map(|(c, &(x, w))| Cell {
                valign: VAlign::Middle,
                ..Cell::label(x, w, c.title, TABLE_PT)
            })
            .collect();

        let header_h = Self::row_height(&header, Self::lines_of(&header));
        let first_h = rows.first().map_or(Self::row_height(&header, 1), |r| {
            Self::row_height(r, Self::lines_of(r))
        });
        self.ensure(header_h + first_h);
        let n = Self::lines_of(&header);
        self.draw_row(&header, 0, n, header_h);

        if rows.is_empty() {
            let cell = Cell {
                align: Align::Center,
                splittable: false,
                ..Cell::text(MARGIN_X, CONTENT_W, empty, TABLE_PT)
            };
            self.row(&[cell], Some(&header));
        }
        for r in rows {
            self.row(r, Some(&header));
        }
        if let Some(totals) = totals {
            let mut cells = Vec::new();
            let mut i = 0;
            while i < columns.len() {
                let text = totals.get(i).map_or("", String::as_str);
                let mut end = i + 1;
                if i == 0 {
                    while end < columns.len() && totals.get(end).is_none_or(|t| t.is_empty()) {
                        end += 1;
                    }
                }
                let (x, _) = xs[i];
                let w: f32 = xs[i..end].iter().map(|&(_, w)| w).sum();
                let mut cell = Cell {
                    align: if i == 0 {
                        Align::Right
                    } else {
                        columns[i].align
                    },
                    valign: VAlign::Middle,
                    splittable: false,
                    ..Cell::text(x, w, text, TABLE_PT)
                };
                cell.shade = true;
                cells.push(cell);
                i = end;
            }
            self.row(&cells, Some(&header));
        }
    }

    /// A paragraph of small text without borders (notes under a block).
    pub fn note(&mut self, text: &str) {
        for line in wrap(text, SMALL_PT, CONTENT_W) {
            self.ensure(line_height(SMALL_PT));
            let base = Self::baseline_in_line(self.y, SMALL_PT);
            self.put_text(MARGIN_X, base, &line, SMALL_PT, false);
            self.y += line_height(SMALL_PT);
        }
    }

    /// The note the signers acknowledge and the signature row under it, kept on one page: a
    /// long form then ends with its last words and the signatures together, never with a
    /// page holding nothing but signature boxes.
    pub fn closing(&mut self, note: &str, boxes: &[SignBox]) {
        const BEFORE_NOTE: f32 = 2.0;
        const BEFORE_BOXES: f32 = 3.0;
        let note_h = wrap(note, SMALL_PT, CONTENT_W).len() as f32 * line_height(SMALL_PT);
        let boxes_h = if boxes.is_empty() {
            0.0
        } else {
            Self::sign_lines(boxes).1
        };
        self.ensure(BEFORE_NOTE + note_h + BEFORE_BOXES + boxes_h);
        self.gap(BEFORE_NOTE);
        self.note(note);
        self.gap(BEFORE_BOXES);
        self.signatures(boxes);
    }

    /// The name and date lines of each signature box, and the height of the row.
    fn sign_lines(boxes: &[SignBox]) -> (Vec<Vec<String>>, f32) {
        let w = CONTENT_W / boxes.len().max(1) as f32;
        let band = line_height(BODY_PT) + 2.0 * PAD_Y;
        let area = SIGN_AREA;
        let lh = line_height(SMALL_PT);
        let texts: Vec<Vec<String>> = boxes
            .iter()
            .map(|b| {
                let name = b
                    .signature
                    .map(|s| s.signer.as_str())
                    .filter(|s| !s.trim().is_empty())
                    .or(b.name)
                    .unwrap_or("");
                let date = b
                    .signature
                    .map(|s| s.signed_at.as_str())
                    .filter(|s| !s.trim().is_empty())
                    .or(b.date)
                    .unwrap_or("　　　　年　　月　　日");
                let mut lines = wrap(&format!("姓名：{name}"), SMALL_PT, w - 2.0 * PAD_X);
                lines.extend(wrap(&format!("日期：{date}"), SMALL_PT, w - 2.0 * PAD_X));
                lines
            })
            .collect();
        let bottom_lines = texts.iter().map(Vec::len).max().unwrap_or(2);
        let h = band + area + bottom_lines as f32 * lh + 2.0 * PAD_Y;
        (texts, h)
    }

    /// Signature boxes side by side across the page: a shaded label, an empty box to sign in
    /// (or the recorded signature drawn in it), and the name and date lines under it.
    pub fn signatures(&mut self, boxes: &[SignBox]) {
        if boxes.is_empty() {
            return;
        }
        let w = CONTENT_W / boxes.len() as f32;
        let band = line_height(BODY_PT) + 2.0 * PAD_Y;
        let lh = line_height(SMALL_PT);
        let (texts, h) = Self::sign_lines(boxes);
        let area = SIGN_AREA;
        self.ensure(h);
        let top = self.y;
        for (i, (b, lines)) in boxes.iter().zip(&texts).enumerate() {
            let x = MARGIN_X + i as f32 * w;
            self.fill_rect(x + 0.1, top + 0.1, w - 0.2, band - 0.2, SHADE_GREY);
            let base = Self::baseline_in_line(top + PAD_Y, BODY_PT);
            let lw = face().width(b.label, BODY_PT);
            self.put_text(x + (w - lw) / 2.0, base, b.label, BODY_PT, false);
            self.stroke_rect(x, top, w, band);
            self.stroke_rect(x, top + band, w, h - band);
            if let Some(sig) = b.signature {
                self.draw_signature(sig, x + 3.0, top + band + 1.5, w - 6.0, area - 3.0);
            }
            let mut line_top = top + band + area + PAD_Y;
            for l in lines {
                let base = Self::baseline_in_line(line_top, SMALL_PT);
                self.put_text(x + PAD_X, base, l, SMALL_PT, false);
                line_top += lh;
            }
        }
        self.y = top + h;
    }

    /// The pad's strokes scaled to fit the box, aspect ratio kept, centred. Fitted to the ink
    /// rather than to the whole pad so that a small signature in a corner of a wide pad still
    /// fills the box — but never enlarged beyond twice the whole-pad scale, so a dot stays a dot.
    fn draw_signature(&mut self, sig: &Signature, x: f32, y: f32, w: f32, h: f32) {
        let finite = |p: &&[f32; 2]| p[0].is_finite() && p[1].is_finite();
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in sig.strokes.iter().flatten().filter(finite) {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        if x0 > x1 {
            return;
        }
        let (iw, ih) = ((x1 - x0).max(1e-3), (y1 - y0).max(1e-3));
        let mut scale = (w / iw).min(h / ih);
        if sig.width > 0.0 && sig.height > 0.0 {
            scale = scale.min(2.0 * (w / sig.width).min(h / sig.height));
        }
        let ox = x + (w - iw * scale) / 2.0;
        let oy = y + (h - ih * scale) / 2.0;
        for stroke in &sig.strokes {
            let pts: Vec<(f32, f32)> = stroke
                .iter()
                .filter(finite)
                .map(|p| (ox + (p[0] - x0) * scale, oy + (p[1] - y0) * scale))
                .collect();
            self.polyline(&pts, 1.1, 0.05);
        }
    }

    fn footer(&mut self, page: usize, total: usize) {
        let h = self.header.clone();
        self.hline(MARGIN_X, PAGE_W - MARGIN_X, FOOTER_RULE, 0.4);
        let base = FOOTER_RULE + 4.5;
        let left = if h.site_hotline.trim().is_empty() {
            h.site_name.clone()
        } else {
            format!("{}　服务热线：{}", h.site_name, h.site_hotline)
        };
        self.put_text(MARGIN_X, base, &left, FOOTER_PT, false);
        let centre = format!("{}　第 {} 版", h.number, h.revision);
        let cw = face().width(&centre, FOOTER_PT);
        self.put_text((PAGE_W - cw) / 2.0, base, &centre, FOOTER_PT, false);
        let right = format!("第 {page} 页 / 共 {total} 页");
        let rw = face().width(&right, FOOTER_PT);
        self.put_text(PAGE_W - MARGIN_X - rw, base, &right, FOOTER_PT, false);
    }

    /// Adds the footers and serialises. The output depends only on what was drawn and on
    /// `seed` (which becomes the file identifier): no clock, no random ids — the same form
    /// renders to the same bytes, which is what makes a reprint identical to the original.
    pub fn finish(mut self, seed: &[u8]) -> Result<Vec<u8>> {
        let total = self.pages.len();
        for i in 0..total {
            self.cur = i;
            self.footer(i + 1, total);
        }
        let mut pdf = PdfDocument::new(&format!("{} {}", self.title, self.header.number));
        pdf.resources.fonts.map.insert(
            FontId(FONT_ID.to_owned()),
            PdfFont::new(face().parsed.clone()),
        );
        pdf.with_pages(
            self.pages
                .into_iter()
                .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
                .collect(),
        );
        let opts = PdfSaveOptions {
            subset_fonts: true,
            ..PdfSaveOptions::default()
        };
        let mut warnings = Vec::new();
        let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
        if let Some(w) = warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error)
        {
            return Err(Error::Render(w.msg.clone()));
        }
        set_identity(&mut lo, &self.title, &self.header, seed);
        lo.compress();
        let mut bytes = Vec::new();
        lo.save_to(&mut bytes)
            .map_err(|e| Error::Render(format!("writing the PDF: {e}")))?;
        Ok(bytes)
    }
}

fn rect_ring(x: f32, y: f32, w: f32, h: f32) -> PolygonRing {
    PolygonRing {
        points: [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
            .into_iter()
            .map(|(x, y)| LinePoint {
                p: point(x, y),
                bezier: false,
            })
            .collect(),
    }
}

/// Replaces printpdf's clock- and counter-derived file identifier and info dictionary with
/// ones derived from the form: the same form gives the same bytes.
fn set_identity(lo: &mut lopdf::Document, title: &str, header: &Header, seed: &[u8]) {
    use lopdf::{Dictionary, Object, StringFormat};
    let id = Sha256::digest(seed)[..16].to_vec();
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    let text = |s: &str| {
        let mut b = vec![0xFE, 0xFF];
        b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(b, StringFormat::Hexadecimal)
    };
    let mut info = Dictionary::new();
    info.set("Title", text(&format!("{title} {}", header.number)));
    info.set(
        "Subject",
        text(&format!("{} 第 {} 版", header.number, header.revision)),
    );
    info.set("Author", text(&header.site_name));
    info.set("Creator", text("After-Sales Desk"));
    // The local issue time, without a zone (PDF allows that): the form does not carry one.
    let digits: String = header
        .issued_at
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() >= 12 {
        info.set(
            "CreationDate",
            Object::String(
                format!("D:{}", &digits[..digits.len().min(14)]).into_bytes(),
                StringFormat::Literal,
            ),
        );
    }
    match lo.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            lo.objects.insert(id, Object::Dictionary(info));
        }
        Err(_) => {
            let id = lo.add_object(Object::Dictionary(info));
            lo.trailer.set("Info", Object::Reference(id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDTH: f32 = 60.0;

    fn check_lines(text: &str, size: f32, max: f32) -> Vec<String> {
        let lines = wrap(text, size, max);
        for (i, l) in lines.iter().enumerate() {
            let w = face().width(l, size);
            assert!(
                w <= max + EPS,
                "line {i} {l:?} is {w:.2} mm wide, over the {max} mm limit"
            );
            if i > 0 {
                if let Some(c) = l.chars().next() {
                    assert!(
                        !is_closing(c),
                        "line {i} {l:?} starts with closing punctuation {c:?}; lines: {lines:#?}"
                    );
                }
            }
            assert_eq!(l.trim(), l, "line {i} {l:?} carries edge spaces");
        }
        lines
    }

    #[test]
    fn chinese_wraps_per_character_and_fills_lines() {
        let text =
            "空调外机运行时噪音很大并伴有异常震动室内机出风口不制冷显示故障代码需要上门检测处理"
                .repeat(3);
        let lines = check_lines(&text, BODY_PT, WIDTH);
        assert!(lines.len() > 3, "a long paragraph should wrap: {lines:?}");
        assert_eq!(
            lines.concat(),
            text,
            "wrapping Chinese must not lose or add characters"
        );
        let one = face().width("空", BODY_PT);
        for l in &lines[..lines.len() - 1] {
            assert!(
                face().width(l, BODY_PT) > WIDTH - one - EPS,
                "a non-final line {l:?} should be full: Chinese breaks between any characters"
            );
        }
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // Every break position of the sentence is tried by varying the width.
        let text = "客户反映：空调不制冷，外机噪音大。已告知“保修期内免费”！《保修卡》（含配件）。";
        for tenth in 150..600 {
            check_lines(text, BODY_PT, tenth as f32 / 10.0);
        }
        let text = "更换压缩机，更换冷凝器。更换电容，更换四通阀。".repeat(4);
        for tenth in 100..500 {
            check_lines(&text, SMALL_PT, tenth as f32 / 10.0);
        }
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        let text = "配件型号（KFR-35GW）与《保修卡》「序列号」一致，请核对【购买发票】".repeat(2);
        for tenth in 150..600 {
            let lines = check_lines(&text, BODY_PT, tenth as f32 / 10.0);
            for l in &lines[..lines.len() - 1] {
                let c = l.chars().last().unwrap();
                assert!(!is_opening(c), "line {l:?} ends with opening punctuation");
            }
        }
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let words = [
            "KFR-35GW/BP2DN1Y-PA400(B3)",
            "13812345678",
            "2026-11-23",
            "09:00–12:00",
            "¥1,234.50",
            "Haier",
        ];
        let text = format!(
            "型号{}的空调，客户电话{}，预约{} {}上门，费用{}，品牌{}负责。",
            words[0], words[1], words[2], words[3], words[4], words[5]
        );
        let widest = words
            .iter()
            .map(|w| face().width(w, BODY_PT))
            .fold(0.0, f32::max);
        for tenth in (widest * 10.0).ceil() as i32..700 {
            let max = tenth as f32 / 10.0;
            let lines = check_lines(&text, BODY_PT, max);
            for w in words {
                assert!(
                    lines.iter().any(|l| l.contains(w)),
                    "{w:?} was split at width {max}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn english_breaks_at_spaces() {
        let text = "The compressor was replaced and the unit was tested for thirty minutes";
        let lines = check_lines(text, BODY_PT, 40.0);
        assert!(lines.len() > 1, "should wrap: {lines:?}");
        assert_eq!(
            lines.join(" "),
            text,
            "English wraps only at spaces, which are dropped at the break"
        );
    }

    #[test]
    fn an_overlong_word_is_cut_to_fit() {
        let text =
            "序列号ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789。";
        let lines = check_lines(text, BODY_PT, 30.0);
        assert!(
            lines.len() > 2,
            "a code wider than the line must be cut: {lines:?}"
        );
        assert_eq!(lines.concat(), text, "cutting must not lose characters");
    }

    #[test]
    fn an_overlong_model_is_cut_after_its_hyphens_and_slashes() {
        let model = "CBB65-35μF/450V-00";
        let max = face().width("CBB65-35μF/", TABLE_PT) + 0.5;
        let lines = check_lines(model, TABLE_PT, max);
        assert_eq!(
            lines,
            vec!["CBB65-35μF/", "450V-00"],
            "a model too wide for its cell breaks where it is written with a break"
        );
        let text = format!("型号（{model}）已更换");
        for tenth in 60..250 {
            let lines = check_lines(&text, TABLE_PT, tenth as f32 / 10.0);
            assert_eq!(lines.concat(), text, "cutting must not lose characters");
        }
        assert_eq!(
            soft_pieces("-5V"),
            vec!["-5V"],
            "a leading sign is not a break"
        );
        assert_eq!(soft_pieces("A--B"), vec!["A--", "B"]);
    }

    #[test]
    fn line_breaks_and_blank_text() {
        assert!(
            wrap("", BODY_PT, WIDTH).is_empty(),
            "empty text has no lines"
        );
        assert!(
            wrap(" \n\t ", BODY_PT, WIDTH).is_empty(),
            "blank text has no lines"
        );
        assert_eq!(
            wrap("第一行\n\n第三行", BODY_PT, WIDTH),
            vec!["第一行", "", "第三行"],
            "explicit line breaks and blank lines are kept"
        );
    }

    #[test]
    fn missing_glyphs_are_listed_and_substituted() {
        let normal = "客户张三 Zhang San 13812345678 ¥1,234.50 合计：（已付）。、；？！“”‘’《》「」『』【】…—·★☆✓";
        assert_eq!(
            missing_glyphs(normal),
            Vec::<char>::new(),
            "ordinary Chinese, Latin, digits, ¥ and full-width punctuation must all render"
        );
        let odd = "王\u{1F600}明\u{E000}\u{1F600}";
        assert_eq!(
            missing_glyphs(odd),
            vec!['\u{1F600}', '\u{E000}'],
            "an emoji and a private-use character are not in the font; each listed once"
        );
        assert_eq!(
            printable(odd),
            "王〓明〓〓",
            "unprintable characters become the conventional placeholder"
        );
        assert_eq!(
            printable("a\tb\u{200B}c"),
            "a bc",
            "tabs and zero-width chars"
        );
    }

    #[test]
    fn money_in_figures() {
        assert_eq!(yuan(0), "¥0.00");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(123_450), "¥1,234.50");
        assert_eq!(yuan(100_000_000), "¥1,000,000.00");
        assert_eq!(yuan(-800), "-¥8.00");
        assert_eq!(yuan(i64::MIN), "-¥92,233,720,368,547,758.08");
    }

    #[test]
    fn differences_always_carry_their_sign() {
        assert_eq!(signed(0), "0");
        assert_eq!(signed(3), "+3");
        assert_eq!(signed(-12), "\u{2212}12");
        assert_eq!(signed(i64::MIN), "\u{2212}9223372036854775808");
        assert!(
            face().has_glyph('\u{2212}') && face().has_glyph('+'),
            "the bundled face prints both signs"
        );
    }

    #[test]
    fn money_in_chinese_capitals() {
        let cases = [
            (0, "零元整"),
            (5, "伍分"),
            (50, "伍角"),
            (100, "壹元整"),
            (105, "壹元零伍分"),
            (1000, "壹拾元整"),
            (1050, "壹拾元伍角"),
            (12_350, "壹佰贰拾叁元伍角"),
            (12_356, "壹佰贰拾叁元伍角陆分"),
            (100_500, "壹仟零伍元整"),
            (101_000, "壹仟零壹拾元整"),
            (123_450, "壹仟贰佰叁拾肆元伍角"),
            (1_000_000, "壹万元整"),
            (1_000_500, "壹万零伍元整"),
            (1_010_000, "壹万零壹佰元整"),
            (10_010_000, "壹拾万零壹佰元整"),
            (1_001_000_000, "壹仟零壹万元整"),
            (10_000_000_000, "壹亿元整"),
            (10_000_050_000, "壹亿零伍佰元整"),
            (10_005_000_000, "壹亿零伍万元整"),
            (12_345_678_901, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"),
            (-12_350, "负壹佰贰拾叁元伍角"),
        ];
        for (fen, words) in cases {
            assert_eq!(yuan_in_words(fen), words, "{} fen", fen);
        }
        // The extremes must not panic.
        assert!(yuan_in_words(i64::MAX).ends_with("柒分"));
        assert!(yuan_in_words(i64::MIN).starts_with('负'));
    }

    #[test]
    fn bundled_font_is_the_named_one() {
        assert_eq!(
            face().parsed.font_name.as_deref(),
            Some(FONT_NAME),
            "FONT_NAME must match the embedded face's PostScript name"
        );
    }
}
