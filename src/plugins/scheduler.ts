// Schedules: node-cron only triggers; the job body is a service function that
// also runs from the CLI. Each slot runs once across all instances (jobs.ts).
import fp from 'fastify-plugin';
import cron from 'node-cron';
import type { FastifyInstance } from 'fastify';
import { JOBS, runJob } from '../jobs/index.js';

export default fp(
  async function schedulerPlugin(app: FastifyInstance, opts: { enabled: boolean }) {
    if (!opts.enabled) return;
    const tasks = JOBS.map((job) =>
      cron.schedule(
        job.cron,
        async () => {
          try {
            const result = await runJob(app.db, job.name, { log: app.log });
            if (result.ran) app.log.info({ job: job.name, slot: result.slot }, 'job finished');
          } catch (err) {
            app.log.error({ err, job: job.name }, 'job failed');
          }
        },
        { timezone: app.config.tz, name: job.name, noOverlap: true },
      ),
    );
    app.addHook('onClose', async () => {
      for (const task of tasks) await task.stop();
      await cron.shutdown();
    });
  },
  { name: 'scheduler', dependencies: ['db'] },
);
