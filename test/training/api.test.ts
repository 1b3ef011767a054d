// /api/v1/trainings: the shapes, the roles, and the errors of the conventions.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';

const { app, db } = await buildTestApp(t);
const tokenOf = async (id: number) => (await createToken(db, { id, name: 't' }, id, 'test')).token;
const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' }, ...(payload ? { payload } : {}) });
const manager = await tokenOf((await makeUser(db, 'manager')).id);
const auditor = await tokenOf((await makeUser(db, 'auditor')).id);
const a = await makeLawyerUser(db);
const b = await makeLawyerUser(db);
const v = await makeVolunteerUser(db);
const ta = await tokenOf(a.user.id);
const tv = await tokenOf(v.user.id);
const course = { code: 'juvenile', title: '未成年人案件办理', creditHours: 6, requiredForRoles: ['lawyer'], requiredForPracticeArea: 'juvenile', grantsCertificate: true, certificateValidMonths: 12 };
const future = { startsAt: '2099-03-01T09:00:00+08:00', endsAt: '2099-03-01T12:00:00+08:00', location: '巴中市法律援助中心', capacity: 1 };
const past = { ...future, startsAt: '2026-03-02T09:00:00+08:00', endsAt: '2026-03-02T12:00:00+08:00' };

t.test('a manager creates a course (201) and its sessions; others may not (403); bad input 400 on its field', async (t) => {
  const res = await call('POST', '/api/v1/trainings', manager, course);
  t.equal(res.statusCode, 201);
  t.match(res.json(), { id: Number, code: 'juvenile', creditHours: 6, grantsCertificate: true, certificateValidMonths: 12, requiredForPracticeArea: 'juvenile', sessions: [] });
  t.equal((await call('POST', '/api/v1/trainings', ta, { ...course, code: 'other' })).statusCode, 403, 'a lawyer may not');
  t.equal((await call('POST', '/api/v1/trainings', auditor, { ...course, code: 'other' })).statusCode, 403);
  const taken = await call('POST', '/api/v1/trainings', manager, course);
  t.equal(taken.statusCode, 400);
  t.match(taken.json(), { error: { code: 'invalid_input', field: 'code', message: /already uses this code/ } });
  t.match((await call('POST', '/api/v1/trainings', manager, { ...course, code: null, creditHours: 2.25 })).json(), { error: { field: 'creditHours' } });
  t.equal((await db.selectFrom('training_courses').select('id').execute()).length, 1, 'the refused ones left nothing behind');

  const id = res.json<{ id: number }>().id;
  const s = await call('POST', `/api/v1/trainings/${id}/sessions`, manager, future);
  t.equal(s.statusCode, 201);
  t.match(s.json(), { courseId: id, capacity: 1, status: 'scheduled', enrolled: 0, waitlisted: 0, startsAt: '2099-03-01T01:00:00.000Z' });
  t.equal((await call('POST', '/api/v1/trainings/999999/sessions', manager, future)).statusCode, 404);
  t.match((await call('POST', `/api/v1/trainings/${id}/sessions`, manager, { ...future, endsAt: future.startsAt })).json(), { error: { field: 'endsAt' } });
  t.equal((await call('POST', `/api/v1/trainings/${id}/sessions`, ta, future)).statusCode, 403);

  const list = await call('GET', '/api/v1/trainings', ta);
  t.equal(list.statusCode, 200, 'anyone signed in reads the courses');
  t.match(list.json(), { items: [{ id, sessions: [{ capacity: 1 }] }], nextCursor: null });
  t.equal((await call('GET', `/api/v1/trainings/${id}`, tv)).statusCode, 200);
  t.equal((await call('GET', '/api/v1/trainings/999999', tv)).statusCode, 404);
});

t.test('enrolment: oneself with no body, a full session waitlists (201), twice is 409; another person is not yours to cancel', async (t) => {
  const [c] = (await call('GET', '/api/v1/trainings', manager)).json().items as { sessions: { id: number }[] }[];
  const sid = c.sessions[0].id;
  const first = await call('POST', `/api/v1/trainings/sessions/${sid}/enrolments`, ta, {});
  t.equal(first.statusCode, 201);
  t.match(first.json(), { status: 'enrolled', position: null, personKind: 'lawyer', personId: a.lawyer.id });
  const full = await call('POST', `/api/v1/trainings/sessions/${sid}/enrolments`, tv, {});
  t.equal(full.statusCode, 201, 'a full session is not an error');
  t.match(full.json(), { status: 'waitlisted', position: 1, personKind: 'volunteer', personId: v.volunteer.id });
  const twice = await call('POST', `/api/v1/trainings/sessions/${sid}/enrolments`, ta, {});
  t.equal(twice.statusCode, 409);
  t.equal(twice.json().error.code, 'already_enrolled');
  t.equal((await call('POST', `/api/v1/trainings/sessions/${sid}/enrolments`, ta, { personId: b.lawyer.id })).statusCode, 404, 'a lawyer cannot enrol somebody else');
  t.equal((await call('POST', `/api/v1/trainings/sessions/${sid}/enrolments`, manager, {})).statusCode, 400, 'a manager names the person');
  t.equal((await call('DELETE', `/api/v1/trainings/sessions/${sid}/enrolments/volunteer/${v.volunteer.id}`, ta)).statusCode, 404, "another's enrolment is not found");
  const cancel = await call('DELETE', `/api/v1/trainings/sessions/${sid}/enrolments/lawyer/${a.lawyer.id}`, ta);
  t.equal(cancel.statusCode, 200);
  t.same(cancel.json(), { cancelled: true, promoted: { personKind: 'volunteer', personId: v.volunteer.id } });
});

