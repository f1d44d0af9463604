// Verifies a proof bundle (chorus-proof/1, docs/proofs.md) in the browser, repeating every check
// of io.chorus.proof.ProofVerifier in its order and with its messages: the chain binding, each
// validator-set change, the commit certificate's quorum of chain-bound seals, the header hash,
// then the Merkle paths to the fact (transaction, receipt, log, account and storage) and a
// notary batch path. Nothing here trusts the node that served the page: only the trust root.
import {fromHex, keccak256, suiteHash, toHex, utf8} from './hash.js';
import {RlpError, RlpReader, bytesToBigInt, concat, encodeBytes, encodeList, encodeScalar,
  equalBytes} from './rlp.js';
import {InvalidProofError, emptyRoot, verifyProof, verifySecureProof} from './trie.js';
import {InvalidKeyError, SignatureError, suiteVerify} from './ec.js';
import {TransactionError, addressOf, decodeTransaction, validateTransaction} from './tx.js';

export {trustRootFromGenesis} from './genesis.js';

const FORMAT = 'chorus-proof/1';
const BYTES_MAX = 16 * 1024 * 1024;
const VALIDATORS_MAX = 256;
const ROUND_MAX = 1 << 20;
const DIGEST_BYTES_MAX = 64;
const KINDS = ['transaction', 'receipt', 'log', 'state'];
const GOVERNANCE = fromHex('0x0000000000000000000000000000000000001000');
const NOTARY = fromHex('0x0000000000000000000000000000000000001002');
const MERKLE_BATCH_LEAVES_MAX = 1 << 24;

/** A check that does not hold; step says which stage of the verification failed. */
class ProofError extends Error {
  constructor(step, message) {
    super(message);
    this.step = step;
  }
}

/**
 * A trust root from its plain form {chainId: '1337' | 1337 | 1337n, suite, genesisHash: '0x…',
 * validators: ['0x…' (64-byte keys)]}, as a page may store it once.
 */
export function trustRootFromJson(plain) {
  const root = {
    chainId: BigInt(plain.chainId),
    suite: plain.suite,
    genesisHash: typeof plain.genesisHash === 'string' ? fromHex(plain.genesisHash, 'genesisHash')
      : plain.genesisHash,
    validators: plain.validators.map((v, i) => typeof v === 'string'
      ? fromHex(v, `validators[${i}]`) : v),
  };
  suiteHash(root.suite); // names the valid suites when this one is not
  if (root.genesisHash.length !== 32) {
    throw new Error(`the genesis hash is 32 bytes, got ${root.genesisHash.length}`);
  }
  if (root.validators.length === 0) {
    throw new Error('a trust root needs the genesis validators');
  }
  for (const key of root.validators) {
    if (key.length !== 64) {
      throw new Error(`a validator is a 64-byte public key, got ${key.length} bytes`);
    }
  }
  return root;
}

/**
 * Verifies a proof bundle against a trust root (from trustRootFromGenesis or trustRootFromJson).
 * @param {string|object} bundleJson the bundle's JSON text, or the parsed object
 * @returns {{proven: true, kind: string, blockNumber: number, blockHash: string,
 *     timestamp: number, time: string, signers: string[], validatorChanges: number,
 *     facts: Object<string, string>}
 *   | {proven: false, step: string, reason: string}}
 */
export function verifyBundle(bundleJson, trustRoot) {
  try {
    return {proven: true, ...verify(parseBundle(bundleJson), trustRoot)};
  } catch (e) {
    return failure(e);
  }
}

function failure(e) {
  if (e instanceof ProofError) {
    return {proven: false, step: e.step, reason: e.message};
  }
  throw e; // a bug here, not a verdict on the bundle
}

/**
 * Verifies a notarization proof (a log bundle of the notary contract's Recorded event, or of its
 * BatchAnchored event with a batch path) and, when digest is given, that it notarizes digest.
 * @param {Uint8Array|string|null} digest the file's content hash (bytes or 0x-hex), or null
 * @returns {{proven: true, how: 'record'|'batch', digest: string, id: string|null,
 *     version: number, algorithm: string|null, recordType: string|null, metadata: string,
 *     batchNumber: number, index: number, count: number, depositor: string, proof: object}
 *   | {proven: false, step: string, reason: string}}
 */
