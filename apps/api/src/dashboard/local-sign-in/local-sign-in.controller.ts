/**
 * The dashboard's sign-in without a token, for a local user of the embedded service: mints
 * the token `npm run token` would print (see local-sign-in.ts for who may).
 */
import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { SIGNING_SECRET } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { issueToken } from '../../../../../libs/auth/src/token.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { LOCAL_TOKEN_TTL_SECONDS, localSignInRefusal } from './local-sign-in.js';
import { LocalSignInRequestDto } from './local-sign-in.request.dto.js';

@ApiTags('Dashboard')
@Controller('dashboard/local-sign-in')
export class LocalSignInController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(SIGNING_SECRET) private readonly secret: Uint8Array,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether this browser may sign in locally', description: 'Embedded store and a request from this machine only.' })
  availability(@Req() request: FastifyRequest) {
    const refusal = localSignInRefusal(this.config.stores, { remoteAddress: request.socket.remoteAddress, headers: request.headers });
    return { available: refusal === null, reason: refusal?.reason ?? null };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Mint a token for a local user', description: 'Embedded store only (else 404), from this machine only (else 403).' })
  @ApiResponse({ status: 201, description: '{token, tokenType, expiresAt, tenantId, projects, subject, roles}' })
  @ApiErrorResponses(400, 403, 404)
  async signIn(@Body() body: LocalSignInRequestDto, @Req() request: FastifyRequest) {
    const refusal = localSignInRefusal(this.config.stores, { remoteAddress: request.socket.remoteAddress, headers: request.headers });
    if (refusal?.status === 404) throw new NotFoundException(refusal.reason);
    if (refusal) throw new ForbiddenException(refusal.reason);
    const ttlSeconds = Math.min(LOCAL_TOKEN_TTL_SECONDS, this.config.jwtMaxTtlSeconds);
    const principal = { tenantId: body.tenantId.toLowerCase(), projects: [body.projectId.toLowerCase()], subject: body.subject, roles: [body.role] };
    const token = await issueToken(this.secret, principal, ttlSeconds, this.config.jwtAudience);
    return { token, tokenType: 'Bearer', expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString(), ...principal };
  }
}
