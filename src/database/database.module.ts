import { Global, Module, OnModuleInit, Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { PgListener } from './pg-listener';
import { SeedService } from './seed.service';
import { UnitOfWork } from './unit-of-work';

const MIGRATION_LOCK_KEY = 727_274_000;

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config, []),
        autoLoadEntities: true,
        // Fail the start at once when the database is unreachable instead of retrying for minutes.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [UnitOfWork, SeedService, PgListener],
  exports: [UnitOfWork, SeedService, PgListener],
})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly seed: SeedService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.exclusively(async () => {
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) this.logger.log(`applied ${applied.length} migration(s)`);
      if (this.config.seedDemo) await this.seed.seedDemoFloor();
    });
  }

  /** Instances starting together on one PostgreSQL take turns to migrate and seed. */
  private async exclusively(work: () => Promise<void>): Promise<void> {
    if (!this.config.isPostgres) return work();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
  }
}