export function verifyNotaryProof(bundleJson, trustRoot, digest = null) {
  try {
    const bundle = parseBundle(bundleJson);
    if (bundle.kind !== 'log') {
      throw new ProofError('notary', 'a notarization proof is a log bundle, this one is a '
        + `${bundle.kind} bundle`);
    }
    const proof = {proven: true, ...verify(bundle, trustRoot)};
    const evidence = notaryEvidence(bundle, proof);
    if (digest !== null) {
      const wanted = typeof digest === 'string' ? toHex(fromHex(digest, 'digest')) : toHex(digest);
      if (evidence.digest !== wanted) {
        throw new ProofError('notary', `the proof notarizes ${evidence.digest}, not ${wanted}`);
      }
    }
    return {proven: true, ...evidence, proof};
  } catch (e) {
    return failure(e);
  }
}

// ---- the bundle, read strictly as ProofBundle.fromJson reads it ------------------------------

function parseBundle(input) {
  let root = input;
  if (typeof input === 'string') {
    if (input.length > BYTES_MAX) {
      throw new ProofError('bundle', `a proof bundle is at most ${BYTES_MAX} bytes, got `
        + input.length);
    }
    try {
      root = JSON.parse(input);
    } catch (e) {
      throw new ProofError('bundle', `not JSON: ${e.message}`);
    }
  }
  const f = fields(root, 'bundle', ['format', 'kind', 'chain', 'block', 'validatorChanges',
    'transaction', 'receipt', 'logIndex', 'account', 'batch']);
  const format = f.text('format');
  if (format !== FORMAT) {
    throw new ProofError('bundle', `format is '${format}', this verifier reads '${FORMAT}'`);
  }
  const kind = f.text('kind');
  if (!KINDS.includes(kind)) {
    throw new ProofError('bundle', `kind '${kind}' is none of transaction, receipt, log, state`);
  }
  const c = f.object('chain', ['chainId', 'suite', 'genesisHash']);
  const chainIdText = c.text('chainId');
  if (!/^[+-]?[0-9]+$/.test(chainIdText)) {
    throw new ProofError('bundle', 'chain.chainId must be a decimal integer');
  }
  const chain = {chainId: BigInt(chainIdText), suite: c.text('suite'),
    genesisHash: c.hex('genesisHash')};
  const block = sealed(f.object('block', ['header', 'certificate']));
  const validatorChanges = f.array('validatorChanges', ['block', 'governance']).map((change) => ({
    block: sealed(change.object('block', ['header', 'certificate'])),
    governance: accountProof(change.object('governance', ['address', 'proof', 'storage'])),
  }));
  const included = (name) => {
    const i = f.object(name, ['index', 'encoded', 'proof']);
    return {index: i.index('index'), encoded: i.hex('encoded'), proof: i.hexList('proof')};
  };
  const bundle = {
    kind, chain, block, validatorChanges,
    transaction: f.has('transaction') ? included('transaction') : null,
    receipt: f.has('receipt') ? included('receipt') : null,
    logIndex: f.has('logIndex') ? f.index('logIndex') : null,
    account: f.has('account')
      ? accountProof(f.object('account', ['address', 'proof', 'storage'])) : null,
    batch: null,
  };
  if (f.has('batch')) {
    const b = f.object('batch', ['leaf', 'index', 'count', 'path']);
    bundle.batch = {leaf: b.hex('leaf'), index: b.index('index'), count: b.index('count'),
      path: b.hexList('path')};
  }
  return bundle;
}

function sealed(f) {
  return {header: f.hex('header'), certificate: f.hex('certificate')};
}

function accountProof(f) {
  const slots = f.node('storage');
  if (typeof slots !== 'object' || Array.isArray(slots)) {
    throw new ProofError('bundle', `${f.path}.storage must be an object of slot → proof nodes`);
  }
  const storage = new Map();
  for (const [key, nodes] of Object.entries(slots)) {
    const where = `${f.path}.storage key ${key}`;
    const slot = hex(key, where);
    if (slot.length !== 32) {
      throw new ProofError('bundle', `${where} must be 32 bytes, got ${slot.length}`);
    }
    storage.set(toHex(slot), hexList(nodes, `${f.path}.storage.${key}`));
  }
  const address = f.hex('address');
  if (address.length !== 20) {
    throw new ProofError('bundle', `${f.path}.address must be 20 bytes, got ${address.length}`);
  }
  return {address, proof: f.hexList('proof'), storage};
}

