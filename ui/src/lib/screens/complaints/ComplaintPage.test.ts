import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { ComplaintDetail } from '$lib/bindings/ComplaintDetail';
import ComplaintPage from './ComplaintPage.svelte';
import { failure, fakeCore, status, validation } from '../../../test/ipc';
import { clock, detail, event } from '../../../test/complaints';
import { doc } from '../../../test/workOrders';
import { setLocale } from '$lib/i18n/index.svelte';
import { session } from '$lib/state/session.svelte';

vi.mock('$lib/pdf/render', () => ({
  openPdf: async () => ({ numPages: 1, destroy: () => {} }),
  renderPage: async () => {},
}));

const staff = [
  { id: 'u-admin', name: '王芳' },
  { id: 'u-2', name: '李娜' },
];

async function open(
  d: ComplaintDetail,
  handlers: Record<string, (a: Record<string, unknown>) => unknown> = {},
) {
  const calls = fakeCore({ complaint_get: () => d, wo_staff: () => staff, ...handlers });
  render(ComplaintPage, { id: d.complaint.id });
  await screen.findByTestId('complaint-number');
  return calls;
}

const escalated = detail(
  {
    allowed: ['assign', 'propose'],
    clocks: [
      clock({ state: 'met', stoppedAt: '2026-03-02T02:00:00Z', usedMinutes: 60 }),
      clock({ clock: 'respond', state: 'breached', usedMinutes: 1500, escalated: true }),
      clock({ clock: 'close', state: 'paused', dueAt: null, limitMinutes: 7200 }),
    ],
    timeline: [
      event(),
      event({
        event: 'accept',
        toStage: 'accepted',
        content: '属实',
        data: { fromLevel: 1, level: 2 },
      }),
      event({
        event: 'escalated',
        fromStage: 'investigated',
        toStage: 'investigated',
        content: '首次答复超时，升级至三级（严重）· 管理层协调',
        data: { clocks: ['respond'], fromLevel: 2, toLevel: 3, group: 'management' },
      }),
      event({
        event: 'handed_over',
        content: '请跟进',
        data: { from: 'u-admin', to: 'u-2' },
      }),
    ],
  },
  {
    stage: 'investigated',
    level: 3,
    group: 'management',
    pausedSince: '2026-03-02T05:00:00Z',
    pauseReason: '等顾客寄发票',
  },
);

