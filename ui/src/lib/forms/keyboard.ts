//! Keyboard-first forms, written once and used by every form (`use:formKeys`):
//! - Enter moves to the next field; on the last field it submits. Buttons keep their own
//!   Enter (click). In a textarea Shift+Enter makes a new line (plain Enter too when the
//!   textarea is marked `data-enter-newline`). Enter that confirms an IME composition
//!   (pinyin → 汉字) is left alone.
//! - Ctrl+S (⌘S) submits; Esc cancels.
//! - The first field (or the one marked `data-autofocus`) gets focus on mount.
//! The most recently mounted form also receives Ctrl+S / Esc pressed while focus is outside
//! every form (e.g. after a click on the page background), so a dialog on top wins.

export interface FormKeysOptions {
  /** Called on Esc. Without it, Esc does nothing. */
  onCancel?: () => void;
  /** Focus the first field when the form mounts (default true). */
  autofocus?: boolean;
}

const FIELD_SELECTOR = [
  'input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset])',
  'select',
  'textarea',
].join(',');

/** The fields Enter walks through, in document order. */
export function fieldsOf(form: HTMLElement): HTMLElement[] {
  return Array.from(form.querySelectorAll<HTMLElement>(FIELD_SELECTOR)).filter((el) => {
    const f = el as HTMLInputElement;
    return (
      !f.disabled &&
      !f.readOnly &&
      f.tabIndex !== -1 &&
      !el.hasAttribute('data-enter-skip') &&
      !el.closest('[hidden], [inert]')
    );
  });
}

export function submitForm(form: HTMLFormElement): void {
  if (typeof form.requestSubmit === 'function') form.requestSubmit();
  else form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

function isSaveKey(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 's' || e.key === 'S');
}

interface Entry {
  form: HTMLFormElement;
  options: FormKeysOptions;
}
const stack: Entry[] = [];

function onWindowKey(e: KeyboardEvent): void {
  const top = stack[stack.length - 1];
  if (!top || e.defaultPrevented) return;
  const target = e.target as Element | null;
  if (target && target instanceof Element && target.closest('form')) return;
  if (isSaveKey(e)) {
    e.preventDefault();
    submitForm(top.form);
  } else if (e.key === 'Escape' && top.options.onCancel && !target?.closest?.('[role=combobox]')) {
    e.preventDefault();
    top.options.onCancel();
  }
}

export function focusFirstField(form: HTMLElement): void {
  const marked = form.querySelector<HTMLElement>('[data-autofocus]');
  const first = marked ?? fieldsOf(form)[0];
  first?.focus();
}

export function formKeys(form: HTMLFormElement, initial: FormKeysOptions = {}) {
  const entry: Entry = { form, options: initial };

  function onKeyDown(e: KeyboardEvent): void {
    if (isSaveKey(e)) {
      e.preventDefault();
      e.stopPropagation();
      submitForm(form);
      return;
    }
    if (e.key === 'Escape') {
      if (entry.options.onCancel) {
        e.preventDefault();
        e.stopPropagation();
        entry.options.onCancel();
      }
      return;
    }
    if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229) return;
    if (e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return;
    const target = e.target as HTMLElement;
    if (!target.matches(FIELD_SELECTOR) || target.hasAttribute('data-enter-newline')) return;
    e.preventDefault();
    const fields = fieldsOf(form);
    const index = fields.indexOf(target);
    const next = index >= 0 ? fields[index + 1] : undefined;
    if (next) {
      next.focus();
      if (next instanceof HTMLInputElement && typeof next.select === 'function') {
        try {
          next.select();
        } catch {
          // some input types (number in older engines) refuse select(); focus is enough
        }
      }
    } else {
      submitForm(form);
    }
  }

  form.addEventListener('keydown', onKeyDown);
  if (stack.length === 0) window.addEventListener('keydown', onWindowKey);
  stack.push(entry);
  if (initial.autofocus !== false) {
    // after the browser has laid the form out (dialogs mount hidden for a frame)
    queueMicrotask(() => {
      if (form.isConnected && !form.contains(document.activeElement)) focusFirstField(form);
    });
  }

  return {
    update(options: FormKeysOptions) {
      entry.options = options;
    },
    destroy() {
      form.removeEventListener('keydown', onKeyDown);
      const i = stack.indexOf(entry);
      if (i >= 0) stack.splice(i, 1);
      if (stack.length === 0) window.removeEventListener('keydown', onWindowKey);
    },
  };
}

/**
 * After the core refused a form: focus the first field it marked (aria-invalid), in the top
 * dialog if one is open, so that the person can type the fix at once.
 */
export function focusFirstInvalid(): void {
  setTimeout(() => {
    const dialogs = document.querySelectorAll('.dialog');
    const scope: ParentNode = dialogs[dialogs.length - 1] ?? document;
    scope.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, 0);
}