function fields(node, path, allowed) {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    throw new ProofError('bundle', `${path} must be a JSON object`);
  }
  for (const name of Object.keys(node)) {
    if (!allowed.includes(name)) {
      throw new ProofError('bundle', `${path} has an unknown field '${name}'`);
    }
  }
  const self = {
    path,
    has: (name) => node[name] !== undefined && node[name] !== null,
    node: (name) => {
      if (!self.has(name)) {
        throw new ProofError('bundle', `${path}.${name} is missing`);
      }
      return node[name];
    },
    text: (name) => {
      const value = self.node(name);
      if (typeof value !== 'string') {
        throw new ProofError('bundle', `${path}.${name} must be a string`);
      }
      return value;
    },
    index: (name) => {
      const value = self.node(name);
      if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
        throw new ProofError('bundle', `${path}.${name} must be a non-negative integer`);
      }
      return value;
    },
    hex: (name) => hex(self.text(name), `${path}.${name}`),
    hexList: (name) => hexList(self.node(name), `${path}.${name}`),
    object: (name, names) => fields(self.node(name), `${path}.${name}`, names),
    array: (name, names) => {
      const value = self.node(name);
      if (!Array.isArray(value)) {
        throw new ProofError('bundle', `${path}.${name} must be an array`);
      }
      return value.map((item, i) => fields(item, `${path}.${name}[${i}]`, names));
    },
  };
  return self;
}

function hex(text, where) {
  if (!text.startsWith('0x')) {
    throw new ProofError('bundle', `${where} must be 0x-prefixed hex`);
  }
  try {
    return fromHex(text, 'hex text');
  } catch (e) {
    throw new ProofError('bundle', `${where}: ${e.message}`);
  }
}

function hexList(value, where) {
  if (!Array.isArray(value)) {
    throw new ProofError('bundle', `${where} must be an array of hex strings`);
  }
  return value.map((item, i) => {
    if (typeof item !== 'string') {
      throw new ProofError('bundle', `${where}[${i}] must be a hex string`);
    }
    return hex(item, `${where}[${i}]`);
  });
}

// ---- the checks, as ProofVerifier.verify makes them -------------------------------------------

function verify(bundle, root) {
  const suite = root.suite;
  const hash = suiteHash(suite);
  checkChain(bundle.chain, root);
  const domain = hash(encodeList([encodeBytes(utf8('chorus-qbft')), encodeScalar(root.chainId),
    encodeBytes(root.genesisHash)]));
  let validators = validatorSet(suite, root.validators, 'chain');
  let after = 0n;
  bundle.validatorChanges.forEach((change, i) => {
    const where = `validator change ${i}`;
    const {header} = certified(where, change.block, validators, domain, suite);
    if (header.number <= after) {
      throw new ProofError('validatorChanges', `${where} is at block ${header.number}, not after`
        + ` block ${after}`);
    }
    validators = validatorSet(suite, provenValidators(where, suite, header, change.governance),
      'validatorChanges');
    after = header.number;
  });
  const {header, certificate} = certified('the block', bundle.block, validators, domain, suite);
  if (header.number <= after) {
    throw new ProofError('block', `the block ${header.number} is not after the last validator`
      + ` change (block ${after})`);
  }
  const facts = {};
  if (bundle.batch !== null && bundle.kind !== 'log') {
    throw new ProofError('fact', `a batch path belongs to a log bundle, not a ${bundle.kind} one`);
  }
  if (bundle.kind === 'state') {
    state(bundle, suite, header, facts);
  } else {
    included(bundle, root, header, facts);
  }
  return {
    kind: bundle.kind,
    blockNumber: Number(header.number),
    blockHash: toHex(header.hash),
    timestamp: Number(header.timestamp),
    time: blockTime(header.timestamp),
    signers: certificate.seals.map((seal) => toHex(seal.address)),
    validatorChanges: bundle.validatorChanges.length,
    facts,
  };
}

