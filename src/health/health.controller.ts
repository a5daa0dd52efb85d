import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Access } from '../auth/access.decorator';

const PROBE_TIMEOUT_MS = 2_000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(private readonly dataSource: DataSource) {}

  /** 200 when the database answers, else 503. */
  @Get()
  @Access('public')
  @ApiOkResponse({ description: '{ status: "ok", database: "ok", uptimeSeconds }' })
  @ApiServiceUnavailableResponse({ description: '{ status: "unavailable", database: "unreachable" }' })
  async check(@Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    const database = await this.probe();
    if (!database) response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: database ? 'ok' : 'unavailable',
      database: database ? 'ok' : 'unreachable',
      dialect: this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite',
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  private async probe(): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('database probe timed out')), PROBE_TIMEOUT_MS);
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
