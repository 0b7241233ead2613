/**
 * Where each store lives: EVENT_STORE_URL and READ_STORE_URL pick the event store and the
 * job views; everything else (datasets, process models, notifications, job logs, leader
 * election) stays on the state store, DATABASE_URL or the embedded database. Both URLs
 * default to the state store.
 */

export const EVENT_STORE_SCHEMES = ['postgres', 'postgresql', 'kurrentdb', 'kurrentdb+discover', 'esdb', 'esdb+discover'] as const;
export const READ_STORE_SCHEMES = ['postgres', 'postgresql', 'mongodb', 'mongodb+srv'] as const;

/** The state store: a PostgreSQL server (DATABASE_URL) or the embedded database in DATA_DIR. */
export type StateStoreLocation = { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'embedded' };

export type EventStoreLocation =
  | { readonly kind: 'state' }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'kurrentdb'; readonly url: string };

export type ReadStoreLocation =
  | { readonly kind: 'state' }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'mongodb'; readonly url: string; readonly database: string };

export interface StoreLocations {
  readonly state: StateStoreLocation;
  readonly events: EventStoreLocation;
  readonly views: ReadStoreLocation;
}

function schemeOf(variable: string, raw: string, accepted: readonly string[]): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  const scheme = match?.[1].toLowerCase();
  if (!scheme || !accepted.includes(scheme)) {
    throw new Error(`${variable} must be a URL with one of the schemes ${accepted.map((s) => `${s}://`).join(', ')}; got "${redact(raw)}"`);
  }
  return scheme;
}

/** A URL as it may appear in a message: without its password. */
function redact(raw: string): string {
  return raw.replace(/^([^:]+:\/\/[^:/@]*):[^@]*@/, '$1:***@');
}

/** Two PostgreSQL URLs naming the same database (host, port, database and user; the password aside). */
export function samePostgresDatabase(a: string, b: string): boolean {
  const key = (raw: string) => {
    const url = new URL(raw.replace(/^postgresql:/i, 'postgres:'));
    return `${url.username}@${url.hostname.toLowerCase()}:${url.port || '5432'}${decodeURIComponent(url.pathname) || '/'}`;
  };
  return key(a) === key(b);
}

function mongoDatabaseOf(raw: string): string {
  const name = decodeURIComponent(new URL(raw).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`READ_STORE_URL must name the MongoDB database in its path (mongodb://host:27017/jobs?replicaSet=rs0); got "${redact(raw)}"`);
  return name;
}

export function parseEventStoreUrl(raw: string | undefined, state: StateStoreLocation): EventStoreLocation {
  if (!raw) return { kind: 'state' };
  const scheme = schemeOf('EVENT_STORE_URL', raw, EVENT_STORE_SCHEMES);
  if (scheme.startsWith('postgres')) {
    return state.kind === 'postgres' && samePostgresDatabase(raw, state.url) ? { kind: 'state' } : { kind: 'postgres', url: raw };
  }
  return { kind: 'kurrentdb', url: raw };
}

export function parseReadStoreUrl(raw: string | undefined, state: StateStoreLocation): ReadStoreLocation {
  if (!raw) return { kind: 'state' };
  const scheme = schemeOf('READ_STORE_URL', raw, READ_STORE_SCHEMES);
  if (scheme.startsWith('postgres')) {
    return state.kind === 'postgres' && samePostgresDatabase(raw, state.url) ? { kind: 'state' } : { kind: 'postgres', url: raw };
  }
  return { kind: 'mongodb', url: raw, database: mongoDatabaseOf(raw) };
}

export function loadStoreLocations(env: NodeJS.ProcessEnv): StoreLocations {
  const state: StateStoreLocation = env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'embedded' };
  if (env.DATABASE_URL) schemeOf('DATABASE_URL', env.DATABASE_URL, ['postgres', 'postgresql']);
  return { state, events: parseEventStoreUrl(env.EVENT_STORE_URL, state), views: parseReadStoreUrl(env.READ_STORE_URL, state) };
}

/**
 * True when the job views can be written in the transaction of the append (ADR 0006): both
 * in one PostgreSQL database (or both on the embedded store).
 */
export function viewsShareTheEventStore(locations: StoreLocations): boolean {
  const { events, views } = locations;
  if (events.kind === 'state' && views.kind === 'state') return true;
  return events.kind === 'postgres' && views.kind === 'postgres' && samePostgresDatabase(events.url, views.url);
}

/**
 * Refuses a layout a process cannot run with. A worker process shares every store with the
 * API, so none may be the API's embedded database; the embedded store is one process's alone.
 */
export function checkStoreLocations(locations: StoreLocations, process: 'api' | 'worker'): void {
  if (process === 'worker' && locations.state.kind === 'embedded') {
    const external = [locations.events.kind !== 'state' ? 'EVENT_STORE_URL' : null, locations.views.kind !== 'state' ? 'READ_STORE_URL' : null]
      .filter((name) => name !== null);
    throw new Error(external.length > 0
      ? `apps/worker needs DATABASE_URL even with ${external.join(' and ')} set: datasets, notifications, job logs and leader election live on the state store, and the embedded one belongs to the API process`
      : 'apps/worker needs DATABASE_URL: the embedded store belongs to the API process, which runs its own worker');
  }
}
