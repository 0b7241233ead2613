/**
 * pg-boss 10: jobs in PostgreSQL, fetched by polling (0.5 s is the shortest interval it
 * allows); concurrency is one `work()` loop per slot, each fetching one job at a time.
 */
import PgBoss from 'pg-boss';
import type { CompetitorQueue } from './competitor-queue.js';

const POLLING_INTERVAL_SECONDS = 0.5;

function openBoss(connectionString: string | undefined, role: 'submitter' | 'worker'): PgBoss {
  // The submitter only sends: maintenance and cron run in the workers, as in a deployment.
  const boss = new PgBoss(role === 'submitter'
    ? { connectionString, supervise: false, schedule: false, migrate: false }
    : { connectionString, migrate: false });
  boss.on('error', (error: Error) => process.stderr.write(`pg-boss: ${error.message}\n`));
  return boss;
}

export const pgBossQueue: CompetitorQueue = {
  async prepare(config) {
    const boss = new PgBoss({ connectionString: config.connectionString, supervise: false, schedule: false });
    await boss.start();
    try {
      await boss.createQueue(config.queueName);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  },
  async openSubmitter(config) {
    const boss = openBoss(config.connectionString, 'submitter');
    await boss.start();
    return {
      submit: async (key) => {
        const id = await boss.send(config.queueName, { key });
        if (!id) throw new Error('pg-boss did not accept the job');
      },
      close: () => boss.stop({ graceful: false, wait: true }),
    };
  },
  async startWorker(config, handle) {
    const boss = openBoss(config.connectionString, 'worker');
    await boss.start();
    for (let slot = 0; slot < config.concurrency; slot++) {
      await boss.work<{ key: number }>(config.queueName, { batchSize: 1, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS },
        async ([job]) => handle(job.data.key));
    }
    return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }) };
  },
  cleanup: async () => undefined,
};
