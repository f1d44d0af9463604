// The trust root of a chain from its genesis file, computed as a node computes block 0
// (io.chorus.chain.GenesisFile.trustRoot → ledger Genesis.build): the funded accounts and the
// system contracts' initial storage (governance committee, thresholds, validators,
// organisations' data keys; permissions)
// in the state trie, then the header whose suite hash is the genesis hash. A proof bundle names
// its chain by that hash, so a genesis file alone is enough to check it.
import {fromHex, keccak256, suiteHash, utf8} from './hash.js';
import {bigIntToBytes, concat, encodeBytes, encodeList, encodeScalar} from './rlp.js';
import {emptyRoot, secureTrieRoot} from './trie.js';

const FIELDS = ['chainId', 'suite', 'feeMode', 'gasLimit', 'blockIntervalMs', 'timestamp',
  'extraData', 'validators', 'alloc', 'governance', 'permissions', 'organisations'];
const ACCOUNT_FIELDS = ['balance', 'nonce', 'code', 'storage'];
const GAS_LIMIT_MIN = 21000n;
const GAS_LIMIT_MAX = 2000000000n;
const BLOCK_INTERVAL_MS_MAX = 3600000n;
const EXTRA_DATA_BYTES_MAX = 64 * 1024;
const INITIAL_BASE_FEE = 1000000000n;
/** Governance's proposal kinds in their declared order: a threshold slot each. */
const PROPOSAL_KINDS = ['add-member', 'remove-member', 'add-validator', 'remove-validator',
  'grant-roles', 'revoke-roles', 'freeze', 'unfreeze', 'set-method-access',
  'revoke-certificate', 'set-restrictions', 'set-gas-limit', 'set-block-interval',
  'set-fee-mode', 'set-notary-policy', 'receivable-freeze', 'receivable-unfreeze',
  'receivable-force-transfer', 'sharing-department', 'crosschain-client', 'org-data-key'];
const GOVERNANCE = systemAddress(0x1000);
const PERMISSIONS = systemAddress(0x1001);
const NOTARY = systemAddress(0x1002);
const TRACE = systemAddress(0x1003);
const RECEIVABLES = systemAddress(0x1004);
const DATA_SHARING = systemAddress(0x1005);
const CROSSCHAIN = systemAddress(0x1006);
/** The role bits by name, as io.chorus.state.system.Permissions.ROLE_NAMES gives them. */
const ROLES = new Map([['sender', 1n], ['deployer', 2n], ['receivables.obligor', 4n],
  ['receivables.bank', 8n], ['sharing.authority', 16n], ['receivables.regulator', 32n]]);
/** The code at each system address: one INVALID opcode. */
const SYSTEM_CODE = Uint8Array.of(0xfe);

function systemAddress(last) {
  const a = new Uint8Array(20);
  a[18] = last >> 8;
  a[19] = last & 0xff;
  return a;
}

/**
 * The trust root a genesis file gives: {chainId: BigInt, suite, genesisHash: Uint8Array,
 * validators: Uint8Array[]}, what verifyBundle checks bundles against.
 * @param {string|object} genesisJson the genesis file's text, or the parsed object
 * @throws {Error} naming the field that is wrong
 */
export function trustRootFromGenesis(genesisJson) {
  const genesis = parseGenesis(typeof genesisJson === 'string' ? JSON.parse(genesisJson)
    : genesisJson);
  if (genesis.validators.length === 0) {
    throw new Error('a trust root needs the genesis validators: this genesis file lists none');
  }
  return {chainId: genesis.chainId, suite: genesis.suite, genesisHash: genesisHash(genesis),
    validators: genesis.validators};
}