/** A block time for people, ISO-8601 UTC without fractions, as ProofVerifier.time. */
function blockTime(timestamp) {
  return new Date(Number(timestamp) * 1000).toISOString().replace('.000Z', 'Z');
}

function checkChain(chain, root) {
  if (chain.chainId !== root.chainId) {
    throw new ProofError('chain', `the bundle is for chain id ${chain.chainId}, the genesis`
      + ` file's is ${root.chainId}`);
  }
  if (chain.suite !== root.suite) {
    throw new ProofError('chain', `the bundle is for the ${chain.suite} suite, the genesis`
      + ` file's is ${root.suite}`);
  }
  if (!equalBytes(chain.genesisHash, root.genesisHash)) {
    throw new ProofError('chain', 'the bundle is for the chain whose genesis block is '
      + `${toHex(chain.genesisHash)}, the genesis file gives ${toHex(root.genesisHash)}`);
  }
}

function validatorSet(suite, keys, step) {
  const members = keys.map((key) => ({address: toHex(addressOf(suite, key)), key}));
  const fail = (why) => new ProofError(step, `not a valid validator set: ${why}`);
  if (members.length === 0) {
    throw fail('a validator set needs at least one validator');
  }
  if (members.length > VALIDATORS_MAX) {
    throw fail(`more than ${VALIDATORS_MAX} validators`);
  }
  const byAddress = new Map();
  for (const member of members) {
    if (byAddress.has(member.address)) {
      throw fail(`validator listed twice: ${member.address}`);
    }
    byAddress.set(member.address, member);
  }
  return {byAddress, quorum: Math.floor((2 * members.length + 2) / 3)};
}

/** The fields of an Ethereum-layout header that a proof rests on, as HeaderFields.read. */
function readHeader(suite, encoded) {
  const whole = new RlpReader(encoded);
  const fields = whole.readList();
  whole.requireEnd('header');
  const parentHash = fields.readSized(32, 'parentHash');
  fields.skip(); // ommersHash
  fields.skip(); // coinbase
  const stateRoot = fields.readSized(32, 'stateRoot');
  const transactionsRoot = fields.readSized(32, 'transactionsRoot');
  const receiptsRoot = fields.readSized(32, 'receiptsRoot');
  fields.skip(); // logsBloom
  fields.skip(); // difficulty
  const number = BigInt.asIntN(64, fields.readScalar('number', 8));
  fields.skip(); // gasLimit
  fields.skip(); // gasUsed
  const timestamp = BigInt.asIntN(64, fields.readScalar('timestamp', 8));
  return {hash: suiteHash(suite)(encoded), parentHash, stateRoot, transactionsRoot,
    receiptsRoot, number, timestamp};
}

function certified(where, block, validators, domain, suite) {
  const step = where === 'the block' ? 'block' : 'validatorChanges';
  let header;
  try {
    header = readHeader(suite, block.header);
  } catch (e) {
    throw rethrow(e, step, `${where}: the header is malformed: `);
  }
  if (block.certificate.length === 0) {
    throw new ProofError(step, `${where} has no commit certificate (a dev chain's blocks have`
      + ' none: only a BFT network\'s blocks can be proven final)');
  }
  let certificate;
  try {
    certificate = decodeCertificate(block.certificate);
  } catch (e) {
    throw rethrow(e, step, `${where}: the commit certificate is malformed: `);
  }
  if (certificate.height !== header.number) {
    throw new ProofError(step, `${where}: the certificate is for height ${certificate.height},`
      + ` the header for ${header.number}`);
  }
  if (!equalBytes(certificate.blockDigest, header.hash)) {
    throw new ProofError(step, `${where}: the certificate seals block`
      + ` ${toHex(certificate.blockDigest)}, the header hashes to ${toHex(header.hash)}`);
  }
  const wrong = certificateProblem(certificate, validators, domain, suite);
  if (wrong !== null) {
    throw new ProofError(step, `${where} (block ${header.number}): the commit certificate does`
      + ` not prove finality: ${wrong}`);
  }
  return {header, certificate};
}

function rethrow(e, step, prefix) {
  if (e instanceof RlpError || e instanceof InvalidProofError) {
    return new ProofError(step, prefix + e.message);
  }
  return e;
}

