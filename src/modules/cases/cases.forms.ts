// Reading the case forms: the application form into CaseInput, and each action
// form on the case page into its service call. Which role may post which action
// is declared here, next to how its form is read.
import type { Kysely } from 'kysely';
import { GREEN_CHANNEL_GROUPS, type Case, type CaseKind, type CaseSource, type DB, type Exemption, type PriorityGroup } from '../../db/types.js';
import { ValidationError } from '../../lib/errors.js';
import { list, optional, str, type FormBody } from '../../lib/forms.js';
import type { MessageKey } from '../../i18n/index.js';
import type { Actor } from '../../plugins/audit.js';
import type { CaseAction } from './cases.flow.js';
import type { CaseInput } from './cases.rules.js';
import { yuanToFen } from './cases.rules.js';
import * as act from './cases.actions.js';
import { applicationOf, type ApplicationInput } from './cases.update.js';
import { yuanInput } from './cases.view.js';

/** One entry per line (opposing parties, missing items), blank lines dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The fields of the application form as typed, for re-showing them after an error. */
export type CaseFormValues = Record<string, string | string[] | boolean>;

export function readCaseForm(body: FormBody | undefined): { input: CaseInput; values: CaseFormValues } {
  const size = str(body, 'householdSize');
  const income = str(body, 'monthlyIncome');
  const centre = str(body, 'centreId');
  const consultation = str(body, 'consultationId');
  const input: CaseInput = {
    applicantName: str(body, 'applicantName'),
    applicantIdNumber: optional(body, 'applicantIdNumber'),
    applicantPhone: optional(body, 'applicantPhone')?.replace(/[\s-]/g, '') ?? null,
    applicantAddress: optional(body, 'applicantAddress'),
    regionCode: str(body, 'regionCode'),
    householdSize: size === '' ? null : /^\d+$/.test(size) ? Number(size) : NaN,
    monthlyIncomeFen: income === '' ? null : yuanToFen(income),
    kind: str(body, 'kind') as CaseKind,
    category: str(body, 'category'),
    summary: str(body, 'summary'),
    opposingParties: lines(str(body, 'opposingParties')),
    priorityGroups: list(body, 'priorityGroups') as PriorityGroup[],
    exemptions: list(body, 'exemptions') as Exemption[],
    source: (str(body, 'source') || 'walk_in') as CaseSource,
    emergency: str(body, 'emergency') === '1',
    // unticked means "decide from the priority groups", never "no green channel"
    greenChannel: str(body, 'greenChannel') === '1' ? true : null,
    // unticked clears it (on the edit form too): only a criminal case may carry it
    possibleLifeSentence: str(body, 'possibleLifeSentence') === '1',
    centreId: centre ? Number(centre) || -1 : null,
    consultationId: consultation ? Number(consultation) || -1 : null,
    missingItems: lines(str(body, 'missingItems')),
  };
  const values: CaseFormValues = {
    ...Object.fromEntries(
      ['applicantName', 'applicantIdNumber', 'applicantPhone', 'applicantAddress', 'regionCode', 'householdSize', 'monthlyIncome', 'kind', 'category', 'summary', 'opposingParties', 'source', 'centreId', 'consultationId', 'missingItems'].map((k) => [k, str(body, k)]),
    ),
    priorityGroups: input.priorityGroups,
    exemptions: input.exemptions,
    emergency: input.emergency,
    greenChannel: input.greenChannel === true,
    possibleLifeSentence: input.possibleLifeSentence === true,
  };
  return { input, values };
}

/** The edit form's starting values: the application as it stands, typed the way a clerk would type it. */
export function applicationValues(c: Case): CaseFormValues {
  const a = applicationOf(c);
  return {
    applicantName: a.applicantName,
    applicantIdNumber: a.applicantIdNumber ?? '',
    applicantPhone: a.applicantPhone ?? '',
    applicantAddress: a.applicantAddress ?? '',
    regionCode: a.regionCode,
    householdSize: a.householdSize === null ? '' : String(a.householdSize),
    monthlyIncome: yuanInput(a.monthlyIncomeFen),
    kind: a.kind,
    category: a.category,
    summary: a.summary ?? '',
    opposingParties: a.opposingParties.join('\n'),
    source: a.source,
    centreId: a.centreId === null ? '' : String(a.centreId),
    priorityGroups: a.priorityGroups,
    exemptions: a.exemptions,
    // ticked only when set by hand: unticked re-derives it from the priority groups on save
    greenChannel: !!a.greenChannel && !a.priorityGroups.some((g) => GREEN_CHANNEL_GROUPS.includes(g)),
    possibleLifeSentence: a.possibleLifeSentence === true,
  };
}

/** The edit form read as the update service takes it: the intake-only fields are not part of it. */
export function readApplicationForm(body: FormBody | undefined): { input: ApplicationInput; values: CaseFormValues } {
  const { input, values } = readCaseForm(body);
  const { emergency: _e, consultationId: _c, missingItems: _m, ...application } = input;
  return { input: application, values };
}

