// Events for the events tests: one on a fixed future date, created at NOW.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import type { Actor } from '../../src/plugins/audit.js';
import { createEvent, type Event } from '../../src/modules/events/events.service.js';
import type { EventInput } from '../../src/modules/events/events.input.js';

export const ACTOR: Actor = { id: null, name: 'test' };
/** "now" of the service tests: 1 March 2030, 10:00 in Shanghai. */
export const NOW = new Date('2030-03-01T10:00:00+08:00');
export const at = (s: string) => new Date(s);

let n = 0;

/** An event (default: 10 March 2030, 09:00 to 12:00 Shanghai, 3 places) created at `now`. */
export async function makeEvent(db: Kysely<DB>, fields: Partial<EventInput> = {}, now = NOW): Promise<Event> {
  const input: EventInput = {
    title: `送法下乡 ${++n}`,
    kind: 'countryside',
    startsAt: '2030-03-10T09:00:00+08:00',
    endsAt: '2030-03-10T12:00:00+08:00',
    regionCode: '511902',
    location: '巴州区某村委会',
    capacity: 3,
    ...fields,
  };
  const [first] = await createEvent(db, ACTOR, input, now);
  return first;
}

export async function signupRows(db: Kysely<DB>, eventId: number) {
  return db.selectFrom('event_signups').selectAll().where('event_id', '=', eventId).orderBy('seq').execute();
}