t.test('attendance {personId, hours}: 201 with the certificate; capped hours 400; once 409; managers only', async (t) => {
  const id = ((await call('GET', '/api/v1/trainings', manager)).json().items as { id: number }[])[0].id;
  const sid = (await call('POST', `/api/v1/trainings/${id}/sessions`, manager, past)).json().id as number;
  const ambiguous = await call('POST', `/api/v1/trainings/${id}/attendance`, manager, { personId: b.lawyer.id, hours: 6 });
  t.equal(ambiguous.statusCode, 201, 'one session has started: it is the one meant');
  t.match(ambiguous.json(), { sessionId: sid, personKind: 'lawyer', personId: b.lawyer.id, status: 'attended', hours: 6, certificate: { issuedOn: '2026-03-02', expiresOn: '2027-03-02' } });
  const again = await call('POST', `/api/v1/trainings/${id}/attendance`, manager, { personId: b.lawyer.id, hours: 6, sessionId: sid });
  t.equal(again.statusCode, 409);
  t.equal(again.json().error.code, 'attendance_recorded');
  const over = await call('POST', `/api/v1/trainings/${id}/attendance`, manager, { personId: v.volunteer.id, personKind: 'volunteer', hours: '6.5', sessionId: sid });
  t.equal(over.statusCode, 400);
  t.match(over.json(), { error: { field: 'hours', message: /at most the course's 6 hours/ } });
  t.equal((await call('POST', `/api/v1/trainings/${id}/attendance`, ta, { personId: a.lawyer.id, hours: 1, sessionId: sid })).statusCode, 403);
  t.equal((await call('POST', `/api/v1/trainings/${id}/attendance`, manager, { personId: 2147480000, hours: 1, sessionId: sid })).statusCode, 400, 'an unknown person');
  const otherCourse = (await call('POST', '/api/v1/trainings', manager, { title: '职业道德', creditHours: 2 })).json().id as number;
  t.equal((await call('POST', `/api/v1/trainings/${otherCourse}/attendance`, manager, { personId: a.lawyer.id, hours: 1, sessionId: sid })).statusCode, 404, "another course's session");
  t.match((await call('POST', `/api/v1/trainings/${otherCourse}/attendance`, manager, { personId: a.lawyer.id, hours: 1 })).json(), { error: { field: 'sessionId' } }, 'no session has started');
  const v2 = await call('POST', `/api/v1/trainings/${id}/attendance`, manager, { personId: v.volunteer.id, personKind: 'volunteer', hours: 4, sessionId: sid });
  t.match(v2.json(), { personKind: 'volunteer', personId: v.volunteer.id, hours: 4 });
});

t.test('records: the person themself and managers; short of hours and expiring certificates for managers', async (t) => {
  const rec = await call('GET', `/api/v1/lawyers/${b.lawyer.id}/training?on=2027-01-01`, manager);
  t.equal(rec.statusCode, 200);
  t.match(rec.json(), {
    personKind: 'lawyer',
    personId: b.lawyer.id,
    years: [{ year: 2027, hours: 0, required: 12, short: 12 }, { year: 2026, hours: 6, required: 12, short: 6 }],
    attended: [{ courseTitle: '未成年人案件办理', date: '2026-03-02', hours: 6 }],
    certificates: [{ expiresOn: '2027-03-02', status: 'expiring' }],
  });
  t.match((await call('GET', `/api/v1/lawyers/${b.lawyer.id}/training?on=2026-12-31`, manager)).json(), {
    certificates: [{ status: 'valid' }],
  });
  t.equal((await call('GET', `/api/v1/lawyers/${b.lawyer.id}/training`, ta)).statusCode, 404, "another lawyer's record is not found");
  t.equal((await call('GET', `/api/v1/lawyers/${a.lawyer.id}/training`, ta)).statusCode, 200, 'their own');
  t.match((await call('GET', `/api/v1/volunteers/${v.volunteer.id}/training`, tv)).json(), { personKind: 'volunteer', years: [{ hours: 4, required: 6 }] });
  t.equal((await call('GET', `/api/v1/volunteers/${v.volunteer.id}/training`, ta)).statusCode, 404);

  const short = await call('GET', '/api/v1/trainings/short-of-hours?year=2026', manager);
  t.equal(short.statusCode, 200);
  t.same(
    (short.json().items as { personId: number; hours: number; short: number }[]).map((r) => [r.personId, r.hours, r.short]),
    [
      [a.lawyer.id, 0, 12],
      [b.lawyer.id, 6, 6],
    ],
  );
  t.equal((await call('GET', '/api/v1/trainings/short-of-hours', ta)).statusCode, 403);
  const expiring = await call('GET', '/api/v1/trainings/certificates/expiring?on=2027-01-01', manager);
  t.match(expiring.json(), { on: '2027-01-01', until: '2027-03-02', items: [{ personKind: 'lawyer', personId: b.lawyer.id, expiresOn: '2027-03-02' }, { personKind: 'volunteer', personId: v.volunteer.id }] });
  t.equal((await call('GET', '/api/v1/trainings/certificates/expiring?on=2026-12-31', manager)).json().items.length, 0, '61 days ahead: not yet');
  t.equal((await call('GET', '/api/v1/trainings/certificates/expiring?on=2027-03-03', manager)).json().items.length, 0, 'expired');
  t.equal((await call('GET', '/api/v1/trainings/certificates/expiring?on=soon', manager)).statusCode, 400);
});
