/**
 * The JobReadStore contract on every adapter: PGlite (in-process, always runs), the
 * PostgreSQL server (TEST_DATABASE_URL; required when CI=true) and MongoDB
 * (TEST_MONGODB_URL, a replica set: the adapter needs transactions).
 */
import { MongoClient } from 'mongodb';
import { createEventStoreOnClient } from '../../event-store/src/postgres/postgres-event-store.js';
import { type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { openThrowawaySchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { CONTRACT_AGING_SECONDS_PER_LEVEL, describeJobReadStoreContract } from './read-store.contract.js';
import { createMongoJobReadStore } from './mongodb/mongo-job-read-store.js';
import { PostgresJobReadStore } from './postgres/postgres-job-read-store.js';
import { PostgresJobViewRebuilds } from './postgres/postgres-job-view-rebuilds.js';
import { MongoJobViewRebuilds } from './mongodb/mongo-job-view-rebuilds.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';

/** The rebuilds of a PostgreSQL/PGlite store, over an event store on the same client. */
async function postgresRebuilds(sql: SqlClient) {
  const events = await createEventStoreOnClient(sql, {});
  return { rebuilds: new PostgresJobViewRebuilds(sql, events, CONTRACT_AGING_SECONDS_PER_LEVEL), events };
}

describeJobReadStoreContract('PGlite', async ({ tenantMaxRunningJobs, runningCapsByTenant }) => {
  const sql = await openMemoryPglite();
  const store = new PostgresJobReadStore(sql, CONTRACT_AGING_SECONDS_PER_LEVEL, tenantMaxRunningJobs, runningCapsByTenant);
  await store.migrate();
  return { store, rebuilds: await postgresRebuilds(sql), cleanup: () => sql.close() };
});

const server = await resolveTestPostgres('read store contract suite');
describeJobReadStoreContract('PostgreSQL', server && (async ({ tenantMaxRunningJobs, runningCapsByTenant }) => {
  const { sql, cleanup } = await openThrowawaySchema(server.url, 'rs_contract');
  const store = new PostgresJobReadStore(sql, CONTRACT_AGING_SECONDS_PER_LEVEL, tenantMaxRunningJobs, runningCapsByTenant);
  await store.migrate();
  return { store, rebuilds: await postgresRebuilds(sql), cleanup };
}));

const mongoUrl = process.env.TEST_MONGODB_URL;
if (mongoUrl) {
  describeJobReadStoreContract('MongoDB', async ({ tenantMaxRunningJobs, runningCapsByTenant }) => {
    const database = randomSchemaName('rs_contract');
    const store = await createMongoJobReadStore({
      url: mongoUrl, database, agingSecondsPerLevel: CONTRACT_AGING_SECONDS_PER_LEVEL, tenantMaxRunningJobs, runningCapsByTenant,
    });
    await store.migrate();
    // The views' events come from an in-process event store (PGlite): the rebuild only reads them.
    const eventsSql = await openMemoryPglite();
    const events = await createEventStoreOnClient(eventsSql, {});
    const rebuildClient = await MongoClient.connect(mongoUrl);
    return {
      store,
      rebuilds: { rebuilds: new MongoJobViewRebuilds(rebuildClient.db(database), events, CONTRACT_AGING_SECONDS_PER_LEVEL), events },
      async cleanup() {
        await store.close();
        await events.close();
        await eventsSql.close();
        await rebuildClient.close();
        const client = await MongoClient.connect(mongoUrl);
        try {
          await client.db(database).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  });
} else {
  console.warn('SKIPPED: MongoDB read store contract suite — set TEST_MONGODB_URL to run it');
  describeJobReadStoreContract('MongoDB', null);
}
