import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import NetworkTab from './NetworkTab.svelte';
import { admin, fakeCore, status, validation } from '../../../test/ipc';
import { peers } from '../../../test/exchange';
import { session } from '$lib/state/session.svelte';
import type { Peer } from '$lib/bindings/Peer';

describe('NetworkTab', () => {
  it('lists the peers with their relation, and this site', async () => {
    session.apply(status());
    fakeCore({ exchange_peers: () => peers });
    render(NetworkTab);
    const c01 = await screen.findByTestId('exchange-peer-C01');
    expect(c01.dataset.relation).toBe('above');
    expect(c01.textContent).toContain('华东地区服务中心');
    expect(c01.textContent).toContain('上级');
    expect(screen.getByTestId('exchange-peer-WX01').textContent).toContain('下级');
    expect(screen.getByTestId('exchange-network-here').textContent).toBe(
      '本站点：SH01 上海浦东服务站（特约服务网点）',
    );
  });

  it('lets an admin add a site, with the core refusing a bad code under its field', async () => {
    session.apply(status());
    const calls = fakeCore({
      exchange_peers: () => peers,
      exchange_add_peer: (a) => {
        const p = a.peer as Peer;
        if (p.code === 'X')
          throw validation([{ field: 'code', rule: 'invalid_site_code', params: {} }]);
        return [...peers, { ...p, code: p.code.toUpperCase() }];
      },
    });
    render(NetworkTab);
    await screen.findByTestId('exchange-peer-C01');
    const code = screen.getByTestId('exchange-peer-code') as HTMLInputElement;
    await fireEvent.input(code, { target: { value: 'X' } });
    await fireEvent.click(screen.getByTestId('exchange-peer-add'));
    expect((await screen.findByTestId('field-error-code')).textContent).toContain(
      '2–12 个字母或数字',
    );

    await fireEvent.input(code, { target: { value: 'wx02' } });
    await fireEvent.input(screen.getByTestId('exchange-peer-name'), {
      target: { value: '苏州特约网点' },
    });
    await fireEvent.click(screen.getByTestId('exchange-peer-add'));
    await screen.findByTestId('exchange-peer-WX02');
    expect(screen.getByTestId('exchange-peer-added').textContent).toContain('已添加 WX02');
    expect(screen.queryByTestId('field-error-code')).toBeNull();
    expect(calls.filter((c) => c.cmd === 'exchange_add_peer').map((c) => c.args.peer)).toEqual([
      { code: 'X', name: '', relation: 'below' },
      { code: 'wx02', name: '苏州特约网点', relation: 'below' },
    ]);
    await waitFor(() => expect(code.value).toBe(''));
  });

  it('offers the form to admins only', async () => {
    session.apply(status({ user: { ...admin, role: 'supervisor' } }));
    fakeCore({ exchange_peers: () => [] });
    render(NetworkTab);
    await screen.findByTestId('exchange-peers-empty');
    expect(screen.queryByTestId('exchange-peer-form')).toBeNull();
    expect(screen.getByTestId('exchange-peer-admin-only')).toBeTruthy();
  });
});
