// The demo cases' stories: how long ago each application came in (in working
// days) and what happened to it on which working day after that. Together they
// cover every status, overdue and pending deadlines, the green channel, two
// emergency cases (one with its paperwork overdue) and matters in the demo
// lawyer's line. Every lawyer is chosen by the rotation service (or by a manager's
// override with a written reason), as in real use: a lawyer on leave and one with
// a recorded conflict are passed over, one lawyer declines (the turn stays used)
// and one declines for a conflict (the turn comes back).
import type { Kysely } from 'kysely';
import type { CaseSource, DB, PriorityGroup } from '../db/types.js';
import { addDays, isWeekend } from '../lib/workdays.js';
import { SYSTEM_ACTOR, type Actor } from '../plugins/audit.js';
import * as act from '../modules/cases/cases.actions.js';
import { getCase } from '../modules/cases/cases.service.js';
import { addConflict, addLeave } from '../modules/lawyers/lawyers.service.js';
import { assignByOverride, assignByRotation, declineAssignment, previewAssignment, type AssignResult } from '../modules/rotation/rotation.service.js';
import { int, pick, type Rng } from './random.js';

/**
 * 'assign' is the rotation's pick; 'override' a manager's choice of the next
 * eligible lawyer after the pick, with a written reason. 'leave' and 'conflict'
 * happen to the lawyer next in line for the case just before it is assigned
 * (they write to the lawyer's record, not to the case's timeline). 'decline' and
 * 'decline_conflict' send the case back to the rotation: an 'assign' follows.
 */
export type Step =
  | 'grant' | 'refuse' | 'materials' | 'supply' | 'lapse' | 'withdraw' | 'appeal' | 'uphold' | 'overturn'
  | 'assign' | 'override' | 'leave' | 'conflict' | 'decline' | 'decline_conflict'
  | 'accept' | 'note' | 'hearing' | 'close' | 'review' | 'followup' | 'paperwork' | 'terminate' | 'transfer';

/** Steps that leave nothing on the case's timeline. */
export const OFF_TIMELINE: readonly Step[] = ['leave', 'conflict'];

export interface Scenario {
  /** working days since the application */
  age: number;
  /** [working days after the application, what happened] */
  steps: [number, Step][];
  /** a matter in the demo lawyer account's line (a category they practise, in a region they serve): the rotation may bring it to them */
  demo?: boolean;
  emergency?: boolean;
  criminal?: boolean;
  source?: CaseSource;
  groups?: PriorityGroup[];
  /** income well above the means-test line (refused) */
  rich?: boolean;
  /** items missing at intake */
  missing?: boolean;
  fromConsultation?: boolean;
}

/** Granted, assigned (by `how`, in one working day), accepted the next day. */
const handled = (...how: Step[]): [number, Step][] => [[3, 'grant'], ...how.map((step): [number, Step] => [5, step]), [6, 'accept']];
const HANDLED = handled('assign');

