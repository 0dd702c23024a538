//! Complaint fixtures for the UI tests: a detail and a board as the core sends them.
import type { Board } from '$lib/bindings/Board';
import type { BoardItem } from '$lib/bindings/BoardItem';
import type { ClockView } from '$lib/bindings/ClockView';
import type { Complaint } from '$lib/bindings/Complaint';
import type { ComplaintDetail } from '$lib/bindings/ComplaintDetail';
import type { ComplaintEvent } from '$lib/bindings/ComplaintEvent';

export function complaint(over: Partial<Complaint> = {}): Complaint {
  return {
    id: 'cp-1',
    siteId: 's1',
    number: 'SH01-TS-2026-000004',
    kind: 'productQuality',
    level: 2,
    group: 'technical',
    channel: 'phone',
    stage: 'recorded',
    customerId: 'c-1',
    unitId: 'u-1',
    workOrderId: null,
    complainant: '张伟',
    phone: '13812345678',
    object: '',
    content: '空调修过两次还是不制冷',
    demand: '换机',
    ownerId: 'u-admin',
    department: null,
    receivedAt: '2026-03-02T01:00:00Z',
    pausedSince: null,
    pauseReason: '',
    reaction: null,
    feedback: '',
    reopenCount: 0,
    closedAt: null,
    rev: 3,
    createdAt: '2026-03-02T01:00:00Z',
    updatedAt: '2026-03-02T01:00:00Z',
    createdBy: 'u-admin',
    ...over,
  };
}

export function clock(over: Partial<ClockView> = {}): ClockView {
  return {
    clock: 'accept',
    state: 'onTrack',
    startedAt: '2026-03-02T01:00:00Z',
    limitMinutes: 1440,
    usedMinutes: 360,
    pausedMinutes: 0,
    dueAt: '2026-03-03T01:00:00Z',
    riskAt: '2026-03-02T20:12:00Z',
    stoppedAt: null,
    escalated: false,
    ...over,
  };
}

export function event(over: Partial<ComplaintEvent> = {}): ComplaintEvent {
  return {
    at: '2026-03-02T01:00:00Z',
    userId: 'u-admin',
    userName: '王芳',
    event: 'registered',
    fromStage: 'recorded',
    toStage: 'recorded',
    content: '空调修过两次还是不制冷',
    data: { level: 2, kind: 'productQuality', channel: 'phone' },
    ...over,
  };
}

export function detail(
  over: Partial<ComplaintDetail> = {},
  complaintOver: Partial<Complaint> = {},
): ComplaintDetail {
  return {
    complaint: complaint(complaintOver),
    customerName: '张伟',
    unitLabel: '格力 KFR-35GW · SN GL24027321926G',
    workOrderNumber: null,
    owner: { id: 'u-admin', name: '王芳' },
    clocks: [
      clock(),
      clock({ clock: 'respond', state: 'atRisk', usedMinutes: 1300, limitMinutes: 1440 }),
      clock({ clock: 'close', state: 'onTrack', limitMinutes: 7200, usedMinutes: 360 }),
    ],
    timeline: [event()],
    documents: [],
    attachments: [],
    allowed: ['accept', 'reject'],
    at: '2026-03-02T07:00:00Z',
    ...over,
  };
}

export function boardItem(over: Partial<BoardItem> = {}): BoardItem {
  return {
    id: 'cp-1',
    number: 'SH01-TS-2026-000004',
    kind: 'productQuality',
    level: 2,
    group: 'technical',
    stage: 'accepted',
    state: 'breached',
    customerName: '张伟',
    complainant: '张伟',
    content: '空调修过两次还是不制冷',
    ownerName: '王芳',
    receivedAt: '2026-03-02T01:00:00Z',
    nextDueAt: '2026-03-03T01:00:00Z',
    escalations: 1,
    ...over,
  };
}

export function board(over: Partial<Board> = {}): Board {
  return {
    cells: [
      { level: 2, state: 'breached', count: 1 },
      { level: 1, state: 'onTrack', count: 3 },
      { level: 3, state: 'paused', count: 2 },
    ],
    items: [
      boardItem(),
      boardItem({
        id: 'cp-2',
        number: 'SH01-TS-2026-000005',
        level: 1,
        group: 'customerService',
        state: 'onTrack',
        stage: 'recorded',
        nextDueAt: '2026-03-04T04:30:00Z',
        escalations: 0,
        customerName: '上海联华超市',
        complainant: '李经理',
      }),
    ],
    matching: 6,
    at: '2026-03-03T03:00:00Z',
    ...over,
  };
}
