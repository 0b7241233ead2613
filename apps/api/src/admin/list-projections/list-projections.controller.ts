import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { ProjectionRebuilds } from '../../../../../libs/read-store/src/projections/projection-rebuilds.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { PROJECTION_REBUILDS } from '../admin.tokens.js';
import { ProjectionListDto } from '../projection-status.dto.js';
import { requireAdmin } from '../require-admin.js';

@ApiTags('Admin')
@ApiBearerAuth()
@Controller('api/admin/projections')
@UseGuards(TenantScopeGuard)
export class ListProjectionsController {
  constructor(@Inject(PROJECTION_REBUILDS) private readonly rebuilds: ProjectionRebuilds) {}

  @Get()
  @ApiOperation({ summary: 'Projections and rebuilds', description: 'Each projection\'s checkpoint, lag and leader, and the rebuild in progress.' })
  @ApiResponse({ status: 200, type: ProjectionListDto })
  @ApiErrorResponses(401, 403)
  async list(@CurrentPrincipal() principal: Principal) {
    requireAdmin(principal);
    return { projections: await this.rebuilds.status(), lastRebuild: this.rebuilds.rebuildState() };
  }
}
