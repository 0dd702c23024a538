import { describe, expect, it } from 'vitest';
import * as xlsx from './xlsx';
import { fakeCore } from '../../test/ipc';

describe('xlsx api', () => {
  it('sends each list’s filter and the language, and passes the saved path or null back', async () => {
    const calls = fakeCore({
      xlsx_customers: () => '/home/wf/客户-2026-11-22.xlsx',
      xlsx_work_orders: () => '/home/wf/工单-2026-11-22.xlsx',
      xlsx_parts: () => null,
      xlsx_stock: () => '/tmp/stock.xlsx',
      xlsx_movements: () => '/tmp/movements.xlsx',
      xlsx_low_stock: () => '/tmp/low.xlsx',
      xlsx_complaints: () => '/tmp/complaints.xlsx',
    });
    const woFilter = {
      state: 'scheduled' as const,
      technicianId: null,
      dateFrom: '2026-11-01',
      dateTo: null,
      query: '张',
      customerId: null,
      siteId: 's-a01',
      page: 3,
    };
    const moveFilter = { partId: 'p-1', locationId: null, kind: 'issue' as const, page: 0 };
    const complaintFilter = {
      text: null,
      open: true,
      level: 3,
      kind: null,
      customerId: null,
      siteId: null,
      from: null,
      to: null,
      limit: 50,
      offset: 100,
    };

    expect(await xlsx.exportCustomers('张伟', 's-a01', 'zh-CN')).toBe(
      '/home/wf/客户-2026-11-22.xlsx',
    );
    expect(await xlsx.exportWorkOrders(woFilter, 'zh-TW')).toBe('/home/wf/工单-2026-11-22.xlsx');
    expect(await xlsx.exportParts('电容', 'en')).toBeNull(); // the dialog was cancelled
    await xlsx.exportStock(null, 'zh-CN');
    await xlsx.exportMovements(moveFilter, 'zh-CN');
    await xlsx.exportLowStock(90, 'en');
    await xlsx.exportComplaints(complaintFilter, 'zh-CN');

    expect(calls).toEqual([
      { cmd: 'xlsx_customers', args: { query: '张伟', siteId: 's-a01', language: 'zh-CN' } },
      { cmd: 'xlsx_work_orders', args: { filter: woFilter, language: 'zh-TW' } },
      { cmd: 'xlsx_parts', args: { query: '电容', language: 'en' } },
      { cmd: 'xlsx_stock', args: { locationId: null, language: 'zh-CN' } },
      { cmd: 'xlsx_movements', args: { filter: moveFilter, language: 'zh-CN' } },
      { cmd: 'xlsx_low_stock', args: { windowDays: 90, language: 'en' } },
      { cmd: 'xlsx_complaints', args: { filter: complaintFilter, language: 'zh-CN' } },
    ]);
  });

  it('rejects with the core’s ErrorPayload', async () => {
    fakeCore({
      xlsx_complaints: () => {
        throw { code: 'forbidden', message: 'no', params: {}, issues: [] };
      },
    });
    await expect(
      xlsx.exportComplaints(
        {
          text: null,
          open: null,
          level: null,
          kind: null,
          customerId: null,
          siteId: null,
          from: null,
          to: null,
          limit: null,
          offset: null,
        },
        'zh-CN',
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});
