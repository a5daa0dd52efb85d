import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { newId } from '../common/ids';

/** Twelve free tables: three each of 2, 4, 6 and 8 seats. */
export const DEMO_FLOOR: readonly { label: string; capacity: number }[] = [2, 4, 6, 8].flatMap((capacity, group) =>
  [1, 2, 3].map((n) => ({ label: `T${group * 3 + n}`, capacity })),
);

@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Seeds the demo floor when the database has no tables at all; returns how many were added. */
  async seedDemoFloor(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ count }] = await manager.query<{ count: number | string }[]>('SELECT COUNT(*) AS count FROM tables');
      if (Number(count) > 0) return 0;
      const now = this.clock.iso();
      for (const table of DEMO_FLOOR) {
        await manager
          .createQueryBuilder()
          .insert()
          .into('tables')
          .values({
            id: newId('tbl'),
            label: table.label,
            capacity: table.capacity,
            status: 'free',
            guestId: null,
            createdAt: now,
            updatedAt: now,
          })
          .execute();
      }
      this.logger.log(`seeded the demo floor with ${DEMO_FLOOR.length} tables`);
      return DEMO_FLOOR.length;
    });
  }
}
