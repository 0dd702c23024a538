//! Work-order fixtures for the UI tests: a detail as the core sends it, adjustable per test.
import type { CustomerDetail } from '$lib/bindings/CustomerDetail';
import type { Document } from '$lib/bindings/Document';
import type { UnitView } from '$lib/bindings/UnitView';
import type { WorkOrder } from '$lib/bindings/WorkOrder';
import type { WorkOrderDetail } from '$lib/bindings/WorkOrderDetail';

export const unitView: UnitView = {
  unit: {
    id: 'u-1',
    customerId: 'c-1',
    modelId: 'm-1',
    serial: 'GL24027321926G',
    purchaseDate: '2025-03-08',
    seller: '',
    installDate: null,
    addressId: 'ad-1',
    note: '',
    rev: 1,
  },
  model: { id: 'm-1', brand: '格力', model: 'KFR-35GW', category: '空调', rev: 1 },
  coverage: {
    warrantyEnd: '2027-03-08',
    returnUntil: '2025-03-23',
    exchangeUntil: '2025-04-07',
    status: 'inWarranty',
    returnOpen: false,
    exchangeOpen: false,
    warrantyDaysLeft: 300,
  },
};

export const customer: CustomerDetail = {
  customer: {
    id: 'c-1',
    siteId: 's1',
    kind: 'person',
    name: '张伟',
    note: '',
    rev: 3,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    createdBy: 'u1',
    updatedBy: 'u1',
  },
  contacts: [
    { id: 'ct-1', name: '张伟', phone: '13812345678', title: '' },
    { id: 'ct-2', name: '李娜', phone: '13900001111', title: '妻子' },
  ],
  addresses: [
    {
      id: 'ad-1',
      province: '江苏省',
      city: '苏州市',
      district: '工业园区',
      detail: '星湖街 328 号',
    },
  ],
  units: [unitView],
};

export function order(over: Partial<WorkOrder> = {}): WorkOrder {
  return {
    id: 'wo-1',
    siteId: 's1',
    number: 'SH01-GD-2026-000007',
    kind: 'repair',
    channel: 'phone',
    state: 'received',
    customerId: 'c-1',
    contactId: 'ct-1',
    unitId: 'u-1',
    callerPhone: '13812345678',
    description: '不制冷',
    ownerId: 'u-admin',
    promisedReplyAt: null,
    answer: '',
    appointment: null,
    technicianIds: [],
    bring: '',
    workDone: '',
    result: null,
    instructionsGiven: false,
    customerOpinion: '',
    satisfaction: null,
    cancelReason: '',
    parts: [],
    fees: [],
    totalFen: 0,
    createdAt: '2026-03-01T02:00:00Z',
    updatedAt: '2026-03-01T02:00:00Z',
    createdBy: 'u-admin',
    rev: 1,
    ...over,
  };
}

export function doc(over: Partial<Document> = {}): Document {
  return {
    id: 'd-1',
    siteId: 's1',
    form: 'dispatchSlip',
    number: 'SH01-PX-2026-000003',
    revision: 1,
    workOrderId: 'wo-1',
    sha256: 'ab',
    size: 1000,
    signed: false,
    issuedAt: '2026-03-01T03:00:00Z',
    issuedBy: 'u-admin',
    issuedByName: '王芳',
    status: 'issued',
    voidReason: '',
    voidedAt: null,
    superseded: false,
    scans: [],
    ...over,
  };
}

export function detail(
  over: Partial<WorkOrderDetail> = {},
  orderOver: Partial<WorkOrder> = {},
): WorkOrderDetail {
  return {
    order: order(orderOver),
    customerName: '张伟',
    contacts: customer.contacts,
    unit: unitView,
    owner: { id: 'u-admin', name: '王芳' },
    technicians: [],
    timeline: [
      {
        at: '2026-03-01T02:00:00Z',
        userId: 'u-admin',
        userName: '王芳',
        event: 'received',
        fromState: 'received',
        toState: 'received',
        note: 'walk_in',
      },
    ],
    documents: [],
    allowed: ['schedule', 'cancel'],
    eligibility: null,
    receiptCurrent: false,
    receiptSigned: false,
    ...over,
  };
}
