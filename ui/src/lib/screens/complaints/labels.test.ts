import { describe, expect, it } from 'vitest';
import { dueText, eventDetails, spanText, stepViews } from './labels';
import { event } from '../../../test/complaints';
import { setLocale } from '$lib/i18n/index.svelte';
import { errorText } from '$lib/i18n/errors';
import { failure } from '../../../test/ipc';

describe('complaint words', () => {
  it('put spans of time as minutes, hours and minutes, or days and hours', () => {
    expect(spanText(45)).toBe('45 分钟');
    expect(spanText(60)).toBe('1 小时');
    expect(spanText(95)).toBe('1 小时 35 分');
    expect(spanText(1440 * 2 + 300)).toBe('2 天 5 小时');
    expect(spanText(1440 * 3)).toBe('3 天');
    setLocale('en');
    expect(spanText(95)).toBe('1 h 35 min');
  });

  it('say how long until a limit, or how long past it', () => {
    const now = Date.parse('2026-03-03T03:00:00Z');
    expect(dueText('2026-03-03T05:00:00Z', now)).toBe('2 小时后到期');
    expect(dueText('2026-03-03T02:30:00Z', now)).toBe('已超时 30 分钟');
    expect(dueText(null, now)).toBe('');
  });

  it('mark the eight steps from the stage, with who recorded each', () => {
    const timeline = [
      event(),
      event({ event: 'accept', userName: '李娜', toStage: 'accepted' }),
      event({ event: 'assign', toStage: 'assigned' }),
    ];
    const views = stepViews('assigned', timeline);
    expect(views.map((v) => v.status)).toEqual([
      'done',
      'done',
      'done',
      'current',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(views[1].event?.userName).toBe('李娜');
    expect(
      stepViews('invalid', [event(), event({ event: 'reject' })]).map((v) => v.status),
    ).toEqual(['done', 'done', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(stepViews('closed', timeline).every((v) => v.status === 'done')).toBe(true);
  });

  it('read the data of an event in words', () => {
    expect(
      eventDetails(event({ event: 'assign', data: { department: 'senior_management' } })),
    ).toEqual(['责任部门：高层管理']);
    expect(
      eventDetails(event({ event: 'close', data: { reaction: 'satisfied', feedback: '很满意' } })),
    ).toEqual(['顾客反应：满意', '顾客反馈：很满意']);
    expect(eventDetails(event({ event: 'resumed', data: { pausedMinutes: 90 } }))).toEqual([
      '共暂停 1 小时 30 分（工作时间）',
    ]);
  });

  it('explain a refused step of a complaint', () => {
    expect(
      errorText({
        ...failure('invalid_transition'),
        params: { from: 'recorded', event: 'carry_out' },
      }),
    ).toBe('现在的状态是“已登记”，不能“告知顾客并落实”。请刷新页面查看最新状态后再操作。');
    expect(
      errorText({ ...failure('invalid_transition'), params: { from: 'paused', event: 'pause' } }),
    ).toContain('暂停中');
  });
});
