// A court's system retrying a notification must not create a second case:
// POST /api/v1/cases with the same Idempotency-Key and body answers the first
// case again; another body with that key is refused; a failed first try frees the key.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const token = (await createToken(db, { id: manager.id, name: 'm' }, manager.id, 'court')).token;
const other = await makeUser(db, 'manager');
const otherToken = (await createToken(db, { id: other.id, name: 'o' }, other.id, 'court')).token;
const post = (payload: object, key?: string, bearer = token) =>
  app.inject({ method: 'POST', url: '/api/v1/cases', headers: { authorization: `Bearer ${bearer}`, ...(key && { 'idempotency-key': key }) }, payload });
const count = async () => (await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
const notice = { applicantName: '王五', kind: 'criminal', category: 'criminal', regionCode: '511922', source: 'court' };

t.test('the same key and body create one case and replay its answer', async (t) => {
  const first = await post(notice, 'court-2026-0042');
  t.equal(first.statusCode, 201);
  const again = await post(notice, 'court-2026-0042');
  t.equal(again.statusCode, 201, 'the replay has the first status');
  t.equal(again.headers['idempotent-replay'], 'true');
  t.same(again.json(), first.json(), 'and the first body');
  t.equal(await count(), 1, 'one case only');
  const another = await post(notice, 'court-2026-0042', otherToken);
  t.equal(another.statusCode, 201, "keys are per caller: another system's same key is its own");
  t.not(another.json().id, first.json().id);
  t.equal(await count(), 2);
});

t.test('the same key with another body is refused and changes nothing', async (t) => {
  const before = await count();
  const res = await post({ ...notice, applicantName: '赵六' }, 'court-2026-0042');
  t.equal(res.statusCode, 422);
  t.equal(res.json().error.code, 'idempotency_key_reused');
  t.equal(await count(), before);
});

t.test('a refused first try does not burn the key', async (t) => {
  const before = await count();
  const bad = await post({ ...notice, regionCode: '999999' }, 'court-2026-0043');
  t.equal(bad.statusCode, 400);
  const good = await post({ ...notice, regionCode: '511922' }, 'court-2026-0043');
  t.equal(good.statusCode, 201, 'the corrected retry with the same key runs');
  t.equal(await count(), before + 1);
});

t.test('without a key every POST creates; a malformed key is refused', async (t) => {
  const before = await count();
  await post(notice);
  await post(notice);
  t.equal(await count(), before + 2);
  const res = await post(notice, 'has space');
  t.equal(res.statusCode, 400);
  t.equal(res.json().error.code, 'invalid_idempotency_key');
});
