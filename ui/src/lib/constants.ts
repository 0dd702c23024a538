//! Closed lists the screens offer. They mirror the Rust enums (Role, Tier) in order.
import type { Role } from '$lib/bindings/Role';
import type { Tier } from '$lib/bindings/Tier';

export const ROLES: readonly Role[] = [
  'frontDesk',
  'dispatcher',
  'technician',
  'warehouseKeeper',
  'cashier',
  'returnVisitOfficer',
  'supervisor',
  'admin',
];

export const TIERS: readonly Tier[] = ['hq', 'centre', 'outlet'];

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
