// Message lookup and locale choice: a remembered choice (cookie) first, then
// Accept-Language, then Simplified Chinese.
import { en } from './en.js';
import { zhCN, type MessageKey } from './zh-CN.js';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogs: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function isLang(value: unknown): value is Lang {
  return value === 'zh-CN' || value === 'en';
}

export function pickLang(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(cookie)) return cookie;
  if (!acceptLanguage) return 'zh-CN';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

const translators = new Map<Lang, Translate>();

/** `{count|case|cases}`: the first word when the parameter is 1, else the second (English; Chinese has no plural). */
const PLURAL = /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g;

export function translator(lang: Lang): Translate {
  let t = translators.get(lang);
  if (!t) {
    const catalog = catalogs[lang];
    t = (key, params) => {
      const text = catalog[key] ?? key;
      if (!params) return text;
      return text
        .replace(PLURAL, (m, name: string, one: string, many: string) => (name in params ? (Number(params[name]) === 1 ? one : many) : m))
        .replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
    };
    translators.set(lang, t);
  }
  return t;
}

/** True when a string is a known message key (used for error codes that carry keys). */
export function isMessageKey(key: string): key is MessageKey {
  return key in zhCN;
}
