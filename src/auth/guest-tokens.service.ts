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
    // Not through UnitOfWork.read, so a guest's requests never queue behind writes. On SQLite this
    // read can see a check-in that has not committed yet, which is harmless: the token is unknown to
    // anyone until that check-in commits and answers with it, and a guest's token hash never changes.
    const row = await this.dataSource
      .createQueryBuilder()
      .select('token_hash', 'token_hash')
      .from('guests', 'guest')
      .where('guest.id = :id', { id: guestId })
      .getRawOne<{ token_hash: string }>();
    return row !== undefined && secretMatchesHash(token, row.token_hash);
  }
}
