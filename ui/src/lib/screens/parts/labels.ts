//! Words for the parts enums, and the small conveniences the stock forms share: serials typed
//! one per line, and the issues the core reports about them put back on that one field.
import type { ErrorPayload } from '$lib/bindings/ErrorPayload';
import type { LocationKind } from '$lib/bindings/LocationKind';
import type { MovementKind } from '$lib/bindings/MovementKind';
import type { RequisitionState } from '$lib/bindings/RequisitionState';
import type { ScrapState } from '$lib/bindings/ScrapState';
import type { StocktakeState } from '$lib/bindings/StocktakeState';
import { issuesOf, issueText } from '$lib/i18n/errors';
import { t } from '$lib/i18n/index.svelte';

export const MOVEMENT_KINDS: readonly MovementKind[] = [
  'receipt',
  'issue',
  'return',
  'transferOut',
  'transferIn',
  'adjustment',
  'scrapOut',
  'scrapIn',
  'dispose',
  'factoryReturn',
];

export const movementKindLabel = (k: MovementKind) => t(`movement.kind.${k}`);
export const locationKindLabel = (k: LocationKind) => t(`location.kindShort.${k}`);
export const reqStateLabel = (s: RequisitionState) => t(`req.state.${s}`);
export const stocktakeStateLabel = (s: StocktakeState) => t(`stocktake.state.${s}`);
export const scrapStateLabel = (s: ScrapState) => t(`scrap.state.${s}`);
export const SCRAP_STATES: readonly ScrapState[] = [
  'submitted',
  'reviewed',
  'approved',
  'rejected',
  'disposed',
];

/** Serials as typed or scanned, one per line: trimmed, blank lines dropped (the core
 *  upper-cases them and judges the rest). */
export function serialLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The text for a serials field: the core reports the count on `path` (serial_count) and each
 * serial on `path.N` (N counts the serials sent, blank lines left out), which is shown as
 * "the Nth serial: …". Empty when there is nothing to say.
 */
export function serialsError(e: ErrorPayload | null, path: string): string {
  if (!e) return '';
  for (const issue of issuesOf(e)) {
    if (issue.field === path) return issueText(issue);
    const m = issue.field.startsWith(`${path}.`)
      ? /^(\d+)$/.exec(issue.field.slice(path.length + 1))
      : null;
    if (m) return t('stock.serialLine', { n: Number(m[1]) + 1, text: issueText(issue) });
  }
  return '';
}

/** True for the issues a serials field shows itself (`serials`, `serials.3`). */
export const isSerialsPath = (path: string) => (field: string) =>
  field === path || new RegExp(`^${path.replace(/\./g, '\\.')}\\.\\d+$`).test(field);