function parseGenesis(root) {
  requireKnown(root, FIELDS, 'genesis');
  const validators = array(root.validators, 'validators').map((v) => {
    const key = hexField(v, 'validators');
    if (key.length !== 64) {
      throw new Error(`validators: ${v} is not a 64-byte public key (x || y, hex, no 04 prefix)`);
    }
    return key;
  });
  const alloc = [];
  const accounts = root.alloc ?? {};
  if (typeof accounts !== 'object' || Array.isArray(accounts)) {
    throw new Error('alloc must be an object of address to account');
  }
  for (const [address, account] of Object.entries(accounts)) {
    const where = `alloc.${address}`;
    requireKnown(account, ACCOUNT_FIELDS, where);
    const storage = Object.entries(account.storage ?? {}).map(([slot, value]) =>
      [word(slot, `${where}.storage`), word(value, `${where}.storage.${slot}`)]);
    alloc.push({address: addressField(address, 'alloc'),
      balance: quantity(account.balance, `${where}.balance`, 0n),
      nonce: quantity(account.nonce, `${where}.nonce`, 0n),
      code: account.code === undefined || account.code === null ? new Uint8Array(0)
        : hexField(account.code, `${where}.code`),
      storage});
  }
  if (root.suite === undefined || root.suite === null) {
    throw new Error('missing required field \'suite\'');
  }
  const suite = String(root.suite);
  const hash = suiteHash(suite);
  const genesis = {
    chainId: quantity(root.chainId, 'chainId', null),
    suite,
    zeroFees: feeMode(root.feeMode),
    gasLimit: quantity(root.gasLimit, 'gasLimit', null),
    blockIntervalMs: quantity(root.blockIntervalMs, 'blockIntervalMs', null),
    timestamp: quantity(root.timestamp, 'timestamp', 0n),
    extraData: root.extraData === undefined || root.extraData === null ? new Uint8Array(0)
      : hexField(root.extraData, 'extraData'),
    validators,
    alloc,
    ...consortium(root, validators.map((k) => hash(k).slice(12))),
    organisations: organisations(root.organisations),
  };
  if (genesis.chainId <= 0n) {
    throw new Error(`chainId must be positive, got ${genesis.chainId}`);
  }
  if (genesis.gasLimit < GAS_LIMIT_MIN || genesis.gasLimit > GAS_LIMIT_MAX) {
    throw new Error(`gasLimit must be in [${GAS_LIMIT_MIN}, ${GAS_LIMIT_MAX}], got `
      + genesis.gasLimit);
  }
  if (genesis.blockIntervalMs <= 0n || genesis.blockIntervalMs > BLOCK_INTERVAL_MS_MAX) {
    throw new Error(`blockIntervalMs must be 1 to ${BLOCK_INTERVAL_MS_MAX}, got `
      + genesis.blockIntervalMs);
  }
  if (genesis.extraData.length > EXTRA_DATA_BYTES_MAX) {
    throw new Error(`extraData exceeds ${EXTRA_DATA_BYTES_MAX} bytes`);
  }
  for (const account of alloc) {
    if ([GOVERNANCE, PERMISSIONS, NOTARY, TRACE, RECEIVABLES, DATA_SHARING, CROSSCHAIN]
      .some((s) => sameBytes(s, account.address))) {
      throw new Error(`alloc: ${hexText(account.address)} is a system contract's address`);
    }
  }
  return genesis;
}

