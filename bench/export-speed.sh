#!/usr/bin/env bash
# chorus export's speed on this machine, in two parts against a fresh dev node (or a network of
# VALIDATORS, loaded and read through node0) and a PostgreSQL cluster of its own (initdb in a
# temporary directory, Debian's binaries, default settings: fsync and synchronous_commit on):
#  1. catch-up: N notarize transactions (`chorus bench load`, CHUNK at a time, ACCOUNTS senders,
#     WINDOW in flight each; every one logs an event the exporter decodes), then
#     `chorus export --once` from block 0: blocks/s, transactions/s and rows/s over the whole
#     run, with the CPU seconds of the exporter, the nodes and PostgreSQL;
#  2. lag: the exporter follows the head while `chorus bench load` sends LAG_WARMUP, then LAG_N
#     more at window 16 (load-vs-hardhat.sh's load); a sampler reads node0's head and the
#     exporter's progress row every 50 ms (bench/ExportLagSampler.java), and each block's lag is
#     the time from the head reaching it to its progress row passing it (p50, p99, max over the
#     blocks of the LAG_N load).
# Prints the figures, the load average before and after each part, and where the raw lines are.
#   bench/export-speed.sh
# Env: N (200000), CHUNK (50000), ACCOUNTS (10), WINDOW (16), LAG_N (30000), LAG_WARMUP
#      (10000: sent while the exporter follows, before the measured LAG_N), VALIDATORS (1: a
#      dev node, which makes a block as soon as there is work; 4: `chorus up`'s network),
#      OUT (folder for the chain, the database and the logs; default a fresh temporary one),
#      EXPORT_JVM (JVM options of both exporters, e.g. -XX:StartFlightRecording=filename=x.jfr).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
N=${N:-200000}
CHUNK=${CHUNK:-50000}
ACCOUNTS=${ACCOUNTS:-10}
WINDOW=${WINDOW:-16}
LAG_N=${LAG_N:-30000}
LAG_WARMUP=${LAG_WARMUP:-10000}
VALIDATORS=${VALIDATORS:-1}
OUT=${OUT:-$(mktemp -d -t export-speed.XXXXXX)}
chain="$OUT/chain"
rm -rf "$chain" # an OUT given again must not start the chain of an earlier run
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"; }

# PostgreSQL refuses to run as root: then the cluster belongs to the postgres account.
pg_bin=$(dirname "$(readlink -f "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb \
  | sort -V | tail -1)")")
[[ -x $pg_bin/pg_ctl ]] || { echo "no PostgreSQL server: apt-get install postgresql" >&2; exit 1; }
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_dir=$(mktemp -d -t export-speed-pg.XXXXXX)
[[ $(id -u) != 0 ]] || chown postgres "$pg_dir"
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sql() { "$pg_bin/psql" -X -q -At -h 127.0.0.1 -p "$pg_port" -U chorus -d chain -c "$1"; }

exporter=
cleanup() {
  [[ -z $exporter ]] || kill "$exporter" 2>/dev/null || true
  "$ROOT/chorus" down --dir "$chain" >&2 || true
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U chorus --auth=trust --encoding=UTF8 --locale=C >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
"$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U chorus -d postgres -c "CREATE DATABASE chain"
to="postgresql://chorus@127.0.0.1:$pg_port/chain"

if [[ $VALIDATORS == 1 ]]; then
  "$ROOT/chorus" up --dev --dir "$chain" --rpc-port 0 >&2
  rpc_node="$chain"
else
  "$ROOT/chorus" up --validators "$VALIDATORS" --dir "$chain" --rpc-port 0 --p2p-port 0 >&2
  rpc_node="$chain/node0"
fi
url=$(grep -o '"rpcUrl":"[^"]*"' "$rpc_node/node.json" | cut -d'"' -f4)
mapfile -t node_pids < <(find "$chain" -name node.json -exec grep -ho '"pid":[0-9]*' {} + \
  | cut -d: -f2)
pg_pid=$(head -1 "$pg_dir/data/postmaster.pid")
cpu() { # CPU seconds of a process and its children: the node's threads, the postmaster's backends
  local total
  total=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15 + $16 + $17) / hz}' "/proc/$1/stat")
  for child in $(pgrep -P "$1" || true); do
    total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{print t + ($14 + $15) / hz}' \
      "/proc/$child/stat" 2>/dev/null || echo "$total")
  done
  echo "$total"
}

echo "== filling the chain with $N transactions ($(load))" >&2
for ((sent = 0; sent < N; sent += CHUNK)); do
  n=$((N - sent < CHUNK ? N - sent : CHUNK))
  "$ROOT/chorus" bench load --url "$url" --n "$n" --accounts "$ACCOUNTS" --window "$WINDOW" \
    --label fill --out "$OUT/fill.jsonl" >/dev/null
  tail -1 "$OUT/fill.jsonl" >&2
done

stamp() { while IFS= read -r line; do echo "$(date +%s.%N) $line"; done; }
echo "== catch-up from block 0 ($(load))" >&2
nodes_cpu() { local pid; for pid in "${node_pids[@]}"; do cpu "$pid"; done | awk '{t += $1} END {print t}'; }
node_before=$(nodes_cpu)
pg_before=$(cpu "$pg_pid")
# EXPORT_JVM reaches the exporters only: the node and the load generator run as they do.
exporter_env=()
[[ -z ${EXPORT_JVM:-} ]] || exporter_env=(JAVA_TOOL_OPTIONS="$EXPORT_JVM")
env "${exporter_env[@]}" /usr/bin/time -f "%e %U %S" -o "$OUT/catchup.time" \
  "$ROOT/chorus" export --url "$url" --to "$to" --once 2> >(stamp > "$OUT/catchup.log")
