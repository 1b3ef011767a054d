// The facts of one rotation decision, loaded in a few set-based queries (no
// query per lawyer): the pool must be decided in milliseconds with 10,000
// lawyers. The pure core (eligibility.ts, rotation.ts) then judges them.
import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { isRowId } from '../../lib/access.js';
import { prepared } from '../../db/prepared.js';
import { RuleError } from '../../lib/errors.js';
import { ROTATION_SCOPE, takeSeq } from './rotation.lock.js';
import type { Case, CaseStatus, DB } from '../../db/types.js';
import { APP_TZ } from '../cases/cases.service.js';
import { policyAt } from '../policies/policies.service.js';
import { normaliseParty, type CaseNeeds, type LawyerFacts, type LawyerId, type Standing, type Standings } from './rotation.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The 'rotation' policy's value (see migration 0007 for the seeded defaults). */
export interface RotationPolicyValue {
  /** the minimum level by case kind */
  minLevel: Record<string, number>;
  /** the level a case that may bring life imprisonment or death needs (cases.possible_life_sentence; applied at each decision) */
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
  /** the pool (plus any lawyer asked for by id), by id */
  lawyers: LawyerRow[];
  /** the stored standings of those lawyers (newcomers have none yet) */
  standings: Map<LawyerId, Standing>;
  /** how many lawyers are in line (the pool, plus any included): known when the whole pool was read, else null */
  poolSize: number | null;
  /** how many of the lawyers read have no standing yet (with a limit, at most one is read) */
  newcomers: number;
  needs: CaseNeeds;
  policy: RotationPolicyValue;
}

type CaseForFacts = Pick<Case, 'id' | 'kind' | 'category' | 'region_code' | 'min_level' | 'possible_life_sentence' | 'required_training' | 'opposing_parties'>;

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

/** The coarse keys of the case's opposing parties. */
function partyKeys(parties: readonly string[]): string[] {
  return [...new Set(parties.filter((p) => normaliseParty(p) !== '').map(partyKey))];
}

/**
 * The conflicts (lawyer_conflicts as k) that could match the case's opposing
 * parties: SQL narrows by the coarse key; names with non-ASCII letters that have
 * a case (where SQL's lower() depends on the locale) come along too; the pure
 * core then compares the exact normalised names.
 */
function conflictMatch(keys: string[]) {
  return sql<boolean>`translate(regexp_replace(k.party, ${SPACES}, '', 'g'), ${SQL_FROM}, ${SQL_TO}) = any(${keys}::text[])
       or k.party ~ '[\u00c0-\u024f\u0370-\u04ff]'`;
}

/** The regions a lawyer serves under the policy. */
function regionsServed(policy: RotationPolicyValue, own: string, caseRegion: string): string[] {
  if (policy.regionMode === 'any') return [own, caseRegion];
  if (policy.regionMode === 'own') return [own];
  return [own, ...(policy.neighbours[own] ?? [])];
}

/**
 * The region codes whose lawyers serve a case in `caseRegion` under the policy
 * (null: every region).
 */
export function servingRegions(policy: RotationPolicyValue, caseRegion: string): string[] | null {
  if (policy.regionMode === 'any') return null;
  if (policy.regionMode === 'own') return [caseRegion];
  return [caseRegion, ...Object.keys(policy.neighbours).filter((r) => r !== caseRegion && (policy.neighbours[r] ?? []).includes(caseRegion))];
}

/** What a decision reads once, however many pages of the pool it loads: the rotation policy and the courses the case's practice area requires. */
export interface DecisionContext {
  policy: RotationPolicyValue;
  /** the codes of the courses required for the case's practice area */
  areaCourses: string[];
}

/** The rotation policy in force on `on` (the latest version from that day or before, as policyAt finds it). */
const policyIn = (on: string) =>
  sql<Partial<RotationPolicyValue> | null>`(select p.value from policies p where p.key = 'rotation' and p.effective_from <= ${on}::date order by p.effective_from desc limit 1)`;

/** The codes of the courses required for a practice area (`area`: an expression, a case's category). */
const areaCoursesOf = (area: RawBuilder<string>) =>
  sql<string[]>`array(select tc.code from training_courses tc where tc.required_for_practice_area = ${area} and tc.code is not null order by tc.code)`;

const contextOf = (row: { rotation_policy: Partial<RotationPolicyValue> | null; area_courses: string[] }): DecisionContext => ({
  policy: { ...DEFAULT_ROTATION_POLICY, ...row.rotation_policy },
  areaCourses: row.area_courses,
});

