//! Installed units of a customer.
import { call } from './invoke';
import type { UnitInput } from '$lib/bindings/UnitInput';
import type { UnitView } from '$lib/bindings/UnitView';

export const createUnit = (customerId: string, input: UnitInput) =>
  call<UnitView>('create_unit', { customerId, input });
export const updateUnit = (id: string, rev: number, input: UnitInput) =>
  call<UnitView>('update_unit', { id, rev, input });
