#!/usr/bin/env bash
# What the web console costs a loaded node: on one fresh network of 4 validators, the same load
# as bench/load-vs-hardhat.sh (the peers' load.js: signed EIP-1559 notarize transactions from 10
# senders, all sent to node0) with nobody watching (none), with one headless Chromium showing
# node0's console home page (home) and with one showing its validators page (validators). The
# modes take turns within each round (none, home, validators, none, ...) so the machine's drift
# falls on all of them alike. The browser (bench/console-browser.js) opens its page before the
# load starts, stays open until the load's receipts are checked, and must show a head that
# advanced meanwhile, or the run fails; it counts what the page asked of the node. Beside each
# run bench/cpu-per-tx.js samples every member's and load.js's CPU time per committed
# transaction. Then, the load over, bench/console-replay.js replays each page's per-block
# requests back to back against node0 and reads the CPU they cost it, a figure that does not
# drown in the machine's drift. Prints every result line and markdown tables: medians with each
# mode's ratio to the runs with no browser; what each page asked per block; and the replayed
# cost per block as a share of node0's CPU per block under the load.
#   bench/console-cost.sh
# Env: PEERS_HOME (default /tmp/peers; install it with PEERS_HOME=... ../shared/peers/setup.sh),
#      N (10000), WARMUP (20000), WINDOW (16), RUNS (3 per mode), MODES ("none home validators"),
#      RPC_PORT (node0's RPC port, the others' follow; default 0: free ports), P2P_PORT (0),
#      OUT (folder for the raw lines and a screenshot per page), CHROMIUM (/usr/bin/chromium).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PEERS=$(cd "$HERE/../../shared/peers" && pwd)
export PEERS_HOME=${PEERS_HOME:-/tmp/peers}
N=${N:-10000}
WARMUP=${WARMUP:-20000}
WINDOW=${WINDOW:-16}
RUNS=${RUNS:-3}
MODES=${MODES:-none home validators}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
OUT=${OUT:-$(mktemp -d -t console-cost.XXXXXX)}
DATA="$OUT/chorus-net4"
RESULTS="$OUT/results.jsonl"
CPU="$OUT/cpu.jsonl"
BROWSER="$OUT/browser.jsonl"
REPLAY="$OUT/replay.jsonl"
mkdir -p "$OUT"
: >"$RESULTS"
: >"$CPU"
: >"$BROWSER"
: >"$REPLAY"

[[ -d $PEERS_HOME/build ]] || { echo "no compiled contracts in $PEERS_HOME: run PEERS_HOME=$PEERS_HOME $PEERS/setup.sh" >&2; exit 1; }
[[ -x $CHROMIUM ]] || { echo "no Chromium at $CHROMIUM: install it (Debian: apt-get install chromium) or set CHROMIUM" >&2; exit 1; }

browser= # the pid of the running console-browser.js, stopped on the way out
cleanup() {
  [[ -z $browser ]] || kill -TERM "$browser" 2>/dev/null || true
  "$ROOT/chorus" down --dir "$DATA" >&2 || true
}
trap cleanup EXIT

echo "== Chorus network of 4 validators (fresh data dir $DATA)" >&2
rm -rf "$DATA" # an OUT given again must not start the chain of an earlier run
"$ROOT/chorus" up --validators 4 --dir "$DATA" --rpc-port "${RPC_PORT:-0}" \
  --p2p-port "${P2P_PORT:-0}" >"$OUT/up.txt"
URL=$(awk '/JSON-RPC/ {print $2; exit}' "$OUT/up.txt")
# Every member's pid, node0 first (cpu.jsonl lists the processes in this order, load.js last).
PIDS=$(for f in $(find "$DATA" -name node.json | sort); do grep -ho '"pid":[0-9]*' "$f" | cut -d: -f2; done | paste -sd, -)
echo "node0 at $URL, members' pids $PIDS" >&2

open_browser() { # mode run: starts Chromium on node0's page for the mode; returns once it shows the head
  local page=$1 ready="$OUT/browser.ready" shot=()
  [[ $page == home ]] && page=
  [[ $2 != 1 ]] || shot=(--shot "$OUT/$1.png") # the page as the first run left it
  rm -f "$ready"
  node --experimental-websocket "$HERE/console-browser.js" --url "$URL/console/#/$page" \
    --ready "$ready" --label "$1" --chromium "$CHROMIUM" "${shot[@]}" >>"$BROWSER" &
  browser=$!
  for ((i = 0; i < 600; i++)); do
    [[ -f $ready ]] && return 0
    kill -0 "$browser" 2>/dev/null || { echo "the browser on $1 stopped before showing the page" >&2; exit 1; }
    sleep 0.1
  done
  echo "the browser on $1 did not show the page within 60 s" >&2
  exit 1
}

close_browser() { # stops the browser, which prints its line and fails if the page did not follow
  kill -TERM "$browser"
  wait "$browser" || { echo "the browser's page did not follow the chain; see above" >&2; exit 1; }
  browser=
  tail -1 "$BROWSER" >&2
}

node "$PEERS/load.js" --url "$URL" --n "$WARMUP" --window "$WINDOW" --label warmup >/dev/null
for ((run = 1; run <= RUNS; run++)); do
  for mode in $MODES; do
    case $mode in
      none) ;;
      home|validators) open_browser "$mode" "$run" ;;
      *) echo "unknown mode '$mode': use none, home or validators" >&2; exit 1 ;;
    esac
    node "$PEERS/load.js" --url "$URL" --n "$N" --window "$WINDOW" --label "$mode" \
      --out "$RESULTS" >"$OUT/load.out" &
    load=$!
    node "$HERE/cpu-per-tx.js" --url "$URL" --pids "$PIDS,$load" --n "$N" --label "$mode" \
      >>"$CPU" &
    sampler=$!
    wait "$load"
    wait "$sampler" || echo "($mode run $run: no CPU figure, see above)" >&2
    tail -1 "$OUT/load.out" >&2
    [[ $mode == none ]] || close_browser
  done
