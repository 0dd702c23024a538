import { describe, expect, it } from 'vitest';
import { fenToYuan, parseYuan } from './input';
import { formatFen } from '$lib/i18n/format';

describe('money', () => {
  it('reads yuan as integer fen, without floating-point drift', () => {
    expect(parseYuan('12')).toBe(1200);
    expect(parseYuan('12.3')).toBe(1230);
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996 as a float
    expect(parseYuan('.5')).toBe(50);
    expect(parseYuan('12.')).toBe(1200);
    expect(parseYuan(' 1,234.56 ')).toBe(123456);
    expect(parseYuan('¥45.50')).toBe(4550);
    expect(parseYuan('￥ 8')).toBe(800);
    expect(parseYuan('')).toBe(0);
    expect(parseYuan('-3')).toBe(-300); // a negative amount is the core's to refuse
  });

  it('flags what is not an amount', () => {
    for (const bad of ['1.234', 'abc', '5o', '1.2.3', '12元', '--1']) {
      expect(parseYuan(bad), bad).toBeNaN();
    }
  });

  it('writes fen back as yuan for editing', () => {
    expect(fenToYuan(1200)).toBe('12');
    expect(fenToYuan(123450)).toBe('1234.50');
    expect(fenToYuan(5)).toBe('0.05');
    expect(parseYuan(fenToYuan(98765))).toBe(98765);
  });

  it('shows fen as ¥ with grouping in every language', () => {
    expect(formatFen(123450, 'zh-CN')).toBe('¥1,234.50');
    expect(formatFen(123450, 'zh-TW')).toBe('¥1,234.50');
    expect(formatFen(123450, 'en')).toBe('¥1,234.50');
    expect(formatFen(5, 'zh-CN')).toBe('¥0.05');
    expect(formatFen(0, 'en')).toBe('¥0.00');
    expect(formatFen(100000000000, 'zh-CN')).toBe('¥1,000,000,000.00');
    expect(formatFen(-250, 'zh-CN')).toBe('-¥2.50');
  });
});
