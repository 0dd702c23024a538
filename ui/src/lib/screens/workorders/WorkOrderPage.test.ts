import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { WorkOrderDetail } from '$lib/bindings/WorkOrderDetail';
import WorkOrderPage from './WorkOrderPage.svelte';
import { failure, fakeCore, validation } from '../../../test/ipc';
import { detail, doc } from '../../../test/workOrders';

// pdf.js itself is not loaded in unit tests: the preview gets a stand-in document.
vi.mock('$lib/pdf/render', () => ({
  openPdf: async () => ({ numPages: 2, destroy: () => {} }),
  renderPage: async () => {},
}));

const ACTIONS = [
  'answer',
  'hand-over',
  'schedule',
  'dispatch',
  'reissue',
  'arrive',
  'record',
  'receipt',
  'sign',
  'complete',
  'fail',
  'return',
  'cancel',
];

/** The order's parts section: no requisitions, nothing to reconcile. */
const NO_PARTS = { req_list: () => [], req_reconcile: () => [] };

function shown(): string[] {
  return ACTIONS.filter((a) => screen.queryByTestId(`wo-action-${a}`));
}

async function open(
  d: WorkOrderDetail,
  handlers: Record<string, (a: Record<string, unknown>) => unknown> = {},
) {
  const calls = fakeCore({ wo_get: () => d, ...NO_PARTS, ...handlers });
  render(WorkOrderPage, { id: d.order.id });
  await screen.findByTestId('wo-number');
  return calls;
}

