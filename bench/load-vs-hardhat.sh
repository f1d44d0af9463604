#!/usr/bin/env bash
# Transaction throughput, latency and CPU per transaction through JSON-RPC: hardhat 3 automine,
# a Chorus dev node (one validator) and a Chorus network of 4 BFT validators on this machine,
# measured in one run with the peers' load.js (signed EIP-1559 notarize transactions, 10
# senders; on the network all sent to node0, which gossips them). Each chain starts fresh and is
# measured twice:
#  - fresh, as a new user sees it: FRESH_WARMUP transactions (500), then one run of FRESH_N
#    (5000) at window FRESH_WINDOW (8), the JVM still compiling;
#  - warm: a warm-up up to WARMUP transactions in all (20000, counting the fresh ones), which lets
#    the JVM compile its hot code, then RUNS recorded runs of N transactions per window size.
#    Hardhat is restarted for its warm part and gets a short warm-up (WARMUP_HH3), because it
#    slows down as its in-memory chain grows (with 20,000 transactions behind it, about 900
#    instead of 1,500 tx/s here), so it is measured at its best.
# Beside each Chorus run, bench/cpu-per-tx.js samples the CPU time of every Chorus process and of
# load.js from the first block holding load until N transactions are committed. Prints every
# result line and a markdown table of medians with the ratios, the fresh row first.
#   bench/load-vs-hardhat.sh
# Env: PEERS_HOME (default /tmp/peers; install it with PEERS_HOME=... ../shared/peers/setup.sh),
#      N (10000), WARMUP (20000), WARMUP_HH3 (2000), WINDOWS ("1 16 64"), RUNS (3), PORT (8545),
#      FRESH_WARMUP (500), FRESH_N (5000), FRESH_WINDOW (8),
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
FRESH_WARMUP=${FRESH_WARMUP:-500}
FRESH_N=${FRESH_N:-5000}
FRESH_WINDOW=${FRESH_WINDOW:-8}
OUT=${OUT:-$(mktemp -d -t load-vs-hardhat.XXXXXX)}
URL="http://127.0.0.1:$PORT"
RESULTS="$OUT/results.jsonl"
CPU="$OUT/cpu.jsonl"
mkdir -p "$OUT"
: >"$RESULTS"
: >"$CPU"

[[ -d $PEERS_HOME/hh3 ]] || { echo "no hardhat 3 in $PEERS_HOME: run PEERS_HOME=$PEERS_HOME $PEERS/setup.sh" >&2; exit 1; }

run() { # label window n [pids]: one recorded load.js run, CPU sampled for the given pids
  local sampler=
  node "$PEERS/load.js" --url "$URL" --n "$3" --window "$2" --label "$1" \
    --out "$RESULTS" > "$OUT/load.out" &
  local load=$!
  if [[ -n ${4:-} ]]; then
    node "$HERE/cpu-per-tx.js" --url "$URL" --pids "$4,$load" --n "$3" --label "$1" >> "$CPU" &
    sampler=$!
  fi
  wait "$load"
  [[ -z $sampler ]] || wait "$sampler" || echo "($1: no CPU figure, see above)" >&2
  tail -1 "$OUT/load.out" >&2
}

warmup() { # n window: load.js transactions that are not recorded
  (( $1 <= 0 )) || node "$PEERS/load.js" --url "$URL" --n "$1" --window "$2" --label warmup >/dev/null
}

measure_fresh() { # label [pids]: on a chain just started
  warmup "$FRESH_WARMUP" "$FRESH_WINDOW"
  run "$1-fresh" "$FRESH_WINDOW" "$FRESH_N" "${2:-}"
}

measure_warm() { # label warmup [pids]: the warm-up, then RUNS runs per window
  warmup "$2" 16
  for window in $WINDOWS; do
    for ((i = 1; i <= RUNS; i++)); do
      run "$1-w$window" "$window" "$N" "${3:-}"
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
      measure_fresh hh3
      PORT=$PORT "$PEERS/hh3.sh" >&2 # restarted: an empty chain for the warm part
      measure_warm hh3 "$WARMUP_HH3"
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
      pids=$(chorus_pids "$DATA")
      measure_fresh "$chain" "$pids"
      # The warm-up counts what the fresh part sent (and load.js's deployments).
      measure_warm "$chain" $((WARMUP - FRESH_WARMUP - FRESH_N)) "$pids"
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
  const rows = [["fresh", process.argv[4] + ", fresh (" + process.argv[5] + " warm-up)"],
    ...process.argv[3].split(" ").map((w) => ["w" + w, w])];
  for (const [key, w] of rows) {
    const hh = by["hh3-" + key] ?? [], dev = by["dev-" + key] ?? [], net = by["net4-" + key] ?? [];
    const ratio = (xs) => xs.length && hh.length ? ` (${(tps(xs) / tps(hh)).toFixed(2)}×)` : "";
    const t = (xs) => xs.length ? tps(xs).toFixed(0) : "-";
    console.log(`| ${w} | ${t(hh)} | ${t(dev)}${ratio(dev)} | ${t(net)}${ratio(net)} | ${lat(hh)}, ${lat(dev)}, ${lat(net)} | ${us(cpuBy["dev-" + key])}, ${us(cpuBy["net4-" + key])} | ${loadUs(cpuBy["dev-" + key])}, ${loadUs(cpuBy["net4-" + key])} |`);
  }
' "$RESULTS" "$CPU" "$WINDOWS" "$FRESH_WINDOW" "$FRESH_WARMUP"
echo "raw result lines: $RESULTS, CPU samples: $CPU" >&2
