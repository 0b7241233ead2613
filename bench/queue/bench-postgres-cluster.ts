/**
 * The benchmark's own PostgreSQL cluster: a throw-away cluster (test/support) with
 * pg_stat_statements loaded, so the statements of one system's phase can be counted
 * exactly and the server's CPU belongs to that system alone. Every system gets its own
 * database; the benchmark's reads of the statistics go to the `postgres` database and
 * are left out of every count.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  createThrowawayPostgresCluster, findPostgresBinDir, type ThrowawayPostgresCluster,
} from '../../test/support/throwaway-postgres-cluster.js';
import { waitFor } from '../../test/support/wait-for.js';

export interface StatementCounts {
  /** Every statement a client sent (a PL/pgSQL function call counts once: track = top). */
  readonly statements: number;
  /** The same without BEGIN / COMMIT / ROLLBACK. */
  readonly statementsWithoutTransactionControl: number;
}

export interface BenchPostgres {
  readonly cluster: ThrowawayPostgresCluster;
  /** postgres://…/<database> on the bench cluster. */
  urlOf(database: string): string;
  createDatabase(database: string): Promise<void>;
  /** The postmaster's pid: its process tree is the server (backends included). */
  serverPid(): number;
  resetStatements(): Promise<void>;
  statementsOf(database: string): Promise<StatementCounts>;
  /** The most called statements of the database since the last reset (for reading where the count comes from). */
  topStatementsOf(database: string, limit: number): Promise<{ calls: number; plans: number; executionMs: number; planningMs: number; query: string }[]>;
  /** Committed transactions of the database as published so far (a backend publishes at most once a second, and when it exits). */
  commitsOf(database: string): Promise<number>;
  /** Resolves once no session is connected to the database (its backends have published their counts). */
  waitUntilNoSessions(database: string): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error('the queue benchmark needs PostgreSQL server binaries (initdb, pg_ctl)');
  const cluster = await createThrowawayPostgresCluster(binDir, {
    settings: [
      "shared_preload_libraries = 'pg_stat_statements'", 'pg_stat_statements.track = top',
      'pg_stat_statements.track_utility = on', 'pg_stat_statements.track_planning = on', 'pg_stat_statements.max = 10000', 'max_connections = 200',
    ],
  });
  const urlOf = (database: string) => cluster.url.replace(/\/postgres$/, `/${database}`);
  const admin = new pg.Client({ connectionString: cluster.url });
  try {
    await admin.connect();
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  } catch (error) {
    await admin.end().catch(() => undefined);
    cluster.cleanup();
    throw error;
  }
  return {
    cluster,
    urlOf,
    async createDatabase(database) {
      if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`invalid database name: ${database}`);
      await admin.query(`CREATE DATABASE ${database}`);
    },
    serverPid: () => Number(readFileSync(path.join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async resetStatements() {
      await admin.query('SELECT pg_stat_statements_reset()');
    },
    async statementsOf(database) {
      const { rows } = await admin.query(
        `SELECT coalesce(sum(s.calls), 0)::bigint AS statements,
                coalesce(sum(s.calls) FILTER (WHERE s.query !~* '^\\s*(begin|commit|rollback|start transaction|end)\\y'), 0)::bigint AS other
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
        [database],
      );
      return { statements: Number(rows[0].statements), statementsWithoutTransactionControl: Number(rows[0].other) };
    },
    async topStatementsOf(database, limit) {
      const { rows } = await admin.query(
        `SELECT s.calls::bigint AS calls, s.plans::bigint AS plans, s.total_exec_time AS exec_ms, s.total_plan_time AS plan_ms, s.query
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
          WHERE d.datname = $1 ORDER BY s.calls DESC LIMIT $2`,
        [database, limit],
      );
      return rows.map((r) => ({
        calls: Number(r.calls), plans: Number(r.plans), executionMs: Number(r.exec_ms), planningMs: Number(r.plan_ms),
        query: String(r.query).replace(/\s+/g, ' ').slice(0, 160),
      }));
    },
    async commitsOf(database) {
      await admin.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await admin.query('SELECT xact_commit FROM pg_stat_database WHERE datname = $1', [database]);
      return Number(rows[0]?.xact_commit ?? 0);
    },
    async waitUntilNoSessions(database) {
      await waitFor(async () => {
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [database]);
        return rows[0].n === 0;
      }, 30_000, 50, `the sessions of ${database} to end`);
    },
    async close() {
      await admin.end().catch(() => undefined);
      cluster.cleanup();
    },
  };
}
