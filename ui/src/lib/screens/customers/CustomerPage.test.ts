import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import CustomerPage from './CustomerPage.svelte';
import { fakeCore } from '../../../test/ipc';
import { customer } from '../../../test/workOrders';

describe('CustomerPage', () => {
  it('offers a new work order for the customer and lists the customer’s orders', async () => {
    const calls = fakeCore({
      parts_usage: () => [],
      get_customer: () => customer,
      wo_list: () => ({
        rows: [
          {
            id: 'wo-3',
            number: 'SH01-GD-2026-000003',
            kind: 'repair',
            channel: 'phone',
            state: 'completed',
            customerId: 'c-1',
            customerName: '张伟',
            description: '',
            appointment: null,
            technicians: [],
            ownerName: '王芳',
            createdAt: '2026-03-01T02:00:00Z',
          },
        ],
        total: 1,
        page: 0,
        pageSize: 50,
      }),
    });
    render(CustomerPage, { id: 'c-1' });
    const link = await screen.findByTestId('customer-new-work-order');
    expect(link.getAttribute('href')).toBe('#/intake?customer=c-1');
    const list = await screen.findByTestId('customer-work-orders');
    expect((await within(list).findByTestId('wo-link')).getAttribute('href')).toBe(
      '#/work-orders/wo-3',
    );
    expect(calls.find((c) => c.cmd === 'wo_list')?.args.filter).toMatchObject({
      customerId: 'c-1',
      page: 0,
    });
  });
});
