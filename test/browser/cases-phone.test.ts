// The case pages on a phone (390 px wide, Chinese): the queue, a full case page,
// the application form and the notice fit the screen; the wide queue table
// scrolls inside its own .table-wrap, never the whole page.
import t from 'tap';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { accept, addKeyDate, addNote, assignLawyer, decide, requestMaterials } from '../../src/modules/cases/cases.actions.js';
import { js, login, startBrowserApp, textOf } from './support.js';
import { overflowing, scrollWidth, snap } from './cases-support.js';

const WIDTH = 390;

void t.test('the case pages fit a phone screen', async (t) => {
  const ctx = await startBrowserApp(t);
  const manager = await makeUser(ctx.db, 'manager', { name: '欧阳晓明' });
  const { lawyer } = await makeLawyerUser(ctx.db, { name: '司马长风律师' });
  // long words that cannot wrap, long Chinese text, every badge at once
  const busy = await makeCase(
    ctx.db,
    {
      applicantName: '欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜',
      applicantAddress: '四川省巴中市巴州区江北街道办事处回风社区居民委员会第十八居民小组幸福花园小区十七栋三单元二十二楼二二〇三号',
      summary: 'Averyveryveryverylongwordwithoutanyspacesthatcannotwrapanywhereatallinthesummary 被拖欠工资共计十二个月',
      opposingParties: ['四川省巴中市某某建筑劳务有限责任公司第三项目部', 'https://example.invalid/averyveryveryverylongpathwithoutbreaks'],
      priorityGroups: ['migrant_worker', 'elderly'],
      emergency: true,
    },
    '2026-03-02',
  );
  await assignLawyer(ctx.db, TEST_ACTOR, busy.id, { lawyerId: lawyer.id, reason: '熟悉建设工程领域的劳动争议案件，且距离当事人住所较近' });
  await accept(ctx.db, TEST_ACTOR, busy.id);
  await addKeyDate(ctx.db, TEST_ACTOR, busy.id, { kind: 'hearing', onDate: '2026-12-15', atTime: '09:30', place: '巴中市巴州区人民法院第三审判庭（江北大道东段一百二十八号）', note: null });
  await addNote(ctx.db, TEST_ACTOR, busy.id, { text: 'Averyveryveryverylongnotewithoutanyspaces'.repeat(3) });
  const waiting = await makeCase(ctx.db, { applicantName: '诸葛待补', missingItems: [] });
  await requestMaterials(ctx.db, TEST_ACTOR, waiting.id, {
    items: ['身份证复印件（正反面，需加盖社区居委会公章并注明与原件核对无误）', 'Averyveryveryverylongattachmentnamewithoutanyspaces.pdf', '劳动合同'],
    note: null,
  });
  for (let i = 0; i < 8; i++) await makeCase(ctx.db, { applicantName: `申请人第${i + 1}号` }, i % 2 ? '2026-06-01' : undefined);
  const refused = await makeCase(ctx.db, { applicantName: '上官拒绝' });
  await decide(ctx.db, TEST_ACTOR, refused.id, { granted: false, reason: '经济状况不符合法律援助条件：家庭人均月收入超过当地最低生活保障标准的二倍' });

  const context = await ctx.context({ locale: 'zh-CN', viewport: { width: WIDTH, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await login(page, manager.email);
  const request = await ctx.db.selectFrom('case_material_requests').select('id').where('case_id', '=', waiting.id).executeTakeFirstOrThrow();
  const pages = [
    '/cases',
    '/cases?queue=review&overdue=1',
    `/cases/${busy.id}`,
    `/cases/${waiting.id}`,
    `/cases/${refused.id}`,
    `/cases/${waiting.id}/materials/${request.id}/notice`,
    `/cases/${refused.id}/decision/notice`,
    '/cases/new',
  ];
  for (const path of pages) {
    const res = await page.goto(path);
    t.equal(res?.status(), 200, `${path} is there`);
    const width = await scrollWidth(page);
    t.ok(width <= WIDTH + 1, `${path}: the page is ${width}px wide`, { overflowing: await overflowing(page, WIDTH) });
  }
  t.equal(await js<string>(page, 'document.documentElement.lang'), 'zh-CN', 'the pages are in Chinese');

  await page.goto('/cases');
  t.equal(await textOf(page, 'h1'), '法律援助案件');
  t.ok(await page.locator('#results .table-wrap table.cases').count(), 'the queue table sits in its scrolling wrapper');
  const wrap = await js<{ scroll: number; client: number }>(page, '(() => { const w = document.querySelector("#results .table-wrap"); return { scroll: w.scrollWidth, client: w.clientWidth }; })()');
  t.ok(wrap.client <= WIDTH, `the wrapper itself fits (${wrap.client}px)`);
  t.ok(wrap.scroll > wrap.client, `the seven columns scroll inside it (${wrap.scroll}px)`);
  t.ok(await page.locator('#results nav.tabs').isVisible(), 'the stage tabs are there');
  t.ok(await page.locator('nav.main-nav').isVisible(), 'and the navigation');
  await snap(page, 'cases-phone-queue');

  await page.goto(`/cases/${busy.id}`);
  for (const badge of ['status', 'green', 'emergency', 'overdue']) t.ok(await page.locator(`p.badges .badge.${badge}`).isVisible(), `the ${badge} badge is shown`);
  const badges = await js<number[]>(page, '[...document.querySelectorAll("p.badges .badge")].map((b) => b.getBoundingClientRect().right)');
  t.ok(Math.max(...badges) <= WIDTH, 'and they fit beside each other');
  await snap(page, 'cases-phone-case');
  await page.goto(`/cases/${waiting.id}`);
  await snap(page, 'cases-phone-materials');

  // the form with its errors, and a case-page form with its error, still fit
  await page.goto('/cases/new');
  await page.click('form.stack button[type=submit]');
  await page.locator('#f-applicantName-err').waitFor();
  let width = await scrollWidth(page);
  t.ok(width <= WIDTH + 1, `the form with errors is ${width}px wide`, { overflowing: await overflowing(page, WIDTH) });
  await snap(page, 'cases-phone-form');
  await page.goto(`/cases/${busy.id}`);
  await page.click('#act-close > summary');
  await page.click('#act-close button[type=submit]');
  await page.locator('#a-close-outcome-err').waitFor();
  width = await scrollWidth(page);
  t.ok(width <= WIDTH + 1, `the case page with a form error is ${width}px wide`, { overflowing: await overflowing(page, WIDTH) });
});
