import { ConflictException, Controller, HttpCode, Inject, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import {
  RebuildAlreadyRunningError, UnknownProjectionError, type ProjectionRebuilds,
} from '../../../../../libs/read-store/src/projections/projection-rebuilds.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { PROJECTION_REBUILDS } from '../admin.tokens.js';
import { RebuildStateDto } from '../projection-status.dto.js';
import { requireAdmin } from '../require-admin.js';

@ApiTags('Admin')
@ApiBearerAuth()
@Controller('api/admin/projections')
@UseGuards(TenantScopeGuard)
export class RebuildProjectionController {
  constructor(@Inject(PROJECTION_REBUILDS) private readonly rebuilds: ProjectionRebuilds) {}

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild a read model (blue/green)',
    description: 'Folds every event from position 0 into a fresh copy while the API keeps serving the live read model, then switches to it at once and drops the old one. Answers once the rebuild runs; follow it with GET /api/admin/projections.',
  })
  @ApiResponse({ status: 202, type: RebuildStateDto })
  @ApiErrorResponses(401, 403, 404, 409)
  async rebuild(@Param('name') name: string, @CurrentPrincipal() principal: Principal) {
    requireAdmin(principal);
    try {
      return (await this.rebuilds.start(name)).state;
    } catch (error) {
      if (error instanceof UnknownProjectionError) throw new NotFoundException({ message: error.message, errors: [{ field: 'name', message: error.message }] });
      if (error instanceof RebuildAlreadyRunningError) throw new ConflictException({ message: error.message, errors: [{ field: 'name', message: error.message }] });
      throw error;
    }
  }
}
