export {
  PostgresEventStore,
  createPostgresEventStore,
  createPgliteEventStore,
  createEventStoreOnClient,
  type PostgresEventStoreOptions,
  type StreamAppend,
  type StreamAppendOutcome,
  type CreatePostgresEventStoreOptions,
  type CreatePgliteEventStoreOptions,
} from './postgres-event-store.js';
export {
  openSqlClient,
  sqlClientFromPglite,
  quoteIdentifier,
  type SqlClient,
  type SqlExecutor,
  type SqlClientConfig,
  type PgClientConfig,
  type PgliteClientConfig,
} from './sql-client.js';
export { migrateEventStore, EVENT_STORE_SCHEMA_SQL, EVENTS_APPENDED_CHANNEL } from './schema.js';
