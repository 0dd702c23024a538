import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { RequisitionState } from '$lib/bindings/RequisitionState';
import ApprovalsPage from './ApprovalsPage.svelte';
import { failure, fakeCore, status, validation } from '../../../test/ipc';
import { requisition, scrap, stocktake } from '../../../test/parts';
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
    stocktake_list: () => [],
    scrap_list: () => [],
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

  it('reviews scrap, and says a reviewer does not also approve', async () => {
    session.apply(status({ user: { ...status().user!, role: 'supervisor' } }));
    const reviewed = scrap({ id: 'sc-2', state: 'reviewed', rev: 2, reviewedByName: '刘洋' });
    const calls = core({
      scrap_list: (a) =>
        a.stateFilter === 'submitted' ? [scrap()] : a.stateFilter === 'reviewed' ? [reviewed] : [],
      scrap_review: () => ({ ...scrap(), state: 'reviewed', rev: 2 }),
      scrap_approve: () => {
        throw validation([{ field: 'approve', rule: 'same_approver', params: { step: 'review' } }]);
      },
    });
    render(ApprovalsPage);
    await fireEvent.click(await screen.findByTestId('scrap-review-ok'));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'scrap_review')?.args).toEqual({
        id: 'sc-1',
        rev: 1,
        approve: true,
        comment: '',
      }),
    );
    await fireEvent.click(screen.getByTestId('scrap-approve-ok'));
    const banner = await screen.findByTestId('form-error');
    expect(banner.textContent).toContain('审核和批准须由两个不同的人完成');
    expect(banner.querySelector('li')).toBeNull();
  });

  it('rejects scrap at review with a reason', async () => {
    session.apply(status({ user: { ...status().user!, role: 'warehouseKeeper' } }));
    const calls = core({
      scrap_list: (a) => (a.stateFilter === 'submitted' ? [scrap()] : []),
      scrap_review: () => ({ ...scrap(), state: 'rejected', rev: 2 }),
    });
    render(ApprovalsPage);
    // a warehouse keeper reviews but never gives the final approval
    expect(screen.queryByTestId('scrap-approve-empty')).toBeNull();
    await fireEvent.click(await screen.findByTestId('scrap-review-reject'));
    await fireEvent.input(await screen.findByTestId('reject-comment'), {
      target: { value: '还能修' },
    });
    await fireEvent.click(screen.getByTestId('reject-save'));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'scrap_review')?.args).toEqual({
        id: 'sc-1',
        rev: 1,
        approve: false,
        comment: '还能修',
      }),
    );
  });

  it('posts a submitted stocktake and shows its count sheet', async () => {
    session.apply(status({ user: { ...status().user!, role: 'supervisor' } }));
    const sheet = doc({
      id: 'd-pd',
      form: 'countSheet',
      number: 'SH01-PD-2026-000001',
      revision: 2,
    });
    const submitted = stocktake({
      state: 'submitted',
      rev: 4,
      lines: [{ ...stocktake().lines[0], countedQty: 21, difference: -2, reason: '破损' }],
    });
    const calls = core({
      stocktake_list: () => [submitted],
      stocktake_post: () => ({ ...submitted, state: 'posted', rev: 5, documents: [sheet] }),
      doc_pdf: () => new ArrayBuffer(8),
    });
    render(ApprovalsPage);
    const row = await screen.findByTestId('stocktake-decide-row');
    expect(row.textContent).toContain('23 → 21');
    expect(row.textContent).toContain('破损');
    await fireEvent.click(screen.getByTestId('stocktake-post'));
    await screen.findByTestId('pdf-preview');
    expect(calls.find((c) => c.cmd === 'stocktake_post')?.args).toEqual({ id: 'st-1', rev: 4 });
  });
});
