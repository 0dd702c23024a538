import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { Step } from '$lib/bindings/Step';
import type { StepInput } from '$lib/bindings/StepInput';
import StepForm from './StepForm.svelte';
import { validation } from '../../../test/ipc';
import { detail } from '../../../test/complaints';
import { setLocale } from '$lib/i18n/index.svelte';

const STEPS: Step[] = [
  'accept',
  'reject',
  'assign',
  'investigate',
  'propose',
  'carryOut',
  'decideResponsibility',
  'close',
  'reopen',
];
const offered = () => STEPS.filter((s) => screen.queryByTestId(`step-choice-${s}`));
const type = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe('StepForm', () => {
  it.each<[string, Step[], boolean, Step[], Step]>([
    ['a new complaint', ['accept', 'reject'], false, ['accept', 'reject'], 'accept'],
    ['while investigating', ['assign', 'propose'], false, ['assign', 'propose'], 'assign'],
    [
      'after carrying out, for management',
      ['propose', 'decideResponsibility'],
      true,
      ['propose', 'decideResponsibility'],
      'propose',
    ],
    ['after carrying out, for the desk', ['propose', 'decideResponsibility'], false, [], 'propose'],
  ])('offers only what the core allows: %s', (_, allowed, canDecide, choices, first) => {
    render(StepForm, { detail: detail({ allowed }), canDecide, submit: vi.fn() });
    expect(offered()).toEqual(choices);
    expect(screen.getByTestId('step-submit').dataset.step).toBe(first);
  });

  it('shows nothing for a closed complaint but says who decides responsibility', () => {
    const { unmount } = render(StepForm, {
      detail: detail({ allowed: [] }),
      canDecide: true,
      submit: vi.fn(),
    });
    expect(screen.queryByTestId('step-form')).toBeNull();
    unmount();
    render(StepForm, {
      detail: detail({ allowed: ['decideResponsibility'] }),
      canDecide: false,
      submit: vi.fn(),
    });
    expect(screen.queryByTestId('step-form')).toBeNull();
    expect(screen.getByTestId('step-held-back')).toBeTruthy();
  });

  it('accepts with the level as judged, or rejects with the reply', async () => {
    const submit = vi.fn(async (_: StepInput) => {});
    render(StepForm, { detail: detail(), canDecide: false, submit });
    expect(screen.getByTestId('step-level')).toBeTruthy();
    expect(screen.queryByTestId('step-feedback')).toBeNull();
    await fireEvent.change(screen.getByTestId('step-level'), { target: { value: '3' } });
    await type('step-content', '属实，受理');
    await fireEvent.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit.mock.calls[0][0]).toEqual({
      step: 'accept',
      content: '属实，受理',
      level: 3,
      department: null,
      reaction: null,
      feedback: null,
    });

    await fireEvent.click(screen.getByTestId('step-choice-reject'));
    expect(screen.queryByTestId('step-level')).toBeNull();
    expect(screen.getByTestId('step-submit').textContent).toContain('判定无效');
    await type('step-content', '不属于本站服务范围');
    await fireEvent.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(2));
    expect(submit.mock.calls[1][0]).toMatchObject({ step: 'reject', level: null });
  });

  it('assigns a department', async () => {
    const submit = vi.fn(async (_: StepInput) => {});
    render(StepForm, {
      detail: detail({ allowed: ['assign'] }, { stage: 'accepted' }),
      canDecide: false,
      submit,
    });
    await fireEvent.change(screen.getByTestId('step-department'), {
      target: { value: 'quality' },
    });
    await type('step-content', '交质量部调查');
    await fireEvent.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(submit).toHaveBeenCalled());
    expect(submit.mock.calls[0][0]).toMatchObject({ step: 'assign', department: 'quality' });
  });

  it('shows feedback_missing next to the reaction and the feedback when closing', async () => {
    const submit = vi.fn(async () => {
      throw validation([
        { field: 'reaction', rule: 'feedback_missing', params: {} },
        { field: 'feedback', rule: 'feedback_missing', params: {} },
      ]);
    });
    render(StepForm, {
      detail: detail({ allowed: ['close'] }, { stage: 'responsibilityDecided' }),
      canDecide: true,
      submit,
    });
    await type('step-content', '已处理完毕');
    await fireEvent.click(screen.getByTestId('step-submit'));
    const feedback = await screen.findByTestId('field-error-feedback');
    expect(feedback.textContent).toContain('顾客对处理结果说了什么');
    expect(screen.getByTestId('field-error-reaction').textContent).toContain(
      '顾客对处理结果的反应',
    );
    // the field's error sits inside the field, not only in the banner
    expect(feedback.closest('.field')?.querySelector('[data-testid="step-feedback"]')).toBeTruthy();
    expect(screen.getByTestId('form-error').dataset.code).toBe('validation');
    expect(submit.mock.calls[0]).toEqual([
      {
        step: 'close',
        content: '已处理完毕',
        level: null,
        department: null,
        reaction: null,
        feedback: '',
      },
    ]);
  });

  it('carries out with the customer’s reaction and words, in English too', async () => {
    setLocale('en');
    const submit = vi.fn(async (_: StepInput) => {});
    render(StepForm, {
      detail: detail({ allowed: ['carryOut'] }, { stage: 'proposed' }),
      canDecide: false,
      submit,
    });
    expect(screen.getByText("Customer's reaction to the solution")).toBeTruthy();
    await fireEvent.click(screen.getByTestId('step-reaction-accepted'));
    await type('step-feedback', '同意换机');
    await type('step-content', '已告知换机方案');
    await fireEvent.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(submit).toHaveBeenCalled());
    expect(submit.mock.calls[0][0]).toMatchObject({
      step: 'carryOut',
      reaction: 'accepted',
      feedback: '同意换机',
    });
  });
});
