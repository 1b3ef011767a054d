// The facts of one rotation decision, loaded in a few set-based queries (no
// query per lawyer): the pool must be decided in milliseconds with 10,000
// lawyers. The pure core (eligibility.ts, rotation.ts) then judges them.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Case, DB } from '../../db/types.js';
import { policyAt } from '../policies/policies.service.js';
import { normaliseParty, type CaseNeeds, type LawyerFacts, type LawyerId, type Standing, type Standings } from './rotation.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The 'rotation' policy's value (see migration 0007 for the seeded defaults). */
export interface RotationPolicyValue {
  /** the minimum level by case kind */
  minLevel: Record<string, number>;
  /** the level a serious criminal case needs (applied at intake through cases.min_level) */
  seriousCriminalLevel: number;
  /** 'own': only the lawyer's region; 'own_or_neighbours': plus the neighbours map; 'any': every region */
  regionMode: 'own' | 'own_or_neighbours' | 'any';
  neighbours: Record<string, string[]>;
  /** calendar days after assignment within which the lawyer may decline */
  declineDays: number;
  returnTurnOnConflictDecline: boolean;
}

export const DEFAULT_ROTATION_POLICY: RotationPolicyValue = {
  minLevel: {},
  seriousCriminalLevel: 3,
  regionMode: 'own_or_neighbours',
  neighbours: {},
  declineDays: 3,
  returnTurnOnConflictDecline: true,
};

export async function rotationPolicyAt(db: Db, on: string): Promise<RotationPolicyValue> {
  const found = await policyAt<Partial<RotationPolicyValue>>(db, 'rotation', on);
  return { ...DEFAULT_ROTATION_POLICY, ...found?.value };
}

/** A lawyer's facts with the name the manager reads. */
export interface LawyerRow extends LawyerFacts {
  name: string;
}

export interface DecisionFacts {
  lawyers: LawyerRow[];
  needs: CaseNeeds;
  policy: RotationPolicyValue;
}

type CaseForFacts = Pick<Case, 'id' | 'kind' | 'category' | 'region_code' | 'min_level' | 'required_training' | 'opposing_parties'>;

// Full-width ASCII to half-width plus ASCII upper to lower, as one translate():
// the same in SQL and here whatever the database's locale.
const FULL = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0xff01 + i)).join('');
const HALF = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SQL_FROM = FULL + UPPER;
const SQL_TO = HALF.toLowerCase() + UPPER.toLowerCase();
// exactly the characters JavaScript's \s matches, spelled out so SQL strips the same
const SPACES = '[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]';
const SPACES_RE = new RegExp(SPACES, 'g');

/** A coarse key (no spaces at all, ASCII case folded): equal normalised names have equal keys. */
function partyKey(name: string): string {
  let out = '';
  for (const ch of name.replace(SPACES_RE, '')) {
    const i = SQL_FROM.indexOf(ch);
    out += i >= 0 ? SQL_TO[i] : ch;
  }
  return out;
}

/**
 * The conflicts that could match the case's opposing parties, by lawyer. SQL
 * narrows by the coarse key; names with non-ASCII letters that have a case
 * (where SQL's lower() depends on the locale) come along too; the pure core
 * then compares the exact normalised names.
 */
async function conflictsFor(db: Db, parties: readonly string[]): Promise<Map<LawyerId, string[]>> {
  const out = new Map<LawyerId, string[]>();
  const keys = [...new Set(parties.filter((p) => normaliseParty(p) !== '').map(partyKey))];
  if (!keys.length) return out;
  const rows = await sql<{ lawyer_id: number; party: string }>`
    select lawyer_id, party from lawyer_conflicts
    where translate(regexp_replace(party, ${SPACES}, '', 'g'), ${SQL_FROM}, ${SQL_TO}) = any(${keys}::text[])
       or party ~ '[\u00c0-\u024f\u0370-\u04ff]'`.execute(db);
  for (const r of rows.rows) {
    const list = out.get(r.lawyer_id) ?? [];
    list.push(r.party);
    out.set(r.lawyer_id, list);
  }
  return out;
}