done

for mode in $MODES; do
  [[ $mode == none ]] || node "$HERE/console-replay.js" --url "$URL" --pid "${PIDS%%,*}" \
    --page "$mode" | tee -a "$REPLAY" >&2
done

node -e '
  const fs = require("fs");
  const read = (f) => fs.readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
  const [lines, cpu, pages, replays] = process.argv.slice(1, 5).map(read);
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const group = (xs) => xs.reduce((by, x) => ((by[x.label] ??= []).push(x), by), {});
  const by = group(lines), cpuBy = group(cpu), pageBy = group(pages);
  const modes = process.argv[5].split(" ");
  // Per mode: medians of tx/s, p50, p99, CPU µs per tx of node0, of the other members (mean),
  // of load.js; and what the browser did per block while open.
  const figures = {}, perBlock = {};
  for (const m of modes) {
    const runs = by[m] ?? [], samples = cpuBy[m] ?? [];
    const us = (pick) => samples.length ? median(samples.map((c) => pick(c.perProcess))) : NaN;
    figures[m] = {
      tps: median(runs.map((x) => x.tps)),
      tpsRange: runs.length ? Math.round(Math.min(...runs.map((x) => x.tps))) + "–" + Math.round(Math.max(...runs.map((x) => x.tps))) : "-",
      p50: median(runs.map((x) => x.latMs.p50)),
      p99: median(runs.map((x) => x.latMs.p99)),
      node0: us((p) => p[0].usPerTx),
      others: us((p) => p.slice(1, -1).reduce((s, q) => s + q.usPerTx, 0) / (p.length - 2)),
      load: us((p) => p.at(-1).usPerTx),
      txPerBlock: median(runs.map((x) => x.n / x.blocksWithTx)),
    };
  }
  const base = figures[modes[0]];
  const f = (x, digits = 0) => Number.isNaN(x) ? "-" : x.toLocaleString("en-US", { maximumFractionDigits: digits });
  const r = (x, b) => Number.isNaN(x) || !b ? "" : ` (${(x / b).toFixed(3)}×)`;
  console.log(`| browser on node0 | tx/s (× ${modes[0]}) | tx/s of the runs | p50 ms | p99 ms | node0 CPU µs/tx | other members µs/tx | load.js µs/tx |`);
  console.log("|--|--:|--|--:|--:|--:|--:|--:|");
  for (const m of modes) {
    const x = figures[m];
    console.log(`| ${m} | ${f(x.tps)}${r(x.tps, base.tps)} | ${x.tpsRange} | ${f(x.p50)}${r(x.p50, base.p50)} | ${f(x.p99)}${r(x.p99, base.p99)} | ${f(x.node0)}${r(x.node0, base.node0)} | ${f(x.others)}${r(x.others, base.others)} | ${f(x.load)} |`);
  }
  console.log();
  console.log("| page | blocks seen per run | requests per block | bytes per block (HTTP · WebSocket) | JSON-RPC calls per block | Chromium CPU, share of a core |");
  console.log("|--|--:|--:|--|--|--:|");
  for (const m of modes) {
    const runs = pageBy[m];
    if (!runs?.length) continue;
    const blocks = runs.map((b) => Number(b.headAtEnd.replace(/\D/g, "")) - Number(b.headAtReady.replace(/\D/g, "")));
    const per = (pick) => median(runs.map((b, i) => pick(b) / blocks[i]));
    const methods = [...new Set(runs.flatMap((b) => Object.keys(b.rpcCalls)))].sort();
    const calls = methods.map((k) => `${k} ${per((b) => b.rpcCalls[k] ?? 0).toFixed(2)}`).join(", ");
    perBlock[m] = per((b) => b.rpcCalls["chorus_nodeStatus"] ?? 0); // one per refresh on both pages
    console.log(`| ${m} | ${median(blocks)} | ${per((b) => b.requests).toFixed(2)} | ${f(per((b) => b.requestBytes))} · ${f(per((b) => b.wsBytes))} | ${calls} | ${(median(runs.map((b) => b.chromiumCpuSeconds / b.seconds)) * 100).toFixed(0)} % |`);
  }
  // node0 CPU per block under the load with no browser: its µs per transaction × transactions per block.
  const node0MsPerBlock = base.node0 * base.txPerBlock / 1000;
  if (replays.length) console.log();
  if (replays.length) console.log(`| page | node0 CPU per refresh, replayed | refreshes per block | node0 CPU per block under the load (${modes[0]}: ${f(base.txPerBlock)} tx per block) | share of node0 CPU |`);
  if (replays.length) console.log("|--|--:|--:|--:|--:|");
  for (const x of replays) {
    const refreshes = perBlock[x.page] ?? 1;
    console.log(`| ${x.page} | ${x.msPerRefresh.toFixed(2)} ms | ${refreshes.toFixed(2)} | ${f(node0MsPerBlock)} ms | ${(100 * x.msPerRefresh * refreshes / node0MsPerBlock).toFixed(2)} % |`);
  }
' "$RESULTS" "$CPU" "$BROWSER" "$REPLAY" "$MODES"
echo "raw lines: $RESULTS (load.js), $CPU (CPU: node0..node3, load.js), $BROWSER (browser), $REPLAY (replay); screenshots: $OUT/*.png" >&2
