// Merkle-Patricia tries as Chorus's trie module makes them (Yellow Paper, appendices C and D):
// proof verification exactly as io.chorus.trie.MerkleProof checks it (every node hashes to its
// parent's reference, only canonical nodes, no node off the key's path), and the root of a
// trie built from key/value pairs, which trustRootFromGenesis needs for the genesis state.
import {RlpError, RlpReader, encodeBytes, encodeList, equalBytes} from './rlp.js';
import {toHex} from './hash.js';

/** A proof that does not lead from its root hash to its key; the message says where. */
export class InvalidProofError extends Error {}

const DIGEST_BYTES = 32;
/** Node encodings shorter than this are embedded in their parent. */
const EMBED_LIMIT = 32;
const EMPTY_STRING = Uint8Array.of(0x80);

/** The root hash of the empty trie: the hash of RLP(""). */
export function emptyRoot(hash) {
  return hash(EMPTY_STRING);
}

function nibbles(key) {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 0xf;
  }
  return out;
}

/** Hex-prefix decoding, canonical form only (zero padding nibble on even paths). */
function hexPrefix(encoded, at) {
  if (encoded.length === 0) {
    throw new RlpError('hex-prefix path is empty', at);
  }
  const flags = encoded[0] >> 4;
  if (flags > 3) {
    throw new RlpError(`hex-prefix flag nibble ${flags} is not 0 to 3`, at);
  }
  const odd = (flags & 1) === 1;
  if (!odd && (encoded[0] & 0xf) !== 0) {
    throw new RlpError('hex-prefix padding nibble of an even path is not 0', at);
  }
  const path = [];
  if (odd) {
    path.push(encoded[0] & 0xf);
  }
  for (let i = 1; i < encoded.length; i++) {
    path.push(encoded[i] >> 4, encoded[i] & 0xf);
  }
  return {path: Uint8Array.from(path), leaf: flags >= 2};
}

function hexPrefixEncode(path, leaf) {
  const odd = path.length % 2 === 1;
  const out = new Uint8Array(Math.floor(path.length / 2) + 1);
  out[0] = ((leaf ? 2 : 0) | (odd ? 1 : 0)) << 4 | (odd ? path[0] : 0);
  for (let i = odd ? 1 : 0, o = 1; o < out.length; i += 2, o++) {
    out[o] = path[i] << 4 | path[i + 1];
  }
  return out;
}

/** Decodes a node as NodeCodec.decode does: only what the Java encoder produces. */
function decodeNode(encoded) {
  const reader = new RlpReader(encoded);
  const node = decodeList(encoded, reader);
  reader.requireEnd('trie node');
  return node;
}

function decodeList(data, reader) {
  const start = reader.position;
  if (!reader.nextIsList()) {
    throw new RlpError('trie node must be a list', start);
  }
  const items = reader.readList();
  const at = [];
  while (items.hasNext()) {
    if (at.length === 17) {
      throw new RlpError('trie node has more than 17 items', items.position);
    }
    at.push(items.position);
    items.skip();
  }
  const count = at.length;
  at.push(items.position);
  if (count === 2) {
    return decodeShort(data, at);
  }
  if (count === 17) {
    const children = [];
    for (let i = 0; i < 16; i++) {
      children.push(decodeChild(data, at[i], at[i + 1]));
    }
    const value = new RlpReader(data, at[16], at[17]).readBytes();
    return {type: 'branch', children, value};
  }
  throw new RlpError(`trie node has ${count} items, not 2 or 17`, start);
}

function decodeShort(data, at) {
  const {path, leaf} = hexPrefix(new RlpReader(data, at[0], at[1]).readBytes(), at[0]);
  if (leaf) {
    const value = new RlpReader(data, at[1], at[2]).readBytes();
    if (value.length === 0) {
      throw new RlpError('leaf value is empty', at[1]);
    }
    return {type: 'leaf', path, value};
  }
  if (path.length === 0) {
    throw new RlpError('extension path is empty', at[0]);
  }
  const child = decodeChild(data, at[1], at[2]);
  if (child === null) {
    throw new RlpError('extension has no child', at[1]);
  }
  return {type: 'extension', path, child};
}

function decodeChild(data, from, to) {
  const reader = new RlpReader(data, from, to);
  if (reader.nextIsList()) {
    if (to - from >= EMBED_LIMIT) {
      throw new RlpError(`embedded node of ${to - from} bytes must be referred to by hash`, from);
    }
    return decodeList(data, reader);
  }
  const bytes = reader.readBytes();
  if (bytes.length === 0) {
    return null;
  }
  if (bytes.length !== DIGEST_BYTES) {
    throw new RlpError(`child reference of ${bytes.length} bytes is neither empty nor a `
      + `${DIGEST_BYTES}-byte hash`, from);
  }
  return {type: 'hash', hash: bytes};
}

function startsWith(key, from, path) {
  if (key.length - from < path.length) {
    return false;
  }
  for (let i = 0; i < path.length; i++) {
    if (key[from + i] !== path[i]) {
      return false;
    }
  }
  return true;
}

