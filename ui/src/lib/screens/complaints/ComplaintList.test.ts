import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { ComplaintFilter } from '$lib/bindings/ComplaintFilter';
import type { ComplaintRow } from '$lib/bindings/ComplaintRow';
import ComplaintList from './ComplaintList.svelte';
import EscalationsPage from './EscalationsPage.svelte';
import { fakeCore, flush, knownSites, status } from '../../../test/ipc';
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
  siteCode: 'SH01',
  siteName: '上海浦东服务站',
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
    const lists = () => calls.filter((c) => c.cmd === 'complaint_list');
    render(ComplaintList, { debounceMs: 0 });
    const r = await screen.findByTestId('complaint-row');
    expect(r.dataset.number).toBe('SH01-TS-2026-000004');
    expect(r.textContent).toContain('刘经理');
    expect(r.textContent).toContain('暂停中');
    expect(lists()[0].args.filter).toEqual({
      text: null,
      open: null,
      level: null,
      kind: null,
      customerId: null,
      siteId: null,
      from: null,
      to: null,
      limit: 50,
      offset: 0,
    });
    await fireEvent.click(screen.getByTestId('page-next'));
    await waitFor(() => expect((lists()[1].args.filter as ComplaintFilter).offset).toBe(50));

    await fireEvent.change(screen.getByTestId('complaints-filter-level'), {
      target: { value: '2' },
    });
    await fireEvent.change(screen.getByTestId('complaints-filter-open'), {
      target: { value: 'closed' },
    });
    await screen.findByTestId('complaints-empty');
    expect(lists().at(-1)?.args.filter).toMatchObject({ level: 2, open: false, offset: 0 });
    await flush();
    expect(screen.queryByTestId('complaints-filter-site')).toBeNull(); // no list of sites
  });

  it('filters by the site a complaint comes from when other sites’ complaints are here', async () => {
    session.apply(status());
    const calls = fakeCore({
      list_sites: () => knownSites,
      complaint_list: (a) =>
        (a.filter as ComplaintFilter).siteId === 's-a01'
          ? { rows: [row({ id: 'cp-2', siteCode: 'A01', siteName: '浦东川沙特约网点' })], total: 1 }
          : { rows: [row(), row({ id: 'cp-2', siteCode: 'A01' })], total: 2 },
      xlsx_complaints: () => null,
    });
    render(ComplaintList, { debounceMs: 0 });
    const select = (await screen.findByTestId('complaints-filter-site')) as HTMLSelectElement;
    expect(select.options[0].textContent).toBe('全部网点');
    expect(select.options[2].textContent).toBe('A01 浦东川沙特约网点');
    await waitFor(() =>
      expect(screen.getAllByTestId('complaint-site').map((c) => c.textContent)).toEqual([
        'SH01',
        'A01',
      ]),
    );
    await fireEvent.change(select, { target: { value: 's-a01' } });
    await waitFor(() => expect(screen.getAllByTestId('complaint-row')).toHaveLength(1));
    expect(screen.getByTestId('complaint-site').getAttribute('title')).toBe('浦东川沙特约网点');
    expect(calls.filter((c) => c.cmd === 'complaint_list').at(-1)?.args.filter).toMatchObject({
      siteId: 's-a01',
      offset: 0,
    });
    await fireEvent.click(screen.getByTestId('complaints-xlsx'));
    expect(calls.find((c) => c.cmd === 'xlsx_complaints')?.args.filter).toMatchObject({
      siteId: 's-a01',
    });
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
