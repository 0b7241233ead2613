/**
 * Prints a Bearer token for local use:
 *   npm run --silent token -- --tenant <guid> --project <guid> --sub <name> [--role operator] [--ttl 86400]
 * Signs with JWT_SECRET, or the secret the service generated in DATA_DIR, for the audience
 * JWT_AUDIENCE; a --ttl beyond JWT_MAX_TTL_SECONDS is refused (the service would refuse the token).
 */
import { parseArgs } from 'node:util';
import { loadServiceConfig } from '../../../config/src/service-config.js';
import { ROLES, issueToken, resolveSigningSecret, type Role } from '../token.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run --silent token -- --tenant <guid> --project <guid|*> [--project ...] --sub <name> [--role viewer|operator|admin] [--ttl seconds]\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    tenant: { type: 'string' },
    project: { type: 'string', multiple: true },
    sub: { type: 'string' },
    role: { type: 'string', multiple: true },
    ttl: { type: 'string' },
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

let secret: Uint8Array;
try {
  secret = resolveSigningSecret(config.jwtSecret, config.dataDir);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const token = await issueToken(secret, {
  subject: values.sub, tenantId: values.tenant.toLowerCase(), projects: projects.map((p) => p.toLowerCase()), roles,
}, ttl, config.jwtAudience);
process.stdout.write(`${token}\n`);
