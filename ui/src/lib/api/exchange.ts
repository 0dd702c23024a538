//! Exchange between the sites of the network (outlet → centre → HQ, policy down): export and
//! import bundles, the history of both, the peers this site exchanges with, and the records
//! changed at two sites that wait for a person to decide.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { call } from './invoke';
import type { Conflict } from '$lib/bindings/Conflict';
import type { ExchangeProgress } from '$lib/bindings/ExchangeProgress';
import type { ExchangeSummary } from '$lib/bindings/ExchangeSummary';
import type { ExportOptions } from '$lib/bindings/ExportOptions';
import type { ImportOptions } from '$lib/bindings/ImportOptions';
import type { Peer } from '$lib/bindings/Peer';

/** Which version of a conflicting record is to stand. */
export type Keep = 'local' | 'incoming';

/**
 * Writes a bundle. Without a `path` the shell asks where in the system save dialog;
 * `null` back means the person cancelled it (nothing was written or recorded).
 */
export const exportBundle = (options: ExportOptions, path: string | null = null) =>
  call<ExchangeSummary | null>('exchange_export', { options, path });

/**
 * The system file dialog for a bundle to import; the chosen path, or `null` when the person
 * cancelled it. Picking first lets a retry (a site confirmed as one of ours) import the same
 * file without asking again.
 */
export const pickBundle = () => call<string | null>('exchange_pick_bundle');

/**
 * Verifies and applies a bundle, all or nothing. Without a `path` the shell opens the system
 * file dialog; `null` back means it was cancelled. A refused file is a validation error on
 * the field `file` (see the `exchange` texts in i18n/errors).
 */
export const importBundle = (options: ImportOptions, path: string | null = null) =>
  call<ExchangeSummary | null>('exchange_import', { options, path });

/** Exports and imports, newest first. */
export const exchangeHistory = () => call<ExchangeSummary[]>('exchange_history');

/** The sites this one exchanges with: its centre above, its outlets below. */
export const listPeers = () => call<Peer[]>('exchange_peers');
/** Adds (or renames) a site of the network (admin); returns the whole list. */
export const addPeer = (peer: Peer) => call<Peer[]>('exchange_add_peer', { peer });

export const listConflicts = (openOnly: boolean) =>
  call<Conflict[]>('exchange_conflicts', { openOnly });
/** A person decides which version stands; the chosen one is written when it is not already. */
export const resolveConflict = (id: string, keep: Keep) =>
  call<Conflict>('exchange_resolve', { id, keep });

/**
 * Where a running export or import is (stage, table, rows done of the total), as the core
 * reports it; returns the function that stops listening.
 */
export const onExchangeProgress = (cb: (p: ExchangeProgress) => void): Promise<UnlistenFn> =>
  listen<ExchangeProgress>('exchange-progress', (e) => cb(e.payload));
