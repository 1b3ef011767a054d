// Shared setup of the training tests: courses and sessions through the real
// services, at fixed instants in Asia/Shanghai so dates and years are exact.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { createCourse, createSession } from '../../src/modules/training/training.service.js';
import type { CourseInput } from '../../src/modules/training/training.rules.js';

let counter = 0;

export function courseInput(fields: Partial<CourseInput> = {}): CourseInput {
  return {
    code: null,
    title: `培训课程 ${++counter}`,
    description: '',
    creditHours: '6',
    requiredForRoles: ['lawyer'],
    requiredForPracticeArea: null,
    grantsCertificate: false,
    certificateValidMonths: null,
    ...fields,
  };
}

export function makeCourse(db: Kysely<DB>, fields: Partial<CourseInput> = {}) {
  return createCourse(db, TEST_ACTOR, courseInput(fields));
}

/** A session starting at 09:00 Beijing time on `day`, three hours long. */
export function sessionOn(db: Kysely<DB>, courseId: number, day: string, capacity = 30) {
  return createSession(db, TEST_ACTOR, courseId, { startsAt: `${day}T09:00:00+08:00`, endsAt: `${day}T12:00:00+08:00`, location: '巴中市法律援助中心 3 楼会议室', capacity });
}

/** An instant well after a session on `day` (for recording attendance). */
export const after = (day: string) => new Date(`${day}T23:00:00+08:00`);
/** An instant well before a session on `day` (for enrolling). */
export const before = (day: string) => new Date(`${day}T00:00:00+08:00`);
