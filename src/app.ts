// buildApp: plugins first, then feature modules. Tests call this with their own database.
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import dbPlugin from './plugins/db.js';
import sessionPlugin from './plugins/session.js';
import csrfPlugin from './plugins/csrf.js';
import authPlugin from './plugins/auth.js';
import assetsPlugin from './plugins/assets.js';
import viewPlugin from './plugins/view.js';
import securityPlugin from './plugins/security.js';
import errorsPlugin from './plugins/errors.js';
import schedulerPlugin from './plugins/scheduler.js';
import apiPlugin from './api/index.js';
import homeRoutes from './modules/home/index.js';
import authRoutes from './modules/auth/index.js';
import userRoutes from './modules/users/index.js';
import tokenRoutes from './modules/tokens/index.js';
import auditRoutes from './modules/audit/index.js';
import organizationRoutes from './modules/organizations/index.js';
import lawyerRoutes from './modules/lawyers/index.js';
import volunteerRoutes from './modules/volunteers/index.js';
import importRoutes from './modules/imports/index.js';
import exportRoutes from './modules/imports/exports.js';
import calendarRoutes from './modules/calendar/index.js';
import policyRoutes from './modules/policies/index.js';
import caseRoutes from './modules/cases/index.js';
import consultationRoutes from './modules/consultations/index.js';
import hourRoutes from './modules/hours/index.js';
import quotaRoutes from './modules/quotas/index.js';
import rotationRoutes from './modules/rotation/index.js';
import fairnessRoutes from './modules/fairness/index.js';
import eventRoutes from './modules/events/index.js';
import trainingRoutes from './modules/training/index.js';
import dutyRoutes from './modules/duty/index.js';

export interface BuildOptions {
  database: Database;
  logger?: FastifyServerOptions['logger'];
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    // secrets never reach a log line, whatever a future log call passes in
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', 'password', 'token'],
      censor: '[redacted]',
    },
    serializers: {
      // Fastify's own fields, with the CSRF token an upload form carries in its URL blanked (plugins/csrf.ts)
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: req.url.replace(/([?&]_csrf=)[^&#]*/g, '$1[redacted]'),
        version: req.headers['accept-version'] as string | undefined,
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}

export async function buildApp(config: Config, options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  app.decorate('config', config);

  await app.register(dbPlugin, { database: options.database });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(securityPlugin);
  await app.register(assetsPlugin);
  await app.register(sessionPlugin);
  await app.register(csrfPlugin);
  await app.register(authPlugin);
  await app.register(viewPlugin);
  await app.register(errorsPlugin);
  await app.register(schedulerPlugin, { enabled: config.scheduler });
  await app.register(apiPlugin);

  await app.register(homeRoutes);
  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(tokenRoutes);
  await app.register(auditRoutes);
  await app.register(organizationRoutes);
  await app.register(lawyerRoutes);
  await app.register(volunteerRoutes);
  await app.register(importRoutes);
  await app.register(exportRoutes);
  await app.register(calendarRoutes);
  await app.register(policyRoutes);
  await app.register(caseRoutes);
  await app.register(consultationRoutes);
  await app.register(hourRoutes);
  await app.register(quotaRoutes);
  await app.register(rotationRoutes);
  await app.register(fairnessRoutes);
  await app.register(eventRoutes);
  await app.register(trainingRoutes);
  await app.register(dutyRoutes);

  app.addHook('onClose', async () => {
    await options.database.close();
  });
  return app;
}
