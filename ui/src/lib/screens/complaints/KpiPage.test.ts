import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { ComplaintKpis } from '$lib/bindings/ComplaintKpis';
import type { KpiFilter } from '$lib/bindings/KpiFilter';
import KpiPage from './KpiPage.svelte';
import { fakeCore, status } from '../../../test/ipc';
import { session } from '$lib/state/session.svelte';

const kpis = (over: Partial<ComplaintKpis> = {}): ComplaintKpis => ({
  from: '2026-03-01',
  to: '2026-03-31',
  received: 12,
  open: 5,
  closed: 6,
  invalid: 1,
  byKindLevel: [
    { kind: 'productQuality', level: 2, count: 4 },
    { kind: 'service', level: 1, count: 7 },
    { kind: 'proposal', level: 4, count: 1 },
  ],
  clocks: [
    { clock: 'accept', met: 11, missed: 1, rate: 11 / 12 },
    { clock: 'respond', met: 8, missed: 2, rate: 0.8 },
    { clock: 'close', met: 0, missed: 0, rate: null },
  ],
  meanHoursToClose: 53.5,
  reopened: 1,
  reopenRate: 1 / 6,
  ...over,
});

describe('KpiPage', () => {
  it('reads this month at the site by default and shows the figures', async () => {
    session.apply(status());
    const calls = fakeCore({ complaint_kpis: () => kpis() });
    render(KpiPage);
    await screen.findByTestId('kpi-received');
    const filter = calls[0].args.filter as KpiFilter;
    expect(filter.from).toMatch(/^\d{4}-\d{2}-01$/);
    expect(filter.to.slice(0, 7)).toBe(filter.from.slice(0, 7));
    expect(screen.getByTestId('kpi-received').dataset.value).toBe('12');
    expect(screen.getByTestId('kpi-invalid').textContent).toContain('1');
    // 53.5 hours → 2 days 5.5 hours
    expect(screen.getByTestId('kpi-mean-close').textContent).toContain('2 天 6 小时');
    expect(screen.getByTestId('kpi-reopen-rate').textContent).toContain('16.7%');
    expect(screen.getByTestId('kpi-bar-service-1').dataset.count).toBe('7');
    expect(screen.getByTestId('kpi-bar-service-2').dataset.count).toBe('0');
    expect(screen.getByTestId('kpi-clock-accept').textContent).toContain('91.7%');
    expect(screen.getByTestId('kpi-clock-close').textContent).toContain('—');
  });

  it('reads another period', async () => {
    session.apply(status());
    const calls = fakeCore({ complaint_kpis: () => kpis() });
    render(KpiPage);
    await screen.findByTestId('kpi-received');
    await fireEvent.click(screen.getByTestId('kpi-period-year'));
    await waitFor(() => expect(calls).toHaveLength(2));
    const f = calls[1].args.filter as KpiFilter;
    expect(f.from.slice(5)).toBe('01-01');
    expect(f.to.slice(5)).toBe('12-31');
  });
});
