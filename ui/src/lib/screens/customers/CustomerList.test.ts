import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import CustomerList from './CustomerList.svelte';
import { fakeCore, flush, knownSites, status } from '../../../test/ipc';
import { session } from '$lib/state/session.svelte';

const empty = { hits: [], total: 0, totalIsLowerBound: false, page: 0, pageSize: 25 };

describe('CustomerList', () => {
  it('offers demo data to an admin when the archive is empty, then shows the summary', async () => {
    let count = 0;
    session.apply(status({ customerCount: 0 }));
    const calls = fakeCore({
      search_customers: () =>
        count
          ? {
              ...empty,
              total: 1,
              hits: [
                {
                  customerId: 'c1',
                  kind: 'person',
                  name: '张伟',
                  phone: '13812345678',
                  city: '苏州市',
                  serials: [],
                  siteCode: 'SH01',
                  siteName: '上海浦东服务站',
                },
              ],
            }
          : empty,
      load_demo_data: () => {
        count = 40;
        return { customers: 40, units: 95, models: 12, users: 5 };
      },
      app_status: () => status({ customerCount: count }),
    });
    render(CustomerList, { q: '' });
    await fireEvent.click(await screen.findByTestId('demo-load'));
    expect((await screen.findByTestId('demo-summary')).textContent).toContain('40 位客户');
    await waitFor(() => expect(screen.getAllByTestId('customer-row')).toHaveLength(1));
    expect(calls.map((c) => c.cmd)).toContain('load_demo_data');
  });

  it('does not offer demo data to other roles', async () => {
    session.apply(status({ customerCount: 0, user: { ...status().user!, role: 'frontDesk' } }));
    fakeCore({ search_customers: () => empty });
    render(CustomerList, { q: '' });
    expect(await screen.findByTestId('customers-empty')).toBeTruthy();
    expect(screen.queryByTestId('demo-load')).toBeNull();
  });

  it('searches what the address asks for and pages through results', async () => {
    session.apply(status());
    const calls = fakeCore({
      search_customers: (a) => ({
        hits: [
          {
            customerId: `c${a.page}`,
            kind: 'company',
            name: `客户${a.page}`,
            phone: '',
            city: '',
            serials: ['S1', 'S2'],
            siteCode: 'SH01',
            siteName: '上海浦东服务站',
          },
        ],
        total: 60,
        totalIsLowerBound: false,
        page: a.page,
        pageSize: a.pageSize,
      }),
    });
    render(CustomerList, { q: '张' });
    await screen.findByText('客户0');
    expect((screen.getByTestId('customer-query') as HTMLInputElement).value).toBe('张');
    await fireEvent.click(screen.getByTestId('page-next'));
    await screen.findByText('客户1');
    expect(calls.filter((c) => c.cmd === 'search_customers').map((c) => c.args)).toEqual([
      { query: '张', page: 0, pageSize: 25, siteId: null },
      { query: '张', page: 1, pageSize: 25, siteId: null },
    ]);
    expect(screen.getByText('第 2 / 3 页')).toBeTruthy();
    await flush();
    expect(screen.queryByTestId('customer-site')).toBeNull(); // no list of sites
    expect(screen.queryByTestId('customer-site-code')).toBeNull();
  });

  it('narrows the list and its Excel export to one site when several are known', async () => {
    // the count the session holds is from sign-in, before the import
    session.apply(status({ customerCount: 0 }));
    const hit = (name: string, siteCode: string) => ({
      customerId: name,
      kind: 'person',
      name,
      phone: '',
      city: '',
      serials: [],
      siteCode,
      siteName: siteCode === 'A01' ? '浦东川沙特约网点' : '上海浦东服务站',
    });
    const calls = fakeCore({
      list_sites: () => knownSites,
      search_customers: (a) => {
        const hits =
          a.siteId === 's-a01'
            ? [hit('李娜', 'A01')]
            : a.siteId
              ? []
              : [hit('张伟', 'SH01'), hit('李娜', 'A01')];
        return { hits, total: hits.length, totalIsLowerBound: false, page: 0, pageSize: 25 };
      },
      xlsx_customers: () => null,
    });
    render(CustomerList, { q: '' });
    const select = (await screen.findByTestId('customer-site')) as HTMLSelectElement;
    expect(select.options).toHaveLength(3);
    await waitFor(() =>
      expect(screen.getAllByTestId('customer-site-code').map((c) => c.textContent)).toEqual([
        'SH01',
        'A01',
      ]),
    );

    await fireEvent.change(select, { target: { value: 's-a01' } });
    await waitFor(() => expect(screen.getAllByTestId('customer-row')).toHaveLength(1));
    expect(calls.filter((c) => c.cmd === 'search_customers').at(-1)?.args).toEqual({
      query: '',
      page: 0,
      pageSize: 25,
      siteId: 's-a01',
    });
    await fireEvent.click(screen.getByTestId('customers-xlsx'));
    expect(calls.find((c) => c.cmd === 'xlsx_customers')?.args).toEqual({
      query: '',
      siteId: 's-a01',
      language: 'zh-CN',
    });

    // the local site holds none of them: says so, and offers no demo data
    await fireEvent.change(select, { target: { value: knownSites[0].id } });
    expect((await screen.findByTestId('customers-empty')).textContent).toContain(
      '这个网点没有符合条件的客户',
    );
    expect(screen.queryByTestId('demo-load')).toBeNull();
  });
});
