// Shared setup of the rotation's database tests: granted cases and lawyers of a
// practice area of the test's own, so the tests of one file do not pick each other's.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import type { CaseInput } from '../../src/modules/cases/cases.rules.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer } from '../helpers/people.js';

export async function grantedCase(db: Kysely<DB>, fields: Partial<CaseInput> = {}, extra: { minLevel?: number; training?: string } = {}) {
  const c = await makeCase(db, fields);
  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
  if (extra.minLevel || extra.training)
    await db.updateTable('cases').set({ min_level: extra.minLevel ?? 1, required_training: extra.training ?? null }).where('id', '=', c.id).execute();
  return db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
}

/** n lawyers of one area, in id order (the rotation's tie-break): made one after another, since
 * parallel inserts on PostgreSQL's several connections may take their ids in any order. */
export async function lawyersOf(db: Kysely<DB>, n: number, area: string, fields: Parameters<typeof makeLawyer>[1] = {}) {
  const made = [];
  for (let i = 0; i < n; i++) made.push(await makeLawyer(db, { practiceAreas: [area], level: 2, regionCode: '511902', ...fields }));
  return made;
}

export async function standingOf(db: Kysely<DB>, lawyerId: number) {
  const s = await db.selectFrom('rotation_standings').selectAll().where('lawyer_id', '=', lawyerId).executeTakeFirst();
  return s ? { turns: s.turns, lastSeq: s.last_seq === null ? null : Number(s.last_seq) } : null;
}
