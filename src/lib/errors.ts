// Errors that routes throw and the error handler turns into pages or JSON.
import type { MessageKey } from '../i18n/index.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'Your role may not do this') {
    super(403, 'forbidden', message);
  }
}

export class ConflictError extends HttpError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/**
 * A business rule refused the action (a state conflict, 409, or a rule, 422): the
 * message is a key so the page and the API can say it in the reader's language.
 */
export class RuleError extends HttpError {
  constructor(
    statusCode: 409 | 422,
    code: string,
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(statusCode, code, key);
  }
}

/** A field error: the field's name and a message key with its parameters. */
export interface FieldError {
  field: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** Bad input: rendered next to the fields (HTML, 422) or as a 400 JSON error (API). */
export class ValidationError extends HttpError {
  constructor(readonly fields: FieldError[]) {
    super(400, 'invalid_input', `Invalid ${fields.map((f) => f.field).join(', ')}`);
  }
}

export type FieldErrors = Record<string, string>;
