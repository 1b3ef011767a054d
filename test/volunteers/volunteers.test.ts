import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { field } from '../helpers/html.js';
import { makeLawyerUser, makeVolunteer, makeVolunteerUser } from '../helpers/people.js';

t.test('volunteers', async (t) => {
  const { app, db } = await buildTestApp(t);
  const manager = await makeUser(db, 'manager');
  const staff = new Client(app);
  await staff.login(manager.email);

  const signup = {
    name: '王小丽',
    phone: '13912345678',
    email: 'wxl@example.cn',
    regionCode: '511903',
    skills: ['mediation', 'dialect'],
    languages: '普通话、四川话',
    availability: ['sat:am', 'sun:pm'],
    consent: '1',
  };

  t.test('public sign-up: consent and contact required, then pending', async (t) => {
    const pub = new Client(app);
    const form = await pub.get('/volunteer-signup');
    t.equal(form.statusCode, 200, 'no login needed');
    const noConsent = await pub.post('/volunteer-signup', { ...signup, consent: [] });
    t.equal(noConsent.statusCode, 422);
    t.match(text(noConsent.body), 'Your consent is needed to sign up.');
    t.equal(field(noConsent.body, 'phone').value, signup.phone, 'input kept');
    const noContact = await pub.post('/volunteer-signup', { ...signup, phone: '', email: '' });
    t.equal(field(noContact.body, 'phone').error, 'Give a mobile number or an email address (at least one).');
    const badRegion = await pub.post('/volunteer-signup', { ...signup, regionCode: '123456' });
    t.equal(field(badRegion.body, 'regionCode').error, 'Unknown region code.');
    t.equal((await db.selectFrom('volunteers').select('id').execute()).length, 0, 'nothing written');

    const ok = await pub.post('/volunteer-signup', signup);
    t.equal(ok.statusCode, 303);
    const thanks = await pub.get(ok.headers.location as string);
    t.match(text(thanks.body), 'Thank you for signing up!');
    const row = await db.selectFrom('volunteers').selectAll().where('phone', '=', signup.phone).executeTakeFirstOrThrow();
    t.equal(row.status, 'pending');
    t.ok(row.consent_at, 'consent recorded');
    t.same(row.availability, { sat: ['am'], sun: ['pm'] });
    t.same(row.languages, ['普通话', '四川话']);

    const again = await pub.post('/volunteer-signup', signup);
    t.equal(field(again.body, 'phone').error, 'That mobile number has already signed up.', 'no double sign-up');
  });

  t.test('review: approval creates the account, shown once; rejection disables it', async (t) => {
    const v = await db.selectFrom('volunteers').selectAll().where('phone', '=', signup.phone).executeTakeFirstOrThrow();
    const pending = await staff.get('/volunteers?status=pending', { 'hx-request': 'true' });
    t.match(text(pending.body), '王小丽');
    t.notMatch(pending.body, '<html', 'fragment for htmx');
    await staff.get(`/volunteers/${v.id}`);
    const approved = await staff.post(`/volunteers/${v.id}/approve`, { note: '面谈通过' });
    t.equal(approved.statusCode, 200);
    const password = /initial password: (\S+)/.exec(text(approved.body))?.[1];
    t.ok(password, 'the one-time password is shown');
    const user = await db.selectFrom('users').selectAll().where('volunteer_id', '=', v.id).executeTakeFirstOrThrow();
    t.equal(user.role, 'volunteer');
    t.ok(user.must_change_password);
    const again = await staff.get(`/volunteers/${v.id}`);
    t.notMatch(text(again.body), password!, 'never shown again');

    const vc = new Client(app);
    await vc.get('/login');
    const login = await vc.post('/login', { email: signup.email, password: password! });
    t.equal(login.headers.location, '/password', 'must choose a new password');

    const other = await makeVolunteer(db, { status: 'pending' });
    await staff.get(`/volunteers/${other.id}`);
    const noEmail = await staff.post(`/volunteers/${other.id}/approve`, {});
    t.equal(noEmail.statusCode, 422);
    t.match(text(noEmail.body), 'An account needs an email address');
    t.equal((await db.selectFrom('volunteers').select('status').where('id', '=', other.id).executeTakeFirstOrThrow()).status, 'pending', 'unchanged');

    await staff.get(`/volunteers/${v.id}`);
    await staff.post(`/volunteers/${v.id}/reject`, { note: '联系不上' });
    const after = await db.selectFrom('users').select('disabled_at').where('id', '=', user.id).executeTakeFirstOrThrow();
    t.ok(after.disabled_at, 'the account of a rejected volunteer stops working');
    const actions = await db.selectFrom('audit_log').select('action').where('entity', '=', 'volunteer').where('entity_id', '=', String(v.id)).execute();
    t.same(actions.map((a) => a.action).sort(), ['volunteer.approved', 'volunteer.rejected', 'volunteer.signed_up']);
  });

  t.test('own profile and who may see what', async (t) => {
    const { volunteer, user } = await makeVolunteerUser(db, { name: '赵志愿' });
    const other = await makeVolunteer(db, { name: '钱志愿' });
    const vc = new Client(app);
    await vc.login(user.email);
    t.equal((await vc.get('/volunteers')).statusCode, 403, 'no volunteer list for volunteers');
    t.equal((await vc.get('/lawyers')).statusCode, 403, 'no lawyer list either');
    t.equal((await vc.get(`/volunteers/${other.id}`)).statusCode, 404, 'another volunteer does not exist for them');
    t.equal((await vc.get('/profile')).headers.location, `/volunteers/${volunteer.id}`);
    await vc.get(`/volunteers/${volunteer.id}`);
    const bad = await vc.post('/profile/volunteer', { phone: '123', regionCode: '511902' });
    t.equal(bad.statusCode, 422);
    t.equal(field(bad.body, 'phone').error, 'Enter a valid phone number.');
    const ok = await vc.post('/profile/volunteer', { name: 'renamed', phone: '13700001111', regionCode: '511921', skills: ['it'], availability: ['mon:eve'] });
    t.equal(ok.statusCode, 303);
    const row = await db.selectFrom('volunteers').selectAll().where('id', '=', volunteer.id).executeTakeFirstOrThrow();
    t.equal(row.name, '赵志愿', 'the name is not theirs to change');
    t.equal(row.region_code, '511921');
    t.same(row.skills, ['it']);

    const { user: lawyerUser } = await makeLawyerUser(db);
    const lc = new Client(app);
    await lc.login(lawyerUser.email);
    t.equal((await lc.get('/volunteers')).statusCode, 403, 'a lawyer cannot see the volunteer list');
    t.equal((await lc.get(`/volunteers/${volunteer.id}`)).statusCode, 403);
  });
});
