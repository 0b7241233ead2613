/**
 * Starts the built standalone execution node (dist/apps/worker) as a real process, for
 * end-to-end suites that run several processes on one PostgreSQL database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_JWT_SECRET } from './service-process.js';
import { waitFor } from './wait-for.js';

const WORKER_MAIN = path.resolve('dist/apps/worker/src/main.js');

export interface WorkerProcess {
  readonly nodeId: string;
  readonly process: ChildProcess;
  output(): string;
  /** SIGTERM (a clean stop) or SIGKILL (a crash); resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `env` must name DATABASE_URL (and DATA_DIR, the folder whose `files` the API shares). */
export async function startWorkerProcess(nodeId: string, env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET, NODE_ID: nodeId, WORKER_CAPACITY: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`worker ${nodeId} exited with ${child.exitCode}:\n${output}`);
    return output.includes(`execution node ${nodeId} running`);
  }, 30_000, 50, `worker ${nodeId} to start`);
  return {
    nodeId,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
