//! Words for the complaint enums, the timeline and the clocks, and the small reads of a
//! detail the screens share (the eight steps, spans of time). The core writes timeline events
//! and the data they carry in snake_case (`carry_out`, `customer_service`); the bindings are
//! camelCase: both find their text here.
import type { BoardState } from '$lib/bindings/BoardState';
import type { ClockKind } from '$lib/bindings/ClockKind';
import type { ClockState } from '$lib/bindings/ClockState';
import type { ComplaintEvent } from '$lib/bindings/ComplaintEvent';
import type { ComplaintKind } from '$lib/bindings/ComplaintKind';
import type { Department } from '$lib/bindings/Department';
import type { HandlingGroup } from '$lib/bindings/HandlingGroup';
import type { Reaction } from '$lib/bindings/Reaction';
import type { Stage } from '$lib/bindings/Stage';
import type { Step } from '$lib/bindings/Step';
import { hasMessage, t } from '$lib/i18n/index.svelte';
import { camel } from '../workorders/labels';

export const KINDS: readonly ComplaintKind[] = ['productQuality', 'service', 'proposal'];
export const LEVELS: readonly number[] = [1, 2, 3, 4];
export const BOARD_STATES: readonly BoardState[] = [
  'breached',
  'atRisk',
  'dueToday',
  'onTrack',
  'paused',
];
export const CLOCKS: readonly ClockKind[] = ['accept', 'respond', 'close'];
export const DEPARTMENTS: readonly Department[] = [
  'customerService',
  'technical',
  'quality',
  'logistics',
  'sales',
  'seniorManagement',
];
export const REACTIONS: readonly Reaction[] = ['satisfied', 'accepted', 'dissatisfied'];

/** The group that handles a level (the core's `group_for`), for showing beside a level pick. */
export function groupFor(level: number): HandlingGroup {
  if (level <= 1) return 'customerService';
  if (level === 2) return 'technical';
  if (level === 3) return 'management';
  return 'emergency';
}

const named = (prefix: string, value: string) => {
  const id = `${prefix}.${camel(value)}`;
  return hasMessage(id) ? t(id) : value;
};

export const kindLabel = (k: ComplaintKind | string) => named('complaint.kind', k);
export const levelLabel = (level: number) => named('complaint.level', String(level));
export const groupLabel = (g: HandlingGroup | string) => named('complaint.group', g);
export const levelGroupLabel = (level: number, group: HandlingGroup | string = groupFor(level)) =>
  t('complaint.levelGroup', { level: levelLabel(level), group: groupLabel(group) });
export const stageLabel = (s: Stage | string) => named('complaint.stage', s);
export const stepLabel = (s: Step | string) => named('complaint.step', s);
export const clockLabel = (c: ClockKind | string) => named('complaint.clock', c);
export const clockStateLabel = (s: ClockState) => named('complaint.clockState', s);
export const boardStateLabel = (s: BoardState) => named('complaint.boardState', s);
export const departmentLabel = (d: Department | string) => named('complaint.department', d);
export const reactionLabel = (r: Reaction | string) => named('complaint.reaction', r);
export const eventLabel = (event: string) => named('complaint.event', event);

export const isClosed = (s: Stage) => s === 'closed' || s === 'invalid';

/** `95` minutes → "1 小时 35 分"; a day or more as days and hours. */
export function spanText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return t('span.m', { m });
  if (m < 1440) {
    const h = Math.floor(m / 60);
    return m % 60 ? t('span.hm', { h, m: m % 60 }) : t('span.h', { h });
  }
  const d = Math.floor(m / 1440);
  const h = Math.round((m % 1440) / 60);
  if (h === 24) return t('span.d', { d: d + 1 });
  return h ? t('span.dh', { d, h }) : t('span.d', { d });
}

/** "3 小时后到期" or "已超时 2 小时", measured from `now` (ms since the epoch). */
export function dueText(due: string | null, now: number): string {
  if (!due) return '';
  const at = new Date(due).getTime();
  if (Number.isNaN(at)) return '';
  const minutes = (at - now) / 60000;
  return minutes < 0
    ? t('complaint.due.overdue', { span: spanText(-minutes) })
    : t('complaint.due.in', { span: spanText(minutes) });
}

/** The eight steps of the closed loop, each with the events that record it. */
export type EightStep =
  'record' | 'judge' | 'assign' | 'investigate' | 'propose' | 'carryOut' | 'decide' | 'close';
