import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { Reconciliation } from '$lib/bindings/Reconciliation';
import WorkOrderRequisitions from './WorkOrderRequisitions.svelte';
import { fakeCore, status } from '../../../test/ipc';
import { requisition } from '../../../test/parts';
import { doc } from '../../../test/workOrders';
import { session } from '$lib/state/session.svelte';

const slip = doc({ id: 'd-slip', form: 'requisitionSlip', number: 'SH01-LY-2026-000001' });
const issued = requisition({ state: 'issued', rev: 3, documents: [slip] });
const rows: Reconciliation[] = [
  {
    partId: 'p-pcb',
    code: 'PCB-IN',
    name: '室内机主板',
    issued: 2,
    returned: 0,
    used: 2,
    difference: 0,
  },
  {
    partId: 'p-cap',
    code: 'CAP-35',
    name: '启动电容',
    issued: 3,
    returned: 0,
    used: 1,
    difference: 2,
  },
];

function props(over: Record<string, unknown> = {}) {
  return {
    workOrderId: 'wo-1',
    number: 'SH01-GD-2026-000007',
    open: true,
    version: 1,
    onPreview: vi.fn(),
    ...over,
  };
}

describe('WorkOrderRequisitions', () => {
  it('lists the order’s requisitions with their slip and highlights a difference', async () => {
    session.apply(status());
    const p = props();
    fakeCore({ req_list: () => [issued], req_reconcile: () => rows });
    render(WorkOrderRequisitions, p);
    const card = await screen.findByTestId('wo-req-row');
    expect(card.getAttribute('data-state')).toBe('issued');
    await fireEvent.click(screen.getByTestId('wo-req-slip'));
    expect(p.onPreview).toHaveBeenCalledWith(slip);
    const recon = screen.getAllByTestId('reconcile-row');
    expect(recon.map((r) => r.getAttribute('data-difference'))).toEqual(['0', '2']);
    expect(recon[1].classList.contains('differs')).toBe(true);
    expect(screen.queryByTestId('reconcile-return-0')).toBeNull();
    expect(screen.getByTestId('reconcile-return-1')).toBeTruthy();
  });

  it('returns the unused parts against the requisition they were issued on', async () => {
    session.apply(status());
    const calls = fakeCore({
      req_list: () => [issued],
      req_reconcile: () => rows,
      req_return_unused: () => null,
    });
    render(WorkOrderRequisitions, props());
    await fireEvent.click(await screen.findByTestId('reconcile-return-1'));
    expect((screen.getByTestId('unused-qty') as HTMLInputElement).value).toBe('2');
    await fireEvent.input(screen.getByTestId('unused-note'), { target: { value: '未拆封' } });
    await fireEvent.click(screen.getByTestId('unused-save'));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'req_return_unused')?.args).toEqual({
        input: { requisitionId: 'r-1', partId: 'p-cap', qty: 2, serials: [], note: '未拆封' },
      }),
    );
    expect((await screen.findByTestId('req-notice')).textContent).toContain('已退回 2 件');
  });

  it('offers no new requisition on a closed order, nor stock steps to a technician', async () => {
    session.apply(status({ user: { ...status().user!, role: 'technician' } }));
    fakeCore({ req_list: () => [issued], req_reconcile: () => rows });
    const { unmount } = render(WorkOrderRequisitions, props());
    await screen.findByTestId('wo-req-row');
    expect(screen.getByTestId('wo-request-parts')).toBeTruthy();
    expect(screen.queryByTestId('reconcile-return-1')).toBeNull();
    unmount();
    render(WorkOrderRequisitions, props({ open: false }));
    await screen.findByTestId('wo-req-row');
    expect(screen.queryByTestId('wo-request-parts')).toBeNull();
  });
});
