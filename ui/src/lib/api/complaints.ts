//! Complaints (投诉): registration, the eight recorded steps, responses, pauses, hand-overs,
//! attachments and the handling slip; the board, the escalations and the figures; the SLA
//! policy per level. Every change takes the complaint's `rev` (a stale one is a `conflict`)
//! and returns the detail as the core now sees it, with the steps it allows.
import { call, callRaw } from './invoke';
import type { Board } from '$lib/bindings/Board';
import type { Person } from '$lib/bindings/Person';
import type { BoardFilter } from '$lib/bindings/BoardFilter';
import type { ComplaintDetail } from '$lib/bindings/ComplaintDetail';
import type { ComplaintFilter } from '$lib/bindings/ComplaintFilter';
import type { ComplaintKpis } from '$lib/bindings/ComplaintKpis';
import type { ComplaintPage } from '$lib/bindings/ComplaintPage';
import type { Escalation } from '$lib/bindings/Escalation';
import type { KpiFilter } from '$lib/bindings/KpiFilter';
import type { RegisterInput } from '$lib/bindings/RegisterInput';
import type { SlaPolicy } from '$lib/bindings/SlaPolicy';
import type { SlaPolicyInput } from '$lib/bindings/SlaPolicyInput';
import type { StepInput } from '$lib/bindings/StepInput';

type Detail = Promise<ComplaintDetail>;

/** Registers a complaint (and a new customer with it); the receiver becomes its owner. */
export const registerComplaint = (input: RegisterInput): Detail =>
  call('complaint_register', { input });
/** The core runs the escalation sweep first, so the level shown is already escalated. */
export const getComplaint = (id: string): Detail => call('complaint_get', { id });
export const listComplaints = (filter: ComplaintFilter) =>
  call<ComplaintPage>('complaint_list', { filter });

export const recordStep = (id: string, rev: number, input: StepInput): Detail =>
  call('complaint_step', { id, rev, input });
export const respond = (id: string, rev: number, content: string): Detail =>
  call('complaint_respond', { id, rev, content });
export const pause = (id: string, rev: number, reason: string): Detail =>
  call('complaint_pause', { id, rev, reason });
export const resume = (id: string, rev: number, note: string): Detail =>
  call('complaint_resume', { id, rev, note });
export const handOver = (id: string, rev: number, toUserId: string, note: string): Detail =>
  call('complaint_hand_over', { id, rev, toUserId, note });
/** Issues the 顾客信息处理单 as the complaint stands (a new revision when it changed). */
export const issueHandlingSlip = (id: string): Detail => call('complaint_issue_handling', { id });

/** A file the customer handed in, sent as the raw request body. */
export const attachFile = (id: string, rev: number, fileName: string, bytes: Uint8Array): Detail =>
  callRaw('complaint_attach', bytes, {
    'complaint-id': id,
    rev: String(rev),
    // Header values are ASCII; the shell percent-decodes it.
    'file-name': encodeURIComponent(fileName),
  });
/** An attachment's stored bytes (Tauri hands a raw response over as an ArrayBuffer). */
export const attachmentBytes = (id: string) => call<ArrayBuffer>('complaint_attachment', { id });

/** The open complaints by level and clock state, the most pressing first (sweeps first). */
export const complaintBoard = (filter: BoardFilter) => call<Board>('complaint_board', { filter });
export const listEscalations = (openOnly: boolean) =>
  call<Escalation[]>('complaint_escalations', { openOnly });
export const complaintKpis = (filter: KpiFilter) =>
  call<ComplaintKpis>('complaint_kpis', { filter });

/** The time limits of the four levels. */
export const slaPolicies = () => call<SlaPolicy[]>('sla_policies');
/** Sets one level's limits (admin); running clocks keep the limits they started with. */
export const updateSlaPolicy = (level: number, rev: number, input: SlaPolicyInput) =>
  call<SlaPolicy[]>('sla_update', { level, rev, input });

/** The staff a complaint may be handed over to: active people who handle complaints. */
export const listHandlers = () => call<Person[]>('complaint_handlers');
