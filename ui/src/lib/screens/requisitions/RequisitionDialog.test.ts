import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { RequisitionInput } from '$lib/bindings/RequisitionInput';
import RequisitionDialog from './RequisitionDialog.svelte';
import { fakeCore, validation } from '../../../test/ipc';
import { board, locations, part, requisition } from '../../../test/parts';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

const catalog = [part(), board];

function core(extra: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  return fakeCore({
    locations_list: () => locations,
    stock_list: () => [{ part: part(), locationId: 'l-main', locationName: '主仓库', qty: 8 }],
    parts_list: (a) =>
      catalog.filter((p) => p.code.includes(String(a.query)) || p.name.includes(String(a.query))),
    ...extra,
  });
}

/** Types into a line's picker and takes the only (or first) match with Enter. */
async function pick(i: number, text: string) {
  const box = screen.getByTestId(`req-part-${i}`);
  await fireEvent.input(box, { target: { value: text } });
  await screen.findAllByTestId('part-option');
  await fireEvent.keyDown(box, { key: 'Enter' });
}

describe('RequisitionDialog', () => {
  it('builds a RequisitionInput from the location, the chosen parts and their quantities', async () => {
    const calls = core({ req_request: () => requisition() });
    const onDone = vi.fn();
    render(RequisitionDialog, {
      workOrderId: 'wo-1',
      number: 'SH01-GD-2026-000007',
      onDone,
      onCancel: vi.fn(),
    });
    await waitFor(() =>
      expect((screen.getByTestId('req-location') as HTMLSelectElement).value).toBe('l-main'),
    );
    // the scrap holding area issues nothing: it is not offered
    expect(screen.getByTestId('req-location').querySelectorAll('option')).toHaveLength(2);

    await pick(0, 'CAP');
    await waitFor(() => expect(screen.getByTestId('req-available-0').textContent).toContain('8'));
    await type('req-qty-0', '3');
    await fireEvent.click(screen.getByTestId('req-add-line'));
    await pick(1, '主板');
    await type('req-qty-1', '1');
    await type('req-purpose', '更换主板和电容');
    await fireEvent.click(screen.getByTestId('req-save'));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls.find((c) => c.cmd === 'req_request')?.args).toEqual({
      input: {
        workOrderId: 'wo-1',
        locationId: 'l-main',
        purpose: '更换主板和电容',
        lines: [
          { partId: 'p-cap', qty: 3 },
          { partId: 'p-pcb', qty: 1 },
        ],
      } satisfies RequisitionInput,
    });
  });

  it('shows the core’s issues on the line they name', async () => {
    core({
      req_request: () => {
        throw validation([
          { field: 'lines.0.partId', rule: 'unknown_reference', params: {} },
          { field: 'lines.0.qty', rule: 'out_of_range', params: { min: '1', max: '10000' } },
        ]);
      },
    });
    render(RequisitionDialog, {
      workOrderId: 'wo-1',
      number: 'SH01-GD-2026-000007',
      onDone: vi.fn(),
      onCancel: vi.fn(),
    });
    await type('req-qty-0', '0');
    await fireEvent.click(screen.getByTestId('req-save'));
    expect((await screen.findByTestId('field-error-lines.0.partId')).textContent).toContain(
      '请从列表中选择一个配件',
    );
    expect(screen.getByTestId('field-error-lines.0.qty').textContent).toContain('1 到 10000');
    expect(screen.getByTestId('req-part-0').getAttribute('aria-invalid')).toBe('true');
  });

  it('catches a quantity that is not a whole number before sending', async () => {
    const calls = core();
    render(RequisitionDialog, {
      workOrderId: 'wo-1',
      number: 'SH01-GD-2026-000007',
      onDone: vi.fn(),
      onCancel: vi.fn(),
    });
    await type('req-qty-0', '1.5');
    await fireEvent.click(screen.getByTestId('req-save'));
    expect((await screen.findByTestId('field-error-lines.0.qty')).textContent).toContain('整数');
    expect(calls.some((c) => c.cmd === 'req_request')).toBe(false);
  });
});
