// GS1 codes as the product search reads them, the check of an event proof's anchor, and the
// lineage graph's layout. Expected values come from the GS1 rules (check digits by hand) and
// from the Java side's canonical forms (Gs1Identifiers' own test vectors), not from this code.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {anchorsEvent, checkDigit, digitalLinkPath, hashIdDigest, productPath, shortName}
  from '../../main/resources/io/chorus/console/site/gs1.js';
import {layout} from '../../main/resources/io/chorus/console/site/lineage-graph.js';

test('a GTIN check digit follows the 3-1 weights from the right', () => {
  assert.equal(checkDigit('0401234511111'), 8); // GTIN-14 04012345111118
  assert.equal(checkDigit('950600013435'), 2); // GTIN-13 9506000134352
});

test('Digital Links on any host and sgtin/lgtin URNs become the resolver path', () => {
  assert.equal(digitalLinkPath('urn:epc:id:sgtin:4012345.011111.9876'),
    '01/04012345111118/21/9876');
  assert.equal(digitalLinkPath('urn:epc:class:lgtin:4012345.011111.L1'),
    '01/04012345111118/10/L1');
  assert.equal(digitalLinkPath('https://id.gs1.org/01/04012345111118/21/A1'),
    '01/04012345111118/21/A1');
  assert.equal(digitalLinkPath('https://shop.example/p/01/04012345111118/10/L1/21/A1?x=1'),
    '01/04012345111118/10/L1/21/A1');
  assert.equal(digitalLinkPath('/01/09506000134352'), '01/09506000134352');
  assert.equal(digitalLinkPath('urn:epc:id:sgtin:4012345.0111.9876'), null, '12 digits');
  assert.equal(digitalLinkPath('0x' + 'ab'.repeat(32)), null);
  assert.equal(digitalLinkPath('12345'), null);
});

test('identifiers get a console link and a short name when they are trade items', () => {
  assert.equal(productPath('https://id.gs1.org/01/04012345111118/21/A1'),
    '01/04012345111118/21/A1');
  assert.equal(productPath('https://id.gs1.org/00/040123450000004410'), null);
  assert.equal(shortName('https://id.gs1.org/01/04012345111118/21/A1'), '21/A1');
  assert.equal(shortName('https://id.gs1.org/00/040123450000004410'),
    '00/040123450000004410');
});

test('a proof anchors an event only from the trace contract and with its digest', () => {
  const hashId = 'ni:///sha-256;' + 'ab'.repeat(32) + '?ver=CBV2.0';
  assert.equal(hashIdDigest(hashId), '0x' + 'ab'.repeat(32));
  const proven = {proven: true, blockNumber: 7, timestamp: 1, signers: ['a', 'b', 'c'],
    facts: {'log.address': '0x0000000000000000000000000000000000001003',
      'batch.leaf': '0x' + 'ab'.repeat(32)}};
  assert.deepEqual(anchorsEvent(proven, hashId),
    {proven: true, blockNumber: 7, timestamp: 1, signers: 3});
  const notary = structuredClone(proven);
  notary.facts['log.address'] = '0x0000000000000000000000000000000000001001';
  assert.equal(anchorsEvent(notary, hashId).proven, false);
  const other = structuredClone(proven);
  other.facts['batch.leaf'] = '0x' + 'cd'.repeat(32);
  assert.equal(anchorsEvent(other, hashId).proven, false);
  assert.equal(anchorsEvent({proven: false, step: 'seal', reason: 'x'}, hashId).reason, 'x');
});

test('the layout puts each depth in a column, upstream sources on the left', () => {
  const nodes = [{id: 'r', depth: 0}, {id: 'a', depth: 1}, {id: 'b', depth: 1},
    {id: 'c', depth: 2}];
  const edges = [{from: 'r', to: 'a'}, {from: 'r', to: 'b'}, {from: 'a', to: 'c'}];
  const down = layout({root: 'r', direction: 'downstream', nodes, edges});
  const column = at => Object.fromEntries(at.nodes.map(n => [n.id, n.column]));
  assert.deepEqual(column(down), {r: 0, a: 1, b: 1, c: 2});
  assert.ok(down.nodes.find(n => n.id === 'b').y > down.nodes.find(n => n.id === 'a').y);
  assert.ok(down.edges.every(e => e.x2 > e.x1), 'downstream edges run left to right');
  const up = layout({root: 'r', direction: 'upstream', nodes,
    edges: edges.map(e => ({from: e.to, to: e.from}))});
  assert.deepEqual(column(up), {r: 2, a: 1, b: 1, c: 0});
  assert.ok(up.edges.every(e => e.x2 > e.x1), 'upstream edges run left to right too');
  assert.ok(up.width >= 3 * 156);
});
