import type { ProductModel } from '$lib/bindings/ProductModel';

/** Every word typed must appear in brand, model or category (any case). */
export function matchesModel(m: ProductModel, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = `${m.brand} ${m.model} ${m.category}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** "品牌 型号 · 类别": names are data; the separator is not language. */
export function modelLabel(m: ProductModel): string {
  return m.category ? `${m.brand} ${m.model} · ${m.category}` : `${m.brand} ${m.model}`;
}
