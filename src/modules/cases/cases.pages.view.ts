// What the case pages need beyond the case itself: which action forms to show
// to this user now, the choices their selects offer, and the view helpers.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Case, DB } from '../../db/types.js';
import { can, type CaseAction } from './cases.flow.js';
import { CASE_ACTIONS, type Who } from './cases.forms.js';
import { deadlineText, eligibilityView, eventDetail, yuan } from './cases.view.js';
import type { Deadline } from './cases.service.js';

/** Conditions beyond the status that decide whether a form makes sense (the service checks them too). */
const EXTRA: Record<string, (c: Case, on: string) => boolean> = {
  lapse: (c, on) => !!c.due_on && c.due_on < on,
  // past the deadline the application counts as withdrawn: supplying is refused, lapsing is offered
  'supply-materials': (c, on) => !c.due_on || c.due_on >= on,
  appeal: (c) => !c.appeal_result,
  'follow-up': (c) => !c.followup_on,
  paperwork: (c) => c.emergency && !c.paperwork_received_on,
};

/** Actions served by the rotation's own pages (modules/rotation): a link or a form posting there. */
const ROTATION_ACTIONS: Record<string, { flow: CaseAction; who: readonly Who[] }> = {
  assign: { flow: 'assign', who: ['manager'] },
  // declining is open while accepting is: the service enforces the policy's window
  decline: { flow: 'accept', who: ['lawyer'] },
};

/** The action forms this role may use on this case in its current status. */
export function availableActions(role: Who, c: Case, on: string): string[] {
  return [...Object.entries(CASE_ACTIONS), ...Object.entries(ROTATION_ACTIONS)]
    .filter(([slug, spec]) => spec.who.includes(role) && can(spec.flow, c.status) && (EXTRA[slug]?.(c, on) ?? true))
    .map(([slug]) => slug);
}

/** Options of the case forms' selects: the legal-aid centres (lawyers are chosen by the rotation, modules/rotation). */
export function choicesFor(db: Kysely<DB>, _what: 'centres'): Promise<{ id: number; name: string; note: string }[]> {
  return db.selectFrom('organizations').select(['id', 'name', 'region_code as note']).where('kind', '=', 'centre').orderBy('name').orderBy('id').execute();
}

export function caseHelpers(request: FastifyRequest) {
  const { t, fmt, lang } = request;
  return {
    yuan,
    deadline: (d: Deadline) => deadlineText(t, d),
    eligibility: (c: Case) => eligibilityView(t, c),
    event: (kind: string, detail: unknown) => eventDetail(t, fmt, kind, detail),
    region: (r: { name_zh: string; name_en: string } | null | undefined) => (r ? (lang === 'en' ? r.name_en : r.name_zh) : ''),
  };
}
