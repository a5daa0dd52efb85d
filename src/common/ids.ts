import { randomFillSync } from 'node:crypto';
import { encodeTime } from 'ulid';

export type IdPrefix = 'gst' | 'tbl' | 'evt' | 'ep' | 'dlv' | 'off' | 'pay' | 'key' | 'chg';

const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Random part of a ULID: 16 base-32 characters. */
const RANDOM_CHARS = 16;
const RANDOM_MAX = (1n << 80n) - 1n;
/** Characters left free at the end of a range's ids (see `newIdRange`). */
export const ID_RANGE_CHARS = 4;
const RANGE_SIZE = 1n << BigInt(5 * ID_RANGE_CHARS);

let lastTime = -1;
let lastTimeText = '';
let lastRandom = 0n;

/** Random bytes drawn in bulk: one system call per POOL_SIZE / 10 fresh milliseconds, not one per id. */
const POOL_SIZE = 1_000;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** 80 random bits, below half their range (see `nextUlid`). */
function freshRandom(): bigint {
  if (poolOffset + 10 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const high = pool.readUIntBE(poolOffset, 5);
  const low = pool.readUIntBE(poolOffset + 5, 5);
  poolOffset += 10;
  return ((BigInt(high) << 40n) | BigInt(low)) >> 1n;
}

/** BigInt's own base 32 (0-9a-v) to Crockford's, by the digit's character code. */
const CROCKFORD: string[] = [];
for (let index = 0; index < 32; index += 1) CROCKFORD['0123456789abcdefghijklmnopqrstuv'.charCodeAt(index)] = ENCODING[index];

function encodeRandom(value: bigint): string {
  const digits = value.toString(32).padStart(RANDOM_CHARS, '0');
  let text = '';
  for (let i = 0; i < RANDOM_CHARS; i += 1) text += CROCKFORD[digits.charCodeAt(i)];
  return text;
}

/**
 * The next monotonic ULID, reserving `size` consecutive values aligned to `size`: within one
 * millisecond the random part counts up (like ulid's monotonic factory), and a fresh
 * millisecond starts at a random value below half the range, so counting up cannot run out.
 */
function nextUlid(size: bigint): string {
  // Process time, not the Clock: ids must stay unique and sortable in creation order, and a test
  // that moves the Clock back or forward must not make new ids collide with or sort before old ones.
  const now = Date.now();
  let random: bigint;
  if (now > lastTime) {
    lastTime = now;
    lastTimeText = encodeTime(now, 10);
    random = freshRandom();
  } else {
    random = lastRandom + 1n;
  }
  random = ((random + size - 1n) / size) * size;
  if (random + size - 1n > RANDOM_MAX) throw new Error('no identifiers left for this millisecond');
  lastRandom = random + size - 1n;
  return lastTimeText + encodeRandom(random);
}

/** Opaque, time-sortable identifiers with a type prefix, as the API documents them (see /api/docs). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${nextUlid(1n)}`;
}

/**
 * The common start of a range of 32^ID_RANGE_CHARS ids that no other call returns, for
 * statements that create many rows at once: each row's id is this prefix plus
 * ID_RANGE_CHARS base-32 characters of its own (see `base32Suffix`), and the ids sort with
 * every other id of the same prefix by creation time.
 */
export function newIdRange(prefix: IdPrefix): string {
  return `${prefix}_${nextUlid(RANGE_SIZE).slice(0, 26 - ID_RANGE_CHARS)}`;
}

/** How many rows one range can name. */
export const ID_RANGE_CAPACITY = Number(RANGE_SIZE);

/**
 * SQL for the ID_RANGE_CHARS base-32 characters of the integer expression `n` (0 ≤ n <
 * ID_RANGE_CAPACITY), most significant first, in either dialect.
 */
export function base32Suffix(n: string): string {
  const chars = Array.from({ length: ID_RANGE_CHARS }, (_, i) => {
    const shift = 5 * (ID_RANGE_CHARS - 1 - i);
    return `substr('${ENCODING}', CAST(((${n}) >> ${shift}) & 31 AS INTEGER) + 1, 1)`;
  });
  return chars.join(' || ');
}
