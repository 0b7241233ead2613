import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { isAuthorisedScrape, type ServiceMetrics, type TelemetryConfig } from '../../../../libs/telemetry/src/index.js';
import { SERVICE_METRICS, TELEMETRY_CONFIG } from './telemetry.tokens.js';

/** Prometheus scrape endpoint: open unless METRICS_TOKEN is set; carries no tenant, project or job ids. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics,
    @Inject(TELEMETRY_CONFIG) private readonly telemetry: TelemetryConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!isAuthorisedScrape(authorization, this.telemetry.metricsToken)) {
      throw new UnauthorizedException('METRICS_TOKEN is set: send it as a Bearer token');
    }
    void reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.render();
  }
}
