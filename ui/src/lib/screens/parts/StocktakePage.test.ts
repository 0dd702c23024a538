import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { StocktakeCount } from '$lib/bindings/StocktakeCount';
import StocktakePage from './StocktakePage.svelte';
import { fakeCore, status, validation } from '../../../test/ipc';
import { part, stocktake } from '../../../test/parts';
import { session } from '$lib/state/session.svelte';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe('StocktakePage', () => {
  it('sends the lines counted so far; serials count a serial-tracked part', async () => {
    session.apply(status({ user: { ...status().user!, role: 'warehouseKeeper' } }));
    const calls = fakeCore({
      stocktake_get: () => stocktake(),
      stocktake_enter_counts: () => stocktake({ rev: 2 }),
    });
    render(StocktakePage, { id: 'st-1' });
    await screen.findByTestId('count-qty-0');
    await type('count-serials-1', 'PCB0001\n');
    expect((screen.getByTestId('count-qty-1') as HTMLInputElement).value).toBe('1');
    expect(screen.getByTestId('count-diff-1').textContent).toContain('-1');
    await type('count-reason-1', '一块找不到');
    await fireEvent.click(screen.getByTestId('count-save'));

    await waitFor(() => expect(calls.some((c) => c.cmd === 'stocktake_enter_counts')).toBe(true));
    expect(calls.find((c) => c.cmd === 'stocktake_enter_counts')!.args).toEqual({
      id: 'st-1',
      rev: 1,
      counts: [
        { partId: 'p-pcb', countedQty: 1, reason: '一块找不到', serials: ['PCB0001'] },
      ] satisfies StocktakeCount[],
    });
  });

  it('puts an issue about the Nth count sent back on its row', async () => {
    session.apply(status({ user: { ...status().user!, role: 'warehouseKeeper' } }));
    fakeCore({
      stocktake_get: () => stocktake(),
      stocktake_enter_counts: () => {
        throw validation([
          { field: 'lines.0.reason', rule: 'required', params: { book: '2', counted: '3' } },
        ]);
      },
    });
    render(StocktakePage, { id: 'st-1' });
    await screen.findByTestId('count-qty-1');
    await type('count-qty-1', '3');
    await fireEvent.click(screen.getByTestId('count-save'));
    const err = await screen.findByTestId('field-error-lines.1.reason');
    expect(err.textContent).toContain('实盘 3 与账面 2 不同');
    expect(screen.getByTestId('count-reason-1').getAttribute('aria-invalid')).toBe('true');
  });

  it('saves what was typed before submitting, and offers no counting to a supervisor', async () => {
    session.apply(status({ user: { ...status().user!, role: 'warehouseKeeper' } }));
    const calls = fakeCore({
      stocktake_get: () => stocktake(),
      stocktake_enter_counts: () => stocktake({ rev: 2 }),
      stocktake_submit: () => stocktake({ rev: 3, state: 'submitted' }),
    });
    render(StocktakePage, { id: 'st-1' });
    await screen.findByTestId('count-qty-0');
    await type('count-qty-0', '23');
    await fireEvent.click(screen.getByTestId('count-submit'));
    await waitFor(() =>
      expect(screen.getByTestId('stocktake-state').getAttribute('data-state')).toBe('submitted'),
    );
    expect(calls.map((c) => c.cmd)).toEqual([
      'stocktake_get',
      'stocktake_enter_counts',
      'stocktake_submit',
    ]);
    expect(calls[2].args).toEqual({ id: 'st-1', rev: 2 });
    expect(screen.queryByTestId('count-qty-0')).toBeNull();
  });

  it('adds a part found that the sheet does not list, and sends it with a book of 0', async () => {
    session.apply(status({ user: { ...status().user!, role: 'warehouseKeeper' } }));
    const calls = fakeCore({
      stocktake_get: () => stocktake(),
      parts_list: () => [part({ id: 'p-ign', code: 'IGN-1', name: '点火针' })],
      stocktake_enter_counts: () => stocktake({ rev: 2 }),
    });
    render(StocktakePage, { id: 'st-1' });
    const box = await screen.findByTestId('count-add-part');
    await fireEvent.input(box, { target: { value: 'IGN' } });
    await fireEvent.mouseDown(await screen.findByTestId('part-option'));
    await waitFor(() => expect(screen.getAllByTestId('count-row')).toHaveLength(3));
    await type('count-qty-2', '2');
    await type('count-reason-2', '车上找到');
    await fireEvent.click(screen.getByTestId('count-save'));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'stocktake_enter_counts')).toBe(true));
    expect(calls.find((c) => c.cmd === 'stocktake_enter_counts')!.args.counts).toEqual([
      { partId: 'p-ign', countedQty: 2, reason: '车上找到', serials: [] },
    ]);
    // not saved by the core (this fake returns the sheet without it): still on screen
    expect(screen.getAllByTestId('count-row')).toHaveLength(3);
  });
});
