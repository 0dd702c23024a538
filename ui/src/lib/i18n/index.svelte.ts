//! A small message store: the current language is reactive state, `t` looks a message up by
//! its stable id and fills `{placeholders}`. Components call `t(...)` in their markup, so a
//! language change re-renders every text without a reload.
import type { Language } from '$lib/bindings/Language';
import type { Catalog, Message, MessageId } from './catalog';
import { zhCN } from './messages/zh-CN';
import { zhTW } from './messages/zh-TW';
import { en } from './messages/en';

export type { MessageId } from './catalog';
export type Params = Record<string, string | number>;

export const LANGUAGES: readonly Language[] = ['zh-CN', 'zh-TW', 'en'];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

const catalogs: Record<Language, Catalog> = { 'zh-CN': zhCN, 'zh-TW': zhTW, en };

let current = $state<Language>(DEFAULT_LANGUAGE);

export function locale(): Language {
  return current;
}

export function setLocale(lang: Language): void {
  current = catalogs[lang] ? lang : DEFAULT_LANGUAGE;
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

export function isLanguage(v: string): v is Language {
  return (LANGUAGES as string[]).includes(v);
}

function fill(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

function pick(message: Message, params: Params | undefined, lang: Language): string {
  if (typeof message === 'string') return message;
  const count = Number(params?.count ?? params?.total ?? 0);
  const category = new Intl.PluralRules(lang).select(count);
  return category === 'one' ? message.one : message.other;
}

/** True when `id` names a message (for ids built from codes and rules at run time). */
export function hasMessage(id: string): id is MessageId {
  return Object.prototype.hasOwnProperty.call(catalogs[current], id);
}

export function t(id: MessageId, params?: Params): string {
  const lang = current;
  const message = catalogs[lang][id] ?? zhCN[id];
  return fill(pick(message, params, lang), params);
}
