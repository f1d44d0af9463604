// SHA-256 (FIPS 180-4), SM3 (GB/T 32905-2016) and Keccak-256 (Ethereum's: the original Keccak
// padding 0x01, not SHA3-256's 0x06), written here because crypto.subtle exists only in secure
// contexts and a node's console is often reached over plain http on a LAN. Each is incremental:
// update() takes chunks of a large File as they are read, so the file is never held whole.

/** A hash in progress: update(bytes) any number of times, then digest() once. */
class BlockHash {
  constructor(blockBytes) {
    this.block = new Uint8Array(blockBytes);
    this.filled = 0;
    this.length = 0; // bytes hashed so far, a Number: exact up to 2^53
    this.done = false;
  }

  update(bytes) {
    if (this.done) {
      throw new Error('update() after digest(): start a new hash');
    }
    const size = this.block.length;
    let at = 0;
    this.length += bytes.length;
    if (this.filled > 0) {
      const take = Math.min(size - this.filled, bytes.length);
      this.block.set(bytes.subarray(0, take), this.filled);
      this.filled += take;
      at = take;
      if (this.filled < size) {
        return this;
      }
      this.compress(this.block, 0);
      this.filled = 0;
    }
    for (; at + size <= bytes.length; at += size) {
      this.compress(bytes, at);
    }
    this.block.set(bytes.subarray(at), 0);
    this.filled = bytes.length - at;
    return this;
  }

  /** Merkle–Damgård padding with a 64-bit big-endian bit length, as SHA-256 and SM3 use. */
  padBigEndian() {
    const bits = this.length * 8;
    this.block[this.filled++] = 0x80;
    if (this.filled > 56) {
      this.block.fill(0, this.filled);
      this.compress(this.block, 0);
      this.filled = 0;
    }
    this.block.fill(0, this.filled, 56);
    const high = Math.floor(bits / 0x100000000);
    writeWord(this.block, 56, high);
    writeWord(this.block, 60, bits >>> 0);
    this.compress(this.block, 0);
  }

  finishWords(state) {
    if (this.done) {
      throw new Error('digest() called twice');
    }
    this.done = true;
    this.padBigEndian();
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      writeWord(out, 4 * i, state[i]);
    }
    return out;
  }
}

function writeWord(out, at, word) {
  out[at] = word >>> 24;
  out[at + 1] = word >>> 16;
  out[at + 2] = word >>> 8;
  out[at + 3] = word;
}

function readWord(bytes, at) {
  return (bytes[at] << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 | bytes[at + 3]) | 0;
}

const SHA256_K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

class Sha256 extends BlockHash {
  constructor() {
    super(64);
    this.state = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f,
      0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    this.w = new Int32Array(64);
  }

  compress(bytes, at) {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      w[i] = readWord(bytes, at + 4 * i);
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15];
      const b = w[i - 2];
      const s0 = (a >>> 7 | a << 25) ^ (a >>> 18 | a << 14) ^ (a >>> 3);
      const s1 = (b >>> 17 | b << 15) ^ (b >>> 19 | b << 13) ^ (b >>> 10);
      w[i] = (((w[i - 16] + s0) | 0) + ((w[i - 7] + s1) | 0)) | 0;
    }
    const s = this.state;
    let a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (let i = 0; i < 64; i++) {
      const s1 = (e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7);
      const t1 = (((h + s1) | 0) + (((e & f) ^ (~e & g)) + ((SHA256_K[i] + w[i]) | 0) | 0)) | 0;
      const s0 = (a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10);
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    s[0] += a; s[1] += b; s[2] += c; s[3] += d; s[4] += e; s[5] += f; s[6] += g; s[7] += h;
  }

  digest() {
    return this.finishWords(this.state);
  }
}

// SM3's round constants, T_j rotated left by j mod 32, precomputed.
const SM3_T = new Int32Array(64);
for (let j = 0; j < 64; j++) {
  const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
  const r = j % 32;
  SM3_T[j] = r === 0 ? t : (t << r | t >>> (32 - r));
}

class Sm3 extends BlockHash {
  constructor() {
    super(64);
    this.state = new Int32Array([0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc,
      0x163138aa, 0xe38dee4d, 0xb0fb0e4e]);
    this.w = new Int32Array(68);
  }

