/** The stages of a retention pass, in the order they run. */
export type RetentionStage = 'attempts' | 'deliveries' | 'events' | 'idempotency' | 'guests';

/** One committed retention batch. */
export interface RetentionBatch {
  stage: RetentionStage;
  /** Rows deleted (guests erased, for the guests stage). */
  rows: number;
  /** From the start of the batch's work in its transaction to its commit. */
  ms: number;
}
