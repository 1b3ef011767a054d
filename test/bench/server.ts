// The real app for benchmarks, in its own process so the load generator does
// not share its event loop. Uses DATABASE_URL or DATA_DIR like the server.
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/index.js';

const config = loadConfig();
const database = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 10 });
const app = await buildApp(config, { database, logger: false });
await app.listen({ port: config.port, host: '127.0.0.1' });
process.stdout.write('listening\n');
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
