import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { WorkOrderFilter } from '$lib/bindings/WorkOrderFilter';
import type { WorkOrderRow } from '$lib/bindings/WorkOrderRow';
import WorkOrderList from './WorkOrderList.svelte';
import { blankFilters, buildFilter } from './filter';
import { setLocale } from '$lib/i18n/index.svelte';
import { failure, fakeCore, flush, knownSites } from '../../../test/ipc';

const row = (n: number, over: Partial<WorkOrderRow> = {}): WorkOrderRow => ({
  id: `wo-${n}`,
  number: `SH01-GD-2026-${String(n).padStart(6, '0')}`,
  kind: 'repair',
  channel: 'phone',
  state: 'scheduled',
  customerId: 'c-1',
  customerName: '张伟',
  description: '不制冷',
  appointment: { date: '2026-03-05', start: '09:00', end: '11:00', address: '苏州' },
  technicians: ['刘海涛', '王建军'],
  ownerName: '王芳',
  createdAt: '2026-03-01T02:00:00Z',
  siteCode: 'SH01',
  siteName: '上海浦东服务站',
  ...over,
});

describe('buildFilter', () => {
  it('sends blank fields as "any" and reshapes loosely typed dates', () => {
    expect(buildFilter(blankFilters(), 0)).toEqual({
      state: null,
      technicianId: null,
      dateFrom: null,
      dateTo: null,
      query: null,
      customerId: null,
      siteId: null,
      page: 0,
    });
    expect(
      buildFilter(
        {
          state: 'onSite',
          technicianId: 't-1',
          dateFrom: '2026/3/1',
          dateTo: '2026-03-31',
          query: '  000123 ',
          siteId: 's-a01',
        },
        2,
        'c-9',
      ),
    ).toEqual({
      state: 'onSite',
      technicianId: 't-1',
      dateFrom: '2026-03-01',
      dateTo: '2026-03-31',
      query: '000123',
      customerId: 'c-9',
      siteId: 's-a01',
      page: 2,
    } satisfies WorkOrderFilter);
  });
});

