//! Empty contact and address rows for the customer form. A row left blank is skipped by the
//! core, so a clerk does not have to remove the empty row the form starts with.
import type { AddressInput } from '$lib/bindings/AddressInput';
import type { ContactInput } from '$lib/bindings/ContactInput';

export const blankContact = (): ContactInput => ({ id: null, name: '', phone: '', title: '' });
export const blankAddress = (): AddressInput => ({
  id: null,
  province: '',
  city: '',
  district: '',
  detail: '',
});
