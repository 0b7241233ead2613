/**
 * A private PostgreSQL cluster for tests that must stop and start the server (a restart
 * mid-run): initdb into a temp folder, one port on 127.0.0.1, its own socket folder. The
 * machine's shared server is never touched. Suites call `resolveThrowawayCluster()` at
 * module load and either run or `describe.skip`: on CI missing binaries are a failure,
 * locally a loud warning.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ThrowawayPostgresCluster {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** The cluster's data folder (its `postmaster.pid` names the server's process). */
  readonly dataDir: string;
  /** The server's log (stderr of the postmaster), e.g. for statement logging. */
  readonly logFile: string;
  /** `immediate` is a crash (no checkpoint, connections cut at once); `fast` a clean shutdown. */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts the stopped cluster again on the same port; returns once it accepts connections. */
  start(): void;
  /** Stops the cluster (if running) and removes its folder. */
  cleanup(): void;
}

/** The folder holding initdb and pg_ctl, or null when no PostgreSQL server binaries are installed. */
export function findPostgresBinDir(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config on PATH
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    // Newest major version first.
    const versions = readdirSync(debianRoot).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debianRoot, v, 'bin')));
  }
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) ?? null;
}

/**
 * Returns the bin folder when a private cluster can be created, else null after a
 * `SKIPPED:` warning naming `suite`; with CI=true it throws instead, so CI cannot pass by skipping.
 */
export function resolveThrowawayCluster(suite: string): string | null {
  const binDir = findPostgresBinDir();
  if (binDir) return binDir;
  if (process.env.CI === 'true') throw new Error(`${suite}: no PostgreSQL server binaries (initdb, pg_ctl) found; required when CI=true`);
  console.warn(`SKIPPED: ${suite} — no PostgreSQL server binaries (initdb, pg_ctl) found; install PostgreSQL to run it`);
  return null;
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** initdb refuses to run as root: then the cluster belongs to the `postgres` OS user. */
function runAsOwner(owner: { uid: number; gid: number } | null): (file: string, args: string[]) => string {
  return (file, args) => {
    const [command, commandArgs] = owner ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    return execFileSync(command, commandArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  };
}

function postgresOsUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export interface ThrowawayClusterOptions {
  /** Extra `postgresql.conf` lines (e.g. `shared_preload_libraries = 'pg_stat_statements'`); later lines win. */
  readonly settings?: readonly string[];
}

export async function createThrowawayPostgresCluster(
  binDir: string, options: ThrowawayClusterOptions = {},
): Promise<ThrowawayPostgresCluster> {
  const owner = process.getuid?.() === 0 ? postgresOsUser() : null;
  const run = runAsOwner(owner);
  const root = mkdtempSync(path.join(os.tmpdir(), 'pg-cluster-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  const pgCtl = path.join(binDir, 'pg_ctl');
  const port = await freePort();
  let running = false;

  const serverLog = () => (existsSync(logFile) ? execFileSync('tail', ['-n', '30', logFile], { encoding: 'utf8' }) : '');
  const stop = (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    run(pgCtl, ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '30']);
    running = false;
  };
  const start = () => {
    if (running) return;
    try {
      run(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '30']);
    } catch (error) {
      throw new Error(`the private PostgreSQL cluster did not start: ${String(error)}\n${serverLog()}`);
    }
    running = true;
  };
  const cleanup = () => {
    try {
      stop('immediate');
    } finally {
      process.removeListener('exit', onExit);
      rmSync(root, { recursive: true, force: true });
    }
  };
  // A test run that dies must not leave a server behind.
  const onExit = () => {
    try {
      if (running) run(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
    } catch {
      // best effort on the way out
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  try {
    run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // fsync off: the machine does not crash in these tests, only the server; the WAL still
    // reaches the OS before a commit is acknowledged (synchronous_commit stays on).
    appendFileSync(path.join(dataDir, 'postgresql.conf'), [
      '', `port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${root}'`,
      'fsync = off', 'full_page_writes = off', 'shared_buffers = 32MB', 'max_connections = 100', ...(options.settings ?? []), '',
    ].join('\n'));
    start();
  } catch (error) {
    cleanup();
    throw error;
  }
  return { port, url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir, logFile, stop, start, cleanup };
}