describe('WorkOrderList', () => {
  it('builds the WorkOrderFilter from the filters and links each number to its page', async () => {
    const calls = fakeCore({
      wo_technicians: () => [
        { id: 't-1', name: '刘海涛' },
        { id: 't-2', name: '王建军' },
      ],
      wo_list: (a) => {
        const f = a.filter as WorkOrderFilter;
        return {
          rows: f.query === 'nothing' ? [] : [row(7)],
          total: f.query === 'nothing' ? 0 : 120,
          page: f.page,
          pageSize: 50,
        };
      },
    });
    render(WorkOrderList, { debounceMs: 0 });
    const link = await screen.findByTestId('wo-link');
    expect(link.getAttribute('href')).toBe('#/work-orders/wo-7');
    expect(screen.getByTestId('wo-row').textContent).toContain('刘海涛、王建军');
    await waitFor(() =>
      expect(screen.getByTestId('wo-filter-tech').querySelectorAll('option')).toHaveLength(3),
    );

    await fireEvent.change(screen.getByTestId('wo-filter-state'), {
      target: { value: 'dispatched' },
    });
    await fireEvent.change(screen.getByTestId('wo-filter-tech'), { target: { value: 't-2' } });
    // a date field reports typing (input) and then the finished date (change), as browsers do
    for (const [id, value] of [
      ['wo-filter-from', '2026-03-01'],
      ['wo-filter-to', '2026-03-31'],
    ]) {
      await fireEvent.input(screen.getByTestId(id), { target: { value } });
      await fireEvent.change(screen.getByTestId(id));
    }
    await fireEvent.input(screen.getByTestId('wo-query'), { target: { value: '张' } });
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === 'wo_list').at(-1)?.args.filter).toEqual({
        state: 'dispatched',
        technicianId: 't-2',
        dateFrom: '2026-03-01',
        dateTo: '2026-03-31',
        query: '张',
        customerId: null,
        siteId: null,
        page: 0,
      }),
    );

    await fireEvent.click(screen.getByTestId('page-next'));
    await waitFor(() =>
      expect(
        (calls.filter((c) => c.cmd === 'wo_list').at(-1)?.args.filter as WorkOrderFilter).page,
      ).toBe(1),
    );
    expect(screen.getByText('第 2 / 3 页')).toBeTruthy();

    await fireEvent.input(screen.getByTestId('wo-query'), { target: { value: 'nothing' } });
    expect((await screen.findByTestId('wo-empty')).textContent).toContain('没有符合条件的工单');
  });

  it('exports every order the filters match to Excel: busy, then the saved path or the error', async () => {
    let finish: (path: string | null) => void = () => {};
    const calls = fakeCore({
      wo_technicians: () => [],
      wo_list: () => ({ rows: [row(7)], total: 120, page: 0, pageSize: 50 }),
      xlsx_work_orders: () => new Promise<string | null>((resolve) => (finish = resolve)),
    });
    setLocale('en');
    render(WorkOrderList, { debounceMs: 0 });
    await screen.findByTestId('wo-link');
    await fireEvent.change(screen.getByTestId('wo-filter-state'), {
      target: { value: 'scheduled' },
    });
    await fireEvent.click(screen.getByTestId('page-next'));

    const button = screen.getByTestId('wo-xlsx') as HTMLButtonElement;
    expect(button.textContent).toBe('Export to Excel');
    await fireEvent.click(button);
    // the filters on screen, whatever page is shown, in the user's language
    const sent = calls.filter((c) => c.cmd === 'xlsx_work_orders');
    expect(sent).toHaveLength(1);
    expect(sent[0].args).toEqual({
      filter: {
        state: 'scheduled',
        technicianId: null,
        dateFrom: null,
        dateTo: null,
        query: null,
        customerId: null,
        siteId: null,
        page: 0,
      },
      language: 'en',
    });
    await waitFor(() => expect(button.disabled).toBe(true));
    expect(button.textContent).toBe('Exporting…');
    expect(button.getAttribute('aria-busy')).toBe('true');
    await fireEvent.click(button); // a second click while busy starts nothing
    expect(calls.filter((c) => c.cmd === 'xlsx_work_orders')).toHaveLength(1);

    finish('/home/wf/work-orders-2026-11-22.xlsx');
    expect((await screen.findByTestId('xlsx-saved')).textContent).toBe(
      'Saved to /home/wf/work-orders-2026-11-22.xlsx',
    );
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe('Export to Excel');

    // a cancelled dialog says nothing; an error says what to do
    await fireEvent.click(button);
    finish(null);
    await waitFor(() => expect(screen.queryByTestId('xlsx-saved')).toBeNull());
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(screen.queryByTestId('xlsx-error')).toBeNull();

    fakeCore({
      wo_technicians: () => [],
      wo_list: () => ({ rows: [row(7)], total: 120, page: 0, pageSize: 50 }),
      xlsx_work_orders: () => {
        throw failure('io');
      },
    });
    await fireEvent.click(button);
    const error = await screen.findByTestId('xlsx-error');
    expect(error.dataset.code).toBe('io');
    expect(error.textContent).toContain('Try again');
  });

  it('offers the site filter when the database holds other sites’ orders, and shows their site', async () => {
    const calls = fakeCore({
      list_sites: () => knownSites,
      wo_technicians: () => [],
      wo_list: (a) => {
        const f = a.filter as WorkOrderFilter;
        const a01 = row(8, { siteCode: 'A01', siteName: '浦东川沙特约网点' });
        const rows = f.siteId === 's-a01' ? [a01] : [row(7), a01];
        return { rows, total: rows.length, page: 0, pageSize: 50 };
      },
      xlsx_work_orders: () => null,
    });
    render(WorkOrderList, { debounceMs: 0 });
    const select = (await screen.findByTestId('wo-filter-site')) as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', '全部网点'],
      [knownSites[0].id, 'SH01 上海浦东服务站'],
      ['s-a01', 'A01 浦东川沙特约网点'],
    ]);
    await waitFor(() => expect(screen.getAllByTestId('wo-site')).toHaveLength(2));
    expect(screen.getAllByTestId('wo-site').map((c) => c.textContent)).toEqual(['SH01', 'A01']);
    expect(screen.getAllByTestId('wo-site')[1].getAttribute('title')).toBe('浦东川沙特约网点');
    expect(screen.getByTestId('wo-table').querySelector('thead')?.textContent).toContain('网点');

    await fireEvent.change(select, { target: { value: 's-a01' } });
    await waitFor(() => expect(screen.getAllByTestId('wo-row')).toHaveLength(1));
    expect(calls.filter((c) => c.cmd === 'wo_list').at(-1)?.args.filter).toMatchObject({
      siteId: 's-a01',
      page: 0,
    });
    await fireEvent.click(screen.getByTestId('wo-xlsx'));
    expect(calls.find((c) => c.cmd === 'xlsx_work_orders')?.args.filter).toMatchObject({
      siteId: 's-a01',
    });

    await fireEvent.change(select, { target: { value: '' } });
    await waitFor(() => expect(screen.getAllByTestId('wo-row')).toHaveLength(2));
    expect(
      (calls.filter((c) => c.cmd === 'wo_list').at(-1)?.args.filter as WorkOrderFilter).siteId,
    ).toBeNull();
  });

  it('shows neither the site filter nor the site column while only this site is known', async () => {
    const calls = fakeCore({
      list_sites: () => knownSites.slice(0, 1),
      wo_technicians: () => [],
      wo_list: () => ({ rows: [row(7)], total: 1, page: 0, pageSize: 50 }),
    });
    render(WorkOrderList, { debounceMs: 0 });
    await screen.findByTestId('wo-link');
    await waitFor(() => expect(calls.some((c) => c.cmd === 'list_sites')).toBe(true));
    await flush();
    expect(screen.queryByTestId('wo-filter-site')).toBeNull();
    expect(screen.queryByTestId('wo-site')).toBeNull();
  });
});
