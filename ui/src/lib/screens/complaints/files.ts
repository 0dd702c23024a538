//! File sizes as people read them.
import { locale, t } from '$lib/i18n/index.svelte';
import { formatNumber } from '$lib/i18n/format';

export function fileSize(bytes: number): string {
  if (bytes < 1024) return t('file.bytes', { n: formatNumber(bytes, locale()) });
  if (bytes < 1024 * 1024)
    return t('file.kb', { n: formatNumber(Math.round(bytes / 1024), locale()) });
  return t('file.mb', { n: formatNumber(Math.round((bytes / 1048576) * 10) / 10, locale()) });
}
