import { afterEach, describe, expect, it, vi } from 'vitest';
import { formKeys } from './keyboard';
import { normalizeDate, parseWhole } from './input';

function makeForm(html: string) {
  const form = document.createElement('form');
  form.innerHTML = html;
  document.body.append(form);
  const onSubmit = vi.fn((e: Event) => e.preventDefault());
  form.addEventListener('submit', onSubmit);
  const onCancel = vi.fn();
  const action = formKeys(form, { onCancel });
  return { form, onSubmit, onCancel, action };
}

const key = (el: Element, init: KeyboardEventInit) =>
  el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));

const FIELDS = `
  <input id="a" />
  <select id="b"><option>1</option></select>
  <button type="button" id="btn">x</button>
  <input id="ro" readonly />
  <textarea id="c"></textarea>
  <input id="d" />
  <button type="submit">save</button>`;

afterEach(() => {
  document.body.innerHTML = '';
});

describe('formKeys', () => {
  it('focuses the first field on mount', async () => {
    makeForm(FIELDS);
    await Promise.resolve();
    expect(document.activeElement?.id).toBe('a');
  });

  it('moves to the next field on Enter, skipping buttons and read-only fields', () => {
    const { form, onSubmit, action } = makeForm(FIELDS);
    const order: string[] = [];
    let el = form.querySelector<HTMLElement>('#a')!;
    el.focus();
    for (let i = 0; i < 3; i++) {
      key(el, { key: 'Enter' });
      el = document.activeElement as HTMLElement;
      order.push(el.id);
    }
    expect(order).toEqual(['b', 'c', 'd']);
    expect(onSubmit).not.toHaveBeenCalled();
    action.destroy();
  });

  it('submits on Enter in the last field', () => {
    const { form, onSubmit, action } = makeForm(FIELDS);
    key(form.querySelector('#d')!, { key: 'Enter' });
    expect(onSubmit).toHaveBeenCalledTimes(1);
    action.destroy();
  });

  it('leaves Enter alone while an input method composes (拼音 → 汉字)', () => {
    const { form, onSubmit, action } = makeForm(FIELDS);
    const a = form.querySelector<HTMLElement>('#a')!;
    a.focus();
    key(a, { key: 'Enter', isComposing: true });
    expect(document.activeElement).toBe(a);
    expect(onSubmit).not.toHaveBeenCalled();
    action.destroy();
  });

  it('keeps Shift+Enter for a new line in a textarea', () => {
    const { form, action } = makeForm(FIELDS);
    const c = form.querySelector<HTMLElement>('#c')!;
    c.focus();
    expect(key(c, { key: 'Enter', shiftKey: true })).toBe(true); // not prevented
    expect(document.activeElement).toBe(c);
    action.destroy();
  });

  it('saves on Ctrl+S from any field and cancels on Esc', () => {
    const { form, onSubmit, onCancel, action } = makeForm(FIELDS);
    const b = form.querySelector('#b')!;
    expect(key(b, { key: 's', ctrlKey: true })).toBe(false); // the browser's "save page" is stopped
    expect(onSubmit).toHaveBeenCalledTimes(1);
    key(b, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    action.destroy();
  });

  it('gives Ctrl+S pressed outside any form to the newest form', () => {
    const first = makeForm('<input id="x" />');
    const second = makeForm('<input id="y" />');
    key(document.body, { key: 's', ctrlKey: true });
    expect(second.onSubmit).toHaveBeenCalledTimes(1);
    expect(first.onSubmit).not.toHaveBeenCalled();
    second.action.destroy();
    key(document.body, { key: 'Escape' });
    expect(first.onCancel).toHaveBeenCalledTimes(1);
    first.action.destroy();
  });
});

describe('input helpers', () => {
  it('reshape loosely typed dates and leave the rest to the core', () => {
    expect(normalizeDate('2025-3-8')).toBe('2025-03-08');
    expect(normalizeDate('2025/03/18')).toBe('2025-03-18');
    expect(normalizeDate('2025年3月8日')).toBe('2025-03-08');
    expect(normalizeDate('20250308')).toBe('2025-03-08');
    expect(normalizeDate('  ')).toBeNull();
    expect(normalizeDate('yesterday')).toBe('yesterday');
  });

  it('read whole numbers only', () => {
    expect(parseWhole(' 24 ')).toBe(24);
    expect(parseWhole('2.5')).toBeNaN();
    expect(parseWhole('')).toBeNaN();
  });
});