/** The regions a lawyer serves under the policy. */
function regionsServed(policy: RotationPolicyValue, own: string, caseRegion: string): string[] {
  if (policy.regionMode === 'any') return [own, caseRegion];
  if (policy.regionMode === 'own') return [own];
  return [own, ...(policy.neighbours[own] ?? [])];
}

/** Every lawyer's facts and the case's needs for one decision on day `on`. */
export async function loadFacts(db: Db, caseRow: CaseForFacts, on: string): Promise<DecisionFacts> {
  const [policy, lawyers, onLeave, open, conflicts, declined] = await Promise.all([
    rotationPolicyAt(db, on),
    db.selectFrom('lawyers').select(['id', 'name', 'status', 'practice_areas', 'level', 'region_code', 'max_open_cases', 'trainings', 'weight']).orderBy('id').execute(),
    db.selectFrom('lawyer_leaves').select('lawyer_id').distinct().where('starts_on', '<=', on).where('ends_on', '>=', on).execute(),
    db
      .selectFrom('cases')
      .select(['lawyer_id', sql<number>`count(*)::int`.as('n')])
      .where('status', 'in', ['assigned', 'accepted'])
      .where('lawyer_id', 'is not', null)
      .groupBy('lawyer_id')
      .execute(),
    conflictsFor(db, caseRow.opposing_parties),
    db.selectFrom('assignments').select('lawyer_id').distinct().where('case_id', '=', caseRow.id).where('status', '=', 'declined').execute(),
  ]);
  const leave = new Set(onLeave.map((r) => r.lawyer_id));
  const openOf = new Map(open.map((r) => [r.lawyer_id!, Number(r.n)]));
  const needs: CaseNeeds = {
    category: caseRow.category,
    regionCode: caseRow.region_code,
    minLevel: Math.max(caseRow.min_level, policy.minLevel[caseRow.kind] ?? 1),
    trainings: caseRow.required_training ? [caseRow.required_training] : [],
    opposingParties: caseRow.opposing_parties,
    declinedBy: declined.map((r) => r.lawyer_id),
  };
  return {
    policy,
    needs,
    lawyers: lawyers.map((l) => ({
      id: l.id,
      name: l.name,
      status: l.status,
      onLeave: leave.has(l.id),
      practiceAreas: l.practice_areas,
      level: l.level,
      regions: regionsServed(policy, l.region_code, caseRow.region_code),
      conflicts: conflicts.get(l.id) ?? [],
      openCases: openOf.get(l.id) ?? 0,
      maxOpenCases: l.max_open_cases,
      trainings: l.trainings,
      weight: Number(l.weight),
    })),
  };
}

/** The stored standings (all of them: one indexed scan). */
export async function loadStandings(db: Db): Promise<Map<LawyerId, Standing>> {
  const rows = await db.selectFrom('rotation_standings').select(['lawyer_id', 'turns', 'last_seq', 'joined_seq']).execute();
  return new Map(rows.map((r) => [r.lawyer_id, { turns: r.turns, lastSeq: r.last_seq === null ? null : Number(r.last_seq), joinedSeq: Number(r.joined_seq) }]));
}

/** Stores the standings of lawyers who joined in this decision (chunked: one statement per 2,000). */
export async function insertStandings(db: Db, added: readonly [LawyerId, Standing][]): Promise<void> {
  for (let i = 0; i < added.length; i += 2000) {
    const chunk = added.slice(i, i + 2000);
    await db
      .insertInto('rotation_standings')
      .values(chunk.map(([id, s]) => ({ lawyer_id: id, turns: s.turns, last_seq: s.lastSeq, joined_seq: s.joinedSeq })))
      .onConflict((oc) => oc.column('lawyer_id').doNothing())
      .execute();
  }
}

/** The lawyers present in `after` but not in `before`. */
export function joinedBetween(before: Standings, after: Standings): [LawyerId, Standing][] {
  return [...after].filter(([id]) => !before.has(id));
}
