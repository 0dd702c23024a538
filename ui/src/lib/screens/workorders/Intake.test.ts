import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { IntakeInput } from '$lib/bindings/IntakeInput';
import Intake from './Intake.svelte';
import { fakeCore, validation } from '../../../test/ipc';
import { customer, detail } from '../../../test/workOrders';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

const hit = {
  customerId: 'c-1',
  kind: 'person' as const,
  name: '张伟',
  phone: '13812345678',
  city: '苏州市',
  serials: ['GL24027321926G'],
};
const page = (hits = [hit]) => ({
  hits,
  total: hits.length,
  totalIsLowerBound: false,
  page: 0,
  pageSize: 8,
});

describe('Intake', () => {
  it('finds the caller by a phone tail, takes the unit and sends the IntakeInput', async () => {
    const calls = fakeCore({
      search_customers: () => page(),
      get_customer: () => customer,
      wo_intake: (a) =>
        detail({}, { id: 'wo-9', description: (a.input as IntakeInput).description }),
    });
    render(Intake, { debounceMs: 0 });

    await type('intake-phone', '567');
    await new Promise((r) => setTimeout(r, 5));
    expect(calls.filter((c) => c.cmd === 'search_customers')).toHaveLength(0); // < 4 digits

    await type('intake-phone', '5678');
    const match = await screen.findByTestId('intake-match');
    expect(match.textContent).toContain('张伟');
    // all phones and the address come from the customer record
    await waitFor(() => expect(match.textContent).toContain('139 0000 1111'));
    expect(match.textContent).toContain('星湖街 328 号');
    expect(calls.find((c) => c.cmd === 'search_customers')?.args).toEqual({
      query: '5678',
      page: 0,
      pageSize: 8,
      siteId: null,
    });

    await fireEvent.click(match);
    const unit = await screen.findByTestId('intake-unit');
    // the only unit is taken, with its warranty
    expect(unit.getAttribute('aria-checked')).toBe('true');
    expect(unit.querySelector('[data-testid="warranty-status"]')?.getAttribute('data-status')).toBe(
      'inWarranty',
    );
    // the tail typed becomes the number on file
    expect((screen.getByTestId('intake-phone') as HTMLInputElement).value).toBe('13812345678');

    await fireEvent.change(screen.getByTestId('intake-kind'), { target: { value: 'maintenance' } });
    await fireEvent.change(screen.getByTestId('intake-channel'), { target: { value: 'walkIn' } });
    await type('intake-description', '空调不制冷');
    await fireEvent.click(screen.getByTestId('intake-submit'));

    await waitFor(() => expect(location.hash).toBe('#/work-orders/wo-9'));
    const sent = calls.find((c) => c.cmd === 'wo_intake')!.args.input;
    expect(sent).toEqual({
      kind: 'maintenance',
      channel: 'walkIn',
      customerId: 'c-1',
      newCustomer: null,
      contactId: 'ct-1',
      unitId: 'u-1',
      newUnit: null,
      callerPhone: '13812345678',
      description: '空调不制冷',
    } satisfies IntakeInput);
  });

  it('takes the only match with Enter', async () => {
    fakeCore({ search_customers: () => page(), get_customer: () => customer });
    render(Intake, { debounceMs: 0 });
    await type('intake-phone', '5678');
    await screen.findByTestId('intake-match');
    await fireEvent.keyDown(screen.getByTestId('intake-phone'), { key: 'Enter' });
    expect((await screen.findByTestId('intake-customer-title')).textContent).toBe('张伟');
  });

  it('registers a new customer and unit on the spot; the core’s issues land on their fields', async () => {
    const calls = fakeCore({
      search_customers: () => page([]),
      list_models: () => [
        { id: 'm-1', brand: '格力', model: 'KFR-35GW', category: '空调', rev: 1 },
      ],
      wo_intake: () => {
        throw validation([
          { field: 'newCustomer.name', rule: 'required', params: {} },
          { field: 'newCustomer.contacts.0.phone', rule: 'invalid_phone', params: {} },
          { field: 'newUnit.serial', rule: 'invalid_serial', params: {} },
          { field: 'description', rule: 'required', params: {} },
        ]);
      },
    });
    render(Intake, { debounceMs: 0 });
    await type('intake-phone', '13900002222');
    expect((await screen.findByText(/没有电话以 13900002222 结尾/)).textContent).toBeTruthy();
    await fireEvent.click(screen.getByTestId('intake-new-customer'));
    // the caller's number is already there
    expect((screen.getByTestId('intake-customer-phone') as HTMLInputElement).value).toBe(
      '13900002222',
    );
    await type('intake-address-city', '苏州市');
    await type('intake-address-detail', '星湖街 1 号');
    // a new customer has no units yet: the new-unit fields are open
    expect(screen.getByTestId('intake-unit-new').getAttribute('aria-checked')).toBe('true');
    await waitFor(() =>
      expect(screen.getByTestId('intake-unit-model').querySelectorAll('option')).toHaveLength(2),
    );
    await fireEvent.change(screen.getByTestId('intake-unit-model'), { target: { value: 'm-1' } });
    await type('intake-unit-serial', 'ab#1');
    await type('intake-unit-purchase', '2025/3/8');
    await fireEvent.click(screen.getByTestId('intake-submit'));

    expect((await screen.findByTestId('field-error-newCustomer.name')).textContent).toContain(
      '必须填写',
    );
    expect(screen.getByTestId('field-error-newCustomer.contacts.0.phone').textContent).toContain(
      '11 位手机号',
    );
    expect(screen.getByTestId('field-error-newUnit.serial')).toBeTruthy();
    expect(screen.getByTestId('field-error-description')).toBeTruthy();
    expect(screen.getByTestId('intake-customer-name').getAttribute('aria-invalid')).toBe('true');

    const sent = calls.find((c) => c.cmd === 'wo_intake')!.args.input as IntakeInput;
    expect(sent.customerId).toBeNull();
    expect(sent.newCustomer).toEqual({
      kind: 'person',
      name: '',
      note: '',
      contacts: [{ id: null, name: '', phone: '13900002222', title: '' }],
      addresses: [{ id: null, province: '', city: '苏州市', district: '', detail: '星湖街 1 号' }],
    });
    expect(sent.newUnit).toEqual({
      modelId: 'm-1',
      serial: 'ab#1',
      purchaseDate: '2025-03-08',
      seller: '',
      installDate: null,
      addressId: null,
      note: '',
    });
    expect(sent.unitId).toBeNull();
  });

  it('starts with the customer given by the address (from the customer page)', async () => {
    const calls = fakeCore({ get_customer: () => customer });
    render(Intake, { customer: 'c-1' });
    expect((await screen.findByTestId('intake-customer-title')).textContent).toBe('张伟');
    expect(calls[0]).toEqual({ cmd: 'get_customer', args: { id: 'c-1' } });
  });
});
