// The holiday calendar for 2026 and 2027: only exceptions to Monday-Friday are
// stored (a weekday off = holiday, a weekend day worked = workday, 调休补班).
//
// The rows are inlined, not computed here from `chinese-days` at migration time:
// a migration must give the same database on every machine for ever, and a later
// version of the package (corrected data, renamed fields, dropped years) would
// silently seed something else. test/calendar/seed.test.ts recomputes both years
// from the package and fails if these rows and the package ever disagree.
//
// 2026 (source 'official'): the State Council's notice as carried by chinese-days
// 1.5.7, make-up working Saturdays and Sundays included.
// 2027 (source 'statutory'): the package has no 2027 schedule yet, so only the
// public holidays of 《全国年节及纪念日放假办法》 (as amended 2024) that fall on a
// weekday: New Year 1 day, Spring Festival 除夕 + 初一..初三, Qingming (the solar
// term 清明), Labour Day 1-2 May, Dragon Boat (lunar 5/5), Mid-Autumn (lunar 8/15),
// National Day 1-3 Oct; lunar dates and 清明 were computed with chinese-days'
// getSolarDateFromLunar and getSolarTerms. The State Council's bridging days and
// make-up workdays (and the 补假 for holidays that fall on a weekend) are announced
// late each year; an admin enters them on the calendar page.
import { sql, type Kysely } from 'kysely';

type Kind = 'holiday' | 'workday';
type Source = 'official' | 'statutory';

export const CALENDAR_SEED: readonly (readonly [day: string, kind: Kind, name: string, source: Source])[] = [
  ['2026-01-01', 'holiday', '元旦', 'official'],
  ['2026-01-02', 'holiday', '元旦', 'official'],
  ['2026-01-04', 'workday', '元旦补班', 'official'],
  ['2026-02-14', 'workday', '春节补班', 'official'],
  ['2026-02-16', 'holiday', '春节', 'official'],
  ['2026-02-17', 'holiday', '春节', 'official'],
  ['2026-02-18', 'holiday', '春节', 'official'],
  ['2026-02-19', 'holiday', '春节', 'official'],
  ['2026-02-20', 'holiday', '春节', 'official'],
  ['2026-02-23', 'holiday', '春节', 'official'],
  ['2026-02-28', 'workday', '春节补班', 'official'],
  ['2026-04-06', 'holiday', '清明节', 'official'],
  ['2026-05-01', 'holiday', '劳动节', 'official'],
  ['2026-05-04', 'holiday', '劳动节', 'official'],
  ['2026-05-05', 'holiday', '劳动节', 'official'],
  ['2026-05-09', 'workday', '劳动节补班', 'official'],
  ['2026-06-19', 'holiday', '端午节', 'official'],
  ['2026-09-20', 'workday', '国庆节补班', 'official'],
  ['2026-09-25', 'holiday', '中秋节', 'official'],
  ['2026-10-01', 'holiday', '国庆节', 'official'],
  ['2026-10-02', 'holiday', '国庆节', 'official'],
  ['2026-10-05', 'holiday', '国庆节', 'official'],
  ['2026-10-06', 'holiday', '国庆节', 'official'],
  ['2026-10-07', 'holiday', '国庆节', 'official'],
  ['2026-10-10', 'workday', '国庆节补班', 'official'],
  ['2027-01-01', 'holiday', '元旦', 'statutory'],
  ['2027-02-05', 'holiday', '春节', 'statutory'],
  ['2027-02-08', 'holiday', '春节', 'statutory'],
  ['2027-04-05', 'holiday', '清明节', 'statutory'],
  ['2027-06-09', 'holiday', '端午节', 'statutory'],
  ['2027-09-15', 'holiday', '中秋节', 'statutory'],
  ['2027-10-01', 'holiday', '国庆节', 'statutory'],
];

const values = CALENDAR_SEED.map(([day, kind, name, source]) => `('${day}', '${kind}', '${name}', '${source}')`).join(',\n    ');

const statements = [
  // do nothing on a day already there: an admin's entry wins over the seed
  `insert into calendar_days (day, kind, name, source) values
    ${values}
  on conflict (day) do nothing`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // only the seeded rows still as seeded: a day an admin has changed since is theirs
  const seeded = CALENDAR_SEED.map(([day, kind, , source]) => `('${day}'::date, '${kind}', '${source}')`).join(', ');
  await sql.raw(`delete from calendar_days where (day, kind, source) in (${seeded})`).execute(db);
}
