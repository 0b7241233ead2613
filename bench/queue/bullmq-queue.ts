/** BullMQ: jobs in Redis (the machine's server, a db index and key prefix of this run, removed afterwards). */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { CompetitorConfig, CompetitorQueue } from './competitor-queue.js';

function connectionOf(config: CompetitorConfig) {
  const redis = config.redis!;
  return { host: redis.host, port: redis.port, db: redis.db, maxRetriesPerRequest: null };
}

export const bullmqQueue: CompetitorQueue = {
  prepare: async () => undefined,
  async openSubmitter(config) {
    const queue = new Queue(config.queueName, { connection: connectionOf(config), prefix: config.redis!.prefix });
    await queue.waitUntilReady();
    return {
      submit: async (key) => {
        await queue.add('bench', { key });
      },
      close: () => queue.close(),
    };
  },
  async startWorker(config, handle) {
    const worker = new Worker<{ key: number }>(config.queueName, async (job) => handle(job.data.key), {
      connection: connectionOf(config), prefix: config.redis!.prefix, concurrency: config.concurrency,
    });
    worker.on('error', (error) => process.stderr.write(`bullmq: ${error.message}\n`));
    await worker.waitUntilReady();
    return { stop: () => worker.close() };
  },
  async cleanup(config) {
    const queue = new Queue(config.queueName, { connection: connectionOf(config), prefix: config.redis!.prefix });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
    // obliterate leaves a few bookkeeping keys: remove every key of the run's prefix.
    const client = new Redis(connectionOf(config));
    try {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${config.redis!.prefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await client.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      client.disconnect();
    }
  },
};

/** The Redis server's pid (its CPU is read from /proc), from INFO server. */
export async function redisServerPid(redis: { host: string; port: number }): Promise<number | null> {
  const client = new Redis({ host: redis.host, port: redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const match = /process_id:(\d+)/.exec(await client.info('server'));
    return match ? Number(match[1]) : null;
  } finally {
    client.disconnect();
  }
}
