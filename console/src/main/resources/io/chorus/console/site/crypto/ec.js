// The two signature schemes of Chorus's suites, verified with BigInt arithmetic: secp256k1 ECDSA
// (verify, and public-key recovery for ethereum-suite transactions) and SM2 (GB/T 32918.2, with
// the Z value over the default user id that SmSuite signs with). Correctness over speed: points
// in Jacobian coordinates, u1·G + u2·Q by Shamir's trick, no precomputed tables.
import {sm3} from './hash.js';
import {bytesToBigInt, concat} from './rlp.js';

/** A signature that is malformed: r or s out of range, or no point to recover. */
export class SignatureError extends Error {}

/** A public key that is not 64 bytes or not a point of the curve. */
export class InvalidKeyError extends Error {}

function curve(name, hex) {
  const [p, a, b, n, gx, gy] = hex.map((h) => BigInt('0x' + h));
  return {name, p, a, b, n, g: {x: gx, y: gy, z: 1n}};
}

export const SECP256K1 = curve('secp256k1', [
  'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f',
  '0',
  '7',
  'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141',
  '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
  '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8']);

export const SM2P256V1 = curve('sm2p256v1', [
  'fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff',
  'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc',
  '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93',
  'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123',
  '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7',
  'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0']);

const INFINITY = {x: 1n, y: 1n, z: 0n};

function mod(value, m) {
  const r = value % m;
  return r < 0n ? r + m : r;
}

function inverse(value, m) {
  let [a, b] = [mod(value, m), m];
  let [x, y] = [1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [x, y] = [y, x - q * y];
  }
  if (a !== 1n) {
    throw new SignatureError('value has no inverse');
  }
  return mod(x, m);
}

function power(base, exponent, m) {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) {
      result = result * b % m;
    }
    b = b * b % m;
  }
  return result;
}

function double(c, P) {
  if (P.z === 0n || P.y === 0n) {
    return INFINITY;
  }
  const p = c.p;
  const yy = P.y * P.y % p;
  const s = 4n * P.x * yy % p;
  const zz = P.z * P.z % p;
  const m = mod(3n * P.x * P.x + c.a * zz % p * zz, p);
  const x = mod(m * m - 2n * s, p);
  const y = mod(m * (s - x) - 8n * yy * yy, p);
  return {x, y, z: 2n * P.y * P.z % p};
}

function add(c, P, Q) {
  if (P.z === 0n) {
    return Q;
  }
  if (Q.z === 0n) {
    return P;
  }
  const p = c.p;
  const z1z1 = P.z * P.z % p;
  const z2z2 = Q.z * Q.z % p;
  const u1 = P.x * z2z2 % p;
  const u2 = Q.x * z1z1 % p;
  const s1 = P.y * Q.z % p * z2z2 % p;
  const s2 = Q.y * P.z % p * z1z1 % p;
  if (u1 === u2) {
    return s1 === s2 ? double(c, P) : INFINITY;
  }
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = h * h % p;
  const hhh = hh * h % p;
  const v = u1 * hh % p;
  const x = mod(r * r - hhh - 2n * v, p);
  const y = mod(r * (v - x) - s1 * hhh, p);
  return {x, y, z: h * P.z % p * Q.z % p};
}

function affine(c, P) {
  if (P.z === 0n) {
    return null;
  }
  const zInverse = inverse(P.z, c.p);
  const zz = zInverse * zInverse % c.p;
  return {x: P.x * zz % c.p, y: P.y * zz % c.p * zInverse % c.p};
}

/** u1·G + u2·Q, affine, or null for the point at infinity. */
function sumOfTwoMultiplies(c, u1, Q, u2) {
  const both = add(c, c.g, Q);
  let R = INFINITY;
  const bits = Math.max(u1.toString(2).length, u2.toString(2).length);
  for (let i = BigInt(bits - 1); i >= 0n; i--) {
    R = double(c, R);
    const a = (u1 >> i) & 1n;
    const b = (u2 >> i) & 1n;
    if (a && b) {
      R = add(c, R, both);
    } else if (a) {
      R = add(c, R, c.g);
    } else if (b) {
      R = add(c, R, Q);
    }
  }
  return affine(c, R);
}

function checkRange(c, field, value) {
  if (value <= 0n || value >= c.n) {
    throw new SignatureError(`signature ${field} must be in [1, n-1] for ${c.name}, got 0x`
      + value.toString(16));
  }
}

/** The point of a 64-byte public key x ‖ y; rejects coordinates ≥ p and points off the curve. */
function publicPoint(c, publicKey) {
  if (publicKey.length !== 64) {
    throw new InvalidKeyError(`public key must be 64 bytes, got ${publicKey.length}`);
  }
  const x = bytesToBigInt(publicKey.subarray(0, 32));
  const y = bytesToBigInt(publicKey.subarray(32));
  if (x >= c.p || y >= c.p || mod(y * y - (x * x % c.p * x + c.a * x + c.b), c.p) !== 0n) {
    throw new InvalidKeyError(`public key is not a point on ${c.name}`);
  }
  return {x, y, z: 1n};
}

