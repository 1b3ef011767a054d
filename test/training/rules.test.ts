// The pure part of training: months added at month ends, a certificate's status
// around its boundary days, course and hours checks.
import t from 'tap';
import { addMonths, certificateStatus, checkAttendedHours, checkCourse, checkSession, expiryOf } from '../../src/modules/training/training.rules.js';
import { courseInput } from './helpers.js';

t.test('months are added to the same day, or the last day of a shorter month', async (t) => {
  t.equal(addMonths('2025-01-31', 1), '2025-02-28', '31 Jan + 1 month: the end of February');
  t.equal(addMonths('2024-01-31', 1), '2024-02-29', 'in a leap year, the 29th');
  t.equal(addMonths('2024-02-29', 12), '2025-02-28', 'a leap day a year on');
  t.equal(addMonths('2025-03-31', 1), '2025-04-30');
  t.equal(addMonths('2025-08-31', 6), '2026-02-28');
  t.equal(addMonths('2025-12-15', 1), '2026-01-15', 'across the year end');
  t.equal(addMonths('2025-11-30', 27), '2028-02-29');
  t.equal(addMonths('2025-05-10', 0), '2025-05-10');
  t.equal(expiryOf('2025-01-31', 1), '2025-02-28');
  t.equal(expiryOf('2025-01-31', null), null, 'no validity: never expires');
});

t.test('a certificate is valid, expiring within 60 days (its last day included), or expired the day after its last day', async (t) => {
  const last = '2026-02-28';
  t.equal(certificateStatus(last, '2026-03-01'), 'expired', 'the day after its last valid day');
  t.equal(certificateStatus(last, '2026-02-28'), 'expiring', 'its last valid day');
  t.equal(certificateStatus(last, '2025-12-30'), 'expiring', 'exactly 60 days ahead');
  t.equal(certificateStatus(last, '2025-12-29'), 'valid', '61 days ahead');
  t.equal(certificateStatus(null, '2099-01-01'), 'valid', 'one that never expires');
});

t.test('course checks: code, hours with one decimal, roles, area needs a code, validity only with a certificate', async (t) => {
  t.same(checkCourse(courseInput({ code: 'juvenile', creditHours: '2.5' })).errors, []);
  t.equal(checkCourse(courseInput({ creditHours: '2.5' })).value.creditTenths, 25);
  const fields = (input: Parameters<typeof courseInput>[0]) => checkCourse(courseInput(input)).errors.map((e) => e.field);
  t.same(fields({ code: 'Juvenile Cases' }), ['code']);
  t.same(fields({ creditHours: '0' }), ['creditHours']);
  t.same(fields({ creditHours: '2.25' }), ['creditHours'], 'finer than a tenth is refused, not rounded');
  t.same(fields({ creditHours: '1000' }), ['creditHours']);
  t.same(fields({ requiredForRoles: ['judge'] }), ['requiredForRoles']);
  t.same(fields({ requiredForPracticeArea: 'juvenile' }), ['code'], 'a gate needs a code to be named by');
  t.same(fields({ requiredForPracticeArea: 'astrology', code: 'x' }), ['requiredForPracticeArea']);
  t.same(fields({ certificateValidMonths: 12 }), ['certificateValidMonths'], 'no certificate, no validity');
  t.same(fields({ grantsCertificate: true, certificateValidMonths: 0 }), ['certificateValidMonths']);
  t.same(fields({ title: '  ' }), ['title']);
});

t.test('session checks: instants with a zone, end after start, capacity', async (t) => {
  const ok = { startsAt: '2026-03-01T09:00:00+08:00', endsAt: '2026-03-01T12:00:00+08:00', location: '中心', capacity: 10 };
  t.same(checkSession(ok).errors, []);
  t.same(checkSession({ ...ok, startsAt: '2026-03-01 09:00' }).errors.map((e) => e.field), ['startsAt'], 'no zone: refused, not read in the server zone');
  t.same(checkSession({ ...ok, endsAt: ok.startsAt }).errors.map((e) => e.field), ['endsAt']);
  t.same(checkSession({ ...ok, capacity: 0 }).errors.map((e) => e.field), ['capacity']);
});

t.test("credited hours: more than 0, at most the course's, one decimal", async (t) => {
  t.same(checkAttendedHours('6', 60), { errors: [], tenths: 60 }, "the course's full hours");
  t.same(checkAttendedHours('2.5', 60).tenths, 25);
  t.match(checkAttendedHours('6.1', 60).errors, [{ field: 'hours', key: 'training.err.hours', params: { max: '6' } }]);
  t.equal(checkAttendedHours('0', 60).errors.length, 1);
  t.equal(checkAttendedHours('-1', 60).errors.length, 1);
  t.equal(checkAttendedHours('1.25', 60).errors.length, 1);
});
