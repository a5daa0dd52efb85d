import { Column, Entity, PrimaryColumn } from 'typeorm';

export const GUEST_STATUSES = ['waiting', 'seated', 'left'] as const;
export type GuestStatus = (typeof GUEST_STATUSES)[number];
export const LEAVE_REASONS = ['cancelled', 'no_show', 'finished'] as const;
export type LeaveReason = (typeof LEAVE_REASONS)[number];

@Entity({ name: 'guests' })
export class GuestEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  name!: string;

  @Column({ type: 'integer' })
  partySize!: number;

  @Column({ type: 'varchar', nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', nullable: true })
  phone!: string | null;

  @Column({ type: 'boolean' })
  marketingOptIn!: boolean;

  @Column({ type: 'varchar', nullable: true })
  notes!: string | null;

  @Column({ type: 'varchar' })
  status!: GuestStatus;

  @Column({ type: 'varchar', nullable: true })
  tableId!: string | null;

  @Column({ type: 'varchar' })
  checkedInAt!: string;

  @Column({ type: 'varchar', nullable: true })
  seatedAt!: string | null;

  @Column({ type: 'varchar', nullable: true })
  leftAt!: string | null;

  @Column({ type: 'varchar', nullable: true })
  leftReason!: LeaveReason | null;

  /** Set by the payments module when the guest's bill is paid. */
  @Column({ type: 'varchar', nullable: true })
  paidAt!: string | null;

  /** The quote given at check-in, kept to score it against the actual wait (null when no table existed). */
  @Column({ type: 'integer', nullable: true })
  quotedWaitAtCheckIn!: number | null;

  /** Whole minutes from check-in to seat, stored when seated. */
  @Column({ type: 'integer', nullable: true })
  actualWaitMinutes!: number | null;

  /** Paging: when staff said the table is ready; the hold ends at `holdUntil` (null unless paged). */
  @Column({ type: 'varchar', nullable: true })
  notifiedAt!: string | null;

  @Column({ type: 'varchar', nullable: true })
  holdUntil!: string | null;

  /** The table held for this guest while paged, if staff picked one. */
  @Column({ type: 'varchar', nullable: true })
  heldTableId!: string | null;

  @Column({ type: 'varchar', nullable: true })
  confirmedAt!: string | null;

  /** When the guest's personal data was erased (DELETE /api/guests/:id or retention); null until then. */
  @Column({ type: 'varchar', nullable: true })
  erasedAt!: string | null;

  /** SHA-256 of the guest token; the token itself is only ever in the check-in response. */
  @Column({ type: 'varchar' })
  tokenHash!: string;
}
