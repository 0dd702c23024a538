/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  TABLES,
  countsSummary,
  differingFields,
  exportLines,
  exportTotal,
  importLines,
  importTables,
  rangeText,
  recordTitle,
  tableLabel,
  valueText,
} from './labels';
import { conflict, imported, summary } from '../../../test/exchange';
import { setLocale } from '$lib/i18n/index.svelte';
import { issueText } from '$lib/i18n/errors';
import { zhCN } from '$lib/i18n/messages/zh-CN';
import { zhTW } from '$lib/i18n/messages/zh-TW';
import { en } from '$lib/i18n/messages/en';
import type { Rule } from '$lib/bindings/Rule';

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

describe('exchange words', () => {
  it('know every table that travels, in the order of the core', () => {
    // The core's own list (vitest runs in ui/): a table added there without a text fails here.
    const rust = readFileSync(
      `${process.cwd()}/../crates/desk-core/src/exchange/tables.rs`,
      'utf8',
    );
    const list = rust.slice(rust.indexOf('pub(crate) const TABLES'));
    const end = list.indexOf('];');
    const names = [...list.slice(0, end).matchAll(/t\(\s*"(\w+)"/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(30);
    expect(TABLES).toEqual(names);
    for (const name of names) {
      const id = `exchange.table.${camel(name)}`;
      for (const catalog of [zhCN, zhTW, en]) expect(catalog, id).toHaveProperty([id]);
    }
    expect(tableLabel('customers')).toBe('客户');
    expect(tableLabel('work_order_events')).toBe('工单经过');
    setLocale('en');
    expect(tableLabel('product_models')).toBe('Product models');
    expect(tableLabel('brand_new_table')).toBe('brand_new_table');
  });

  it('say what an export held, table by table in words, and in one line for the history', () => {
    const s = summary({ counts: { work_orders: 3, customers: 12, contacts: 15, units: 0 } });
    expect(exportLines(s.counts)).toEqual([
      { key: 'customers', label: '客户', n: 12 },
      { key: 'contacts', label: '联系人', n: 15 },
      { key: 'work_orders', label: '工单', n: 3 },
    ]);
    expect(countsSummary(s)).toBe('客户 12、联系人 15、工单 3（共 30 行）');
    expect(countsSummary(summary({ counts: {} }))).toBe('没有新的变化');
    expect(countsSummary(s, 2)).toBe('客户 12、联系人 15，另有 1 类记录（共 30 行）');
    setLocale('en');
    expect(countsSummary(s)).toBe('Customers 12, Contacts 15, Work orders 3 (30 rows)');
  });

  it('say what an import did', () => {
    expect(importLines(imported().counts).map((l) => l.key)).toEqual([
      'inserted',
      'updated',
      'appended',
      'unchanged',
      'conflicts',
    ]);
    expect(countsSummary(imported())).toBe('新增 5、更新 2、追加 9、未变 7、冲突 1');
    expect(countsSummary(imported({ counts: { alreadyImported: 1 } }))).toBe(
      '这个文件已经导入过，没有改动。',
    );
    expect(countsSummary(imported({ counts: { updated: 3, calendarDays: 1 } }))).toBe(
      '更新 3、工作日历已按文件替换',
    );
    expect(countsSummary(imported({ counts: {} }))).toBe('没有改动');
  });

  it('keep the per-table counts of an import out of the totals', () => {
    const counts = {
      inserted: 4,
      appended: 12,
      conflicts: 1,
      calendarDays: 1,
      'customers.inserted': 3,
      'customers.conflicts': 1,
      'contacts.inserted': 1,
      'work_order_events.appended': 12,
      'calendar_days.calendarDays': 1,
    };
    const s = imported({ counts });
    expect(importLines(counts).map((l) => [l.key, l.n])).toEqual([
      ['inserted', 4],
      ['appended', 12],
      ['conflicts', 1],
    ]);
    expect(countsSummary(s)).toBe('新增 4、追加 12、冲突 1、工作日历已按文件替换');
    // an export's words never take a dotted key for a table, nor add it to the rows
    expect(exportLines({ customers: 2, 'customers.inserted': 3 }).map((l) => l.key)).toEqual([
      'customers',
    ]);
    expect(exportTotal({ customers: 2, contacts: 3, 'customers.inserted': 3 })).toBe(5);
    expect(exportTotal(summary().counts)).toBe(30);
  });

  it('break an import down table by table, in the core order', () => {
    const rows = importTables({
      inserted: 9,
      'work_order_events.appended': 12,
      'customers.inserted': 3,
      'customers.conflicts': 1,
      'customers.unchanged': 0,
      'contacts.updated': 2,
      'calendar_days.calendarDays': 1,
      'brand_new.inserted': 1,
      'aardvarks.inserted': 2,
      'customers.somethingNew': 5,
      '.inserted': 7,
    });
    expect(rows.map((r) => r.table)).toEqual([
      'customers',
      'contacts',
      'work_order_events',
      'calendar_days',
      // tables this UI does not know yet: last, by name, under their own name
      'aardvarks',
      'brand_new',
    ]);
    expect(rows[0]).toEqual({
      table: 'customers',
      label: '客户',
      counts: { inserted: 3, updated: 0, appended: 0, unchanged: 0, conflicts: 1 },
      replaced: false,
    });
    expect(rows[2].counts.appended).toBe(12);
    expect(rows[3]).toMatchObject({ label: '节假日安排', replaced: true });
    expect(rows[3].counts).toEqual({
      inserted: 0,
      updated: 0,
      appended: 0,
      unchanged: 0,
      conflicts: 0,
    });
    expect(rows[5].label).toBe('brand_new');
    // only totals (an import recorded before the core counted per table), or an export
    expect(importTables(imported().counts)).toEqual([]);
    expect(importTables(summary().counts)).toEqual([]);
    setLocale('en');
    expect(importTables({ 'product_models.updated': 1 })[0].label).toBe('Product models');
  });

  it('put the change-log range as all or a stretch', () => {
    expect(rangeText(summary({ seqFrom: 40, seqTo: 120 }))).toBe('#41 – #120');
    expect(rangeText(summary({ full: true, seqFrom: 0, seqTo: 120 }))).toBe('全部（至 #120）');
  });

  it('find only the fields that differ, book-keeping last', () => {
    const c = conflict();
    expect(differingFields(c.localData, c.incoming)).toEqual(['note', 'rev', 'updated_at']);
    expect(differingFields({ a: 1, b: null }, { a: 1 })).toEqual([]);
    expect(differingFields({ a: { x: 1 } }, { a: { x: 2 }, c: 'new' })).toEqual(['a', 'c']);
    expect(recordTitle(c)).toBe('张伟');
    expect(valueText(null)).toBe('—');
    expect(valueText(3)).toBe('3');
    expect(valueText('u-1', 'updated_by', undefined, { 'u-1': '王建军' })).toBe('王建军');
    expect(valueText('u-2', 'updated_by', undefined, { 'u-1': '王建军' })).toBe('u-2');
    expect(valueText({ $file: 'files/documents/d1.pdf_bytes', sha256: 'ab' })).toBe(
      '文件 d1.pdf_bytes',
    );
  });

  it('explain every refusal of a bundle in each language', () => {
    const rules: Rule[] = [
      'unreadable_file',
      'unsupported_file',
      'too_large',
      'duplicate',
      'checksum_mismatch',
      'unsupported_version',
      'site_not_in_network',
      'own_site',
    ];
    for (const rule of rules) {
      const id = `error.exchange.file.${rule}`;
      for (const catalog of [zhCN, zhTW, en]) expect(catalog, id).toHaveProperty([id]);
    }
    const text = (rule: Rule, params: Record<string, string> = {}) =>
      issueText({ field: 'file', rule, params }, 'exchange');
    expect(text('checksum_mismatch')).toContain('校验值不符');
    expect(text('unsupported_version', { found: '3', supported: '1' })).toContain('（3）');
    expect(text('site_not_in_network', { site: 'WX01', name: '无锡特约网点' })).toBe(
      '文件来自 WX01 无锡特约网点，这个站点不在本站点的网络中。',
    );
    // not the texts of a scanned paper or a calendar file
    expect(text('unreadable_file')).not.toContain('扫描');
    expect(text('unsupported_file')).not.toContain('第');
    setLocale('zh-TW');
    expect(text('own_site')).toContain('本站點自己匯出');
    setLocale('en');
    expect(text('too_large')).toContain('larger than allowed');
  });
});
