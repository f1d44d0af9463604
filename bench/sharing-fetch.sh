#!/usr/bin/env bash
# Authorized fetches of a 1 MB record from a real sm dev node (issue 23): 市公安局's node
# serves a data set whose one record is 1,000,000 bytes of JSON, 市民政局 fetches it under its
# grant. Prints one JSON line: per fetch one at a time, the client's total and the node's
# phases (check, seal = JSON + SM2/SM4-GCM envelope + SM3 hash, audit = recordAccess run,
# signed and pooled, keep = the envelope written to disk; Server-Timing), transfer = total
# minus them, the requester's open and hash check; the time from the answer to its audit
# entry in a block; then fetches/s with CONCURRENCY requesters at once. The node runs in its
# own JVM; the harness (bench/SharingFetch.java) in another, on the same 2 cores.
#   bench/sharing-fetch.sh            # N=100 CONCURRENCY=4 by default
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
N=${N:-100}
CONCURRENCY=${CONCURRENCY:-4}
OUT=${OUT:-$(mktemp -d -t sharing-fetch.XXXXXX)}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[[ -d $ROOT/cli/target/lib ]] || { echo "build first: mvn -B -o -q -pl cli -am package -DskipTests" >&2; exit 1; }
harness() { "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$ROOT/cli/target/lib/*" "$HERE/SharingFetch.java" "$@"; }

mkdir -p "$OUT/node"
harness init "$OUT/node" > "$OUT/accounts.txt"
CHORUS_KEYSTORE_PASSWORD=bench "$ROOT/chorus" node --dir "$OUT/node" --rpc-port 0 \
  --keystore-password-env CHORUS_KEYSTORE_PASSWORD > "$OUT/node.log" 2>&1 &
node_pid=$!
trap 'kill $node_pid 2>/dev/null; wait $node_pid 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 120); do
  url=$(grep -o 'http://[0-9.]*:[0-9]*' "$OUT/node.log" | head -1 || true)
  [[ -n $url ]] && break
  sleep 0.5
done
[[ -n $url ]] || { echo "the node did not start: $OUT/node.log" >&2; exit 1; }
echo "node at $url, files in $OUT" >&2
# The authority, the committee's one member, binds the departments; its yes passes each vote.
while read -r party account; do
  case $party in gaj) name=市公安局 ;; mzj) name=市民政局 ;; *) continue ;; esac
  "$ROOT/chorus" gov propose sharing-department "$account" "$name" \
    --key-file "$OUT/authority.key" --url "$url" >&2
done < "$OUT/accounts.txt"
sleep 3 # executed, and in effect from the next block
echo "load before: $(uptime)" >&2
harness run "$url" "$OUT/node" "$N" "$CONCURRENCY"
echo "load after: $(uptime)" >&2
