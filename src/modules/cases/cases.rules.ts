// Checking an application's input: pure, so every rule is tested without HTTP.
import {
  CASE_KINDS,
  CASE_SOURCES,
  EXEMPTIONS,
  PRACTICE_AREAS,
  PRIORITY_GROUPS,
  type CaseKind,
  type CaseSource,
  type Exemption,
  type PriorityGroup,
} from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import { PHONE_RE } from '../../lib/forms.js';
import { idNumberProblem, normalizeIdNumber } from '../../lib/idnumber.js';

export interface CaseInput {
  applicantName: string;
  applicantIdNumber: string | null;
  applicantPhone: string | null;
  applicantAddress: string | null;
  regionCode: string;
  householdSize: number | null;
  monthlyIncomeFen: number | null;
  kind: CaseKind;
  category: string;
  summary: string;
  opposingParties: string[];
  priorityGroups: PriorityGroup[];
  exemptions: Exemption[];
  source: CaseSource;
  emergency: boolean;
  /** null: decided by the priority groups */
  greenChannel: boolean | null;
  /**
   * criminal cases only: the defendant may be sentenced to life imprisonment or death
   * (Legal Aid Law art. 26), so the rotation needs the policy's seriousCriminalLevel.
   * Omitted: false.
   */
  possibleLifeSentence?: boolean;
  centreId: number | null;
  consultationId: number | null;
  /** what the applicant has yet to supply; non-empty puts the application on hold */
  missingItems: string[];
}

const has = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

/** Parses yuan as typed by a clerk ("1,250.5", "1250.50", "１２５０") into integer fen, or NaN. */
export function yuanToFen(text: string): number {
  const s = text.replace(/[，,\s]/g, '').replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function checkCase(input: CaseInput, regions: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.applicantName) errors.push({ field: 'applicantName', key: 'err.required' });
  else if (input.applicantName.length > 100) errors.push({ field: 'applicantName', key: 'err.tooLong', params: { max: 100 } });
  if (input.applicantIdNumber) {
    const problem = idNumberProblem(normalizeIdNumber(input.applicantIdNumber));
    if (problem) errors.push({ field: 'applicantIdNumber', key: `case.err.id.${problem}` });
  }
  if (input.applicantPhone && !PHONE_RE.test(input.applicantPhone)) errors.push({ field: 'applicantPhone', key: 'err.phone' });
  if (input.applicantAddress && input.applicantAddress.length > 200) errors.push({ field: 'applicantAddress', key: 'err.tooLong', params: { max: 200 } });
  if (!regions.has(input.regionCode)) errors.push({ field: 'regionCode', key: 'err.choice' });
  if (input.householdSize !== null && (!Number.isInteger(input.householdSize) || input.householdSize < 1 || input.householdSize > 30))
    errors.push({ field: 'householdSize', key: 'case.err.householdSize' });
  if (input.monthlyIncomeFen !== null && (!Number.isSafeInteger(input.monthlyIncomeFen) || input.monthlyIncomeFen < 0 || input.monthlyIncomeFen > 1e11))
    errors.push({ field: 'monthlyIncomeFen', key: 'case.err.income' });
  if (!has(CASE_KINDS, input.kind)) errors.push({ field: 'kind', key: 'err.choice' });
  else if (input.possibleLifeSentence && input.kind !== 'criminal') errors.push({ field: 'possibleLifeSentence', key: 'case.err.lifeSentenceCriminalOnly' });
  if (!has(PRACTICE_AREAS, input.category)) errors.push({ field: 'category', key: 'err.choice' });
  if (input.summary.length > 4000) errors.push({ field: 'summary', key: 'err.tooLong', params: { max: 4000 } });
  if (input.opposingParties.length > 20 || input.opposingParties.some((p) => p.length > 200))
    errors.push({ field: 'opposingParties', key: 'err.tooLong', params: { max: 200 } });
  if (input.priorityGroups.some((g) => !has(PRIORITY_GROUPS, g))) errors.push({ field: 'priorityGroups', key: 'err.choice' });
  if (input.exemptions.some((e) => !has(EXEMPTIONS, e))) errors.push({ field: 'exemptions', key: 'err.choice' });
  if (!has(CASE_SOURCES, input.source)) errors.push({ field: 'source', key: 'err.choice' });
  if (input.missingItems.length > 30 || input.missingItems.some((i) => i.length > 200)) errors.push({ field: 'missingItems', key: 'err.tooLong', params: { max: 200 } });
  return errors;
}
