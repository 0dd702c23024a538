//! Scrap requests: asked with the reason and photos, reviewed by the warehouse, approved by a
//! supervisor (three different people), held in the scrap location, destroyed in batches
//! before a witness. Each decision takes the request's `rev`.
import { call } from './invoke';
import type { Disposal } from '$lib/bindings/Disposal';
import type { DisposalInput } from '$lib/bindings/DisposalInput';
import type { Scrap } from '$lib/bindings/Scrap';
import type { ScrapInput } from '$lib/bindings/ScrapInput';
import type { ScrapState } from '$lib/bindings/ScrapState';

export const listScrap = (stateFilter: ScrapState | null) =>
  call<Scrap[]>('scrap_list', { stateFilter });
export const getScrap = (id: string) => call<Scrap>('scrap_get', { id });
/** Photos travel as byte arrays (PNG or JPEG, told by the bytes). */
export const requestScrap = (input: ScrapInput) => call<Scrap>('scrap_request', { input });
/** The reviewing department's step; a refusal needs a comment and ends the request. */
export const reviewScrap = (id: string, rev: number, approve: boolean, comment: string) =>
  call<Scrap>('scrap_review', { id, rev, approve, comment });
/** The final approval; never by the applicant or the reviewer. */
export const approveScrap = (id: string, rev: number, approve: boolean, comment: string) =>
  call<Scrap>('scrap_approve', { id, rev, approve, comment });
export const dispose = (input: DisposalInput) => call<Disposal>('scrap_dispose', { input });
/** A photo's stored bytes (Tauri hands a raw response over as an ArrayBuffer). */
export const scrapPhoto = (id: string) => call<ArrayBuffer>('scrap_photo', { id });
