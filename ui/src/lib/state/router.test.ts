import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from './router.svelte';

describe('routes', () => {
  it.each<[string, Route]>([
    ['#/intake', { name: 'intake', customer: '' }],
    ['#/intake?customer=c%2F1', { name: 'intake', customer: 'c/1' }],
    ['#/work-orders', { name: 'workOrders' }],
    ['#/work-orders/wo-1', { name: 'workOrder', id: 'wo-1' }],
    ['#/parts', { name: 'parts', q: '' }],
    ['#/parts?q=%E7%94%B5%E5%AE%B9', { name: 'parts', q: '电容' }],
    ['#/parts/p-1', { name: 'part', id: 'p-1' }],
    ['#/stock', { name: 'stock', location: '' }],
    ['#/stock?location=l-1', { name: 'stock', location: 'l-1' }],
    ['#/stock/movements', { name: 'movements' }],
    ['#/stock/transfers', { name: 'transfers' }],
    ['#/stock/low', { name: 'lowStock' }],
    ['#/stock/stocktakes', { name: 'stocktakes' }],
    ['#/stock/stocktakes/st-1', { name: 'stocktake', id: 'st-1' }],
    ['#/stock/scrap', { name: 'scrap' }],
    ['#/approvals', { name: 'approvals' }],
    ['#/complaints', { name: 'complaintBoard' }],
    ['#/complaints/new', { name: 'complaintNew', customer: '' }],
    ['#/complaints/new?customer=c-1', { name: 'complaintNew', customer: 'c-1' }],
    ['#/complaints/list', { name: 'complaints' }],
    ['#/complaints/escalations', { name: 'complaintEscalations' }],
    ['#/complaints/kpis', { name: 'complaintKpis' }],
    [
      '#/complaints/0190a0a0-0000-7000-8000-000000000009',
      { name: 'complaint', id: '0190a0a0-0000-7000-8000-000000000009' },
    ],
    ['#/settings/sla', { name: 'settings', section: 'sla' }],
    ['#/settings/calendar', { name: 'settings', section: 'calendar' }],
    ['#/exchange/transfer', { name: 'exchange', tab: 'transfer' }],
    ['#/exchange/history', { name: 'exchange', tab: 'history' }],
    ['#/exchange/conflicts', { name: 'exchange', tab: 'conflicts' }],
    ['#/exchange/network', { name: 'exchange', tab: 'network' }],
  ])('%s is read and written back the same', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(href(route)).toBe(hash);
  });
});

describe('the exchange section', () => {
  it('opens on export/import when the tab is missing or unknown', () => {
    expect(parseRoute('#/exchange')).toEqual({ name: 'exchange', tab: 'transfer' });
    expect(parseRoute('#/exchange/nonsense')).toEqual({ name: 'exchange', tab: 'transfer' });
  });
});
