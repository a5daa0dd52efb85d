import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator';
import { AppConfig } from '../config/app-config';
import { HealthService } from './health.service';
import type { Readiness } from './readiness';

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['ok', 'unreachable'] }) database!: 'ok' | 'unreachable';
  @ApiProperty({ enum: ['sqlite', 'postgres'] }) dialect!: 'sqlite' | 'postgres';
  @ApiProperty({ minimum: 0 }) uptimeSeconds!: number;
}

class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ minimum: 0 }) uptimeSeconds!: number;
}

class ReadinessChecksResponse {
  @ApiProperty({ enum: ['ok', 'unreachable'], description: 'The database answers `SELECT 1` within 2 s' })
  database!: 'ok' | 'unreachable';
  @ApiProperty({
    enum: ['ok', 'pending', 'unknown'],
    description: 'Every migration is applied (unknown while the database does not answer)',
  })
  migrations!: 'ok' | 'pending' | 'unknown';
  @ApiProperty({ enum: ['ok', 'stopped'], description: "This instance's webhook dispatcher is running" })
  dispatcher!: 'ok' | 'stopped';
}

class ReadinessResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ type: ReadinessChecksResponse }) checks!: ReadinessChecksResponse;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: ['database', 'migrations', 'dispatcher'] },
    description: 'The checks that failed; empty when ready',
  })
  failed!: Readiness['failed'];
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  // Process time, not the Clock: uptime is how long this process has run, which moving the
  // application's clock (tests do) does not change.
  private readonly startedAt = Date.now();

  constructor(
    private readonly health: HealthService,
    private readonly config: AppConfig,
  ) {}

  /** Liveness and database reachability: 200 when the database answers, else 503 with the same body. */
  @Get()
  @Access('public')
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'The database does not answer' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const database = await this.health.databaseAnswers();
    if (!database) response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: database ? 'ok' : 'unavailable',
      database: database ? 'ok' : 'unreachable',
      dialect: this.config.isPostgres ? 'postgres' : 'sqlite',
      uptimeSeconds: this.uptimeSeconds(),
    };
  }

  /** Liveness: the process is up and serving; nothing else is asked, so a database outage never restarts it. */
  @Get('live')
  @Access('public')
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'ok', uptimeSeconds: this.uptimeSeconds() };
  }

  /** Readiness: 200 when the database answers, migrations are applied and the dispatcher runs; else 503 naming what failed. */
  @Get('ready')
  @Access('public')
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({ type: ReadinessResponse, description: 'A check failed; `failed` names it' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessResponse> {
    const result = await this.health.readiness();
    if (result.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }

  private uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }
}
