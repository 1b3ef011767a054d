import type { rotationZh } from './rotation.zh-CN.js';

export const rotationEn: Record<keyof typeof rotationZh, string> = {
  'rotation.err.noEligible': 'No lawyer is eligible for this case now: see why each was passed over, or change what the case requires.',
  'rotation.err.moved': 'The rotation has moved on: the next lawyer is now {lawyer}. Please confirm again.',
  'rotation.err.notAssigned': 'Only a case assigned and not yet accepted can be declined.',
  'rotation.err.declineWindow': 'The time to decline has passed ({days} days after assignment, until {date}).',
  'rotation.ineligible.inactive': 'This lawyer no longer practises and cannot be assigned.',
  'rotation.ineligible.on_leave': 'This lawyer is on leave that day and cannot be assigned.',
  'rotation.ineligible.practice_area': "This lawyer's practice areas do not include the case's category.",
  'rotation.ineligible.level': "This lawyer's qualification level is below what the case needs.",
  'rotation.ineligible.training': 'This lawyer lacks the training the case requires.',
  'rotation.ineligible.region': "This lawyer does not serve the case's region.",
  'rotation.ineligible.conflict': 'This lawyer has a conflict of interest with an opposing party.',
  'rotation.ineligible.cap': 'This lawyer already has the most open cases allowed.',
  'rotation.ineligible.declined': 'This lawyer has already declined this case.',
  'rotation.replay.none': 'No differences: the rotation history replays exactly.',
  'rotation.replay.found': '{n} {n|difference|differences} found:',
};
