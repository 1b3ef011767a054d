// One place that turns errors into answers: pages inside the layout (both
// languages) for people, {"error": {code, message}} for the API.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, RuleError, ValidationError } from '../lib/errors.js';
import { isConnectionError } from './db.js';
import { baseLocals } from './view.js';
import type { MessageKey } from '../i18n/index.js';

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

export function sendApiError(reply: FastifyReply, status: number, code: string, message: string, field?: string) {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message, ...(field ? { field } : {}) } });
}

function errorPage(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, status: number, title: MessageKey, body: string) {
  const locals = { ...baseLocals(request, null), title: request.t(title), message: body, status };
  const html = app.renderView(request.isHtmx ? 'partials/error-fragment' : 'error', locals);
  if (request.isHtmx) reply.header('HX-Retarget', '#messages').header('HX-Reswap', 'innerHTML');
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setNotFoundHandler(async (request, reply) => {
      if (isApi(request)) return sendApiError(reply, 404, 'not_found', 'Not found');
      return errorPage(app, request, reply, 404, 'err.notFound.title', request.t('err.notFound.body'));
    });

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (isConnectionError(error)) {
        app.dbHealth.markDown(error);
        reply.header('Retry-After', '5');
        if (isApi(request)) return sendApiError(reply, 503, 'database_unavailable', 'The database cannot be reached; try again shortly');
        return errorPage(app, request, reply, 503, 'err.unavailable.title', request.t('err.unavailable.body'));
      }
      if (error instanceof ValidationError) {
        const first = error.fields[0];
        if (isApi(request)) {
          const message = first ? `${first.field}: ${request.t(first.key, first.params)}` : error.message;
          return sendApiError(reply, 400, 'invalid_input', message, first?.field);
        }
        return errorPage(app, request, reply, 400, 'err.server.title', error.fields.map((f) => request.t(f.key, f.params)).join(' '));
      }
      if (error instanceof RuleError) {
        const message = request.t(error.key, error.params);
        if (isApi(request)) return sendApiError(reply, error.statusCode, error.code, message);
        return errorPage(app, request, reply, error.statusCode, 'err.refused.title', message);
      }
      if (error instanceof HttpError) {
        if (isApi(request)) return sendApiError(reply, error.statusCode, error.code, error.message);
        if (error.statusCode === 404) return errorPage(app, request, reply, 404, 'err.notFound.title', request.t('err.notFound.body'));
        if (error.code === 'csrf') return errorPage(app, request, reply, 403, 'err.forbidden.title', request.t('err.csrf'));
        if (error.statusCode === 403) return errorPage(app, request, reply, 403, 'err.forbidden.title', request.t('err.forbidden.body'));
        if (error.statusCode === 429) return errorPage(app, request, reply, 429, 'err.forbidden.title', request.t('err.tooMany'));
        return errorPage(app, request, reply, error.statusCode, 'err.server.title', error.message);
      }
      if (error.validation) {
        const v = error.validation[0];
        const params = v?.params as { missingProperty?: string; additionalProperty?: string } | undefined;
        const path = v?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
        // a missing or an unexpected property is named by the error's params, not its path
        const extra = params?.missingProperty ?? params?.additionalProperty ?? '';
        const field = path && extra ? `${path}.${extra}` : path || extra;
        const message = `${error.validationContext ?? 'body'}${field ? `.${field}` : ''} ${v?.message ?? 'is invalid'}`;
        if (isApi(request)) return sendApiError(reply, 400, 'invalid_input', message, field || undefined);
        return errorPage(app, request, reply, 400, 'err.server.title', message);
      }
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) request.log.error({ err: error }, 'request failed');
      if (isApi(request)) return sendApiError(reply, status, status === 500 ? 'internal_error' : (error.code ?? 'bad_request').toLowerCase(), status === 500 ? 'Internal error' : error.message);
      if (status === 500) return errorPage(app, request, reply, 500, 'err.server.title', request.t('err.server.body'));
      return errorPage(app, request, reply, status, 'err.server.title', error.message);
    });
  },
  { name: 'errors', dependencies: ['view'] },
);
