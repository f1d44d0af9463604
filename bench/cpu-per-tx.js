#!/usr/bin/env node
// CPU time per committed transaction, per process, while a load runs against a chain.
//
//   node bench/cpu-per-tx.js --url http://127.0.0.1:8545 --pids 123,456 --n 10000 [--label x]
//
// Samples every 100 ms each process's CPU time (utime + stime from /proc/PID/stat) and the
// transactions the chain committed (new blocks' transaction counts, read over JSON-RPC). The
// window opens at the first block holding transactions and closes once N more transactions are
// committed, so the load generator's signing before and its receipt checks after are left out.
// Prints one JSON line: the window, tx/s in it, and per process the CPU seconds and µs per tx.
'use strict';
const fs = require('fs');

const arg = (name, fallback) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const URL_ = arg('url', 'http://127.0.0.1:8545');
const PIDS = arg('pids', '').split(',').filter(Boolean).map(Number);
const N = Number(arg('n', 10000));
const LABEL = arg('label', 'cpu');
const TIMEOUT_MS = Number(arg('timeout', 600)) * 1000;
if (!PIDS.length) throw new Error('--pids PID[,PID...] is required');

const TICKS_PER_S = 100; // Linux USER_HZ
const cpuSeconds = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // utime, stime
};
let id = 0;
const rpc = async (method, params) => {
  const res = await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
  const body = await res.json();
  if (body.error) throw new Error(method + ': ' + body.error.message);
  return body.result;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  let next = Number(await rpc('eth_blockNumber', [])) + 1;
  let start = null; // {t, cpu[]} at the first block with transactions
  let committed = 0;
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    const t = Date.now();
    const cpu = PIDS.map(cpuSeconds);
    const head = Number(await rpc('eth_blockNumber', []));
    for (; next <= head; next++) {
      const block = await rpc('eth_getBlockByNumber', ['0x' + next.toString(16), false]);
      const count = block.transactions.length;
      if (start === null && count > 0) start = { t, cpu, block: next };
      if (start !== null) committed += count;
    }
    if (start !== null && committed >= N) {
      const seconds = (t - start.t) / 1000;
      const perProcess = PIDS.map((pid, i) => ({ pid, cpuSeconds: +(cpu[i] - start.cpu[i]).toFixed(2),
        usPerTx: +((cpu[i] - start.cpu[i]) * 1e6 / committed).toFixed(1) }));
      const total = perProcess.reduce((s, p) => s + p.cpuSeconds, 0);
      console.log(JSON.stringify({ label: LABEL, transactions: committed, seconds: +seconds.toFixed(2),
        tps: +(committed / seconds).toFixed(1), fromBlock: start.block, toBlock: head,
        usPerTxPerProcess: +(total * 1e6 / committed / PIDS.length).toFixed(1), perProcess }));
      return;
    }
    await sleep(100);
  }
  throw new Error(`only ${committed} of ${N} transactions committed before the timeout`);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
