import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { WorkInput } from '$lib/bindings/WorkInput';
import WorkForm from './WorkForm.svelte';
import { fakeCore, validation } from '../../../test/ipc';
import { board } from '../../../test/parts';
import { detail } from '../../../test/workOrders';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe('WorkForm', () => {
  it('sends amounts typed in yuan as integer fen, with the warranty choice and consent', async () => {
    const submit = vi.fn(async (_: WorkInput) => {});
    render(WorkForm, { detail: detail({}, { state: 'onSite' }), submit, onCancel: vi.fn() });

    await type('work-done', '更换启动电容');
    await fireEvent.click(screen.getByTestId('part-add'));
    await type('part-name-0', '启动电容');
    await type('part-model-0', 'CBB65 35μF');
    await type('part-qty-0', '2');
    await type('part-price-0', '45.5');
    await fireEvent.change(screen.getByTestId('part-warranty-0'), { target: { value: 'out' } });
    await fireEvent.click(screen.getByTestId('part-consent-0'));
    await fireEvent.click(screen.getByTestId('part-add'));
    await type('part-name-1', '密封圈');
    await type('part-price-1', '0.29');
    await fireEvent.click(screen.getByTestId('fee-add'));
    await type('fee-desc-0', '上门服务费');
    await type('fee-amount-0', '1,050');
    await fireEvent.change(screen.getByTestId('work-result'), { target: { value: 'passed' } });
    await fireEvent.click(screen.getByTestId('work-instructions'));
    await type('work-opinion', '满意');
    await fireEvent.change(screen.getByTestId('work-satisfaction'), { target: { value: '4' } });
    await fireEvent.click(screen.getByTestId('work-save'));

    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit.mock.calls[0][0]).toEqual({
      workDone: '更换启动电容',
      parts: [
        {
          name: '启动电容',
          model: 'CBB65 35μF',
          qty: 2,
          unitPriceFen: 4550,
          inWarranty: false,
          consent: true,
        },
        { name: '密封圈', model: '', qty: 1, unitPriceFen: 29, inWarranty: null, consent: false },
      ],
      fees: [{ description: '上门服务费', amountFen: 105000 }],
      result: 'passed',
      instructionsGiven: true,
      customerOpinion: '满意',
      satisfaction: 4,
    } satisfies WorkInput);
  });

  it('catches an amount that is not a number before sending anything', async () => {
    const submit = vi.fn(async () => {});
    render(WorkForm, { detail: detail({}, { state: 'onSite' }), submit, onCancel: vi.fn() });
    await fireEvent.click(screen.getByTestId('fee-add'));
    await type('fee-desc-0', '上门费');
    await type('fee-amount-0', '5o');
    await fireEvent.click(screen.getByTestId('part-add'));
    await type('part-name-0', '电容');
    await type('part-qty-0', '1.5');
    await fireEvent.click(screen.getByTestId('work-save'));
    expect((await screen.findByTestId('field-error-fees.0.amountFen')).textContent).toContain(
      '金额格式不对',
    );
    expect(screen.getByTestId('field-error-parts.0.qty').textContent).toContain('整数');
    expect(screen.getByTestId('fee-amount-0').getAttribute('aria-invalid')).toBe('true');
    expect(submit).not.toHaveBeenCalled();
  });

  it('shows the core’s issues on the row and column they name, e.g. a part without consent', async () => {
    const submit = vi.fn(async () => {
      throw validation([
        { field: 'parts.0.consent', rule: 'consent_missing', params: { part: '压缩机' } },
        {
          field: 'fees.0.amountFen',
          rule: 'out_of_range',
          params: { min: '0', max: '1000000000' },
        },
      ]);
    });
    const d = detail(
      {},
      {
        state: 'onSite',
        parts: [
          {
            name: '压缩机',
            model: 'QXA-B141',
            qty: 1,
            unitPriceFen: 98000,
            inWarranty: true,
            consent: false,
            chargedFen: 0,
            partId: null,
            newSerial: '',
            faultySerial: '',
          },
        ],
        fees: [{ description: '上门费', amountFen: 5000 }],
      },
    );
    render(WorkForm, { detail: d, submit, onCancel: vi.fn() });
    // the stored record is shown in yuan; a part following the unit's warranty shows as "auto"
    expect((screen.getByTestId('part-price-0') as HTMLInputElement).value).toBe('980');
    expect((screen.getByTestId('part-warranty-0') as HTMLSelectElement).value).toBe('auto');
    expect((screen.getByTestId('fee-amount-0') as HTMLInputElement).value).toBe('50');
    await fireEvent.click(screen.getByTestId('work-save'));
    const consent = await screen.findByTestId('field-error-parts.0.consent');
    expect(consent.textContent).toContain('更换“压缩机”尚未征得客户同意');
    expect(screen.getByTestId('part-consent-0').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('field-error-fees.0.amountFen').textContent).toContain('超出范围');
  });

  it('opens on a refused receipt with the issue already shown', async () => {
    const initialError = validation([
      { field: 'parts.0.consent', rule: 'consent_missing', params: { part: '电容' } },
    ]);
    const d = detail(
      {},
      {
        state: 'onSite',
        parts: [
          {
            name: '电容',
            model: '',
            qty: 1,
            unitPriceFen: 100,
            inWarranty: false,
            consent: false,
            chargedFen: 100,
            partId: null,
            newSerial: '',
            faultySerial: '',
          },
        ],
      },
    );
    render(WorkForm, { detail: d, submit: vi.fn(), onCancel: vi.fn(), initialError });
    expect(screen.getByTestId('field-error-parts.0.consent')).toBeTruthy();
    expect(screen.getByTestId('form-error').textContent).toContain('回执单未能出具');
    expect((screen.getByTestId('part-warranty-0') as HTMLSelectElement).value).toBe('out');
  });
});

