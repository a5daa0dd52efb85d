import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import type { Principal } from '../auth/scopes';
import { AppConfig } from '../config/app-config';
import { assertMayScrape } from './metrics-access';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrapes: text format, not JSON, so it stays out of the API document (the README's
 * Operations section describes it).
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  // Admin key unless METRICS_PUBLIC=true: decided in assertMayScrape, which reads the configuration.
  @Access('public')
  @ApiExcludeEndpoint()
  async scrape(@CurrentPrincipal() principal: Principal | undefined, @Res() response: Response): Promise<void> {
    assertMayScrape(this.config.metricsPublic, principal);
    if (!this.metrics.enabled) throw new NotFoundException('Metrics are turned off (METRICS=off)');
    const { contentType, body } = await this.metrics.scrape();
    response.setHeader('content-type', contentType);
    response.send(body);
  }
}
