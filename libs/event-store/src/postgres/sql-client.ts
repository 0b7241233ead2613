/**
 * A deliberately small SQL client abstraction so the same SQL runs on a PostgreSQL server
 * (through a `pg` Pool) and on PGlite (in-process WebAssembly PostgreSQL, data in a folder).
 * The event store and the read store can share one client: a PGlite folder can only be
 * opened once per process, and sharing a pool keeps the connection count bounded.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB } from './pglite-settings.js';

/** Runs statements; either the whole client (autocommit) or one open transaction. */
export interface SqlExecutor {
  /**
   * Runs one statement with positional parameters ($1, $2, ...) and returns its rows.
   * `name` lets `pg` prepare the statement once per connection (ignored by PGlite).
   */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[], name?: string): Promise<Row[]>;
}

export interface SqlClient extends SqlExecutor {
  readonly kind: 'pg' | 'pglite';
  /** The schema objects live in (pg only; `undefined` means the server's default search_path). */
  readonly schema: string | undefined;
  /** Runs `fn` inside BEGIN/COMMIT on one connection; ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel. On pg this uses one dedicated connection (not a pool one) and
   * reconnects after errors; on PGlite the notification comes from the same instance.
   * Returns the function that stops listening.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /**
   * pg only (undefined on PGlite): `COPY (…) TO STDOUT` in a read-only transaction of its own,
   * after `setup` statements (SET LOCAL …), its output as raw bytes, unparsed. The transaction
   * ends with the stream; a stream destroyed before its end discards its connection.
   */
  readonly copyOut?: (copy: string, setup?: readonly string[]) => Promise<Readable>;
  /** Releases the pool / closes the PGlite instance (once its last sharer closed it). */
  close(): Promise<void>;
}

export interface PgClientConfig {
  readonly kind: 'pg';
  readonly connectionString: string;
  /** Created if absent and put first on every connection's search_path. */
  readonly schema?: string;
  /** Pool size; concurrent appenders beyond it queue for a connection. Default 20. */
  readonly poolSize?: number;
  /**
   * A transaction left open (a crashed or hung caller) holds back every subscriber, because
   * readAll only returns events below the oldest running transaction. Default 5 s.
   */
  readonly idleInTransactionTimeoutMs?: number;
}

export interface PgliteClientConfig {
  readonly kind: 'pglite';
  /** Data folder; `undefined` keeps the database in memory (tests). */
  readonly dataDir?: string;
  /** PostgreSQL's shared_buffers inside PGlite, MB (default DEFAULT_PGLITE_SHARED_BUFFERS_MB). */
  readonly sharedBuffersMb?: number;
  /**
   * In memory only: start from this dump of an initialised database (PGlite's dumpDataDir)
   * instead of running initdb, which takes seconds; the test suites share one.
   */
  readonly initialDataDir?: Blob;
}

function pgliteOptions(config: PgliteClientConfig): PGliteOptions {
  return {
    postgresqlconf: [`shared_buffers = ${config.sharedBuffersMb ?? DEFAULT_PGLITE_SHARED_BUFFERS_MB}MB`],
    ...(config.dataDir === undefined && config.initialDataDir ? { loadDataDir: config.initialDataDir } : {}),
  };
}

export type SqlClientConfig = PgClientConfig | PgliteClientConfig;

