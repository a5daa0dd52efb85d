import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrderingMode } from './ordering';
import type { SigningScheme } from './signing';

@Entity({ name: 'webhook_endpoints' })
export class EndpointEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) url!: string;
  @Column({ type: 'varchar', nullable: true }) description!: string | null;
  /** JSON array of event types; empty means every type. */
  @Column({ type: 'simple-json' }) eventTypes!: string[];
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ type: 'varchar', nullable: true }) disabledReason!: string | null;
  /** The API key that created it: an `endpoints` key sees only its own. */
  @Column({ type: 'varchar' }) ownerKeyId!: string;
  /** The scheme new signing material is made for; each stored secret's prefix says how it signs. */
  @Column({ type: 'varchar', default: 'hmac' }) signing!: SigningScheme;
  /** `per_guest`: one guest's (or guestless table's) deliveries go out one at a time, in feed order (ordering.ts). */
  @Column({ type: 'varchar', default: 'none' }) ordering!: OrderingMode;
  /**
   * `whsec_…` (HMAC) or `whsk_…` (an Ed25519 private key: its 32-byte seed).
   * Signing secrets must be usable, so they are stored as issued; treat the database as secret. */
  @Column({ type: 'varchar' }) secret!: string;
  @Column({ type: 'varchar', nullable: true }) previousSecret!: string | null;
  @Column({ type: 'varchar', nullable: true }) previousSecretExpiresAt!: string | null;
  /** When the current run of failed attempts began; cleared by any success. */
  @Column({ type: 'varchar', nullable: true }) failingSince!: string | null;
  /** The circuit breaker (see circuit-breaker.ts): failed attempts in a row since the last success. */
  @Column({ type: 'integer', default: 0 }) consecutiveFailures!: number;
  /** Times the breaker opened since the last success: its cool-down doubles with each. */
  @Column({ type: 'integer', default: 0 }) breakerOpens!: number;
  /** Null while the breaker is closed; else when the next probe may be claimed. */
  @Column({ type: 'varchar', nullable: true }) pausedUntil!: string | null;
  /** The configured limit of attempts per second over all instances (see rate-limit.ts); null: none. */
  @Column({ type: 'integer', nullable: true }) rateLimitPerSecond!: number | null;
  /** Rate limit state (rate-limit.ts): the adaptive rate after 429/502/504, null when not adapting. */
  @Column({ type: 'double precision', nullable: true }) rateEffective!: number | null;
  /** The token bucket: tokens left at `rateRefilledAt` (epoch ms); null: full. */
  @Column({ type: 'double precision', nullable: true }) rateTokens!: number | null;
  @Column({ type: 'double precision', nullable: true }) rateRefilledAt!: number | null;
  /** When a throttle answer last halved the rate (epoch ms). */
  @Column({ type: 'double precision', nullable: true }) rateThrottledAt!: number | null;
  @Column({ type: 'varchar' }) createdAt!: string;
  @Column({ type: 'varchar' }) updatedAt!: string;
}