node_cpu=$(awk -v a="$node_before" -v b="$(nodes_cpu)" 'BEGIN {printf "%.0f", b - a}')
pg_cpu=$(awk -v a="$pg_before" -v b="$(cpu "$pg_pid")" 'BEGIN {printf "%.0f", b - a}')
sleep 1 # the last stamped line
read -r elapsed user system < "$OUT/catchup.time"
# The rate is over the export itself: from the line saying it starts (the JVM, Flyway and the
# checks done) to the last one, which it prints when it has committed the head.
opened=$(grep -m1 'chorus export: exporting chain' "$OUT/catchup.log" | cut -d' ' -f1)
finished=$(tail -1 "$OUT/catchup.log" | cut -d' ' -f1)
counts=$(sql "SELECT (SELECT count(*) FROM blocks), (SELECT count(*) FROM transactions),
  (SELECT count(*) FROM blocks) + (SELECT count(*) FROM transactions)
  + (SELECT count(*) FROM logs) + (SELECT count(*) FROM accounts_touched)
  + (SELECT count(*) FROM decoded_events) + (SELECT count(*) FROM notary_records)
  + (SELECT count(*) FROM validator_changes) + (SELECT count(*) FROM governance_proposals)
  + (SELECT count(*) FROM governance_votes), pg_size_pretty(pg_database_size('chain'))")
IFS='|' read -r blocks txs rows size <<< "$counts"
awk -v e="$(awk -v a="$opened" -v b="$finished" 'BEGIN {print b - a}')" -v all="$elapsed" \
  -v b="$blocks" -v t="$txs" -v r="$rows" -v s="$size" -v u="$user" -v y="$system" \
  -v n="$node_cpu" -v p="$pg_cpu" 'BEGIN {
  printf "catch-up: %d blocks, %d transactions, %d rows (database %s) in %.1f s (%.1f s with the start): %.1f blocks/s, %.0f tx/s, %.0f rows/s; CPU s: exporter %.1f (%.0f us/tx, JVM start included), nodes %d, PostgreSQL %d\n",
    b, t, r, s, e, all, b / e, t / e, r / e, u + y, (u + y) * 1e6 / t, n, p }'
echo "($(load))"

echo "== lag behind the head under load: $LAG_N transactions, window 16 ($(load))" >&2
env "${exporter_env[@]}" "$ROOT/chorus" export --url "$url" --to "$to" --report-seconds 5 \
  2> "$OUT/follow.log" &
exporter=$!
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$ROOT/cli/target/lib/*" "$HERE/ExportLagSampler.java" "$url" \
  "jdbc:postgresql://127.0.0.1:$pg_port/chain?user=chorus" 50 > "$OUT/lag.samples" &
sampler=$!
caught_up() { tail -1 "$OUT/lag.samples" | awk 'NF == 3 && $3 >= $2 {ok = 1} END {exit !ok}'; }
until caught_up; do sleep 0.2; done
if ((LAG_WARMUP > 0)); then # the steady state: the exporter has followed a load before
  "$ROOT/chorus" bench load --url "$url" --n "$LAG_WARMUP" --accounts "$ACCOUNTS" --window 16 \
    --label lag-warmup --out "$OUT/lag-warmup.jsonl" >/dev/null
  until caught_up; do sleep 0.2; done
fi
first=$(tail -1 "$OUT/lag.samples" | cut -d' ' -f2)
follow_before=$(cpu "$exporter")
"$ROOT/chorus" bench load --url "$url" --n "$LAG_N" --accounts "$ACCOUNTS" --window 16 \
  --label lag --out "$OUT/lag.jsonl" >/dev/null
last=$(tail -1 "$OUT/lag.samples" | cut -d' ' -f2)
until caught_up; do sleep 0.2; done
follow_cpu=$(awk -v a="$follow_before" -v b="$(cpu "$exporter")" -v n="$LAG_N" \
  'BEGIN {printf "%.1f s (%.0f us/tx)", b - a, (b - a) * 1e6 / n}')
kill "$sampler" "$exporter"
wait "$exporter" || true
exporter=
tail -1 "$OUT/lag.jsonl" >&2
echo "exporter CPU while following the load: $follow_cpu"
# Each block's lag: the first sample with the progress row past it minus the first with the head
# past it, over the blocks the load made.
awk -v from="$((first + 1))" -v to="$last" '
  BEGIN { head = from - 1; out = from - 1 }
  { while (head < $2) { head++; at_head[head] = $1 }
    while (out < $3) { out++; at_out[out] = $1 } }
  END { for (b = from; b <= to; b++) if ((b in at_head) && (b in at_out)) print at_out[b] - at_head[b] }
' "$OUT/lag.samples" | sort -g | awk '{ lag[NR] = $1 }
  END {
    if (NR == 0) { print "lag: no block of the load was sampled"; exit 1 }
    p99 = int(NR * 0.99) + 1; if (p99 > NR) p99 = NR
    printf "lag over the %d blocks of the load: p50 %.2f s, p99 %.2f s, max %.2f s\n",
      NR, lag[int(NR * 0.5) + 1], lag[p99], lag[NR] }'
echo "($(load)); raw lines in $OUT (fill.jsonl, catchup.log, lag.jsonl, lag.samples, follow.log)"
