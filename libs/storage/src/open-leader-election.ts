/**
 * The leader election of one process, beside its stores: on a PostgreSQL server, advisory
 * locks on a connection of its own (same settings and schema as the pool's); on the
 * embedded store, which one process owns, that process leads every role.
 */
import type { ServiceConfig } from '../../config/src/service-config.js';
import { pgConnectionConfig } from '../../event-store/src/postgres/sql-client.js';
import { soleProcessLeadership, type LeaderElection } from '../../lifecycle/src/leader-election.js';
import { PostgresLeaderElection } from '../../lifecycle/src/postgres-leader-election.js';

export function openLeaderElection(config: ServiceConfig): LeaderElection {
  if (!config.databaseUrl) return soleProcessLeadership();
  return new PostgresLeaderElection({
    // Named (PGAPPNAME as pg reads it, else NODE_ID), so the server's lock table tells which process
    // leads a role: the system status shows it.
    connection: {
      ...pgConnectionConfig({ kind: 'pg', connectionString: config.databaseUrl, schema: config.databaseSchema ?? undefined }),
      application_name: process.env.PGAPPNAME || config.nodeId,
    },
    checkIntervalMs: config.leaderCheckSeconds * 1000,
    processName: config.nodeId,
  });
}