export const SCENARIOS: Scenario[] = [
  // under review: on time, one green channel, two overdue
  { age: 1, steps: [], fromConsultation: true },
  { age: 3, steps: [], groups: ['elderly'], fromConsultation: true },
  { age: 5, steps: [] },
  { age: 9, steps: [], groups: ['migrant_worker'] },
  { age: 12, steps: [[2, 'materials'], [6, 'supply']] },
  // waiting for materials; the last one's deadline has passed (the nightly job withdraws it)
  { age: 2, steps: [], missing: true, fromConsultation: true },
  { age: 6, steps: [[1, 'materials']], groups: ['disabled'] },
  { age: 13, steps: [], missing: true },
  // withdrawn: materials never came, or the applicant withdrew
  { age: 30, steps: [[11, 'lapse']], missing: true },
  { age: 20, steps: [[2, 'withdraw']] },
  // granted, waiting for assignment (one overdue)
  { age: 4, steps: [[2, 'grant']], groups: ['woman'], fromConsultation: true },
  { age: 6, steps: [[4, 'grant']], criminal: true, source: 'court' },
  { age: 16, steps: [[5, 'grant']] },
  { age: 3, steps: [[1, 'grant']], criminal: true, source: 'police' },
  // refused, appealed, appeal upheld, appeal overturned
  { age: 25, steps: [[5, 'refuse']], rich: true },
  { age: 40, steps: [[4, 'refuse']], rich: true },
  { age: 8, steps: [[3, 'refuse'], [5, 'appeal']], rich: true },
  { age: 35, steps: [[4, 'refuse'], [7, 'appeal'], [10, 'uphold']], rich: true },
  { age: 45, steps: [[3, 'refuse'], [6, 'appeal'], [9, 'overturn'], [11, 'assign'], [13, 'accept'], [20, 'note']], rich: true },
  // assigned, waiting for the lawyer
  { age: 7, steps: [[2, 'grant'], [4, 'assign']], demo: true, groups: ['migrant_worker'] },
  // the first lawyer declines (busy: the turn stays used); the rotation picks again
  { age: 5, steps: [[1, 'grant'], [3, 'assign'], [3, 'decline'], [3, 'assign']] },
  // in progress
  { age: 15, steps: [...HANDLED, [8, 'note'], [9, 'hearing']], demo: true, fromConsultation: true },
  { age: 22, steps: [...HANDLED, [10, 'note'], [12, 'hearing']], demo: true, groups: ['elderly'] },
  { age: 28, steps: [...HANDLED, [15, 'note']], demo: true, criminal: true },
  // the first lawyer declines for a conflict of interest: the turn comes back
  { age: 18, steps: [...handled('assign', 'decline_conflict', 'assign'), [9, 'hearing']], fromConsultation: true },
  { age: 33, steps: [...HANDLED, [20, 'note']] },
  { age: 12, steps: HANDLED, groups: ['minor'] },
  { age: 11, steps: handled('override'), criminal: true, groups: ['minor'] },
  // closed, waiting for the quality review
  { age: 50, steps: [...HANDLED, [20, 'note'], [40, 'close']], demo: true },
  { age: 44, steps: [...HANDLED, [38, 'close']], fromConsultation: true },
  { age: 55, steps: [...HANDLED, [45, 'close'], [50, 'followup']], groups: ['migrant_worker'] },
  { age: 39, steps: [...handled('override'), [33, 'close']] },
  // reviewed, most with a follow-up visit
  { age: 62, steps: [...HANDLED, [35, 'close'], [40, 'review'], [45, 'followup']], demo: true },
  { age: 60, steps: [...handled('override'), [30, 'close'], [36, 'review'], [42, 'followup']], fromConsultation: true },
  // the lawyer next in line goes on sick leave (passed over while away); on the next case,
  // the one next in line has a conflict with the opposing party put on record first
  { age: 58, steps: [...handled('leave', 'assign'), [40, 'close'], [46, 'review'], [50, 'followup']], groups: ['woman'] },
  { age: 57, steps: [...handled('conflict', 'assign'), [42, 'close'], [48, 'review']] },
  { age: 61, steps: [...HANDLED, [28, 'close'], [33, 'review'], [37, 'followup']], criminal: true },
  // terminated, transferred
  { age: 26, steps: [...HANDLED, [14, 'terminate']] },
  { age: 10, steps: [[1, 'transfer']], fromConsultation: true },
  // emergency aid first: paperwork in; paperwork overdue
  { age: 20, steps: [[1, 'assign'], [2, 'accept'], [6, 'paperwork'], [10, 'hearing']], emergency: true, demo: true, groups: ['migrant_worker'] },
  { age: 14, steps: [[1, 'assign']], emergency: true, fromConsultation: true },
];

/** What every step shares: the seed's clock, the staff who act, the lawyers' names and logins. */
export interface StepContext {
  db: Kysely<DB>;
  rng: Rng;
  staff: Actor;
  /** today */
  on: string;
  /** the working day n working days before today */
  ago: (n: number) => string;
  centres: number[];
  /** lawyers' names by id */
  names: Map<number, string>;
  /** the user account of a lawyer who has one (the demo login's), by lawyer id */
  users: Map<number, number>;
}

