/** graphile-worker: jobs in PostgreSQL, workers woken by LISTEN/NOTIFY; a job's row is deleted when it completes. */
import { makeWorkerUtils, run } from 'graphile-worker';
import type { CompetitorQueue } from './competitor-queue.js';

const TASK = 'bench';

export const graphileWorkerQueue: CompetitorQueue = {
  async prepare(config) {
    const utils = await makeWorkerUtils({ connectionString: config.connectionString });
    try {
      await utils.migrate();
    } finally {
      await utils.release();
    }
  },
  async openSubmitter(config) {
    const utils = await makeWorkerUtils({ connectionString: config.connectionString });
    return {
      submit: async (key) => {
        await utils.addJob(TASK, { key });
      },
      close: async () => {
        await utils.release();
      },
    };
  },
  async startWorker(config, handle) {
    const runner = await run({
      connectionString: config.connectionString,
      concurrency: config.concurrency,
      noHandleSignals: true,
      taskList: { [TASK]: async (payload) => handle((payload as { key: number }).key) },
    });
    return { stop: () => runner.stop() };
  },
  cleanup: async () => undefined,
};
