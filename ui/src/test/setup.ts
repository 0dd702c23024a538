import { afterEach } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { setLocale } from '$lib/i18n/index.svelte';

afterEach(() => {
  clearMocks();
  setLocale('zh-CN');
  location.hash = '';
});

// happy-dom does not match `:checked` against selected <option>s, and Svelte's `bind:value`
// on a <select> reads the choice with `select.querySelector(':checked')`: without this, a
// select changed in a test reads back as its first option.
const selectQuery = HTMLSelectElement.prototype.querySelector;
HTMLSelectElement.prototype.querySelector = function (this: HTMLSelectElement, selector: string) {
  if (selector === ':checked') return this.options[this.selectedIndex] ?? null;
  return selectQuery.call(this, selector);
} as typeof selectQuery;
