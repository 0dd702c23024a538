//! Words for what travels between sites: table names, bundle kinds, directions, relations,
//! the counts of an export or an import, and the fields of a conflicting record. The core
//! names tables and columns as they are in SQLite (snake_case); the texts are found by their
//! camelCase form (`product_models` → `exchange.table.productModels`).
import type { Conflict } from '$lib/bindings/Conflict';
import type { ExchangeSummary } from '$lib/bindings/ExchangeSummary';
import { formatInstant, formatNumber } from '$lib/i18n/format';
import { hasMessage, locale, t } from '$lib/i18n/index.svelte';
import { camel } from '../workorders/labels';

/**
 * The tables that travel, in the core's dependency order (crates/desk-core/src/exchange/
 * tables.rs `TABLES`; a test reads that file and compares): counts are listed in this order.
 */
export const TABLES: readonly string[] = [
  'sites',
  'users',
  'policies',
  'product_models',
  'customers',
  'contacts',
  'addresses',
  'units',
  'parts',
  'stock_locations',
  'part_serials',
  'work_orders',
  'work_order_technicians',
  'work_order_parts',
  'work_order_fees',
  'work_order_events',
  'documents',
  'document_scans',
  'stock_movements',
  'inspections',
  'stock_transfers',
  'disposals',
  'requisitions',
  'requisition_lines',
  'stocktakes',
  'stocktake_lines',
  'scrap_requests',
  'scrap_lines',
  'scrap_photos',
  'complaints',
  'complaint_clocks',
  'complaint_events',
  'complaint_attachments',
  'sla_policies',
  'calendar_settings',
  'calendar_days',
];

/** What an import did, in the order a person reads it. */
export type ImportCount = 'inserted' | 'updated' | 'appended' | 'unchanged' | 'conflicts';
export const IMPORT_COUNTS: readonly ImportCount[] = [
  'inserted',
  'updated',
  'appended',
  'unchanged',
  'conflicts',
];

const named = (prefix: string, value: string) => {
  const id = `${prefix}.${camel(value)}`;
  return hasMessage(id) ? t(id) : value;
};

/** `customers` → 客户; an unknown table keeps its own name. */
export const tableLabel = (table: string) => named('exchange.table', table);
export const kindLabel = (kind: string) => named('exchange.kind', kind);
export const directionLabel = (direction: string) => named('exchange.direction', direction);
export const relationLabel = (relation: string) => named('exchange.relation', relation);
/** A column of a conflicting row: `updated_at` → 修改时间; others keep their own name. */
export const columnLabel = (column: string) => named('exchange.column', column);

export type CountLine = { key: string; label: string; n: number };

const tableOrder = (name: string) => {
  const i = TABLES.indexOf(name);
  return i < 0 ? TABLES.length : i;
};

/**
 * An import also counts per table as `<table>.<what>` (`customers.inserted`): those keys are a
 * breakdown of the totals (see `importTables`), never a total or a table of their own.
 */
const perTable = (key: string) => key.includes('.');

/** Rows per table of an export, in the core's order, empty tables left out. */
export function exportLines(counts: Record<string, number>): CountLine[] {
  return Object.entries(counts)
    .filter(([key, n]) => n > 0 && !perTable(key))
    .sort(([a], [b]) => tableOrder(a) - tableOrder(b) || a.localeCompare(b))
    .map(([key, n]) => ({ key, label: tableLabel(key), n }));
}

/** What an import did (new, updated, appended, unchanged, conflicts), zeros left out. */
export function importLines(counts: Record<string, number>): CountLine[] {
  return IMPORT_COUNTS.filter((key) => (counts[key] ?? 0) > 0).map((key) => ({
    key,
    label: t(`exchange.count.${key}`),
    n: counts[key],
  }));
}

/**
 * The rows an export wrote (the sum of its tables). Only for an export: an import's counts are
 * outcomes (and flags such as `alreadyImported`), not rows to add up.
 */
export const exportTotal = (counts: Record<string, number>) =>
  Object.entries(counts).reduce((sum, [key, n]) => sum + (n > 0 && !perTable(key) ? n : 0), 0);

/** One table of an import: what happened to its rows; `replaced` for the calendar's years. */
export type ImportTableLine = {
  table: string;
  label: string;
  counts: Record<ImportCount, number>;
  replaced: boolean;
};

const isImportCount = (what: string): what is ImportCount =>
  (IMPORT_COUNTS as readonly string[]).includes(what);

