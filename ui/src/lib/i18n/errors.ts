//! From an ErrorPayload to the words a clerk reads: by code, then by field + rule. Every
//! text says what to do next; the core's `message` (English developer text) is never shown.
import type { ErrorPayload } from '$lib/bindings/ErrorPayload';
import type { FieldIssue } from '$lib/bindings/FieldIssue';
import { hasMessage, locale, t, type MessageId, type Params } from './index.svelte';
import { formatDate } from './format';

/** `contacts.3.phone` → `contacts.n.phone`: field-specific texts do not depend on the row. */
function fieldKey(field: string): string {
  return field.replace(/\.\d+(?=\.|$)/g, '.n');
}

function paramsOf(p: Record<string, string | undefined> | undefined): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(p ?? {})) if (v !== undefined) out[k] = v;
  // Calendar dates (`today` of future_date, `until` of term_expired) as the user reads dates.
  for (const k of ['today', 'until']) {
    if (typeof out[k] === 'string') out[k] = formatDate(out[k] as string, locale());
  }
  return out;
}

/**
 * The text for one field issue, e.g. "最多 40 个字符，请删减。". A `scope` (the form's name,
 * e.g. `part`) comes first, for a field whose name means something else elsewhere (`code`
 * is the site code in settings but a part's code in the catalog).
 */
export function issueText(issue: FieldIssue, scope?: string): string {
  const params = paramsOf(issue.params);
  const last = issue.field.split('.').pop() ?? issue.field;
  for (const id of [
    ...(scope ? [`error.${scope}.${fieldKey(issue.field)}.${issue.rule}`] : []),
    `error.field.${fieldKey(issue.field)}.${issue.rule}`,
    `error.field.${last}.${issue.rule}`,
    `error.validation.${issue.rule}`,
  ]) {
    if (hasMessage(id)) return t(id, params);
  }
  return t('error.validation.other', params);
}

/** All field issues of a payload; a lone `field`+`rule` on the payload counts as one. */
export function issuesOf(e: ErrorPayload): FieldIssue[] {
  const issues = [...(e.issues ?? [])];
  if (e.field && e.rule && !issues.some((i) => i.field === e.field && i.rule === e.rule)) {
    issues.push({ field: e.field, rule: e.rule, params: e.params ?? {} });
  }
  return issues;
}

/** Field path → text of its first issue, for showing under each field (see `issueText`). */
export function fieldErrors(e: ErrorPayload | null, scope?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!e) return out;
  for (const issue of issuesOf(e)) out[issue.field] ??= issueText(issue, scope);
  return out;
}

