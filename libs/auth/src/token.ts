/**
 * Bearer tokens: HS256 JWTs carrying the tenant, its projects, the subject and roles.
 * `projects: ["*"]` grants every project of the tenant. A token must name this service as
 * its audience and carry `iat` and `exp` no further apart than the configured maximum, so
 * a token minted for another service or a near-eternal one is refused.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { JOB_PRIORITIES, type JobPriority } from '../../job-domain/src/job.types.js';

export const TOKEN_ISSUER = 'pm-job-execution';
/** Default audience (`JWT_AUDIENCE`): the service's name. */
export const DEFAULT_TOKEN_AUDIENCE = 'pm-job-execution';
/** Default longest token lifetime (`JWT_MAX_TTL_SECONDS`): one day. */
export const DEFAULT_TOKEN_MAX_TTL_SECONDS = 24 * 3600;
/** HS256 needs a key at least as long as its 256-bit output to keep its strength (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;
/** Clock skew allowed between the issuer and this service for `iat`. */
const CLOCK_TOLERANCE_SECONDS = 60;
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  readonly subject: string;
  readonly tenantId: string;
  /** Project ids, or ['*'] for all projects of the tenant. */
  readonly projects: readonly string[];
  readonly roles: readonly Role[];
  /** When the token stops being valid (epoch ms). */
  readonly expiresAtMs: number;
}

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** What a token must satisfy besides its signature (`JWT_AUDIENCE`, `JWT_MAX_TTL_SECONDS`). */
export interface TokenPolicy {
  readonly audience: string;
  readonly maxTtlSeconds: number;
  /** Where the service's secret comes from, so a token signed with another one is refused saying how to make a good one. */
  readonly secretOrigin?: 'JWT_SECRET' | 'DATA_DIR';
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = { audience: DEFAULT_TOKEN_AUDIENCE, maxTtlSeconds: DEFAULT_TOKEN_MAX_TTL_SECONDS };

/**
 * The signing secret: JWT_SECRET, else one generated once into the data folder. A secret
 * shorter than MIN_SECRET_BYTES is refused (the service does not start with it).
 */
export function resolveSigningSecret(configured: string | null, dataDir: string): Uint8Array {
  if (configured) return checkedSecret(new TextEncoder().encode(configured), 'JWT_SECRET');
  const file = signingSecretFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return checkedSecret(new TextEncoder().encode(readFileSync(file, 'utf8').trim()), `the secret in ${file}`);
}

/** The secret the service generates into its data folder when JWT_SECRET is not set. */
export function signingSecretFile(dataDir: string): string {
  return path.join(dataDir, 'jwt-secret');
}

/**
 * A short name of the secret, carried as the `kid` of issued tokens: a token made with
 * another secret (another DATA_DIR) is refused saying so. An HMAC of a fixed text under the
 * secret tells nothing about it that a signed token does not already.
 */
export function signingKeyId(secret: Uint8Array): string {
  return createHmac('sha256', secret).update('pm-job-execution key id').digest('base64url').slice(0, 12);
}

function checkedSecret(secret: Uint8Array, source: string): Uint8Array {
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new Error(
      `${source} is ${secret.byteLength} bytes; at least ${MIN_SECRET_BYTES} are required (e.g. \`openssl rand -hex 32\`)`,
    );
  }
  return secret;
}

export async function issueToken(
  secret: Uint8Array, principal: Omit<Principal, 'expiresAtMs'>, ttlSeconds: number, audience = DEFAULT_TOKEN_AUDIENCE,
): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ tenant: principal.tenantId, projects: principal.projects, roles: principal.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: signingKeyId(secret) })
    .setSubject(principal.subject)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(secret);
}

export async function verifyToken(secret: Uint8Array, token: string, policy: TokenPolicy = DEFAULT_TOKEN_POLICY): Promise<Principal> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, secret, {
      issuer: TOKEN_ISSUER, audience: policy.audience, algorithms: ['HS256'], requiredClaims: ['exp', 'iat'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      if (error.claim === 'aud') throw new InvalidTokenError(`token is not for this service (audience must be "${policy.audience}")`);
      if (error.claim === 'exp' || error.claim === 'iat') throw new InvalidTokenError(`token must carry ${error.claim}`);
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw signedWithAnotherSecret(secret, token, policy);
    throw new InvalidTokenError('token invalid');
  }
  const { sub, tenant, projects, roles, exp, iat } = payload as Record<string, unknown>;
  if (typeof exp !== 'number' || typeof iat !== 'number') throw new InvalidTokenError('token must carry exp and iat');
  if (exp - iat > policy.maxTtlSeconds) {
    throw new InvalidTokenError(`token lifetime exceeds the maximum of ${policy.maxTtlSeconds} seconds`);
  }
  // An iat in the future would let exp - iat understate how long the token lives from now.
  if (iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) throw new InvalidTokenError('token issued in the future');
  if (typeof sub !== 'string' || !sub) throw new InvalidTokenError('token has no subject');
  if (typeof tenant !== 'string' || !tenant) throw new InvalidTokenError('token has no tenant');
  if (!Array.isArray(projects) || !projects.every((p) => typeof p === 'string')) throw new InvalidTokenError('token has no projects');
  const knownRoles = Array.isArray(roles) ? roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [];
  return {
    subject: sub, tenantId: tenant.toLowerCase(), projects: projects.map((p: string) => p.toLowerCase()), roles: knownRoles,
    expiresAtMs: exp * 1000,
  };
}

/** The refusal of a token whose signature does not match: which key signed it, which one this service has, and how to pair them. */
function signedWithAnotherSecret(secret: Uint8Array, token: string, policy: TokenPolicy): InvalidTokenError {
  const ours = signingKeyId(secret);
  let theirs: unknown;
  try {
    theirs = decodeProtectedHeader(token).kid;
  } catch {
    theirs = undefined;
  }
  // Our key id with a wrong signature: the token was altered, not made with another secret.
  if (theirs === ours) return new InvalidTokenError('token invalid');
  const remedy = policy.secretOrigin === 'JWT_SECRET' ? ": sign tokens with this service's JWT_SECRET"
    : policy.secretOrigin === 'DATA_DIR' ? ": run npm run token with this service's DATA_DIR (or its JWT_SECRET)" : '';
  // The caller's text goes back to the caller only when it looks like a key id.
  const signer = typeof theirs !== 'string' ? 'no key id' : /^[\w-]{1,64}$/.test(theirs) ? `key id ${theirs}` : 'an unreadable key id';
  return new InvalidTokenError(`token signed with a different secret (${signer}; this service's key id is ${ours})${remedy}`);
}

export function canAccessTenant(principal: Principal, tenantId: string): boolean {
  return principal.tenantId === tenantId.toLowerCase();
}

export function canAccessProject(principal: Principal, tenantId: string, projectId: string): boolean {
  return canAccessTenant(principal, tenantId) && (principal.projects.includes('*') || principal.projects.includes(projectId.toLowerCase()));
}

/** Any role at all: a token without one reads nothing. */
export function canRead(principal: Principal): boolean {
  return principal.roles.length > 0;
}

export function canWrite(principal: Principal): boolean {
  return principal.roles.includes('operator') || principal.roles.includes('admin');
}

/** The highest job priority the caller may use: any for an admin, up to `operatorCap` otherwise. */
export function highestPriorityFor(principal: Principal, operatorCap: JobPriority): JobPriority {
  return principal.roles.includes('admin') ? JOB_PRIORITIES[JOB_PRIORITIES.length - 1]! : operatorCap;
}
