import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { JobProjection } from '../../../../libs/read-store/src/projections/job-projection.js';
import type { Stores } from '../../../../libs/storage/src/open-stores.js';
import type { TelemetryConfig } from '../../../../libs/telemetry/src/index.js';
import { JOB_PROJECTION_RUNNER, STORES } from '../execution/shared/execution.tokens.js';
import { TELEMETRY_CONFIG } from './telemetry.tokens.js';

/** A store that does not answer within this long counts as unreachable for readiness. */
const READY_STORE_TIMEOUT_MS = 2000;

/** Liveness and readiness for process managers and load balancers (no auth, no tenant data). */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(JOB_PROJECTION_RUNNER) private readonly projection: JobProjection,
    @Inject(TELEMETRY_CONFIG) private readonly telemetry: TelemetryConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Store reachable and service up' })
  async health() {
    await this.stores.sql.query('SELECT 1');
    return { status: 'ok', store: this.stores.kind };
  }

  @Get('live')
  @ApiOperation({ summary: 'The process is up (touches no store)' })
  live() {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Stores reachable and the job projection within READY_MAX_PROJECTION_LAG_SECONDS; 503 with the reasons when not' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const reasons: string[] = [];
    let projectionLagSeconds: number | null = null;
    try {
      await withDeadline(this.stores.sql.query('SELECT 1'), READY_STORE_TIMEOUT_MS, 'the store did not answer in time');
      // Measured where this process runs the projection; null where another process leads it.
      projectionLagSeconds = await withDeadline(this.projection.lagSeconds(), READY_STORE_TIMEOUT_MS, 'the store did not answer in time');
      if (projectionLagSeconds !== null && projectionLagSeconds > this.telemetry.readyMaxProjectionLagSeconds) {
        reasons.push(`job projection ${projectionLagSeconds.toFixed(1)} s behind (limit ${this.telemetry.readyMaxProjectionLagSeconds} s)`);
      }
    } catch (error) {
      reasons.push(`store unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    void reply.status(reasons.length === 0 ? 200 : 503);
    return { status: reasons.length === 0 ? 'ready' : 'unavailable', store: this.stores.kind, projectionLagSeconds, reasons };
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
