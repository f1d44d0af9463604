#!/usr/bin/env bash
# Transaction throughput and latency through JSON-RPC, Chorus (single dev validator) vs hardhat 3
# automine, measured in one run on this machine with the peers' load.js (signed EIP-1559
# notarize transactions, 10 senders). Each node gets a 2,000-transaction warm-up, then RUNS
# recorded runs of N transactions per window size; prints every result line and a markdown table
# of medians with the ratio.
#   bench/load-vs-hardhat.sh
# Env: PEERS_HOME (default /tmp/peers; install it with PEERS_HOME=... ../shared/peers/setup.sh),
#      N (10000), WINDOWS ("1 16 64"), RUNS (3), PORT (8545), OUT (folder for the raw lines).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PEERS=$(cd "$HERE/../../shared/peers" && pwd)
export PEERS_HOME=${PEERS_HOME:-/tmp/peers}
N=${N:-10000}
WINDOWS=${WINDOWS:-1 16 64}
RUNS=${RUNS:-3}
PORT=${PORT:-8545}
OUT=${OUT:-$(mktemp -d -t load-vs-hardhat.XXXXXX)}
URL="http://127.0.0.1:$PORT"
RESULTS="$OUT/results.jsonl"
mkdir -p "$OUT"
: >"$RESULTS"

[[ -d $PEERS_HOME/hh3 ]] || { echo "no hardhat 3 in $PEERS_HOME: run PEERS_HOME=$PEERS_HOME $PEERS/setup.sh" >&2; exit 1; }

measure() { # label: warm-up, then RUNS runs per window
  node "$PEERS/load.js" --url "$URL" --n 2000 --label warmup >/dev/null
  for window in $WINDOWS; do
    for ((run = 1; run <= RUNS; run++)); do
      node "$PEERS/load.js" --url "$URL" --n "$N" --window "$window" --label "$1-w$window" \
        --out "$RESULTS" | tail -1 >&2
    done
  done
}

echo "== hardhat 3 automine" >&2
trap '"$PEERS/peer.sh" stop' EXIT
PORT=$PORT "$PEERS/hh3.sh" >&2
measure hh3
"$PEERS/peer.sh" stop

echo "== Chorus dev chain (fresh data dir)" >&2
DATA="$OUT/chorus-data"
trap '"$ROOT/chorus" down --dir "$DATA" >&2' EXIT
"$ROOT/chorus" up --dir "$DATA" --rpc-port "$PORT" >&2
measure chorus

node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const by = {};
  for (const l of lines) (by[l.label] ??= []).push(l);
  console.log("| window | hardhat 3 tx/s | Chorus tx/s | Chorus / hardhat 3 | hardhat 3 p50 / p99 ms | Chorus p50 / p99 ms |");
  console.log("|--:|--:|--:|--:|--:|--:|");
  for (const w of process.argv[2].split(" ")) {
    const hh = by["hh3-w" + w] ?? [], ch = by["chorus-w" + w] ?? [];
    const tps = (xs) => median(xs.map((x) => x.tps));
    const lat = (xs) => median(xs.map((x) => x.latMs.p50)).toFixed(0) + " / " + median(xs.map((x) => x.latMs.p99)).toFixed(0);
    console.log(`| ${w} | ${tps(hh).toFixed(0)} | ${tps(ch).toFixed(0)} | ${(tps(ch) / tps(hh)).toFixed(2)}× | ${lat(hh)} | ${lat(ch)} |`);
  }
' "$RESULTS" "$WINDOWS"
echo "raw result lines: $RESULTS" >&2
