/**
 * Prints a Bearer token for local use:
 *   npm run --silent token -- --tenant <guid> --project <guid> --sub <name> [--role operator] [--ttl 86400] [--create]
 * Signs with JWT_SECRET, or the secret the service generated in DATA_DIR, for the audience
 * JWT_AUDIENCE; a --ttl beyond JWT_MAX_TTL_SECONDS is refused (the service would refuse the token).
 * Without a secret in DATA_DIR it refuses (a new one would sign tokens the running service
 * rejects) unless --create asks for one; stderr names the secret and key id it signed with.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadServiceConfig } from '../../../config/src/service-config.js';
import { ROLES, issueToken, resolveSigningSecret, signingKeyId, signingSecretFile, type Role } from '../token.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run --silent token -- --tenant <guid> --project <guid|*> [--project ...] --sub <name> [--role viewer|operator|admin] [--ttl seconds] [--create]\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    tenant: { type: 'string' },
    project: { type: 'string', multiple: true },
    sub: { type: 'string' },
    role: { type: 'string', multiple: true },
    ttl: { type: 'string' },
    create: { type: 'boolean' },
  },
});

if (!values.tenant || !GUID.test(values.tenant)) fail('--tenant must be a GUID');
const projects = values.project ?? [];
if (projects.length === 0 || projects.some((p) => p !== '*' && !GUID.test(p))) fail('--project must be a GUID or *');
if (!values.sub) fail('--sub is required');
const roles = (values.role ?? ['operator']) as Role[];
if (roles.some((r) => !ROLES.includes(r))) fail(`--role must be one of ${ROLES.join(', ')}`);
const config = loadServiceConfig();
const ttl = values.ttl ? Number(values.ttl) : config.jwtMaxTtlSeconds;
if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');
if (ttl > config.jwtMaxTtlSeconds) fail(`--ttl must be at most ${config.jwtMaxTtlSeconds} seconds (JWT_MAX_TTL_SECONDS)`);

const secretFile = signingSecretFile(config.dataDir);
if (!config.jwtSecret && !existsSync(secretFile) && !values.create) {
  fail(`no signing secret in ${secretFile} (DATA_DIR=${config.dataDir}): set DATA_DIR (or JWT_SECRET) as the service has it, `
    + 'or pass --create to make a new secret there (a service on another DATA_DIR would refuse its tokens)');
}
let secret: Uint8Array;
try {
  secret = resolveSigningSecret(config.jwtSecret, config.dataDir);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const token = await issueToken(secret, {
  subject: values.sub, tenantId: values.tenant.toLowerCase(), projects: projects.map((p) => p.toLowerCase()), roles,
}, ttl, config.jwtAudience);
process.stderr.write(`signed with key id ${signingKeyId(secret)} (${config.jwtSecret ? 'JWT_SECRET' : secretFile})\n`);
process.stdout.write(`${token}\n`);
