#!/usr/bin/env bash
# What the state history index (chorus_getStorageHistory, chorus_getAccountHistory) costs on
# disk: a fresh dev node takes N notarize transactions from `chorus bench load` (ACCOUNTS
# senders, WINDOW in flight each), is stopped, and each column family of its chain store is
# measured after a full compaction (bench/ColumnFamilySizes.java); the index is stateAccounts
# plus stateSlots.
#   N=100000 bench/state-history-disk.sh
# Env: N (100000), ACCOUNTS (10), WINDOW (16), OUT (default a fresh temporary folder).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
N=${N:-100000}
ACCOUNTS=${ACCOUNTS:-10}
WINDOW=${WINDOW:-16}
OUT=${OUT:-$(mktemp -d -t state-history-disk.XXXXXX)}
net="$OUT/net"
trap '"$ROOT/chorus" down --dir "$net" >/dev/null 2>&1 || true' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/chorus" up --dev --dir "$net" --rpc-port 0 >/dev/null
url=$(grep -o '"rpcUrl":"[^"]*"' "$net/node.json" | cut -d'"' -f4)
"$ROOT/chorus" bench load --url "$url" --n "$N" --accounts "$ACCOUNTS" --window "$WINDOW" \
  --label history --out "$OUT/load.jsonl" >/dev/null
tail -1 "$OUT/load.jsonl"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/chorus" down --dir "$net" >/dev/null
"${JAVA_HOME:+$JAVA_HOME/bin/}java" --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/cli/target/lib/*" "$HERE/ColumnFamilySizes.java" "$net/chain"
