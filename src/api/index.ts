// The integration API: /api/v1 with bearer tokens, its OpenAPI document at
// /api/openapi.json (generated from the route schemas) and browsable docs at /api/docs.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { userForToken } from '../modules/tokens/tokens.service.js';
import { sendApiError } from '../plugins/errors.js';
import { ErrorBody } from './common.js';
import organizationsApi from '../modules/organizations/api.js';
import lawyersApi from '../modules/lawyers/api.js';
import volunteersApi from '../modules/volunteers/api.js';
import casesApi from '../modules/cases/api.js';
import hoursApi from '../modules/hours/api.js';
import rotationApi from '../modules/rotation/api.js';
import quotasApi from '../modules/quotas/api.js';
import fairnessApi from '../modules/fairness/api.js';
import eventsApi from '../modules/events/api.js';
import trainingApi from '../modules/training/api.js';
import dutyApi from '../modules/duty/api.js';

export default fp(
  async function apiPlugin(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Fayuan integration API',
          description: 'Legal-aid workforce system: organisations, lawyers, cases, assignments, subsidies.',
          version: '1',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
      // the document describes the JSON API only, not the HTML pages beside it
      transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? schema : { ...schema, hide: true }, url }),
    });
    app.addSchema(ErrorBody);
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    await app.register(
      async function v1(api) {
        api.addHook('onRequest', async (request, reply) => {
          const header = request.headers.authorization ?? '';
          const m = /^Bearer\s+(\S+)$/i.exec(header);
          if (!m) return sendApiError(reply, 401, 'unauthorized', 'Send Authorization: Bearer <token>');
          const user = await userForToken(app.db, m[1]);
          if (!user) return sendApiError(reply, 401, 'unauthorized', 'The token is invalid or revoked');
          request.user = { ...user, mustChangePassword: false };
        });
        await api.register(organizationsApi);
        await api.register(lawyersApi);
        await api.register(volunteersApi);
        await api.register(casesApi);
        await api.register(hoursApi);
        await api.register(rotationApi);
        await api.register(quotasApi);
        await api.register(fairnessApi);
        await api.register(eventsApi);
        await api.register(trainingApi);
        await api.register(dutyApi);
      },
      { prefix: '/api/v1' },
    );
  },
  { name: 'api', dependencies: ['db', 'errors'] },
);
