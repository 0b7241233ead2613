/**
 * Admits a tenant's new Queued job only below its cap, exactly: the count and the append run
 * one at a time per tenant, in this process (a chain per tenant) and, on a PostgreSQL server,
 * across processes (a session advisory lock per tenant on one dedicated connection, held until
 * the append has committed; the append itself runs on the pool, in the writer's commit groups).
 * The lock is only tried (`pg_try_advisory_lock`), never awaited on the connection, so one
 * tenant's wait never holds up another's. A lost connection ends its session and frees its locks.
 */
import pg from 'pg';
import type { SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import { PostgresTenantQueueLoad } from './tenant-queue-load.js';

/** Longest wait for another process's submit of the same tenant to commit. */
const LOCK_WAIT_MS = 10_000;

export type GateOutcome<T> = { readonly admitted: true; readonly value: T } | { readonly admitted: false; readonly current: number };

export class TenantQueueGate {
  private readonly load: PostgresTenantQueueLoad;
  private readonly tails = new Map<string, Promise<unknown>>();
  private lockClient: Promise<pg.Client> | null = null;
  private closed = false;

  /** `lockConnection`: settings of the server connection for the cross-process locks; null for a store one process owns (PGlite). */
  constructor(sql: SqlExecutor, private readonly lockConnection: pg.ClientConfig | null) {
    this.load = new PostgresTenantQueueLoad(sql);
  }

  /** Runs `append` when the tenant has fewer than `limit` Queued jobs, with no other admission of the tenant between count and commit. */
  admit<T>(tenantId: string, limit: number, append: () => Promise<T>): Promise<GateOutcome<T>> {
    return this.oneAtATime(tenantId, () => this.underTenantLock(tenantId, async () => {
      const current = await this.load.queuedJobs(tenantId);
      if (current >= limit) return { admitted: false as const, current };
      return { admitted: true as const, value: await append() };
    }));
  }

  get queueLoad(): PostgresTenantQueueLoad {
    return this.load;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.lockClient;
    this.lockClient = null;
    if (client) await client.then((c) => c.end(), () => undefined).catch(() => undefined);
  }

  private async underTenantLock<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    if (!this.lockConnection) return work();
    const client = await this.connection();
    const keyOf = [`job-execution tenant queue`, tenantId];
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      const [row] = (await this.locked(client, `SELECT pg_try_advisory_lock(hashtext($1 || current_schema()), hashtext($2)) AS ok`, keyOf)).rows as Array<{ ok: boolean }>;
      if (row.ok) break;
      if (Date.now() > deadline) throw new Error(`tenant ${tenantId}: another process held the queue quota lock for over ${LOCK_WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    try {
      return await work();
    } finally {
      await this.locked(client, `SELECT pg_advisory_unlock(hashtext($1 || current_schema()), hashtext($2))`, keyOf).catch(() => undefined);
    }
  }

  private async locked(client: pg.Client, text: string, values: unknown[]): Promise<pg.QueryResult> {
    try {
      return await client.query(text, values);
    } catch (error) {
      // The session is gone with its locks; the next admission connects again.
      this.dropConnection(client);
      throw error;
    }
  }

  private connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('tenant queue gate closed'));
    this.lockClient ??= (async () => {
      const client = new pg.Client({ ...this.lockConnection!, application_name: process.env.PGAPPNAME });
      client.on('error', () => this.dropConnection(client));
      await client.connect();
      return client;
    })().catch((error) => {
      this.lockClient = null;
      throw error;
    });
    return this.lockClient;
  }

  private dropConnection(client: pg.Client): void {
    void this.lockClient?.then((current) => {
      if (current === client) this.lockClient = null;
    }, () => undefined);
    client.end().catch(() => undefined);
  }

  private oneAtATime<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(tenantId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.tails.set(tenantId, tail);
    void tail.then(() => {
      if (this.tails.get(tenantId) === tail) this.tails.delete(tenantId);
    });
    return run;
  }
}
