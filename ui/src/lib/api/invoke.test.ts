import { describe, expect, it } from 'vitest';
import { toErrorPayload } from './invoke';
import { searchCustomers } from './customers';
import { signIn } from './app';
import { fakeCore, validation } from '../../test/ipc';

describe('toErrorPayload', () => {
  it('keeps a payload from the core and fills what is missing', () => {
    const e = toErrorPayload({
      code: 'validation',
      message: 'bad',
      issues: [{ field: 'name', rule: 'too_long', params: { max: 40 } }],
    });
    expect(e).toEqual({
      code: 'validation',
      message: 'bad',
      field: null,
      rule: null,
      params: {},
      issues: [{ field: 'name', rule: 'too_long', params: { max: '40' } }],
    });
  });

  it('turns a bare string from Tauri into an io error that keeps the text', () => {
    const e = toErrorPayload('command search_customers not found');
    expect(e.code).toBe('io');
    expect(e.message).toContain('not found');
    expect(e.issues).toEqual([]);
  });

  it('turns an exception or an unknown code into an io error', () => {
    expect(toErrorPayload(new Error('boom')).message).toBe('boom');
    expect(toErrorPayload({ code: 'martian' }).code).toBe('io');
    expect(toErrorPayload(undefined).code).toBe('io');
  });
});

describe('api calls', () => {
  it('send the command name and camelCase arguments of the contract', async () => {
    const calls = fakeCore({
      search_customers: () => ({
        hits: [],
        total: 0,
        totalIsLowerBound: false,
        page: 1,
        pageSize: 20,
      }),
    });
    await searchCustomers('张', 1, 20);
    expect(calls).toEqual([
      { cmd: 'search_customers', args: { query: '张', page: 1, pageSize: 20, siteId: null } },
    ]);
  });

  it('reject with an ErrorPayload', async () => {
    fakeCore({
      sign_in: () => {
        throw validation([{ field: 'username', rule: 'required', params: {} }]);
      },
    });
    await expect(signIn('', 'x')).rejects.toMatchObject({
      code: 'validation',
      issues: [{ field: 'username', rule: 'required' }],
    });
  });

  it('reject with an ErrorPayload even when Tauri itself refuses', async () => {
    fakeCore({});
    await expect(signIn('a', 'b')).rejects.toMatchObject({ code: 'io', issues: [] });
  });
});
