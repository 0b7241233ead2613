/**
 * Bearer tokens: HS256 JWTs carrying the tenant, its projects, the subject and roles.
 * `projects: ["*"]` grants every project of the tenant.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';

export const TOKEN_ISSUER = 'pm-job-execution';
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

/** The signing secret: JWT_SECRET, else one generated once into the data folder. */
export function resolveSigningSecret(configured: string | null, dataDir: string): Uint8Array {
  if (configured) return new TextEncoder().encode(configured);
  const file = path.join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export async function issueToken(secret: Uint8Array, principal: Omit<Principal, 'expiresAtMs'>, ttlSeconds: number): Promise<string> {
  return new SignJWT({ tenant: principal.tenantId, projects: principal.projects, roles: principal.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.subject)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(secret);
}

export async function verifyToken(secret: Uint8Array, token: string): Promise<Principal> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, secret, { issuer: TOKEN_ISSUER, algorithms: ['HS256'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token expired');
    throw new InvalidTokenError('token invalid');
  }
  const { sub, tenant, projects, roles, exp } = payload as Record<string, unknown>;
  if (typeof exp !== 'number') throw new InvalidTokenError('token has no expiry');
  if (typeof sub !== 'string' || !sub) throw new InvalidTokenError('token has no subject');
  if (typeof tenant !== 'string' || !tenant) throw new InvalidTokenError('token has no tenant');
  if (!Array.isArray(projects) || !projects.every((p) => typeof p === 'string')) throw new InvalidTokenError('token has no projects');
  const knownRoles = Array.isArray(roles) ? roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [];
  return {
    subject: sub, tenantId: tenant.toLowerCase(), projects: projects.map((p: string) => p.toLowerCase()), roles: knownRoles,
    expiresAtMs: exp * 1000,
  };
}

export function canAccessTenant(principal: Principal, tenantId: string): boolean {
  return principal.tenantId === tenantId.toLowerCase();
}

export function canAccessProject(principal: Principal, tenantId: string, projectId: string): boolean {
  return canAccessTenant(principal, tenantId) && (principal.projects.includes('*') || principal.projects.includes(projectId.toLowerCase()));
}

export function canWrite(principal: Principal): boolean {
  return principal.roles.includes('operator') || principal.roles.includes('admin');
}