/** The decision's context in one statement (the policy in force on `on`, and the area's courses). */
export async function decisionContext(db: Db, caseRow: Pick<Case, 'category'>, on: string): Promise<DecisionContext> {
  const row = await db
    .selectNoFrom([policyIn(on).as('rotation_policy'), areaCoursesOf(sql<string>`${caseRow.category}`).as('area_courses')])
    .executeTakeFirstOrThrow();
  return contextOf(row);
}

/**
 * The start of a decision in one statement where it would spend three: the next
 * seq (which locks the rotation state, as takeSeq does), then the case row, locked
 * (as lockCase does), with the decision's context. The rotation state is locked
 * first, as everywhere: the case row is locked on the joined row, which needs the
 * update's result. Without a rotation-state row (a database set up without the
 * migration's seed row) or without the case, it falls back to the separate steps,
 * which create the row or refuse the case (the caller's transaction then rolls
 * back whatever was bumped).
 */
export async function beginDecision(trx: Transaction<DB>, id: number, on: string): Promise<{ seq: number; row: Case; context: DecisionContext }> {
  const found = isRowId(id)
    ? await trx
        .with('s', (q) => q.updateTable('rotation_state').set({ seq: sql`seq + 1` }).where('scope', '=', ROTATION_SCOPE).returning('seq'))
        .selectFrom(['cases as c', 's'])
        .selectAll('c')
        .select(['s.seq as rotation_seq', policyIn(on).as('rotation_policy'), areaCoursesOf(sql<string>`c.category`).as('area_courses')])
        .where('c.id', '=', id)
        .forUpdate('c')
        .modifyEnd(prepared)
        .executeTakeFirst()
    : undefined;
  if (found) {
    const { rotation_seq, rotation_policy, area_courses, ...row } = found;
    return { seq: Number(rotation_seq), row, context: contextOf({ rotation_policy, area_courses }) };
  }
  const seq = await takeSeq(trx);
  return { seq, ...(await lockCaseForDecision(trx, id, on)) };
}

/** The case row, locked for the rest of the transaction (as lockCase does), with the decision's context. */
async function lockCaseForDecision(trx: Transaction<DB>, id: number, on: string): Promise<{ row: Case; context: DecisionContext }> {
  const found = isRowId(id)
    ? await trx
        .selectFrom('cases as c')
        .selectAll('c')
        .select([policyIn(on).as('rotation_policy'), areaCoursesOf(sql<string>`c.category`).as('area_courses')])
        .where('c.id', '=', id)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!found) throw new RuleError(409, 'not_found', 'case.err.gone');
  const { rotation_policy, area_courses, ...row } = found;
  return { row, context: contextOf({ rotation_policy, area_courses }) };
}

export interface LoadOptions {
  /** the decision's context, when the caller has it already */
  context?: DecisionContext;
  /** lawyers outside the pool to load too (a manager's override choice), so the pure core can say why they may not take the case */
  include?: readonly LawyerId[];
  /**
   * Load only the first `limit` lawyers of the pool in rotation order (by their
   * stored standing; lawyers without one first). The rest of the pool is then
   * not judged: see decide() in rotation.service.ts for when that is enough.
   */
  limit?: number;
}

/**
 * The rotation order of the stored standings, in SQL: fewer turns per weight
 * first, then the older last turn (none is oldest), then the lower id. The same
 * order as compareRanked (rotation.ts): turns/weight is rounded to 9 places, which
 * never merges two different values (weights have one decimal and are at most
 * 5, so two different values differ by 0.004 or more) and gives equal values one
 * key whatever precision the division was carried to. rotation_standings.rank_key
 * holds that rounded value (kept by a trigger, migration 0014), and the index
 * rotation_standings_order holds this order, so the head of a pool is read from
 * the index: no sort of the whole pool.
 */
const ROTATION_ORDER = sql`s.rank_key, s.last_seq nulls first, s.lawyer_id`;

/**
 * The facts of one decision on day `on`: the case's needs, and the pool: the
 * lawyers who are not inactive, practise in the case's category and serve its
 * region (lawyers outside it are not in line for this case, so they are neither
 * candidates nor skipped), each with that day's leave, open cases, conflicts and
 * stored standing. One statement: the per-lawyer lookups (leave, open cases,
 * conflicts) are index lookups, made for only the rows returned.
 *
 * With a limit, the statement reads the pool's head from the rotation order's
 * index, plus at most one newcomer (a pool lawyer without a standing yet, found
 * by the partial index on lawyers.in_rotation): a newcomer makes the caller judge
 * the whole pool, since newcomers join before anyone is picked. The head's pool
 * size is then unknown (null) unless the head is the whole pool.
 */
