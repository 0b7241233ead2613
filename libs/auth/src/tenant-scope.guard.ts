/**
 * Authenticates the Bearer token and scopes the request to the tenant and project in
 * its path. Order matters for clients: no or bad token → 401; malformed path ids → 400
 * naming the field; a tenant or project the token does not grant → 404 (never a hint
 * that the resource exists); a token without any role → 403; a write without the
 * operator role → 403.
 */
import {
  BadRequestException, CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, NotFoundException,
  UnauthorizedException, createParamDecorator,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SERVICE_CONFIG, type ServiceConfig } from '../../config/src/service-config.js';
import {
  InvalidTokenError, canAccessProject, canAccessTenant, canRead, canWrite, verifyToken, type Principal, type TokenPolicy,
} from './token.js';

export const SIGNING_SECRET = Symbol('SigningSecret');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCOPED_PARAMS = ['tenantId', 'projectId', 'jobId', 'datasetId', 'modelId', 'artifactId', 'scheduleId'] as const;

type ScopedRequest = FastifyRequest & { principal?: Principal };

/** Verified tokens, so a client polling with the same token pays the HMAC check once. */
const VERIFIED_CACHE_SIZE = 10_000;

@Injectable()
export class TenantScopeGuard implements CanActivate {
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  private readonly policy: TokenPolicy;

  constructor(@Inject(SIGNING_SECRET) private readonly secret: Uint8Array, @Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.policy = {
      audience: config.jwtAudience, maxTtlSeconds: config.jwtMaxTtlSeconds, secretOrigin: config.jwtSecret ? 'JWT_SECRET' : 'DATA_DIR',
    };
  }

  private async authenticate(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAtMs > Date.now()) return cached.principal;
    if (cached) this.verified.delete(token);
    const principal = await verifyToken(this.secret, token, this.policy);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, expiresAtMs: principal.expiresAtMs });
    return principal;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScopedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('Bearer token required');
    let principal: Principal;
    try {
      principal = await this.authenticate(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
    const params = request.params as Record<string, string | undefined>;
    const badIds = SCOPED_PARAMS.filter((name) => params[name] !== undefined && !GUID.test(params[name]!));
    if (badIds.length > 0) {
      throw new BadRequestException({
        message: 'Invalid path parameters',
        errors: badIds.map((field) => ({ field, message: `${field} must be a GUID` })),
      });
    }
    const { tenantId, projectId } = params;
    if (tenantId && !canAccessTenant(principal, tenantId)) throw new NotFoundException('Not found');
    if (tenantId && projectId && !canAccessProject(principal, tenantId, projectId)) throw new NotFoundException('Not found');
    if (!canRead(principal)) throw new ForbiddenException('The token grants no role (viewer, operator or admin)');
    const writes = request.method === 'POST' || request.method === 'DELETE' || request.method === 'PUT' || request.method === 'PATCH';
    if (writes && !canWrite(principal)) throw new ForbiddenException('The operator role is required for this action');
    request.principal = principal;
    return true;
  }
}

/** The authenticated caller, set by TenantScopeGuard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<ScopedRequest>().principal;
  if (!principal) throw new UnauthorizedException('Bearer token required');
  return principal;
});
