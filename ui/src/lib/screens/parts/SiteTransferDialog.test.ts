import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { PartStock } from '$lib/bindings/PartStock';
import type { SiteTransfer } from '$lib/bindings/SiteTransfer';
import type { SiteTransferInput } from '$lib/bindings/SiteTransferInput';
import PartPage from './PartPage.svelte';
import SiteTransferDialog from './SiteTransferDialog.svelte';
import { session } from '$lib/state/session.svelte';
import { fakeCore, status, validation } from '../../../test/ipc';
import { board, locations, part } from '../../../test/parts';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

const stores = locations.filter((l) => l.kind === 'store');

function stockOf(p = part()): PartStock {
  return {
    part: p,
    onHand: 8,
    byLocation: [
      { locationId: 'l-main', locationName: '主仓库', kind: 'store', qty: 6 },
      { locationId: 'l-van', locationName: '服务车 1', kind: 'store', qty: 2 },
    ],
    serialsInStock: p.serialTracked ? ['PCB0001', 'PCB0002'] : [],
  };
}

function sent(input: SiteTransferInput): SiteTransfer {
  const p = part();
  return {
    id: 't-1',
    direction: 'out',
    reference: 'SH01-DB-2026-000001',
    otherSite: input.otherSite.toUpperCase(),
    partId: input.partId,
    partCode: p.code,
    partName: p.name,
    locationId: input.locationId,
    qty: input.qty,
    serials: input.serials,
    note: input.note,
    at: '2026-03-01T02:00:00Z',
  };
}

describe('SiteTransferDialog', () => {
  it('sends the quantity and the site code as typed, from the fullest location', async () => {
    const calls = fakeCore({ transfers_send: (a) => sent(a.input as SiteTransferInput) });
    const onDone = vi.fn();
    render(SiteTransferDialog, {
      mode: 'send',
      stock: stockOf(),
      locations: stores,
      onDone,
      onCancel: vi.fn(),
    });
    expect(screen.queryByTestId('rsite-reference')).toBeNull();
    expect(screen.queryByTestId('send-serials')).toBeNull();
    await type('send-site', 'hz02');
    await type('send-qty', '2');
    await type('send-note', 'SF1234567890');
    await fireEvent.click(screen.getByTestId('send-save'));

    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls[0]).toEqual({
      cmd: 'transfers_send',
      args: {
        input: {
          partId: 'p-cap',
          locationId: 'l-main',
          otherSite: 'hz02',
          qty: 2,
          serials: [],
          note: 'SF1234567890',
          reference: '',
        } satisfies SiteTransferInput,
      },
    });
    expect(onDone.mock.calls[0][0].reference).toBe('SH01-DB-2026-000001');
  });

  it('lists one serial per line for a serial-tracked part', async () => {
    const calls = fakeCore({ transfers_send: (a) => sent(a.input as SiteTransferInput) });
    render(SiteTransferDialog, {
      mode: 'send',
      stock: stockOf(board),
      locations: stores,
      onDone: vi.fn(),
      onCancel: vi.fn(),
    });
    await type('send-site', 'HZ02');
    await type('send-qty', '2');
    await type('send-serials', ' PCB0001 \n\nPCB0002\n');
    await fireEvent.click(screen.getByTestId('send-save'));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect((calls[0].args.input as SiteTransferInput).serials).toEqual(['PCB0001', 'PCB0002']);
  });

  it('shows the core’s issue about the site code under the field', async () => {
    fakeCore({
      transfers_send: () => {
        throw validation([{ field: 'otherSite', rule: 'duplicate', params: {} }]);
      },
    });
    render(SiteTransferDialog, {
      mode: 'send',
      stock: stockOf(),
      locations: stores,
      onDone: vi.fn(),
      onCancel: vi.fn(),
    });
    await type('send-site', 'SH01');
    await type('send-qty', '1');
    await fireEvent.click(screen.getByTestId('send-save'));
    expect((await screen.findByTestId('field-error-otherSite')).textContent).toContain(
      '这是本站点的代码',
    );
    expect(screen.getByTestId('send-site').getAttribute('aria-invalid')).toBe('true');
  });

  it('shows the transfer number in the part page’s notice after sending', async () => {
    fakeCore({
      stock_balance: () => stockOf(),
      stock_movements: () => [],
      locations_list: () => locations,
      transfers_send: (a) => sent(a.input as SiteTransferInput),
    });
    session.apply(status({ user: { ...status().user!, role: 'warehouseKeeper' } }));
    render(PartPage, { id: 'p-cap' });
    await fireEvent.click(await screen.findByTestId('stock-send-site'));
    await type('send-site', 'HZ02');
    await type('send-qty', '2');
    await fireEvent.click(screen.getByTestId('send-save'));
    const notice = await screen.findByTestId('part-notice');
    expect(notice.textContent).toContain('已发出，调拨单号 SH01-DB-2026-000001');
    expect(screen.getByTestId('part-notice-reference').textContent).toBe('SH01-DB-2026-000001');
    expect(screen.queryByTestId('send-site-dialog')).toBeNull();
  });
});
