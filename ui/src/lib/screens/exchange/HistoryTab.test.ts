import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import HistoryTab from './HistoryTab.svelte';
import { fakeCore, status } from '../../../test/ipc';
import { imported, peers, summary } from '../../../test/exchange';
import { session } from '$lib/state/session.svelte';

const history = [
  imported({
    id: 'h3',
    at: '2026-03-03T04:00:00Z',
    counts: {
      inserted: 5,
      updated: 2,
      unchanged: 7,
      appended: 9,
      conflicts: 1,
      'customers.inserted': 4,
      'customers.updated': 2,
      'customers.conflicts': 1,
      'contacts.inserted': 1,
      'units.unchanged': 7,
      'work_order_events.appended': 9,
    },
  }),
  summary({ id: 'h2', at: '2026-03-03T02:00:00Z' }),
  summary({
    id: 'h1',
    peer: '',
    full: true,
    seqFrom: 0,
    seqTo: 40,
    kind: 'policy',
    fileName: 'SH01-policy-20260301-0900.zip',
    counts: { parts: 20, sla_policies: 4 },
    at: '2026-03-01T01:00:00Z',
  }),
];

describe('HistoryTab', () => {
  it('lists exports and imports with direction, kind, site, range, counts and file', async () => {
    session.apply(status());
    fakeCore({ exchange_history: () => history, exchange_peers: () => peers });
    render(HistoryTab);
    await screen.findByTestId('exchange-history-table');
    const rows = screen.getAllByTestId('exchange-history-row');
    expect(rows.map((r) => r.dataset.direction)).toEqual(['import', 'export', 'export']);
    const [imp, exp, policy] = rows.map((r) =>
      [...r.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim()),
    );
    expect(imp[0]).toBe('2026/03/03 12:00');
    expect(imp.slice(1)).toEqual([
      '导入',
      '业务数据',
      'WX01 无锡特约网点',
      '#41 – #120',
      '新增 5、更新 2、追加 9、未变 7、冲突 1',
      'WX01-data-SH01-20260303-0900.zip',
    ]);
    expect(exp[1]).toBe('导出');
    expect(exp[5]).toBe('客户 12、联系人 15、工单 3（共 30 行）');
    expect(policy.slice(2, 6)).toEqual([
      '政策与目录',
      '任何站点',
      '全部（至 #40）',
      '配件目录 20、投诉时限标准 4（共 24 行）',
    ]);
  });

  it('opens an import into what it did table by table', async () => {
    session.apply(status());
    fakeCore({
      exchange_history: () => [
        ...history,
        imported({ id: 'h0', counts: { inserted: 1 }, at: '2026-02-01T01:00:00Z' }),
        imported({
          id: 'h-1',
          counts: { alreadyImported: 1, inserted: 0 },
          at: '2026-01-01T01:00:00Z',
        }),
      ],
      exchange_peers: () => peers,
    });
    render(HistoryTab);
    await screen.findByTestId('exchange-history-table');
    // only the import counted per table opens; exports, older imports and repeats do not
    const toggles = screen.getAllByTestId('exchange-history-toggle');
    expect(toggles).toHaveLength(1);
    const toggle = toggles[0];
    expect(toggle.closest('tr')?.dataset.direction).toBe('import');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByTestId('exchange-history-details')).toBeNull();

    await fireEvent.click(toggle);
    const details = await screen.findByTestId('exchange-history-details');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(details.dataset.for).toBe('h3');
    expect(toggle.getAttribute('aria-controls')).toBe(details.id);
    // right below its row, still one row per exchange
    expect(details.previousElementSibling).toBe(toggle.closest('tr'));
    expect(screen.getAllByTestId('exchange-history-row')).toHaveLength(5);
    const rows = within(details).getAllByTestId('exchange-import-table');
    expect(
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim())),
    ).toEqual([
      ['客户', '4', '2', '', '', '1'],
      ['联系人', '1', '', '', '', ''],
      ['客户的产品', '', '', '', '7', ''],
      ['工单经过', '', '', '9', '', ''],
    ]);

    await fireEvent.click(toggle);
    await waitFor(() => expect(screen.queryByTestId('exchange-history-details')).toBeNull());
  });

  it('filters by the other site', async () => {
    session.apply(status());
    fakeCore({ exchange_history: () => history, exchange_peers: () => peers });
    render(HistoryTab);
    await screen.findByTestId('exchange-history-table');
    const select = screen.getByTestId('exchange-history-peer') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['', 'C01', 'WX01', '*']);
    select.value = 'C01';
    await fireEvent.change(select);
    await waitFor(() => expect(screen.getAllByTestId('exchange-history-row')).toHaveLength(1));
    expect(screen.getByTestId('exchange-history-row').dataset.peer).toBe('C01');
    select.value = '*';
    await fireEvent.change(select);
    await waitFor(() =>
      expect(screen.getByTestId('exchange-history-row').dataset.kind).toBe('policy'),
    );
  });

  it('says when nothing was exchanged yet', async () => {
    session.apply(status());
    fakeCore({ exchange_history: () => [], exchange_peers: () => [] });
    render(HistoryTab);
    expect((await screen.findByTestId('exchange-history-empty')).textContent).toContain(
      '还没有导出或导入过',
    );
  });
});
