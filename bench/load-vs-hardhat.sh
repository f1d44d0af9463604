#!/usr/bin/env bash
# Transaction throughput, latency and CPU per transaction through JSON-RPC: hardhat 3 automine,
# a Chorus dev node (one validator) and a Chorus network of 4 BFT validators on this machine,
# measured in one run with the peers' load.js (signed EIP-1559 notarize transactions, 10
# senders; on the network all sent to node0, which gossips them). Each chain gets a warm-up,
# then RUNS recorded runs of N transactions per window size. Chorus's warm-up (WARMUP) lets the
# JVM compile its hot code; hardhat's (WARMUP_HH3) is short because hardhat slows down as its
# in-memory chain grows (with 20,000 transactions behind it, about 900 instead of 1,500 tx/s
# here), so it is measured at its best. Beside each Chorus run, bench/cpu-per-tx.js samples the CPU time
# of every Chorus process and of load.js from the first block holding load until N transactions
# are committed. Prints every result line and a markdown table of medians with the ratios.
#   bench/load-vs-hardhat.sh
# Env: PEERS_HOME (default /tmp/peers; install it with PEERS_HOME=... ../shared/peers/setup.sh),
#      N (10000), WARMUP (20000), WARMUP_HH3 (2000), WINDOWS ("1 16 64"), RUNS (3), PORT (8545),
#      CHAINS ("hh3 dev net4"), OUT (folder for the raw lines), P2P_PORT (the validators' first peer
#      port; default 0: free ports, so a machine running other networks is no obstacle).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PEERS=$(cd "$HERE/../../shared/peers" && pwd)
export PEERS_HOME=${PEERS_HOME:-/tmp/peers}
N=${N:-10000}
WARMUP=${WARMUP:-20000}
WARMUP_HH3=${WARMUP_HH3:-2000}
WINDOWS=${WINDOWS:-1 16 64}
RUNS=${RUNS:-3}
PORT=${PORT:-8545}
CHAINS=${CHAINS:-hh3 dev net4}
OUT=${OUT:-$(mktemp -d -t load-vs-hardhat.XXXXXX)}
URL="http://127.0.0.1:$PORT"
RESULTS="$OUT/results.jsonl"
CPU="$OUT/cpu.jsonl"
mkdir -p "$OUT"
: >"$RESULTS"
: >"$CPU"

[[ -d $PEERS_HOME/hh3 ]] || { echo "no hardhat 3 in $PEERS_HOME: run PEERS_HOME=$PEERS_HOME $PEERS/setup.sh" >&2; exit 1; }

measure() { # label warmup [pids]: warm-up, then RUNS runs per window, CPU sampled given pids
  node "$PEERS/load.js" --url "$URL" --n "$2" --window 16 --label warmup >/dev/null
  for window in $WINDOWS; do
    for ((run = 1; run <= RUNS; run++)); do
      local label="$1-w$window" sampler=
      node "$PEERS/load.js" --url "$URL" --n "$N" --window "$window" --label "$label" \
        --out "$RESULTS" > "$OUT/load.out" &
      local load=$!
      if [[ -n ${3:-} ]]; then
        node "$HERE/cpu-per-tx.js" --url "$URL" --pids "$3,$load" --n "$N" --label "$label" \
          >> "$CPU" &
        sampler=$!
      fi
      wait "$load"
      [[ -z $sampler ]] || wait "$sampler" || echo "($label: no CPU figure, see above)" >&2
      tail -1 "$OUT/load.out" >&2
    done
  done
}

chorus_pids() { # the pids of the nodes running on a data dir (a member dir or a network dir)
  find "$1" -name node.json -exec grep -ho '"pid":[0-9]*' {} + | cut -d: -f2 | paste -sd, -
}

for chain in $CHAINS; do
  case $chain in
    hh3)
      echo "== hardhat 3 automine" >&2
      trap '"$PEERS/peer.sh" stop' EXIT
      PORT=$PORT "$PEERS/hh3.sh" >&2
      measure hh3 "$WARMUP_HH3"
      "$PEERS/peer.sh" stop
      trap - EXIT ;;
    dev|net4)
      DATA="$OUT/chorus-$chain"
      echo "== Chorus $chain (fresh data dir $DATA)" >&2
      rm -rf "$DATA" # an OUT given again must not start the chain of an earlier run
      trap '"$ROOT/chorus" down --dir "$DATA" >&2' EXIT
      if [[ $chain == dev ]]; then
        "$ROOT/chorus" up --dev --dir "$DATA" --rpc-port "$PORT" >&2
      else
        "$ROOT/chorus" up --validators 4 --dir "$DATA" --rpc-port "$PORT" --p2p-port "${P2P_PORT:-0}" >&2
      fi
      measure "$chain" "$WARMUP" "$(chorus_pids "$DATA")"
      "$ROOT/chorus" down --dir "$DATA" >&2
      trap - EXIT ;;
    *) echo "unknown chain '$chain': use hh3, dev or net4" >&2; exit 1 ;;
  esac
done

node -e '
  const fs = require("fs");
  const read = (f) => fs.readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
  const lines = read(process.argv[1]), cpu = read(process.argv[2]);
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const by = {}, cpuBy = {};
  for (const l of lines) (by[l.label] ??= []).push(l);
  for (const c of cpu) (cpuBy[c.label] ??= []).push(c);
  const tps = (xs) => median(xs.map((x) => x.tps));
  const lat = (xs) => xs.length ? median(xs.map((x) => x.latMs.p50)).toFixed(0) + " / " + median(xs.map((x) => x.latMs.p99)).toFixed(0) : "-";
  // µs of CPU per transaction: per Chorus process (all but the last pid, which is load.js)
  const us = (xs) => { if (!xs?.length) return "-"; const per = xs.map((c) => { const p = c.perProcess;
    return p.slice(0, -1).reduce((s, q) => s + q.usPerTx, 0) / (p.length - 1); }); return median(per).toFixed(0); };
  const loadUs = (xs) => xs?.length ? median(xs.map((c) => c.perProcess.at(-1).usPerTx)).toFixed(0) : "-";
  console.log("| window | hardhat 3 tx/s | dev tx/s (× hh3) | 4 validators tx/s (× hh3) | p50 / p99 ms: hh3, dev, 4 validators | CPU µs/tx per Chorus process: dev, per validator | load.js µs/tx |");
  console.log("|--:|--:|--:|--:|--|--|--|");
  for (const w of process.argv[3].split(" ")) {
    const hh = by["hh3-w" + w] ?? [], dev = by["dev-w" + w] ?? [], net = by["net4-w" + w] ?? [];
    const ratio = (xs) => xs.length && hh.length ? ` (${(tps(xs) / tps(hh)).toFixed(2)}×)` : "";
    const t = (xs) => xs.length ? tps(xs).toFixed(0) : "-";
    console.log(`| ${w} | ${t(hh)} | ${t(dev)}${ratio(dev)} | ${t(net)}${ratio(net)} | ${lat(hh)}, ${lat(dev)}, ${lat(net)} | ${us(cpuBy["dev-w" + w])}, ${us(cpuBy["net4-w" + w])} | ${loadUs(cpuBy["dev-w" + w])}, ${loadUs(cpuBy["net4-w" + w])} |`);
  }
' "$RESULTS" "$CPU" "$WINDOWS"
echo "raw result lines: $RESULTS, CPU samples: $CPU" >&2