export const EIGHT_STEPS: readonly { key: EightStep; events: readonly string[] }[] = [
  { key: 'record', events: ['registered'] },
  { key: 'judge', events: ['accept', 'reject'] },
  { key: 'assign', events: ['assign'] },
  { key: 'investigate', events: ['investigate'] },
  { key: 'propose', events: ['propose'] },
  { key: 'carryOut', events: ['carry_out'] },
  { key: 'decide', events: ['decide_responsibility'] },
  { key: 'close', events: ['close'] },
];

/** How many of the eight steps a stage has behind it. */
const DONE_BY_STAGE: Record<Stage, number> = {
  recorded: 1,
  accepted: 2,
  invalid: 2,
  assigned: 3,
  investigated: 4,
  proposed: 5,
  carriedOut: 6,
  responsibilityDecided: 7,
  closed: 8,
};

export type StepStatus = 'done' | 'current' | 'pending' | 'skipped';

export interface StepView {
  key: EightStep;
  status: StepStatus;
  /** The latest event recording it (who and when), for a step that is done. */
  event: ComplaintEvent | null;
}

/**
 * The eight steps as the stage stands: those behind it done (with the latest event that
 * recorded each), the next one current; a complaint judged invalid skips the rest.
 */
export function stepViews(stage: Stage, timeline: readonly ComplaintEvent[]): StepView[] {
  const done = DONE_BY_STAGE[stage];
  return EIGHT_STEPS.map((s, i) => {
    let status: StepStatus;
    if (i < done) status = 'done';
    else if (stage === 'invalid') status = 'skipped';
    else status = i === done ? 'current' : 'pending';
    const event =
      status === 'done'
        ? ([...timeline].reverse().find((e) => s.events.includes(e.event)) ?? null)
        : null;
    return { key: s.key, status, event };
  });
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : null);

/**
 * What an event's `data` says, in the user's language: the level corrected at acceptance,
 * the department, the customer's reaction, the escalated clocks and levels, a pause's length,
 * to whom it was handed. `names` puts a user id in words.
 */
export function eventDetails(
  e: ComplaintEvent,
  names: (id: string) => string = () => '',
): string[] {
  const d = e.data ?? {};
  const out: string[] = [];
  switch (e.event) {
    case 'registered': {
      const level = num(d.level);
      if (str(d.kind) && level !== null) {
        out.push(
          t('complaint.detail.registered', {
            kind: kindLabel(str(d.kind)),
            level: levelGroupLabel(level),
          }),
        );
      }
      break;
    }
    case 'accept': {
      const from = num(d.fromLevel);
      const to = num(d.level);
      if (from !== null && to !== null) {
        out.push(
          t('complaint.detail.levelChanged', { from: levelLabel(from), to: levelLabel(to) }),
        );
      }
      break;
    }
    case 'assign':
      if (str(d.department)) {
        out.push(
          t('complaint.detail.department', { department: departmentLabel(str(d.department)) }),
        );
      }
      break;
    case 'carry_out':
    case 'close':
      if (str(d.reaction)) {
        out.push(t('complaint.detail.reaction', { reaction: reactionLabel(str(d.reaction)) }));
      }
      if (str(d.feedback)) out.push(t('complaint.detail.feedback', { text: str(d.feedback) }));
      break;
    case 'escalated': {
      const clocks = Array.isArray(d.clocks) ? d.clocks.map((c) => clockLabel(str(c))) : [];
      const from = num(d.fromLevel);
      const to = num(d.toLevel);
      if (to !== null) {
        out.push(
          t('complaint.detail.escalated', {
            clocks: clocks.join(t('common.listSep')),
            from: levelLabel(from ?? to),
            to: levelGroupLabel(to, str(d.group) || groupFor(to)),
          }),
        );
      }
      break;
    }
    case 'responded':
      if (d.first === true) out.push(t('complaint.detail.firstResponse'));
      break;
    case 'resumed': {
      const m = num(d.pausedMinutes);
      if (m !== null) out.push(t('complaint.detail.pausedFor', { span: spanText(m) }));
      break;
    }
    case 'handed_over': {
      // The core records the names with the ids; older entries carry ids only.
      const to = str(d.toName) || names(str(d.to));
      if (to) out.push(t('complaint.detail.handedTo', { name: to }));
      break;
    }
  }
  return out;
}

/** The event's content is in the core's Chinese for an escalation: the data says it better. */
export const showsContent = (e: ComplaintEvent) => e.event !== 'escalated' && !!e.content;
