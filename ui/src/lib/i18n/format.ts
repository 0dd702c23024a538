//! Locale-aware formatting of calendar dates, instants, numbers and Chinese phone numbers.
import type { Language } from '$lib/bindings/Language';

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` (no time zone) in the user's language. */
export function formatDate(ymd: string | null | undefined, lang: Language): string {
  if (!ymd) return '';
  const m = YMD.exec(ymd);
  if (!m) return ymd;
  const [, y, mo, d] = m;
  if (lang === 'en') {
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    return new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(date);
  }
  // The form clerks write on paper and read in other programs: 2025-03-18.
  return `${y}-${mo}-${d}`;
}

/** An RFC 3339 instant shown in the site's time zone. */
export function formatInstant(iso: string | null | undefined, lang: Language, timeZone?: string) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: lang === 'en' ? 'short' : '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  };
  try {
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, {
      ...opts,
      timeZone: timeZone || undefined,
    }).format(date);
  } catch {
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, opts).format(date);
  }
}

export function formatNumber(n: number, lang: Language): string {
  return new Intl.NumberFormat(lang).format(n);
}

/**
 * Groups a mainland phone number for reading aloud: mobile 3-4-4 (138 1234 5678), landline
 * area code + local number (021-6123 4567), service numbers 400/800 as 400-820-1234.
 * English adds the country code so that a caller abroad dials it right. Anything that does
 * not look like a mainland number (extensions, foreign numbers) is shown as typed.
 */
export function formatPhone(raw: string | null | undefined, lang: Language): string {
  if (!raw) return '';
  const digits = raw.replace(/[\s\-()]/g, '').replace(/^\+?86(?=1\d{10}$|0?\d{9,11}$)/, '');
  const intl = lang === 'en';
  let m = /^(1\d{2})(\d{4})(\d{4})$/.exec(digits);
  if (m) return `${intl ? '+86 ' : ''}${m[1]} ${m[2]} ${m[3]}`;
  m = /^([48]00)(\d{3})(\d{4})$/.exec(digits);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^0?(10|2\d)(\d{4})(\d{4})$/.exec(digits);
  if (m) return intl ? `+86 ${m[1]} ${m[2]} ${m[3]}` : `0${m[1]}-${m[2]} ${m[3]}`;
  m = /^0?([3-9]\d{2})(\d{3,4})(\d{4})$/.exec(digits);
  if (m) return intl ? `+86 ${m[1]} ${m[2]} ${m[3]}` : `0${m[1]}-${m[2]} ${m[3]}`;
  return raw.trim();
}

/**
 * Money kept as integer fen, shown as ¥1,234.50 with the locale's grouping. The yuan part is
 * formatted as an integer and the fen appended, so no float ever touches the amount.
 */
export function formatFen(fen: number, lang: Language): string {
  if (!Number.isFinite(fen)) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  const grouped = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(yuan);
  return `${sign}¥${grouped}.${cents}`;
}
