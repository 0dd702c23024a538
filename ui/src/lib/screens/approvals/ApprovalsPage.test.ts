import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { RequisitionState } from '$lib/bindings/RequisitionState';
import ApprovalsPage from './ApprovalsPage.svelte';
import { failure, fakeCore, status, validation } from '../../../test/ipc';
import { requisition } from '../../../test/parts';
import { doc } from '../../../test/workOrders';
import { session } from '$lib/state/session.svelte';

// pdf.js itself is not loaded in unit tests: the preview gets a stand-in document.
vi.mock('$lib/pdf/render', () => ({
  openPdf: async () => ({ numPages: 1, destroy: () => {} }),
  renderPage: async () => {},
}));

const waiting = requisition();
const approved = requisition({
  id: 'r-2',
  state: 'approved',
  rev: 2,
  workOrderNumber: 'SH01-GD-2026-000009',
  decidedByName: '仓库老张',
  decidedAt: '2026-03-01T03:00:00Z',
});

function core(handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  return fakeCore({
    req_list: (a) => {
      const s = a.stateFilter as RequisitionState;
      return s === 'requested' ? [waiting] : s === 'approved' ? [approved] : [];
    },
    ...handlers,
  });
}

describe('ApprovalsPage', () => {
  it('lists requisitions to decide and to issue, with requester, order and lines', async () => {
    session.apply(status({ user: { ...status().user!, role: 'warehouseKeeper' } }));
    core();
    render(ApprovalsPage);
    const row = await screen.findByTestId('approval-row');
    expect(row.textContent).toContain('李技师');
    expect(row.textContent).toContain('SH01-GD-2026-000007');
    expect(row.textContent).toContain('PCB-IN');
    expect(row.textContent).toContain('× 3 个');
    expect(within(screen.getByTestId('issue-row')).getByTestId('issue-go')).toBeTruthy();
  });

  it('approves with one click and rejects with a reason', async () => {
    session.apply(status());
    const calls = core({
      req_approve: () => ({ ...waiting, state: 'approved', rev: 2 }),
      req_reject: () => ({ ...waiting, state: 'rejected', rev: 2 }),
    });
    render(ApprovalsPage);
    await fireEvent.click(await screen.findByTestId('approval-approve'));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'req_approve')?.args).toEqual({
        id: 'r-1',
        rev: 1,
        comment: '',
      }),
    );
    expect((await screen.findByTestId('approvals-notice')).textContent).toContain('已批准');

    await fireEvent.click(screen.getByTestId('approval-reject'));
    await screen.findByTestId('reject-dialog');
    await fireEvent.input(screen.getByTestId('reject-comment'), {
      target: { value: '库存留给紧急工单' },
    });
    await fireEvent.click(screen.getByTestId('reject-save'));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'req_reject')?.args).toEqual({
        id: 'r-1',
        rev: 1,
        comment: '库存留给紧急工单',
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('reject-dialog')).toBeNull());
  });

  it('keeps the reject dialog open when the core wants a reason', async () => {
    session.apply(status());
    core({
      req_reject: () => {
        throw validation([{ field: 'comment', rule: 'required', params: {} }]);
      },
    });
    render(ApprovalsPage);
    await fireEvent.click(await screen.findByTestId('approval-reject'));
    await fireEvent.click(await screen.findByTestId('reject-save'));
    expect((await screen.findByTestId('field-error-comment')).textContent).toContain(
      '驳回时须写明原因',
    );
  });

  it('says to ask a colleague when one approves their own request', async () => {
    session.apply(status());
    core({
      req_approve: () => {
        throw { ...failure('self_approval'), params: { what: 'requisition' } };
      },
    });
    render(ApprovalsPage);
    await fireEvent.click(await screen.findByTestId('approval-approve'));
    const banner = await screen.findByTestId('form-error');
    expect(banner.getAttribute('data-code')).toBe('self_approval');
    expect(banner.textContent).toContain('不能审批自己提交的申请');
  });

  it('issues, then shows the requisition slip', async () => {
    session.apply(status());
    const slip = doc({ id: 'd-slip', form: 'requisitionSlip', number: 'SH01-LY-2026-000001' });
    const calls = core({
      stock_balance: () => ({ part: {}, onHand: 0, byLocation: [], serialsInStock: [] }),
      req_issue: () => ({ ...approved, state: 'issued', rev: 3, documents: [slip] }),
      doc_pdf: () => new ArrayBuffer(8),
    });
    render(ApprovalsPage);
    await fireEvent.click(await screen.findByTestId('issue-go'));
    await fireEvent.input(await screen.findByTestId('issue-serials-0'), {
      target: { value: 'PCB0001\nPCB0002' },
    });
    await fireEvent.click(screen.getByTestId('issue-save'));
    await screen.findByTestId('pdf-preview');
    expect(calls.find((c) => c.cmd === 'req_issue')?.args).toEqual({
      id: 'r-2',
      rev: 2,
      serials: [['PCB0001', 'PCB0002'], []],
    });
    expect(calls.find((c) => c.cmd === 'doc_pdf')?.args).toEqual({ id: 'd-slip' });
  });
});
