//! The single door to the core. Every api/<aggregate>.ts goes through `call`, so every
//! rejection the UI ever sees is an ErrorPayload, whatever Tauri or the core threw.
import { invoke, type InvokeArgs, type InvokeOptions } from '@tauri-apps/api/core';
import type { ErrorPayload } from '$lib/bindings/ErrorPayload';
import type { ErrorCode } from '$lib/bindings/ErrorCode';
import type { FieldIssue } from '$lib/bindings/FieldIssue';
import type { Rule } from '$lib/bindings/Rule';

const CODES: readonly ErrorCode[] = [
  'validation',
  'not_found',
  'conflict',
  'forbidden',
  'self_approval',
  'invalid_transition',
  'unauthenticated',
  'invalid_credentials',
  'already_set_up',
  'not_set_up',
  'schema_too_new',
  'storage',
  'io',
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringParams(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, val] of Object.entries(v)) out[k] = String(val);
  return out;
}

function toIssue(v: unknown): FieldIssue | null {
  if (!isRecord(v) || typeof v.field !== 'string' || typeof v.rule !== 'string') return null;
  // An unknown rule still gets a generic text (see i18n/errors), so it is kept as sent.
  return { field: v.field, rule: v.rule as Rule, params: stringParams(v.params) };
}

/**
 * Turns whatever a command rejected with into an ErrorPayload. The core always sends one;
 * anything else (a string from Tauri itself, e.g. "command not found", or a JS exception)
 * has no code of its own, so it becomes `io` with the original text kept in `message`.
 */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (isRecord(e) && typeof e.code === 'string' && (CODES as string[]).includes(e.code)) {
    const issues = Array.isArray(e.issues)
      ? e.issues.map(toIssue).filter((i): i is FieldIssue => i !== null)
      : [];
    return {
      code: e.code as ErrorCode,
      message: typeof e.message === 'string' ? e.message : '',
      field: typeof e.field === 'string' ? e.field : null,
      rule: typeof e.rule === 'string' ? (e.rule as Rule) : null,
      params: stringParams(e.params),
      issues,
    };
  }
  const message =
    typeof e === 'string' ? e : e instanceof Error ? e.message : JSON.stringify(e ?? null);
  return { code: 'io', message, field: null, rule: null, params: {}, issues: [] };
}

export function isErrorPayload(e: unknown): e is ErrorPayload {
  return isRecord(e) && typeof e.code === 'string' && Array.isArray(e.issues);
}

type RejectionListener = (e: ErrorPayload, command: string) => void;
const listeners: RejectionListener[] = [];

/** Observe every rejection (the session uses it to notice an ended sign-in). */
export function onRejection(listener: RejectionListener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

export async function call<T>(
  command: string,
  args?: InvokeArgs,
  options?: InvokeOptions,
): Promise<T> {
  try {
    return await invoke<T>(command, args, options);
  } catch (e) {
    const payload = toErrorPayload(e);
    for (const l of listeners) l(payload, command);
    throw payload;
  }
}

/**
 * A command whose request body is raw bytes (a scanned file), with its arguments in headers.
 * Header values must be ASCII: callers percent-encode free text such as file names.
 */
export function callRaw<T>(
  command: string,
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<T> {
  return call<T>(command, body, { headers });
}
