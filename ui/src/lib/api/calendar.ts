//! The working-day calendar the complaint clocks count in: holidays (休) and make-up working
//! days (调休上班, 班) per year, the daily working hours, and HQ's yearly file to import.
import { call } from './invoke';
import type { CalendarDay } from '$lib/bindings/CalendarDay';
import type { CalendarImport } from '$lib/bindings/CalendarImport';
import type { CalendarYear } from '$lib/bindings/CalendarYear';
import type { WorkingHours } from '$lib/bindings/WorkingHours';

export const calendarYear = (year: number) => call<CalendarYear>('calendar_year', { year });
/** Replaces the year's entries with `days` (admin); running clocks are recomputed. */
export const setCalendarYear = (year: number, days: CalendarDay[]) =>
  call<CalendarYear>('calendar_set_year', { year, days });
/** A CSV or JSON file's text; every year it names is replaced, or nothing when a line is bad. */
export const importCalendar = (text: string) => call<CalendarImport>('calendar_import', { text });
/** `HH:MM`; `24:00` is the end of the day (00:00–24:00 counts whole days). */
export const setWorkingHours = (rev: number, start: string, end: string) =>
  call<WorkingHours>('calendar_set_hours', { rev, start, end });
