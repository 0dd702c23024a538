//! Words for the work order's enums and the timeline, and the small reads of a detail the
//! page needs (which document is current). The words come from the catalogs; the core's
//! snake_case names (timeline events, error params) and the camelCase of the bindings both
//! find their text.
import type { Channel } from '$lib/bindings/Channel';
import type { Document } from '$lib/bindings/Document';
import type { FormCode } from '$lib/bindings/FormCode';
import type { Kind } from '$lib/bindings/Kind';
import type { State } from '$lib/bindings/State';
import { hasMessage, t } from '$lib/i18n/index.svelte';

/** `acceptance_failed` → `acceptanceFailed`. */
export const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export const STATES: readonly State[] = [
  'received',
  'answered',
  'scheduled',
  'dispatched',
  'onSite',
  'completed',
  'acceptanceFailed',
  'returned',
  'exchanged',
  'cancelled',
];
export const KINDS: readonly Kind[] = [
  'repair',
  'installation',
  'commissioning',
  'maintenance',
  'consultation',
];
export const CHANNELS: readonly Channel[] = ['phone', 'walkIn', 'online', 'email'];

export const stateLabel = (s: State) => t(`wo.state.${s}`);
export const kindLabel = (k: Kind) => t(`wo.kind.${k}`);
export const channelLabel = (c: Channel) => t(`wo.channel.${c}`);
export const formLabel = (f: FormCode) => t(`doc.form.${f}`);

/** A state name as the core spells it anywhere (`on_site` or `onSite`). */
export function anyStateLabel(s: string): string {
  const id = `wo.state.${camel(s)}`;
  return hasMessage(id) ? t(id) : s;
}

/** A timeline event (`work_recorded`); an event newer than this UI is shown as sent. */
export function eventLabel(event: string): string {
  const id = `wo.event.${event}`;
  return hasMessage(id) ? t(id) : event;
}

/** The timeline's note, with the intake channel (`walk_in`) put in words. */
export function noteText(event: string, note: string): string {
  if (event === 'received') {
    const id = `wo.channel.${camel(note)}`;
    if (hasMessage(id)) return t(id);
  }
  return note;
}

/** The revision of `form` that counts now: issued, not superseded, highest revision. */
export function currentDocument(docs: Document[], form: FormCode): Document | null {
  let best: Document | null = null;
  for (const d of docs) {
    if (d.form !== form || d.status !== 'issued' || d.superseded) continue;
    if (!best || d.revision > best.revision) best = d;
  }
  return best;
}