/**
 * An import table by table, from its `<table>.<what>` counts: the tables in the core's order
 * (unknown ones last, by name), each with new / updated / appended / unchanged / conflicts;
 * tables the import did nothing to are left out. Empty for an import recorded before the core
 * counted per table.
 */
export function importTables(counts: Record<string, number>): ImportTableLine[] {
  const rows = new Map<string, ImportTableLine>();
  for (const [key, n] of Object.entries(counts)) {
    const dot = key.indexOf('.');
    if (dot <= 0 || !(n > 0)) continue;
    const table = key.slice(0, dot);
    const what = key.slice(dot + 1);
    if (!isImportCount(what) && what !== 'calendarDays') continue;
    let row = rows.get(table);
    if (!row) {
      const zero = { inserted: 0, updated: 0, appended: 0, unchanged: 0, conflicts: 0 };
      row = { table, label: tableLabel(table), counts: zero, replaced: false };
      rows.set(table, row);
    }
    if (isImportCount(what)) row.counts[what] += n;
    else row.replaced = true;
  }
  return [...rows.values()].sort(
    (a, b) => tableOrder(a.table) - tableOrder(b.table) || a.table.localeCompare(b.table),
  );
}

const line = (l: CountLine) =>
  t('exchange.countLine', { label: l.label, n: formatNumber(l.n, locale()) });

/**
 * One sentence for a history row: "客户 12、联系人 15（共 27 行）" or "新增 5、冲突 1". An export
 * of many tables names the first `max` and how many more (the total is always there).
 */
export function countsSummary(s: ExchangeSummary, max = Infinity): string {
  if (s.direction === 'import') {
    if (s.counts.alreadyImported) return t('exchange.count.alreadyImported');
    const parts = importLines(s.counts).map(line);
    // The calendar's years are replaced whole: a fact, not a number of rows.
    if (s.counts.calendarDays) parts.push(t('exchange.count.calendar'));
    return parts.length ? parts.join(t('common.listSep')) : t('exchange.count.nothing');
  }
  const lines = exportLines(s.counts);
  if (!lines.length) return t('exchange.count.noChanges');
  const total = formatNumber(exportTotal(s.counts), locale());
  if (lines.length > max) {
    return t('exchange.count.exportedMore', {
      lines: lines.slice(0, max).map(line).join(t('common.listSep')),
      more: lines.length - max,
      total,
    });
  }
  return t('exchange.count.exported', { lines: lines.map(line).join(t('common.listSep')), total });
}

/** The change-log range a bundle covers: "全部（至 #120）" or "#80 – #120". */
export function rangeText(s: ExchangeSummary): string {
  if (s.full || s.seqFrom === 0) return t('exchange.range.full', { to: s.seqTo });
  return t('exchange.range.part', { from: s.seqFrom + 1, to: s.seqTo });
}

/** Book-keeping columns: shown after the fields a person recognises. */
const BOOKKEEPING = ['rev', 'updated_at', 'updated_by', 'created_at', 'created_by', 'site_id'];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The columns whose values differ between this site's version and the incoming one. */
export function differingFields(
  local: Record<string, unknown>,
  incoming: Record<string, unknown>,
): string[] {
  const keys = [...new Set([...Object.keys(local ?? {}), ...Object.keys(incoming ?? {})])];
  const rank = (k: string) => BOOKKEEPING.indexOf(k);
  return keys.filter((k) => !same(local?.[k], incoming?.[k])).sort((a, b) => rank(a) - rank(b));
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A column's value as text: empty as —, an instant (`…_at`) in the site's time zone, a file as
 * its name, anything else as written.
 */
export function valueText(
  v: unknown,
  column = '',
  timeZone?: string,
  names: Record<string, string> = {},
): string {
  if (v === null || v === undefined || v === '') return t('common.none');
  // A person the record mentions, by name (the core resolves the ids it knows).
  if (typeof v === 'string' && names[v]) return names[v];
  if (typeof v === 'string' && column.endsWith('_at') && INSTANT.test(v)) {
    return formatInstant(v, locale(), timeZone);
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && '$file' in (v as object)) {
    const name =
      String((v as Record<string, unknown>).$file)
        .split('/')
        .pop() ?? '';
    return t('exchange.value.file', { name });
  }
  return JSON.stringify(v);
}

/** A name a person knows the record by (a customer's name, an order's number), if it has one. */
export function recordTitle(c: Conflict): string {
  for (const key of ['number', 'name', 'display_name', 'code', 'serial', 'username', 'title']) {
    for (const row of [c.incoming, c.localData]) {
      const v = row?.[key];
      if (typeof v === 'string' && v.trim()) return v;
    }
  }
  return '';
}
