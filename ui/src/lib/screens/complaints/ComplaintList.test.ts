import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { ComplaintFilter } from '$lib/bindings/ComplaintFilter';
import type { ComplaintRow } from '$lib/bindings/ComplaintRow';
import ComplaintList from './ComplaintList.svelte';
import EscalationsPage from './EscalationsPage.svelte';
import { fakeCore, status } from '../../../test/ipc';
import { session } from '$lib/state/session.svelte';

const row = (over: Partial<ComplaintRow> = {}): ComplaintRow => ({
  id: 'cp-1',
  number: 'SH01-TS-2026-000004',
  kind: 'service',
  level: 2,
  stage: 'assigned',
  customerName: '武汉华润酒店管理有限公司',
  complainant: '刘经理',
  content: '维修人员态度恶劣',
  ownerName: '王芳',
  receivedAt: '2026-03-02T01:00:00Z',
  closedAt: null,
  nextDueAt: '2026-03-05T01:00:00Z',
  paused: true,
  ...over,
});

describe('ComplaintList', () => {
  it('lists complaints and filters them, 50 a page', async () => {
    session.apply(status());
    const calls = fakeCore({
      complaint_list: (a) =>
        (a.filter as ComplaintFilter).open === false
          ? { rows: [], total: 0 }
          : { rows: [row()], total: 51 },
    });
    render(ComplaintList, { debounceMs: 0 });
    const r = await screen.findByTestId('complaint-row');
    expect(r.dataset.number).toBe('SH01-TS-2026-000004');
    expect(r.textContent).toContain('刘经理');
    expect(r.textContent).toContain('暂停中');
    expect(calls[0].args.filter).toEqual({
      text: null,
      open: null,
      level: null,
      kind: null,
      customerId: null,
      from: null,
      to: null,
      limit: 50,
      offset: 0,
    });
    await fireEvent.click(screen.getByTestId('page-next'));
    await waitFor(() => expect((calls[1].args.filter as ComplaintFilter).offset).toBe(50));

    await fireEvent.change(screen.getByTestId('complaints-filter-level'), {
      target: { value: '2' },
    });
    await fireEvent.change(screen.getByTestId('complaints-filter-open'), {
      target: { value: 'closed' },
    });
    await screen.findByTestId('complaints-empty');
    expect(calls[calls.length - 1].args.filter).toMatchObject({ level: 2, open: false, offset: 0 });
  });
});

describe('EscalationsPage', () => {
  it('shows the clocks and the levels in words, open ones first by default', async () => {
    session.apply(status());
    const calls = fakeCore({
      complaint_escalations: () => [
        {
          complaintId: 'cp-1',
          number: 'SH01-TS-2026-000004',
          customerName: '张伟',
          at: '2026-03-03T01:00:00Z',
          clocks: ['accept', 'respond'],
          fromLevel: 2,
          toLevel: 3,
          group: 'management',
          stage: 'recorded',
          open: true,
        },
      ],
    });
    render(EscalationsPage);
    const r = await screen.findByTestId('escalation-row');
    expect(r.textContent).toContain('受理时限、首次答复时限');
    expect(r.textContent).toContain('二级（一般） → 三级（严重）');
    expect(r.textContent).toContain('管理层协调');
    expect(calls[0].args).toEqual({ openOnly: true });
    await fireEvent.click(screen.getByTestId('escalations-open-only'));
    await waitFor(() => expect(calls[1]?.args).toEqual({ openOnly: false }));
  });
});
