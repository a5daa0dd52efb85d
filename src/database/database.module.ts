import { Global, Module, OnModuleInit, Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { SeedService } from './seed.service';
import { UnitOfWork } from './unit-of-work';

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
  providers: [UnitOfWork, SeedService],
  exports: [UnitOfWork, SeedService],
})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly seed: SeedService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) this.logger.log(`applied ${applied.length} migration(s)`);
    if (this.config.seedDemo) await this.seed.seedDemoFloor();
  }
}
