//! The product model catalog.
import { call } from './invoke';
import type { ProductModel } from '$lib/bindings/ProductModel';
import type { ProductModelInput } from '$lib/bindings/ProductModelInput';

export const listModels = () => call<ProductModel[]>('list_models');
export const createModel = (input: ProductModelInput) =>
  call<ProductModel>('create_model', { input });
export const updateModel = (id: string, rev: number, input: ProductModelInput) =>
  call<ProductModel>('update_model', { id, rev, input });