function consortium(root, validatorAccounts) {
  const committee = [];
  const thresholds = new Map();
  const governance = root.governance;
  if (governance === undefined || governance === null) {
    validatorAccounts.forEach((account) => committee.push({account, weight: 1n}));
  } else {
    requireKnown(governance, ['committee', 'thresholds'], 'governance');
    for (const member of array(governance.committee, 'committee')) {
      requireKnown(member, ['account', 'weight'], 'governance.committee[]');
      if (member.account === undefined || member.account === null) {
        throw new Error('missing required field \'account\'');
      }
      const weight = quantity(member.weight, 'governance.committee[].weight', 1n);
      const account = addressField(String(member.account), 'governance.committee[].account');
      if (weight <= 0n || weight >= 1n << 128n) {
        throw new Error(`member ${hexText(account)}: weight must be in [1, 2^128), got ${weight}`);
      }
      committee.push({account, weight});
    }
    const limits = governance.thresholds ?? {};
    if (typeof limits !== 'object' || Array.isArray(limits)) {
      throw new Error('governance.thresholds must be an object of proposal kind to n/d');
    }
    for (const [kind, text] of Object.entries(limits)) {
      if (!PROPOSAL_KINDS.includes(kind)) {
        throw new Error(`unknown proposal kind '${kind}'; kinds: ${PROPOSAL_KINDS.join(', ')}`);
      }
      thresholds.set(kind, threshold(String(text)));
    }
  }
  const accounts = committee.map((m) => hexText(m.account));
  if (new Set(accounts).size !== accounts.length) {
    throw new Error('a committee member is listed twice');
  }
  const permissions = root.permissions;
  const roles = [];
  let restrictSenders = false, restrictDeployers = false;
  if (permissions !== undefined && permissions !== null) {
    requireKnown(permissions, ['restrictSenders', 'restrictDeployers', 'roles'], 'permissions');
    const granted = permissions.roles ?? {};
    if (typeof granted !== 'object' || Array.isArray(granted)) {
      throw new Error('permissions.roles must be an object of address to a list of roles');
    }
    for (const [address, list] of Object.entries(granted)) {
      let bits = 0n;
      for (const role of array(list, address)) {
        if (!ROLES.has(role)) {
          throw new Error(`permissions.roles.${address}: unknown role '${role}'; roles are `
            + [...ROLES.keys()].join(', '));
        }
        bits |= ROLES.get(role);
      }
      roles.push({account: addressField(address, 'permissions.roles'), bits});
    }
    restrictSenders = flag(permissions.restrictSenders);
    restrictDeployers = flag(permissions.restrictDeployers);
  }
  return {committee, thresholds, roles, restrictSenders, restrictDeployers};
}

// Each organisation's public data key, by name in the order Java's TreeMap gives (UTF-16 code
// units, as sort() compares): governance stores them in that order.
function organisations(value) {
  if (value === undefined || value === null) {
    return [];
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('organisations must be an object of organisation name to {"dataKey": "0x…"}');
  }
  return Object.keys(value).sort().map((name) => {
    const where = `organisations.${name}`;
    requireKnown(value[name], ['dataKey'], where);
    if (value[name].dataKey === undefined || value[name].dataKey === null) {
      throw new Error(`missing required field 'dataKey' in ${where}`);
    }
    const key = hexField(value[name].dataKey, `${where}.dataKey`);
    if (key.length !== 64) {
      throw new Error(`${where}.dataKey is not a 64-byte public key (x || y, hex, no 04 prefix)`);
    }
    return [name, key];
  });
}

function threshold(text) {
  const parts = text.split('/');
  if (parts.length === 2 && /^\s*[+-]?\d+\s*$/.test(parts[0]) && /^\s*[+-]?\d+\s*$/.test(parts[1])) {
    const numerator = BigInt(parts[0].trim()), denominator = BigInt(parts[1].trim());
    if (denominator <= 0n || numerator <= 0n || numerator > denominator
        || denominator > 0x7fffffffn) {
      throw new Error(`a threshold is n/d with 0 < n <= d < 2^31, got ${numerator}/${denominator}`);
    }
    return {numerator, denominator};
  }
  throw new Error(`a threshold is written n/d, like 2/3; got '${text}'`);
}

// Jackson's asBoolean(false): true for true, "true" and non-zero numbers.
function flag(value) {
  return value === true || value === 'true' || (typeof value === 'number' && value !== 0);
}

// ---- block 0 ----------------------------------------------------------------------------------

function genesisHash(genesis) {
  const hash = suiteHash(genesis.suite);
  const empty = emptyRoot(hash);
  const zero32 = new Uint8Array(32);
  const validatorsCommitment = hash(encodeList(genesis.validators.map(encodeBytes)));
  const header = encodeList([
    encodeBytes(zero32), encodeBytes(hash(encodeList([]))), encodeBytes(new Uint8Array(20)),
    encodeBytes(stateRoot(genesis, hash)), encodeBytes(empty), encodeBytes(empty),
    encodeBytes(new Uint8Array(256)), encodeScalar(0n), encodeScalar(0n),
    encodeScalar(genesis.gasLimit), encodeScalar(0n), encodeScalar(genesis.timestamp),
    encodeBytes(genesis.extraData), encodeBytes(validatorsCommitment),
    encodeBytes(new Uint8Array(8)), encodeScalar(genesis.zeroFees ? 0n : INITIAL_BASE_FEE),
    encodeBytes(empty), encodeScalar(0n), encodeScalar(0n), encodeBytes(zero32)]);
  return hash(header);
}

