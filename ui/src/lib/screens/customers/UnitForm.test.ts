import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { ProductModel } from '$lib/bindings/ProductModel';
import type { UnitInput } from '$lib/bindings/UnitInput';
import type { UnitView } from '$lib/bindings/UnitView';
import UnitForm from './UnitForm.svelte';
import { fakeCore, validation } from '../../../test/ipc';

const models: ProductModel[] = [
  { id: 'm-1', brand: '格力', model: 'KFR-35GW', category: '空调', rev: 1 },
  { id: 'm-2', brand: '美的', model: 'MG100V11D', category: '洗衣机', rev: 1 },
];
const addresses = [
  { id: 'ad-1', province: '江苏省', city: '苏州市', district: '工业园区', detail: '星湖街 328 号' },
];

function view(input: UnitInput): UnitView {
  return {
    unit: { ...input, id: 'u-1', customerId: 'c-1', rev: 1 },
    model: models.find((m) => m.id === input.modelId)!,
    coverage: {
      warrantyEnd: '2027-03-18',
      returnUntil: '2025-04-02',
      exchangeUntil: '2025-04-17',
      status: 'inWarranty',
      returnOpen: false,
      exchangeOpen: false,
      warrantyDaysLeft: 500,
    },
  };
}

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe('UnitForm', () => {
  it('picks the model from the filtered catalog and sends a UnitInput', async () => {
    const calls = fakeCore({
      list_models: () => models,
      create_unit: (a) => view(a.input as UnitInput),
    });
    const onSaved = vi.fn();
    render(UnitForm, { customerId: 'c-1', addresses, onSaved, onCancel: vi.fn() });
    await waitFor(() =>
      expect(screen.getByTestId('unit-model').querySelectorAll('option')).toHaveLength(2),
    );
    await type('unit-model-filter', '格力');
    expect(screen.getByTestId('unit-model').querySelectorAll('option')).toHaveLength(1);
    await type('unit-serial', 'GR2025031800123');
    await type('unit-purchase-date', '2025/3/18');
    await fireEvent.blur(screen.getByTestId('unit-purchase-date'));
    expect((screen.getByTestId('unit-purchase-date') as HTMLInputElement).value).toBe('2025-03-18');
    await type('unit-seller', '苏宁易购园区店');
    await type('unit-install-date', '');
    await fireEvent.keyDown(screen.getByTestId('unit-seller'), { key: 's', ctrlKey: true });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls.find((c) => c.cmd === 'create_unit')?.args).toEqual({
      customerId: 'c-1',
      input: {
        modelId: 'm-1',
        serial: 'GR2025031800123',
        purchaseDate: '2025-03-18',
        seller: '苏宁易购园区店',
        installDate: null,
        addressId: 'ad-1',
        note: '',
      },
    });
  });

  it('adds a new model inline and selects it', async () => {
    const calls = fakeCore({
      list_models: () => models,
      create_model: (a) => ({ ...(a.input as object), id: 'm-3', rev: 1 }),
    });
    render(UnitForm, { customerId: 'c-1', addresses: [], onSaved: vi.fn(), onCancel: vi.fn() });
    await type('unit-model-filter', 'BCD-470');
    await fireEvent.click(screen.getByTestId('unit-new-model'));
    expect((screen.getByTestId('unit-new-model-name') as HTMLInputElement).value).toBe('BCD-470');
    await type('unit-new-brand', '海尔');
    await type('unit-new-category', '冰箱');
    await fireEvent.keyDown(screen.getByTestId('unit-new-category'), { key: 'Enter' });
    await waitFor(() =>
      expect((screen.getByTestId('unit-model') as HTMLSelectElement).value).toBe('m-3'),
    );
    expect(calls.find((c) => c.cmd === 'create_model')?.args).toEqual({
      input: { brand: '海尔', model: 'BCD-470', category: '冰箱' },
    });
    expect(screen.queryByTestId('unit-new-model-panel')).toBeNull();
  });

  it('edits with the unit id and rev, and shows date issues under the dates', async () => {
    const calls = fakeCore({
      list_models: () => models,
      update_unit: () => {
        throw validation([{ field: 'installDate', rule: 'before_purchase', params: {} }]);
      },
    });
    render(UnitForm, {
      customerId: 'c-1',
      addresses,
      unit: {
        id: 'u-7',
        customerId: 'c-1',
        modelId: 'm-2',
        serial: 'MD-1',
        purchaseDate: '2025-03-18',
        seller: '',
        installDate: '2025-03-01',
        addressId: null,
        note: '',
        rev: 3,
      },
      onSaved: vi.fn(),
      onCancel: vi.fn(),
    });
    await fireEvent.click(screen.getByTestId('unit-save'));
    expect((await screen.findByTestId('field-error-installDate')).textContent).toContain(
      '早于购买日期',
    );
    const call = calls.find((c) => c.cmd === 'update_unit')!;
    expect(call.args).toMatchObject({
      id: 'u-7',
      rev: 3,
      input: { modelId: 'm-2', addressId: null },
    });
  });
});
