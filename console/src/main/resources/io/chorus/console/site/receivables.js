// Supply-chain finance (供应链金融) as the pages show it: amounts in hundredths of the currency
// unit, time to maturity, a receivable's pieces as a tree, and whether a verified log bundle
// proves a given step of a given piece. Pure: tested under node --test without a browser.
import {keccak256, toHex, utf8} from './crypto/hash.js';

export const RECEIVABLES_CONTRACT = '0x0000000000000000000000000000000000001004';
const DAY_SECONDS = 86400;

// An amount in hundredths ("100000050", up to 2^128) as "1,000,000.50".
export function money(hundredths) {
  const value = BigInt(hundredths);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return sign + (abs / 100n).toLocaleString('en-US') + '.'
    + (abs % 100n).toString().padStart(2, '0');
}

// What a person types ("400000", "400,000.5", "1000000.00") in hundredths as the API takes
// them ("40000050"); null when it is not a positive amount with at most two decimals.
export function hundredths(text) {
  const m = /^(\d{1,36})(?:\.(\d{1,2}))?$/.exec(String(text).trim().replace(/,/g, ''));
  if (!m) return null;
  const value = BigInt(m[1]) * 100n + BigInt((m[2] || '0').padEnd(2, '0'));
  return value > 0n ? value.toString() : null;
}

// Whole days to maturity (rounded up: a term of 90 days has 90 left on its first day), or the
// whole days since it passed; seconds since the epoch.
export function dueIn(maturity, now) {
  const left = maturity - now;
  return left > 0 ? {overdue: false, days: Math.ceil(left / DAY_SECONDS)}
    : {overdue: true, days: Math.floor((now - maturity) / DAY_SECONDS)};
}

// A receivable's pieces (the tree answer: by id, root first, each with its parent) in the order
// an indented tree shows them: each piece followed by its children, oldest child first.
export function treeRows(pieces) {
  const children = new Map();
  for (const p of pieces) {
    if (!children.has(p.parent)) children.set(p.parent, []);
    children.get(p.parent).push(p);
  }
  const rows = [];
  const visit = (piece, depth) => {
    rows.push({piece, depth});
    for (const child of children.get(piece.id) || []) visit(child, depth + 1);
  };
  for (const root of children.get(0) || []) visit(root, 0);
  return rows;
}

// The event each step's log is, and the topic that names the piece (ERC-3525's TransferValue
// names the piece split from in topic 1 and the new piece in topic 2; ERC-721's Transfer the
// token in topic 3).
const STEP_EVENTS = {
  issued: ['Issued(uint256,address,address,uint256,string,uint64,bytes32,string)', 1],
  'split-from': ['TransferValue(uint256,uint256,uint256)', 2],
  'split-to': ['TransferValue(uint256,uint256,uint256)', 1],
  transferred: ['Transfer(address,address,uint256)', 3],
  offered: ['FinancingOffered(uint256,address,address,uint256)', 1],
  cancelled: ['FinancingCancelled(uint256,address)', 1],
  financed: ['Financed(uint256,address,address,uint256,uint256)', 1],
  paid: ['Paid(uint256,address,address,uint256,bytes32)', 1],
};

export const eventTopic = signature => toHex(keccak256(utf8(signature)));
const word = n => '0x' + BigInt(n).toString(16).padStart(64, '0');

// Whether a verified log bundle (verifyBundle's verdict) proves this step of piece `id`: the
// receivables contract's log of the step's event, naming the piece (and, for a split, the
// other piece), in the step's own transaction at its log index.
export function provesStep(verdict, step, id) {
  if (!verdict.proven) return {proven: false, step: verdict.step, reason: verdict.reason};
  const f = verdict.facts;
  const fail = reason => ({proven: false, step: 'receivable', reason});
  const [signature, topic] = STEP_EVENTS[step.kind] || [];
  if (!signature) return fail(`no event proves a '${step.kind}' step`);
  if (f['log.address'] !== RECEIVABLES_CONTRACT) {
    return fail(`the log is ${f['log.address']}'s, not the receivables contract's`);
  }
  if (f['log.topic0'] !== eventTopic(signature)) {
    return fail(`the log is not ${signature.split('(')[0]}`);
  }
  if (f[`log.topic${topic}`] !== word(id)) {
    return fail(`the log names ${f[`log.topic${topic}`]} in topic ${topic}, not piece ${id}`);
  }
  const other = step.kind === 'split-from' ? step.from : step.kind === 'split-to' ? step.to : null;
  if (other !== null && f[`log.topic${3 - topic}`] !== word(other)) {
    return fail(`the split's other piece is not ${other}`);
  }
  if (f.transaction !== step.txHash.toLowerCase() || f.log !== String(step.logIndex)) {
    return fail(`the bundle proves log ${f.log} of ${f.transaction}, not this step's`);
  }
  return {proven: true, blockNumber: verdict.blockNumber, signers: verdict.signers.length};
}