/** One case as its steps go: the handling lawyer is whoever the last assignment chose. */
export interface CaseState {
  id: number;
  lawyer: { id: number; name: string; actor: Actor } | null;
}

const NOTES = ['已会见受援人，了解案件基本事实。', '已调取劳动合同和工资流水等证据。', '已向法院提交证据材料。', '与对方当事人进行了调解，对方同意分期支付。', '已查阅案卷材料，准备辩护意见。'];
const OUTCOMES = ['经法院调解结案，对方支付全部欠薪。', '一审判决支持受援人主要诉讼请求。', '经劳动仲裁，裁决用人单位支付工伤待遇。', '法院采纳辩护意见，从轻处罚。', '双方达成和解协议并已履行。'];
const FINDINGS = ['案卷材料齐全，办案及时。', '代理意见充分，受援人权益得到维护。', '个别文书归档不及时，已提醒。'];
const DECLINE_BUSY = '本人近期承办的两起刑事案件集中开庭，无法保证本案的办案时间。';
const DECLINE_CONFLICT = '本人曾担任对方当事人的常年法律顾问，存在利益冲突。';
/** How long the sick leave lasts, in working days (so the same decisions fall in it whatever the calendar). */
const LEAVE_DAYS = 8;

function weekdayAfter(from: string, days: number): string {
  let d = addDays(from, days);
  while (isWeekend(d)) d = addDays(d, 1);
  return d;
}

/** An override's written reason, from what the case is about. */
function overrideReason(groups: readonly string[]): string {
  if (groups.includes('minor')) return '未成年人案件，指派有未成年人案件办理经验的律师，便于与受援人及其监护人沟通。';
  if (groups.includes('elderly')) return '受援人年老行动不便，该律师所在律师事务所离受援人住处较近，便于会见。';
  return '该律师曾代理受援人的关联案件，熟悉案情，便于衔接。';
}

/** The handling lawyer an assignment left on the case row. */
function handler(ctx: StepContext, r: AssignResult): CaseState['lawyer'] {
  const id = r.case.lawyer_id!;
  const name = ctx.names.get(id) ?? '';
  return { id, name, actor: { id: ctx.users.get(id) ?? null, name } };
}

function lawyerOf(c: CaseState): NonNullable<CaseState['lawyer']> {
  if (!c.lawyer) throw new Error(`demo seed: case ${c.id} has no lawyer for this step`);
  return c.lawyer;
}

/** The steps that go through the rotation, or change what it knows of the lawyer next in line. */
async function rotationStep(ctx: StepContext, c: CaseState, step: Step, n: number): Promise<void> {
  const { db, staff } = ctx;
  const on = ctx.ago(n);
  switch (step) {
    case 'assign':
      c.lawyer = handler(ctx, await assignByRotation(db, staff, c.id, {}, on));
      return;
    case 'override': {
      // the manager takes the next eligible lawyer after the rotation's pick, and says why
      const preview = await previewAssignment(db, c.id, on);
      const other = preview.candidates.find((x) => x.lawyerId !== preview.chosen?.lawyerId);
      const groups = (await getCase(db, c.id))?.priority_groups ?? [];
      c.lawyer = handler(ctx, other
        ? await assignByOverride(db, staff, c.id, { lawyerId: other.lawyerId, reason: overrideReason(groups) }, on)
        : await assignByRotation(db, staff, c.id, {}, on));
      return;
    }
    case 'leave':
    case 'conflict': {
      const next = (await previewAssignment(db, c.id, on)).chosen;
      if (!next) return;
      if (step === 'leave') {
        await addLeave(db, staff, next.lawyerId, { startsOn: on, endsOn: ctx.ago(n - LEAVE_DAYS), reason: '病假' });
        return;
      }
      const party = (await getCase(db, c.id))?.opposing_parties[0];
      if (party) await addConflict(db, staff, next.lawyerId, { party, partyKind: 'organization', note: '曾担任该单位的常年法律顾问。' });
      return;
    }
    case 'decline':
    case 'decline_conflict': {
      const conflict = step === 'decline_conflict';
      await declineAssignment(db, lawyerOf(c).actor, c.id, { reason: conflict ? DECLINE_CONFLICT : DECLINE_BUSY, conflict }, on);
      c.lawyer = null;
      return;
    }
  }
}

