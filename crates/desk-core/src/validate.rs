//! Field checks shared by every aggregate. Each check records a `FieldIssue` instead of
//! returning early, so a form gets all of its errors at once.

use chrono::NaiveDate;

use crate::error::{Error, FieldIssue, Result, Rule};

#[derive(Default)]
pub(crate) struct Issues(Vec<FieldIssue>);

impl Issues {
    pub fn push(&mut self, issue: FieldIssue) {
        self.0.push(issue);
    }

    pub fn add(&mut self, field: &str, rule: Rule) {
        self.push(FieldIssue::new(field, rule));
    }

    /// Trims `value`; checks presence and length in characters (Chinese counts one per glyph).
    pub fn text(&mut self, field: &str, value: &str, required: bool, max: usize) -> String {
        let v = value.trim().to_owned();
        if required && v.is_empty() {
            self.add(field, Rule::Required);
        } else if v.chars().count() > max {
            self.push(FieldIssue::new(field, Rule::TooLong).with("max", max));
        }
        v
    }

    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.push(
                FieldIssue::new(field, Rule::OutOfRange)
                    .with("min", min)
                    .with("max", max),
            );
        }
    }

    /// A required or optional phone; returns the normalised form.
    pub fn phone(&mut self, field: &str, value: &str, kinds: PhoneKinds) -> String {
        let raw = value.trim();
        if raw.is_empty() {
            self.add(field, Rule::Required);
            return String::new();
        }
        match normalize_phone(raw, kinds) {
            Some(p) => p,
            None => {
                self.add(field, Rule::InvalidPhone);
                raw.to_owned()
            }
        }
    }

    /// An optional `YYYY-MM-DD` date that may not lie after `today`.
    pub fn past_date(
        &mut self,
        field: &str,
        value: Option<&str>,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        let raw = value.map(str::trim).filter(|s| !s.is_empty())?;
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) if d > today => {
                self.push(FieldIssue::new(field, Rule::FutureDate).with("today", today));
                None
            }
            Ok(d) if d.year_ce().1 < 1950 => {
                self.add(field, Rule::InvalidDate);
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                self.add(field, Rule::InvalidDate);
                None
            }
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}

use chrono::Datelike;

#[derive(Clone, Copy)]
pub struct PhoneKinds {
    /// 400/800 service numbers: allowed for a site's hotline, not for a customer.
    pub service: bool,
}

/// Mainland phone numbers, normalised:
/// - mobile: 11 digits starting 13–19 (an optional +86/86 prefix is dropped) → `13812345678`
/// - landline with area code → `021-12345678`; 010 and 020–029 have 3-digit area codes, every
///   other 0xxx code has 4 digits; the local number has 7 or 8 digits
/// - service numbers 400/800 (when allowed) → `400-820-8820`
pub fn normalize_phone(raw: &str, kinds: PhoneKinds) -> Option<String> {
    let mut digits: String = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '(' | ')' | '（' | '）' | '+' => {}
            _ => return None,
        }
    }
    if raw.trim_start().starts_with('+') && !digits.starts_with("86") {
        return None;
    }
    if digits.len() == 13 && digits.starts_with("86") && digits.as_bytes()[2] == b'1' {
        digits.drain(..2);
    }
    let b = digits.as_bytes();
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return Some(digits);
    }
    if kinds.service && b.len() == 10 && (digits.starts_with("400") || digits.starts_with("800")) {
        return Some(format!(
            "{}-{}-{}",
            &digits[..3],
            &digits[3..6],
            &digits[6..]
        ));
    }
    if b.len() >= 2 && b[0] == b'0' && b[1] != b'0' {
        let area = if b[1] == b'1' || b[1] == b'2' { 3 } else { 4 };
        let local = b.len().saturating_sub(area);
        if (7..=8).contains(&local) && b[area] != b'0' && b[area] != b'1' {
            return Some(format!("{}-{}", &digits[..area], &digits[area..]));
        }
    }
    None
}

/// Digits only: what the search index stores so that a phone tail matches either form.
pub fn phone_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUSTOMER: PhoneKinds = PhoneKinds { service: false };
    const SITE: PhoneKinds = PhoneKinds { service: true };

    #[test]
    fn phones_normalise_or_refuse() {
        let ok = [
            ("13812345678", "13812345678"),
            ("138 1234 5678", "13812345678"),
            ("+86 138-1234-5678", "13812345678"),
            ("021-62345678", "021-62345678"),
            ("02162345678", "021-62345678"),
            ("(0571) 8765432", "0571-8765432"),
            ("0755-86013388", "0755-86013388"),
            ("010 6512 3456", "010-65123456"),
        ];
        for (input, want) in ok {
            assert_eq!(
                normalize_phone(input, CUSTOMER).as_deref(),
                Some(want),
                "{input}"
            );
        }
        let bad = [
            "1381234567",
            "12812345678",
            "138123456789",
            "12345678",
            "021-1234",
            "abc",
            "+1 415 555 0100",
            "4008208820",
            "021-01234567",
            "021-12345678",
        ];
        for input in bad {
            assert_eq!(
                normalize_phone(input, CUSTOMER),
                None,
                "{input} must be refused"
            );
        }
        assert_eq!(
            normalize_phone("400-820-8820", SITE).as_deref(),
            Some("400-820-8820")
        );
    }
}