function requireDigest(digest) {
  if (digest.length !== 32) {
    throw new SignatureError(`digest must be 32 bytes, got ${digest.length}`);
  }
}

function encodePoint(point) {
  const hex = point.x.toString(16).padStart(64, '0') + point.y.toString(16).padStart(64, '0');
  const out = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    out[i] = parseInt(hex.substr(2 * i, 2), 16);
  }
  return out;
}

/**
 * Whether {r, s} (BigInts) is a secp256k1 ECDSA signature of the 32-byte digest by the 64-byte
 * public key. Any s in [1, n-1] is accepted, as Secp256k1.verify does (low s is a rule of
 * transactions, not of seals).
 * @throws {SignatureError} when r or s is out of range; InvalidKeyError for a bad key
 */
export function secp256k1Verify(digest, signature, publicKey) {
  const c = SECP256K1;
  requireDigest(digest);
  checkRange(c, 'r', signature.r);
  checkRange(c, 's', signature.s);
  const q = publicPoint(c, publicKey);
  const w = inverse(signature.s, c.n);
  const e = bytesToBigInt(digest);
  const point = sumOfTwoMultiplies(c, e * w % c.n, q, signature.r * w % c.n);
  return point !== null && point.x % c.n === signature.r;
}

/**
 * The 64-byte public key that made {r, s, recoveryId} over the digest: Q = r⁻¹(sR − eG).
 * @throws {SignatureError} when the signature is malformed or recovers no key
 */
export function secp256k1Recover(digest, signature) {
  const c = SECP256K1;
  requireDigest(digest);
  checkRange(c, 'r', signature.r);
  checkRange(c, 's', signature.s);
  const id = signature.recoveryId;
  const x = id >= 2 ? signature.r + c.n : signature.r;
  if (x >= c.p) {
    throw new SignatureError(`signature r + n is not below the field prime p, so recovery id ${id}`
      + ' names no point');
  }
  const rhs = mod(x * x % c.p * x + c.b, c.p);
  let y = power(rhs, (c.p + 1n) / 4n, c.p); // p ≡ 3 (mod 4)
  if (y * y % c.p !== rhs) {
    throw new SignatureError(`signature r (recovery id ${id}) is not the x of a secp256k1 point`);
  }
  if ((y & 1n) !== BigInt(id & 1)) {
    y = c.p - y;
  }
  const rInverse = inverse(signature.r, c.n);
  const e = bytesToBigInt(digest);
  const q = sumOfTwoMultiplies(c, mod(-e * rInverse, c.n), {x, y, z: 1n},
    signature.s * rInverse % c.n);
  if (q === null) {
    throw new SignatureError('signature recovers the point at infinity, not a public key');
  }
  return encodePoint(q);
}

/** The user id SmSuite signs under when the parties agree on none (GM/T 0009). */
export const SM2_DEFAULT_USER_ID = new TextEncoder().encode('1234567812345678');

function word(value) {
  return encodePoint({x: value, y: 0n}).subarray(0, 32);
}

/** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA): what binds the signer's key into e. */
export function sm2Z(publicKey, userId = SM2_DEFAULT_USER_ID) {
  const c = SM2P256V1;
  const bits = userId.length * 8;
  return sm3(concat(Uint8Array.of(bits >> 8 & 0xff, bits & 0xff), userId, word(c.a), word(c.b),
    word(c.g.x), word(c.g.y), publicKey));
}

/**
 * Whether {r, s} is an SM2 signature of message (for the sm suite: a 32-byte digest) by the
 * 64-byte public key, e = SM3(Z ‖ message) with the default user id.
 * @throws {SignatureError} when r or s is out of range; InvalidKeyError for a bad key
 */
export function sm2Verify(message, signature, publicKey, userId = SM2_DEFAULT_USER_ID) {
  const c = SM2P256V1;
  checkRange(c, 'r', signature.r);
  checkRange(c, 's', signature.s);
  const p = publicPoint(c, publicKey);
  const t = (signature.r + signature.s) % c.n;
  if (t === 0n) {
    return false;
  }
  const point = sumOfTwoMultiplies(c, signature.s, p, t);
  if (point === null) {
    return false;
  }
  const e = bytesToBigInt(sm3(concat(sm2Z(publicKey, userId), message)));
  return (e + point.x) % c.n === signature.r;
}

/** The suite's signature check over a 32-byte digest, as CryptoSuite.verify. */
export function suiteVerify(suite, digest, signature, publicKey) {
  if (suite === 'sm') {
    requireDigest(digest);
    return sm2Verify(digest, signature, publicKey);
  }
  return secp256k1Verify(digest, signature, publicKey);
}
