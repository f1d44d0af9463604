#!/usr/bin/env node
// CPU time per committed transaction, per process, while a load runs against a chain.
//
//   node bench/cpu-per-tx.js --url http://127.0.0.1:8545 --pids 123,456 --n 10000 [--skip 1] [--label x]
//
// Samples every 100 ms each process's CPU time (utime + stime from /proc/PID/stat) and the
// transactions the node committed (chorus_transactions_committed_total from its /metrics: one
// cheap read, so the sampler hardly loads the node). The window opens at the first sample that
// finds more than `skip` transactions (load.js's contract deployment) committed and closes once
// all N of the load are: the load generator's signing before and its receipt checks after are
// left out; µs/tx divides by the transactions committed inside the window. Prints one JSON line: the window, tx/s in it, per process CPU seconds and µs/tx.
'use strict';
const fs = require('fs');

const arg = (name, fallback) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const URL_ = arg('url', 'http://127.0.0.1:8545');
const PIDS = arg('pids', '').split(',').filter(Boolean).map(Number);
const N = Number(arg('n', 10000));
const SKIP = Number(arg('skip', 1));
const LABEL = arg('label', 'cpu');
const TIMEOUT_MS = Number(arg('timeout', 600)) * 1000;
if (!PIDS.length) throw new Error('--pids PID[,PID...] is required');

const TICKS_PER_S = 100; // Linux USER_HZ
const cpuSeconds = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // utime, stime
};
const committed = async () => {
  const text = await (await fetch(URL_ + '/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith('chorus_transactions_committed_total'));
  if (!line) throw new Error(URL_ + '/metrics has no chorus_transactions_committed_total');
  return Number(line.split(' ')[1]);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const baseline = await committed();
  let start = null; // {t, cpu, count} when the load's first transactions are committed
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    const t = Date.now();
    const cpu = PIDS.map(cpuSeconds);
    const count = await committed();
    if (start === null && count > baseline + SKIP) start = { t, cpu, count };
    if (start !== null && count - baseline - SKIP >= N) {
      const txs = count - start.count;
      const seconds = (t - start.t) / 1000;
      const perProcess = PIDS.map((pid, i) => ({ pid, cpuSeconds: +(cpu[i] - start.cpu[i]).toFixed(2),
        usPerTx: +((cpu[i] - start.cpu[i]) * 1e6 / txs).toFixed(1) }));
      console.log(JSON.stringify({ label: LABEL, transactions: txs, seconds: +seconds.toFixed(2),
        tps: +(txs / seconds).toFixed(1), perProcess }));
      return;
    }
    await sleep(100);
  }
  throw new Error(`the window did not close before the timeout (${N} transactions)`);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
