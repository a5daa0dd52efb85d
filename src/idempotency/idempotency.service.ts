import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { LessThan } from 'typeorm';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { IdempotencyRecordEntity } from './idempotency-record.entity';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

export interface IdempotentRequest {
  /** Who is calling (API key, guest or client address): keys are scoped to their caller. */
  caller: string;
  /** The operation, e.g. `POST /api/guests`, so one key cannot replay another route's response. */
  scope: string;
  /** The client's Idempotency-Key header, when sent. */
  key: string | undefined;
}

/** Which guest a response is about: its stored copy is deleted when that guest is erased. */
export type GuestOfResponse<T> = (body: T) => string;

export interface IdempotentResult<T> {
  body: T;
  replayed: boolean;
}

/**
 * Idempotency-Key support: the first successful response for (caller, operation, key) is
 * stored in the same transaction as the change it reports and returned unchanged for 24 h.
 * The stored response is encrypted with a key derived from the Idempotency-Key, because it
 * can hold secrets (a guest's token) that must not sit readable in the database. Both the
 * lookup hash and that key are HMACs under a server secret (IDEMPOTENCY_SECRET, else the one
 * the migration stored), so the rows alone reveal nothing and guessed keys cannot be tested.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private purgeTimer: NodeJS.Timeout | undefined;
  private secret: Promise<Buffer> | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Read once, after the migrations ran (the first request comes after boot). */
  private serverSecret(): Promise<Buffer> {
    if (this.config.idempotencySecret !== undefined) return Promise.resolve(Buffer.from(this.config.idempotencySecret, 'utf8'));
    this.secret ??= this.uow
      .read((manager) =>
        manager
          .createQueryBuilder()
          .select('value')
          .from('server_secrets', 'secret')
          .where('name = :name', { name: 'idempotency' })
          .getRawOne<{ value: string }>(),
      )
      .then((row) => {
        if (!row) throw new Error('server_secrets has no idempotency secret: the migrations did not run');
        return Buffer.from(row.value, 'utf8');
      });
    // A failed read is retried by the next request rather than cached.
    this.secret.catch(() => (this.secret = undefined));
    return this.secret;
  }

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => void this.purgeExpired().catch(() => undefined), 60 * 60 * 1000);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  /** Runs `work` in a unit of work unless the same request already succeeded; then replays it. */
  async execute<T>(
    request: IdempotentRequest,
    work: (tx: Tx) => Promise<T>,
    guestOf?: GuestOfResponse<T>,
  ): Promise<IdempotentResult<T>> {
    const key = request.key;
    if (key === undefined) return { body: await this.uow.run(work), replayed: false };
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new InvalidInputError('Idempotency-Key must be 1 to 255 characters', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 characters' },
      ]);
    }
    const secret = await this.serverSecret();
    const keyHash = derive(secret, 'lookup', key, request).toString('hex');
    const cipherKey = derive(secret, 'cipher', key, request);
    const attempt = () =>
      this.uow.run(async (tx): Promise<IdempotentResult<T>> => {
        const cutoff = this.clock.iso(-IDEMPOTENCY_WINDOW_MS);
        const existing = await tx.manager.findOne(IdempotencyRecordEntity, {
          where: { caller: request.caller, scope: request.scope, keyHash },
        });
        if (existing && existing.createdAt >= cutoff) {
          return { body: decrypt(existing.response, cipherKey) as T, replayed: true };
        }
        // The expired record is replaced only after `work`: `work` takes its locks before the
        // transaction's first write (src/database/locks.ts), and this delete would be one.
        const body = await work(tx);
        if (existing) await tx.manager.delete(IdempotencyRecordEntity, { seq: existing.seq });
        await tx.manager.insert(IdempotencyRecordEntity, {
          caller: request.caller,
          scope: request.scope,
          keyHash,
          response: encrypt(body, cipherKey),
          createdAt: this.clock.iso(),
          guestId: guestOf ? guestOf(body) : null,
        });
        return { body, replayed: false };
      });
    try {
      return await attempt();
    } catch (error) {
      // Two concurrent requests with one key (only possible on PostgreSQL): the loser's
      // transaction rolled back on the unique index, and now finds the winner's response.
      if (isUniqueViolation(error)) return attempt();
      throw error;
    }
  }

  /** Deletes the stored responses about this guest (erasure), inside the caller's transaction. */
  async forgetGuest(tx: Tx, guestId: string): Promise<void> {
    await tx.manager.delete(IdempotencyRecordEntity, { guestId });
  }

  async purgeExpired(): Promise<void> {
    const cutoff = this.clock.iso(-IDEMPOTENCY_WINDOW_MS);
    await this.uow.run((tx) => tx.manager.delete(IdempotencyRecordEntity, { createdAt: LessThan(cutoff) }));
  }
}

/** One 32-byte value per purpose, so the stored lookup hash says nothing about the cipher key. */
export function derive(secret: Buffer, purpose: 'lookup' | 'cipher', key: string, request: IdempotentRequest): Buffer {
  return createHmac('sha256', secret)
    .update(`maitred-idempotency-${purpose}\0${request.caller}\0${request.scope}\0${key}`)
    .digest();
}

function encrypt(body: unknown, cipherKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

function decrypt(stored: string, cipherKey: Buffer): unknown {
  const raw = Buffer.from(stored, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', cipherKey, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
}

function isUniqueViolation(error: unknown): boolean {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.driverError?.code ??
    (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
