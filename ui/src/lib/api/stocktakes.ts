//! Stocktakes of one store location: started (the book is snapshotted and the blank count
//! sheet issued), counted (any lines at a time), submitted, then posted or rejected by a
//! supervisor who did not count. Each step takes the stocktake's `rev`.
import { call } from './invoke';
import type { Stocktake } from '$lib/bindings/Stocktake';
import type { StocktakeCount } from '$lib/bindings/StocktakeCount';
import type { StocktakeState } from '$lib/bindings/StocktakeState';

/** Newest first; null filters mean "any". */
export const listStocktakes = (
  stateFilter: StocktakeState | null,
  locationId: string | null = null,
) => call<Stocktake[]>('stocktake_list', { stateFilter, locationId });
export const getStocktake = (id: string) => call<Stocktake>('stocktake_get', { id });
export const startStocktake = (locationId: string) =>
  call<Stocktake>('stocktake_start', { locationId });
/** `lines.N` of an error names the Nth count sent. */
export const enterCounts = (id: string, rev: number, counts: StocktakeCount[]) =>
  call<Stocktake>('stocktake_enter_counts', { id, rev, counts });
/** `lines.N.countedQty` of an error names the stocktake's own Nth line. */
export const submitStocktake = (id: string, rev: number) =>
  call<Stocktake>('stocktake_submit', { id, rev });
export const postStocktake = (id: string, rev: number) =>
  call<Stocktake>('stocktake_post', { id, rev });
export const rejectStocktake = (id: string, rev: number, comment: string) =>
  call<Stocktake>('stocktake_reject', { id, rev, comment });