describe('WorkForm catalog parts', () => {
  it('fills a line from the catalog, ties it to the part and asks serials of a tracked part', async () => {
    fakeCore({ parts_list: () => [board] });
    const submit = vi.fn(async (_: WorkInput) => {});
    render(WorkForm, { detail: detail({}, { state: 'onSite' }), submit, onCancel: vi.fn() });
    await fireEvent.click(screen.getByTestId('part-add'));
    expect(screen.queryByTestId('part-new-serial-0')).toBeNull();
    await type('part-catalog-0', 'PCB');
    await fireEvent.mouseDown(await screen.findByTestId('part-option'));
    expect((screen.getByTestId('part-name-0') as HTMLInputElement).value).toBe('室内机主板');
    expect((screen.getByTestId('part-model-0') as HTMLInputElement).value).toBe('KFR-35GW 主控板');
    expect((screen.getByTestId('part-price-0') as HTMLInputElement).value).toBe('380');
    await type('part-new-serial-0', 'PCB0001');
    await type('part-faulty-serial-0', 'OLD-77');
    await fireEvent.click(screen.getByTestId('part-consent-0'));
    await fireEvent.click(screen.getByTestId('work-save'));

    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit.mock.calls[0][0].parts).toEqual([
      {
        name: '室内机主板',
        model: 'KFR-35GW 主控板',
        qty: 1,
        unitPriceFen: 38000,
        inWarranty: null,
        consent: true,
        partId: 'p-pcb',
        newSerial: 'PCB0001',
        faultySerial: 'OLD-77',
      },
    ]);
  });

  it('keeps a stored line’s catalog part and shows its serials', async () => {
    const calls = fakeCore({
      stock_balance: () => ({ part: board, onHand: 1, byLocation: [], serialsInStock: [] }),
    });
    const submit = vi.fn(async (_: WorkInput) => {});
    const d = detail(
      {},
      {
        state: 'onSite',
        parts: [
          {
            name: '室内机主板',
            model: 'KFR-35GW 主控板',
            qty: 1,
            unitPriceFen: 38000,
            inWarranty: true,
            consent: true,
            chargedFen: 0,
            partId: 'p-pcb',
            newSerial: 'PCB0001',
            faultySerial: '',
          },
        ],
      },
    );
    render(WorkForm, { detail: d, submit, onCancel: vi.fn() });
    expect((screen.getByTestId('part-new-serial-0') as HTMLInputElement).value).toBe('PCB0001');
    await waitFor(() =>
      expect((screen.getByTestId('part-catalog-0') as HTMLInputElement).value).toBe(
        'PCB-IN 室内机主板',
      ),
    );
    expect(calls[0]).toEqual({ cmd: 'stock_balance', args: { partId: 'p-pcb' } });
    await fireEvent.click(screen.getByTestId('work-save'));
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit.mock.calls[0][0].parts[0]).toMatchObject({
      partId: 'p-pcb',
      newSerial: 'PCB0001',
    });
  });
});
