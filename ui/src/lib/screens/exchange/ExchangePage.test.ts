import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import ExchangePage from './ExchangePage.svelte';
import { admin, fakeCore, status } from '../../../test/ipc';
import { peers } from '../../../test/exchange';
import { session } from '$lib/state/session.svelte';

const tabs = () =>
  screen
    .getAllByRole('link')
    .map((a) => a.dataset.testid)
    .filter((id) => id?.startsWith('exchange-tab-'));

describe('ExchangePage', () => {
  it('offers export and import to supervisors and admins', async () => {
    session.apply(status({ user: { ...admin, role: 'supervisor' } }));
    fakeCore({ exchange_peers: () => peers });
    render(ExchangePage, { tab: 'transfer' });
    expect(tabs()).toEqual([
      'exchange-tab-transfer',
      'exchange-tab-history',
      'exchange-tab-conflicts',
      'exchange-tab-network',
    ]);
    expect(screen.getByTestId('exchange-tab-transfer').getAttribute('aria-current')).toBe('page');
    await screen.findByTestId('exchange-export-submit');
    expect(screen.getByTestId('exchange-import-submit')).toBeTruthy();
  });

  it('shows the others the history, conflicts and network, without export or import', async () => {
    session.apply(status({ user: { ...admin, role: 'technician' } }));
    fakeCore({ exchange_history: () => [], exchange_peers: () => peers });
    render(ExchangePage, { tab: 'transfer' });
    expect(tabs()).toEqual([
      'exchange-tab-history',
      'exchange-tab-conflicts',
      'exchange-tab-network',
    ]);
    expect(screen.getByTestId('exchange-tab-history').getAttribute('aria-current')).toBe('page');
    await screen.findByTestId('exchange-history-empty');
    expect(screen.queryByTestId('exchange-export-submit')).toBeNull();
    expect(screen.queryByTestId('exchange-import-submit')).toBeNull();
  });
});
