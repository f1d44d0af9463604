#!/usr/bin/env bash
# Supply-chain finance throughput on 4 validators, in the same run as bench/load-vs-hardhat.sh's
# notarize workload (hardhat 3 automine, then a fresh network of 4 validators), so that the
# notarize figures and their ratio to hardhat are of the same minutes on the same machine.
# Then a fresh `chorus up --validators 4` network gets `chorus bench receivables`: a warm-up,
# then RUNS runs of N receivables, each issued (the obligor's signature over its terms), split
# SPLITS times to tier-2 suppliers, offered to a bank and accepted by it, one operation at a
# time, all sent to node0. The machine's load average (uptime) is recorded before and after
# each part. Prints the notarize table, every receivables line and a table of medians.
#   bench/receivables-load.sh
# Env: PEERS_HOME (default /tmp/peers), N (1000 receivables), SPLITS (3), WINDOW (16 in flight
#      per sender), RUNS (3, for both workloads), WARMUP (300 receivables), NOTARIZE_N (10000),
#      NOTARIZE_WARMUP (20000), PORT (the first of 4 free ports from 18600 up by default: never
#      the default 8545-8548, which other work on a shared machine uses), OUT (raw lines).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
export PEERS_HOME=${PEERS_HOME:-/tmp/peers}
N=${N:-1000}
SPLITS=${SPLITS:-3}
WINDOW=${WINDOW:-16}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-300}
OUT=${OUT:-$(mktemp -d -t receivables-load.XXXXXX)}
RESULTS="$OUT/receivables.jsonl"
LOAD="$OUT/uptime.txt"
mkdir -p "$OUT"
: >"$RESULTS"
: >"$LOAD"

free_port_base() { # the first of 4 consecutive ports no one listens on, from $1 up
  local base=$1 used
  used=$(ss -Htln | awk '{print $4}' | sed 's/.*://' | sort -u)
  while grep -qxE "$base|$((base + 1))|$((base + 2))|$((base + 3))" <<<"$used"; do
    base=$((base + 4))
  done
  echo "$base"
}
PORT=${PORT:-$(free_port_base 18600)}
stamp() { echo "$1: $(date -u +%H:%M:%S) $(uptime | sed 's/.*load average/load average/')" | tee -a "$LOAD" >&2; }

stamp "notarize start"
OUT="$OUT/notarize" PORT=$PORT CHAINS="hh3 net4" WINDOWS=$WINDOW RUNS=$RUNS N=${NOTARIZE_N:-10000} \
  WARMUP=${NOTARIZE_WARMUP:-20000} "$HERE/load-vs-hardhat.sh" | tee "$OUT/notarize.md"
stamp "notarize end"

DATA="$OUT/chorus-receivables"
echo "== Chorus, 4 validators: receivables (fresh data dir $DATA)" >&2
trap '"$ROOT/chorus" down --dir "$DATA" >&2' EXIT
"$ROOT/chorus" up --validators 4 --dir "$DATA" --rpc-port "$PORT" --p2p-port 0 >&2
stamp "receivables start"
"$ROOT/chorus" bench receivables --dir "$DATA" --receivables "$WARMUP" --splits "$SPLITS" \
  --window "$WINDOW" --label warmup >/dev/null
for ((run = 1; run <= RUNS; run++)); do
  "$ROOT/chorus" bench receivables --dir "$DATA" --receivables "$N" --splits "$SPLITS" \
    --window "$WINDOW" --label "run$run" --out "$RESULTS" >/dev/null
  stamp "receivables run $run"
done
"$ROOT/chorus" down --dir "$DATA" >&2
trap - EXIT

cat "$RESULTS"
node - "$RESULTS" <<'JS'
const fs = require('fs');
const runs = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map(JSON.parse);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[(s.length - 1) >> 1]; };
const f0 = (x) => Math.round(x).toLocaleString('en-US');
const r0 = runs[0];
console.log(`\n${r0.receivables} receivables, ${r0.splits} splits each, window ${r0.window}; medians of ${runs.length} runs:\n`);
console.log('| operation | txs per run | tx/s | latency p50 / p99 ms | gas per tx | blocks with tx |');
console.log('|---|--:|--:|--|--:|--:|');
for (const op of Object.keys(r0.operations)) {
  const of = (f) => median(runs.map((r) => f(r.operations[op])));
  console.log(`| ${op} | ${f0(of((o) => o.txs))} | ${f0(of((o) => o.tps))} | ` +
    `${f0(of((o) => o.latMs.p50))} / ${f0(of((o) => o.latMs.p99))} | ${f0(of((o) => o.avgGasUsed))} | ` +
    `${of((o) => o.blocksWithTx)} |`);
}
console.log(`| all | ${f0(median(runs.map((r) => r.total.txs)))} | ${f0(median(runs.map((r) => r.total.tps)))} | | | |`);
JS
cat "$LOAD"
echo "raw lines: $RESULTS, notarize: $OUT/notarize, load averages: $LOAD" >&2
