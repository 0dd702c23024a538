import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from './router.svelte';

describe('routes', () => {
  it.each<[string, Route]>([
    ['#/intake', { name: 'intake', customer: '' }],
    ['#/intake?customer=c%2F1', { name: 'intake', customer: 'c/1' }],
    ['#/work-orders', { name: 'workOrders' }],
    ['#/work-orders/wo-1', { name: 'workOrder', id: 'wo-1' }],
  ])('%s is read and written back the same', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(href(route)).toBe(hash);
  });
});
