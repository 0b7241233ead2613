/**
 * Where `pmjobs login` keeps the service's address and the token: PMJOBS_CONFIG names the file,
 * else config.json in the user's config folder (XDG_CONFIG_HOME or ~/.config/pmjobs on Linux,
 * ~/Library/Preferences/pmjobs on macOS, %APPDATA%\pmjobs\Config on Windows). Only its owner may read it (0600).
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';

export interface CliConfig {
  readonly url: string;
  readonly token: string;
  readonly tenantId: string;
  readonly projectId: string;
}

export class NotLoggedInError extends Error {
  constructor(file: string) {
    super(`not logged in (no ${file}): run pmjobs login --url <service> --token <token> first`);
  }
}

export function configFile(): string {
  return process.env.PMJOBS_CONFIG || path.join(envPaths('pmjobs', { suffix: '' }).config, 'config.json');
}

export async function readConfig(): Promise<CliConfig> {
  const file = configFile();
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new NotLoggedInError(file);
    throw error;
  });
  return JSON.parse(text) as CliConfig;
}

export async function writeConfig(config: CliConfig): Promise<string> {
  const file = configFile();
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies to a new file only: an older one keeps its mode otherwise.
  await chmod(file, 0o600);
  return file;
}

/** The claims a token names (not verified here: the service does that on every request). */
export function tokenClaims(token: string): { tenant?: string; projects?: string[]; sub?: string } {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { tenant?: string; projects?: string[]; sub?: string };
  } catch {
    return {};
  }
}
