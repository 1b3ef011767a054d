// English messages of the training records; the keys are those of training.zh-CN.ts.
import type { trainingZh } from './training.zh-CN.js';

export const trainingEn: Record<keyof typeof trainingZh, string> = {
  'training.err.code': 'A course code starts with a lower-case letter and holds only lower-case letters, digits and underscores, at most 40 characters.',
  'training.err.codeTaken': 'Another course already uses this code.',
  'training.err.codeForArea': 'A course required for a practice area needs a course code.',
  'training.err.creditHours': 'Credit hours must be more than 0 and at most 999.9, with one decimal at most.',
  'training.err.months': 'The certificate validity must be a whole number of months from 1 to 600.',
  'training.err.monthsWithoutCertificate': 'A course that grants no certificate has no certificate validity.',
  'training.err.instant': 'Enter a time with its zone, for example 2026-03-01T09:00:00+08:00.',
  'training.err.endsBefore': 'The end must be after the start.',
  'training.err.capacity': 'Seats must be a whole number from 1 to 100000.',
  'training.err.hours': 'Credited hours must be more than 0 and at most the course\'s {max} hours, with one decimal at most.',
  'training.err.person': 'No registered lawyer or approved volunteer has this id.',
  'training.err.session': 'Say which session of the course.',
  'training.err.cancelled': 'This session has been cancelled.',
  'training.err.started': 'This session has started: enrolments can no longer be made or cancelled.',
  'training.err.notStarted': 'This session has not started yet: attendance cannot be recorded.',
  'training.err.already': 'Already enrolled in this session.',
  'training.err.recorded': 'This person\'s attendance at this session has already been recorded.',
  'training.err.cancelStarted': 'This session has started: it can no longer be cancelled.',
  'training.err.absentNotStarted': 'This session has not started yet: nobody can be marked absent.',
  'training.err.absentWaitlisted': 'Only someone with a seat can be marked absent; this person is on the waitlist.',
  'training.err.alreadyAbsent': 'This person is already marked absent.',
  'training.err.notAbsent': 'This person is not marked absent.',
};
