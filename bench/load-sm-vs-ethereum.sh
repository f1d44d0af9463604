#!/usr/bin/env bash
# 国密 against Ethereum cryptography: a fresh network of 4 BFT validators per suite
# (`chorus up --suite ethereum|sm`), loaded in one run by the same Java load generator
# (`chorus bench load`: load.js's method and fields, signing in the chain's suite: secp256k1 +
# keccak-256, or SM2 + SM3 with the public key in each transaction). Each network gets a
# warm-up, then RUNS runs of N notarize transactions per window, sent to node0; beside each run
# bench/cpu-per-tx.js samples the CPU time of the 4 validators and of the load generator.
# Prints every result line and a markdown table of medians with sm as a share of ethereum.
#   bench/load-sm-vs-ethereum.sh
# Env: N (10000), WARMUP (20000), WINDOWS ("16"), RUNS (3), PORT (8545), P2P_PORT (0: free
# ports, so networks of others on the machine do not collide), OUT (raw lines).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
N=${N:-10000}
WARMUP=${WARMUP:-20000}
WINDOWS=${WINDOWS:-16}
RUNS=${RUNS:-3}
PORT=${PORT:-8545}
P2P_PORT=${P2P_PORT:-0}
OUT=${OUT:-$(mktemp -d -t load-sm-vs-ethereum.XXXXXX)}
URL="http://127.0.0.1:$PORT"
RESULTS="$OUT/results.jsonl"
CPU="$OUT/cpu.jsonl"
mkdir -p "$OUT"
: >"$RESULTS"
: >"$CPU"

for suite in ethereum sm; do
  DATA="$OUT/chorus-$suite"
  echo "== Chorus, 4 validators, suite $suite (fresh data dir $DATA)" >&2
  trap '"$ROOT/chorus" down --dir "$DATA" >&2' EXIT
  "$ROOT/chorus" up --suite "$suite" --validators 4 --dir "$DATA" --rpc-port "$PORT" \
    --p2p-port "$P2P_PORT" >&2
  pids=$(find "$DATA" -name node.json -exec grep -ho '"pid":[0-9]*' {} + | cut -d: -f2 \
    | paste -sd, -)
  "$ROOT/chorus" bench load --url "$URL" --n "$WARMUP" --window 16 --label warmup >/dev/null
  for window in $WINDOWS; do
    for ((run = 1; run <= RUNS; run++)); do
      label="$suite-w$window"
      "$ROOT/chorus" bench load --url "$URL" --n "$N" --window "$window" --label "$label" \
        --out "$RESULTS" >"$OUT/load.out" &
      load=$!
      node "$HERE/cpu-per-tx.js" --url "$URL" --pids "$pids,$load" --n "$N" --label "$label" \
        >>"$CPU" &
      sampler=$!
      wait "$load"
      wait "$sampler" || echo "($label: no CPU figure, see above)" >&2
      tail -1 "$OUT/load.out" >&2
    done
  done
  "$ROOT/chorus" down --dir "$DATA" >&2
  trap - EXIT
done

cat "$RESULTS" "$CPU"
node - "$RESULTS" "$CPU" "$WINDOWS" <<'JS'
const fs = require('fs');
const [results, cpu, windows] = process.argv.slice(2);
const lines = (f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map(JSON.parse);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[(s.length - 1) >> 1]; };
const runs = lines(results), cpus = lines(cpu);
const of = (label, f) => median(runs.filter((r) => r.label === label).map(f));
// cpu-per-tx.js lists the validators first, the load generator last.
const perValidator = (label) => median(cpus.filter((c) => c.label === label).map((c) =>
  c.perProcess.slice(0, -1).reduce((sum, p) => sum + p.usPerTx, 0) / (c.perProcess.length - 1)));
const f0 = (x) => Math.round(x).toLocaleString('en-US');
console.log('| window | ethereum tx/s | sm tx/s (share) | p50 / p99 ms: ethereum · sm | CPU µs per tx per validator: ethereum · sm |');
console.log('|--:|--:|--:|--|--|');
for (const w of windows.split(/\s+/).filter(Boolean)) {
  const e = `ethereum-w${w}`, s = `sm-w${w}`;
  const te = of(e, (r) => r.tps), ts = of(s, (r) => r.tps);
  console.log(`| ${w} | ${f0(te)} | ${f0(ts)} (${Math.round(100 * ts / te)} %) | ` +
    `${f0(of(e, (r) => r.latMs.p50))} / ${f0(of(e, (r) => r.latMs.p99))} · ` +
    `${f0(of(s, (r) => r.latMs.p50))} / ${f0(of(s, (r) => r.latMs.p99))} | ` +
    `${f0(perValidator(e))} · ${f0(perValidator(s))} |`);
}
JS
