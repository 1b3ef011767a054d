// Turning case data into the words a page shows: money in yuan, the working
// days left on a deadline, the means-test computation, a timeline entry's detail.
// Pure functions of (t, fmt): the templates call them, the tests can too.
import type { MessageKey, Translate } from '../../i18n/index.js';
import type { Formatters } from '../../lib/format.js';
import type { Case } from '../../db/types.js';
import type { Deadline } from './cases.service.js';
import type { Eligibility } from './eligibility.js';

const grouped = new Intl.NumberFormat('en-US');

/** Integer fen as yuan with two decimals ("1,500.00"): no floats on the way. */
export function yuan(fen: number | string | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '';
  const n = Number(fen);
  const abs = Math.abs(n);
  return `${n < 0 ? '-' : ''}${grouped.format(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/** Fen as the yuan a clerk would type back into the form ("1500.5" stays "1500.50"). */
export function yuanInput(fen: number | string | null | undefined): string {
  return yuan(fen).replace(/,/g, '');
}

/** "还剩 3 个工作日" / "due today" / "overdue by 2 working days". */
export function deadlineText(t: Translate, d: Deadline): string {
  if (d.overdue) return d.workingDaysLeft < 0 ? t('cases.deadline.overdueBy', { n: -d.workingDaysLeft }) : t('cases.deadline.overdue');
  if (d.workingDaysLeft === 0) return t('cases.deadline.today');
  return t('cases.deadline.left', { n: d.workingDaysLeft });
}

/** The multiplier as a person says it: 200 % is "2", 150 % is "1.5". */
function multiplier(pct: number): string {
  return String(pct / 100);
}

export interface EligibilityView {
  rule: string;
  passed: boolean | null;
  standard: { regionCode: string; effectiveFrom: string; allowance: string; multiplier: string; threshold: string } | null;
  /** the whole computation in one sentence, when the means test could be run */
  computation: string | null;
  applied: { code: string; derived: boolean }[];
  rejected: string[];
}

export function eligibilityView(t: Translate, c: Pick<Case, 'eligibility' | 'exemptions'>): EligibilityView | null {
  const e = (typeof c.eligibility === 'string' ? JSON.parse(c.eligibility) : c.eligibility) as Eligibility | null;
  if (!e) return null;
  const s = e.standard;
  const standard = s
    ? { regionCode: s.regionCode, effectiveFrom: s.effectiveFrom, allowance: yuan(s.allowanceFen), multiplier: multiplier(s.multiplierPct), threshold: yuan(e.thresholdFen) }
    : null;
  let computation: string | null = null;
  if (standard && e.householdSize && e.monthlyIncomeFen !== null && e.perHeadFen !== null && e.thresholdFen !== null) {
    const within = e.monthlyIncomeFen <= e.thresholdFen * e.householdSize;
    computation = t('cases.elig.computation', {
      mult: standard.multiplier,
      allowance: standard.allowance,
      threshold: standard.threshold,
      size: e.householdSize,
      income: yuan(e.monthlyIncomeFen),
      perHead: yuan(e.perHeadFen),
      cmp: within ? '≤' : '>',
      result: t(within ? 'cases.elig.eligible' : 'cases.elig.notEligible'),
    });
  }
  const claimed = new Set<string>(c.exemptions);
  return {
    rule: e.rule,
    passed: e.passed,
    standard,
    computation,
    applied: e.exemptions.map((code) => ({ code, derived: !claimed.has(code) })),
    rejected: e.rejectedClaims,
  };
}

type Detail = Record<string, unknown>;
const s = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

/** The form label of each application column an edit can change (the 'updated' timeline entry). */
const FIELD_LABELS: Record<string, MessageKey> = {
  applicant_name: 'cases.applicantName',
  applicant_id_number: 'cases.idNumber',
  applicant_phone: 'cases.phone',
  applicant_address: 'cases.address',
  region_code: 'cases.region',
  household_size: 'cases.householdSize',
  monthly_income_fen: 'cases.monthlyIncome',
  kind: 'cases.kind',
  category: 'cases.category',
  summary: 'cases.summary',
  opposing_parties: 'cases.opposingParties',
  priority_groups: 'cases.priorityGroups',
  exemptions: 'cases.exemptionsClaimed',
  source: 'cases.source',
  green_channel: 'cases.greenChannel',
  possible_life_sentence: 'cases.possibleLifeSentence',
  centre_id: 'cases.centre',
};

/** "changed: Monthly household income (yuan), Resident ID number" (never the values: the ID number is personal). */
function changedFields(t: Translate, fields: unknown): string {
  const names = (Array.isArray(fields) ? fields : []).map((f) => (Object.hasOwn(FIELD_LABELS, s(f)) ? t(FIELD_LABELS[s(f)]) : s(f)));
  return names.length ? t('cases.ev.changed', { fields: names.join(t('cases.ev.sep')) }) : t('cases.ev.unchanged');
}

/** The words of one timeline entry beyond its kind: the note, the reason, the items, the new due date. */
export function eventDetail(t: Translate, fmt: Formatters, kind: string, raw: unknown): string {
  const d = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {})) as Detail;
  const due = (v: unknown) => (v ? t('cases.ev.due', { date: fmt.date(s(v)) }) : '');
  const parts: string[] = [];
  switch (kind) {
    case 'applied':
      parts.push(t(`case.eligibility.${s(d.eligibility)}` as never));
      if (Array.isArray(d.missing)) parts.push(t('cases.ev.missing', { items: d.missing.map(s).join('、') }));
      break;
    case 'emergency_accepted':
      parts.push(due(d.paperworkDue));
      break;
    case 'request_materials':
      parts.push(Array.isArray(d.items) ? d.items.map(s).join('、') : '', due(d.dueOn));
      break;
    case 'supply_materials':
    case 'appeal':
      parts.push(s(d.reason), due(d.dueOn));
      break;
    case 'decide':
      parts.push(t(d.granted ? 'cases.decision.granted' : 'cases.decision.refused'), s(d.reason), due(d.assignDue));
      break;
    case 'decide_appeal':
      parts.push(t(d.result === 'overturned' ? 'cases.appeal.overturned' : 'cases.appeal.upheld'), s(d.reason));
      break;
    case 'terminate':
      parts.push(t(`case.termination.${s(d.reason)}` as never), s(d.note));
      break;
    case 'transfer':
      parts.push(s(d.to), s(d.note));
      break;
    case 'assign':
      parts.push(s(d.lawyer), s(d.reason));
      break;
    case 'add_date':
      parts.push(t(`case.dateKind.${s(d.kind)}` as never), fmt.date(s(d.onDate)), s(d.atTime), s(d.place));
      break;
    case 'close':
      parts.push(s(d.outcome), d.hours ? t('cases.ev.hours', { hours: s(d.hours) }) : '');
      break;
    case 'review':
      parts.push(t('cases.ev.score', { score: s(d.score) }), s(d.findings));
      break;
    case 'followup':
      parts.push(fmt.date(s(d.on)), t(d.satisfied ? 'cases.followup.satisfied' : 'cases.followup.unsatisfied'), s(d.complaint));
      break;
    case 'updated':
      parts.push(
        changedFields(t, d.fields),
        d.eligibility ? t(`case.eligibility.${s(d.eligibility)}` as never) : '',
        d.passed === true ? t('cases.elig.eligible') : d.passed === false ? t('cases.elig.notEligible') : '',
      );
      break;
    case 'receive_paperwork':
      if (d.late) parts.push(t('cases.ev.late'));
      break;
    default:
      parts.push(s(d.text ?? d.reason ?? ''));
  }
  return parts.filter(Boolean).join(' · ');
}
