import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { CatalogPartInput } from '$lib/api/parts';
import PartForm from './PartForm.svelte';
import { fakeCore, validation } from '../../../test/ipc';
import { part } from '../../../test/parts';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe('PartForm', () => {
  it('sends the price typed in yuan as integer fen, with the whole numbers and serial tracking', async () => {
    const calls = fakeCore({
      parts_create: (a) => ({ ...(a.input as CatalogPartInput), id: 'p-1', rev: 1 }),
    });
    const onSaved = vi.fn();
    render(PartForm, { onSaved, onCancel: vi.fn() });
    await type('part-code', 'pcb-in');
    await type('part-name', '室内机主板');
    await type('part-model', 'KFR-35GW 主控板');
    await type('part-unit', '块');
    await type('part-price', '1,234.5');
    await type('part-warranty', '12');
    await type('part-reorder', '2');
    await fireEvent.click(screen.getByTestId('part-serial-tracked'));
    await fireEvent.click(screen.getByTestId('part-save'));

    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(calls.find((c) => c.cmd === 'parts_create')?.args).toEqual({
      input: {
        code: 'pcb-in',
        name: '室内机主板',
        model: 'KFR-35GW 主控板',
        unit: '块',
        priceFen: 123450,
        warrantyMonths: 12,
        reorderPoint: 2,
        serialTracked: true,
        active: true,
      } satisfies CatalogPartInput,
    });
  });

  it('edits with the rev it was opened with, showing the stored price in yuan', async () => {
    const calls = fakeCore({ parts_update: (a) => ({ ...part(), ...(a.input as object) }) });
    render(PartForm, { part: part({ rev: 4 }), onSaved: vi.fn(), onCancel: vi.fn() });
    expect((screen.getByTestId('part-price') as HTMLInputElement).value).toBe('45');
    await type('part-price', '0.29');
    await fireEvent.click(screen.getByTestId('part-save'));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'parts_update')).toBe(true));
    const args = calls.find((c) => c.cmd === 'parts_update')!.args;
    expect(args.id).toBe('p-cap');
    expect(args.rev).toBe(4);
    expect((args.input as CatalogPartInput).priceFen).toBe(29);
  });

  it('catches a price that is not a number, and says a taken code is the part’s code', async () => {
    const calls = fakeCore({
      parts_create: () => {
        throw validation([{ field: 'code', rule: 'duplicate', params: {} }]);
      },
    });
    render(PartForm, { onSaved: vi.fn(), onCancel: vi.fn() });
    await type('part-code', 'CAP-35');
    await type('part-price', '4o');
    await fireEvent.click(screen.getByTestId('part-save'));
    expect((await screen.findByTestId('field-error-priceFen')).textContent).toContain(
      '金额格式不对',
    );
    expect(calls).toHaveLength(0);
    await type('part-price', '45');
    await fireEvent.click(screen.getByTestId('part-save'));
    const code = await screen.findByTestId('field-error-code');
    expect(code.textContent).toContain('编码已被另一个配件使用');
    expect(code.textContent).not.toContain('站点');
  });
});
