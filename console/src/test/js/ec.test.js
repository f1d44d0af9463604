// secp256k1 against signatures made by Node's OpenSSL: verify accepts them (and s → n − s, as
// Secp256k1.verify does), recovery gives the signer's key, and any changed bit is refused.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {SECP256K1, SignatureError, InvalidKeyError, secp256k1Recover, secp256k1Verify}
  from '../../main/resources/io/chorus/console/site/crypto/ec.js';
import {toHex} from '../../main/resources/io/chorus/console/site/crypto/hash.js';

function signed(message) {
  const {privateKey, publicKey} = crypto.generateKeyPairSync('ec', {namedCurve: 'secp256k1'});
  const jwk = publicKey.export({format: 'jwk'});
  const key = Buffer.concat([Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  const signature = crypto.sign('sha256', message, {key: privateKey, dsaEncoding: 'ieee-p1363'});
  return {
    key: new Uint8Array(key),
    digest: new Uint8Array(crypto.createHash('sha256').update(message).digest()),
    r: BigInt('0x' + signature.subarray(0, 32).toString('hex')),
    s: BigInt('0x' + signature.subarray(32).toString('hex')),
  };
}

test('secp256k1 verifies OpenSSL signatures and refuses altered ones', () => {
  for (let i = 0; i < 3; i++) {
    const {key, digest, r, s} = signed(Buffer.from(`message ${i}`));
    assert.equal(secp256k1Verify(digest, {r, s}, key), true);
    assert.equal(secp256k1Verify(digest, {r, s: SECP256K1.n - s}, key), true);
    assert.equal(secp256k1Verify(digest, {r, s: s ^ 1n}, key), false);
    const other = digest.slice();
    other[0] ^= 1;
    assert.equal(secp256k1Verify(other, {r, s}, key), false);
    const recovered = [0, 1].map((recoveryId) => toHex(secp256k1Recover(digest, {r, s, recoveryId})));
    assert.ok(recovered.includes(toHex(key)), 'one recovery id gives the signer');
  }
});

test('malformed secp256k1 input is named', () => {
  const {key, digest, r, s} = signed(Buffer.from('x'));
  assert.throws(() => secp256k1Verify(digest, {r: 0n, s}, key), SignatureError);
  assert.throws(() => secp256k1Verify(digest, {r, s: SECP256K1.n}, key), SignatureError);
  const offCurve = key.slice();
  offCurve[63] ^= 1;
  assert.throws(() => secp256k1Verify(digest, {r, s}, offCurve), InvalidKeyError);
});