/** CommitCertificate.decode: [height, round, digest, [[address, [r, s, v]]…]], strictly. */
function decodeCertificate(bytes) {
  const whole = new RlpReader(bytes);
  const fields = whole.readList();
  whole.requireEnd('commit certificate');
  const height = fields.readScalar('height', 8);
  const round = fields.readScalar('round', 8);
  if (height >= 1n << 63n || round > BigInt(ROUND_MAX)) {
    throw new RlpError('height or round out of range', 0);
  }
  const digestAt = fields.position;
  const blockDigest = fields.readBytes();
  if (blockDigest.length === 0 || blockDigest.length > DIGEST_BYTES_MAX) {
    throw new RlpError(`digest of ${blockDigest.length} bytes`, digestAt);
  }
  const list = fields.readList();
  fields.requireEnd('commit certificate');
  const seals = [];
  while (list.hasNext()) {
    if (seals.length >= VALIDATORS_MAX) {
      throw new RlpError(`more than ${VALIDATORS_MAX} seals`, 0);
    }
    const seal = list.readList();
    const address = seal.readSized(20, 'seal address');
    const at = seal.position;
    const signature = seal.readList();
    const r = signature.readScalar('signature r', 32);
    const s = signature.readScalar('signature s', 32);
    const v = signature.readScalar('recovery id', 8);
    signature.requireEnd('signature');
    if (v > 3n) {
      throw new RlpError(`recovery id ${v} over 3`, at);
    }
    seal.requireEnd('seal');
    seals.push({address, signature: {r, s, recoveryId: Number(v)}});
  }
  return {height, round, blockDigest, seals};
}

/** CommitCertificate.verify: null when a quorum of distinct validators sealed it. */
function certificateProblem(certificate, validators, domain, suite) {
  const body = encodeList([encodeScalar(5), encodeScalar(certificate.height),
    encodeScalar(certificate.round), encodeBytes(certificate.blockDigest)]);
  const digest = suiteHash(suite)(concat(domain, body));
  const signers = new Set();
  for (const seal of certificate.seals) {
    const address = toHex(seal.address);
    const validator = validators.byAddress.get(address);
    if (validator === undefined) {
      return `seal by non-validator ${address}`;
    }
    if (signers.has(address)) {
      return `two seals by ${address}`;
    }
    signers.add(address);
    let valid;
    try {
      valid = suiteVerify(suite, digest, seal.signature, validator.key);
    } catch (e) {
      if (!(e instanceof SignatureError || e instanceof InvalidKeyError)) {
        throw e;
      }
      valid = false; // malformed signatures come from peers: they are simply not valid
    }
    if (!valid) {
      return `bad seal signature by ${address}`;
    }
  }
  if (signers.size < validators.quorum) {
    return `${signers.size} seals, quorum is ${validators.quorum}`;
  }
  return null;
}

// ---- validator-set changes: the governance contract's storage (GovernanceLayout) -------------

function governanceSlot(name, ...keys) {
  const parts = [utf8(name)];
  for (const key of keys) {
    const word = new Uint8Array(32);
    let value = BigInt(key);
    for (let i = 31; i >= 24; i--) {
      word[i] = Number(value & 0xffn);
      value >>= 8n;
    }
    parts.push(Uint8Array.of(0), word);
  }
  return keccak256(concat(...parts));
}

function provenValidators(where, suite, header, governance) {
  const step = 'validatorChanges';
  if (!equalBytes(governance.address, GOVERNANCE)) {
    throw new ProofError(step, `${where}: the set must be proven from the governance contract `
      + `${toHex(GOVERNANCE)}, not ${toHex(governance.address)}`);
  }
  const account = readAccount(where, suite, header.stateRoot, governance, step);
  const word = (slot) => bytesToBigInt(storageValue(where, suite, account, governance, slot,
    step));
  const count = word(governanceSlot('validatorCount'));
  if (count < 1n || count > BigInt(VALIDATORS_MAX)) {
    throw new ProofError(step, `${where}: the proven set has ${count} validators`);
  }
  const keys = [];
  for (let i = 0n; i < count; i++) {
    const length = word(governanceSlot('validator.length', i));
    if (length !== 64n) {
      throw new ProofError(step, `${where}: validator ${i} is ${length} bytes, not a 64-byte key`);
    }
    keys.push(concat(
      padded(storageValue(where, suite, account, governance, governanceSlot('validator', i, 0),
        step)),
      padded(storageValue(where, suite, account, governance, governanceSlot('validator', i, 1),
        step))));
  }
  return keys;
}

