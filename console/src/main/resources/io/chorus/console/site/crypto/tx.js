// Transactions as io.chorus.tx decodes and validates them, for a proof bundle's transaction: the
// canonical bytes of a legacy or typed (1, 2, 3) transaction, the stateless checks, and the
// sender (recovered on ethereum chains; on sm chains the transaction carries its SM2 key).
// Error messages are the Java ones, so the browser and `chorus verify` say the same thing.
import {RlpError, RlpReader, bigIntToBytes, concat, encodeBytes, encodeList} from './rlp.js';
import {SECP256K1, SignatureError, InvalidKeyError, secp256k1Recover, suiteVerify}
  from './ec.js';
import {suiteHash} from './hash.js';

/** A transaction that does not decode or verify. */
export class TransactionError extends Error {}

const ENCODED_BYTES_MAX = 4 * 1024 * 1024;
const MAX_INITCODE_SIZE = 49152;
const UINT256_MAX = (1n << 256n) - 1n;
const LEGACY = 0, ACCESS_LIST = 1, DYNAMIC_FEE = 2, BLOB = 3;

/** Decodes a signed transaction; throws TransactionError naming what is wrong. */
export function decodeTransaction(encoded) {
  if (encoded.length === 0) {
    throw new TransactionError('empty transaction bytes');
  }
  if (encoded.length > ENCODED_BYTES_MAX) {
    throw new TransactionError(`transaction of ${encoded.length} bytes exceeds the `
      + `${ENCODED_BYTES_MAX}-byte limit`);
  }
  const first = encoded[0];
  try {
    if (first >= 0xc0) {
      return decodeLegacy(encoded);
    }
    if (first >= 0x80) {
      throw new TransactionError('transaction is an RLP byte string, not a list or a typed'
        + ' envelope');
    }
    if (first === ACCESS_LIST || first === DYNAMIC_FEE || first === BLOB) {
      return decodeTyped(encoded, first);
    }
    throw new TransactionError(`unsupported transaction type ${first}`);
  } catch (e) {
    if (e instanceof RlpError) {
      throw new TransactionError(`malformed transaction: ${e.message}`);
    }
    throw e;
  }
}

function decodeLegacy(encoded) {
  const outer = new RlpReader(encoded);
  const fields = outer.readList();
  outer.requireEnd('legacy transaction');
  const unsignedStart = fields.position;
  const nonce = readNonce(fields);
  const gasPrice = fields.readScalar('gasPrice', 32);
  const gasLimit = readGasLimit(fields);
  const to = readTo(fields);
  const value = fields.readScalar('value', 32);
  const data = fields.readBytes();
  const unsigned = encoded.subarray(unsignedStart, fields.position);
  const v = fields.readScalar('v', 32);
  const r = fields.readScalar('r', 32);
  const s = fields.readScalar('s', 32);
  const publicKey = readPublicKey(fields);
  fields.requireEnd('legacy transaction (9 fields, or 10 with the signer\'s public key)');
  let chainId, yParity, payload;
  if (v === 27n || v === 28n) {
    chainId = null;
    yParity = Number(v - 27n);
    payload = encodeList([unsigned]);
  } else if (v >= 35n) {
    const offset = v - 35n;
    chainId = offset >> 1n;
    yParity = Number(offset & 1n);
    payload = encodeList([unsigned, encodeBytes(bigIntToBytes(chainId)),
      Uint8Array.of(0x80), Uint8Array.of(0x80)]);
  } else {
    throw new TransactionError(`invalid v ${v}: must be 27 or 28, or chainId * 2 + 35 or 36`
      + ' (EIP-155)');
  }
  return {type: LEGACY, chainId, nonce, maxPriorityFeePerGas: gasPrice, maxFeePerGas: gasPrice,
    gasLimit, to, value, data, accessList: [], blobVersionedHashes: [], yParity, r, s, encoded,
    signingPayload: payload, publicKey};
}

