// The case's state machine: which action may happen in which status. Pure; the
// service checks it inside the transaction that holds the case row locked.
import type { CaseStatus } from '../../db/types.js';
import { RuleError } from '../../lib/errors.js';
import type { MessageKey } from '../../i18n/index.js';

export type CaseAction =
  | 'edit'
  | 'request_materials'
  | 'supply_materials'
  | 'lapse_materials'
  | 'withdraw'
  | 'decide'
  | 'appeal'
  | 'decide_appeal'
  | 'terminate'
  | 'transfer'
  | 'assign'
  | 'accept'
  | 'note'
  | 'add_date'
  | 'close'
  | 'review'
  | 'followup'
  | 'receive_paperwork';

export const ALLOWED_FROM: Record<CaseAction, readonly CaseStatus[]> = {
  edit: ['applied', 'pending_materials'],
  request_materials: ['applied'],
  supply_materials: ['pending_materials'],
  lapse_materials: ['pending_materials'],
  withdraw: ['applied', 'pending_materials'],
  decide: ['applied'],
  appeal: ['refused'],
  decide_appeal: ['appealed'],
  terminate: ['granted', 'assigned', 'accepted'],
  transfer: ['applied', 'pending_materials', 'granted'],
  assign: ['granted'],
  accept: ['assigned'],
  note: ['applied', 'pending_materials', 'granted', 'refused', 'appealed', 'assigned', 'accepted', 'closed', 'reviewed'],
  add_date: ['assigned', 'accepted'],
  close: ['accepted'],
  review: ['closed'],
  followup: ['closed', 'reviewed'],
  receive_paperwork: ['granted', 'assigned', 'accepted', 'closed', 'reviewed'],
};

/** Statuses in which nothing more happens to the case. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['withdrawn', 'terminated', 'transferred'];

/** Statuses whose stage has a statutory deadline in cases.due_on. */
export const CLOCKED_STATUSES: readonly CaseStatus[] = ['applied', 'pending_materials', 'granted', 'appealed'];

export function can(action: CaseAction, status: CaseStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

/** Refuses an action the case's status does not allow, saying what would. */
export function ensure(action: CaseAction, status: CaseStatus): void {
  if (can(action, status)) return;
  throw new RuleError(409, 'invalid_state', `case.err.state.${action}` as MessageKey);
}