// ---- the fact ----------------------------------------------------------------------------------

function included(bundle, root, header, facts) {
  const suite = root.suite;
  const hash = suiteHash(suite);
  const item = required(bundle.transaction, 'transaction', bundle);
  const encoded = inTrie('the transaction', suite, header.transactionsRoot, item);
  let tx, sender;
  try {
    tx = decodeTransaction(encoded);
    sender = validateTransaction(tx, suite, root.chainId);
  } catch (e) {
    if (e instanceof TransactionError || e instanceof RlpError) {
      throw new ProofError('fact', `the proven transaction does not decode or verify: ${e.message}`);
    }
    throw e;
  }
  facts.transaction = toHex(hash(encoded));
  facts.index = String(item.index);
  facts.from = toHex(sender);
  facts.to = tx.to === null ? '(contract creation)' : toHex(tx.to);
  facts.nonce = String(tx.nonce);
  facts.value = String(tx.value);
  facts.input = toHex(tx.data);
  if (bundle.kind === 'transaction') {
    return;
  }
  const receiptItem = required(bundle.receipt, 'receipt', bundle);
  if (receiptItem.index !== item.index) {
    throw new ProofError('fact', `the receipt is at index ${receiptItem.index}, the transaction`
      + ` at ${item.index}`);
  }
  let receipt;
  try {
    receipt = readReceipt(inTrie('the receipt', suite, header.receiptsRoot, receiptItem));
  } catch (e) {
    throw rethrow(e, 'fact', 'the proven receipt is malformed: ');
  }
  facts.status = receipt.success ? 'success' : 'reverted';
  facts.logs = String(receipt.logs.length);
  if (bundle.kind === 'receipt') {
    return;
  }
  const logIndex = required(bundle.logIndex, 'logIndex', bundle);
  if (logIndex >= receipt.logs.length) {
    throw new ProofError('fact', `log ${logIndex} is not in the receipt, which has `
      + receipt.logs.length);
  }
  const log = receipt.logs[logIndex];
  facts.log = String(logIndex);
  facts['log.address'] = toHex(log.address);
  log.topics.forEach((topic, t) => {
    facts[`log.topic${t}`] = toHex(topic);
  });
  facts['log.data'] = toHex(log.data);
  const batch = bundle.batch;
  if (batch !== null) {
    if (log.topics.length < 2) {
      throw new ProofError('fact', 'the batch path needs the log\'s first indexed topic as its'
        + ' root, and the log has none');
    }
    if (!verifyBatchPath(hash, log.topics[1], batch.leaf, batch.index, batch.count, batch.path)) {
      throw new ProofError('fact', `the batch path does not lead from digest ${toHex(batch.leaf)}`
        + ` (leaf ${batch.index} of ${batch.count}) to the root ${toHex(log.topics[1])} the log`
        + ' anchors');
    }
    facts['batch.leaf'] = toHex(batch.leaf);
    facts['batch.index'] = String(batch.index);
    facts['batch.count'] = String(batch.count);
  }
}

/** A receipt as its trie holds it: [type ‖] rlp([status, cumulativeGas, bloom, logs]). */
function readReceipt(encoded) {
  if (encoded.length === 0) {
    throw new ProofError('fact', 'the receipt is empty');
  }
  const body = encoded[0] < 0xc0 ? encoded.subarray(1) : encoded;
  const whole = new RlpReader(body);
  const fields = whole.readList();
  whole.requireEnd('receipt');
  const status = fields.readScalar('status', 8);
  fields.readScalar('cumulativeGasUsed', 8);
  fields.skip(); // logsBloom
  const list = fields.readList();
  fields.requireEnd('receipt');
  const logs = [];
  while (list.hasNext()) {
    const log = list.readList();
    const address = log.readSized(20, 'log address');
    const topicList = log.readList();
    const topics = [];
    while (topicList.hasNext()) {
      topics.push(topicList.readSized(32, 'log topic'));
    }
    const data = log.readBytes();
    log.requireEnd('log');
    logs.push({address, topics, data});
  }
  return {success: status === 1n, logs};
}