function decodeTyped(encoded, type) {
  const outer = new RlpReader(encoded, 1, encoded.length);
  if (!outer.hasNext() || !outer.nextIsList()) {
    throw new TransactionError(`type ${type} transaction must carry an RLP list`);
  }
  const fields = outer.readList();
  outer.requireEnd(`type ${type} transaction`);
  const unsignedStart = fields.position;
  const chainId = fields.readScalar('chainId', 32);
  const nonce = readNonce(fields);
  let maxPriorityFeePerGas, maxFeePerGas;
  if (type === ACCESS_LIST) {
    maxPriorityFeePerGas = maxFeePerGas = fields.readScalar('gasPrice', 32);
  } else {
    maxPriorityFeePerGas = fields.readScalar('maxPriorityFeePerGas', 32);
    maxFeePerGas = fields.readScalar('maxFeePerGas', 32);
  }
  const gasLimit = readGasLimit(fields);
  const to = readTo(fields);
  const value = fields.readScalar('value', 32);
  const data = fields.readBytes();
  const accessList = readAccessList(fields);
  let blobVersionedHashes = [];
  if (type === BLOB) {
    fields.readScalar('maxFeePerBlobGas', 32);
    blobVersionedHashes = [];
    const list = fields.readList();
    while (list.hasNext()) {
      blobVersionedHashes.push(list.readSized(32, 'blob versioned hash'));
    }
    if (to === null) {
      throw new TransactionError('blob transaction must have a recipient: EIP-4844'
        + ' transactions cannot create contracts');
    }
  }
  const unsignedEnd = fields.position;
  const yParity = fields.readScalar('yParity', 8);
  if (yParity > 1n) {
    throw new TransactionError(`yParity must be 0 or 1, got ${yParity}`);
  }
  const r = fields.readScalar('r', 32);
  const s = fields.readScalar('s', 32);
  const publicKey = readPublicKey(fields);
  fields.requireEnd(`type ${type} transaction (the signer's public key is its last field)`);
  const payload = concat(Uint8Array.of(type),
    encodeList([encoded.subarray(unsignedStart, unsignedEnd)]));
  return {type, chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,
    accessList, blobVersionedHashes, yParity: Number(yParity), r, s, encoded,
    signingPayload: payload, publicKey};
}

function readPublicKey(fields) {
  if (!fields.hasNext()) {
    return null;
  }
  const at = fields.position;
  const key = fields.readBytes();
  if (key.length !== 64) {
    throw new TransactionError(`the signer's public key after s (offset ${at}) must be 64 bytes`
      + ` (x || y), found ${key.length}`);
  }
  return key;
}

function readNonce(fields) {
  const at = fields.position;
  const nonce = fields.readScalar('nonce', 32);
  if (nonce >= (1n << 64n) - 1n) {
    throw new TransactionError(`nonce ${nonce} at offset ${at} must be below 2^64 - 1`
      + ' (EIP-2681)');
  }
  return nonce;
}

function readGasLimit(fields) {
  const at = fields.position;
  const gas = fields.readScalar('gasLimit', 32);
  if (gas >= 1n << 64n) {
    throw new TransactionError(`gasLimit ${gas} at offset ${at} exceeds 2^64 - 1`);
  }
  return gas;
}

function readTo(fields) {
  const at = fields.position;
  const to = fields.readBytes();
  if (to.length === 0) {
    return null;
  }
  if (to.length !== 20) {
    throw new TransactionError(`to at offset ${at} must be 20 bytes or empty, found ${to.length}`);
  }
  return to;
}

function readAccessList(fields) {
  const list = fields.readList();
  const entries = [];
  while (list.hasNext()) {
    const entry = list.readList();
    const address = entry.readSized(20, 'access list address');
    const keys = entry.readList();
    const storageKeys = [];
    while (keys.hasNext()) {
      storageKeys.push(keys.readSized(32, 'access list storage key'));
    }
    entry.requireEnd('access list entry');
    entries.push({address, storageKeys});
  }
  return entries;
}

function intrinsicGas(tx) {
  let gas = 21000n;
  let dataGas = 0;
  for (const b of tx.data) {
    dataGas += b === 0 ? 4 : 16;
  }
  gas += BigInt(dataGas);
  if (tx.to === null) {
    gas += 32000n + 2n * BigInt(Math.floor((tx.data.length + 31) / 32));
  }
  for (const entry of tx.accessList) {
    gas += 2400n + 1900n * BigInt(entry.storageKeys.length);
  }
  return gas;
}

