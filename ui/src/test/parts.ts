//! Parts fixtures for the UI tests: catalog parts, locations and requisitions as the core
//! sends them, adjustable per test.
import type { Location } from '$lib/bindings/Location';
import type { Part } from '$lib/bindings/Part';
import type { Requisition } from '$lib/bindings/Requisition';
import type { Scrap } from '$lib/bindings/Scrap';
import type { Stocktake } from '$lib/bindings/Stocktake';

export function part(over: Partial<Part> = {}): Part {
  return {
    id: 'p-cap',
    code: 'CAP-35',
    name: '启动电容',
    model: 'CBB65 35μF',
    unit: '个',
    priceFen: 4500,
    warrantyMonths: 12,
    reorderPoint: 5,
    serialTracked: false,
    active: true,
    rev: 1,
    ...over,
  };
}

export const board = part({
  id: 'p-pcb',
  code: 'PCB-IN',
  name: '室内机主板',
  model: 'KFR-35GW 主控板',
  unit: '块',
  priceFen: 38000,
  serialTracked: true,
});

export const locations: Location[] = [
  { id: 'l-main', code: 'MAIN', name: '主仓库', kind: 'store', active: true, rev: 1 },
  { id: 'l-van', code: 'VAN1', name: '服务车 1', kind: 'store', active: true, rev: 1 },
  { id: 'l-scrap', code: 'SCRAP', name: '报废品存放区', kind: 'scrap', active: true, rev: 1 },
];

export function requisition(over: Partial<Requisition> = {}): Requisition {
  return {
    id: 'r-1',
    workOrderId: 'wo-1',
    workOrderNumber: 'SH01-GD-2026-000007',
    locationId: 'l-main',
    locationName: '主仓库',
    requesterId: 'u-tech',
    requesterName: '李技师',
    purpose: '更换主板和电容',
    state: 'requested',
    decidedByName: null,
    decidedAt: null,
    comment: '',
    lines: [
      {
        partId: board.id,
        code: board.code,
        name: board.name,
        model: board.model,
        unit: board.unit,
        qty: 2,
        priceFen: board.priceFen,
        serialTracked: true,
      },
      {
        partId: 'p-cap',
        code: 'CAP-35',
        name: '启动电容',
        model: 'CBB65 35μF',
        unit: '个',
        qty: 3,
        priceFen: 4500,
        serialTracked: false,
      },
    ],
    documents: [],
    createdAt: '2026-03-01T02:00:00Z',
    rev: 1,
    ...over,
  };
}

export function stocktake(over: Partial<Stocktake> = {}): Stocktake {
  return {
    id: 'st-1',
    locationId: 'l-main',
    locationName: '主仓库',
    state: 'counting',
    countedOn: '2026-03-01',
    counterId: 'u-keeper',
    counterName: '李敏',
    submittedAt: null,
    decidedByName: null,
    decidedAt: null,
    comment: '',
    lines: [
      {
        partId: 'p-cap',
        code: 'CAP-35',
        name: '启动电容',
        model: 'CBB65 35μF',
        unit: '个',
        serialTracked: false,
        bookQty: 23,
        bookSerials: [],
        countedQty: null,
        countedSerials: [],
        difference: null,
        reason: '',
      },
      {
        partId: board.id,
        code: board.code,
        name: board.name,
        model: board.model,
        unit: board.unit,
        serialTracked: true,
        bookQty: 2,
        bookSerials: ['PCB0001', 'PCB0002'],
        countedQty: null,
        countedSerials: [],
        difference: null,
        reason: '',
      },
    ],
    documents: [],
    createdAt: '2026-03-01T02:00:00Z',
    rev: 1,
    ...over,
  };
}

export function scrap(over: Partial<Scrap> = {}): Scrap {
  return {
    id: 'sc-1',
    locationId: 'l-main',
    locationName: '主仓库',
    state: 'submitted',
    reason: '运输中摔坏',
    applicantId: 'u-tech',
    applicantName: '李技师',
    reviewedBy: null,
    reviewedByName: null,
    reviewedAt: null,
    reviewComment: '',
    approvedBy: null,
    approvedByName: null,
    approvedAt: null,
    approvalComment: '',
    scrapLocationId: null,
    disposalId: null,
    lines: [
      {
        partId: board.id,
        code: board.code,
        name: board.name,
        model: board.model,
        unit: board.unit,
        qty: 1,
        serials: ['PCB0002'],
        priceFen: board.priceFen,
        serialTracked: true,
      },
    ],
    photos: [{ id: 'ph-1', fileName: 'broken.jpg', size: 2048 }],
    documents: [],
    createdAt: '2026-03-01T02:00:00Z',
    rev: 1,
    ...over,
  };
}