/** The service's field names that the form names differently. */
export function formField(field: string): string {
  return field === 'monthlyIncomeFen' ? 'monthlyIncome' : field;
}

export type Who = 'manager' | 'lawyer';

export interface ActionSpec {
  flow: CaseAction;
  who: readonly Who[];
  flash: MessageKey;
  run(db: Kysely<DB>, actor: Actor, id: number, body: FormBody | undefined): Promise<unknown>;
}

const required = (field: string): never => {
  throw new ValidationError([{ field, key: 'err.required' }]);
};

const choice = (body: FormBody | undefined, name: string, yes: string, no: string): boolean => {
  const v = str(body, name);
  return v === yes ? true : v === no ? false : required(name);
};

/**
 * Every action form of the case page, by the last segment of its URL: POST /cases/:id/<slug>.
 * Assigning and declining are not here: they are the rotation's pages (modules/rotation),
 * whose static routes /cases/:id/assign and /cases/:id/decline take precedence.
 */
export const CASE_ACTIONS: Record<string, ActionSpec> = {
  'request-materials': {
    flow: 'request_materials',
    who: ['manager'],
    flash: 'cases.flash.request_materials',
    run: (db, a, id, b) => act.requestMaterials(db, a, id, { items: lines(str(b, 'items')), note: optional(b, 'note') }),
  },
  'supply-materials': { flow: 'supply_materials', who: ['manager'], flash: 'cases.flash.supply_materials', run: (db, a, id) => act.supplyMaterials(db, a, id) },
  lapse: { flow: 'lapse_materials', who: ['manager'], flash: 'cases.flash.lapse_materials', run: (db, a, id) => act.lapseMaterials(db, a, id) },
  withdraw: { flow: 'withdraw', who: ['manager'], flash: 'cases.flash.withdraw', run: (db, a, id, b) => act.withdraw(db, a, id, { reason: optional(b, 'reason') }) },
  decide: {
    flow: 'decide',
    who: ['manager'],
    flash: 'cases.flash.decide',
    run: (db, a, id, b) => act.decide(db, a, id, { granted: choice(b, 'decision', 'grant', 'refuse'), reason: optional(b, 'reason') }),
  },
  appeal: { flow: 'appeal', who: ['manager'], flash: 'cases.flash.appeal', run: (db, a, id, b) => act.appeal(db, a, id, { reason: str(b, 'reason') }) },
  'decide-appeal': {
    flow: 'decide_appeal',
    who: ['manager'],
    flash: 'cases.flash.decide_appeal',
    run: (db, a, id, b) => act.decideAppeal(db, a, id, { overturn: choice(b, 'result', 'overturn', 'uphold'), reason: str(b, 'reason') }),
  },
  terminate: {
    flow: 'terminate',
    who: ['manager'],
    flash: 'cases.flash.terminate',
    run: (db, a, id, b) => act.terminate(db, a, id, { reason: str(b, 'reason'), note: optional(b, 'note') }),
  },
  transfer: {
    flow: 'transfer',
    who: ['manager'],
    flash: 'cases.flash.transfer',
    run: (db, a, id, b) => act.transfer(db, a, id, { centreId: Number(str(b, 'centreId')) || 0, note: optional(b, 'note') }),
  },
  accept: { flow: 'accept', who: ['lawyer'], flash: 'cases.flash.accept', run: (db, a, id) => act.accept(db, a, id) },
  note: { flow: 'note', who: ['manager', 'lawyer'], flash: 'cases.flash.note', run: (db, a, id, b) => act.addNote(db, a, id, { text: str(b, 'text') }) },
  'key-date': {
    flow: 'add_date',
    who: ['lawyer'],
    flash: 'cases.flash.add_date',
    run: (db, a, id, b) =>
      act.addKeyDate(db, a, id, { kind: str(b, 'kind'), onDate: str(b, 'onDate'), atTime: optional(b, 'atTime'), place: optional(b, 'place'), note: optional(b, 'note') }),
  },
  close: {
    flow: 'close',
    who: ['manager', 'lawyer'],
    flash: 'cases.flash.close',
    run: (db, a, id, b) => act.close(db, a, id, { outcome: str(b, 'outcome'), hours: optional(b, 'hours') }),
  },
  review: {
    flow: 'review',
    who: ['manager'],
    flash: 'cases.flash.review',
    run: (db, a, id, b) => {
      const score = str(b, 'score');
      return act.review(db, a, id, { score: /^\d{1,3}$/.test(score) ? Number(score) : NaN, findings: optional(b, 'findings') });
    },
  },
  'follow-up': {
    flow: 'followup',
    who: ['manager'],
    flash: 'cases.flash.followup',
    run: (db, a, id, b) => {
      const sat = str(b, 'satisfied');
      return act.followUp(db, a, id, { on: str(b, 'on'), satisfied: sat === 'yes' ? true : sat === 'no' ? false : null, complaint: optional(b, 'complaint') });
    },
  },
  paperwork: { flow: 'receive_paperwork', who: ['manager'], flash: 'cases.flash.receive_paperwork', run: (db, a, id) => act.receivePaperwork(db, a, id) },
};
