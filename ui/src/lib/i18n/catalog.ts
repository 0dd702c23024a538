import type { zhCN } from './messages/zh-CN';

export type MessageId = keyof typeof zhCN;
export type PluralMessage = { one: string; other: string };
export type Message = string | PluralMessage;
/** Every locale provides every message id; a missing one fails the type check. */
export type Catalog = { readonly [K in MessageId]: Message };
