//! Excel export of the lists. The core writes every row the screen's filter matches (not just
//! the page on screen), worded in `language`; the system save dialog asks where the file goes.
//! Each call resolves to the path written, or null when the dialog was cancelled.
import { call } from './invoke';
import type { ComplaintFilter } from '$lib/bindings/ComplaintFilter';
import type { Language } from '$lib/bindings/Language';
import type { MovementFilter } from '$lib/bindings/MovementFilter';
import type { WorkOrderFilter } from '$lib/bindings/WorkOrderFilter';

type Saved = Promise<string | null>;

/** The customers the archive search finds for `query` (empty: all) at `siteId` (null: every site). */
export const exportCustomers = (query: string, siteId: string | null, language: Language): Saved =>
  call('xlsx_customers', { query, siteId, language });
/** `filter.page` is ignored: every page. */
export const exportWorkOrders = (filter: WorkOrderFilter, language: Language): Saved =>
  call('xlsx_work_orders', { filter, language });
export const exportParts = (query: string, language: Language): Saved =>
  call('xlsx_parts', { query, language });
/** `locationId` null: every location. */
export const exportStock = (locationId: string | null, language: Language): Saved =>
  call('xlsx_stock', { locationId, language });
/** `filter.page` is ignored: the whole ledger the filter matches. */
export const exportMovements = (filter: MovementFilter, language: Language): Saved =>
  call('xlsx_movements', { filter, language });
export const exportLowStock = (windowDays: number, language: Language): Saved =>
  call('xlsx_low_stock', { windowDays, language });
/** `filter.limit` and `filter.offset` are ignored: every complaint the filter matches. */
export const exportComplaints = (filter: ComplaintFilter, language: Language): Saved =>
  call('xlsx_complaints', { filter, language });
