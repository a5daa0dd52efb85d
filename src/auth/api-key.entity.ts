import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar' })
  name!: string;

  /** Comma-separated scope names. */
  @Column({ type: 'varchar' })
  scopes!: string;

  /** SHA-256 (hex) of the key; the key is shown once at creation and never stored. */
  @Column({ type: 'varchar', unique: true })
  keyHash!: string;

  @Column({ type: 'varchar' })
  createdAt!: string;

  @Column({ type: 'varchar', nullable: true })
  revokedAt!: string | null;
}
