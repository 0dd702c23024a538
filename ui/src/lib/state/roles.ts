//! Which actions a role can never take, so that their buttons are not offered. The core
//! decides every call (`Role::can` in users.rs) and refuses with `forbidden`; these lists only
//! mirror it to keep dead buttons off the screen, as the settings do for the admin.
import type { Role } from '$lib/bindings/Role';
import { session } from './session.svelte';

const MANAGE_STOCK: readonly Role[] = ['warehouseKeeper', 'supervisor', 'admin'];
const REQUEST_PARTS: readonly Role[] = [
  'frontDesk',
  'dispatcher',
  'technician',
  'warehouseKeeper',
  'supervisor',
  'admin',
];
/** Approve requisitions (never one's own: the core refuses that as `self_approval`). */
const APPROVE: readonly Role[] = ['warehouseKeeper', 'supervisor', 'admin'];
/** Post a stocktake, give a scrap request its final approval: they write off stock value. */
const SUPERVISE: readonly Role[] = ['supervisor', 'admin'];
/** The reviewing department's step of a scrap request. */
const REVIEW_SCRAP: readonly Role[] = ['warehouseKeeper', 'supervisor', 'admin'];

/** Register complaints and record their steps (HandleComplaints). */
const HANDLE_COMPLAINTS: readonly Role[] = [
  'frontDesk',
  'dispatcher',
  'returnVisitOfficer',
  'supervisor',
  'admin',
];
/** Decide responsibility and reward/punishment: management's step (DecideComplaints). */
const DECIDE_COMPLAINTS: readonly Role[] = ['supervisor', 'admin'];
/** The SLA policy and the working-day calendar (ManagePolicy). */
const MANAGE_POLICY: readonly Role[] = ['admin'];
/** Export and import bundles, resolve their conflicts (ExchangeData). */
const EXCHANGE_DATA: readonly Role[] = ['supervisor', 'admin'];
/** The site's own record and its network of peers (ManageSite). */
const MANAGE_SITE: readonly Role[] = ['admin'];
/** Back up now, restore, how many backups are kept (ManageBackups). */
const MANAGE_BACKUPS: readonly Role[] = ['admin'];

const has = (roles: readonly Role[]) => {
  const role = session.user?.role;
  return !!role && roles.includes(role);
};

/** The warehouse: catalog, locations, receipts, transfers, issues, returns. */
export const canManageStock = () => has(MANAGE_STOCK);
export const canRequestParts = () => has(REQUEST_PARTS);
export const canApprove = () => has(APPROVE);
export const canApproveStocktakes = () => has(SUPERVISE);
export const canReviewScrap = () => has(REVIEW_SCRAP);
export const canApproveScrap = () => has(SUPERVISE);
/** The approvals inbox holds decisions and issues: for approvers and the warehouse. */
export const seesApprovals = () =>
  has(APPROVE) || has(MANAGE_STOCK) || has(SUPERVISE) || has(REVIEW_SCRAP);

export const canHandleComplaints = () => has(HANDLE_COMPLAINTS);
export const canDecideComplaints = () => has(DECIDE_COMPLAINTS);
export const canManagePolicy = () => has(MANAGE_POLICY);
export const canManageBackups = () => has(MANAGE_BACKUPS);
/** Hand over a complaint someone else owns (the owner may always hand over their own). */
export const canHandOverAnyComplaint = () => has(SUPERVISE);

/** Export, import, decide a conflict. Everyone may read the history, peers and conflicts. */
export const canExchangeData = () => has(EXCHANGE_DATA);
/** Add a site to this site's network. */
export const canManageSite = () => has(MANAGE_SITE);
