import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { BoardFilter } from '$lib/bindings/BoardFilter';
import ComplaintBoard from './ComplaintBoard.svelte';
import { fakeCore, status } from '../../../test/ipc';
import { board, boardItem } from '../../../test/complaints';
import { setLocale } from '$lib/i18n/index.svelte';
import { session } from '$lib/state/session.svelte';

const cell = (level: number, state: string) =>
  screen.getByTestId(`complaint-board-cell-${level}-${state}`);

afterEach(() => vi.useRealTimers());

describe('ComplaintBoard', () => {
  it('shows the counts per level and state, and the most pressing cards', async () => {
    session.apply(status());
    fakeCore({ complaint_board: () => board() });
    render(ComplaintBoard);
    await screen.findByTestId('complaint-board-matrix');
    expect(cell(2, 'breached').dataset.count).toBe('1');
    expect(cell(1, 'onTrack').dataset.count).toBe('3');
    expect(cell(4, 'atRisk').dataset.count).toBe('0');
    expect(screen.getByTestId('complaint-board-level-total-1').textContent).toBe('3');
    expect(screen.getByTestId('complaint-board-state-total-paused').textContent).toBe('2');
    expect(screen.getByTestId('complaint-board-total').textContent).toBe('6');

    const card = screen.getByTestId('complaint-card-SH01-TS-2026-000004');
    expect(card.dataset.state).toBe('breached');
    expect(card.getAttribute('href')).toBe('#/complaints/cp-1');
    expect(card.textContent).toContain('二级（一般） · 技术组处理');
    expect(card.textContent).toContain('产品质量');
    expect(card.textContent).toContain('张伟');
    expect(card.textContent).toContain('王芳');
    expect(within(card).getByTestId('complaint-card-escalated').textContent).toContain('1');
    // due two hours before the board's instant
    expect(within(card).getByTestId('complaint-card-due').textContent).toContain('已超时 2 小时');
    const other = screen.getByTestId('complaint-card-SH01-TS-2026-000005');
    expect(within(other).queryByTestId('complaint-card-escalated')).toBeNull();
    expect(within(other).getByTestId('complaint-card-due').textContent).toContain(
      '1 天 2 小时后到期',
    );
    expect(screen.getByTestId('complaint-new')).toBeTruthy();
  });

  it('filters by a cell, a row or a column, and clears on the same click again', async () => {
    session.apply(status());
    const calls = fakeCore({
      complaint_board: (a) => {
        const f = a.filter as BoardFilter;
        return f.state === 'breached' ? board({ items: [boardItem()], matching: 1 }) : board();
      },
    });
    render(ComplaintBoard);
    await screen.findByTestId('complaint-board-matrix');
    const filters = () =>
      calls.filter((c) => c.cmd === 'complaint_board').map((c) => c.args.filter as BoardFilter);

    await fireEvent.click(cell(2, 'breached'));
    await waitFor(() => expect(filters()).toHaveLength(2));
    expect(filters()[1]).toEqual({ level: 2, state: 'breached', limit: 100 });
    expect(cell(2, 'breached').getAttribute('aria-pressed')).toBe('true');
    await waitFor(() =>
      expect(screen.queryByTestId('complaint-card-SH01-TS-2026-000005')).toBeNull(),
    );
    expect(screen.getByTestId('complaint-board-clear')).toBeTruthy();

    await fireEvent.click(cell(2, 'breached'));
    await waitFor(() => expect(filters()).toHaveLength(3));
    expect(filters()[2]).toEqual({ level: null, state: null, limit: 100 });

    await fireEvent.click(screen.getByTestId('complaint-board-level-3'));
    await waitFor(() => expect(filters()[3]).toEqual({ level: 3, state: null, limit: 100 }));
    await fireEvent.click(screen.getByTestId('complaint-board-state-atRisk'));
    await waitFor(() => expect(filters()[4]).toEqual({ level: null, state: 'atRisk', limit: 100 }));
  });

  it('reads the board again on its own every refresh period', async () => {
    session.apply(status());
    const calls = fakeCore({ complaint_board: () => board() });
    const { unmount } = render(ComplaintBoard, { refreshMs: 30 });
    await screen.findByTestId('complaint-board-matrix');
    await waitFor(
      () => expect(calls.filter((c) => c.cmd === 'complaint_board').length).toBeGreaterThan(2),
      { timeout: 5000 },
    );
    unmount();
    const n = calls.length;
    await new Promise((r) => setTimeout(r, 80));
    expect(calls.length).toBe(n); // the timer stops with the screen
  });

  it('says when nothing is open, in the user’s language', async () => {
    session.apply(status({ user: { ...status().user!, role: 'technician' } }));
    setLocale('en');
    fakeCore({ complaint_board: () => board({ cells: [], items: [], matching: 0 }) });
    render(ComplaintBoard);
    expect((await screen.findByTestId('complaint-board-empty')).textContent).toContain(
      'No open complaints',
    );
    // a technician may look but not register
    expect(screen.queryByTestId('complaint-new')).toBeNull();
    expect(screen.queryByTestId('complaints-tab-new')).toBeNull();
  });
});
