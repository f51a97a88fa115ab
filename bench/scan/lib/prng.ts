/**
 * Seeded pseudo-random numbers for the trail generator: xoshiro128** seeded through splitmix32
 * from a text label, so that every file's content depends only on (seed, day, slot) and the same
 * arguments give the same bytes whichever process generates which day. Never Math.random.
 */

/** FNV-1a over the label: turns `seed|day|slot` into 32 bits of seed material. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** splitmix32: spreads one 32-bit seed over xoshiro's 128-bit state (never all zero). */
const splitmix32 = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
};

export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** A generator for one purpose: the label names it (e.g. `7|file|20089|12`). */
  constructor(label: string) {
    const mix = splitmix32(fnv1a(label));
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix() | 1;
  }

  /** The next 32 random bits, unsigned (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** `length` characters of [A-Za-z0-9], as the random suffix of a CloudTrail file name. */
  alphanumeric(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += ALPHANUMERIC[this.int(ALPHANUMERIC.length)];
    return out;
  }

  /**
   * A version-4-shaped UUID whose last group is `serial` (48 bits): random-looking, and unique by
   * construction as long as serials are, which random bits alone would only make likely.
   */
  uuid(serial: number): string {
    const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
    const a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-${hex(0x8000 | (c & 0x3fff), 4)}-${hex(serial, 12)}`;
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
