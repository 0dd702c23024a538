import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import TransferTab from './TransferTab.svelte';
import { fakeCore, status, type Call } from '../../../test/ipc';
import { imported, peers, refused, summary } from '../../../test/exchange';
import { setLocale } from '$lib/i18n/index.svelte';
import { session } from '$lib/state/session.svelte';
import type { ExportOptions } from '$lib/bindings/ExportOptions';
import type { ImportOptions } from '$lib/bindings/ImportOptions';
import type { ExchangeProgress } from '$lib/bindings/ExchangeProgress';
import { emit } from '@tauri-apps/api/event';

const of = (calls: Call[], cmd: string) => calls.filter((c) => c.cmd === cmd);

/** The file the person picks in the system dialog. */
const FILE = '/home/wang/下载/WX01-data-SH01-20260303-0900.zip';
const pick = () => FILE;

describe('export', () => {
  it('sends the choice, shows progress, then the file and its rows per table in words', async () => {
    session.apply(status());
    let finish: (s: unknown) => void = () => {};
    const calls = fakeCore({
      exchange_peers: () => peers,
      exchange_export: () => new Promise((r) => (finish = r)),
    });
    render(TransferTab);
    const dest = (await screen.findByTestId('exchange-export-destination')) as HTMLSelectElement;
    // the one centre above this outlet is offered first and chosen
    await waitFor(() => expect(dest.value).toBe('C01'));
    expect([...dest.options].map((o) => o.value)).toEqual(['', 'C01', 'WX01']);
    expect(dest.options[1].textContent).toContain('C01 华东地区服务中心（上级）');
    const full = screen.getByTestId('exchange-export-full') as HTMLInputElement;
    expect(full.checked).toBe(false);
    expect(screen.getByTestId('exchange-export-hint').textContent).toContain('上次发给 C01 之后');

    await fireEvent.click(screen.getByTestId('exchange-export-submit'));
    await screen.findByTestId('exchange-export-progress');
    expect(screen.getByTestId('exchange-export-submit').hasAttribute('disabled')).toBe(true);
    expect(screen.getByTestId('exchange-export-submit').textContent).toContain('正在导出');
    expect(of(calls, 'exchange_export')[0].args).toEqual({
      options: { kind: 'data', destination: 'C01', full: false } satisfies ExportOptions,
      path: null,
    });

    finish(summary());
    const result = await screen.findByTestId('exchange-export-result');
    expect(screen.queryByTestId('exchange-export-progress')).toBeNull();
    expect(result.dataset.file).toBe('SH01-data-C01-20260303-1000.zip');
    expect(result.textContent).toContain('已导出：SH01-data-C01-20260303-1000.zip');
    expect(result.textContent).toContain('发给 C01 华东地区服务中心');
    expect(result.textContent).toContain('#41 – #120');
    const rows = within(result).getAllByTestId('exchange-export-count');
    expect(rows.map((r) => [r.dataset.table, r.textContent])).toEqual([
      ['customers', '客户12'],
      ['contacts', '联系人15'],
      ['work_orders', '工单3'],
    ]);
    expect(result.textContent).toContain('共 30 行');
  });

  it('exports everything for any site or for policy, and says so when the dialog was cancelled', async () => {
    session.apply(status());
    const calls = fakeCore({ exchange_peers: () => [], exchange_export: () => null });
    render(TransferTab);
    await screen.findByTestId('exchange-export-destination');
    const full = screen.getByTestId('exchange-export-full') as HTMLInputElement;
    // no peers: for any site, which always holds everything
    expect(full.checked).toBe(true);
    expect(full.disabled).toBe(true);
    const kind = screen.getByTestId('exchange-export-kind') as HTMLSelectElement;
    kind.value = 'policy';
    await fireEvent.change(kind);
    expect(screen.getByTestId('exchange-export-hint').textContent).toContain('总是包含全部记录');
    await fireEvent.click(screen.getByTestId('exchange-export-submit'));
    await screen.findByTestId('exchange-export-cancelled');
    expect(of(calls, 'exchange_export')[0].args.options).toEqual({
      kind: 'policy',
      destination: '',
      full: true,
    });
    expect(screen.queryByTestId('exchange-export-result')).toBeNull();
  });
});

