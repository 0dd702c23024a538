//! The customer archive.
import { call } from './invoke';
import type { SearchPage } from '$lib/bindings/SearchPage';
import type { CustomerDetail } from '$lib/bindings/CustomerDetail';
import type { CustomerInput } from '$lib/bindings/CustomerInput';

/** search_customers pages are 0-based (SearchPage.page). */
export const FIRST_PAGE = 0;

/** `siteId` narrows to the customers one site created (null: every site). */
export const searchCustomers = (
  query: string,
  page: number,
  pageSize: number,
  siteId: string | null = null,
) => call<SearchPage>('search_customers', { query, page, pageSize, siteId });
export const getCustomer = (id: string) => call<CustomerDetail>('get_customer', { id });
export const createCustomer = (input: CustomerInput) =>
  call<CustomerDetail>('create_customer', { input });
export const updateCustomer = (id: string, rev: number, input: CustomerInput) =>
  call<CustomerDetail>('update_customer', { id, rev, input });
