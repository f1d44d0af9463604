#!/usr/bin/env bash
# CPU time of a JVM's threads by name (numbered threads summed: chorus-rpc-worker-1..N as one),
# in 1/100 s, from /proc. Run it before and after a load to see where the time went:
#   bench/thread-cpu.sh PID > before; (load); bench/thread-cpu.sh PID > after
#   join -t'|' before after | awk -F'|' '{print $3 - $2, $1}' | sort -rn
set -euo pipefail
pid=${1:?usage: bench/thread-cpu.sh PID}
for task in /proc/"$pid"/task/*; do
  # A thread may end between the listing and the reads: skip it rather than fail the whole.
  comm=$(cat "$task/comm" 2>/dev/null) && ticks=$(awk '{print $14 + $15}' "$task/stat" 2>/dev/null) \
    && printf '%s|%s\n' "$comm" "$ticks" || true
done | sed 's/[0-9]\+|/N|/' | awk -F'|' '{t[$1] += $2} END {for (n in t) print n "|" t[n]}' | sort