function open(hash, proof, index, expected) {
  const encoded = proof[index];
  const actual = hash(encoded);
  if (!equalBytes(actual, expected)) {
    throw new InvalidProofError(`proof node ${index} hashes to ${toHex(actual)}, but `
      + (index === 0 ? 'the root hash is ' : 'its parent refers to ') + toHex(expected));
  }
  if (index > 0 && encoded.length < EMBED_LIMIT) {
    throw new InvalidProofError(`proof node ${index} is ${encoded.length} bytes, so its parent`
      + ' should embed it instead of referring to it by hash');
  }
  try {
    return decodeNode(encoded);
  } catch (e) {
    if (e instanceof RlpError) {
      throw new InvalidProofError(`proof node ${index} is malformed: ${e.message}`);
    }
    throw e;
  }
}

function end(proof, index, value) {
  const unused = proof.length - 1 - index;
  if (unused > 0) {
    throw new InvalidProofError(`the key's path ends at proof node ${index}, but ${unused} more`
      + ` node${unused === 1 ? ' follows' : 's follow'}`);
  }
  return value;
}

/**
 * Follows key from rootHash through proof (the nodes from the root, as eth_getProof gives them).
 * @param {(bytes: Uint8Array) => Uint8Array} hash the suite hash
 * @returns {Uint8Array|null} the key's value, or null when the proof shows it absent
 * @throws {InvalidProofError} when the proof does not hash together, is malformed, stops before
 *     the key's path does, or carries nodes off that path
 */
export function verifyProof(hash, rootHash, key, proof) {
  if (rootHash.length !== DIGEST_BYTES) {
    throw new InvalidProofError(`root hash must be ${DIGEST_BYTES} bytes, got ${rootHash.length}`);
  }
  if (proof.length === 0) {
    if (equalBytes(rootHash, emptyRoot(hash))) {
      return null;
    }
    throw new InvalidProofError(`proof is empty, but root ${toHex(rootHash)} is not the empty`
      + ' trie\'s');
  }
  const path = nibbles(key);
  let pos = 0;
  let index = 0;
  let node = open(hash, proof, 0, rootHash);
  // Each step consumes a nibble of the key or a node of the proof, so the loop ends.
  for (;;) {
    switch (node.type) {
      case 'leaf':
        return end(proof, index, path.length - pos === node.path.length
          && startsWith(path, pos, node.path) ? node.value : null);
      case 'extension':
        if (!startsWith(path, pos, node.path)) {
          return end(proof, index, null);
        }
        pos += node.path.length;
        node = node.child;
        break;
      case 'branch':
        if (pos === path.length) {
          return end(proof, index, node.value.length > 0 ? node.value : null);
        }
        node = node.children[path[pos++]];
        if (node === null) {
          return end(proof, index, null);
        }
        break;
      case 'hash':
        index++;
        if (index === proof.length) {
          throw new InvalidProofError(`proof ends after ${index} nodes, but the key's path`
            + ` continues to node ${toHex(node.hash)}`);
        }
        node = open(hash, proof, index, node.hash);
        break;
      default:
        throw new Error(`unknown node type ${node.type}`);
    }
  }
}

/** A proof in a secure trie (state, storage): the key is looked up by its suite hash. */
export function verifySecureProof(hash, rootHash, key, proof) {
  return verifyProof(hash, rootHash, hash(key), proof);
}

/**
 * The root hash of the trie holding these entries ([key, value] byte arrays, distinct keys,
 * non-empty values), as MerklePatriciaTrie computes it.
 */
export function trieRoot(hash, entries) {
  if (entries.length === 0) {
    return emptyRoot(hash);
  }
  const paths = entries.map(([key, value]) => ({path: nibbles(key), value}));
  return hash(encodeNode(hash, paths, 0));
}

/** A secure trie's root: every key replaced by its suite hash. */
export function secureTrieRoot(hash, entries) {
  return trieRoot(hash, entries.map(([key, value]) => [hash(key), value]));
}

function reference(hash, encoded) {
  return encoded.length < EMBED_LIMIT ? encoded : encodeBytes(hash(encoded));
}

// The encoding of the node holding these entries below depth nibbles of their paths.
function encodeNode(hash, entries, depth) {
  if (entries.length === 1) {
    const {path, value} = entries[0];
    return encodeList([encodeBytes(hexPrefixEncode(path.subarray(depth), true)),
      encodeBytes(value)]);
  }
  let shared = 0;
  const first = entries[0].path;
  for (;; shared++) {
    const at = depth + shared;
    if (entries.some((e) => e.path.length <= at || e.path[at] !== first[at])) {
      break;
    }
  }
  if (shared > 0) {
    const branch = encodeNode(hash, entries, depth + shared);
    return encodeList([encodeBytes(hexPrefixEncode(first.subarray(depth, depth + shared), false)),
      reference(hash, branch)]);
  }
  const items = [];
  for (let nibble = 0; nibble < 16; nibble++) {
    const below = entries.filter((e) => e.path.length > depth && e.path[depth] === nibble);
    items.push(below.length === 0 ? EMPTY_STRING
      : reference(hash, encodeNode(hash, below, depth + 1)));
  }
  const here = entries.find((e) => e.path.length === depth);
  items.push(encodeBytes(here ? here.value : new Uint8Array(0)));
  return encodeList(items);
}
