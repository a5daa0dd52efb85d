/**
 * The next purge batch's size, from how long the last one held the write path: batches grow
 * while they are quick and shrink at once when one ran long, so each stays near the target
 * (well below the contract's 50 ms) whatever the rows cost on this machine and database.
 */
export interface BatchSizing {
  /** Milliseconds one batch should take. */
  targetMs: number;
  min: number;
  max: number;
}

export const BATCH_SIZING: BatchSizing = { targetMs: 20, min: 10, max: 500 };

export function nextBatchSize(current: number, elapsedMs: number, sizing: BatchSizing = BATCH_SIZING): number {
  // A batch too quick to measure: grow by the largest step.
  const ratio = elapsedMs <= 0 ? 2 : sizing.targetMs / elapsedMs;
  // At most double per step (a quick batch of few rows says little about a large one); shrink as far as needed.
  const next = Math.floor(current * Math.min(ratio, 2));
  return Math.max(sizing.min, Math.min(sizing.max, next));
}
