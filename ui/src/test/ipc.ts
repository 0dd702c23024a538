//! Test helpers: a fake core behind mockIPC, recording every call.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { ErrorPayload } from '$lib/bindings/ErrorPayload';
import type { FieldIssue } from '$lib/bindings/FieldIssue';
import type { KnownSite } from '$lib/bindings/KnownSite';
import type { Site } from '$lib/bindings/Site';
import type { User } from '$lib/bindings/User';

/** One command as the UI sent it; `headers` only for a raw-body command that set some. */
export type Call = { cmd: string; args: Record<string, unknown>; headers?: Record<string, string> };
type Handler = (args: Record<string, unknown>) => unknown;

/** Installs handlers by command name; an unhandled command rejects like a missing one. */
export function fakeCore(handlers: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  let headers: Record<string, string> | undefined;
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push(headers ? { cmd, args: a, headers } : { cmd, args: a });
      const h = handlers[cmd];
      if (!h) throw `command ${cmd} not found`;
      return h(a);
      // `listen` and `emit` work in tests: a test emits what the core would report.
    },
    { shouldMockEvents: true },
  );
  // mockIPC drops invoke's options; keep the headers a raw-body command travels with.
  const internals = (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
  const invoke = internals.invoke;
  internals.invoke = (cmd, args, options) => {
    headers = options?.headers as Record<string, string> | undefined;
    return invoke(cmd, args, options);
  };
  return calls;
}

type Internals = {
  invoke: (cmd: string, args?: unknown, options?: { headers?: unknown }) => Promise<unknown>;
};

export const site: Site = {
  id: '0190a0a0-0000-7000-8000-000000000001',
  code: 'SH01',
  name: '上海浦东服务站',
  tier: 'outlet',
  timeZone: 'Asia/Shanghai',
  hotline: '400-820-1234',
  rev: 1,
  createdAt: '2025-01-02T03:04:05Z',
  updatedAt: '2025-01-02T03:04:05Z',
};

/** A centre that imported an outlet's records: the site filter's two choices. */
export const knownSites: KnownSite[] = [
  { id: site.id, code: 'SH01', name: '上海浦东服务站', tier: 'centre', local: true },
  { id: 's-a01', code: 'A01', name: '浦东川沙特约网点', tier: 'outlet', local: false },
];

export const admin: User = {
  id: '0190a0a0-0000-7000-8000-0000000000a1',
  siteId: '0190a0a0-0000-7000-8000-000000000001',
  username: 'admin',
  displayName: '王芳',
  role: 'admin',
  active: true,
  rev: 1,
};

export function status(over: Partial<AppStatus> = {}): AppStatus {
  return {
    setUp: true,
    site,
    user: admin,
    language: 'zh-CN',
    dataDir: '/tmp/desk',
    customerCount: 3,
    ...over,
  };
}

export function validation(issues: FieldIssue[]): ErrorPayload {
  return {
    code: 'validation',
    message: 'invalid input',
    field: null,
    rule: null,
    params: {},
    issues,
  };
}

export function failure(code: ErrorPayload['code']): ErrorPayload {
  return { code, message: code, field: null, rule: null, params: {}, issues: [] };
}

export const flush = () => new Promise((r) => setTimeout(r, 0));
