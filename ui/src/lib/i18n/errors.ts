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
  // `today` (future_date) is a calendar date: shown the way the user reads dates.
  if (typeof out.today === 'string') out.today = formatDate(out.today, locale());
  return out;
}

/** The text for one field issue, e.g. "最多 40 个字符，请删减。" */
export function issueText(issue: FieldIssue): string {
  const params = paramsOf(issue.params);
  const last = issue.field.split('.').pop() ?? issue.field;
  for (const id of [
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

/** Field path → text of its first issue, for showing under each field. */
export function fieldErrors(e: ErrorPayload | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!e) return out;
  for (const issue of issuesOf(e)) out[issue.field] ??= issueText(issue);
  return out;
}

/** The sentence for the banner above a form. */
export function errorText(e: ErrorPayload): string {
  if (e.code === 'validation') {
    const issues = issuesOf(e);
    if (issues.length === 1 && !issues[0].field) return issueText(issues[0]);
    return t('error.validation', { count: Math.max(issues.length, 1) });
  }
  const id = `error.${e.code}`;
  return hasMessage(id) ? t(id as MessageId) : t('error.io');
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
};

export function fieldLabel(field: string): string {
  const id = FIELD_LABELS[fieldKey(field)];
  return id ? t(id) : field;
}
