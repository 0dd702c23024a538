import { describe, expect, it } from 'vitest';
import { setLocale, t } from './index.svelte';
import { errorText, fieldErrors, issueText } from './errors';
import { formatDate, formatPhone } from './format';
import { zhCN } from './messages/zh-CN';
import { zhTW } from './messages/zh-TW';
import { en } from './messages/en';
import { validation, failure } from '../../test/ipc';
import type { Rule } from '$lib/bindings/Rule';
import type { ErrorPayload } from '$lib/bindings/ErrorPayload';

// Every rule of the core, checked against the generated type in both directions.
const RULES: Record<Rule, true> = {
  required: true,
  too_long: true,
  too_short: true,
  too_large: true,
  invalid_phone: true,
  invalid_site_code: true,
  invalid_username: true,
  invalid_serial: true,
  invalid_date: true,
  future_date: true,
  before_purchase: true,
  duplicate: true,
  out_of_range: true,
  need_phone: true,
  unknown_time_zone: true,
  unknown_reference: true,
  last_admin: true,
  unreadable_file: true,
  unsupported_file: true,
  consent_missing: true,
  term_expired: true,
  purchase_date_unknown: true,
  scan_mismatch: true,
  invalid_time: true,
  end_before_start: true,
  not_technician: true,
  receipt_missing: true,
  receipt_unsigned: true,
  receipt_outdated: true,
  result_mismatch: true,
  signature_empty: true,
  already_void: true,
  insufficient_stock: true,
  serial_count: true,
  serial_unavailable: true,
  stock_not_empty: true,
  work_order_closed: true,
  same_approver: true,
  feedback_missing: true,
  checksum_mismatch: true,
  unsupported_version: true,
  site_not_in_network: true,
  own_site: true,
  newer_version: true,
};

describe('catalogs', () => {
  it('have the same message ids in every language', () => {
    const ids = Object.keys(zhCN).sort();
    expect(Object.keys(zhTW).sort()).toEqual(ids);
    expect(Object.keys(en).sort()).toEqual(ids);
  });

  it('use the same placeholders in every language', () => {
    // {count} may be spelled out in a plural form ("1 day left"), so it is left aside.
    const names = (m: unknown) =>
      [...new Set([...JSON.stringify(m).matchAll(/\{(\w+)\}/g)].map((x) => x[1]))]
        .filter((n) => n !== 'count')
        .sort();
    for (const id of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      for (const other of [zhTW, en]) expect(names(other[id]), id).toEqual(names(zhCN[id]));
    }
  });
});

describe('t', () => {
  it('fills parameters and follows the language', () => {
    expect(t('error.validation.too_long', { max: 40 })).toBe('最多 40 个字符，请删减。');
    setLocale('en');
    expect(t('error.validation.too_long', { max: 40 })).toBe(
      'At most 40 characters. Please shorten it.',
    );
    setLocale('zh-TW');
    expect(t('nav.customers')).toBe('客戶檔案');
  });

  it('chooses the plural form by count in English', () => {
    setLocale('en');
    expect(t('warranty.daysLeft', { count: 1 })).toBe('1 day left');
    expect(t('warranty.daysLeft', { count: 12 })).toBe('12 days left');
    setLocale('zh-CN');
    expect(t('warranty.daysLeft', { count: 12 })).toBe('剩 12 天');
  });
});

