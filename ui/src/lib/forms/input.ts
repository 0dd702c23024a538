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