  compress(bytes, at) {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      w[i] = readWord(bytes, at + 4 * i);
    }
    for (let i = 16; i < 68; i++) {
      const x = w[i - 16] ^ w[i - 9] ^ (w[i - 3] << 15 | w[i - 3] >>> 17);
      const p1 = x ^ (x << 15 | x >>> 17) ^ (x << 23 | x >>> 9);
      w[i] = p1 ^ (w[i - 13] << 7 | w[i - 13] >>> 25) ^ w[i - 6];
    }
    const s = this.state;
    let a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (let j = 0; j < 64; j++) {
      const a12 = a << 12 | a >>> 20;
      const t = (a12 + e + SM3_T[j]) | 0;
      const ss1 = t << 7 | t >>> 25;
      const ss2 = ss1 ^ a12;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) | 0;
      const tt2 = (gg + h + ss1 + w[j]) | 0;
      d = c;
      c = b << 9 | b >>> 23;
      b = a;
      a = tt1;
      h = g;
      g = f << 19 | f >>> 13;
      f = e;
      e = tt2 ^ (tt2 << 9 | tt2 >>> 23) ^ (tt2 << 17 | tt2 >>> 15);
    }
    s[0] ^= a; s[1] ^= b; s[2] ^= c; s[3] ^= d; s[4] ^= e; s[5] ^= f; s[6] ^= g; s[7] ^= h;
  }

  digest() {
    return this.finishWords(this.state);
  }
}

// Keccak-f[1600] on 25 64-bit lanes kept as (low, high) 32-bit halves: lane i is at 2i, 2i+1.
const KECCAK_ROUND_LOW = new Int32Array(24);
const KECCAK_ROUND_HIGH = new Int32Array(24);
(function roundConstants() {
  // The constants come from the LFSR x^8 + x^6 + x^5 + x^4 + 1 of the Keccak reference.
  let r = 1;
  for (let round = 0; round < 24; round++) {
    let low = 0, high = 0;
    for (let j = 0; j < 7; j++) {
      const bit = r & 1;
      r = (r & 0x80) ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
      const position = (1 << j) - 1;
      if (bit) {
        if (position < 32) {
          low |= 1 << position;
        } else {
          high |= 1 << (position - 32);
        }
      }
    }
    KECCAK_ROUND_LOW[round] = low;
    KECCAK_ROUND_HIGH[round] = high;
  }
})();

// ρ offsets and π destinations: lane x + 5y moves to y + 5(2x + 3y), rotated by ROTATION.
const KECCAK_ROTATION = new Int32Array(25);
const KECCAK_PI = new Int32Array(25);
(function rhoPi() {
  let x = 1, y = 0;
  for (let t = 0; t < 24; t++) {
    KECCAK_ROTATION[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
    const nextX = y, nextY = (2 * x + 3 * y) % 5;
    x = nextX;
    y = nextY;
  }
  for (let x0 = 0; x0 < 5; x0++) {
    for (let y0 = 0; y0 < 5; y0++) {
      KECCAK_PI[x0 + 5 * y0] = y0 + 5 * ((2 * x0 + 3 * y0) % 5);
    }
  }
})();

function keccakF(s, b, c) {
  for (let round = 0; round < 24; round++) {
    // θ: each lane is xored with the parities of two neighbouring columns.
    for (let x = 0; x < 10; x++) {
      c[x] = s[x] ^ s[x + 10] ^ s[x + 20] ^ s[x + 30] ^ s[x + 40];
    }
    for (let x = 0; x < 10; x += 2) {
      const next = x === 8 ? 0 : x + 2;
      const previous = x === 0 ? 8 : x - 2;
      const dLow = c[previous] ^ (c[next] << 1 | c[next + 1] >>> 31);
      const dHigh = c[previous + 1] ^ (c[next + 1] << 1 | c[next] >>> 31);
      for (let y = 0; y < 50; y += 10) {
        s[x + y] ^= dLow;
        s[x + y + 1] ^= dHigh;
      }
    }
    // ρ and π
    for (let i = 0; i < 25; i++) {
      const low = s[2 * i], high = s[2 * i + 1];
      const r = KECCAK_ROTATION[i];
      const to = 2 * KECCAK_PI[i];
      if (r === 0) {
        b[to] = low;
        b[to + 1] = high;
      } else if (r < 32) {
        b[to] = low << r | high >>> (32 - r);
        b[to + 1] = high << r | low >>> (32 - r);
      } else if (r === 32) {
        b[to] = high;
        b[to + 1] = low;
      } else {
        b[to] = high << (r - 32) | low >>> (64 - r);
        b[to + 1] = low << (r - 32) | high >>> (64 - r);
      }
    }
    // χ, row by row
    for (let y = 0; y < 50; y += 10) {
      const b0 = b[y], b1 = b[y + 1], b2 = b[y + 2], b3 = b[y + 3], b4 = b[y + 4];
      const b5 = b[y + 5], b6 = b[y + 6], b7 = b[y + 7], b8 = b[y + 8], b9 = b[y + 9];
      s[y] = b0 ^ (~b2 & b4);
      s[y + 1] = b1 ^ (~b3 & b5);
      s[y + 2] = b2 ^ (~b4 & b6);
      s[y + 3] = b3 ^ (~b5 & b7);
      s[y + 4] = b4 ^ (~b6 & b8);
      s[y + 5] = b5 ^ (~b7 & b9);
      s[y + 6] = b6 ^ (~b8 & b0);
      s[y + 7] = b7 ^ (~b9 & b1);
      s[y + 8] = b8 ^ (~b0 & b2);
      s[y + 9] = b9 ^ (~b1 & b3);
    }
    // ι
    s[0] ^= KECCAK_ROUND_LOW[round];
    s[1] ^= KECCAK_ROUND_HIGH[round];
  }
}

const KECCAK256_RATE = 136;

class Keccak256 extends BlockHash {
  constructor() {
    super(KECCAK256_RATE);
    this.state = new Int32Array(50);
    this.b = new Int32Array(50);
    this.c = new Int32Array(10);
  }

  compress(bytes, at) {
    const s = this.state;
    for (let i = 0; i < KECCAK256_RATE / 4; i++) {
      const p = at + 4 * i;
      s[i] ^= bytes[p] | bytes[p + 1] << 8 | bytes[p + 2] << 16 | bytes[p + 3] << 24;
    }
    keccakF(s, this.b, this.c);
  }

  digest() {
    if (this.done) {
      throw new Error('digest() called twice');
    }
    this.done = true;
    this.block.fill(0, this.filled);
    this.block[this.filled] ^= 0x01;
    this.block[KECCAK256_RATE - 1] ^= 0x80;
    this.compress(this.block, 0);
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) {
      out[i] = this.state[i >> 2] >>> (8 * (i & 3));
    }
    return out;
  }
}

