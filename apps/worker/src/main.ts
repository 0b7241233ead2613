/**
 * A standalone execution node: run as many as needed, on as many machines as reach
 * the PostgreSQL server (DATABASE_URL) and the shared files folder (FILES_DIR). Any of them
 * may lead a role (the job projection, the notifications, the supervisor) and then runs it.
 */
import 'reflect-metadata';
import { loadServiceConfigOrExit } from '../../../libs/config/src/service-config.js';
import { checkStoreLocations } from '../../../libs/config/src/store-locations.js';
import { ExecutionNode, jobRunnerOptions } from '../../../libs/execution-node/src/execution-node.js';
import { JobSupervisor, supervisorOptions } from '../../../libs/execution-node/src/job-supervisor.js';
import { JobRepository } from '../../../libs/job-domain/src/index.js';
import { DatasetImporter } from '../../../libs/datasets/src/import/dataset-importer.js';
import { AutomaticRetries, automaticRetriesOptions } from '../../../libs/automatic-retries/src/automatic-retries.js';
import { Pipelines } from '../../../libs/pipelines/src/pipelines.js';
import { WORKER_LEADER_ROLES, startAll, stopAll, whileLeading } from '../../../libs/lifecycle/src/index.js';
import { createNotifications, loadNotificationConfig } from '../../../libs/notifications/src/index.js';
import { openLeaderElection } from '../../../libs/storage/src/open-leader-election.js';
import { openStores } from '../../../libs/storage/src/open-stores.js';
import { workerReadiness } from '../../../libs/storage/src/readiness.js';
import { JobProjection } from '../../../libs/read-store/src/projections/job-projection.js';
import {
  ServiceMetrics, createLogger, loadTelemetryConfig, routeConsoleTo, startMetricsServer, startTracing,
} from '../../../libs/telemetry/src/index.js';

const config = loadServiceConfigOrExit();
const telemetry = loadTelemetryConfig();
const logger = createLogger('worker', config.nodeId, telemetry.logLevel);
routeConsoleTo(logger);
const tracing = await startTracing('pm-job-execution-worker');
try {
  checkStoreLocations(config.stores, 'worker');
} catch (error) {
  process.stderr.write(`${(error as Error).message}.\n`);
  process.exit(2);
}
const stores = await openStores(config);
const metrics = new ServiceMetrics('worker');
const repository = new JobRepository(stores.events, stores.jobWriter, metrics);
const projection = new JobProjection(stores.events, stores.jobs, console, { jobViewsWrittenWithAppend: repository.viewsWrittenWithAppend });
const supervisor = new JobSupervisor(stores, repository, supervisorOptions(config));
const notifications = createNotifications(stores, loadNotificationConfig());
await notifications.migrate();
const election = openLeaderElection(config);
const ledServices = [
  whileLeading(election, 'job-projection', projection),
  whileLeading(election, 'notifications', notifications),
  whileLeading(election, 'supervisor', supervisor),
  whileLeading(election, 'retries', new AutomaticRetries(stores.events, stores.jobs, repository, automaticRetriesOptions(config, stores))),
  whileLeading(election, 'pipelines', new Pipelines(stores.events, stores.jobs, repository)),
];
await election.start(WORKER_LEADER_ROLES);
await startAll(ledServices);
// Datasets the jobs produce are read in import processes, so the node's heartbeats and claims never wait on a parse.
const datasetImporter = new DatasetImporter();
const node = new ExecutionNode(stores, repository, {
  nodeId: config.nodeId, capacity: config.workerCapacity, heartbeatSeconds: config.heartbeatSeconds, idleHeartbeatSeconds: config.idleHeartbeatSeconds, maxLostAttempts: config.maxLostAttempts,
  pollIntervalMs: config.claimPollSeconds * 1000, ...jobRunnerOptions(config), describeDataset: (request) => datasetImporter.describe(request),
});
await node.start();
metrics.observeRunnerPool(() => node.runnerPoolState);
metrics.observeProjectionLag(() => projection.lagSeconds());
const metricsServer = telemetry.workerMetricsPort === null ? null
  : await startMetricsServer(metrics, telemetry.workerMetricsPort, config.host, telemetry.metricsToken,
    () => workerReadiness(stores, node, config.heartbeatSeconds));
logger.info(`execution node ${config.nodeId} running with ${config.workerCapacity} slots`
  + (metricsServer ? `; metrics on port ${metricsServer.port}` : ''));
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Finish what runs for a while, then hand the rest back to the queue.
    const graceMs = Number(process.env.SHUTDOWN_GRACE_SECONDS ?? 30) * 1000;
    // The roles go first, so another process leads them while this node lets its jobs finish.
    void (metricsServer?.close() ?? Promise.resolve()).then(() => stopAll(ledServices)).then(() => election.stop()).then(() => node.stop(graceMs)).then(() => datasetImporter.close()).then(() => stores.close()).then(() => tracing?.shutdown())
      .then(() => process.exit(0), () => process.exit(1));
  });
}