/**
 * MerkleBatch.verify: whether digest is leaf index of a batch of count digests with this root
 * (RFC 6962's tree over the suite hash: leaf H(0x00 ‖ d), node H(0x01 ‖ l ‖ r), odd last node
 * promoted), by the sibling path from the leaf up. False, never an exception, for bad input.
 */
export function verifyBatchPath(hash, root, digest, index, count, path) {
  if (count < 1 || count > MERKLE_BATCH_LEAVES_MAX || index < 0 || index >= count) {
    return false;
  }
  let node = hash(concat(Uint8Array.of(0), digest));
  let used = 0;
  let i = index;
  for (let size = count; size > 1; size = Math.floor((size + 1) / 2)) {
    if ((i ^ 1) < size) {
      if (used === path.length) {
        return false;
      }
      const sibling = path[used++];
      node = (i & 1) === 0 ? hash(concat(Uint8Array.of(1), node, sibling))
        : hash(concat(Uint8Array.of(1), sibling, node));
    }
    i >>= 1;
  }
  return used === path.length && equalBytes(node, root);
}

function state(bundle, suite, header, facts) {
  const proof = required(bundle.account, 'account', bundle);
  const account = readAccount('the account', suite, header.stateRoot, proof, 'fact');
  facts.address = toHex(proof.address);
  facts.exists = String(account.exists);
  facts.nonce = String(account.nonce);
  facts.balance = String(account.balance);
  facts.codeHash = toHex(account.codeHash);
  for (const slot of proof.storage.keys()) {
    facts[`storage[${slot}]`] = toHex(padded(storageValue('the account', suite, account, proof,
      fromHex(slot), 'fact')));
  }
}

function readAccount(where, suite, stateRoot, proof, step) {
  const hash = suiteHash(suite);
  let value;
  try {
    value = verifySecureProof(hash, stateRoot, proof.address, proof.proof);
  } catch (e) {
    throw rethrow(e, step, `${where}: the account proof of ${toHex(proof.address)} does not`
      + ' lead from the state root: ');
  }
  if (value === null) {
    return {exists: false, nonce: 0n, balance: 0n, storageRoot: emptyRoot(hash),
      codeHash: hash(new Uint8Array(0))};
  }
  try {
    const whole = new RlpReader(value);
    const fields = whole.readList();
    whole.requireEnd('account');
    const nonce = fields.readScalar('nonce', 8);
    const balance = fields.readScalar('balance', 32);
    const storageRoot = fields.readSized(32, 'storageRoot');
    const codeHash = fields.readSized(32, 'codeHash');
    fields.requireEnd('account');
    return {exists: true, nonce, balance, storageRoot, codeHash};
  } catch (e) {
    throw rethrow(e, step, `${where}: the proven account is malformed: `);
  }
}

/** A storage slot's value, big-endian without leading zeros (empty when zero). */
function storageValue(where, suite, account, proof, slot, step) {
  const nodes = proof.storage.get(toHex(slot));
  if (nodes === undefined) {
    throw new ProofError(step, `${where}: no proof of storage slot ${toHex(slot)}`);
  }
  try {
    const value = verifySecureProof(suiteHash(suite), account.storageRoot, slot, nodes);
    if (value === null) {
      return new Uint8Array(0);
    }
    const whole = new RlpReader(value);
    const bytes = whole.readBytes();
    whole.requireEnd('storage value');
    if (bytes.length > 32) {
      throw new ProofError(step, `${where}: storage slot ${toHex(slot)} holds ${bytes.length}`
        + ' bytes');
    }
    return bytes;
  } catch (e) {
    throw rethrow(e, step, `${where}: the proof of storage slot ${toHex(slot)} does not lead`
      + ' from the account\'s storage root: ');
  }
}

