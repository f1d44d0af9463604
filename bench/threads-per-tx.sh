#!/usr/bin/env bash
# Where a 4-validator network's CPU goes, by thread kind: starts a fresh `chorus up` network,
# warms it with load.js, then for each of RUNS load.js runs prints the throughput and the CPU
# microseconds per transaction of each kind of thread summed over the 4 members (from /proc,
# before and after the run; receipts fetched by load.js after its timed window included).
#   bench/threads-per-tx.sh                       # the members' default JVM options
#   bench/threads-per-tx.sh -XX:TieredStopAtLevel=1   # others (CHORUS_MEMBER_JVM_OPTIONS)
# Env: PEERS_HOME (/tmp/peers), RUNS (2), N (10000), WARMUP (20000), WINDOW (16), PORT (8545).
# This machine's speed drifts: compare configurations interleaved (A, B, A, B).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PEERS=$(cd "$HERE/../../shared/peers" && pwd)
export PEERS_HOME=${PEERS_HOME:-/tmp/peers}
RUNS=${RUNS:-2} N=${N:-10000} WARMUP=${WARMUP:-20000} WINDOW=${WINDOW:-16} PORT=${PORT:-8545}
if [[ $# -gt 0 ]]; then
  export CHORUS_MEMBER_JVM_OPTIONS="$*"
fi
DATA=$(mktemp -d -t threads-per-tx.XXXXXX)
trap '"$ROOT/chorus" down --dir "$DATA" >/dev/null; rm -rf "$DATA"' EXIT
"$ROOT/chorus" up --validators 4 --dir "$DATA" --rpc-port "$PORT" >/dev/null
pids=$(find "$DATA" -name node.json -exec grep -ho '"pid":[0-9]*' {} + | cut -d: -f2)
url="http://127.0.0.1:$PORT"
node "$PEERS/load.js" --url "$url" --n "$WARMUP" --window "$WINDOW" --label warmup >/dev/null
for ((run = 1; run <= RUNS; run++)); do
  for pid in $pids; do "$HERE/thread-cpu.sh" "$pid" > "$DATA/before.$pid"; done
  result=$(node "$PEERS/load.js" --url "$url" --n "$N" --window "$WINDOW" --label run | tail -1)
  for pid in $pids; do
    "$HERE/thread-cpu.sh" "$pid" > "$DATA/after.$pid"
    join -t'|' "$DATA/before.$pid" "$DATA/after.$pid"
  done | awk -F'|' -v n="$N" -v run="$run" -v tps="$(grep -o '"tps":[0-9.]*' <<<"$result" | cut -d: -f2)" '
    { us[$1] += ($3 - $2) * 1e4 / n; total += ($3 - $2) * 1e4 / n }
    END { printf "run %d: %s tx/s, µs per transaction per member %.0f:", run, tps, total / 4
          for (k in us) if (us[k] >= 4) printf " %s=%.0f", k, us[k]; print "" }'
done
