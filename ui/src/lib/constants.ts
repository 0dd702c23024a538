//! Closed lists the screens offer. They mirror the Rust enums (Role, Tier) in order.
import type { Role } from '$lib/bindings/Role';
import type { Tier } from '$lib/bindings/Tier';

// Written as records so that a role or tier added in Rust fails the type check here.
const ROLE_ORDER: Record<Role, number> = {
  frontDesk: 0,
  dispatcher: 1,
  technician: 2,
  warehouseKeeper: 3,
  cashier: 4,
  returnVisitOfficer: 5,
  supervisor: 6,
  admin: 7,
};
export const ROLES = (Object.keys(ROLE_ORDER) as Role[]).sort(
  (a, b) => ROLE_ORDER[a] - ROLE_ORDER[b],
);

const TIER_ORDER: Record<Tier, number> = { hq: 0, centre: 1, outlet: 2 };
export const TIERS = (Object.keys(TIER_ORDER) as Tier[]).sort(
  (a, b) => TIER_ORDER[a] - TIER_ORDER[b],
);

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Common zones for the sites of the network; the core accepts any IANA name. */
export const TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Urumqi',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Kuala_Lumpur',
  'Asia/Bangkok',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Dubai',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Moscow',
  'America/New_York',
  'America/Los_Angeles',
  'Australia/Sydney',
  'UTC',
] as const;

export type TimeZone = (typeof TIME_ZONES)[number];

export function isListedZone(z: string): z is TimeZone {
  return (TIME_ZONES as readonly string[]).includes(z);
}
