/**
 * Who may mint a token without one: only on the embedded store (the one process that owns
 * DATA_DIR and its signing secret, the same secret `npm run token` reads) and only for a
 * request made on this machine. A request is local when it arrives from a loopback address,
 * names a loopback host (so a DNS-rebinding page on another name cannot use it) and carries
 * no forwarding header (a reverse proxy on this machine would otherwise make every visitor
 * look local).
 */
import ipaddr from 'ipaddr.js';
import type { StoreLocations } from '../../../../../libs/config/src/store-locations.js';

/** How long a locally minted token lives, unless JWT_MAX_TTL_SECONDS is shorter. */
export const LOCAL_TOKEN_TTL_SECONDS = 8 * 3600;

export interface LocalRequest {
  readonly remoteAddress: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type LocalSignInRefusal = { readonly status: 404 | 403; readonly reason: string } | null;

const LOOPBACK_HOST_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address || !ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'loopback';
}

/** The host name of a Host header, without its port (`[::1]:3000` → `[::1]`). */
function hostNameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  return trimmed.split(':')[0]!;
}

/** Null when a local sign-in may be served; else the status to answer and why. */
export function localSignInRefusal(stores: StoreLocations, request: LocalRequest): LocalSignInRefusal {
  if (stores.state.kind !== 'embedded') {
    return { status: 404, reason: 'Local sign-in exists only on the embedded store; sign in with a token' };
  }
  const host = request.headers['host'];
  const forwarded = FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined);
  if (forwarded || !isLoopbackAddress(request.remoteAddress) || typeof host !== 'string' || !LOOPBACK_HOST_NAMES.has(hostNameOf(host))) {
    return { status: 403, reason: 'Local sign-in is only for a browser on this machine (http://localhost or http://127.0.0.1); sign in with a token' };
  }
  return null;
}
