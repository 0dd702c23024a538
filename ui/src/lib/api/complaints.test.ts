import { describe, expect, it } from 'vitest';
import * as complaints from './complaints';
import * as calendar from './calendar';
import { fakeCore, validation } from '../../test/ipc';
import { detail } from '../../test/complaints';

describe('complaints api', () => {
  it('sends every command with the camelCase arguments of the contract', async () => {
    const d = detail();
    const calls = fakeCore({
      complaint_register: () => d,
      complaint_get: () => d,
      complaint_list: () => ({ rows: [], total: 0 }),
      complaint_step: () => d,
      complaint_respond: () => d,
      complaint_pause: () => d,
      complaint_resume: () => d,
      complaint_hand_over: () => d,
      complaint_issue_handling: () => d,
      complaint_board: () => ({ cells: [], items: [], matching: 0, at: '' }),
      complaint_escalations: () => [],
      complaint_kpis: () => ({}),
      sla_policies: () => [],
      sla_update: () => [],
    });
    const input = {
      kind: 'service' as const,
      level: 1,
      channel: 'phone' as const,
      customerId: 'c-1',
      newCustomer: null,
      unitId: null,
      workOrderId: null,
      complainant: '张伟',
      phone: '13812345678',
      object: '',
      content: '态度差',
      demand: '',
    };
    await complaints.registerComplaint(input);
    await complaints.getComplaint('cp-1');
    const filter = {
      text: null,
      open: true,
      level: null,
      kind: null,
      customerId: 'c-1',
      siteId: null,
      from: null,
      to: null,
      limit: 20,
      offset: null,
    };
    await complaints.listComplaints(filter);
    const step = {
      step: 'accept' as const,
      content: '有效',
      level: 2,
      department: null,
      reaction: null,
      feedback: null,
    };
    await complaints.recordStep('cp-1', 3, step);
    await complaints.respond('cp-1', 4, '已电话答复');
    await complaints.pause('cp-1', 5, '顾客出差');
    await complaints.resume('cp-1', 6, '');
    await complaints.handOver('cp-1', 7, 'u-2', '请跟进');
    await complaints.issueHandlingSlip('cp-1');
    await complaints.complaintBoard({ level: 2, state: 'breached', limit: 100 });
    await complaints.listEscalations(true);
    await complaints.complaintKpis({ from: '2026-03-01', to: '2026-03-31' });
    await complaints.slaPolicies();
    const sla = { acceptHours: 24, respondHours: 24, closeDays: 7, atRiskPercent: 80 };
    await complaints.updateSlaPolicy(2, 1, sla);
    expect(calls).toEqual([
      { cmd: 'complaint_register', args: { input } },
      { cmd: 'complaint_get', args: { id: 'cp-1' } },
      { cmd: 'complaint_list', args: { filter } },
      { cmd: 'complaint_step', args: { id: 'cp-1', rev: 3, input: step } },
      { cmd: 'complaint_respond', args: { id: 'cp-1', rev: 4, content: '已电话答复' } },
      { cmd: 'complaint_pause', args: { id: 'cp-1', rev: 5, reason: '顾客出差' } },
      { cmd: 'complaint_resume', args: { id: 'cp-1', rev: 6, note: '' } },
      {
        cmd: 'complaint_hand_over',
        args: { id: 'cp-1', rev: 7, toUserId: 'u-2', note: '请跟进' },
      },
      { cmd: 'complaint_issue_handling', args: { id: 'cp-1' } },
      { cmd: 'complaint_board', args: { filter: { level: 2, state: 'breached', limit: 100 } } },
      { cmd: 'complaint_escalations', args: { openOnly: true } },
      { cmd: 'complaint_kpis', args: { filter: { from: '2026-03-01', to: '2026-03-31' } } },
      { cmd: 'sla_policies', args: {} },
      { cmd: 'sla_update', args: { level: 2, rev: 1, input: sla } },
    ]);
  });

  it('sends an attachment as the raw body with its id, rev and encoded name in headers', async () => {
    const calls = fakeCore({
      complaint_attach: () => detail(),
      complaint_attachment: () => new Uint8Array([1, 2]).buffer,
    });
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    await complaints.attachFile('cp-1', 3, '发票 1.png', bytes);
    const buf = await complaints.attachmentBytes('at-1');
    expect(calls[0].cmd).toBe('complaint_attach');
    expect(calls[0].headers).toEqual({
      'complaint-id': 'cp-1',
      rev: '3',
      'file-name': encodeURIComponent('发票 1.png'),
    });
    expect(calls[1]).toEqual({ cmd: 'complaint_attachment', args: { id: 'at-1' } });
    expect(new Uint8Array(buf)).toEqual(new Uint8Array([1, 2]));
  });

  it('rejects with the core’s ErrorPayload (the closed loop’s feedback_missing)', async () => {
    fakeCore({
      complaint_step: () => {
        throw validation([
          { field: 'reaction', rule: 'feedback_missing', params: {} },
          { field: 'feedback', rule: 'feedback_missing', params: {} },
        ]);
      },
    });
    await expect(
      complaints.recordStep('cp-1', 3, {
        step: 'close',
        content: '结案',
        level: null,
        department: null,
        reaction: null,
        feedback: null,
      }),
    ).rejects.toMatchObject({
      code: 'validation',
      issues: [{ field: 'reaction' }, { field: 'feedback' }],
    });
  });
});

describe('calendar api', () => {
  it('sends the year, its days, the file text and the hours', async () => {
    const year = {
      year: 2026,
      days: [],
      workingDays: 250,
      hours: { start: '00:00', end: '24:00', rev: 1 },
    };
    const calls = fakeCore({
      calendar_year: () => year,
      calendar_set_year: () => year,
      calendar_import: () => ({ years: [2026], entries: 2, changed: 2 }),
      calendar_set_hours: () => year.hours,
    });
    const days = [{ date: '2026-10-01', kind: 'holiday' as const, name: '国庆节' }];
    await calendar.calendarYear(2026);
    await calendar.setCalendarYear(2026, days);
    await calendar.importCalendar('2026-10-01,休,国庆节');
    await calendar.setWorkingHours(1, '08:30', '24:00');
    expect(calls).toEqual([
      { cmd: 'calendar_year', args: { year: 2026 } },
      { cmd: 'calendar_set_year', args: { year: 2026, days } },
      { cmd: 'calendar_import', args: { text: '2026-10-01,休,国庆节' } },
      { cmd: 'calendar_set_hours', args: { rev: 1, start: '08:30', end: '24:00' } },
    ]);
  });
});
