import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { CustomerDetail } from '$lib/bindings/CustomerDetail';
import type { CustomerInput } from '$lib/bindings/CustomerInput';
import CustomerForm from './CustomerForm.svelte';
import { failure, fakeCore, validation } from '../../../test/ipc';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

function detailFrom(input: CustomerInput, id = 'c1', rev = 1): CustomerDetail {
  return {
    customer: {
      id,
      siteId: 's1',
      kind: input.kind,
      name: input.name,
      note: input.note,
      rev,
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
      createdBy: 'u1',
      updatedBy: 'u1',
    },
    contacts: input.contacts.map((c, i) => ({ ...c, id: c.id ?? `ct${i}` })),
    addresses: input.addresses.map((a, i) => ({ ...a, id: a.id ?? `ad${i}` })),
    units: [],
  };
}

const existing: CustomerDetail = detailFrom(
  {
    kind: 'company',
    name: '上海宏达机电有限公司',
    note: '',
    contacts: [
      { id: 'ct-1', name: '李工', phone: '13812345678', title: '设备科' },
      { id: 'ct-2', name: '赵经理', phone: '021-61234567', title: '' },
    ],
    addresses: [
      {
        id: 'ad-1',
        province: '上海市',
        city: '上海市',
        district: '浦东新区',
        detail: '张江路 88 号',
      },
    ],
  },
  'cust-9',
  4,
);