function inTrie(what, suite, root, item) {
  let value;
  try {
    value = verifyProof(suiteHash(suite), root, encodeScalar(item.index), item.proof);
  } catch (e) {
    throw rethrow(e, 'fact', `${what} at index ${item.index}: the path does not lead from the`
      + ' block\'s root: ');
  }
  if (value === null) {
    throw new ProofError('fact', `${what}: the block has no item at index ${item.index}`);
  }
  if (!equalBytes(value, item.encoded)) {
    throw new ProofError('fact', `${what} at index ${item.index} is not the one the bundle gives:`
      + ` the block holds ${toHex(suiteHash(suite)(value))} by hash`);
  }
  return value;
}

function required(part, name, bundle) {
  if (part === null) {
    throw new ProofError('fact', `a ${bundle.kind} bundle needs '${name}'`);
  }
  return part;
}

function padded(value) {
  const word = new Uint8Array(32);
  word.set(value, 32 - value.length);
  return word;
}

// ---- notarization (NotaryEvidence) ------------------------------------------------------------

const RECORDED = toHex(keccak256(utf8(
  'Recorded(bytes32,bytes32,address,string,uint32,uint8,string,string)')));
const BATCH_ANCHORED = toHex(keccak256(utf8(
  'BatchAnchored(bytes32,uint64,address,uint32,string)')));
const CONTENT_HASHES = {1: 'sm3', 2: 'sha256', 3: 'keccak256'};

function notaryEvidence(bundle, proof) {
  const facts = proof.facts;
  if (facts['log.address'] !== toHex(NOTARY)) {
    throw new ProofError('notary', `the proven log comes from ${facts['log.address']}, not the`
      + ` notary contract ${toHex(NOTARY)}`);
  }
  const topic = (index) => {
    const value = facts[`log.topic${index}`];
    if (value === undefined) {
      throw new ProofError('notary', `the proven log has no topic ${index}`);
    }
    return value;
  };
  const event = topic(0);
  const abi = abiReader(fromHex(facts['log.data']));
  const depositor = '0x' + topic(3).slice(2 + 24);
  if (event === RECORDED) {
    if (bundle.batch !== null) {
      throw new ProofError('notary', 'a Recorded log needs no batch path; this bundle has one');
    }
    const code = abi.word(2);
    return {how: 'record', digest: topic(2), id: abi.string(0), version: abi.word(1),
      algorithm: CONTENT_HASHES[code] ?? (code === 0 ? 'unspecified' : `code ${code}`),
      recordType: abi.string(3), metadata: abi.string(4), batchNumber: 0, index: 0, count: 0,
      depositor};
  }
  if (event === BATCH_ANCHORED) {
    const batch = bundle.batch;
    if (batch === null) {
      throw new ProofError('notary', 'a BatchAnchored log proves a digest only with its batch'
        + ' path');
    }
    if (batch.count !== abi.word(0)) {
      throw new ProofError('notary', `the batch path counts ${batch.count} digests, the anchored`
        + ` batch ${abi.word(0)}`);
    }
    const number = bytesToBigInt(fromHex(topic(2)));
    if (number >= 1n << 63n) {
      throw new ProofError('notary', 'the batch number is out of range');
    }
    return {how: 'batch', digest: toHex(batch.leaf), id: null, version: 0, algorithm: null,
      recordType: null, metadata: abi.string(1), batchNumber: Number(number), index: batch.index,
      count: batch.count, depositor};
  }
  throw new ProofError('notary', `the proven log is neither Recorded nor BatchAnchored (topic0 `
    + `${event})`);
}

/** The head words and dynamic strings of ABI-encoded event data, bounds checked. */
function abiReader(data) {
  const value = (at, what) => {
    if (at < 0 || at + 32 > data.length) {
      throw new ProofError('notary', `the log's data is too short for ${what}`);
    }
    const v = bytesToBigInt(data.subarray(at, at + 32));
    if (v >= 1n << 31n) {
      throw new ProofError('notary', `the log's ${what} is out of range`);
    }
    return Number(v);
  };
  const word = (index) => value(32 * index, `word ${index}`);
  return {
    word,
    string: (index) => {
      const offset = word(index);
      const length = value(offset, `the length of string ${index}`);
      if (offset + 32 + length > data.length) {
        throw new ProofError('notary', `the log's string ${index} runs past its data`);
      }
      return new TextDecoder().decode(data.subarray(offset + 32, offset + 32 + length));
    },
  };
}
