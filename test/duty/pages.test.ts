// The duty pages as people use them: the manager's list (unfilled first, htmx
// filter), defining shifts (422 with the message next to the field), a shift page
// with fill and attendance, people signing up and releasing, swap requests and the
// manager's approve/reject, "my duty"; another person's assignment is a 404.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { field } from '../helpers/html.js';
import { makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { liveRows, makeShift, makeStation } from './support.js';
import { takeSeat } from '../../src/modules/duty/duty.assign.js';

const day = (d: string, h: string) => `${d}T${h}:00+08:00`;
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

void t.test('duty pages', async (t) => {
  const { app, db } = await buildTestApp(t);
  const now = new Date();
  const station = await makeStation(db, '511902', '巴州区法院工作站');
  const other = await makeStation(db, '511921', '通江县检察院工作站');
  const d1 = future(3);
  const d2 = future(4);
  const filled = await makeShift(db, station.id, { startsAt: day(d1, '09:00'), endsAt: day(d1, '12:00') }, now);
  const open = await makeShift(db, station.id, { startsAt: day(d2, '09:00'), endsAt: day(d2, '12:00'), seats: 2 }, now);
  const far = await makeShift(db, other.id, { startsAt: day(d2, '14:00'), endsAt: day(d2, '17:00'), who: 'lawyer' }, now);

  const a = await makeLawyerUser(db, { name: '王律师', regionCode: '511902' });
  const b = await makeLawyerUser(db, { name: '赵律师', regionCode: '511902' });
  const v = await makeVolunteerUser(db, { name: '李志愿' });
  const la = new Client(app);
  await la.login(a.user.email);
  const lb = new Client(app);
  await lb.login(b.user.email);
  const vc = new Client(app);
  await vc.login(v.user.email);
  const m = new Client(app);
  await m.login((await makeUser(db, 'manager')).email);

  await t.test('a volunteer signs up from the shift page', async (t) => {
    await vc.get(`/duty/${filled.id}`);
    const res = await vc.post(`/duty/${filled.id}/signup`);
    t.equal(res.statusCode, 303);
    t.match(text((await vc.get(`/duty/${filled.id}`)).body), /Signed up.*You are on this shift/);
    await lb.get(`/duty/${filled.id}`);
    t.equal((await lb.post(`/duty/${filled.id}/signup`)).statusCode, 409, 'full');
    t.match(text(lb.lastHtml), 'This shift is full');
    t.equal((await liveRows(db, filled.id)).length, 1, 'nothing written');
    await vc.get(`/duty/${far.id}`);
    const wrong = await vc.post(`/duty/${far.id}/signup`);
    t.equal(wrong.statusCode, 422);
    t.match(text(wrong.body), 'for lawyers only');
  });

  await t.test('the manager’s list: unfilled first, filters by htmx, Duty rosters in the navigation', async (t) => {
    const res = await m.get(`/duty?from=${d1}&to=${d2}`);
    t.equal(res.statusCode, 200);
    t.match(res.body, /<a href="\/duty" aria-current="page">Duty rosters<\/a>/);
    const page = text(res.body);
    t.match(page, '3 shifts, 2 unfilled');
    const order = [...res.body.matchAll(/href="\/duty\/(\d+)"/g)].map((x) => Number(x[1]));
    t.same(order, [open.id, far.id, filled.id], 'unfilled first (by time), then the filled one');
    t.match(res.body, 'action="/duty/fill"', 'a bulk fill button');
    const frag = await m.get(`/duty?from=${d1}&to=${d2}&region=511921`, { 'hx-request': 'true' });
    t.notMatch(frag.body, '<html', 'only the results');
    t.match(text(frag.body), '通江县检察院工作站');
    t.notMatch(text(frag.body), '巴州区法院工作站');
    const zh = new Client(app, { 'accept-language': 'zh-CN' });
    await zh.login(a.user.email);
    const zp = await zh.get(`/duty?from=${d1}&to=${d2}`);
    t.match(text(zp.body), '缺人');
    t.match(zp.body, /<a href="\/duty\/mine"[^>]*>值班排班<\/a>/, 'for a lawyer the nav item leads to my duty');
  });

  await t.test('define shifts: 422 with the messages next to the fields, then weekly', async (t) => {
    await m.get('/duty/new');
    const bad = await m.post('/duty/shifts', { organizationId: String(station.id), startsAt: `${d1}T10:00`, endsAt: `${d1}T09:00`, seats: '0', who: 'either', weeks: '1', note: '' });
    t.equal(bad.statusCode, 422);
    t.match(field(bad.body, 'endsAt').error ?? '', /after|end/i);
    t.ok(field(bad.body, 'seats').invalid);
    t.equal(field(bad.body, 'startsAt').value, `${d1}T10:00`, 'the input is kept');
    const before = await db.selectFrom('duty_shifts').select('id').execute();
    const ok = await m.post('/duty/shifts', { organizationId: String(station.id), startsAt: `${d1}T18:00`, endsAt: `${d1}T20:00`, seats: '1', who: 'lawyer', weeks: '3', note: '夜间值班' });
    t.equal(ok.statusCode, 303);
    const after = await db.selectFrom('duty_shifts').select('id').execute();
    t.equal(after.length - before.length, 3);
    t.match(text((await m.get('/duty')).body), '3 shifts created');
  });

  await t.test('fill by rotation from the shift page; attendance buttons only once it starts', async (t) => {
    const page = await m.get(`/duty/${open.id}`);
    t.match(page.body, `action="/duty/${open.id}/fill"`);
    t.notMatch(page.body, '/attendance', 'no attendance before the start');
    const res = await m.post(`/duty/${open.id}/fill`);
    t.equal(res.statusCode, 303);
    const rows = await liveRows(db, open.id);
    t.same(rows.map((r) => r.lawyer_id).sort(), [a.lawyer.id, b.lawyer.id].sort());
    t.match(text((await m.get(`/duty/${open.id}`)).body), /2 put on duty by rotation.*王律师.*By rotation/);
    // each lawyer put on duty is told, in words, with a link to the shift
    const notes = await la.get('/notifications');
    t.match(text(notes.body), /The rotation put you on duty at 巴州区法院工作站/);
    t.notMatch(text(notes.body), 'duty.assigned', 'no raw kind');
    t.match(notes.body, `href="/duty/${open.id}"`);
  });

  await t.test('a lawyer cannot act on another person’s assignment; a swap waits for approval', async (t) => {
    const rows = await liveRows(db, open.id);
    const ofA = rows.find((r) => r.lawyer_id === a.lawyer.id)!;
    await lb.get(`/duty/${open.id}`);
    const foreign = await lb.post(`/duty/${open.id}/assignments/${ofA.id}/swap`, { to: '', reason: '' });
    t.equal(foreign.statusCode, 404);
    const va = await vc.post(`/duty/${open.id}/assignments/${ofA.id}/swap`, { to: '' });
    t.equal(va.statusCode, 404);
    const page = await la.get(`/duty/${open.id}`);
    t.match(text(page.body), 'Ask for a swap');
    t.notMatch(page.body, `/duty/${open.id}/release`, 'a rotation seat cannot simply be left');
    const asked = await la.post(`/duty/${open.id}/assignments/${ofA.id}/swap`, { to: '', reason: '出庭' });
    t.equal(asked.statusCode, 303);
    t.equal((await liveRows(db, open.id)).length, 2, 'nothing moved yet');
    t.match(text((await la.get(`/duty/${open.id}`)).body), 'Swap awaiting approval');

    const list = await m.get('/duty/swaps');
    t.match(text(list.body), '王律师 asks to give the shift back');
    const swap = await db.selectFrom('duty_swaps').select('id').where('status', '=', 'pending').executeTakeFirstOrThrow();
    const noReason = await m.post(`/duty/swaps/${swap.id}/reject`, { reason: '' });
    t.equal(noReason.statusCode, 422);
    t.match(field(noReason.body, 'reason').error ?? '', 'required');
    t.equal((await lb.post(`/duty/swaps/${swap.id}/approve`)).statusCode, 403, 'a lawyer may not decide');
    const ok = await m.post(`/duty/swaps/${swap.id}/approve`);
    t.equal(ok.statusCode, 303);
    t.same((await liveRows(db, open.id)).map((r) => r.lawyer_id), [b.lawyer.id], 'given back: one seat free again');
    t.match(text((await m.get('/duty/swaps')).body), 'No swaps await approval');
  });

  await t.test('a manager puts a person on a shift; choosing nobody is a 422 next to the field', async (t) => {
    const page = await m.get(`/duty/${open.id}`);
    t.match(page.body, `action="/duty/${open.id}/assign"`);
    t.match(page.body, `value="v:${v.volunteer.id}"`, 'the volunteers of the region are offered');
    const none = await m.post(`/duty/${open.id}/assign`, { person: '' });
    t.equal(none.statusCode, 422);
    t.match(field(none.body, 'person').error ?? '', 'required');
    const ok = await m.post(`/duty/${open.id}/assign`, { person: `v:${v.volunteer.id}` });
    t.equal(ok.statusCode, 303);
    t.match((await liveRows(db, open.id)).find((r) => r.volunteer_id === v.volunteer.id), { source: 'manager', status: 'assigned' });
    t.notMatch((await m.get(`/duty/${open.id}`)).body, `action="/duty/${open.id}/assign"`, 'no form once full');
  });

  await t.test('attendance from the shift page once it has started: hours credited once', async (t) => {
    const past = new Date(Date.now() - 2 * 86_400_000);
    const started = await makeShift(db, station.id, { startsAt: new Date(Date.now() - 3_600_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() }, past);
    const seat = await takeSeat(db, { id: null, name: 'test' }, { lawyerId: a.lawyer.id }, started.id, 'signup', past);
    const page = await m.get(`/duty/${started.id}`);
    t.match(page.body, `/duty/${started.id}/assignments/${seat.id}/attendance`);
    t.notMatch(page.body, `/duty/${started.id}/fill`, 'no filling once started');
    const res = await m.post(`/duty/${started.id}/assignments/${seat.id}/attendance`, { outcome: 'attended' });
    t.equal(res.statusCode, 303);
    t.match(text((await m.get(`/duty/${started.id}`)).body), /王律师 attended; the duty hours are credited/);
    await m.post(`/duty/${started.id}/assignments/${seat.id}/attendance`, { outcome: 'attended' });
    const entries = await db.selectFrom('hour_entries').selectAll().where('lawyer_id', '=', a.lawyer.id).execute();
    t.equal(entries.length, 1);
    t.match(entries[0], { kind: 'duty_shift', status: 'approved', hours: '2.0' });
    const bogus = await m.post(`/duty/${started.id}/assignments/${seat.id}/attendance`, { outcome: 'late' });
    t.equal(bogus.statusCode, 404);
    t.equal((await m.post(`/duty/${open.id}/assignments/${seat.id}/attendance`, { outcome: 'no_show' })).statusCode, 404, 'an assignment of another shift');
  });

  await t.test('a manager cancels a shift from its page', async (t) => {
    const spare = await makeShift(db, other.id, { startsAt: day(d2, '18:00'), endsAt: day(d2, '20:00') }, now);
    const page = await m.get(`/duty/${spare.id}`);
    t.match(page.body, `action="/duty/${spare.id}/cancel"`);
    t.notMatch((await lb.get(`/duty/${spare.id}`)).body, '/cancel', 'not for a lawyer');
    t.equal((await lb.post(`/duty/${spare.id}/cancel`, { reason: '停电' })).statusCode, 403);
    t.match(field(page.body, 'reason').html, 'Reason for cancelling', 'the form asks why');
    const status = async () => db.selectFrom('duty_shifts').select(['status', 'cancel_reason']).where('id', '=', spare.id).executeTakeFirstOrThrow();
    const empty = await m.post(`/duty/${spare.id}/cancel`, { reason: '  ' });
    t.equal(empty.statusCode, 422, 'no reason: refused');
    t.match(field(empty.body, 'reason').error ?? '', 'required', 'the message is next to the field');
    t.match(field(empty.body, 'reason').html, 'aria-invalid="true"', 'marked invalid');
    const long = await m.post(`/duty/${spare.id}/cancel`, { reason: '长'.repeat(501) });
    t.equal(long.statusCode, 422, 'over 500 characters: refused');
    t.match(field(long.body, 'reason').error ?? '', '500');
    t.match(field(long.body, 'reason').html, '长'.repeat(501), 'the input is kept');
    t.same(await status(), { status: 'scheduled', cancel_reason: null }, 'nothing changed');
    const res = await m.post(`/duty/${spare.id}/cancel`, { reason: '检察院搬迁，当日暂停值班' });
    t.equal(res.statusCode, 303);
    t.same(await status(), { status: 'cancelled', cancel_reason: '检察院搬迁，当日暂停值班' });
    const after = text((await m.get(`/duty/${spare.id}`)).body);
    t.match(after, 'Shift cancelled; 0 people told');
    t.match(after, 'Cancelled');
    t.match(after, /Reason for cancelling\s*检察院搬迁，当日暂停值班/, 'the reason is shown on the cancelled shift’s page');
    t.match(text((await lb.get(`/duty/${spare.id}`)).body), '检察院搬迁，当日暂停值班', 'to everyone who opens it');
    const held = await makeShift(db, other.id, { startsAt: day(d2, '20:00'), endsAt: day(d2, '22:00') }, now);
    await takeSeat(db, { id: null, name: 'test' }, { lawyerId: b.lawyer.id }, held.id, 'signup', now);
    await m.get(`/duty/${held.id}`);
    t.equal((await m.post(`/duty/${held.id}/cancel`, { reason: '值班室维修' })).statusCode, 303);
    t.match(text((await lb.get('/notifications')).body), /The duty at 通江县检察院工作站 \(.*\) is cancelled\. Reason: 值班室维修/, 'the person on it is told why');
    t.notMatch((await m.get(`/duty/${spare.id}`)).body, `/duty/${spare.id}/cancel`, 'no second cancel');
  });

  await t.test('my duty, for a lawyer and a volunteer; managers only on manager routes', async (t) => {
    const mine = await lb.get('/duty/mine');
    t.equal(mine.statusCode, 200);
    t.match(text(mine.body), /巴州区法院工作站.*On duty.*By rotation/);
    const vm = text((await vc.get('/duty/mine')).body);
    t.match(vm, /巴州区法院工作站.*Signed up/);
    t.match(vm, /Put on by a manager/);
    t.equal((await vc.get('/duty/new')).statusCode, 403);
    t.equal((await la.post(`/duty/${open.id}/fill`)).statusCode, 403);
    t.equal((await m.get('/duty/999999')).statusCode, 404);
    t.equal((await m.get('/duty/mine')).statusCode, 403);
  });
});
