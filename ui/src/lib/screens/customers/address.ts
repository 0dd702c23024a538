import type { Address } from '$lib/bindings/Address';
import type { Language } from '$lib/bindings/Language';

/** One line per address in the order its language writes it: 省市区 + 详细地址 in Chinese,
 *  street first in English. Proper names are data, not translated pieces. */
export function addressLine(a: Address, lang: Language): string {
  if (lang === 'en') {
    return [a.detail, a.district, a.city, a.province].filter((s) => s.trim()).join(', ');
  }
  const region = [a.province, a.city, a.district]
    .filter((s, i, all) => s.trim() && s !== all[i - 1]) // 北京市 北京市 → once
    .join('');
  return [region, a.detail].filter((s) => s.trim()).join(' ');
}
