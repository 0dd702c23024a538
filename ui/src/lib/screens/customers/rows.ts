//! Contact and address rows of the customer form. A row left completely blank is not sent
//! (a clerk does not have to remove the empty row the form starts with); the core's issue
//! paths, which count only the rows sent, are mapped back to the rows on screen.
import type { AddressInput } from '$lib/bindings/AddressInput';
import type { ContactInput } from '$lib/bindings/ContactInput';

export const blankContact = (): ContactInput => ({ id: null, name: '', phone: '', title: '' });
export const blankAddress = (): AddressInput => ({
  id: null,
  province: '',
  city: '',
  district: '',
  detail: '',
});

function isBlank(row: ContactInput | AddressInput): boolean {
  if (row.id !== null) return false;
  return Object.entries(row).every(([k, v]) => k === 'id' || String(v ?? '').trim() === '');
}

/** The rows to send, and for each sent index the index of the row on screen. */
export function rowsToSend<T extends ContactInput | AddressInput>(
  rows: T[],
): { sent: T[]; screenIndex: number[] } {
  const sent: T[] = [];
  const screenIndex: number[] = [];
  rows.forEach((row, i) => {
    if (!isBlank(row)) {
      sent.push({ ...row });
      screenIndex.push(i);
    }
  });
  return { sent, screenIndex };
}

/** `contacts.1.phone` (index among sent rows) → `contacts.2.phone` (index on screen). */
export function toScreenPath(
  field: string,
  maps: Record<string, number[]>,
): string {
  const m = /^(\w+)\.(\d+)(\..*)?$/.exec(field);
  if (!m || !maps[m[1]]) return field;
  const screen = maps[m[1]][Number(m[2])];
  return screen === undefined ? field : `${m[1]}.${screen}${m[3] ?? ''}`;
}