/**
 * The stateless checks of TransactionValidator, ending in the 20-byte sender.
 * @throws {TransactionError} naming the check that failed
 */
export function validateTransaction(tx, suite, chainId) {
  if (tx.chainId !== null && tx.chainId !== chainId) {
    throw new TransactionError(`chain id ${tx.chainId} does not match this chain's ${chainId}`);
  }
  if (tx.maxPriorityFeePerGas > tx.maxFeePerGas) {
    throw new TransactionError(`maxPriorityFeePerGas ${tx.maxPriorityFeePerGas} exceeds`
      + ` maxFeePerGas ${tx.maxFeePerGas}`);
  }
  if (tx.gasLimit * tx.maxFeePerGas > UINT256_MAX) {
    throw new TransactionError('gasLimit * maxFeePerGas overflows 256 bits');
  }
  if (tx.to === null && tx.data.length > MAX_INITCODE_SIZE) {
    throw new TransactionError(`initcode of ${tx.data.length} bytes exceeds ${MAX_INITCODE_SIZE}`
      + ' (EIP-3860)');
  }
  const intrinsic = intrinsicGas(tx);
  if (intrinsic > tx.gasLimit) {
    throw new TransactionError(`intrinsic gas ${intrinsic} exceeds gasLimit ${tx.gasLimit}`);
  }
  if (tx.type === BLOB) {
    if (tx.blobVersionedHashes.length === 0) {
      throw new TransactionError('blob transaction must carry at least one blob hash');
    }
    for (const hash of tx.blobVersionedHashes) {
      if (hash[0] !== 0x01) {
        throw new TransactionError('blob versioned hash must start with 0x01');
      }
    }
  }
  return suite === 'sm' ? carriedKeySender(tx, suite) : recoveredSender(tx, suite);
}

/** The account address of a 64-byte public key: the last 20 bytes of its suite hash. */
export function addressOf(suite, publicKey) {
  return suiteHash(suite)(publicKey).slice(12);
}

function recoveredSender(tx, suite) {
  if (tx.publicKey !== null) {
    throw new TransactionError(`this ${suite} chain's transactions carry no public key after s:`
      + ' the signer is recovered from the signature; drop the field');
  }
  const n = SECP256K1.n;
  if (tx.r === 0n || tx.r >= n) {
    throw new TransactionError('signature r must be in [1, n-1]');
  }
  if (tx.s === 0n || tx.s > n >> 1n) {
    throw new TransactionError('signature s must be in [1, n/2] (EIP-2)');
  }
  try {
    const digest = suiteHash(suite)(tx.signingPayload);
    return addressOf(suite, secp256k1Recover(digest, {r: tx.r, s: tx.s, recoveryId: tx.yParity}));
  } catch (e) {
    if (e instanceof SignatureError) {
      throw new TransactionError(`bad signature: ${e.message}`);
    }
    throw e;
  }
}

function carriedKeySender(tx, suite) {
  if (tx.publicKey === null) {
    throw new TransactionError(`this ${suite} chain's transactions carry the signer's 64-byte`
      + ` public key after s (${suite} signatures do not reveal it): sign with a Chorus client`
      + ' such as \'chorus tx\'');
  }
  if (tx.yParity !== 0) {
    throw new TransactionError(`${suite} signatures have no recovery id: yParity (for a legacy`
      + ' transaction, the parity of v - 35 or v - 27) must be 0');
  }
  let valid;
  try {
    valid = suiteVerify(suite, suiteHash(suite)(tx.signingPayload), {r: tx.r, s: tx.s},
      tx.publicKey);
  } catch (e) {
    if (e instanceof SignatureError) {
      throw new TransactionError(`bad signature: ${e.message}`);
    }
    if (e instanceof InvalidKeyError) {
      throw new TransactionError(`the signer's public key is invalid: ${e.message}`);
    }
    throw e;
  }
  if (!valid) {
    throw new TransactionError('bad signature: it does not verify against the signer\'s public'
      + ' key the transaction carries');
  }
  return addressOf(suite, tx.publicKey);
}
