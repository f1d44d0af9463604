// The receivables pages' arithmetic and checks: amounts in hundredths both ways, days to
// maturity, the indented tree's order, and the step-proof check against facts a verified bundle
// gives. Expected values are worked out by hand (and ERC-721's Transfer topic is the one every
// Ethereum tool prints), not taken from this code.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {dueIn, eventTopic, hundredths, money, provesStep, treeRows, RECEIVABLES_CONTRACT}
  from '../../main/resources/io/chorus/console/site/receivables.js';

test('amounts in hundredths print with grouping and two decimals', () => {
  assert.equal(money('100000000'), '1,000,000.00');
  assert.equal(money('5'), '0.05');
  assert.equal(money('0'), '0.00');
  assert.equal(money((2n ** 128n - 1n).toString()),
    '3,402,823,669,209,384,634,633,746,074,317,682,114.55');
});

test('typed amounts become hundredths, or null when not an amount', () => {
  assert.equal(hundredths('400000'), '40000000');
  assert.equal(hundredths(' 400,000.5 '), '40000050');
  assert.equal(hundredths('0.01'), '1');
  assert.equal(hundredths('1.234'), null, 'three decimals');
  assert.equal(hundredths('0'), null, 'nothing to move');
  assert.equal(hundredths('-5'), null);
  assert.equal(hundredths('1e5'), null);
});

test('days to maturity round up, days overdue round down', () => {
  const now = 1_800_000_000;
  assert.deepEqual(dueIn(now + 90 * 86400, now + 5), {overdue: false, days: 90});
  assert.deepEqual(dueIn(now + 20, now), {overdue: false, days: 1});
  assert.deepEqual(dueIn(now, now), {overdue: true, days: 0});
  assert.deepEqual(dueIn(now, now + 86400 * 3 + 7), {overdue: true, days: 3});
});

test('the tree lists each piece before its children, oldest child first', () => {
  // Root 1 split to 2 and 4; 2 split to 3 and later 5: the answer lists them by id.
  const pieces = [{id: 1, parent: 0}, {id: 2, parent: 1}, {id: 3, parent: 2},
    {id: 4, parent: 1}, {id: 5, parent: 2}];
  assert.deepEqual(treeRows(pieces).map(r => [r.piece.id, r.depth]),
    [[1, 0], [2, 1], [3, 2], [5, 2], [4, 1]]);
});

test('event topics are keccak-256 of the event signature', () => {
  assert.equal(eventTopic('Transfer(address,address,uint256)'),
    '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef');
});

const word = n => '0x' + n.toString(16).padStart(64, '0');
const TX = '0x' + 'ab'.repeat(32);

function splitVerdict(from, to) {
  return {proven: true, blockNumber: 7, signers: ['0x1', '0x2', '0x3'], facts: {
    'log.address': RECEIVABLES_CONTRACT,
    'log.topic0': eventTopic('TransferValue(uint256,uint256,uint256)'),
    'log.topic1': word(from), 'log.topic2': word(to), transaction: TX, log: '2'}};
}

test('a split proves split-from for the new piece and split-to for the one split', () => {
  const verdict = splitVerdict(1, 2);
  assert.deepEqual(provesStep(verdict, {kind: 'split-from', from: 1, txHash: TX, logIndex: 2}, 2),
    {proven: true, blockNumber: 7, signers: 3});
  assert.equal(provesStep(verdict, {kind: 'split-to', to: 2, txHash: TX, logIndex: 2}, 1).proven,
    true);
});

test('a bundle of another piece, event, transaction or contract proves nothing', () => {
  const step = {kind: 'split-from', from: 1, txHash: TX, logIndex: 2};
  assert.match(provesStep(splitVerdict(1, 3), step, 2).reason, /not piece 2/);
  assert.match(provesStep(splitVerdict(9, 2), step, 2).reason, /other piece is not 1/);
  assert.match(provesStep(splitVerdict(1, 2), {...step, logIndex: 1}, 2).reason,
    /not this step's/);
  assert.match(provesStep(splitVerdict(1, 2), {...step, kind: 'financed'}, 2).reason,
    /not Financed/);
  const elsewhere = splitVerdict(1, 2);
  elsewhere.facts['log.address'] = '0x0000000000000000000000000000000000001002';
  assert.match(provesStep(elsewhere, step, 2).reason, /not the receivables contract's/);
  assert.deepEqual(provesStep({proven: false, step: 'seals', reason: 'no quorum'}, step, 2),
    {proven: false, step: 'seals', reason: 'no quorum'});
});
