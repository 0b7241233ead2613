/**
 * One tenant's work of one kind at a time (ADR 0018): in this process a chain per (kind,
 * tenant); on a PostgreSQL server, across processes, a session advisory lock per (kind,
 * tenant) on one dedicated connection per process, held until the work (an append that
 * commits its views) has finished. The lock is only tried (`pg_try_advisory_lock`, short
 * backoff), never awaited on the connection, so one tenant's wait never holds up another's. A
 * lost connection ends its session and frees its locks. Without a server (PGlite, one process
 * owns the store) the chain is the whole lock.
 */
import pg from 'pg';

/** Longest wait for another process's work on the same tenant. */
const LOCK_WAIT_MS = 10_000;

export class TenantLocks {
  private readonly tails = new Map<string, Promise<unknown>>();
  private lockClient: Promise<pg.Client> | null = null;
  private closed = false;

  /** `lockConnection`: settings of the server connection for the cross-process locks; null for a store one process owns (PGlite). */
  constructor(private readonly lockConnection: pg.ClientConfig | null) {}

  /** Runs `work` with no other work of `kind` for the tenant running meanwhile, in any process. */
  run<T>(kind: string, tenantId: string, work: () => Promise<T>): Promise<T> {
    return this.oneAtATime(`${kind}\u0000${tenantId}`, () => this.underLock(kind, tenantId, work));
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.lockClient;
    this.lockClient = null;
    if (client) await client.then((c) => c.end(), () => undefined).catch(() => undefined);
  }

  private async underLock<T>(kind: string, tenantId: string, work: () => Promise<T>): Promise<T> {
    if (!this.lockConnection) return work();
    const client = await this.connection();
    const keyOf = [kind, tenantId];
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      const [row] = (await this.locked(client, `SELECT pg_try_advisory_lock(hashtext($1 || current_schema()), hashtext($2)) AS ok`, keyOf)).rows as Array<{ ok: boolean }>;
      if (row.ok) break;
      if (Date.now() > deadline) throw new Error(`tenant ${tenantId}: another process held the ${kind} lock for over ${LOCK_WAIT_MS} ms`);
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
      // The session is gone with its locks; the next work connects again.
      this.dropConnection(client);
      throw error;
    }
  }

  private connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('tenant locks closed'));
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

  private oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}
