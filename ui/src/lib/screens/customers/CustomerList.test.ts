import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import CustomerList from './CustomerList.svelte';
import { fakeCore, status } from '../../../test/ipc';
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
    expect(calls.map((c) => c.args)).toEqual([
      { query: '张', page: 0, pageSize: 25 },
      { query: '张', page: 1, pageSize: 25 },
    ]);
    expect(screen.getByText('第 2 / 3 页')).toBeTruthy();
  });
});
