/**
 * One webhook delivery attempt over HTTP(S): resolves the host, checks every address
 * against the policy, connects only to a checked address, POSTs with a deadline, does not
 * follow redirects, and keeps at most a short excerpt of the response.
 */
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { WebhookAddressPolicy } from './webhook-address-policy.js';

/** What came of one attempt. */
export type WebhookAttemptOutcome =
  /** 2xx. */
  | 'delivered'
  /** 410 Gone: the receiver wants no more messages; no retry. */
  | 'gone'
  /** The URL or its addresses are not allowed: no retry. */
  | 'refused'
  /** Any other status, a timeout or a network error: retried with back-off. */
  | 'retry';

export interface WebhookAttemptResult {
  readonly outcome: WebhookAttemptOutcome;
  readonly responseStatus: number | null;
  /** Null when delivered; else why not, with an excerpt of the response body when there was one. */
  readonly error: string | null;
  readonly durationMs: number;
}

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** The part of the DNS resolver the poster needs (tests may resolve names to chosen addresses). */
export type ResolveHost = (host: string) => Promise<string[]>;

const systemResolve: ResolveHost = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const EXCERPT_BYTES = 200;

export class WebhookPoster {
  constructor(
    private readonly policy: WebhookAddressPolicy,
    private readonly timeoutMs = 10_000,
    private readonly resolve: ResolveHost = systemResolve,
  ) {}

  async post(request: WebhookRequest): Promise<WebhookAttemptResult> {
    const started = performance.now();
    const finish = (outcome: WebhookAttemptOutcome, responseStatus: number | null, error: string | null): WebhookAttemptResult =>
      ({ outcome, responseStatus, error, durationMs: Math.round(performance.now() - started) });
    const urlProblem = this.policy.urlProblem(request.url);
    if (urlProblem) return finish('refused', null, `refused: ${urlProblem}`);
    const url = new URL(request.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await this.resolve(host);
    } catch (error) {
      return finish('retry', null, `could not resolve ${host}: ${messageOf(error)}`);
    }
    const refusal = isIP(host) ? this.policy.addressProblem(host) : this.policy.resolvedProblem(host, addresses);
    if (refusal) return finish('refused', null, `refused: ${refusal}`);
    try {
      const { status, excerpt } = await this.send(url, request, addresses);
      if (status >= 200 && status < 300) return finish('delivered', status, null);
      const said = excerpt ? `: ${excerpt}` : '';
      if (status === 410) return finish('gone', status, `HTTP 410 Gone, the receiver asked for no more messages${said}`);
      if (status >= 300 && status < 400) return finish('retry', status, `HTTP ${status}: redirects are not followed${said}`);
      return finish('retry', status, `HTTP ${status}${said}`);
    } catch (error) {
      return finish('retry', null, messageOf(error));
    }
  }

  private send(url: URL, request: WebhookRequest, addresses: readonly string[]): Promise<{ status: number; excerpt: string }> {
    // Connect only to the addresses just checked, whatever the resolver would answer now.
    const pinned: LookupFunction = (_hostname, options, callback) => {
      const all = addresses.map((address) => ({ address, family: isIP(address) }));
      if ((options as { all?: boolean }).all) (callback as (e: null, a: typeof all) => void)(null, all);
      else callback(null, all[0].address, all[0].family);
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(url, {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body), 'user-agent': 'job-execution-webhooks/1' },
        lookup: pinned,
        signal: AbortSignal.timeout(this.timeoutMs),
        agent: false,
      }, (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept >= EXCERPT_BYTES) return;
          chunks.push(chunk);
          kept += chunk.length;
          // Enough for an excerpt: the rest of a large answer is not read.
          if (kept >= EXCERPT_BYTES) res.destroy();
        });
        const done = () => resolve({ status: res.statusCode ?? 0, excerpt: excerptOf(Buffer.concat(chunks)) });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      });
      req.on('error', (error) => reject(error.name === 'AbortError' || error.name === 'TimeoutError'
        ? new Error(`no answer within ${this.timeoutMs} ms`) : error));
      req.end(request.body);
    });
  }
}

function excerptOf(bytes: Buffer): string {
  const text = bytes.subarray(0, EXCERPT_BYTES).toString('utf8').replace(/\s+/g, ' ').trim();
  return bytes.length > EXCERPT_BYTES ? `${text}…` : text;
}

function messageOf(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return e?.code && e.message && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : e?.message ?? String(error);
}
