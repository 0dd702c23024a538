//! The calendar editor's arithmetic: the days of a year as month grids (weeks from Monday),
//! which kind of entry a day can take, and the working days a set of entries leaves.
import type { CalendarDay } from '$lib/bindings/CalendarDay';
import type { DayKind } from '$lib/bindings/DayKind';

const pad = (n: number) => String(n).padStart(2, '0');
export const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** 0 = Monday … 6 = Sunday, for a calendar date (no time zone involved). */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export const isWeekend = (date: string) => weekday(date) >= 5;

/** The one kind of entry a day can take: a weekday off (休), a weekend worked (班). */
export const entryKindFor = (date: string): DayKind => (isWeekend(date) ? 'workday' : 'holiday');

export const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** A month as rows of 7 cells (Monday first); `null` pads before the 1st and after the end. */
export function monthGrid(y: number, m: number): (string | null)[][] {
  const cells: (string | null)[] = Array(weekday(ymd(y, m, 1))).fill(null);
  for (let d = 1; d <= daysInMonth(y, m); d++) cells.push(ymd(y, m, d));
  while (cells.length % 7) cells.push(null);
  const rows: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
  return rows;
}

/** Working days of `year` with these entries (weekdays, less holidays, plus make-up days). */
export function workingDays(year: number, entries: Record<string, CalendarDay>): number {
  let n = 0;
  for (let m = 1; m <= 12; m++) {
    for (let d = 1; d <= daysInMonth(year, m); d++) {
      const date = ymd(year, m, d);
      const e = entries[date];
      const weekend = isWeekend(date);
      if (e?.kind === 'holiday') continue;
      if (!weekend || e?.kind === 'workday') n++;
    }
  }
  return n;
}

/** A name for a new entry: the name of the same kind of entry on a neighbouring day. */
export function neighbourName(date: string, kind: DayKind, entries: Record<string, CalendarDay>) {
  const [y, m, d] = date.split('-').map(Number);
  for (const delta of [-1, 1, -2, 2, -3, 3]) {
    const t = new Date(Date.UTC(y, m - 1, d + delta));
    const other = entries[ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())];
    if (other && other.kind === kind && other.name) return other.name;
  }
  return '';
}
