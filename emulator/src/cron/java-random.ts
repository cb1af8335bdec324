import { createHash } from "node:crypto";

// Jenkins spreads `H` with java.util.Random seeded from an MD5 of the job's
// full name (hudson.scheduler.Hash). Reproducing the LCG bit for bit makes
// the emulator pick the same minutes a real Jenkins would.
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK_48 = (1n << 48n) - 1n;

export class JavaRandom {
  private seed: bigint;

  constructor(seed: bigint) {
    this.seed = (seed ^ MULTIPLIER) & MASK_48;
  }

  private next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK_48;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0) throw new RangeError(`bound must be positive: ${bound}`);
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    // Java rejects values from the incomplete last interval; `| 0` mirrors int overflow.
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next(31));
    return r;
  }
}

/** hudson.scheduler.Hash.from(seed): returns the `next(n)` function used by the cron parser. */
export function jenkinsHash(seed: string): (n: number) => number {
  const digest = createHash("md5").update(seed, "utf8").digest();
  for (let i = 8; i < digest.length; i++) digest[i % 8] = digest[i % 8]! ^ digest[i]!;
  let l = 0n;
  for (let i = 0; i < 8; i++) l = (l << 8n) + BigInt(digest[i]!);
  const random = new JavaRandom(BigInt.asIntN(64, l));
  return (n) => random.nextInt(n);
}