const ROTATION_STEPS: readonly Step[] = ['assign', 'override', 'leave', 'conflict', 'decline', 'decline_conflict'];

/** Runs one step of a case, `n` working days before today. */
export async function runStep(ctx: StepContext, c: CaseState, step: Step, n: number): Promise<void> {
  if (ROTATION_STEPS.includes(step)) return rotationStep(ctx, c, step, n);
  const { db, rng, staff } = ctx;
  const { id } = c;
  const on = ctx.ago(n);
  const lawyer = () => lawyerOf(c).actor;
  switch (step) {
    case 'grant': await act.decide(db, staff, id, { granted: true, reason: null }, on); return;
    case 'refuse': await act.decide(db, staff, id, { granted: false, reason: '家庭人均收入高于本地经济困难标准，且不属于免予审查的情形。' }, on); return;
    case 'materials': await act.requestMaterials(db, staff, id, { items: ['居民身份证复印件', '经济困难状况说明表'], note: null }, on); return;
    case 'supply': await act.supplyMaterials(db, staff, id, on); return;
    case 'lapse': await act.lapseMaterials(db, SYSTEM_ACTOR, id, on); return;
    case 'withdraw': await act.withdraw(db, staff, id, { reason: '申请人已与对方自行和解。' }, on); return;
    case 'appeal': await act.appeal(db, staff, id, { reason: '申请人补充了家庭成员患病的医疗费用证明，对决定有异议。' }, on); return;
    case 'uphold': await act.decideAppeal(db, staff, id, { overturn: false, reason: '经复核，原决定认定事实清楚，予以维持。' }, on); return;
    case 'overturn': await act.decideAppeal(db, staff, id, { overturn: true, reason: '扣除大额医疗支出后，家庭人均收入低于标准。' }, on); return;
    case 'accept': await act.accept(db, lawyer(), id, on); return;
    case 'note': await act.addNote(db, lawyer(), id, { text: pick(rng, NOTES) }); return;
    case 'hearing':
      await act.addKeyDate(db, lawyer(), id, { kind: 'hearing', onDate: weekdayAfter(ctx.on, int(rng, 3, 40)), atTime: pick(rng, ['09:00', '09:30', '14:30']), place: '巴中市巴州区人民法院第二审判庭', note: null });
      return;
    case 'close': await act.close(db, lawyer(), id, { outcome: pick(rng, OUTCOMES), hours: `${int(rng, 6, 40)}.${int(rng, 0, 1) * 5}` }, on); return;
    case 'review': await act.review(db, staff, id, { score: int(rng, 72, 96), findings: pick(rng, FINDINGS) }, on); return;
    case 'followup': {
      const satisfied = rng() < 0.8;
      await act.followUp(db, staff, id, { on, satisfied, complaint: satisfied ? null : '认为律师联系不够及时。' }, ctx.on);
      return;
    }
    case 'paperwork': await act.receivePaperwork(db, staff, id, on); return;
    case 'terminate': await act.terminate(db, staff, id, { reason: 'hired_own_lawyer', note: null }); return;
    case 'transfer': {
      const row = await db.selectFrom('cases').select('centre_id').where('id', '=', id).executeTakeFirstOrThrow();
      const to = ctx.centres.find((x) => x !== row.centre_id)!;
      await act.transfer(db, staff, id, { centreId: to, note: '申请人经常居住地在外区县，移交当地法律援助中心办理。' });
      return;
    }
  }
}
