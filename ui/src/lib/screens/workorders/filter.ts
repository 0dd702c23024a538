//! The list's filter fields → the core's WorkOrderFilter. Blank means "any"; the dates are
//! reshaped like every date field, and judged by the core.
import type { State } from '$lib/bindings/State';
import type { WorkOrderFilter } from '$lib/bindings/WorkOrderFilter';
import { normalizeDate } from '$lib/forms/input';

export interface ListFilters {
  state: State | '';
  technicianId: string;
  dateFrom: string;
  dateTo: string;
  query: string;
  /** The origin site (`sites.id`). */
  siteId: string;
}

export const blankFilters = (): ListFilters => ({
  state: '',
  technicianId: '',
  dateFrom: '',
  dateTo: '',
  query: '',
  siteId: '',
});

export function buildFilter(
  f: ListFilters,
  page: number,
  customerId: string | null = null,
): WorkOrderFilter {
  const query = f.query.trim();
  return {
    state: f.state || null,
    technicianId: f.technicianId || null,
    dateFrom: normalizeDate(f.dateFrom),
    dateTo: normalizeDate(f.dateTo),
    query: query || null,
    customerId,
    siteId: f.siteId || null,
    page,
  };
}
