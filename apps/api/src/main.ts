import 'reflect-metadata';
import { loadServiceConfigOrExit } from '../../../libs/config/src/service-config.js';
import { createLogger, loadTelemetryConfig, routeConsoleTo, startTracing } from '../../../libs/telemetry/src/index.js';
import { startService } from './bootstrap.js';

const config = loadServiceConfigOrExit();
const telemetryConfig = loadTelemetryConfig();
const logger = createLogger('api', config.nodeId, telemetryConfig.logLevel);
routeConsoleTo(logger);
const tracing = await startTracing('pm-job-execution-api');
const service = await startService(config, { config: telemetryConfig, logger }).catch((error: unknown) => {
  // Start-up problems (a folder in use, an unreachable database) are the operator's to fix: say what, not where in the code.
  process.stderr.write(`cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
logger.info(
  `Job Execution API listening on ${service.url} (store: ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`}; ` +
  `in-process worker slots: ${config.embeddedWorkerCapacity}; token key id: ${service.signingKeyId}); OpenAPI at ${service.url}/docs; dashboard at ${service.url}/dashboard/`,
);
// Rebuild the job views blue/green without stopping (the embedded store cannot be opened by a second process).
process.on('SIGUSR2', () => {
  logger.info('rebuilding job views from position 0 into a fresh copy');
  service.rebuildJobProjection().then(
    (replayed) => logger.info(`job views rebuilt from position 0: ${replayed} job events replayed (blue/green: switched to the fresh copy)`),
    (error: unknown) => logger.error(`job view rebuild failed: ${String(error)}`),
  );
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void service.close().then(() => tracing?.shutdown()).then(() => process.exit(0), () => process.exit(1));
  });
}
