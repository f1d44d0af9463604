// The RLP reader refuses what io.chorus.codec.RlpReader refuses; trie roots built here are the
// well-known ones (the empty trie, Ethereum's "doe/dog/dogglesworth" example), and a proof
// through them verifies, shows absent keys, and fails on any altered node.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {RlpError, RlpReader, encodeBytes, encodeList}
  from '../../main/resources/io/chorus/console/site/crypto/rlp.js';
import {InvalidProofError, emptyRoot, trieRoot, verifyProof}
  from '../../main/resources/io/chorus/console/site/crypto/trie.js';
import {fromHex, keccak256, toHex, utf8}
  from '../../main/resources/io/chorus/console/site/crypto/hash.js';

test('only canonical RLP is read', () => {
  assert.throws(() => new RlpReader(fromHex('0x8105')).readBytes(), /encoded as itself/);
  assert.throws(() => new RlpReader(fromHex('0xb801ff')).readBytes(), /short form/);
  assert.throws(() => new RlpReader(fromHex('0x83aabb')).readBytes(), /runs past/);
  assert.throws(() => new RlpReader(fromHex('0x8200ff')).readScalar('n', 8), /leading zero/);
  assert.throws(() => new RlpReader(fromHex('0xc0')).readBytes(), RlpError);
  const long = new Uint8Array(60).fill(7);
  assert.deepEqual(new RlpReader(encodeBytes(long)).readBytes(), long);
  const list = new RlpReader(encodeList([encodeBytes(utf8('cat')), encodeBytes(utf8('dog'))]))
    .readList();
  assert.equal(new TextDecoder().decode(list.readBytes()), 'cat');
  assert.equal(new TextDecoder().decode(list.readBytes()), 'dog');
  list.requireEnd('pair');
});

test('trie roots and proofs are Ethereum\'s', () => {
  assert.equal(toHex(emptyRoot(keccak256)),
    '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
  const entries = [['doe', 'reindeer'], ['dog', 'puppy'], ['dogglesworth', 'cat']]
    .map(([k, v]) => [utf8(k), utf8(v)]);
  assert.equal(toHex(trieRoot(keccak256, entries)),
    '0x8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3');
  // A one-entry trie is its leaf: the proof of any key is that node.
  const leaf = encodeList([encodeBytes(Uint8Array.of(0x20, ...utf8('dog'))), encodeBytes(utf8('puppy'))]);
  const root = trieRoot(keccak256, [[utf8('dog'), utf8('puppy')]]);
  assert.equal(toHex(root), toHex(keccak256(leaf)));
  assert.equal(new TextDecoder().decode(verifyProof(keccak256, root, utf8('dog'), [leaf])), 'puppy');
  assert.equal(verifyProof(keccak256, root, utf8('cat'), [leaf]), null);
  const altered = leaf.slice();
  altered[altered.length - 1] ^= 1;
  assert.throws(() => verifyProof(keccak256, root, utf8('dog'), [altered]), InvalidProofError);
  assert.throws(() => verifyProof(keccak256, root, utf8('dog'), [leaf, leaf]), /more node/);
  assert.throws(() => verifyProof(keccak256, root, utf8('dog'), []), /not the empty trie/);
});
