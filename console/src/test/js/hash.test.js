// Standard vectors for the console's hashes (FIPS 180-4 examples, GB/T 32905-2016 appendix A,
// Keccak-256 as Ethereum uses it), chunked hashing equal to one-shot, and agreement with Node's
// own SHA-256 and SM3 (OpenSSL) on random inputs of every length around the block boundaries.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {createHash, hashBlob, keccak256, sha256, sm3, toHex, utf8}
  from '../../main/resources/io/chorus/console/site/crypto/hash.js';

test('SHA-256 gives the FIPS 180-4 example digests', () => {
  assert.equal(toHex(sha256(utf8('abc'))),
    '0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(toHex(sha256(utf8(''))),
    '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(toHex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
    '0x248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  assert.equal(toHex(sha256(new Uint8Array(1000000).fill(0x61))),
    '0xcdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
});

test('SM3 gives the GB/T 32905 examples: "abc" and the 64-byte "abcd" x 16', () => {
  assert.equal(toHex(sm3(utf8('abc'))),
    '0x66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(toHex(sm3(utf8('abcd'.repeat(16)))),
    '0xdebe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
});

test('Keccak-256 is Ethereum\'s (padding 0x01), not SHA3-256', () => {
  assert.equal(toHex(keccak256(new Uint8Array(0))),
    '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.equal(toHex(keccak256(utf8('abc'))),
    '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  assert.notEqual(toHex(keccak256(utf8('abc'))),
    '0x' + crypto.createHash('sha3-256').update('abc').digest('hex'));
});

test('hashing in chunks gives the one-shot digest, and SHA-256 and SM3 agree with OpenSSL', () => {
  for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 135, 136, 137, 272, 1000, 70000]) {
    const data = crypto.randomBytes(length);
    assert.equal(toHex(sha256(data)), '0x' + crypto.createHash('sha256').update(data).digest('hex'));
    assert.equal(toHex(sm3(data)), '0x' + crypto.createHash('sm3').update(data).digest('hex'));
    for (const name of ['sha256', 'sm3', 'keccak256']) {
      const whole = createHash(name).update(data).digest();
      const chunked = createHash(name);
      for (let at = 0; at < length; at += 1 + (at % 97)) {
        chunked.update(data.subarray(at, Math.min(length, at + 1 + (at % 97))));
      }
      assert.equal(toHex(chunked.digest()), toHex(whole), `${name} of ${length} bytes`);
    }
  }
});

test('a Blob is hashed chunk by chunk in every algorithm at once', async () => {
  const data = crypto.randomBytes(300000);
  const seen = [];
  const digests = await hashBlob(new Blob([data]), ['sha256', 'sm3', 'keccak256'],
    (done) => seen.push(done), 65536);
  assert.equal(toHex(digests.sha256), toHex(sha256(data)));
  assert.equal(toHex(digests.sm3), toHex(sm3(data)));
  assert.equal(toHex(digests.keccak256), toHex(keccak256(data)));
  assert.deepEqual(seen, [65536, 131072, 196608, 262144, 300000]);
});

test('a hash is used once', () => {
  const h = createHash('sm3');
  h.digest();
  assert.throws(() => h.update(new Uint8Array(1)), /after digest/);
  assert.throws(() => createHash('md5'), /sha256, sm3, keccak256/);
});
