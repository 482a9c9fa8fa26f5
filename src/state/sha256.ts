/**
 * SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, as lowercase hex: what
 * `createHash("sha256").update(text).digest("hex")` gives, without loading node:crypto, which
 * costs a short run ~7 ms of start-up (a dozen internal modules and the stream modules) for
 * the one hash every run needs, the state file's name. For short texts only: it is plain
 * JavaScript, a few microseconds for a path.
 */
export function sha256Hex(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  // The message, a 1 bit, zeros, and its length in bits (64-bit big-endian), to whole blocks.
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = bytes.length * 8;
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(padded.length - 4, bits >>> 0);
  const h = Uint32Array.from(INITIAL);
  const w = new Uint32Array(64);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + 4 * i);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      w[i] = w[i - 16]! + s0 + w[i - 7]! + s1;
    }
    let [a, b, c, d, e, f, g, k] = Array.from(h) as Eight;
    for (let i = 0; i < 64; i++) {
      const t1 =
        (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + ROUND[i]! + w[i]!) |
        0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, k].forEach((v, i) => (h[i] = h[i]! + v));
  }
  return Array.from(h, (v) => v.toString(16).padStart(8, "0")).join("");
}

type Eight = [number, number, number, number, number, number, number, number];

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** The first `count` primes. */
function primes(count: number): number[] {
  const found: number[] = [];
  for (let n = 2; found.length < count; n++) if (found.every((p) => n % p !== 0)) found.push(n);
  return found;
}

/** The first 32 bits of the fractional part of each number: how the standard defines its constants. */
const fraction32 = (xs: number[]) => Uint32Array.from(xs, (x) => (x - Math.floor(x)) * 2 ** 32);

// The standard's constants, computed as it defines them (the tests pin the digests against
// node:crypto): square roots of the first 8 primes, cube roots of the first 64.
const INITIAL = fraction32(primes(8).map(Math.sqrt));
const ROUND = fraction32(primes(64).map(Math.cbrt));
