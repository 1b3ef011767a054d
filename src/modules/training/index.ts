// Training pages: courses and sessions with one-click enrolment, the manager's
// session page with attendance, each person's record, and the managers' lists of
// who is short of hours and whose certificates expire.
import type { FastifyInstance } from 'fastify';
import coursePages from './pages.courses.js';
import recordPages from './pages.records.js';
import sessionPages from './pages.sessions.js';

export default async function trainingRoutes(app: FastifyInstance) {
  await app.register(recordPages);
  await app.register(sessionPages);
  await app.register(coursePages);
}
