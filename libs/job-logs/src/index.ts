export * from './job-log.js';
export * from './job-log-buffer.js';
export { PostgresJobLogStore, insertJobLogLinesFrom, serializeJobLogLines } from './postgres/postgres-job-log-store.js';
