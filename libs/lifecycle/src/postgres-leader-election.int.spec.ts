/**
 * Leader election against the real PostgreSQL server: one leader per role and schema,
 * fail-over when the leader stops or its session is ended, and a lost lock stops the
 * role before another process can take it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { openSqlClient, pgConnectionConfig, type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { LEADER_ROLES, type LeaderRole } from './leader-election.js';
import { PostgresLeaderElection, readRoleLeaders } from './postgres-leader-election.js';
import { whileLeading } from './while-leading.js';

const server = await resolveTestPostgres('leader election suite');
const CHECK_MS = 200;
const quiet = { log: () => undefined, warn: () => undefined };

(server ? describe : describe.skip)('PostgreSQL leader election', () => {
  const schemas = [randomSchemaName('leader_a'), randomSchemaName('leader_b')];
  const elections: PostgresLeaderElection[] = [];
  let observer: SqlClient;

  function election(name: string, schema = schemas[0]): PostgresLeaderElection {
    const e = new PostgresLeaderElection({
      connection: { ...pgConnectionConfig({ kind: 'pg', connectionString: server!.url, schema }), application_name: name },
      checkIntervalMs: CHECK_MS, processName: name, logger: quiet,
    });
    elections.push(e);
    return e;
  }

  beforeAll(async () => {
    observer = await openSqlClient({ kind: 'pg', connectionString: server!.url, schema: schemas[0] });
    // Both schemas exist, as openStores makes sure before any election starts.
    await (await openSqlClient({ kind: 'pg', connectionString: server!.url, schema: schemas[1] })).close();
  });

  afterEach(async () => {
    await Promise.all(elections.splice(0).map((e) => e.stop()));
  });

  afterAll(async () => {
    await observer?.close();
    for (const schema of schemas) await dropSchema(server!.url, schema).catch(() => undefined);
  });

  it('gives each role to exactly one process; the others lead nothing and the server shows the leader', async () => {
    const first = election('first');
    const second = election('second');
    await first.start(LEADER_ROLES);
    await second.start(LEADER_ROLES);
    expect(first.ledRoles()).toEqual([...LEADER_ROLES]);
    expect(second.ledRoles()).toEqual([]);
    const leaders = await readRoleLeaders(observer);
    expect(leaders.map((l) => [l.role, l.applicationName])).toEqual([...LEADER_ROLES].sort().map((role) => [role, 'first']));
  });

  it('hands every role to a follower within two checks once the leader stops', async () => {
    const first = election('first');
    const second = election('second');
    await first.start(LEADER_ROLES);
    await second.start(LEADER_ROLES);
    const stoppedAt = Date.now();
    await first.stop();
    await waitFor(() => second.ledRoles().length === LEADER_ROLES.length, 5000, 20, 'the follower to lead');
    expect(Date.now() - stoppedAt).toBeLessThan(2 * CHECK_MS + 500);
  });

  it('does not block a service on another schema of the same database', async () => {
    const here = election('here', schemas[0]);
    const there = election('there', schemas[1]);
    await here.start(LEADER_ROLES);
    await there.start(LEADER_ROLES);
    expect(here.ledRoles()).toEqual([...LEADER_ROLES]);
    expect(there.ledRoles()).toEqual([...LEADER_ROLES]);
    expect((await readRoleLeaders(observer)).map((l) => l.applicationName)).toEqual(LEADER_ROLES.map(() => 'here'));
  });

  it('stops the role as soon as its session is ended, before the follower takes it over', async () => {
    const timeline: string[] = [];
    const service = (owner: string) => ({
      name: `projection of ${owner}`,
      start: () => void timeline.push(`${owner} started`),
      stop: () => void timeline.push(`${owner} stopped`),
    });
    const role: LeaderRole = 'job-projection';
    const first = election('first');
    const second = election('second');
    await first.start(LEADER_ROLES);
    await second.start(LEADER_ROLES);
    const onFirst = whileLeading(first, role, service('first'), quiet);
    const onSecond = whileLeading(second, role, service('second'), quiet);
    await onFirst.start();
    await onSecond.start();
    expect(timeline).toEqual(['first started']);

    const [leader] = (await readRoleLeaders(observer)).filter((l) => l.role === role);
    await observer.query('SELECT pg_terminate_backend($1)', [leader.pid]);
    await waitFor(() => timeline.includes('second started'), 5000, 20, 'the follower to take the role');
    expect(timeline).toEqual(['first started', 'first stopped', 'second started']);
    expect(first.isLeading(role)).toBe(false);
    await onFirst.stop();
    await onSecond.stop();
    expect(timeline.at(-1)).toBe('second stopped');
  });

  it('leads again after its connection came back, when the role is free', async () => {
    const only = election('only');
    await only.start(LEADER_ROLES);
    const [leader] = await readRoleLeaders(observer);
    await observer.query('SELECT pg_terminate_backend($1)', [leader.pid]);
    await waitFor(() => !only.isLeading('supervisor'), 2000, 10, 'the role to be given up');
    await waitFor(() => only.ledRoles().length === LEADER_ROLES.length, 5000, 20, 'the roles to be taken back');
    const leaders = await readRoleLeaders(observer);
    expect(leaders.every((l) => l.applicationName === 'only' && l.pid !== leader.pid)).toBe(true);
  });
});
