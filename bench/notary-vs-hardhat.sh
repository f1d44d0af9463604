#!/usr/bin/env bash
# Notarized digests per second, same run, this machine: hardhat 3 automine taking one
# notarize(bytes32) transaction per digest (../shared/peers/load.js, the peers' Notary contract),
# then 4 Chorus validators anchoring batches of 4,096 digests (chorus bench notary: each batch's
# time runs from sending it to holding every digest's final proof). Prints both result lines and
# the ratio. Needs hardhat 3 under $PEERS_HOME (run ../shared/peers/setup.sh once).
#   PEERS_HOME=/tmp/peers bench/notary-vs-hardhat.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PEERS=$ROOT/../shared/peers
export PEERS_HOME=${PEERS_HOME:-/tmp/peers}
export PORT=${PORT:-8645}
N=${N:-5000}
BATCHES=${BATCHES:-60}
SENDERS=${SENDERS:-4}
SUITE=${SUITE:-ethereum}
OUT=${OUT:-$(mktemp -d -t notary-vs-hardhat.XXXXXX)}
[[ -d $PEERS_HOME/hh3 ]] || { echo "no hardhat 3 in $PEERS_HOME: run PEERS_HOME=$PEERS_HOME $PEERS/setup.sh" >&2; exit 1; }

echo "== hardhat 3 automine: one notarize(bytes32) per digest" >&2
trap '"$PEERS/peer.sh" stop' EXIT
"$PEERS/hh3.sh" >&2
node "$PEERS/load.js" --url "http://127.0.0.1:$PORT" --n 2000 --window 16 --label warmup >/dev/null
hh3=$(node "$PEERS/load.js" --url "http://127.0.0.1:$PORT" --n "$N" --window 16 --label hh3 | tail -1)
"$PEERS/peer.sh" stop
trap - EXIT
echo "$hh3"

echo "== Chorus, 4 validators ($SUITE): batches of 4,096 digests from $SENDERS senders" >&2
net="$OUT/net"
trap '"$ROOT/chorus" down --dir "$net" >/dev/null' EXIT
url=$("$ROOT/chorus" up --dir "$net" --suite "$SUITE" --rpc-port 0 --p2p-port 0 | awk '/JSON-RPC/ {print $2; exit}')
"$ROOT/chorus" bench notary --url "$url" --batches 8 --senders "$SENDERS" >/dev/null
chorus=$("$ROOT/chorus" bench notary --url "$url" --batches "$BATCHES" --senders "$SENDERS")
echo "$chorus"
node -e '
  const hh = JSON.parse(process.argv[1]), c = JSON.parse(process.argv[2]);
  console.log(`digests/s: Chorus ${c.digestsPerSecond} (batch → final proof p50 ${c.latMs.p50} ms, p99 ${c.latMs.p99} ms) vs hardhat 3 ${hh.tps} (p50 ${hh.latMs.p50} ms, p99 ${hh.latMs.p99} ms): ${(c.digestsPerSecond / hh.tps).toFixed(1)}x`);
' "$hh3" "$chorus"
