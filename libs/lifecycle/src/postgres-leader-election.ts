/**
 * Leader election on PostgreSQL: a role is led by the session holding its advisory lock.
 * The locks live on one dedicated connection of the process (a session lock belongs to
 * one session, so never a pool connection). Every `checkIntervalMs` a process tries, in
 * one statement, the locks of the roles it does not hold (`pg_try_advisory_lock`); a
 * process holding every role instead checks its connection every second interval. A
 * follower therefore costs one statement per interval, and fail-over takes at most one
 * interval after the server has ended the leader's session.
 *
 * A lost connection (an error, its end, a check that does not answer within the
 * interval) gives every role up at once, before the connection is even closed: the
 * server frees the locks only when it ends the session, so the old leader has stopped
 * before anyone else can take over; it then sits out one check, so a follower takes the
 * roles over rather than the process whose connection just failed. Keepalives on both sides end a session whose peer
 * vanished: the server drops it after about 25 s of silence, well after the client's own
 * check would have failed.
 *
 * Keys: (hash of 'job-execution leader' and the schema, hash of the role), so two
 * services in one database on different schemas (DATABASE_SCHEMA) never block each other.
 */
import pg from 'pg';
import { LEADER_ROLES, LeadershipState, type LeaderElection, type LeaderRole, type LeadershipListener } from './leader-election.js';

export interface LeaderElectionLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface PostgresLeaderElectionOptions {
  /** The process's connection settings (pgConnectionConfig), so search_path names the same schema. */
  readonly connection: pg.ClientConfig;
  readonly checkIntervalMs: number;
  /** Names this process in its log lines (e.g. the node id). */
  readonly processName: string;
  readonly logger?: LeaderElectionLogger;
}

const LOCK_NAMESPACE = 'job-execution leader ';

/** One statement takes every free lock of the roles asked for; the schema comes from the session's search_path. */
const TRY_ROLE_LOCKS_SQL = `SELECT role, pg_try_advisory_lock(hashtext($1 || current_schema()), hashtext(role)) AS taken
  FROM unnest($2::text[]) AS role`;

/** The session leading one role, as the server sees it (null pid: nobody leads it right now). */
export interface RoleLeader {
  readonly role: LeaderRole;
  readonly pid: number | null;
  /** The leader's `application_name` (PGAPPNAME), when it set one. */
  readonly applicationName: string | null;
}

/** An advisory lock's two int4 keys, as pg_locks shows them (oid, i.e. unsigned). */
const ROLE_LEADERS_SQL = `SELECT r.role, l.pid, a.application_name
  FROM unnest($2::text[]) AS r(role)
  LEFT JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = (hashtext($1 || current_schema())::bigint & 4294967295)::text::oid
    AND l.objid = (hashtext(r.role)::bigint & 4294967295)::text::oid
  LEFT JOIN pg_stat_activity a ON a.pid = l.pid
  ORDER BY r.role`;

/**
 * Who leads each role in the schema of `sql`'s session: read from the server's lock
 * table, so it is right even about processes that died (their locks go with their session).
 */
export async function readRoleLeaders(
  sql: { query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> },
): Promise<RoleLeader[]> {
  const rows = await sql.query<{ role: LeaderRole; pid: number | null; application_name: string | null }>(
    ROLE_LEADERS_SQL, [LOCK_NAMESPACE, [...LEADER_ROLES]],
  );
  return rows.map((r) => ({ role: r.role, pid: r.pid === null ? null : Number(r.pid), applicationName: r.application_name || null }));
}

export class PostgresLeaderElection implements LeaderElection {
  private readonly state = new LeadershipState();
  private readonly logger: LeaderElectionLogger;
  private wanted: readonly LeaderRole[] = [];
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private checks = 0;
  private stopped = false;
  private unreachableLogged = false;
  /** Checks to sit out after losing the connection, so a follower takes the roles rather than the process that just lost them. */
  private sitOutChecks = 0;

  constructor(private readonly options: PostgresLeaderElectionOptions) {
    this.logger = options.logger ?? console;
  }

  async start(roles: readonly LeaderRole[]): Promise<void> {
    this.wanted = [...roles];
    this.stopped = false;
    await this.check();
    this.scheduleNextCheck();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.checking;
    this.state.releaseAll();
    const client = this.client;
    this.client = null;
    // Ending the session frees its locks: a follower takes over at its next check.
    await client?.end().catch(() => undefined);
  }

  isLeading(role: LeaderRole): boolean {
    return this.state.isLeading(role);
  }

  onChange(role: LeaderRole, listener: LeadershipListener): () => void {
    return this.state.onChange(role, listener);
  }

  ledRoles(): LeaderRole[] {
    return this.state.ledRoles();
  }

  private scheduleNextCheck(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check().finally(() => this.scheduleNextCheck());
    }, this.options.checkIntervalMs);
  }

  private check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (this.stopped) return;
    if (this.sitOutChecks > 0) {
      this.sitOutChecks -= 1;
      return;
    }
    this.checks += 1;
    const client = this.client ?? (await this.connect());
    if (!client) return;
    const missing = this.wanted.filter((role) => !this.state.isLeading(role));
    try {
      if (missing.length > 0) {
        const rows = await client.query<{ role: LeaderRole; taken: boolean }>(TRY_ROLE_LOCKS_SQL, [LOCK_NAMESPACE, missing]);
        if (this.client !== client || this.stopped) return;
        for (const row of rows.rows) {
          if (!row.taken) continue;
          this.logger.log(`leader: ${this.options.processName} now leads ${row.role}`);
          this.state.set(row.role, true);
        }
      } else if (this.checks % 2 === 0) {
        // Leading everything: nothing to try, but a dead connection must still be noticed.
        await client.query('SELECT 1');
      }
    } catch (error) {
      this.connectionLost(client, error);
    }
  }

  private async connect(): Promise<pg.Client | null> {
    const interval = this.options.checkIntervalMs;
    const base = this.options.connection;
    const client = new pg.Client({
      ...base,
      // The server ends a silent session after 10 s + 3 × 5 s of unanswered keepalives (TCP connections only).
      options: [base.options, '-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3'].filter(Boolean).join(' '),
      keepAlive: true,
      keepAliveInitialDelayMillis: interval,
      // A check that does not answer within an interval counts as a lost connection.
      query_timeout: interval,
    });
    client.on('error', (error) => this.connectionLost(client, error));
    client.on('end', () => this.connectionLost(client, new Error('connection ended')));
    try {
      await client.connect();
    } catch (error) {
      client.removeAllListeners('end');
      client.end().catch(() => undefined);
      if (!this.unreachableLogged) this.logger.warn(`leader: ${this.options.processName} cannot reach the database, leads nothing: ${String(error)}`);
      this.unreachableLogged = true;
      return null;
    }
    this.unreachableLogged = false;
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return null;
    }
    this.client = client;
    return client;
  }

  private connectionLost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.sitOutChecks = 1;
    const held = this.state.ledRoles();
    // First stop every role, then let the session go: nobody can take a lock before the server ends it.
    this.state.releaseAll();
    if (held.length > 0 && !this.stopped) {
      this.logger.warn(`leader: ${this.options.processName} lost its lock connection and gave up ${held.join(', ')}: ${error instanceof Error ? error.message : String(error)}`);
    }
    client.end().catch(() => undefined);
  }
}