function stateRoot(genesis, hash) {
  const accounts = genesis.alloc.map((a) => [a.address, account(hash, a.nonce, a.balance,
    a.code, a.storage)]);
  accounts.push([GOVERNANCE, account(hash, 1n, 0n, SYSTEM_CODE, governanceStorage(genesis, hash))]);
  accounts.push([PERMISSIONS, account(hash, 1n, 0n, SYSTEM_CODE, permissionsStorage(genesis))]);
  accounts.push([NOTARY, account(hash, 1n, 0n, SYSTEM_CODE, [])]);
  accounts.push([TRACE, account(hash, 1n, 0n, SYSTEM_CODE, [])]);
  accounts.push([RECEIVABLES, account(hash, 1n, 0n, SYSTEM_CODE, [])]);
  accounts.push([DATA_SHARING, account(hash, 1n, 0n, SYSTEM_CODE, [])]);
  accounts.push([CROSSCHAIN, account(hash, 1n, 0n, SYSTEM_CODE, [])]);
  return secureTrieRoot(hash, accounts);
}

/** An account's state-trie value; storage is [slot word, value word] pairs, zeros absent. */
function account(hash, nonce, balance, code, storage) {
  const slots = new Map();
  for (const [slot, value] of storage) {
    slots.set(hexText(slot), [slot, value]); // a later write of a slot wins, as in a journal
  }
  const entries = [...slots.values()].filter(([, value]) => value.some((b) => b !== 0))
    .map(([slot, value]) => [slot, encodeBytes(trimmed(value))]);
  return encodeList([encodeScalar(nonce), encodeScalar(balance),
    encodeBytes(secureTrieRoot(hash, entries)), encodeBytes(hash(code))]);
}

/** A system contract's slot: keccak(name ‖ 0x00 ‖ key …), keys as SystemStorage.slot writes them. */
function slot(name, ...keys) {
  const parts = [utf8(name)];
  for (const key of keys) {
    parts.push(Uint8Array.of(0), typeof key === 'bigint' ? word32(key) : key);
  }
  return keccak256(concat(...parts));
}

function governanceStorage(genesis, hash) {
  const writes = [];
  const write = (key, value) => writes.push([key, value instanceof Uint8Array
    ? concat(new Uint8Array(12), value) : word32(value)]);
  write(slot('gasLimit'), genesis.gasLimit);
  write(slot('blockIntervalMs'), genesis.blockIntervalMs);
  write(slot('feeMode'), genesis.zeroFees ? 1n : 0n);
  let totalWeight = 0n;
  genesis.committee.forEach(({account, weight}, i) => {
    write(slot('member', BigInt(i)), account);
    write(slot('memberIndex', account), BigInt(i + 1));
    write(slot('weight', account), weight);
    totalWeight += weight;
  });
  write(slot('memberCount'), BigInt(genesis.committee.length));
  write(slot('totalWeight'), totalWeight);
  PROPOSAL_KINDS.forEach((kind, ordinal) => {
    const t = genesis.thresholds.get(kind) ?? {numerator: 2n, denominator: 3n};
    write(slot('threshold', BigInt(ordinal)), t.numerator << 128n | t.denominator);
  });
  genesis.validators.forEach((key, i) => {
    const index = BigInt(i);
    write(slot('validator.length', index), 64n);
    writes.push([slot('validator', index, 0n), key.slice(0, 32)]);
    writes.push([slot('validator', index, 1n), key.slice(32)]);
    write(slot('validatorIndex', hash(key).slice(12)), index + 1n);
  });
  write(slot('validatorCount'), BigInt(genesis.validators.length));
  // Bytes as SystemStorage.writeBytes keeps them: the length, then 32-byte chunks.
  const writeBytes = (name, key, value) => {
    write(slot(name + '.length', key), BigInt(value.length));
    for (let i = 0; i * 32 < value.length; i++) {
      const chunk = new Uint8Array(32);
      chunk.set(value.slice(i * 32, i * 32 + 32));
      writes.push([slot(name, key, BigInt(i)), chunk]);
    }
  };
  genesis.organisations.forEach(([name, dataKey], i) => {
    writeBytes('org', BigInt(i), utf8(name));
    writeBytes('orgDataKey', utf8(name), dataKey);
  });
  if (genesis.organisations.length > 0) {
    write(slot('orgCount'), BigInt(genesis.organisations.length));
  }
  return writes;
}

