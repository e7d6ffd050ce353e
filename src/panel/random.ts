import { createHash } from 'node:crypto';

/*
 * The pseudo-random generator every draw uses, written so that anyone can re-implement it (docs/panel.md):
 *
 *   block(i) = SHA-256( seedBytes ‖ i as an 8-byte big-endian unsigned integer ),  i = 0, 1, 2, …
 *   u(i)     = the first 6 bytes of block(i) read as a big-endian integer (0 ≤ u < 2^48)
 *
 * A uniform integer in [0, n) takes the next u; when u ≥ n·⌊2^48 / n⌋ it is rejected and the next one is
 * taken (rejection sampling: no modulo bias); otherwise the answer is u mod n. A uniform real in [0, 1)
 * is u / 2^48. The seed is 32 bytes, written as 64 lowercase hex digits.
 *
 * In Python:  u = int.from_bytes(hashlib.sha256(seed + i.to_bytes(8, 'big')).digest()[:6], 'big')
 */

const TWO_48 = 2 ** 48;

/** True when the text is a seed: 64 lowercase hex digits. */
export function isSeed(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}

/** The counter-mode SHA-256 generator described above; `used` counts the blocks consumed so far. */
export class CounterRng {
  private readonly seed: Buffer;
  private counter = 0;

  constructor(seedHex: string) {
    if (!isSeed(seedHex)) throw new Error('A seed is 64 lowercase hex digits.');
    this.seed = Buffer.from(seedHex, 'hex');
  }

  /** How many blocks have been consumed. */
  get used(): number {
    return this.counter;
  }

  /** The next 48-bit value u(i). */
  next48(): number {
    const block = Buffer.alloc(8);
    block.writeBigUInt64BE(BigInt(this.counter));
    this.counter += 1;
    return createHash('sha256').update(this.seed).update(block).digest().readUIntBE(0, 6);
  }

  /** A uniform integer in [0, n) by rejection sampling (n between 1 and 2^48). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_48) throw new Error(`Cannot draw below ${n}.`);
    const limit = n * Math.floor(TWO_48 / n);
    for (;;) {
      const u = this.next48();
      if (u < limit) return u % n;
    }
  }

  /** A uniform real in [0, 1). */
  real(): number {
    return this.next48() / TWO_48;
  }
}

/**
 * Puts the first `take` places of a uniformly random order of the items (Fisher–Yates from the front: for
 * place k = 0, 1, …, swap item k with item k + below(length − k)) and returns those places in order.
 */
export function shuffledPrefix<T>(items: readonly T[], take: number, rng: CounterRng): T[] {
  const a = [...items];
  const k = Math.min(take, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + rng.below(a.length - i);
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a.slice(0, k);
}

/** SHA-256 of a UTF-8 text as 64 hex digits (the commitment to a server secret). */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The seed of a draw from the revealed server secret and the public value entered after the announcement:
 * SHA-256 of the UTF-8 text `<secret>|<public value>` (the public value trimmed), as 64 hex digits.
 */
export function seedFrom(secretHex: string, publicValue: string): string {
  return sha256Text(`${secretHex}|${publicValue.trim()}`);
}

/** The commitment published at announcement: SHA-256 of the secret's 64 hex digits as text. */
export function commitmentOf(secretHex: string): string {
  return sha256Text(secretHex);
}