describe('ComplaintPage', () => {
  it('shows the header, the clocks with their state and the steps done', async () => {
    session.apply(status());
    await open(escalated);
    expect(screen.getByTestId('complaint-number').textContent).toBe('SH01-TS-2026-000004');
    expect(screen.getByTestId('complaint-stage').dataset.stage).toBe('investigated');
    expect(screen.getByTestId('complaint-level').textContent).toBe('三级（严重） · 管理层协调');
    expect(screen.getByTestId('complaint-customer').getAttribute('href')).toBe('#/customers/c-1');
    expect(screen.getByTestId('complaint-unit').textContent).toContain('KFR-35GW');
    expect(screen.getByTestId('complaint-paused').textContent).toContain('等顾客寄发票');

    const states = ['accept', 'respond', 'close'].map(
      (k) => screen.getByTestId(`complaint-clock-${k}`).dataset.state,
    );
    expect(states).toEqual(['met', 'breached', 'paused']);
    expect(screen.getByTestId('complaint-clock-respond').dataset.escalated).toBe('true');
    expect(screen.getByTestId('complaint-clock-accept-used').textContent).toContain(
      '已用 1 小时 / 时限 1 天',
    );
    expect(screen.getByTestId('complaint-clock-close').textContent).toContain('暂停计时中');
    // counted from the instant the core judged the clocks at, not the screen's clock
    expect(screen.getByTestId('complaint-clock-respond-due').textContent).toBe('18 小时后到期');

    const steps = screen.getAllByTestId(/^complaint-step-/).map((s) => s.dataset.status);
    expect(steps).toEqual([
      'done',
      'done',
      'done',
      'done',
      'current',
      'pending',
      'pending',
      'pending',
    ]);
    expect(screen.getByTestId('complaint-step-judge').textContent).toContain('王芳');
  });

  it('renders the timeline in words, escalations from their data', async () => {
    session.apply(status());
    await open(escalated);
    const esc = screen.getByTestId('complaint-event-escalated');
    expect(esc.textContent).toContain(
      '首次答复时限超时，由 二级（一般） 升级为 三级（严重） · 管理层协调',
    );
    // the core's Chinese sentence is not repeated
    expect(esc.textContent).not.toContain('升级至');
    expect(screen.getByTestId('complaint-event-accept').textContent).toContain(
      '级别由 一级（轻微） 改为 二级（一般）',
    );
    await waitFor(() =>
      expect(screen.getByTestId('complaint-event-handed_over').textContent).toContain(
        '移交给 李娜',
      ),
    );
  });

  it('speaks English too', async () => {
    session.apply(status());
    setLocale('en');
    await open(escalated);
    expect(screen.getByTestId('complaint-event-escalated').textContent).toContain(
      'First response limit passed: raised from Level 2 (medium) to Level 3 (serious) · management coordinates',
    );
    expect(screen.getByTestId('complaint-clock-respond-state').textContent).toBe('Overdue');
  });

  it('offers the actions of an open complaint to the desk, none to a technician', async () => {
    session.apply(status());
    await open(escalated);
    expect(screen.getByTestId('complaint-action-respond')).toBeTruthy();
    expect(screen.getByTestId('complaint-action-resume')).toBeTruthy();
    expect(screen.queryByTestId('complaint-action-pause')).toBeNull();
    expect(screen.getByTestId('complaint-action-hand-over')).toBeTruthy();
    expect(screen.getByTestId('step-form')).toBeTruthy();
  });

  it('keeps a technician to looking', async () => {
    session.apply(status({ user: { ...status().user!, role: 'technician' } }));
    await open(escalated);
    expect(screen.queryByTestId('complaint-actions')).toBeNull();
    expect(screen.queryByTestId('step-form')).toBeNull();
    expect(screen.queryByTestId('complaint-attach')).toBeNull();
  });

  it('records a step with the complaint’s rev and shows what the core returns', async () => {
    session.apply(status());
    const after = detail(
      {
        allowed: ['assign'],
        timeline: [event(), event({ event: 'accept', toStage: 'accepted', content: '属实' })],
      },
      { stage: 'accepted', rev: 4 },
    );
    const calls = await open(detail(), { complaint_step: () => after });
    await fireEvent.input(screen.getByTestId('step-content'), { target: { value: '属实' } });
    await fireEvent.click(screen.getByTestId('step-submit'));
    await waitFor(() =>
      expect(screen.getByTestId('complaint-stage').dataset.stage).toBe('accepted'),
    );
    expect(calls.find((c) => c.cmd === 'complaint_step')?.args).toMatchObject({
      id: 'cp-1',
      rev: 3,
      input: { step: 'accept', content: '属实', level: 2 },
    });
    // a fresh form for the next step
    expect(screen.getByTestId('step-submit').dataset.step).toBe('assign');
    expect((screen.getByTestId('step-content') as HTMLTextAreaElement).value).toBe('');
    expect(screen.getByTestId('complaint-event-accept')).toBeTruthy();
  });

  it('says so when someone else moved the complaint first, and shows it as it is', async () => {
    session.apply(status());
    let reads = 0;
    const calls = await open(detail(), {
      complaint_get: () =>
        ++reads === 1 ? detail() : detail({ allowed: [] }, { stage: 'invalid', rev: 5 }),
      complaint_step: () => {
        throw failure('conflict');
      },
    });
    await fireEvent.input(screen.getByTestId('step-content'), { target: { value: '属实' } });
    await fireEvent.click(screen.getByTestId('step-submit'));
    const banner = await screen.findByTestId('form-error');
    expect(banner.dataset.code).toBe('conflict');
    expect(banner.textContent).toContain('刚被其他人处理过');
    await waitFor(() =>
      expect(screen.getByTestId('complaint-stage').dataset.stage).toBe('invalid'),
    );
    expect(calls.filter((c) => c.cmd === 'complaint_get')).toHaveLength(2);
  });

  it('pauses with a reason and attaches a file', async () => {
    session.apply(status());
    const paused = detail(
      {},
      { pausedSince: '2026-03-02T05:00:00Z', pauseReason: '顾客出差', rev: 4 },
    );
    const calls = await open(detail(), {
      complaint_pause: () => paused,
      complaint_attach: () => ({
        ...paused,
        attachments: [
          { id: 'at-1', fileName: '发票.png', size: 2048, addedAt: '2026-03-02T06:00:00Z' },
        ],
      }),
    });
    await fireEvent.click(screen.getByTestId('complaint-action-pause'));
    await fireEvent.input(screen.getByTestId('complaint-pause-reason'), {
      target: { value: '顾客出差' },
    });
    await fireEvent.click(screen.getByTestId('complaint-pause-save'));
    await screen.findByTestId('complaint-paused');
    expect(calls.find((c) => c.cmd === 'complaint_pause')?.args).toEqual({
      id: 'cp-1',
      rev: 3,
      reason: '顾客出差',
    });

    const input = screen.getByTestId('complaint-attach-input') as HTMLInputElement;
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], '发票.png', {
      type: 'image/png',
    });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    const item = await screen.findByTestId('complaint-attachment');
    expect(item.textContent).toContain('发票.png');
    expect(item.textContent).toContain('2 KB');
    const attach = calls.find((c) => c.cmd === 'complaint_attach');
    expect(attach?.headers).toEqual({
      'complaint-id': 'cp-1',
      rev: '4',
      'file-name': encodeURIComponent('发票.png'),
    });
  });

  it('says why a file was refused: too large, or too many', async () => {
    session.apply(status());
    let n = 0;
    await open(detail(), {
      complaint_attach: () => {
        throw validation([
          n++ === 0
            ? { field: 'file', rule: 'too_large', params: { limit: 'bytes', max: '15728640' } }
            : { field: 'file', rule: 'too_large', params: { limit: 'count', max: '20' } },
        ]);
      },
    });
    const input = screen.getByTestId('complaint-attach-input') as HTMLInputElement;
    const choose = async () => {
      const file = new File([new Uint8Array([1])], 'big.pdf');
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      await fireEvent.change(input);
    };
    await choose();
    expect((await screen.findByTestId('field-error-file')).textContent).toContain('15 MB');
    await choose();
    await waitFor(() =>
      expect(screen.getByTestId('field-error-file').textContent).toContain('附件最多 20 个'),
    );
  });

  it('issues the handling slip and previews it', async () => {
    session.apply(status());
    const slip = doc({
      id: 'd-9',
      form: 'complaintHandling',
      number: 'SH01-CL-2026-000001',
      workOrderId: null,
    });
    const calls = await open(detail(), {
      complaint_issue_handling: () => detail({ documents: [slip] }),
      doc_pdf: () => new ArrayBuffer(8),
    });
    await fireEvent.click(screen.getByTestId('complaint-issue-handling'));
    const preview = await screen.findByTestId('pdf-preview');
    expect(preview.textContent).toContain('顾客信息处理单');
    expect(calls.find((c) => c.cmd === 'complaint_issue_handling')?.args).toEqual({ id: 'cp-1' });
    const row = within(screen.getByTestId('doc-table')).getByTestId('doc-row');
    expect(row.dataset.form).toBe('complaintHandling');
  });
});
