//! Input conveniences: they reshape what was typed, they never judge it (the core does).

/** Loose date entry: 2025-3-8, 2025/03/08, 2025.3.8, 20250308, 2025年3月8日 → 2025-03-08.
 *  Anything else is passed on as typed for the core to judge; blank becomes null. */
export function normalizeDate(raw: string): string | null {
  const s = raw.trim();
  if (!s) return null;
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return s;
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

/** A whole number typed into a text box; anything else is NaN (the form says so). */
export function parseWhole(raw: string | number): number {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : NaN;
  const s = raw.trim();
  return /^\d+$/.test(s) ? Number(s) : NaN;
}

/**
 * An amount typed in yuan (up to 2 decimals) as integer fen: "12" → 1200, "1,234.5" → 123450,
 * "¥0.05" → 5. Blank is 0 (an empty line is skipped by the core). Anything else is NaN, for
 * the form to flag as a typing mistake; whether the amount is acceptable is the core's call.
 */
export function parseYuan(raw: string): number {
  const s = raw
    .trim()
    .replace(/^[¥￥]\s*/, '')
    .replace(/[,，\s]/g, '');
  if (!s) return 0;
  const m = /^(-?)(\d+)(?:\.(\d{0,2}))?$/.exec(s) ?? /^(-?)()\.(\d{1,2})$/.exec(s);
  if (!m) return NaN;
  const fen = Number(m[2] || '0') * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return NaN;
  return m[1] ? -fen : fen;
}

/** Integer fen as yuan for an input box: 1200 → "12", 123450 → "1234.50". */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const cents = abs % 100;
  const yuan = Math.floor(abs / 100);
  return cents ? `${sign}${yuan}.${String(cents).padStart(2, '0')}` : `${sign}${yuan}`;
}