describe('WorkOrderPage actions', () => {
  it.each([
    [
      'a new repair',
      detail({ allowed: ['schedule', 'cancel'] }),
      ['hand-over', 'schedule', 'cancel'],
    ],
    [
      'a new consultation',
      detail({ allowed: ['answer', 'cancel'] }, { kind: 'consultation' }),
      ['answer', 'hand-over', 'cancel'],
    ],
    [
      'a dispatched order',
      detail({ allowed: ['schedule', 'arrive', 'cancel'] }, { state: 'dispatched' }),
      ['hand-over', 'schedule', 'reissue', 'arrive', 'cancel'],
    ],
    [
      'a visit in progress',
      detail({ allowed: ['complete', 'failAcceptance'] }, { state: 'onSite' }),
      ['hand-over', 'record', 'receipt', 'sign', 'complete', 'fail'],
    ],
    [
      'a failed acceptance',
      detail({ allowed: ['return', 'exchange'] }, { state: 'acceptanceFailed' }),
      ['hand-over', 'return'],
    ],
    ['a completed order', detail({ allowed: [] }, { state: 'completed' }), []],
  ])('follow what the core allows: %s', async (_, d, expected) => {
    await open(d);
    expect(shown().sort()).toEqual([...expected].sort());
    expect(screen.getByTestId('wo-state').getAttribute('data-state')).toBe(d.order.state);
  });

  it('shows the header, the translated timeline and the documents', async () => {
    const d = detail(
      {
        documents: [
          doc({ id: 'd-2', revision: 2, signed: false }),
          doc({ id: 'd-1', revision: 1, superseded: true }),
          doc({
            id: 'd-3',
            form: 'acceptanceReceipt',
            number: 'SH01-HZ-2026-000001',
            signed: true,
            status: 'void',
            voidReason: '金额错误',
          }),
        ],
      },
      { state: 'dispatched' },
    );
    await open(d);
    expect(screen.getByTestId('wo-number').textContent).toBe('SH01-GD-2026-000007');
    const entry = screen.getByTestId('timeline-entry');
    expect(entry.textContent).toContain('受理');
    expect(entry.textContent).toContain('到店'); // the channel in the note, in words
    const rows = screen.getAllByTestId('doc-row');
    expect(rows.map((r) => [r.dataset.number, r.dataset.revision, r.dataset.status])).toEqual([
      ['SH01-PX-2026-000003', '2', 'issued'],
      ['SH01-PX-2026-000003', '1', 'issued'],
      ['SH01-HZ-2026-000001', '1', 'void'],
    ]);
    expect(rows[1].textContent).toContain('已被新版取代');
    expect(rows[2].dataset.signed).toBe('true');
    expect(rows[2].textContent).toContain('金额错误');
    // scans go to the revision that counts; void and superseded ones cannot take one
    expect(within(rows[0]).queryByTestId('doc-scan')).toBeTruthy();
    expect(within(rows[1]).queryByTestId('doc-scan')).toBeNull();
    expect(within(rows[2]).queryByTestId('doc-void')).toBeNull();
  });

  it('dispatches with the order’s rev and then previews the slip it issued', async () => {
    const before = detail(
      { allowed: ['schedule', 'dispatch', 'cancel'] },
      { state: 'scheduled', rev: 4 },
    );
    const after = detail(
      {
        allowed: ['schedule', 'arrive', 'cancel'],
        documents: [doc({ id: 'd-9', number: 'SH01-PX-2026-000009' })],
      },
      { state: 'dispatched', rev: 5 },
    );
    const calls = await open(before, {
      wo_dispatch: () => after,
      doc_pdf: () => new ArrayBuffer(8),
    });
    await fireEvent.click(screen.getByTestId('wo-action-dispatch'));
    const preview = await screen.findByTestId('pdf-preview');
    expect(calls.find((c) => c.cmd === 'wo_dispatch')?.args).toEqual({ id: 'wo-1', rev: 4 });
    expect(preview.textContent).toContain('SH01-PX-2026-000009');
    await waitFor(() => expect(screen.getAllByTestId('pdf-page')).toHaveLength(2));
    await waitFor(() =>
      expect(screen.getByTestId('pdf-status').getAttribute('data-state')).toBe('ready'),
    );
    expect(calls.find((c) => c.cmd === 'doc_pdf')?.args).toEqual({ id: 'd-9' });
    expect(screen.getByTestId('wo-state').getAttribute('data-state')).toBe('dispatched');
  });

  it('says so on a conflict and shows the order as it is now', async () => {
    let rev = 1;
    const calls = fakeCore({
      ...NO_PARTS,
      wo_get: () => detail({ allowed: ['arrive'] }, { state: 'dispatched', rev }),
      wo_arrive: () => {
        rev = 2;
        throw failure('conflict');
      },
    });
    render(WorkOrderPage, { id: 'wo-1' });
    await fireEvent.click(await screen.findByTestId('wo-action-arrive'));
    expect((await screen.findByTestId('form-error')).textContent).toContain('刚被其他人处理过');
    await waitFor(() => expect(calls.filter((c) => c.cmd === 'wo_get')).toHaveLength(2));
  });

  it('names the state and the step when the core refuses a transition', async () => {
    await open(detail({ allowed: ['arrive'] }, { state: 'dispatched' }), {
      wo_arrive: () => {
        throw { ...failure('invalid_transition'), params: { from: 'on_site', event: 'arrive' } };
      },
    });
    await fireEvent.click(screen.getByTestId('wo-action-arrive'));
    expect((await screen.findByTestId('form-error')).textContent).toContain(
      '工单现在是“服务中”，不能“到达现场”',
    );
  });

  it('sends a refused receipt to the work form, with the part that needs consent marked', async () => {
    const d = detail(
      { allowed: ['complete', 'failAcceptance'] },
      {
        state: 'onSite',
        parts: [
          {
            name: '电容',
            model: '',
            qty: 1,
            unitPriceFen: 100,
            inWarranty: false,
            consent: false,
            chargedFen: 100,
            partId: null,
            newSerial: '',
            faultySerial: '',
          },
        ],
      },
    );
    await open(d, {
      wo_issue_receipt: () => {
        throw validation([
          { field: 'parts.0.consent', rule: 'consent_missing', params: { part: '电容' } },
        ]);
      },
    });
    await fireEvent.click(screen.getByTestId('wo-action-receipt'));
    expect(await screen.findByTestId('work-form')).toBeTruthy();
    expect(screen.getByTestId('field-error-parts.0.consent').textContent).toContain('电容');
  });

  it('books a visit and tells about clashes the booking has', async () => {
    const calls = await open(detail({ allowed: ['schedule', 'cancel'] }), {
      wo_technicians: () => [{ id: 't-1', name: '刘海涛' }],
      wo_proposed_address: () => '江苏省苏州市工业园区星湖街 328 号',
      wo_booking_clashes: () => [
        {
          technicianId: 't-1',
          technicianName: '刘海涛',
          workOrderId: 'wo-5',
          workOrderNumber: 'SH01-GD-2026-000005',
          start: '09:30',
          end: '10:30',
        },
      ],
      wo_schedule: (a) => ({
        detail: detail(
          { allowed: ['schedule', 'dispatch', 'cancel'] },
          { state: 'scheduled', rev: 2 },
        ),
        clashes: [
          {
            technicianId: 't-1',
            technicianName: '刘海涛',
            workOrderId: 'wo-5',
            workOrderNumber: 'SH01-GD-2026-000005',
            start: '09:30',
            end: '10:30',
          },
        ],
        input: a.input,
      }),
    });
    await fireEvent.click(screen.getByTestId('wo-action-schedule'));
    const address = (await screen.findByTestId('appt-address')) as HTMLInputElement;
    await waitFor(() => expect(address.value).toBe('江苏省苏州市工业园区星湖街 328 号'));
    await fireEvent.input(screen.getByTestId('appt-date'), { target: { value: '2026-03-05' } });
    await fireEvent.click(await screen.findByTestId('appt-tech'));
    const clash = await screen.findByTestId('appt-clash', {}, { timeout: 2000 });
    expect(clash.textContent).toContain('刘海涛 已约 SH01-GD-2026-000005，09:30–10:30');
    await fireEvent.click(screen.getByTestId('appt-save'));
    expect((await screen.findByTestId('wo-clash-notice')).textContent).toContain(
      'SH01-GD-2026-000005',
    );
    expect(calls.find((c) => c.cmd === 'wo_schedule')?.args).toEqual({
      id: 'wo-1',
      rev: 1,
      input: {
        date: '2026-03-05',
        start: '09:00',
        end: '11:00',
        address: '江苏省苏州市工业园区星湖街 328 号',
        technicianIds: ['t-1'],
        bring: '',
      },
    });
    expect(screen.queryByTestId('appointment-dialog')).toBeNull();
  });
});
