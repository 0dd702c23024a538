import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import type { SearchHit } from '$lib/bindings/SearchHit';
import GlobalSearch from './GlobalSearch.svelte';
import { fakeCore } from '../../test/ipc';
import { router } from '$lib/state/router.svelte';

const hits: SearchHit[] = [
  {
    customerId: 'c-1',
    kind: 'person',
    name: '张伟',
    phone: '13812345678',
    city: '苏州市',
    serials: ['KF-2201'],
    siteCode: 'SH01',
    siteName: '上海浦东服务站',
  },
  {
    customerId: 'c-2',
    kind: 'company',
    name: '张江科技',
    phone: '02161234567',
    city: '上海市',
    serials: [],
    siteCode: 'SH01',
    siteName: '上海浦东服务站',
  },
];

function core() {
  return fakeCore({
    search_customers: (a) => ({
      hits: String(a.query).startsWith('张') ? hits : [],
      total: 2,
      totalIsLowerBound: false,
      page: a.page,
      pageSize: a.pageSize,
    }),
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  router.go({ name: 'customers', q: '' });
});
afterEach(() => vi.useRealTimers());

async function typeInto(input: HTMLElement, value: string) {
  await fireEvent.input(input, { target: { value } });
}

describe('GlobalSearch', () => {
  it('waits for a pause in typing, then searches once with the last text', async () => {
    const calls = core();
    render(GlobalSearch, { debounceMs: 150 });
    const box = screen.getByTestId('global-search');
    await typeInto(box, '张');
    await vi.advanceTimersByTimeAsync(50);
    await typeInto(box, '张伟');
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60);
    expect(calls).toHaveLength(1);
    expect(calls[0].args).toMatchObject({ query: '张伟', pageSize: 8 });
    const results = await screen.findAllByTestId('search-result');
    expect(results).toHaveLength(2);
    expect(results[0].textContent).toContain('张伟');
    expect(results[0].textContent).toContain('138 1234 5678');
    expect(results[0].textContent).toContain('KF-2201');
  });

  it('moves with the arrow keys and opens the selected customer with Enter', async () => {
    core();
    render(GlobalSearch, { debounceMs: 150 });
    const box = screen.getByTestId('global-search');
    await typeInto(box, '张');
    await vi.advanceTimersByTimeAsync(200);
    await screen.findAllByTestId('search-result');
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(screen.getAllByTestId('search-result')[1].getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(box, { key: 'Enter' });
    await vi.advanceTimersByTimeAsync(0);
    expect(router.route).toEqual({ name: 'customer', id: 'c-2' });
    expect((box as HTMLInputElement).value).toBe('');
  });

  it('opens the first hit on Enter even before the pause is over', async () => {
    core();
    render(GlobalSearch, { debounceMs: 150 });
    const box = screen.getByTestId('global-search');
    await typeInto(box, '张');
    await fireEvent.keyDown(box, { key: 'Enter' });
    await vi.advanceTimersByTimeAsync(0);
    expect(router.route).toEqual({ name: 'customer', id: 'c-1' });
  });

  it('says so when nothing matches', async () => {
    core();
    render(GlobalSearch, { debounceMs: 150 });
    await typeInto(screen.getByTestId('global-search'), '无此人');
    await vi.advanceTimersByTimeAsync(200);
    expect((await screen.findByTestId('search-empty')).textContent).toContain('新建客户');
  });

  it('is focused by / from anywhere except while typing in a field', async () => {
    core();
    render(GlobalSearch);
    const other = document.createElement('input');
    document.body.append(other);
    other.focus();
    await fireEvent.keyDown(other, { key: '/' });
    expect(document.activeElement).toBe(other);
    other.blur();
    await fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(screen.getByTestId('global-search'));
    other.remove();
  });
});
