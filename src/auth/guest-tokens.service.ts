import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { generateSecret, hashSecret, secretMatchesHash } from './secrets';

/**
 * Guest tokens: issued at check-in, stored only as a hash on the guest row, compared in
 * constant time. Reads the guests table directly so auth needs no dependency on guests.
 */
@Injectable()
export class GuestTokensService {
  constructor(private readonly dataSource: DataSource) {}

  issue(): { token: string; hash: string } {
    const token = generateSecret('gtk_');
    return { token, hash: hashSecret(token) };
  }

  async verify(guestId: string, token: string): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ token_hash: string }>>(
      this.dataSource.driver.options.type === 'postgres'
        ? 'SELECT token_hash FROM guests WHERE id = $1'
        : 'SELECT token_hash FROM guests WHERE id = ?',
      [guestId],
    );
    return rows.length === 1 && secretMatchesHash(token, rows[0].token_hash);
  }
}