describe('error texts', () => {
  it('are chosen by field and rule, most specific first', () => {
    expect(issueText({ field: 'contacts.0.phone', rule: 'invalid_phone', params: {} })).toContain(
      '11 位手机号',
    );
    expect(issueText({ field: 'serial', rule: 'duplicate', params: {} })).toContain(
      '序列号已经登记过',
    );
    expect(issueText({ field: 'name', rule: 'duplicate', params: {} })).toContain('已有相同的记录');
    // a rule newer than this UI still gets a text
    expect(issueText({ field: 'x', rule: 'brand_new_rule' as Rule, params: {} })).toContain(
      '请检查',
    );
  });

  it('map every issue to its field path, and count them in the banner', () => {
    const e = validation([
      { field: 'name', rule: 'required', params: {} },
      { field: 'contacts.1.phone', rule: 'invalid_phone', params: {} },
    ]);
    const byField = fieldErrors(e);
    expect(Object.keys(byField)).toEqual(['name', 'contacts.1.phone']);
    expect(errorText(e)).toBe('有 2 处需要修改。请按提示修改后再保存。');
  });

  it('exist for every rule of the core', () => {
    for (const rule of Object.keys(RULES)) {
      expect(Object.keys(zhCN), rule).toContain(`error.validation.${rule}`);
    }
  });

  it('show the date of a future_date issue as the user reads dates', () => {
    setLocale('en');
    expect(
      issueText({ field: 'purchaseDate', rule: 'future_date', params: { today: '2026-05-04' } }),
    ).toBe('The date cannot be later than today (4 May 2026). Please check it.');
  });

  it('explain the parts rules with their numbers, and a requisition’s refused step', () => {
    expect(
      issueText({
        field: 'lines.0.qty',
        rule: 'insufficient_stock',
        params: { available: '1', requested: '3', part: '启动电容' },
      }),
    ).toBe('“启动电容”库存不足：这个库位现有 1，需要 3。请减少数量、换一个库位，或先入库。');
    expect(
      issueText({ field: 'serials', rule: 'serial_count', params: { expected: '2' } }),
    ).toContain('应为 2 个');
    expect(
      errorText({ ...failure('invalid_transition'), params: { from: 'issued', event: 'approve' } }),
    ).toBe('领用申请现在是“已发料”，不能“批准”。请刷新页面查看最新状态后再操作。');
    expect(
      errorText({ ...failure('invalid_transition'), params: { from: 'on_site', event: 'arrive' } }),
    ).toContain('工单现在是“服务中”');
    expect(errorText({ ...failure('self_approval'), params: { what: 'requisition' } })).toContain(
      '不能审批自己提交的申请',
    );
    expect(errorText({ ...failure('self_approval'), params: { what: 'stocktake' } })).toContain(
      '参与这次盘点的人不能审批',
    );
  });

  it('take a lone field + rule on the payload as an issue', () => {
    const e: ErrorPayload = {
      ...failure('validation'),
      field: 'serial',
      rule: 'too_long',
      params: { max: '32' },
    };
    expect(fieldErrors(e)).toEqual({ serial: '最多 32 个字符，请删减。' });
  });

  it('say what to do next for every code', () => {
    for (const code of [
      'not_found',
      'conflict',
      'forbidden',
      'self_approval',
      'invalid_transition',
      'unauthenticated',
      'invalid_credentials',
      'already_set_up',
      'not_set_up',
      'schema_too_new',
      'storage',
      'io',
    ] as const) {
      expect(errorText(failure(code)), code).toMatch(/请/);
    }
  });
});

describe('formatting', () => {
  it('writes calendar dates per language without shifting the day', () => {
    expect(formatDate('2025-03-08', 'zh-CN')).toBe('2025-03-08');
    expect(formatDate('2025-03-08', 'en')).toBe('8 Mar 2025');
    expect(formatDate(null, 'en')).toBe('');
  });

  it('groups mainland phone numbers', () => {
    expect(formatPhone('13812345678', 'zh-CN')).toBe('138 1234 5678');
    expect(formatPhone('+86 138-1234-5678', 'zh-CN')).toBe('138 1234 5678');
    expect(formatPhone('13812345678', 'en')).toBe('+86 138 1234 5678');
    expect(formatPhone('021-61234567', 'zh-CN')).toBe('021-6123 4567');
    expect(formatPhone('02161234567', 'en')).toBe('+86 21 6123 4567');
    expect(formatPhone('4008201234', 'zh-TW')).toBe('400-820-1234');
    expect(formatPhone('075512345678', 'zh-CN')).toBe('0755-1234 5678');
    expect(formatPhone('ext. 12', 'zh-CN')).toBe('ext. 12');
  });
});
