import { afterEach } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { setLocale } from '$lib/i18n/index.svelte';

afterEach(() => {
  clearMocks();
  setLocale('zh-CN');
  location.hash = '';
});
