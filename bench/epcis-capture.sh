#!/usr/bin/env bash
# EPCIS capture throughput and capture-to-proof latency on 4 validators, this machine: a fresh
# network, then `chorus bench epcis`: documents of EVENTS realistic events (ObjectEvents with
# SGTINs, aggregations, sensor readings; fresh eventIDs) posted to every member's
# /epcis/capture with its operator token, each followed by its job's success and PROOFS of its
# events' proofs. With RATE (events/s), documents are due at that pace, the members in turn;
# without, IN_FLIGHT senders per member each post again once answered. WARMUP seconds
# uncounted, then DURATION measured. Prints the result line (JSON), then on stderr each
# member's block interval, build and commit times, the load average, and each member's CPU
# over the run (from /proc, in seconds).
#   bench/epcis-capture.sh
# Env: EVENTS (256), RATE (0: closed loops), IN_FLIGHT (2), PROOFS (3), WARMUP (20),
#      DURATION (60), SUITE (ethereum),
#      OUT (folder for the network; default a fresh temporary one).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
EVENTS=${EVENTS:-256}
IN_FLIGHT=${IN_FLIGHT:-2}
RATE=${RATE:-0}
PROOFS=${PROOFS:-3}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-60}
SUITE=${SUITE:-ethereum}
OUT=${OUT:-$(mktemp -d -t epcis-capture.XXXXXX)}
net="$OUT/net"
rm -rf "$net" # an OUT given again must not start the chain of an earlier run

cpu_seconds() { # the CPU seconds (user + system) of each pid given, space-separated
  for pid in "$@"; do
    awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f ", ($14 + $15) / hz}' "/proc/$pid/stat"
  done
}

echo "== Chorus, 4 validators ($SUITE), $net" >&2
trap '"$ROOT/chorus" down --dir "$net" >&2' EXIT
"$ROOT/chorus" up --dir "$net" --suite "$SUITE" --rpc-port 0 --p2p-port 0 >&2
mapfile -t pids < <(find "$net" -name node.json -exec grep -ho '"pid":[0-9]*' {} + | cut -d: -f2)
before=$(cpu_seconds "${pids[@]}")
"$ROOT/chorus" bench epcis --dir "$net" --events "$EVENTS" --in-flight "$IN_FLIGHT" \
  --rate "$RATE" --proofs "$PROOFS" --warmup "$WARMUP" --duration "$DURATION"
after=$(cpu_seconds "${pids[@]}")
# Each member's block figures (Micrometer's percentiles, over its last ~2 minutes), in seconds.
for url in $(find "$net" -name node.json -exec grep -ho '"rpcUrl":"[^"]*' {} + | cut -d'"' -f4); do
  echo "$url: $(curl -s "$url/metrics" | grep -E '^chorus_block_(interval|build|commit)_seconds\{quantile' \
    | sed -E 's/chorus_block_([a-z]+)_seconds\{quantile="([0-9.]+)",?\} /\1 p\2=/' | tr '\n' ' ')" >&2
done
echo "load: $(uptime | sed 's/.*load average/load average/')" >&2
echo "members' CPU s over the run (warm-up included): before [$before] after [$after]" >&2
