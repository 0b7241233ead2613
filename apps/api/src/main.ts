import 'reflect-metadata';
import { loadServiceConfig } from '../../../libs/config/src/service-config.js';
import { startService } from './bootstrap.js';

const config = loadServiceConfig();
const service = await startService(config).catch((error: unknown) => {
  // Start-up problems (a folder in use, an unreachable database) are the operator's to fix: say what, not where in the code.
  process.stderr.write(`cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
process.stdout.write(
  `Job Execution API listening on ${service.url} (store: ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`}; ` +
  `in-process worker slots: ${config.embeddedWorkerCapacity}); OpenAPI at ${service.url}/docs\n`,
);
// Rebuild the job views from position 0 without stopping (the embedded store cannot be opened by a second process).
process.on('SIGUSR2', () => {
  process.stdout.write('rebuilding job views from position 0\n');
  service.rebuildJobProjection().then(
    (replayed) => process.stdout.write(`job views rebuilt from position 0: ${replayed} job events replayed\n`),
    (error: unknown) => process.stderr.write(`job view rebuild failed: ${String(error)}\n`),
  );
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void service.close().then(() => process.exit(0), () => process.exit(1));
  });
}