/** How pg turns a parameter into text (arrays, dates, JSON, buffers), the rule a PGlite EXECUTE's literals follow too. */
const pgUtils = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): unknown };

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates and double-quotes an identifier (schema or channel name used in DDL, options, LISTEN). */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid SQL identifier: ${name}`);
  return `"${name}"`;
}

/** Socket errors of a server that is down, restarting or out of reach. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs of a server going away or not accepting connections yet (class 08 is matched as a class). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** pg and pg-pool report a lost or timed-out connection with a plain Error. */
const LOST_CONNECTION_MESSAGE = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * True when `error` says the database cannot be reached right now (down, restarting,
 * connection lost), as opposed to a bad statement: the caller may retry later, and an
 * HTTP request answers 503 rather than 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed rather than instanceof: errors may come from another realm (a VM context).
  type ErrorLike = { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  for (let e = error as ErrorLike | null, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = e.cause as ErrorLike, depth += 1) {
    const code = e.code;
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (typeof e.message === 'string' && LOST_CONNECTION_MESSAGE.test(e.message)) return true;
    // Node reports a refused connection to every address of a host as one AggregateError.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}

export async function openSqlClient(config: SqlClientConfig): Promise<SqlClient> {
  return config.kind === 'pg' ? openPgClient(config) : openPgliteClient(config);
}

// ---------------------------------------------------------------------------------------
// pg (server)
// ---------------------------------------------------------------------------------------

const CONNECT_TIMEOUT_MS = 5000;

/** Connection settings of every connection of `config` (pool, LISTEN, leader locks): session settings, search_path, connect timeout. */
export function pgConnectionConfig(config: PgClientConfig): pg.ClientConfig {
  const settings = [`-c idle_in_transaction_session_timeout=${config.idleInTransactionTimeoutMs ?? 5000}`];
  // Every statement here is short: on a big queue the queue-order queries' cost estimates pass
  // the JIT thresholds, and compiling them took seconds for a query that runs in milliseconds.
  settings.push('-c jit=off');
  // Named statements are the hot ones (appends, view writes, claims, event reads), written so
  // that their generic plan is the right one. Left to choose, the server kept planning the
  // claim anew on every run (its generic plan's estimate never beat a custom one), which cost
  // more server CPU than running it.
  settings.push('-c plan_cache_mode=force_generic_plan');
  // search_path is set at connection start-up, so every pooled connection (and the
  // LISTEN connection) resolves unqualified names in the same schema.
  if (config.schema !== undefined) settings.push(`-c search_path=${quoteIdentifier(config.schema).slice(1, -1)},public`);
  // A server that does not answer must fail a request, not hang it.
  return { connectionString: config.connectionString, options: settings.join(' '), connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
}

async function openPgClient(config: PgClientConfig): Promise<SqlClient> {
  const connection = pgConnectionConfig(config);
  if (config.schema !== undefined) {
    // The schema must exist before search_path can point into it; do it on a plain connection.
    const bootstrap = new pg.Client({ connectionString: config.connectionString });
    await bootstrap.connect();
    try {
      await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(config.schema)}`);
    } catch (error) {
      // Two processes creating the same schema at once: the loser sees a unique violation.
      if ((error as { code?: string }).code !== '23505') throw error;
    } finally {
      await bootstrap.end();
    }
  }
  const pool = new pg.Pool({ ...connection, max: config.poolSize ?? 20 });
  // An idle pooled connection that the server drops (restart, idle timeout) must not crash the process.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1'); // fail fast on a wrong URL

  const executorOf = (target: pg.Pool | pg.PoolClient): SqlExecutor => ({
    async query<Row>(text: string, params: readonly unknown[] = [], name?: string): Promise<Row[]> {
      const result = await target.query({ text, values: params as unknown[], name });
      return result.rows as Row[];
    },
  });
  const listener = new PgListener(connection);

  return {
    kind: 'pg',
    schema: config.schema,
    ...executorOf(pool),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: unknown;
      // The pool listens for errors only on idle connections; a connection the server drops
      // while checked out between two statements would otherwise crash the process. The next
      // statement on it fails and the transaction rolls back as for any other error.
      const onConnectionError = (error: Error) => (broken = error);
      client.on('error', onConnectionError);
      try {
        await client.query('BEGIN');
        const result = await fn(executorOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError; // the connection is unusable: drop it from the pool
        }
        throw error;
      } finally {
        client.removeListener('error', onConnectionError);
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    listen: (channel, onNotify) => listener.add(channel, onNotify),
    async copyOut(copy: string, setup: readonly string[] = []): Promise<Readable> {
      const client = await pool.connect();
      let broken: Error | undefined;
      const onConnectionError = (error: Error) => (broken = error);
      client.on('error', onConnectionError);
      let released = false;
      const release = (error?: Error) => {
        if (released) return;
        released = true;
        client.removeListener('error', onConnectionError);
        client.release(error ?? broken);
      };
      try {
        await client.query('BEGIN READ ONLY');
        for (const statement of setup) await client.query(statement);
      } catch (error) {
        release(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      const stream = client.query(copyTo(copy));
      let ended = false;
      stream.once('end', () => {
        ended = true;
        client.query('COMMIT').then(() => release(), (error: Error) => release(error));
      });
      stream.once('error', (error) => release(error));
      // Destroyed mid-copy (the HTTP client went away): the connection is mid-protocol, so it is dropped.
      stream.once('close', () => { if (!ended) release(new Error('COPY stream closed before its end')); });
      return stream;
    },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/** One dedicated LISTEN connection per client, shared by all channels and callbacks. */
class PgListener {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly callbacks = new Map<string, Set<() => void>>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly connection: pg.ClientConfig) {}

  async add(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    let set = this.callbacks.get(channel);
    const fresh = set === undefined;
    if (!set) this.callbacks.set(channel, (set = new Set()));
    set.add(onNotify);
    await this.ensureConnected();
    if (fresh && this.client) await this.client.query(`LISTEN ${quoteIdentifier(channel)}`);
    return async () => {
      set.delete(onNotify);
      if (set.size === 0 && this.callbacks.get(channel) === set) {
        this.callbacks.delete(channel);
        await this.client?.query(`UNLISTEN ${quoteIdentifier(channel)}`).catch(() => undefined);
      }
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.connection);
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      // Subscribers keep polling meanwhile; reconnect so wake-ups resume.
      if (!this.closed && this.callbacks.size > 0) this.scheduleReconnect();
      this.wakeAll(); // something may have been missed while the connection was down
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      for (const callback of this.callbacks.get(message.channel) ?? []) callback();
    });
    try {
      await client.connect();
      for (const channel of this.callbacks.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      this.client = client;
    } catch {
      client.end().catch(() => undefined);
      if (!this.closed) this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.ensureConnected();
    }, 1000);
    this.retryTimer.unref();
  }

  private wakeAll(): void {
    for (const set of this.callbacks.values()) for (const callback of set) callback();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------
// PGlite (in-process)
// ---------------------------------------------------------------------------------------

/** Open PGlite instances by folder: a second open of the same folder would corrupt it. */
const openPglites = new Map<string, { db: Promise<PGlite>; refs: number }>();

const INITDB_PROCESS = fileURLToPath(new URL('./pglite-initdb-process.js', import.meta.url));

/**
 * Opens a PGlite folder, creating it first in a child process when it is new: initdb in this
 * process would leave it about 500 MB larger for good (820 MB resident instead of 300 MB).
 * Where the child cannot run (the entry is not built next to this module), initdb runs here.
 */
async function createPglite(folder: string, options: PGliteOptions): Promise<PGlite> {
  if (!existsSync(join(folder, 'PG_VERSION')) && existsSync(INITDB_PROCESS)) {
    await promisify(execFile)(process.execPath, [INITDB_PROCESS, folder], { timeout: 120_000 });
  }
  return PGlite.create(folder, options);
}

async function openPgliteClient(config: PgliteClientConfig): Promise<SqlClient> {
  const key = config.dataDir === undefined ? undefined : resolve(config.dataDir);
  let entry = key === undefined ? undefined : openPglites.get(key);
  if (entry) {
    entry.refs += 1;
  } else {
    entry = { db: key === undefined ? PGlite.create(pgliteOptions(config)) : createPglite(key, pgliteOptions(config)), refs: 1 };
    if (key !== undefined) openPglites.set(key, entry);
  }
  let db: PGlite;
  try {
    db = await entry.db;
  } catch (error) {
    if (key !== undefined && openPglites.get(key) === entry) openPglites.delete(key);
    throw error;
  }
  const shared = entry;
  let closed = false;
  return pgliteClient(db, async () => {
    if (closed) return;
    closed = true;
    shared.refs -= 1;
    if (shared.refs > 0) return;
    if (key !== undefined && openPglites.get(key) === shared) openPglites.delete(key);
    await db.close();
  });
}

/** Wraps an already-open PGlite instance (the caller keeps ownership: close() does not close it). */
export function sqlClientFromPglite(db: PGlite): SqlClient {
  return pgliteClient(db, async () => undefined);
}

/** Per PGlite instance: the text of each statement PREPAREd in its session. */
const pgliteSessions = new WeakMap<PGlite, { readonly prepared: Map<string, string>; readonly ready: Promise<void> }>();

function pgliteClient(db: PGlite, close: () => Promise<void>): SqlClient {
  type Queryable = Pick<PGlite, 'query'>;
  const executorOf = (target: Queryable): SqlExecutor => ({
    async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await target.query<Row>(text, params as unknown[]);
      return result.rows;
    },
  });
  const plain = executorOf(db);
  // PGlite plans every query anew (it has no named statements), and planning in WebAssembly
  // cost more than running the hot statements. Outside transactions a named statement is
  // therefore PREPAREd once (generic plan) and run as EXECUTE with its values as literals,
  // formatted and quoted by pg's own rules.
  let session = pgliteSessions.get(db);
  if (!session) {
    // Prepared statements belong to the instance's one session, whichever client wraps it.
    session = { prepared: new Map(), ready: db.exec('SET plan_cache_mode = force_generic_plan').then(() => undefined) };
    pgliteSessions.set(db, session);
  }
  const { prepared, ready: preparing } = session;
  const top: SqlExecutor = {
    async query<Row>(text: string, params: readonly unknown[] = [], name?: string): Promise<Row[]> {
      if (name === undefined) return plain.query<Row>(text, params);
      await preparing;
      const statement = `pglite_${name}`;
      const known = prepared.get(statement);
      if (known !== text) {
        if (known !== undefined) throw new Error(`statement name ${name} used for two texts`);
        prepared.set(statement, text);
        try {
          await db.exec(`PREPARE ${quoteIdentifier(statement)} AS ${text}`);
        } catch (error) {
          prepared.delete(statement);
          throw error;
        }
      }
      const values = params.map((value) => (value === null || value === undefined ? 'NULL' : pg.escapeLiteral(String(pgUtils.prepareValue(value)))));
      const result = await db.query<Row>(`EXECUTE ${quoteIdentifier(statement)}${values.length ? `(${values.join(', ')})` : ''}`);
      return result.rows;
    },
  };
  return {
    kind: 'pglite',
    schema: undefined,
    ...top,
    transaction: (fn) => db.transaction((tx) => fn(executorOf(tx))),
    async listen(channel, onNotify) {
      const unlisten = await db.listen(channel, () => onNotify());
      return async () => {
        if (!db.closed) await unlisten();
      };
    },
    close,
  };
}
