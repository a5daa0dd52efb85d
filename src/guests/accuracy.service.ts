import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work';
import { TableEntity } from '../tables/table.entity';
import { GuestEntity } from './guest.entity';
import { Accuracy, AccuracyTotals, accuracyReport, WITHIN_MINUTES } from './quote-accuracy';

/** How well the kept quotes matched the waits, summed in SQL over the seated_at index. */
@Injectable()
export class AccuracyService {
  constructor(private readonly uow: UnitOfWork) {}

  /** `since` is an RFC 3339 date-time (validated by the caller) or undefined for all time. */
  async accuracy(since: string | undefined): Promise<Accuracy> {
    return this.uow.read(async (manager) => {
      const error = 'ABS(g.actual_wait_minutes - g.quoted_wait_at_check_in)';
      const query = manager
        .createQueryBuilder(GuestEntity, 'g')
        .innerJoin(TableEntity, 't', 't.id = g.table_id')
        .select('t.capacity', 'capacity')
        .addSelect('COUNT(*)', 'seated')
        .addSelect(`SUM(${error})`, 'absoluteErrorSum')
        .addSelect(`SUM(CASE WHEN ${error} <= ${WITHIN_MINUTES} THEN 1 ELSE 0 END)`, 'withinFive')
        .addSelect('SUM(CASE WHEN g.actual_wait_minutes > g.quoted_wait_at_check_in THEN 1 ELSE 0 END)', 'underQuoted')
        .where('g.seated_at IS NOT NULL')
        .andWhere('g.quoted_wait_at_check_in IS NOT NULL')
        .andWhere('g.actual_wait_minutes IS NOT NULL');
      // Stored times are ISO-8601 UTC strings, which compare correctly as text once `since` is one too.
      if (since !== undefined)
        query.andWhere('g.seated_at >= :since', { since: new Date(since.replace(' ', 'T')).toISOString() });
      const rows = await query.groupBy('t.capacity').getRawMany<Record<keyof AccuracyTotals | 'capacity', number | string>>();
      return accuracyReport(
        new Map(
          rows.map((row) => [
            Number(row.capacity),
            {
              seated: Number(row.seated),
              absoluteErrorSum: Number(row.absoluteErrorSum),
              withinFive: Number(row.withinFive),
              underQuoted: Number(row.underQuoted),
            },
          ]),
        ),
      );
    });
  }
}