describe('CustomerForm', () => {
  it('creates a customer with the CustomerInput of the contract', async () => {
    const calls = fakeCore({
      create_customer: (a) => detailFrom(a.input as CustomerInput),
    });
    const onSaved = vi.fn();
    render(CustomerForm, { onSaved, onCancel: vi.fn() });

    await fireEvent.change(screen.getByTestId('customer-kind'), { target: { value: 'person' } });
    await type('customer-name', '张伟');
    await type('contact-name-0', '张伟');
    await type('contact-phone-0', '13900001111');
    await type('address-province-0', '江苏省');
    await type('address-city-0', '苏州市');
    await type('address-district-0', '工业园区');
    await type('address-detail-0', '星湖街 328 号');
    await fireEvent.click(screen.getByTestId('contact-add')); // a blank row is sent; the core skips it
    await fireEvent.click(screen.getByTestId('customer-save'));

    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({
      cmd: 'create_customer',
      args: {
        input: {
          kind: 'person',
          name: '张伟',
          note: '',
          contacts: [
            { id: null, name: '张伟', phone: '13900001111', title: '' },
            { id: null, name: '', phone: '', title: '' },
          ],
          addresses: [
            {
              id: null,
              province: '江苏省',
              city: '苏州市',
              district: '工业园区',
              detail: '星湖街 328 号',
            },
          ],
        },
      },
    });
  });

  it('shows the core’s field errors under the fields and keeps what was typed', async () => {
    fakeCore({
      create_customer: () => {
        throw validation([
          { field: 'name', rule: 'too_long', params: { max: '40' } },
          { field: 'contacts.0.phone', rule: 'invalid_phone', params: {} },
        ]);
      },
    });
    const onSaved = vi.fn();
    render(CustomerForm, { onSaved, onCancel: vi.fn() });
    await type('customer-name', '某某');
    await type('contact-phone-0', '12345');
    await fireEvent.click(screen.getByTestId('customer-save'));

    const phoneError = await screen.findByTestId('field-error-contacts.0.phone');
    expect(phoneError.textContent).toContain('11 位手机号');
    expect(screen.getByTestId('field-error-name').textContent).toContain('最多 40 个字符');
    expect(screen.getByTestId('form-error').textContent).toContain('有 2 处需要修改');
    expect((screen.getByTestId('contact-phone-0') as HTMLInputElement).value).toBe('12345');
    expect((screen.getByTestId('customer-name') as HTMLInputElement).value).toBe('某某');
    expect(screen.getByTestId('contact-phone-0').getAttribute('aria-invalid')).toBe('true');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('shows an issue on the row it names, blank rows counted', async () => {
    fakeCore({
      create_customer: () => {
        throw validation([{ field: 'contacts.1.phone', rule: 'invalid_phone', params: {} }]);
      },
    });
    render(CustomerForm, { onSaved: vi.fn(), onCancel: vi.fn() });
    await type('customer-name', '某某');
    await fireEvent.click(screen.getByTestId('contact-add'));
    await type('contact-phone-1', '999'); // row 0 stays blank
    await fireEvent.click(screen.getByTestId('customer-save'));
    expect(await screen.findByTestId('field-error-contacts.1.phone')).toBeTruthy();
    expect(screen.queryByTestId('field-error-contacts.0.phone')).toBeNull();
  });

  it('shows a whole-list issue above the contact rows', async () => {
    fakeCore({
      create_customer: () => {
        throw validation([{ field: 'contacts', rule: 'need_phone', params: {} }]);
      },
    });
    render(CustomerForm, { onSaved: vi.fn(), onCancel: vi.fn() });
    await fireEvent.click(screen.getByTestId('customer-save'));
    expect((await screen.findByTestId('field-error-contacts')).textContent).toContain('联系电话');
  });

  it('edits: sends the whole input with existing ids and the rev', async () => {
    const calls = fakeCore({
      update_customer: (a) => detailFrom(a.input as CustomerInput, 'cust-9', 5),
    });
    const onSaved = vi.fn();
    render(CustomerForm, { detail: existing, onSaved, onCancel: vi.fn() });
    expect((screen.getByTestId('customer-name') as HTMLInputElement).value).toBe(
      '上海宏达机电有限公司',
    );
    await type('contact-phone-1', '021-61234568');
    await fireEvent.click(screen.getByTestId('customer-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls[0].cmd).toBe('update_customer');
    expect(calls[0].args).toEqual({
      id: 'cust-9',
      rev: 4,
      input: {
        kind: 'company',
        name: '上海宏达机电有限公司',
        note: '',
        contacts: [
          { id: 'ct-1', name: '李工', phone: '13812345678', title: '设备科' },
          { id: 'ct-2', name: '赵经理', phone: '021-61234568', title: '' },
        ],
        addresses: [
          {
            id: 'ad-1',
            province: '上海市',
            city: '上海市',
            district: '浦东新区',
            detail: '张江路 88 号',
          },
        ],
      },
    });
  });

  it('on a conflict tells the user someone else changed it and offers to reload', async () => {
    fakeCore({
      update_customer: () => {
        throw failure('conflict');
      },
    });
    const onReload = vi.fn();
    render(CustomerForm, { detail: existing, onSaved: vi.fn(), onCancel: vi.fn(), onReload });
    await fireEvent.click(screen.getByTestId('customer-save'));
    const banner = await screen.findByTestId('form-error');
    expect(banner.textContent).toContain('刚被其他人修改过');
    await fireEvent.click(screen.getByTestId('customer-reload'));
    expect(onReload).toHaveBeenCalled();
  });

  it('moves on with Enter and saves with Ctrl+S; Esc cancels', async () => {
    const calls = fakeCore({ create_customer: (a) => detailFrom(a.input as CustomerInput) });
    const onCancel = vi.fn();
    const onSaved = vi.fn();
    render(CustomerForm, { onSaved, onCancel });
    const name = screen.getByTestId('customer-name');
    await waitFor(() => expect(document.activeElement).toBe(name));
    await type('customer-name', '陈静');
    await fireEvent.keyDown(name, { key: 'Enter' });
    expect(document.activeElement).toBe(screen.getByTestId('customer-note'));
    await fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(document.activeElement).toBe(screen.getByTestId('contact-name-0'));
    await fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(document.activeElement).toBe(screen.getByTestId('contact-phone-0'));
    expect(calls).toHaveLength(0);

    await fireEvent.keyDown(document.activeElement!, { key: 's', ctrlKey: true });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls[0].cmd).toBe('create_customer');

    await fireEvent.keyDown(name, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalled();
  });
});
