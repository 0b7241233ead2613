/**
 * Starts the built service (dist/) as a real process on a free port with its own
 * data folder, for end-to-end tests over HTTP. `npm test` builds before running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TOKEN_AUDIENCE, issueToken, type Role } from '../../libs/auth/src/token.js';
import { seedEmbeddedStore } from './pglite-templates.js';
import { RUNNING_EXAMPLE_CSV } from './fixtures.js';

const MAIN = path.resolve('dist/apps/api/src/main.js');
/** 40 bytes: the service refuses secrets shorter than 32. */
export const TEST_JWT_SECRET = 'e2e-test-secret-0123456789abcdef-0123456';

export interface ServiceProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly process: ChildProcess;
  token(tenantId: string, projects: string[], subject?: string, roles?: Role[], ttlSeconds?: number): Promise<string>;
  /** Stops the process (SIGTERM, or SIGKILL to simulate a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

/**
 * `nodeArguments` go to node before the script (a benchmark's `--cpu-prof`, which NODE_OPTIONS
 * refuses). A new embedded store starts from the run's initialised template unless
 * `freshStore` asks for the service's own first start (initdb).
 */
export async function startServiceProcess(
  env: Record<string, string> = {}, reuseDataDir?: string, nodeArguments: readonly string[] = [],
  { freshStore = false }: { freshStore?: boolean } = {},
): Promise<ServiceProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  const dataDir = reuseDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-'));
  const storeUrls = ['DATABASE_URL', 'EVENT_STORE_URL', 'READ_STORE_URL'].some((name) => (env[name] ?? process.env[name] ?? '') !== '');
  if (!reuseDataDir && !storeUrls && !freshStore) seedEmbeddedStore(dataDir);
  const child = spawn(process.execPath, [...nodeArguments, MAIN], {
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, JWT_SECRET: TEST_JWT_SECRET,
      // No block read threads (and so no import warm-up, a second of CPU at every start) unless a
      // test asks for them: the suite starts many services beside timing-bound suites. The threads
      // are tested in block-thread.int.spec.ts, the importer's and the dataset upload e2e suites.
      DATASET_IMPORT_READ_THREADS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start in time:\n${output}`)), 60_000);
    const onData = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${output}`));
    });
  });
  const secret = new TextEncoder().encode(env.JWT_SECRET ?? TEST_JWT_SECRET);
  const audience = env.JWT_AUDIENCE ?? DEFAULT_TOKEN_AUDIENCE;
  return {
    url,
    dataDir,
    process: child,
    token: (tenantId, projects, subject = 'e2e-user', roles = ['operator'], ttl = 3600) =>
      issueToken(secret, { tenantId, projects, subject, roles }, ttl, audience),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    },
    output: () => output,
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** fetch with a Bearer token and JSON body. */
export async function api(
  base: string, token: string | null, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${base}${urlPath}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array) ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (artifact downloads)
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export { waitFor } from './wait-for.js';


/** Uploads an event log file as a dataset of `base` (/api/{tenant}/{project}); returns its id. */
export async function uploadDataset(
  service: ServiceProcess, token: string, base: string, file = RUNNING_EXAMPLE_CSV, contentType = 'text/csv',
): Promise<string> {
  const res = await api(service.url, token, 'POST', `${base}/datasets?name=${encodeURIComponent(path.basename(file))}`, readFileSync(file), { 'Content-Type': contentType });
  if (res.status !== 201) throw new Error(`dataset upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.datasetId;
}