const ALGORITHMS = {sha256: Sha256, sm3: Sm3, keccak256: Keccak256};

/** The names createHash takes, as the notary labels content hashes. */
export const HASH_NAMES = Object.freeze(Object.keys(ALGORITHMS));

/**
 * A new incremental hash: {update(Uint8Array) → itself, digest() → Uint8Array(32)}.
 * @param {'sha256'|'sm3'|'keccak256'} name
 */
export function createHash(name) {
  const Algorithm = ALGORITHMS[name];
  if (!Algorithm) {
    throw new Error(`unknown hash '${name}': use one of ${HASH_NAMES.join(', ')}`);
  }
  return new Algorithm();
}

export function sha256(bytes) {
  return new Sha256().update(bytes).digest();
}

export function sm3(bytes) {
  return new Sm3().update(bytes).digest();
}

export function keccak256(bytes) {
  return new Keccak256().update(bytes).digest();
}

/** A chain suite's hash: keccak-256 on ethereum chains, SM3 on sm chains. */
export function suiteHash(suite) {
  switch (suite) {
    case 'ethereum': return keccak256;
    case 'sm': return sm3;
    default: throw new Error(`unknown crypto suite '${suite}': use 'ethereum' or 'sm'`);
  }
}

/**
 * Hashes a Blob or File (the browser's, or Node's) chunk by chunk in every named algorithm at
 * once, reading it a single time; onProgress(bytesDone, totalBytes) after each chunk.
 * @returns {Promise<Object<string, Uint8Array>>} digest by algorithm name
 */
export async function hashBlob(blob, names = HASH_NAMES, onProgress = () => {}, chunkBytes = 4 << 20) {
  const hashes = names.map(createHash);
  for (let at = 0; at < blob.size; at += chunkBytes) {
    const chunk = new Uint8Array(await blob.slice(at, at + chunkBytes).arrayBuffer());
    for (const hash of hashes) {
      hash.update(chunk);
    }
    onProgress(Math.min(at + chunkBytes, blob.size), blob.size);
  }
  const out = {};
  names.forEach((name, i) => { out[name] = hashes[i].digest(); });
  return out;
}

/** Bytes as 0x-prefixed lower-case hex. */
export function toHex(bytes) {
  let out = '0x';
  for (const b of bytes) {
    out += (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}

/** 0x-prefixed (or bare) hex as bytes; throws naming what is wrong. */
export function fromHex(text, what = 'hex') {
  if (typeof text !== 'string') {
    throw new Error(`${what} must be a hex string`);
  }
  const digits = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (digits.length % 2 !== 0) {
    throw new Error(`${what}: odd number of hex digits`);
  }
  if (!/^[0-9a-fA-F]*$/.test(digits)) {
    throw new Error(`${what}: not hex`);
  }
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(digits.substr(2 * i, 2), 16);
  }
  return out;
}

/** UTF-8 bytes of a string. */
export function utf8(text) {
  return new TextEncoder().encode(text);
}
