/**
 * The projection rebuilds of one process, beside its stores: on a PostgreSQL server one
 * rebuild at a time across processes (a session advisory lock on a connection of its own,
 * named by NODE_ID, so every process can see who rebuilds), and the projection's leader read
 * from the server's lock table; on the embedded store, which one process owns, that process.
 */
import pg from 'pg';
import type { ServiceConfig } from '../../config/src/service-config.js';
import { pgConnectionConfig } from '../../event-store/src/postgres/sql-client.js';
import { readRoleLeaders } from '../../lifecycle/src/postgres-leader-election.js';
import type { JobViewRebuilds } from '../../read-store/src/job-view-rebuilds.port.js';
import type { JobProjection } from '../../read-store/src/projections/job-projection.js';
import {
  ProjectionRebuilds, inProcessRebuildLock, type RebuildLock,
} from '../../read-store/src/projections/projection-rebuilds.js';
import type { Stores } from './open-stores.js';

const LOCK_NAMESPACE = 'job-execution rebuild ';

const unsupported = async (): Promise<never> => {
  throw new Error('a blue/green rebuild needs the job views beside PostgreSQL/PGlite events, or on MongoDB; '
    + 'with the views in another PostgreSQL database than the events, rebuild by pointing READ_STORE_URL at a fresh database');
};
/** Where the views are in another PostgreSQL database than the events: every rebuild fails at once, saying why. */
const UNSUPPORTED_REBUILDS: JobViewRebuilds = {
  createCopy: unsupported, readEvents: unsupported, inCopy: unsupported, switchToCopy: unsupported, dropCopy: async () => undefined,
};

/** The advisory lock's keys as pg_locks shows them (unsigned oids), in the session's schema. */
const LOCK_HOLDER_SQL = `SELECT a.application_name, l.pid FROM pg_locks l
  LEFT JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = (hashtext($1 || current_schema())::bigint & 4294967295)::text::oid
    AND l.objid = (hashtext($2)::bigint & 4294967295)::text::oid`;

function postgresRebuildLock(config: ServiceConfig, stores: Stores): RebuildLock {
  return {
    async tryAcquire(projection) {
      const client = new pg.Client({
        ...pgConnectionConfig({ kind: 'pg', connectionString: config.databaseUrl!, schema: config.databaseSchema ?? undefined }),
        application_name: process.env.PGAPPNAME || config.nodeId, // as the leader election's connection
      });
      client.on('error', () => undefined); // a lost connection frees the lock; the rebuild's own statements fail on their own
      await client.connect();
      try {
        const { rows } = await client.query<{ taken: boolean }>(
          `SELECT pg_try_advisory_lock(hashtext($1 || current_schema()), hashtext($2)) AS taken`, [LOCK_NAMESPACE, projection],
        );
        if (rows[0].taken) return () => client.end();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      await client.end().catch(() => undefined);
      return null;
    },
    async holder(projection) {
      const rows = await stores.sql.query<{ application_name: string | null; pid: number }>(LOCK_HOLDER_SQL, [LOCK_NAMESPACE, projection]);
      return rows.length === 0 ? null : rows[0].application_name || `pid ${rows[0].pid}`;
    },
  };
}

export function openProjectionRebuilds(config: ServiceConfig, stores: Stores, projection?: JobProjection): ProjectionRebuilds {
  const onServer = stores.kind === 'pg' && config.databaseUrl !== null;
  return new ProjectionRebuilds({
    rebuilds: stores.jobViewRebuilds ?? UNSUPPORTED_REBUILDS,
    events: stores.events,
    store: stores.jobs,
    projection,
    batchSize: config.rebuildBatchSize,
    lock: onServer ? postgresRebuildLock(config, stores) : inProcessRebuildLock(config.nodeId),
    leader: onServer
      ? async () => {
        const led = (await readRoleLeaders(stores.sql)).find((l) => l.role === 'job-projection');
        return !led || led.pid === null ? null : led.applicationName ?? `pid ${led.pid}`;
      }
      : async () => config.nodeId,
  });
}