export async function loadFacts(db: Db, caseRow: CaseForFacts, on: string, options: LoadOptions = {}): Promise<DecisionFacts> {
  const include = options.include ?? [];
  const { policy, areaCourses } = options.context ?? (await decisionContext(db, caseRow, on));
  const regions = servingRegions(policy, caseRow.region_code);
  const keys = partyKeys(caseRow.opposing_parties);
  // a course required for the case's practice area is needed as much as the case's own required training
  const neededTrainings = [...new Set([...(caseRow.required_training ? [caseRow.required_training] : []), ...areaCourses])];
  const inPool = (eb: ExpressionBuilder<DB, 'lawyers'>) =>
    eb.and([
      // literals, not parameters, here and below: the prepared statement's generic plan must see them to use
      // the partial indexes they match
      eb('lawyers.status', '!=', sql.lit('inactive')),
      eb(sql<string[]>`lawyers.practice_areas`, '@>', sql<string[]>`array[${caseRow.category}]::text[]`),
      ...(regions ? [eb('lawyers.region_code', 'in', regions)] : []),
    ]);
  const lawyerColumns = ['lawyers.id', 'lawyers.name', 'lawyers.status', 'lawyers.practice_areas', 'lawyers.level', 'lawyers.region_code', 'lawyers.max_open_cases', 'lawyers.weight', 'lawyers.trainings'] as const;
  const limited = options.limit !== undefined;
  // the lawyers to judge: the head of the pool in rotation order and at most one newcomer, or the whole pool
  const head = db
    .selectFrom('lawyers')
    .innerJoin('rotation_standings as s', 's.lawyer_id', 'lawyers.id')
    .select([...lawyerColumns, sql<number | null>`s.turns`.as('turns'), 's.last_seq', sql<number | null>`s.joined_seq`.as('joined_seq'), sql<string | null>`s.rank_key`.as('rank_key')])
    // the pool, on the standing's copies of the lawyer's columns (kept by triggers): no lawyers row is read for
    // the lawyers of other pools. Not on the lawyers row as well: the planner would take the two for independent
    // filters and misjudge a small pool (8% of the city) as too small to walk the index for. The area test is
    // array_position, not @>: the statement is prepared, and a generic plan (made without the area) takes @> to
    // match 0.5% of the lawyers, and then sorts the whole pool rather than walk the index (10 ms, not 0.7)
    .where((eb) =>
      eb.and([
        eb.not('s.inactive'),
        sql<boolean>`array_position(s.practice_areas, ${caseRow.category}::text) is not null`,
        ...(regions ? [eb('s.region_code', 'in', regions)] : []),
      ]),
    )
    .orderBy(ROTATION_ORDER)
    .limit(sql.lit(options.limit ?? 0));
  const fresh = db
    .selectFrom('lawyers')
    .select([...lawyerColumns, sql<number | null>`null::int`.as('turns'), sql<number | null>`null::bigint`.as('last_seq'), sql<number | null>`null::bigint`.as('joined_seq'), sql<string | null>`null::numeric`.as('rank_key')])
    .where((eb) => eb.and([eb.not('lawyers.in_rotation'), inPool(eb)]))
    .limit(sql.lit(1));
  const wholePool = db
    .selectFrom('lawyers')
    .leftJoin('rotation_standings as s', 's.lawyer_id', 'lawyers.id')
    .select([...lawyerColumns, sql<number | null>`s.turns`.as('turns'), 's.last_seq', sql<number | null>`s.joined_seq`.as('joined_seq'), sql<string | null>`s.rank_key`.as('rank_key')])
    .where((eb) => (include.length ? eb.or([inPool(eb), eb('lawyers.id', 'in', [...include])]) : inPool(eb)));
  const rows = db
    .selectFrom((eb) => (limited ? eb.selectFrom(head.as('h')).selectAll().unionAll(eb.selectFrom(fresh.as('f')).selectAll()) : wholePool).as('l'))
    .select(['l.id', 'l.name', 'l.status', 'l.practice_areas', 'l.level', 'l.region_code', 'l.max_open_cases', 'l.weight', 'l.turns', 'l.last_seq', 'l.joined_seq'])
    .select((eb) => [
      // the trainings held on the day, from the training records (migration 0012): the code of every course
      // with a certificate valid that day, or attended by then when the course grants none; an old flag
      // (lawyers.trainings) counts only while no course has that code. Looked up only when the case needs
      // a training: otherwise what a lawyer holds cannot change the decision
      neededTrainings.length === 0
        ? sql<string[]>`'{}'::text[]`.as('trainings')
        : sql<string[]>`array(
        select c.code from training_certificates t join training_courses c on c.id = t.course_id
         where t.lawyer_id = l.id and c.code is not null and t.issued_on <= ${on}::date and (t.expires_on is null or t.expires_on >= ${on}::date)
        union
        select c.code from training_enrolments e join training_sessions ts on ts.id = e.session_id join training_courses c on c.id = ts.course_id
         where e.lawyer_id = l.id and e.status = 'attended' and c.code is not null and not c.grants_certificate
           and (ts.starts_at at time zone ${APP_TZ})::date <= ${on}::date
        union
        select f from unnest(l.trainings) f where not exists (select 1 from training_courses c where c.code = f))`.as('trainings'),
      eb
        .exists(eb.selectFrom('lawyer_leaves as v').select('v.lawyer_id').whereRef('v.lawyer_id', '=', 'l.id').where('v.starts_on', '<=', on).where('v.ends_on', '>=', on))
        .as('on_leave'),
      eb
        .selectFrom('cases as c')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('c.lawyer_id', '=', 'l.id')
        .where('c.status', 'in', [sql.lit<CaseStatus>('assigned'), sql.lit<CaseStatus>('accepted')])
        .as('open_cases'),
      sql<number[]>`array(select a.lawyer_id from assignments a where a.case_id = ${caseRow.id} and a.status = 'declined')`.as('declined_by'),
      keys.length
        ? sql<string[]>`array(select k.party from lawyer_conflicts k where k.lawyer_id = l.id and (${conflictMatch(keys)}))`.as('conflicts')
        : sql<string[]>`'{}'::text[]`.as('conflicts'),
    ])
    .orderBy(sql`l.rank_key nulls first, l.last_seq nulls first, l.id`);
  // the head is read at every decision: a prepared statement (its shapes are few: the limit, the number of
  // regions, whether parties or trainings are looked up); the whole pool is read rarely, in too many shapes
  const lawyers = await (limited ? rows.modifyEnd(prepared) : rows).execute();
  const newcomers = lawyers.filter((l) => l.turns === null).length;
  // the whole pool was read: without a limit, or when the head is shorter than the limit and holds no newcomer
  // (with one, the pool may hold more newcomers than the one read)
  const whole = !limited || (lawyers.length - newcomers < options.limit! && newcomers === 0);
  const needs: CaseNeeds = {
    category: caseRow.category,
    regionCode: caseRow.region_code,
    minLevel: Math.max(caseRow.min_level, policy.minLevel[caseRow.kind] ?? 1, caseRow.possible_life_sentence ? policy.seriousCriminalLevel : 1),
    trainings: neededTrainings,
    opposingParties: caseRow.opposing_parties,
    declinedBy: lawyers[0]?.declined_by ?? [],
  };
  const standings = new Map<LawyerId, Standing>();
  for (const l of lawyers) if (l.turns !== null) standings.set(l.id, { turns: l.turns, lastSeq: l.last_seq === null ? null : Number(l.last_seq), joinedSeq: Number(l.joined_seq) });
  return {
    policy,
    needs,
    standings,
    poolSize: whole ? lawyers.length : null,
    newcomers,
    lawyers: lawyers.map((l) => ({
      id: l.id,
      name: l.name,
      status: l.status,
      onLeave: Boolean(l.on_leave),
      practiceAreas: l.practice_areas,
      level: l.level,
      regions: regionsServed(policy, l.region_code, caseRow.region_code),
      conflicts: l.conflicts,
      openCases: Number(l.open_cases ?? 0),
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

/** One lawyer's stored standing (none before their first decision). */
export async function loadStanding(db: Db, lawyerId: LawyerId): Promise<Standing | undefined> {
  const r = await db.selectFrom('rotation_standings').select(['turns', 'last_seq', 'joined_seq']).where('lawyer_id', '=', lawyerId).executeTakeFirst();
  return r && { turns: r.turns, lastSeq: r.last_seq === null ? null : Number(r.last_seq), joinedSeq: Number(r.joined_seq) };
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