describe('import', () => {
  it('picks the file, shows progress, then what was applied and points at the conflicts', async () => {
    session.apply(status());
    let finish: (s: unknown) => void = () => {};
    const calls = fakeCore({
      exchange_peers: () => peers,
      exchange_pick_bundle: pick,
      exchange_import: () => new Promise((r) => (finish = r)),
    });
    render(TransferTab);
    await fireEvent.click(await screen.findByTestId('exchange-import-submit'));
    await screen.findByTestId('exchange-import-progress');
    expect(screen.getByTestId('exchange-import-submit').hasAttribute('disabled')).toBe(true);
    // the dialog first (no arguments), then the import of the file it gave
    expect(
      calls.filter((c) => c.cmd.startsWith('exchange_pick') || c.cmd === 'exchange_import'),
    ).toEqual([
      { cmd: 'exchange_pick_bundle', args: {} },
      {
        cmd: 'exchange_import',
        args: { options: { allowUnknownSite: false } satisfies ImportOptions, path: FILE },
      },
    ]);
    // the core says how far it is: the stage, the table, rows done of the total
    await emit('exchange-progress', {
      stage: 'apply',
      table: 'customers',
      done: 20000,
      total: 400003,
    } satisfies ExchangeProgress);
    const stage = await screen.findByTestId('exchange-import-progress-stage');
    await waitFor(() => expect(stage.textContent).toBe('正在写入客户：20,000 / 400,003 行'));
    const bar = within(screen.getByTestId('exchange-import-progress')).getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('5');
    await emit('exchange-progress', {
      stage: 'commit',
      table: '',
      done: 400003,
      total: 400003,
    } satisfies ExchangeProgress);
    await waitFor(() => expect(stage.textContent).toBe('正在保存…'));
    finish(imported());
    const result = await screen.findByTestId('exchange-import-result');
    expect(screen.queryByTestId('exchange-import-progress')).toBeNull();
    expect(result.textContent).toContain('已导入：WX01-data-SH01-20260303-0900.zip');
    expect(result.textContent).toContain('来自 WX01');
    const counts = within(result).getAllByTestId('exchange-import-count');
    expect(counts.map((c) => [c.dataset.key, c.dataset.n])).toEqual([
      ['inserted', '5'],
      ['updated', '2'],
      ['appended', '9'],
      ['unchanged', '7'],
      ['conflicts', '1'],
    ]);
    expect(counts[0].textContent).toContain('新增');
    expect(result.textContent).toContain('有 1 条记录在两个站点都被修改过');
    expect(within(result).getByTestId('exchange-import-conflicts-link').getAttribute('href')).toBe(
      '#/exchange/conflicts',
    );
    // the fixture counts only totals (as an import recorded before the core counted per table)
    expect(within(result).queryByTestId('exchange-import-tables')).toBeNull();
  });

  it('breaks the import down table by table, in the core order, blank for nothing', async () => {
    session.apply(status());
    const counts = {
      inserted: 4,
      updated: 1,
      appended: 12,
      unchanged: 2,
      conflicts: 1,
      calendarDays: 1,
      'work_order_events.appended': 12,
      'customers.inserted': 3,
      'customers.conflicts': 1,
      'customers.unchanged': 2,
      'contacts.inserted': 1,
      'contacts.updated': 1,
      'units.unchanged': 0,
      'calendar_days.calendarDays': 1,
    };
    fakeCore({
      exchange_peers: () => peers,
      exchange_pick_bundle: pick,
      exchange_import: () => imported({ counts }),
    });
    render(TransferTab);
    await fireEvent.click(await screen.findByTestId('exchange-import-submit'));
    const result = await screen.findByTestId('exchange-import-result');
    // the totals stay totals: no dotted key among them
    expect(
      within(result)
        .getAllByTestId('exchange-import-count')
        .map((c) => c.dataset.key),
    ).toEqual(['inserted', 'updated', 'appended', 'unchanged', 'conflicts']);
    const table = within(result).getByTestId('exchange-import-tables');
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim())).toEqual([
      '记录',
      '新增',
      '更新',
      '追加',
      '未变',
      '冲突',
    ]);
    const rows = within(table).getAllByTestId('exchange-import-table');
    const cells = (r: HTMLElement) =>
      [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim());
    expect(rows.map((r) => r.dataset.table)).toEqual([
      'customers',
      'contacts',
      'work_order_events',
      'calendar_days',
    ]);
    expect(rows.map(cells)).toEqual([
      ['客户', '3', '', '', '2', '1'],
      ['联系人', '1', '1', '', '', ''],
      ['工单经过', '', '', '12', '', ''],
      ['节假日安排', '按文件整年替换'],
    ]);
    // the calendar says so in its row, not twice
    expect(result.textContent).not.toContain('工作日历已按文件替换');
    expect(rows[0].querySelector('[data-count="conflicts"]')?.classList.contains('warn')).toBe(
      true,
    );
  });

  it('says a file imported before changed nothing', async () => {
    session.apply(status());
    fakeCore({
      exchange_peers: () => peers,
      exchange_pick_bundle: pick,
      exchange_import: () => imported({ counts: { alreadyImported: 1 } }),
    });
    render(TransferTab);
    await fireEvent.click(await screen.findByTestId('exchange-import-submit'));
    await screen.findByTestId('exchange-import-already');
    expect(screen.queryByTestId('exchange-import-count')).toBeNull();
    expect(screen.queryByTestId('exchange-import-tables')).toBeNull();
  });

  it('imports nothing when the dialog was cancelled', async () => {
    session.apply(status());
    const calls = fakeCore({ exchange_peers: () => peers, exchange_pick_bundle: () => null });
    render(TransferTab);
    await fireEvent.click(await screen.findByTestId('exchange-import-submit'));
    expect((await screen.findByTestId('exchange-import-cancelled')).textContent).toContain(
      '没有选择文件',
    );
    expect(of(calls, 'exchange_import')).toEqual([]);
    expect(screen.queryByTestId('exchange-import-progress')).toBeNull();
    expect(screen.getByTestId('exchange-import-submit').hasAttribute('disabled')).toBe(false);
  });

  it('offers to take the same file from a site outside the network once the person confirms it', async () => {
    session.apply(status());
    let allowed = false;
    const calls = fakeCore({
      exchange_peers: () =>
        allowed ? [...peers, { code: 'WX02', name: '苏州', relation: 'below' }] : peers,
      exchange_pick_bundle: pick,
      exchange_import: (a) => {
        if (!(a.options as ImportOptions).allowUnknownSite)
          throw refused('site_not_in_network', { site: 'WX02', name: '苏州特约网点' });
        allowed = true;
        return imported({ peer: 'WX02', counts: { inserted: 3 } });
      },
    });
    render(TransferTab);
    await fireEvent.click(await screen.findByTestId('exchange-import-submit'));
    const error = await screen.findByTestId('exchange-import-error');
    expect(error.dataset.rule).toBe('site_not_in_network');
    expect(error.textContent).toContain('文件来自 WX02 苏州特约网点，这个站点不在本站点的网络中。');
    expect(error.textContent).toContain('本站点的数据没有任何改动');
    expect(within(error).getByTestId('exchange-import-file').textContent).toContain(
      '文件：WX01-data-SH01-20260303-0900.zip',
    );
    const retry = within(error).getByTestId('exchange-import-allow-unknown');
    expect(retry.hasAttribute('disabled')).toBe(true);

    await fireEvent.click(within(error).getByTestId('exchange-import-confirm-site'));
    expect(retry.hasAttribute('disabled')).toBe(false);
    await fireEvent.click(retry);
    const result = await screen.findByTestId('exchange-import-result');
    expect(result.dataset.peer).toBe('WX02');
    expect(screen.queryByTestId('exchange-import-error')).toBeNull();
    // the same file again, without a second dialog
    expect(of(calls, 'exchange_pick_bundle')).toHaveLength(1);
    expect(of(calls, 'exchange_import').map((c) => c.args)).toEqual([
      { options: { allowUnknownSite: false }, path: FILE },
      { options: { allowUnknownSite: true }, path: FILE },
    ]);
    // the new site joined the network: the export's destinations are read again
    await waitFor(() => expect(of(calls, 'exchange_peers')).toHaveLength(2));
    const dest = screen.getByTestId('exchange-export-destination') as HTMLSelectElement;
    await waitFor(() => expect([...dest.options].map((o) => o.value)).toContain('WX02'));
  });

  it.each([
    ['checksum_mismatch', {}, '文件内容与校验值不符，已损坏或被改动过。请向对方重新索取文件。'],
    [
      'unsupported_version',
      { found: '9', supported: '1' },
      '文件的格式版本（9）本程序不能读取（支持 1）',
    ],
    ['own_site', {}, '这是本站点自己导出的文件'],
    ['unreadable_file', { detail: 'tables/x.jsonl: line 3' }, '文件已损坏或不完整'],
    ['unsupported_file', {}, '这不是售后服务台导出的文件'],
    ['too_large', {}, '超过了允许的大小'],
    ['duplicate', {}, '重复的条目'],
  ] as const)('explains %s and offers no retry', async (rule, params, text) => {
    session.apply(status());
    fakeCore({
      exchange_peers: () => peers,
      exchange_pick_bundle: pick,
      exchange_import: () => {
        throw refused(rule, params);
      },
    });
    render(TransferTab);
    await fireEvent.click(await screen.findByTestId('exchange-import-submit'));
    const error = await screen.findByTestId('exchange-import-error');
    expect(error.dataset.rule).toBe(rule);
    expect(error.textContent).toContain(text);
    expect(within(error).queryByTestId('exchange-import-allow-unknown')).toBeNull();
  });

  it('explains a refusal in the language of the user', async () => {
    session.apply(status());
    setLocale('en');
    fakeCore({
      exchange_peers: () => peers,
      exchange_pick_bundle: pick,
      exchange_import: () => {
        throw refused('checksum_mismatch');
      },
    });
    render(TransferTab);
    await fireEvent.click(await screen.findByTestId('exchange-import-submit'));
    const error = await screen.findByTestId('exchange-import-error');
    expect(error.textContent).toContain('does not match its checksums');
    expect(error.textContent).toContain('nothing here was changed');
  });
});