/** The sentence for the banner above a form. */
export function errorText(e: ErrorPayload): string {
  if (e.code === 'validation') {
    const issues = issuesOf(e);
    if (issues.length === 1 && !issues[0].field) return issueText(issues[0]);
    return t('error.validation', { count: Math.max(issues.length, 1) });
  }
  if (e.code === 'invalid_transition') return transitionText(e);
  // Who may not decide depends on what: the requester, or whoever took part in a count.
  const what = `error.self_approval.${e.params?.what ?? ''}`;
  if (e.code === 'self_approval' && hasMessage(what)) return t(what);
  const id = `error.${e.code}`;
  return hasMessage(id) ? t(id as MessageId) : t('error.io');
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** "The order is now 'on site': 'cancel' is not possible…", from the core's snake_case names. */
function transitionText(e: ErrorPayload): string {
  const from = e.params?.from ?? '';
  const event = e.params?.event ?? '';
  // A requisition's, a stocktake's and a scrap request's states are named apart from a work
  // order's; the step tells which it is.
  const reqState = `req.state.${camel(from)}`;
  const reqStep = `req.step.${camel(event)}`;
  if (hasMessage(reqState) && hasMessage(reqStep)) {
    return t('error.invalid_transition.requisition', { state: t(reqState), step: t(reqStep) });
  }
  for (const [kind, states] of [
    ['stocktake', 'state'],
    ['scrap', 'state'],
    // a complaint's stages (and `paused`) and its steps, `respond`, `pause`, `resume`
    ['complaint', 'stage'],
  ]) {
    const state = `${kind}.${states}.${camel(from)}`;
    const step = `${kind}.step.${camel(event)}`;
    if (hasMessage(state) && hasMessage(step)) {
      return t('error.invalid_transition.other', { state: t(state), step: t(step) });
    }
  }
  const stateId = `wo.state.${camel(from)}`;
  const stepId = `wo.step.${camel(event)}`;
  if (!hasMessage(stateId) || !hasMessage(stepId)) return t('error.invalid_transition');
  return t('error.invalid_transition.named', { state: t(stateId), step: t(stepId) });
}

/** Readable names for field paths that may be reported without a field of their own. */
const FIELD_LABELS: Record<string, MessageId> = {
  contacts: 'customer.contacts',
  addresses: 'customer.addresses',
  kind: 'customer.kind',
  note: 'customer.note',
  'contacts.n.name': 'contact.name',
  'contacts.n.phone': 'contact.phone',
  'contacts.n.title': 'contact.title',
  'addresses.n.province': 'address.province',
  'addresses.n.city': 'address.city',
  'addresses.n.district': 'address.district',
  'addresses.n.detail': 'address.detail',
  'site.name': 'site.name',
  'site.code': 'site.code',
  'site.tier': 'site.tier',
  'site.timeZone': 'site.timeZone',
  'site.hotline': 'site.hotline',
  'admin.username': 'user.username',
  'admin.displayName': 'user.displayName',
  'admin.password': 'user.password',
  'admin.role': 'user.role',
  username: 'user.username',
  displayName: 'user.displayName',
  password: 'user.password',
  role: 'user.role',
  active: 'user.active',
  modelId: 'unit.model',
  serial: 'unit.serial',
  purchaseDate: 'unit.purchaseDate',
  installDate: 'unit.installDate',
  seller: 'unit.seller',
  addressId: 'unit.address',
  brand: 'model.brand',
  model: 'model.model',
  category: 'model.category',
  warrantyMonths: 'policy.warrantyMonths',
  returnDays: 'policy.returnDays',
  exchangeDays: 'policy.exchangeDays',
  timeZone: 'site.timeZone',
  hotline: 'site.hotline',
  code: 'site.code',
  tier: 'site.tier',
  // work orders
  callerPhone: 'intake.phone',
  customerId: 'wo.customer',
  contactId: 'contact.name',
  unitId: 'wo.unit',
  description: 'wo.description',
  channel: 'wo.channelLabel',
  'newCustomer.name': 'customer.name.person',
  'newCustomer.kind': 'customer.kind',
  'newCustomer.note': 'customer.note',
  'newCustomer.contacts': 'customer.contacts',
  'newCustomer.contacts.n.name': 'contact.name',
  'newCustomer.contacts.n.phone': 'contact.phone',
  'newCustomer.contacts.n.title': 'contact.title',
  'newCustomer.addresses': 'customer.addresses',
  'newCustomer.addresses.n.province': 'address.province',
  'newCustomer.addresses.n.city': 'address.city',
  'newCustomer.addresses.n.district': 'address.district',
  'newCustomer.addresses.n.detail': 'address.detail',
  'newUnit.modelId': 'unit.model',
  'newUnit.serial': 'unit.serial',
  'newUnit.purchaseDate': 'unit.purchaseDate',
  'newUnit.installDate': 'unit.installDate',
  'newUnit.seller': 'unit.seller',
  'newUnit.addressId': 'unit.address',
  'newUnit.note': 'unit.note',
  answer: 'wo.answer',
  reason: 'cancel.reason',
  toUserId: 'handOver.to',
  promisedReplyAt: 'handOver.promised',
  date: 'appt.date',
  start: 'appt.start',
  end: 'appt.end',
  address: 'appt.address',
  technicianIds: 'appt.technicians',
  'technicianIds.n': 'appt.technicians',
  bring: 'appt.bring',
  workDone: 'work.done',
  parts: 'work.parts',
  fees: 'work.fees',
  'parts.n.name': 'part.name',
  'parts.n.model': 'part.model',
  'parts.n.qty': 'part.qty',
  'parts.n.unitPriceFen': 'part.price',
  'parts.n.inWarranty': 'part.warranty',
  'parts.n.consent': 'part.consent',
  'fees.n.description': 'fee.description',
  'fees.n.amountFen': 'fee.amount',
  result: 'work.result',
  satisfaction: 'work.satisfaction',
  customerOpinion: 'work.opinion',
  signature: 'sign.pad',
  signer: 'sign.signer',
  receipt: 'doc.form.acceptanceReceipt',
  scan: 'doc.scan',
  document: 'doc.document',
  fileName: 'doc.scan',
  nonconformingHandling: 'return.handling',
  dateFrom: 'wo.filter.from',
  dateTo: 'wo.filter.to',
  // spare parts
  'parts.n.partId': 'part.catalog',
  'parts.n.newSerial': 'part.newSerial',
  'parts.n.faultySerial': 'part.faultySerial',
  priceFen: 'partForm.price',
  unit: 'partForm.unit',
  reorderPoint: 'partForm.reorder',
  serialTracked: 'partForm.serialTracked',
  locationId: 'stock.location',
  fromLocationId: 'transfer.from',
  toLocationId: 'transfer.to',
  qty: 'stock.qty',
  serials: 'stock.serials',
  'serials.n': 'stock.serials',
  supplier: 'receive.supplier',
  partId: 'reqForm.part',
  workOrderId: 'approvals.col.workOrder',
  requisitionId: 'unused.req',
  purpose: 'reqForm.purpose',
  comment: 'approve.comment',
  lines: 'reqForm.part',
  'lines.n.partId': 'reqForm.part',
  'lines.n.qty': 'reqForm.qty',
  'lines.n.serials': 'stock.serials',
  'lines.n.countedQty': 'stocktake.col.counted',
  'lines.n.reason': 'stocktake.col.reason',
  photos: 'scrap.photos',
  'photos.n.bytes': 'scrap.photos',
  'photos.n.fileName': 'scrap.photos',
  scrapIds: 'dispose.pick',
  batch: 'dispose.batch',
  method: 'dispose.method',
  witness: 'dispose.witness',
  approve: 'approvals.approve',
  // complaints, their limits and the calendar
  level: 'complaint.levelLabel',
  complainant: 'complaint.complainant',
  phone: 'complaint.phone',
  object: 'complaint.object',
  content: 'complaint.content',
  demand: 'complaint.demand',
  department: 'complaint.department',
  reaction: 'complaint.reactionLabel',
  feedback: 'complaint.feedback',
  file: 'file.label',
  acceptHours: 'sla.acceptHours',
  respondHours: 'sla.respondHours',
  closeDays: 'sla.closeDays',
  atRiskPercent: 'sla.atRiskPercent',
  year: 'calendar.yearLabel',
  from: 'wo.filter.from',
  to: 'wo.filter.to',
  'days.n.name': 'calendar.name',
  keep: 'backup.keep',
};

export function fieldLabel(field: string): string {
  const id = FIELD_LABELS[fieldKey(field)];
  return id ? t(id) : field;
}
