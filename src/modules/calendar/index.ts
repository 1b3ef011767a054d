// The holiday calendar page: a year's holidays and make-up workdays, the admin's
// form to add, change or remove a day, and a working-day calculator for clerks
// checking a deadline. Managers read; only the admin writes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirect, requireRole } from '../../plugins/auth.js';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import { todayIn } from '../../lib/format.js';
import { isWeekend } from '../../lib/workdays.js';
import {
  MAX_CALC_DAYS,
  MAX_YEAR,
  MIN_YEAR,
  calculateDeadline,
  calendarYear,
  isIsoDate,
  removeDay,
  setDay,
  workingDaysInYear,
  type DayInput,
} from './calendar.service.js';

interface CalendarQuery {
  year?: string;
  edit?: string;
  from?: string;
  n?: string;
}

const dow = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

function yearOf(value: string | undefined, fallback: number): number {
  const y = Number(value);
  return Number.isInteger(y) && y >= MIN_YEAR && y <= MAX_YEAR ? y : fallback;
}

export default async function calendarRoutes(app: FastifyInstance) {
  const readers = { preHandler: requireRole('admin', 'manager') };
  const writers = { preHandler: requireRole('admin') };
  const thisYear = () => Number(todayIn(app.config.tz).slice(0, 4));

  /** The calculator's state from the query: nothing asked, an answer, or field errors. */
  async function calculator(q: CalendarQuery) {
    const asked = q.from !== undefined || q.n !== undefined;
    const values = { from: (q.from ?? '').trim() || todayIn(app.config.tz), n: (q.n ?? '').trim() || '7' };
    if (!asked) return { values, errors: [] as FieldError[], answer: null };
    const errors: FieldError[] = [];
    if (!isIsoDate(values.from)) errors.push({ field: 'from', key: 'calendar.err.date' });
    const n = /^\d{1,3}$/.test(values.n) ? Number(values.n) : -1;
    if (n < 0 || n > MAX_CALC_DAYS) errors.push({ field: 'n', key: 'calendar.err.days', params: { max: MAX_CALC_DAYS } });
    if (errors.length) return { values, errors, answer: null };
    const answer = await calculateDeadline(app.db, values.from, n);
    return { values, errors, answer: { ...answer, dow: dow(answer.result), fromDow: dow(answer.from) } };
  }

  async function page(request: FastifyRequest<{ Querystring: CalendarQuery }>, reply: FastifyReply, year: number, form: { values?: Partial<DayInput>; errors?: FieldError[] } = {}, status?: number) {
    const [rows, calc] = await Promise.all([calendarYear(app.db, year), calculator(request.query)]);
    const days = rows.map((r) => ({ ...r, dow: dow(r.day) }));
    const cal = { holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)), workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)) };
    const editing = request.query.edit ? rows.find((r) => r.day === request.query.edit) : undefined;
    const values = form.values ?? (editing ? { day: editing.day, kind: editing.kind, name: editing.name } : { day: '', kind: 'holiday', name: '' });
    return reply.page(
      'calendar/index',
      {
        year,
        days,
        workingDays: workingDaysInYear(cal, year),
        canWrite: request.user?.role === 'admin',
        values,
        errors: messages(form.errors ?? [], request.t),
        calc: { ...calc, errors: messages(calc.errors, request.t), year },
        minYear: MIN_YEAR,
        maxYear: MAX_YEAR,
      },
      // the calculator form asks for its own part only; year links load the whole page
      { fragment: calc.answer || calc.errors.length ? 'calendar/_calc' : undefined, status: status ?? (calc.errors.length ? 422 : undefined) },
    );
  }

  app.get<{ Querystring: CalendarQuery }>('/calendar', readers, async (request, reply) => page(request, reply, yearOf(request.query.year, thisYear())));

  app.post<{ Body: FormBody; Querystring: CalendarQuery }>('/calendar/days', writers, async (request, reply) => {
    const input: DayInput = { day: str(request.body, 'day'), kind: str(request.body, 'kind'), name: str(request.body, 'name') };
    const year = isIsoDate(input.day) ? Number(input.day.slice(0, 4)) : thisYear();
    try {
      await setDay(app.db, request.actor(), input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(request, reply, year, { values: input, errors: err.fields }, 422);
    }
    await reply.flash('ok', request.t(input.kind === 'holiday' ? 'calendar.savedHoliday' : 'calendar.savedWorkday', { day: request.fmt.date(input.day) }));
    return redirect(request, reply, `/calendar?year=${year}`);
  });

  app.post<{ Params: { day: string } }>('/calendar/days/:day/delete', writers, async (request, reply) => {
    const removed = await removeDay(app.db, request.actor(), request.params.day);
    const key = isWeekend(removed.day) ? 'calendar.removedWeekend' : 'calendar.removedWeekday';
    await reply.flash('ok', request.t(key, { day: request.fmt.date(removed.day) }));
    return redirect(request, reply, `/calendar?year=${removed.day.slice(0, 4)}`);
  });
}
