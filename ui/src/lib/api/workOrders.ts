//! Work orders: intake, the state machine's steps, appointments and the on-site record.
//! Every step takes the order's `rev` (a stale one is a `conflict`) and returns the detail.
import { call } from './invoke';
import type { AppointmentInput } from '$lib/bindings/AppointmentInput';
import type { Clash } from '$lib/bindings/Clash';
import type { HandOverInput } from '$lib/bindings/HandOverInput';
import type { IntakeInput } from '$lib/bindings/IntakeInput';
import type { Person } from '$lib/bindings/Person';
import type { ReturnInput } from '$lib/bindings/ReturnInput';
import type { ScheduleOutcome } from '$lib/bindings/ScheduleOutcome';
import type { SignatureInput } from '$lib/bindings/SignatureInput';
import type { WorkInput } from '$lib/bindings/WorkInput';
import type { WorkOrderDetail } from '$lib/bindings/WorkOrderDetail';
import type { WorkOrderFilter } from '$lib/bindings/WorkOrderFilter';
import type { WorkOrderPage } from '$lib/bindings/WorkOrderPage';

/** wo_list pages are 0-based, 50 rows each (WorkOrderPage.pageSize). */
export const FIRST_PAGE = 0;

type Detail = Promise<WorkOrderDetail>;

export const intake = (input: IntakeInput): Detail => call('wo_intake', { input });
export const getWorkOrder = (id: string): Detail => call('wo_get', { id });
export const listWorkOrders = (filter: WorkOrderFilter) =>
  call<WorkOrderPage>('wo_list', { filter });
export const listTechnicians = () => call<Person[]>('wo_technicians');
export const listStaff = () => call<Person[]>('wo_staff');

export const handOver = (id: string, rev: number, input: HandOverInput): Detail =>
  call('wo_hand_over', { id, rev, input });
export const answer = (id: string, rev: number, text: string): Detail =>
  call('wo_answer', { id, rev, answer: text });
export const cancel = (id: string, rev: number, reason: string): Detail =>
  call('wo_cancel', { id, rev, reason });

export const proposedAddress = (id: string) => call<string>('wo_proposed_address', { id });
export const bookingClashes = (id: string, input: AppointmentInput) =>
  call<Clash[]>('wo_booking_clashes', { id, input });
export const schedule = (id: string, rev: number, input: AppointmentInput) =>
  call<ScheduleOutcome>('wo_schedule', { id, rev, input });

export const dispatch = (id: string, rev: number): Detail => call('wo_dispatch', { id, rev });
export const reissueSlip = (id: string, rev: number): Detail =>
  call('wo_reissue_slip', { id, rev });
export const arrive = (id: string, rev: number): Detail => call('wo_arrive', { id, rev });
export const recordWork = (id: string, rev: number, input: WorkInput): Detail =>
  call('wo_record_work', { id, rev, input });
/** Unsigned (null) for a paper signature, or signed on the pad. */
export const issueReceipt = (id: string, rev: number, signature: SignatureInput | null): Detail =>
  call('wo_issue_receipt', { id, rev, signature });
export const complete = (id: string, rev: number): Detail => call('wo_complete', { id, rev });
export const failAcceptance = (id: string, rev: number): Detail =>
  call('wo_fail_acceptance', { id, rev });
export const settleReturn = (id: string, rev: number, input: ReturnInput): Detail =>
  call('wo_settle_return', { id, rev, input });
