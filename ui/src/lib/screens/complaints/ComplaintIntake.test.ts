import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { RegisterInput } from '$lib/bindings/RegisterInput';
import type { WorkOrderRow } from '$lib/bindings/WorkOrderRow';
import ComplaintIntake from './ComplaintIntake.svelte';
import { fakeCore, status, validation } from '../../../test/ipc';
import { detail } from '../../../test/complaints';
import { customer } from '../../../test/workOrders';
import { router } from '$lib/state/router.svelte';
import { session } from '$lib/state/session.svelte';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

const hit = {
  customerId: 'c-1',
  kind: 'person' as const,
  name: '张伟',
  phone: '13900001111',
  city: '苏州市',
  serials: [],
};
const page = (hits = [hit]) => ({
  hits,
  total: hits.length,
  totalIsLowerBound: false,
  page: 0,
  pageSize: 8,
});
const openRow = {
  id: 'cp-0',
  number: 'SH01-TS-2026-000001',
  kind: 'service' as const,
  level: 1,
  stage: 'assigned' as const,
  customerName: '张伟',
  complainant: '张伟',
  content: '上门迟到',
  ownerName: '王芳',
  receivedAt: '2026-02-20T01:00:00Z',
  closedAt: null,
  nextDueAt: '2026-03-05T01:00:00Z',
  paused: false,
  siteCode: 'SH01',
  siteName: '上海浦东服务站',
};
const woRow: WorkOrderRow = {
  id: 'wo-1',
  number: 'SH01-GD-2026-000007',
  kind: 'repair',
  channel: 'phone',
  state: 'completed',
  customerId: 'c-1',
  customerName: '张伟',
  description: '不制冷',
  appointment: null,
  technicians: [],
  ownerName: '王芳',
  createdAt: '2026-02-01T01:00:00Z',
  siteCode: 'SH01',
  siteName: '上海浦东服务站',
};

describe('ComplaintIntake', () => {
  it('finds the caller, warns about open complaints, prefills the complainant and registers', async () => {
    session.apply(status());
    const calls = fakeCore({
      search_customers: () => page(),
      get_customer: () => customer,
      wo_list: () => ({ rows: [woRow], total: 1, page: 0, pageSize: 50 }),
      complaint_list: () => ({ rows: [openRow], total: 1 }),
      complaint_register: () => detail({}, { id: 'cp-9' }),
    });
    render(ComplaintIntake, { debounceMs: 0 });
    await type('complaint-lookup', '1111');
    const match = await screen.findByTestId('complaint-match');
    expect(calls.find((c) => c.cmd === 'search_customers')?.args).toEqual({
      query: '1111',
      page: 0,
      pageSize: 8,
      siteId: null,
    });
    await fireEvent.click(match);
    const warning = await screen.findByTestId('complaint-open-warning');
    expect(warning.textContent).toContain('1 件投诉没有结案');
    expect(screen.getByTestId('complaint-open-item').dataset.number).toBe('SH01-TS-2026-000001');
    expect(calls.find((c) => c.cmd === 'complaint_list')?.args).toMatchObject({
      filter: { customerId: 'c-1', open: true },
    });
    // the caller's own contact (the number typed) is the complainant
    expect((screen.getByTestId('complaint-complainant') as HTMLInputElement).value).toBe('李娜');
    expect((screen.getByTestId('complaint-phone') as HTMLInputElement).value).toBe('13900001111');
    // the only unit is taken; the work order is optional
    expect((screen.getByTestId('complaint-unit') as HTMLSelectElement).value).toBe('u-1');
    await waitFor(() =>
      expect(screen.getByTestId('complaint-work-order').textContent).toContain(
        'SH01-GD-2026-000007',
      ),
    );
    await fireEvent.change(screen.getByTestId('complaint-work-order'), {
      target: { value: 'wo-1' },
    });

    await fireEvent.change(screen.getByTestId('complaint-kind'), { target: { value: 'service' } });
    await fireEvent.change(screen.getByTestId('complaint-level'), { target: { value: '3' } });
    expect(screen.getByTestId('complaint-level-group').dataset.group).toBe('management');
    await type('complaint-content', '技术员态度恶劣');
    await type('complaint-demand', '道歉');
    // Ctrl+S saves
    await fireEvent.keyDown(screen.getByTestId('complaint-demand'), { key: 's', ctrlKey: true });
    await waitFor(() => expect(calls.some((c) => c.cmd === 'complaint_register')).toBe(true));
    const input = calls.find((c) => c.cmd === 'complaint_register')?.args.input as RegisterInput;
    expect(input).toEqual({
      kind: 'service',
      level: 3,
      channel: 'phone',
      customerId: 'c-1',
      newCustomer: null,
      unitId: 'u-1',
      workOrderId: 'wo-1',
      complainant: '李娜',
      phone: '13900001111',
      object: '',
      content: '技术员态度恶劣',
      demand: '道歉',
    });
    await waitFor(() => expect(router.route).toEqual({ name: 'complaint', id: 'cp-9' }));
  });

  it('registers a new customer on the spot and shows the core’s issues by their fields', async () => {
    session.apply(status());
    const calls = fakeCore({
      search_customers: () => page([]),
      complaint_register: () => {
        throw validation([
          { field: 'content', rule: 'required', params: {} },
          { field: 'newCustomer.contacts.0.phone', rule: 'invalid_phone', params: {} },
        ]);
      },
    });
    render(ComplaintIntake, { debounceMs: 0 });
    await type('complaint-lookup', '王小明');
    await screen.findByText(/没有找到“王小明”/);
    await fireEvent.keyDown(screen.getByTestId('complaint-lookup'), { key: 'Enter' });
    const name = (await screen.findByTestId('complaint-customer-name')) as HTMLInputElement;
    expect(name.value).toBe('王小明');
    expect((screen.getByTestId('complaint-complainant') as HTMLInputElement).value).toBe('王小明');
    await type('complaint-customer-phone', '1381234');
    expect((screen.getByTestId('complaint-phone') as HTMLInputElement).value).toBe('1381234');
    await fireEvent.click(screen.getByTestId('complaint-save'));
    expect((await screen.findByTestId('field-error-content')).textContent).toContain('必须填写');
    expect(screen.getByTestId('field-error-newCustomer.contacts.0.phone')).toBeTruthy();
    const input = calls.find((c) => c.cmd === 'complaint_register')?.args.input as RegisterInput;
    expect(input.customerId).toBeNull();
    expect(input.newCustomer?.name).toBe('王小明');
    expect(input.newCustomer?.contacts[0].phone).toBe('1381234');
  });
});
