import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { Inspection } from '$lib/bindings/Inspection';
import type { ReceiptInput } from '$lib/bindings/ReceiptInput';
import ReceiveDialog from './ReceiveDialog.svelte';
import { fakeCore, validation } from '../../../test/ipc';
import { board, locations, part } from '../../../test/parts';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

const stores = locations.filter((l) => l.kind === 'store');

function inspection(input: ReceiptInput): Inspection {
  return { ...input, id: 'i-1', at: '2026-03-01T02:00:00Z' };
}

describe('ReceiveDialog', () => {
  it('lists one serial per line for a serial-tracked part, blank lines left out', async () => {
    const calls = fakeCore({ stock_receive: (a) => inspection(a.input as ReceiptInput) });
    const onDone = vi.fn();
    render(ReceiveDialog, { part: board, locations: stores, onDone, onCancel: vi.fn() });
    await fireEvent.change(screen.getByTestId('receive-location'), { target: { value: 'l-van' } });
    await type('receive-qty', '2');
    await type('receive-supplier', '格力配件中心');
    await type('receive-serials', ' pcb0001 \n\nPCB0002\n');
    expect(screen.getByTestId('receive-serials-count').getAttribute('data-count')).toBe('2');
    await fireEvent.click(screen.getByTestId('receive-save'));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls[0]).toEqual({
      cmd: 'stock_receive',
      args: {
        input: {
          partId: 'p-pcb',
          locationId: 'l-van',
          qty: 2,
          supplier: '格力配件中心',
          passed: true,
          note: '',
          serials: ['pcb0001', 'PCB0002'],
        } satisfies ReceiptInput,
      },
    });
  });

  it('has no serials box for a part counted by quantity', () => {
    fakeCore({});
    render(ReceiveDialog, { part: part(), locations: stores, onDone: vi.fn(), onCancel: vi.fn() });
    expect(screen.queryByTestId('receive-serials')).toBeNull();
  });

  it('shows why a failed inspection needs a note when the core asks for it', async () => {
    const calls = fakeCore({
      stock_receive: () => {
        throw validation([{ field: 'note', rule: 'required', params: {} }]);
      },
    });
    render(ReceiveDialog, { part: part(), locations: stores, onDone: vi.fn(), onCancel: vi.fn() });
    await type('receive-qty', '10');
    await type('receive-supplier', '格力配件中心');
    await fireEvent.change(screen.getByTestId('receive-passed'), { target: { value: 'no' } });
    await fireEvent.click(screen.getByTestId('receive-save'));

    const note = await screen.findByTestId('field-error-note');
    expect(note.textContent).toContain('检验不合格时须写明问题');
    expect(screen.getByTestId('receive-note').getAttribute('aria-invalid')).toBe('true');
    expect((calls[0].args.input as ReceiptInput).passed).toBe(false);
  });

  it('puts the core’s issue about one serial on the serials box, counted from 1', async () => {
    fakeCore({
      stock_receive: () => {
        throw validation([{ field: 'serials.1', rule: 'duplicate', params: {} }]);
      },
    });
    render(ReceiveDialog, { part: board, locations: stores, onDone: vi.fn(), onCancel: vi.fn() });
    await type('receive-qty', '2');
    await type('receive-supplier', 'x');
    await type('receive-serials', 'A1\nA1');
    await fireEvent.click(screen.getByTestId('receive-save'));
    expect((await screen.findByTestId('field-error-serials')).textContent).toContain(
      '第 2 个序列号',
    );
  });
});
