/**
 * Idle processes are quiet: an API process (with its own worker slots) and a standalone
 * worker on a private PostgreSQL cluster that logs every statement with the sending
 * process's application_name, with SMTP configured (so the notification sender runs too).
 * After start-up has settled, each may issue at most one SQL statement per second while
 * nothing happens. Prints what each process sent.
 */
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { readRoleLeaders } from '../../libs/lifecycle/src/postgres-leader-election.js';
import { removeDataDir, startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import {
  createThrowawayPostgresCluster, resolveThrowawayCluster, type ThrowawayPostgresCluster,
} from '../support/throwaway-postgres-cluster.js';
import { quietPeriod, waitFor } from '../support/wait-for.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const binDir = resolveThrowawayCluster('idle statement rate suite');
const WINDOW_SECONDS = 60;
const MAX_STATEMENTS_PER_SECOND = 1;
const API_NAME = 'idle-api';
const WORKER_NAME = 'idle-worker';

/** `name|LOG:  statement: …` or `name|LOG:  execute <name>: …` (log_line_prefix '%a|'). */
const STATEMENT_LINE = /^([^|\n]*)\|LOG:\s+(?:statement|execute [^:]*):\s*(.*)$/;

function statementsByProcess(log: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const lines = log.split('\n');
  for (const [index, line] of lines.entries()) {
    const match = STATEMENT_LINE.exec(line);
    if (!match) continue;
    const list = seen.get(match[1]) ?? [];
    // A statement starting with a line break goes on in the next log line.
    const text = match[2].trim() || (lines[index + 1] ?? '').trim();
    list.push(text.replace(/\s+/g, ' ').slice(0, 90));
    seen.set(match[1], list);
  }
  return seen;
}

function summary(statements: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of statements) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([s, n]) => `  ${String(n).padStart(4)} × ${s}`).join('\n');
}

(binDir ? describe : describe.skip)('idle processes on PostgreSQL', () => {
  let cluster: ThrowawayPostgresCluster;
  let api: ServiceProcess;
  let worker: WorkerProcess;
  let smtp: SMTPServer;

  beforeAll(async () => {
    smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], onData: (stream, _session, done) => stream.resume().on('end', () => done()) });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    cluster = await createThrowawayPostgresCluster(binDir!, { settings: ["log_statement = 'all'", "log_line_prefix = '%a|'"] });
    api = await startServiceProcess({ DATABASE_URL: cluster.url, PGAPPNAME: API_NAME, WORKER_CAPACITY: '1', SMTP_URL: smtpUrl });
    worker = await startWorkerProcess('idle-node', { DATABASE_URL: cluster.url, DATA_DIR: api.dataDir, PGAPPNAME: WORKER_NAME, SMTP_URL: smtpUrl });
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    if (api) removeDataDir(api.dataDir);
    cluster?.cleanup();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  it(`issue at most ${MAX_STATEMENTS_PER_SECOND} statement per second per process over ${WINDOW_SECONDS} s`, async () => {
    const observer = new pg.Client({ connectionString: cluster.url, application_name: 'observer' });
    await observer.connect();
    try {
      // Settled: every role has its leader (the API started first), and both processes have heartbeated.
      const sql = { query: async <Row>(text: string, params?: readonly unknown[]) => (await observer.query(text, params as unknown[])).rows as Row[] };
      await waitFor(async () => (await readRoleLeaders(sql)).every((l) => l.pid !== null), 20_000, 200, 'every role to be led');
      await waitFor(async () => (await observer.query('SELECT count(*)::int AS n FROM execution_nodes')).rows[0].n === 2, 20_000, 200, 'both nodes to heartbeat');
    } finally {
      await observer.end();
    }
    await quietPeriod(2000); // start-up statements (migrations, first claim rounds) are behind us
    const from = statSync(cluster.logFile).size;
    const startedAt = Date.now();
    await quietPeriod(WINDOW_SECONDS * 1000); // the subject: nothing happens, so nothing is asked
    const seconds = (Date.now() - startedAt) / 1000;
    const log = readFileSync(cluster.logFile).subarray(from).toString('utf8');
    const seen = statementsByProcess(log);
    const report = [API_NAME, WORKER_NAME].map((name) => {
      const statements = seen.get(name) ?? [];
      return `${name}: ${statements.length} statements in ${seconds.toFixed(1)} s = ${(statements.length / seconds).toFixed(2)}/s\n${summary(statements)}`;
    }).join('\n');
    console.log(`idle statements per process\n${report}`);
    for (const name of [API_NAME, WORKER_NAME]) {
      const count = seen.get(name)?.length ?? 0;
      expect(count).toBeGreaterThan(0); // attributed at all: heartbeats at least
      expect(count / seconds).toBeLessThanOrEqual(MAX_STATEMENTS_PER_SECOND);
    }
  }, WINDOW_SECONDS * 1000 + 60_000);
});
