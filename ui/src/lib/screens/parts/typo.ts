//! A typing mistake caught before sending (not a number), shaped like the core's own issues so
//! that it shows under the same field.
import type { ErrorPayload } from '$lib/bindings/ErrorPayload';
import type { Rule } from '$lib/bindings/Rule';

export function typoError(field: string, rule: 'not_whole' | 'not_money'): ErrorPayload {
  return {
    code: 'validation',
    message: 'typing mistake',
    field: null,
    rule: null,
    params: {},
    issues: [{ field, rule: rule as Rule, params: {} }],
  };
}
