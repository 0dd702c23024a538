//! Site users (admin only).
import { call } from './invoke';
import type { User } from '$lib/bindings/User';
import type { NewUser } from '$lib/bindings/NewUser';
import type { UserUpdate } from '$lib/bindings/UserUpdate';

export const listUsers = () => call<User[]>('list_users');
export const createUser = (input: NewUser) => call<User>('create_user', { input });
export const updateUser = (id: string, rev: number, input: UserUpdate) =>
  call<User>('update_user', { id, rev, input });
export const setPassword = (id: string, password: string) =>
  call<User>('set_password', { id, password });