function permissionsStorage(genesis) {
  const flags = (genesis.restrictSenders ? 1n : 0n) | (genesis.restrictDeployers ? 2n : 0n);
  const writes = [[slot('flags'), word32(flags)]];
  for (const {account, bits} of genesis.roles) {
    writes.push([slot('roles', account), word32(bits)]);
  }
  return writes;
}

// ---- JSON fields, read as GenesisFile reads them ------------------------------------------------

function requireKnown(node, known, where) {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    throw new Error(`${where} must be a JSON object`);
  }
  for (const name of Object.keys(node)) {
    if (!known.includes(name)) {
      throw new Error(`unknown field '${name}' in ${where}; known fields: `
        + [...known].sort().join(', '));
    }
  }
}

function array(value, field) {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new Error(`${field} must be an array`);
  }
  return value;
}

function feeMode(value) {
  if (value === undefined || value === null || value === 'ethereum1559') {
    return false;
  }
  if (value === 'zero') {
    return true;
  }
  throw new Error(`feeMode must be 'ethereum1559' or 'zero', got '${value}'`);
}

/** A number, a decimal string or a 0x-hex string; absent when missing (null: required). */
function quantity(node, where, absent) {
  if (node === undefined || node === null) {
    if (absent === null) {
      throw new Error(`missing required field '${where}'`);
    }
    return absent;
  }
  let value;
  if (typeof node === 'number' && Number.isInteger(node)) {
    if (!Number.isSafeInteger(node)) {
      throw new Error(`${where} is a JSON number beyond 2^53, which a browser cannot read`
        + ' exactly: write it as a decimal string');
    }
    value = BigInt(node);
  } else if (typeof node === 'string' && node.startsWith('0x') && /^0x[0-9a-fA-F]+$/.test(node)) {
    value = BigInt(node);
  } else if (typeof node === 'string' && /^[+-]?\d+$/.test(node)) {
    value = BigInt(node);
  } else {
    throw new Error(`${where} must be an integer (number, decimal string or 0x-hex), got `
      + JSON.stringify(node));
  }
  if (value < 0n || value >= 1n << 256n) {
    throw new Error(`${where} must be in [0, 2^256), got ${value}`);
  }
  return value;
}

function hexField(value, where) {
  try {
    return fromHex(String(value), 'hex text');
  } catch (e) {
    throw new Error(`${where} must be 0x-hex bytes: ${e.message}`);
  }
}

function addressField(text, where) {
  let bytes;
  try {
    bytes = fromHex(text);
  } catch (e) {
    bytes = null;
  }
  if (bytes === null || bytes.length !== 20) {
    throw new Error(`${where}: '${text}' is not a 20-byte 0x address`);
  }
  return bytes;
}

function word(text, where) {
  const bytes = hexField(text, where);
  if (bytes.length > 32) {
    throw new Error(`${where}: '${text}' is longer than 32 bytes`);
  }
  const out = new Uint8Array(32);
  out.set(bytes, 32 - bytes.length);
  return out;
}

function word32(value) {
  const bytes = bigIntToBytes(value);
  const out = new Uint8Array(32);
  out.set(bytes, 32 - bytes.length);
  return out;
}

function trimmed(bytes) {
  let at = 0;
  while (at < bytes.length && bytes[at] === 0) {
    at++;
  }
  return bytes.subarray(at);
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function hexText(bytes) {
  return '0x' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
