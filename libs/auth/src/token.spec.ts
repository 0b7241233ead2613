import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, decodeProtectedHeader } from 'jose';
import {
  DEFAULT_TOKEN_AUDIENCE, InvalidTokenError, TOKEN_ISSUER, canRead, highestPriorityFor, issueToken, resolveSigningSecret, signingKeyId,
  verifyToken, type Principal,
} from './token.js';

const secret = new TextEncoder().encode('unit-test-secret-0123456789abcdef-0123');
const policy = { audience: DEFAULT_TOKEN_AUDIENCE, maxTtlSeconds: 3600 };
const principal = { subject: 'ann', tenantId: '11111111-1111-4111-8111-111111111111', projects: ['*'], roles: ['operator'] as const };
const now = () => Math.floor(Date.now() / 1000);

/** A token with the claims given (undefined leaves a claim out). */
function signed(claims: { aud?: string; iat?: number; exp?: number; roles?: unknown }): Promise<string> {
  const jwt = new SignJWT({ tenant: principal.tenantId, projects: ['*'], roles: claims.roles ?? ['operator'] })
    .setProtectedHeader({ alg: 'HS256' }).setSubject('ann').setIssuer(TOKEN_ISSUER);
  if (claims.aud !== undefined) jwt.setAudience(claims.aud);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(secret);
}

async function refusal(token: Promise<string>): Promise<string> {
  const error = await verifyToken(secret, await token, policy).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

describe('verifyToken', () => {
  it('accepts a token issued for this audience within the lifetime', async () => {
    const verified = await verifyToken(secret, await issueToken(secret, principal, 3600), policy);
    expect(verified).toMatchObject({ subject: 'ann', tenantId: principal.tenantId, roles: ['operator'] });
  });

  it('refuses a token without an audience, or for another one', async () => {
    expect(await refusal(signed({ iat: now(), exp: now() + 60 }))).toMatch(/audience/);
    expect(await refusal(signed({ aud: 'another-service', iat: now(), exp: now() + 60 }))).toMatch(/audience must be "pm-job-execution"/);
    expect(await refusal(issueToken(secret, principal, 60, 'another-service'))).toMatch(/audience/);
  });

  it('refuses a token without exp or without iat', async () => {
    expect(await refusal(signed({ aud: DEFAULT_TOKEN_AUDIENCE, iat: now() }))).toMatch(/exp/);
    expect(await refusal(signed({ aud: DEFAULT_TOKEN_AUDIENCE, exp: now() + 60 }))).toMatch(/iat/);
  });

  it('refuses a lifetime beyond the maximum, and an iat in the future that would hide one', async () => {
    expect(await refusal(signed({ aud: DEFAULT_TOKEN_AUDIENCE, iat: now(), exp: now() + 3601 }))).toMatch(/maximum of 3600 seconds/);
    await expect(verifyToken(secret, await signed({ aud: DEFAULT_TOKEN_AUDIENCE, iat: now(), exp: now() + 3600 }), policy)).resolves.toBeDefined();
    expect(await refusal(signed({ aud: DEFAULT_TOKEN_AUDIENCE, iat: now() + 86_400, exp: now() + 86_400 + 60 }))).toMatch(/future/);
  });

  it('keeps no unknown role, so a token with none can read nothing', async () => {
    const verified = await verifyToken(secret, await signed({ aud: DEFAULT_TOKEN_AUDIENCE, iat: now(), exp: now() + 60, roles: ['root'] }), policy);
    expect(verified.roles).toEqual([]);
    expect(canRead(verified)).toBe(false);
    expect(canRead({ ...verified, roles: ['viewer'] })).toBe(true);
  });
});

describe('key ids: a token made with another secret', () => {
  const other = new TextEncoder().encode('another-unit-test-secret-0123456789abcdef');

  it('is a short digest of the secret, the same for the same secret, carried as the kid of issued tokens', async () => {
    expect(signingKeyId(secret)).toMatch(/^[\w-]{12}$/);
    expect(signingKeyId(new Uint8Array(secret))).toBe(signingKeyId(secret));
    expect(signingKeyId(other)).not.toBe(signingKeyId(secret));
    expect(decodeProtectedHeader(await issueToken(secret, principal, 60)).kid).toBe(signingKeyId(secret));
  });

  it('is refused naming both key ids and, where the service says where its secret comes from, how to make a good one', async () => {
    const foreign = await issueToken(other, principal, 60);
    const named = `token signed with a different secret (key id ${signingKeyId(other)}; this service's key id is ${signingKeyId(secret)})`;
    expect(await refusal(Promise.resolve(foreign))).toBe(named);
    const fromDataDir = await verifyToken(secret, foreign, { ...policy, secretOrigin: 'DATA_DIR' }).catch((e: Error) => e.message);
    expect(fromDataDir).toBe(`${named}: run npm run token with this service's DATA_DIR (or its JWT_SECRET)`);
    const fromEnv = await verifyToken(secret, foreign, { ...policy, secretOrigin: 'JWT_SECRET' }).catch((e: Error) => e.message);
    expect(fromEnv).toBe(`${named}: sign tokens with this service's JWT_SECRET`);
  });

  it('says so without a key id too; an altered token carrying our key id is only invalid', async () => {
    const withoutKeyId = await new SignJWT({ tenant: principal.tenantId, projects: ['*'], roles: ['operator'] })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('ann').setIssuer(TOKEN_ISSUER).setAudience(DEFAULT_TOKEN_AUDIENCE)
      .setIssuedAt().setExpirationTime('1m').sign(other);
    expect(await refusal(Promise.resolve(withoutKeyId))).toMatch(/^token signed with a different secret \(no key id; /);
    const oddKeyId = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: '<script>'.repeat(20) }).sign(other);
    expect(await refusal(Promise.resolve(oddKeyId))).toMatch(/^token signed with a different secret \(an unreadable key id; /);
    const [header, payload, signature] = (await issueToken(secret, principal, 60)).split('.');
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), roles: ['admin'] })).toString('base64url')}.${signature}`;
    expect(await refusal(Promise.resolve(altered))).toBe('token invalid');
  });
});

describe('resolveSigningSecret', () => {
  it('refuses a secret shorter than 32 bytes, counting bytes not characters', () => {
    expect(() => resolveSigningSecret('short', os.tmpdir())).toThrow(/JWT_SECRET is 5 bytes; at least 32 are required/);
    expect(() => resolveSigningSecret('é'.repeat(15), os.tmpdir())).toThrow(/30 bytes/);
    expect(resolveSigningSecret('é'.repeat(16), os.tmpdir()).byteLength).toBe(32);
  });

  it('generates a long enough secret once, and refuses a truncated secret file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jwt-secret-'));
    try {
      const generated = resolveSigningSecret(null, dir);
      expect(generated.byteLength).toBeGreaterThanOrEqual(32);
      expect(resolveSigningSecret(null, dir)).toEqual(generated);
      writeFileSync(path.join(dir, 'jwt-secret'), 'abc');
      expect(() => resolveSigningSecret(null, dir)).toThrow(/3 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('highestPriorityFor', () => {
  const as = (roles: Principal['roles']): Principal => ({ ...principal, roles, expiresAtMs: 0 });
  it('gives admins every priority and operators the configured cap', () => {
    expect(highestPriorityFor(as(['admin']), 'High')).toBe('Critical');
    expect(highestPriorityFor(as(['operator']), 'High')).toBe('High');
    expect(highestPriorityFor(as(['operator']), 'Normal')).toBe('Normal');
  });
});
