// Dates and numbers for people, always in the app's time zone, per language.
import type { Lang } from '../i18n/index.js';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, tz: string, kind: 'date' | 'datetime'): Intl.DateTimeFormat {
  const key = `${lang}|${tz}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    const locale = lang === 'zh-CN' ? 'zh-CN' : 'en-GB';
    f = new Intl.DateTimeFormat(locale, {
      timeZone: tz,
      year: 'numeric',
      month: lang === 'zh-CN' ? 'long' : 'short',
      day: 'numeric',
      ...(kind === 'datetime' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    cache.set(key, f);
  }
  return f;
}

export interface Formatters {
  date(value: Date | string | null | undefined): string;
  datetime(value: Date | string | null | undefined): string;
  number(value: number): string;
}

const formatterSets = new Map<string, Formatters>();

/** The formatters for a language and zone, built once and reused by every request. */
export function formatters(lang: Lang, tz: string): Formatters {
  const key = `${lang}|${tz}`;
  let set = formatterSets.get(key);
  if (!set) {
    set = buildFormatters(lang, tz);
    formatterSets.set(key, set);
  }
  return set;
}

function buildFormatters(lang: Lang, tz: string): Formatters {
  const num = new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB');
  return {
    date(value) {
      if (value === null || value === undefined || value === '') return '';
      // a calendar date 'YYYY-MM-DD' is a day, not an instant: format it at noon UTC+8
      const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+08:00`) : new Date(value);
      return formatter(lang, tz, 'date').format(d);
    },
    datetime(value) {
      if (value === null || value === undefined || value === '') return '';
      return formatter(lang, tz, 'datetime').format(new Date(value));
    },
    number(value) {
      return num.format(value);
    },
  };
}

/** Today's calendar date in the given zone, 'YYYY-MM-DD'. */
export function todayIn(tz: string, now = new Date()): string {
  return zoned(dayFormats, tz, () => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })).format(now);
}

// One formatter per zone: building an Intl.DateTimeFormat costs a fraction of a millisecond, using one microseconds
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
function zoned(cache: Map<string, Intl.DateTimeFormat>, tz: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(tz);
  if (!f) cache.set(tz, (f = make()));
  return f;
}

/** The instant a calendar date starts in the given zone (used for date filters). */
export function startOfDay(date: string, tz: string): Date {
  // find the zone's offset at that date by formatting a probe instant
  const probe = new Date(`${date}T00:00:00Z`);
  const parts = zoned(offsetFormats, tz, () => new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })).formatToParts(probe);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  return new Date(probe.getTime() - offsetMin * 60_000);
}
