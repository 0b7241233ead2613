/**
 * A standalone execution node: run as many as needed, on as many machines as reach
 * the PostgreSQL server (DATABASE_URL) and the shared files folder (FILES_DIR).
 */
import 'reflect-metadata';
import { loadServiceConfig } from '../../../libs/config/src/service-config.js';
import { ExecutionNode } from '../../../libs/execution-node/src/execution-node.js';
import { JobSupervisor, supervisorOptions } from '../../../libs/execution-node/src/job-supervisor.js';
import { JobRepository } from '../../../libs/job-domain/src/index.js';
import { createNotifications, loadNotificationConfig } from '../../../libs/notifications/src/index.js';
import { openStores } from '../../../libs/storage/src/open-stores.js';

const config = loadServiceConfig();
if (!config.databaseUrl) {
  process.stderr.write('apps/worker needs DATABASE_URL: the embedded store belongs to the API process, which runs its own worker.\n');
  process.exit(2);
}
const stores = await openStores(config);
const repository = new JobRepository(stores.events, stores.jobWriter);
const supervisor = new JobSupervisor(stores, repository, supervisorOptions(config));
supervisor.start();
const notifications = createNotifications(stores, loadNotificationConfig());
await notifications.start();
const node = new ExecutionNode(stores, repository, {
  nodeId: config.nodeId, capacity: config.workerCapacity, heartbeatSeconds: config.heartbeatSeconds, maxLostAttempts: config.maxLostAttempts,
  pollIntervalMs: config.claimPollSeconds * 1000,
});
await node.start();
process.stdout.write(`execution node ${config.nodeId} running with ${config.workerCapacity} slots\n`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Finish what runs for a while, then hand the rest back to the queue.
    const graceMs = Number(process.env.SHUTDOWN_GRACE_SECONDS ?? 30) * 1000;
    supervisor.stop();
    void node.stop(graceMs).then(() => notifications.stop()).then(() => stores.close()).then(() => process.exit(0), () => process.exit(1));
  });
}
