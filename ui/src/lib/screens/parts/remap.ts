//! Issues about `lines.N` name the Nth line *sent*; a screen that sends only some of its rows
//! puts each issue back on the row it came from.
import type { ErrorPayload } from '$lib/bindings/ErrorPayload';

export function remapLines(e: ErrorPayload, rowOf: number[]): ErrorPayload {
  const fix = (f: string) =>
    f.replace(/^lines\.(\d+)/, (whole, n: string) =>
      rowOf[Number(n)] === undefined ? whole : `lines.${rowOf[Number(n)]}`,
    );
  return {
    ...e,
    field: e.field ? fix(e.field) : e.field,
    issues: (e.issues ?? []).map((i) => ({ ...i, field: fix(i.field) })),
  };
}
