#!/usr/bin/env node
// The node CPU one console page costs per block, measured by replaying what the page asks for
// each new block (as console-browser.js counted it) back to back against an otherwise idle node,
// so the figure does not drown in the drift of a loaded shared machine.
//
//   node bench/console-replay.js --url http://127.0.0.1:PORT --pid NODE0_PID --page home|validators \
//     [--seconds 10] [--label x]
//
// home: per refresh, the batch [eth_getBlockByHash(hash, false), chorus_nodeStatus] for a block
//   that holds at least 10 transactions, then a batch of eth_getTransactionByHash for its first
//   10 transactions, as the page's onHead and draw() do. The blocks take turns among the newest
//   4 such: the page asks for the block just committed, which the node still holds decoded
//   (Blockchain.recent, the last 20,000 transactions); an older block is read and decoded
//   again for each of the 10 calls, about 20 times the cost with blocks of ~1,600.
// validators: per refresh, the batch [chorus_validatorHealth(window), chorus_nodeStatus], the
//   window taking turns through 57..71 so that no answer comes from the node's per-head cache
//   (a new head's cost; the page asks for 64, and its extra calls within a head are cheaper).
// First the node's own CPU rate with nobody asking (it still makes a block a second) is read for
// --seconds, then the refreshes run for --seconds; the idle rate is subtracted. Prints one JSON
// line: page, refreshes, seconds, idleCores, msPerRefresh (node CPU ms per refresh).
'use strict';
const fs = require('fs');

const arg = (name, fallback) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const URL_ = arg('url', 'http://127.0.0.1:8545');
const PID = Number(arg('pid'));
const PAGE = arg('page');
const SECONDS = Number(arg('seconds', 10));
const LABEL = arg('label', PAGE);
const TX_LIST = 10; // the home page's latest transactions
const BLOCKS_SCANNED = 400;
const BLOCKS_REPLAYED = 4; // × ~2,000 transactions at most: within the node's recent blocks
if (!PID) throw new Error('--pid NODE_PID is required');
if (PAGE !== 'home' && PAGE !== 'validators') throw new Error('--page is home or validators');

const TICKS_PER_S = 100; // Linux USER_HZ
const cpuSeconds = () => {
  const fields = fs.readFileSync(`/proc/${PID}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let nextId = 1;
async function batch(calls) {
  const body = calls.map(([method, params]) => ({ jsonrpc: '2.0', id: nextId++, method, params }));
  const response = await fetch(URL_, { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' } });
  const answers = await response.json();
  const failed = answers.find((a) => a.error);
  if (failed) throw new Error(`${URL_} answered an error: ${failed.error.message}`);
  return answers.sort((a, b) => a.id - b.id).map((a) => a.result);
}

async function loadedBlocks() {
  const [head] = await batch([['eth_blockNumber', []]]);
  const numbers = [];
  for (let n = Number(head); n > 0 && numbers.length < BLOCKS_SCANNED; n--) numbers.push(n);
  const blocks = await batch(numbers.map((n) => ['eth_getBlockByNumber', ['0x' + n.toString(16), false]]));
  const loaded = blocks.filter((b) => b && b.transactions.length >= TX_LIST);
  if (!loaded.length) throw new Error(`no block with ${TX_LIST} transactions or more in the last ${BLOCKS_SCANNED}: run a load first`);
  return loaded.slice(0, BLOCKS_REPLAYED);
}

async function main() {
  const blocks = PAGE === 'home' ? await loadedBlocks() : [];
  let turn = 0;
  const refresh = PAGE === 'home'
    ? async () => {
      const block = blocks[turn++ % blocks.length];
      await batch([['eth_getBlockByHash', [block.hash, false]], ['chorus_nodeStatus', []]]);
      await batch(block.transactions.slice(0, TX_LIST).map((h) => ['eth_getTransactionByHash', [h]]));
    }
    : async () => {
      await batch([['chorus_validatorHealth', [57 + (turn++ % 15)]], ['chorus_nodeStatus', []]]);
    };
  for (let i = 0; i < 50; i++) await refresh(); // the connection and the node's code warm

  let t0 = Date.now(), c0 = cpuSeconds();
  await sleep(SECONDS * 1000);
  const idleCores = (cpuSeconds() - c0) / ((Date.now() - t0) / 1000);

  t0 = Date.now();
  c0 = cpuSeconds();
  let refreshes = 0;
  while (Date.now() - t0 < SECONDS * 1000) {
    await refresh();
    refreshes++;
  }
  const seconds = (Date.now() - t0) / 1000;
  const busy = cpuSeconds() - c0 - idleCores * seconds;
  console.log(JSON.stringify({ label: LABEL, page: PAGE, refreshes, seconds: +seconds.toFixed(2),
    idleCores: +idleCores.toFixed(3), msPerRefresh: +(busy * 1000 / refreshes).toFixed(3),
    blocksReplayed: blocks.length || undefined }));
}
main().catch((e) => {
  console.error(`console-replay (${PAGE}): ${e.message}`);
  process.exit(1);
});
