// Reading form pages the way a user sees them: the `.field` block of one input,
// with its error message, whether it is marked invalid, and what it shows.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import { text } from './client.js';

export interface FieldView {
  /** the whole `<div class="field ...">` block */
  html: string;
  /** the input or select carries aria-invalid="true" */
  invalid: boolean;
  /** visible text of the message next to the field, or null */
  error: string | null;
  /** the value an input shows, or the selected option of a select */
  value: string | null;
  /** a checkbox is ticked */
  checked: boolean;
}

function unescape(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The `.field` block holding the control named `name`; throws when there is none. */
export function field(html: string, name: string): FieldView {
  const blocks = html.match(/<div class="field[^"]*">[\s\S]*?<\/div>/g) ?? [];
  const found = blocks.find((b) => b.includes(`name="${name}"`));
  if (!found) throw new Error(`no .field with a control named ${name}`);
  // the visible control, not a hidden companion (an unchecked checkbox sends a hidden 0)
  const control = new RegExp(`<(?:input|select)(?![^>]*type="hidden")[^>]*name="${name}"[^>]*>`).exec(found)?.[0] ?? '';
  const err = /<p class="error"[^>]*>([\s\S]*?)<\/p>/.exec(found);
  let value: string | null = null;
  if (control.startsWith('<select')) {
    const sel = /<option value="([^"]*)" selected/.exec(found);
    value = sel ? unescape(sel[1]) : null;
  } else {
    const v = /\svalue="([^"]*)"/.exec(control);
    value = v ? unescape(v[1]) : null;
  }
  return { html: found, invalid: /aria-invalid="true"/.test(control), error: err ? text(err[1]) : null, value, checked: /\schecked\b/.test(control) };
}

/** Audit entries for one action, oldest first, with before/after parsed. */
export async function auditEntries(db: Kysely<DB>, action: string) {
  const rows = await db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown> | null));
  return rows.map((r) => ({ ...r, before: parse(r.before), after: parse(r.after) }));
}
