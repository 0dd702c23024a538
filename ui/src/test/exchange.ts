//! Exchange fixtures for the UI tests: summaries, peers and conflicts as the core sends them.
import type { Conflict } from '$lib/bindings/Conflict';
import type { ErrorPayload } from '$lib/bindings/ErrorPayload';
import type { ExchangeSummary } from '$lib/bindings/ExchangeSummary';
import type { Peer } from '$lib/bindings/Peer';
import type { Rule } from '$lib/bindings/Rule';
import { site } from './ipc';

export function summary(over: Partial<ExchangeSummary> = {}): ExchangeSummary {
  return {
    id: 'x-1',
    direction: 'export',
    kind: 'data',
    peer: 'C01',
    full: false,
    seqFrom: 40,
    seqTo: 120,
    bundleSha: 'ab12',
    fileName: 'SH01-data-C01-20260303-1000.zip',
    counts: { customers: 12, contacts: 15, work_orders: 3 },
    at: '2026-03-03T02:00:00Z',
    byUser: 'u-admin',
    ...over,
  };
}

export function imported(over: Partial<ExchangeSummary> = {}): ExchangeSummary {
  return summary({
    id: 'x-2',
    direction: 'import',
    peer: 'WX01',
    fileName: 'WX01-data-SH01-20260303-0900.zip',
    counts: { inserted: 5, updated: 2, unchanged: 7, appended: 9, conflicts: 1 },
    ...over,
  });
}

export const peers: Peer[] = [
  { code: 'C01', name: '华东地区服务中心', relation: 'above' },
  { code: 'WX01', name: '无锡特约网点', relation: 'below' },
];

export function conflict(over: Partial<Conflict> = {}): Conflict {
  return {
    id: 'cf-1',
    tableName: 'customers',
    recordKey: '0190a0a0-0000-7000-8000-0000000000c1',
    originSite: 'remote-site-id-0000001',
    originCode: 'WX01',
    originName: '无锡特约网点',
    fromSite: 'WX01',
    names: {},
    localData: {
      id: '0190a0a0-0000-7000-8000-0000000000c1',
      site_id: 'remote-site-id-0000001',
      kind: 'person',
      name: '张伟',
      note: '老客户，改过地址',
      rev: 3,
      updated_at: '2026-03-02T01:00:00Z',
    },
    incoming: {
      id: '0190a0a0-0000-7000-8000-0000000000c1',
      site_id: 'remote-site-id-0000001',
      kind: 'person',
      name: '张伟',
      note: '换机客户',
      rev: 4,
      updated_at: '2026-03-02T05:00:00Z',
    },
    kept: 'incoming',
    at: '2026-03-03T02:00:00Z',
    resolvedAt: null,
    resolution: null,
    ...over,
  };
}

/** A bundle refused on its `file`, as the core sends it. */
export function refused(rule: Rule, params: Record<string, string> = {}): ErrorPayload {
  return {
    code: 'validation',
    message: 'invalid input',
    field: 'file',
    rule,
    params,
    issues: [{ field: 'file', rule, params }],
  };
}

export const here = site;
