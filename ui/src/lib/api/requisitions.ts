//! Requisition slips: asked for a work order, approved by someone else, issued from stock
//! with serials per line, and reconciled with what the order used. Each step takes the
//! requisition's `rev` (a stale one is a `conflict`).
import { call } from './invoke';
import type { Reconciliation } from '$lib/bindings/Reconciliation';
import type { Requisition } from '$lib/bindings/Requisition';
import type { RequisitionInput } from '$lib/bindings/RequisitionInput';
import type { RequisitionState } from '$lib/bindings/RequisitionState';
import type { ReturnUnusedInput } from '$lib/bindings/ReturnUnusedInput';

/** Newest first; null filters mean "any". */
export const listRequisitions = (
  stateFilter: RequisitionState | null,
  workOrderId: string | null = null,
) => call<Requisition[]>('req_list', { stateFilter, workOrderId });
export const getRequisition = (id: string) => call<Requisition>('req_get', { id });
export const requestParts = (input: RequisitionInput) =>
  call<Requisition>('req_request', { input });
export const approve = (id: string, rev: number, comment: string) =>
  call<Requisition>('req_approve', { id, rev, comment });
/** A refusal needs a comment (the core says `comment` required). */
export const reject = (id: string, rev: number, comment: string) =>
  call<Requisition>('req_reject', { id, rev, comment });
/** `serials`: one list per line, the serials of serial-tracked parts, [] for the others. */
export const issue = (id: string, rev: number, serials: string[][]) =>
  call<Requisition>('req_issue', { id, rev, serials });
export const returnUnused = (input: ReturnUnusedInput) =>
  call<null>('req_return_unused', { input });
export const reconcile = (workOrderId: string) =>
  call<Reconciliation[]>('req_reconcile', { workOrderId });
