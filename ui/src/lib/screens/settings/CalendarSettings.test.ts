import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { CalendarDay } from '$lib/bindings/CalendarDay';
import type { CalendarYear } from '$lib/bindings/CalendarYear';
import CalendarSettings from './CalendarSettings.svelte';
import { fakeCore, status, validation } from '../../../test/ipc';
import { session } from '$lib/state/session.svelte';
import { workingDays } from './calendar';

function year2026(days: CalendarDay[] = []): CalendarYear {
  return {
    year: 2026,
    days,
    workingDays: workingDays(2026, Object.fromEntries(days.map((d) => [d.date, d]))),
    hours: { start: '00:00', end: '24:00', rev: 1 },
  };
}

const day = (date: string) => screen.getByTestId(`calendar-day-${date}`);
const count = () => Number(screen.getByTestId('calendar-working-days').dataset.count);

// Twelve month grids are a few hundred buttons: generous waits for a busy machine.
const slow = { timeout: 5000 };

describe('CalendarSettings', { timeout: 20_000 }, () => {
  it('shows the year with its holidays and make-up days, and counts the working days', async () => {
    session.apply(status());
    fakeCore({
      calendar_year: () =>
        year2026([
          { date: '2026-09-27', kind: 'workday', name: '国庆调休' },
          { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
        ]),
    });
    render(CalendarSettings, { initialYear: 2026 });
    await waitFor(() => expect(day('2026-10-01').dataset.kind).toBe('holiday'), slow);
    expect(day('2026-10-01').textContent).toContain('休');
    expect(day('2026-09-27').dataset.kind).toBe('workday');
    expect(day('2026-09-27').dataset.weekend).toBe('true');
    expect(day('2026-10-02').dataset.kind).toBe('normal');
    expect(screen.getAllByTestId(/^calendar-month-/)).toHaveLength(12);
    // 261 weekdays in 2026, one off, one weekend worked
    expect(count()).toBe(261);
    expect(screen.getByTestId('calendar-import-hint').textContent).toContain(
      '2026-10-01,休,国庆节',
    );
  });

  it('cycles a weekday to a holiday and a weekend day to a working day, then saves the year', async () => {
    session.apply(status());
    const calls = fakeCore({
      calendar_year: () => year2026([{ date: '2026-10-01', kind: 'holiday', name: '国庆节' }]),
      calendar_set_year: (a) => year2026(a.days as CalendarDay[]),
    });
    render(CalendarSettings, { initialYear: 2026 });
    await waitFor(() => expect(day('2026-10-01').dataset.kind).toBe('holiday'), slow);
    const before = count();

    await fireEvent.click(day('2026-10-02')); // a Friday
    expect(day('2026-10-02').dataset.kind).toBe('holiday');
    // named after the neighbouring holiday, and the name can be changed
    const name = screen.getByTestId('calendar-day-name') as HTMLInputElement;
    expect(name.value).toBe('国庆节');
    await fireEvent.click(day('2026-10-10')); // a Saturday
    expect(day('2026-10-10').dataset.kind).toBe('workday');
    await fireEvent.input(screen.getByTestId('calendar-day-name'), {
      target: { value: '国庆调休' },
    });
    expect(count()).toBe(before); // one day off, one day worked
    await fireEvent.click(day('2026-10-01')); // back to an ordinary day
    expect(day('2026-10-01').dataset.kind).toBe('normal');
    expect(count()).toBe(before + 1);
    expect(screen.getByTestId('calendar-dirty')).toBeTruthy();
    expect((screen.getByTestId('calendar-next-year') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(screen.getByTestId('calendar-save'));
    await screen.findByTestId('calendar-notice', {}, slow);
    expect(calls.find((c) => c.cmd === 'calendar_set_year')?.args).toEqual({
      year: 2026,
      days: [
        { date: '2026-10-02', kind: 'holiday', name: '国庆节' },
        { date: '2026-10-10', kind: 'workday', name: '国庆调休' },
      ],
    });
    expect(screen.queryByTestId('calendar-dirty')).toBeNull();
  });

  it('names the day of a refused entry, imports a file and sets the hours', async () => {
    session.apply(status());
    const calls = fakeCore({
      calendar_year: () => year2026(),
      calendar_set_year: () => {
        throw validation([
          { field: 'days.0.kind', rule: 'out_of_range', params: { date: '2026-03-02' } },
        ]);
      },
      calendar_import: () => ({ years: [2026], entries: 2, changed: 2 }),
      calendar_set_hours: (a) => ({ start: a.start, end: a.end, rev: 2 }),
    });
    render(CalendarSettings, { initialYear: 2026 });
    await waitFor(
      () => expect((day('2026-03-02') as HTMLButtonElement).disabled).toBe(false),
      slow,
    );
    await fireEvent.click(day('2026-03-02'));
    await fireEvent.click(screen.getByTestId('calendar-save'));
    const issue = await screen.findByTestId('field-error-days.0.kind', {}, slow);
    expect(issue.textContent).toContain('2026-03-02');

    const input = screen.getByTestId('calendar-import-input') as HTMLInputElement;
    const file = new File(['2026-10-01,休,国庆节\n2026-09-27,班,国庆调休\n'], 'cal.csv');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    const result = await screen.findByTestId('calendar-import-result', {}, slow);
    expect(result.dataset.changed).toBe('2');
    expect(calls.find((c) => c.cmd === 'calendar_import')?.args).toEqual({
      text: '2026-10-01,休,国庆节\n2026-09-27,班,国庆调休\n',
    });

    await fireEvent.input(screen.getByTestId('calendar-hours-start'), {
      target: { value: '08:30' },
    });
    await fireEvent.input(screen.getByTestId('calendar-hours-end'), {
      target: { value: '17:30' },
    });
    await fireEvent.click(screen.getByTestId('calendar-hours-save'));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'calendar_set_hours')?.args).toEqual({
        rev: 1,
        start: '08:30',
        end: '17:30',
      }),
    );
  });

  it('lets everyone look but only the admin change it', async () => {
    session.apply(status({ user: { ...status().user!, role: 'supervisor' } }));
    fakeCore({ calendar_year: () => year2026() });
    render(CalendarSettings, { initialYear: 2026 });
    await waitFor(
      () => expect((day('2026-03-02') as HTMLButtonElement).disabled).toBe(false),
      slow,
    );
    await fireEvent.click(day('2026-03-02'));
    expect(day('2026-03-02').dataset.kind).toBe('normal');
    expect(screen.queryByTestId('calendar-save')).toBeNull();
    expect(screen.queryByTestId('calendar-import-input')).toBeNull();
  });
});
