import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Access } from '../auth/access.decorator';
import { AppConfig } from '../config/app-config';

const PROBE_TIMEOUT_MS = 2_000;

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['ok', 'unreachable'] }) database!: 'ok' | 'unreachable';
  @ApiProperty({ enum: ['sqlite', 'postgres'] }) dialect!: 'sqlite' | 'postgres';
  @ApiProperty({ minimum: 0 }) uptimeSeconds!: number;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  // Process time, not the Clock: uptime is how long this process has run, which moving the
  // application's clock (tests do) does not change.
  private readonly startedAt = Date.now();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Liveness and database reachability: 200 when the database answers, else 503 with the same body. */
  @Get()
  @Access('public')
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'The database does not answer' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const database = await this.probe();
    if (!database) response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: database ? 'ok' : 'unavailable',
      database: database ? 'ok' : 'unreachable',
      dialect: this.config.isPostgres ? 'postgres' : 'sqlite',
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  private async probe(): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    // Not through UnitOfWork.read: `SELECT 1` reads no rows, so another unit's uncommitted work cannot
    // show in it, and queued behind the writes on SQLite it would time the queue, not the database.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error('database probe timed out'));
          }, PROBE_TIMEOUT_MS);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
