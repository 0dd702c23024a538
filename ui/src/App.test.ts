import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from './App.svelte';
import { admin, fakeCore, status, validation } from './test/ipc';
import type { AppStatus } from '$lib/bindings/AppStatus';
import type { Language } from '$lib/bindings/Language';

const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe('App start', () => {
  it('shows first-run setup, then says ui_ready once', async () => {
    const calls = fakeCore({
      app_status: () => status({ setUp: false, site: null, user: null }),
      ui_ready: () => null,
    });
    render(App);
    expect(await screen.findByTestId('setup-site-name')).toBeTruthy();
    expect(screen.getByTestId('app-root')).toBeTruthy();
    expect(screen.getByText('首次设置')).toBeTruthy();
    await waitFor(() => expect(calls.filter((c) => c.cmd === 'ui_ready')).toHaveLength(1));
    expect((screen.getByTestId('setup-site-timezone') as HTMLSelectElement).value).toBe(
      'Asia/Shanghai',
    );
  });

  it('applies the stored language at start', async () => {
    fakeCore({
      app_status: () => status({ user: null, language: 'en' }),
      ui_ready: () => null,
    });
    render(App);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
  });

  it('switches language through set_language and re-renders the texts', async () => {
    let language: Language = 'zh-CN';
    const calls = fakeCore({
      app_status: () => status({ user: null, language }),
      set_language: (a) => {
        language = a.language as Language;
        return status({ user: null, language });
      },
      ui_ready: () => null,
    });
    render(App);
    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
    await fireEvent.change(screen.getByTestId('lang-select'), { target: { value: 'en' } });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(calls.find((c) => c.cmd === 'set_language')?.args).toEqual({ language: 'en' });
    await fireEvent.change(screen.getByTestId('lang-select'), { target: { value: 'zh-TW' } });
    expect(await screen.findByRole('heading', { name: '登入' })).toBeTruthy();
  });

  it('signs in and shows the shell with the site and the user', async () => {
    const calls = fakeCore({
      app_status: () => status({ user: null }),
      sign_in: () => status(),
      search_customers: () => ({
        hits: [],
        total: 0,
        totalIsLowerBound: false,
        page: 0,
        pageSize: 25,
      }),
      ui_ready: () => null,
    });
    render(App);
    await screen.findByTestId('signin-username');
    await type('signin-username', 'admin');
    await type('signin-password', 'secret-123');
    await fireEvent.click(screen.getByTestId('signin-submit'));
    expect(await screen.findByTestId('nav-customers')).toBeTruthy();
    expect(screen.getByTestId('site-label').textContent).toContain('SH01');
    expect(screen.getByTestId('user-menu').textContent).toContain(admin.displayName);
    expect(calls.find((c) => c.cmd === 'sign_in')?.args).toEqual({
      username: 'admin',
      password: 'secret-123',
    });
  });

  it('says what to do after wrong credentials', async () => {
    fakeCore({
      app_status: () => status({ user: null }),
      sign_in: () => {
        throw {
          code: 'invalid_credentials',
          message: 'no',
          field: null,
          rule: null,
          params: {},
          issues: [],
        };
      },
      ui_ready: () => null,
    });
    render(App);
    await screen.findByTestId('signin-username');
    await type('signin-username', 'admin');
    await type('signin-password', 'wrong');
    await fireEvent.click(screen.getByTestId('signin-submit'));
    expect((await screen.findByTestId('form-error')).textContent).toContain('忘记密码请联系管理员');
    expect((screen.getByTestId('signin-password') as HTMLInputElement).value).toBe('');
  });

  it('signs out from the user menu', async () => {
    let current: AppStatus = status();
    fakeCore({
      app_status: () => current,
      sign_out: () => (current = status({ user: null })),
      search_customers: () => ({
        hits: [],
        total: 0,
        totalIsLowerBound: false,
        page: 0,
        pageSize: 25,
      }),
      ui_ready: () => null,
    });
    render(App);
    await fireEvent.click(await screen.findByTestId('user-menu'));
    await fireEvent.click(screen.getByTestId('signout'));
    expect(await screen.findByTestId('signin-username')).toBeTruthy();
  });
});

describe('Setup', () => {
  async function openSetup(handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
    const calls = fakeCore({
      app_status: () => status({ setUp: false, site: null, user: null }),
      ui_ready: () => null,
      ...handlers,
    });
    render(App);
    await screen.findByTestId('setup-site-name');
    await type('setup-site-name', '上海浦东服务站');
    await type('setup-site-code', 'SH01');
    await type('setup-site-hotline', '400-820-1234');
    await type('setup-admin-username', 'admin');
    await type('setup-admin-display-name', '王芳');
    await type('setup-admin-password', 'secret-123');
    return calls;
  }

  it('checks only that both passwords match before calling the core', async () => {
    const calls = await openSetup();
    await type('setup-admin-password2', 'secret-124');
    await fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('field-error-admin.password2')).textContent).toContain(
      '不一致',
    );
    expect(calls.some((c) => c.cmd === 'setup')).toBe(false);
  });

  it('sends SetupInput and shows the core’s issues per field', async () => {
    const calls = await openSetup({
      setup: () => {
        throw validation([
          { field: 'site.code', rule: 'invalid_site_code', params: {} },
          { field: 'admin.password', rule: 'too_short', params: { min: '8' } },
        ]);
      },
    });
    await type('setup-admin-password2', 'secret-123');
    await fireEvent.keyDown(screen.getByTestId('setup-admin-password2'), { key: 'Enter' });
    expect((await screen.findByTestId('field-error-site.code')).textContent).toContain('SH01');
    expect(screen.getByTestId('field-error-admin.password').textContent).toContain('至少需要 8 个');
    expect(calls.find((c) => c.cmd === 'setup')?.args).toEqual({
      input: {
        site: {
          name: '上海浦东服务站',
          code: 'SH01',
          tier: 'outlet',
          timeZone: 'Asia/Shanghai',
          hotline: '400-820-1234',
        },
        admin: { username: 'admin', displayName: '王芳', role: 'admin', password: 'secret-123' },
      },
    });
  });
});
