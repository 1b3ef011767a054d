// The seeded holiday calendar: the inlined rows of the migration are what
// chinese-days says (2026) and what the statutory rules give (2027), the
// migrated database holds them, and `down` removes only what it seeded.
import t from 'tap';
import chineseDays from 'chinese-days';
import { sql } from 'kysely';
import { freshDatabase } from '../helpers/app.js';
import { CALENDAR_SEED, down, up } from '../../migrations/20261126_0005_calendar_seed.js';
import { addDays, isWeekend } from '../../src/lib/workdays.js';

// chinese-days' short names to the names of 《全国年节及纪念日放假办法》
const NAMES: Record<string, string> = { 元旦: '元旦', 春节: '春节', 清明: '清明节', 劳动节: '劳动节', 端午: '端午节', 中秋: '中秋节', 国庆节: '国庆节' };

function officialYear(year: number) {
  const rows: [string, string, string, string][] = [];
  for (let day = `${year}-01-01`; day <= `${year}-12-31`; day = addDays(day, 1)) {
    const zh = chineseDays.getDayDetail(day).name.split(',')[1] ?? '';
    if (!isWeekend(day) && chineseDays.isHoliday(day)) rows.push([day, 'holiday', NAMES[zh] ?? `?${zh}`, 'official']);
    if (isWeekend(day) && chineseDays.isWorkday(day)) rows.push([day, 'workday', `${NAMES[zh] ?? `?${zh}`}补班`, 'official']);
  }
  return rows;
}

function statutoryYear(year: number) {
  const lunar = (md: string) => chineseDays.getSolarDateFromLunar(`${year}-${md}`).date;
  const newYear = lunar('01-01');
  const qingming = chineseDays.getSolarTerms(`${year}-04-01`, `${year}-04-30`).find((s) => s.term === 'pure_brightness')!.date;
  const days: [string, string][] = [
    [`${year}-01-01`, '元旦'],
    // 除夕 is the day before 初一, whether the twelfth month has 29 days or 30
    ...[-1, 0, 1, 2].map((n): [string, string] => [addDays(newYear, n), '春节']),
    [qingming, '清明节'],
    [`${year}-05-01`, '劳动节'],
    [`${year}-05-02`, '劳动节'],
    [lunar('05-05'), '端午节'],
    [lunar('08-15'), '中秋节'],
    [`${year}-10-01`, '国庆节'],
    [`${year}-10-02`, '国庆节'],
    [`${year}-10-03`, '国庆节'],
  ];
  return days.filter(([day]) => !isWeekend(day)).map(([day, name]) => [day, 'holiday', name, 'statutory']);
}

t.test('the inlined rows are what chinese-days and the statutory rules give', async (t) => {
  const expected = [...officialYear(2026), ...statutoryYear(2027)].sort((a, b) => a[0].localeCompare(b[0]));
  t.same(CALENDAR_SEED.map((r) => [...r]), expected);
  t.ok(CALENDAR_SEED.some(([day, kind]) => day === '2026-02-28' && kind === 'workday'), '2026-02-28 (Saturday) is a make-up workday');
  t.ok(CALENDAR_SEED.some(([day, kind]) => day === '2026-10-10' && kind === 'workday'), '2026-10-10 (Saturday) is a make-up workday');
  t.same(
    statutoryYear(2027).map((r) => r[0]),
    ['2027-01-01', '2027-02-05', '2027-02-08', '2027-04-05', '2027-06-09', '2027-09-15', '2027-10-01'],
    '2027: 除夕 Fri 5 Feb and 初三 Mon 8 Feb; Labour Day falls on a weekend',
  );
  const misplaced = CALENDAR_SEED.filter(([day, kind]) => isWeekend(day) !== (kind === 'workday'));
  t.same(misplaced, [], 'holidays only on weekdays, make-up workdays only on weekends');
});

t.test('the migrated database holds the seed; down removes only the seeded rows', async (t) => {
  const fresh = await freshDatabase();
  t.teardown(async () => {
    await fresh.database.close();
    await fresh.drop();
  });
  const db = fresh.database.db;
  const rows = await db.selectFrom('calendar_days').select(['day', 'kind', 'name', 'source']).orderBy('day').execute();
  t.same(
    rows.map((r) => [r.day, r.kind, r.name, r.source]),
    CALENDAR_SEED.map((r) => [...r]),
  );

  // an admin changes a seeded day and adds one: both survive down, and up leaves them alone
  await db.updateTable('calendar_days').set({ name: '国庆节（调整）', source: 'admin' }).where('day', '=', '2026-10-07').execute();
  await db.insertInto('calendar_days').values({ day: '2026-12-31', kind: 'holiday', name: '测试', source: 'admin' }).execute();
  await down(db);
  const left = await db.selectFrom('calendar_days').select(['day', 'source']).orderBy('day').execute();
  t.same(left, [
    { day: '2026-10-07', source: 'admin' },
    { day: '2026-12-31', source: 'admin' },
  ]);
  await up(db);
  const again = await db.selectFrom('calendar_days').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  t.equal(again.n, CALENDAR_SEED.length + 1);
  const kept = await db.selectFrom('calendar_days').select(['name', 'source']).where('day', '=', '2026-10-07').executeTakeFirstOrThrow();
  t.same(kept, { name: '国庆节（调整）', source: 'admin' }, 'the admin’s entry wins over the seed');
});
