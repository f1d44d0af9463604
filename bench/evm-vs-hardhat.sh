#!/usr/bin/env bash
# Raw EVM speed, Chorus vs hardhat 3, measured in one run on this machine: evm.js times eth_calls of
# the peers' Burner on a hardhat 3 node, then JMH's EvmBenchmark runs the same bytecode in-process.
# Prints a markdown table of Mgas/s over the same gas on both sides (a receipt's gasUsed).
#   bench/evm-vs-hardhat.sh
# Env: PEERS_HOME (default /tmp/peers; install it with PEERS_HOME=... ../shared/peers/setup.sh),
#      CASES, CALL_GAS, JMH_ARGS, OUT (folder for the raw outputs; default a new temp folder).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PEERS=$(cd "$HERE/../../shared/peers" && pwd)
export PEERS_HOME=${PEERS_HOME:-/tmp/peers}
CASES=${CASES:-hashLoop:100000,arith:100000,sstoreLoop:500}
# Hardhat 3.18 runs Osaka, whose EIP-7825 caps a tx and an eth_call at 2^24 gas: it refuses
# 1,000,000,000 ("transaction gas limit ... is greater than the cap (16777216)"). Chorus gets 1e9.
CALL_GAS=${CALL_GAS:-16777216}
JMH_ARGS=${JMH_ARGS:--f 1 -wi 3 -w 2 -i 5 -r 2}
OUT=${OUT:-$(mktemp -d -t evm-vs-hardhat.XXXXXX)}
mkdir -p "$OUT"

[[ -f $PEERS_HOME/build/Burner.json ]] \
  || { echo "no $PEERS_HOME/build/Burner.json: run PEERS_HOME=$PEERS_HOME $PEERS/setup.sh" >&2; exit 1; }
# Both sides must run the same bytecode: hardhat deploys the peers' build, Chorus the committed copy.
node -e '
  const [peers, ours] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f)).bytecode);
  if (peers !== ours) console.error("WARNING: " + process.argv[1] + " differs from " + process.argv[2]
    + ": hardhat and Chorus run different Burner bytecode");
' "$PEERS_HOME/build/Burner.json" "$HERE/src/main/resources/Burner.json"

echo "== hardhat 3: evm.js --cases $CASES --call-gas $CALL_GAS" >&2
trap '"$PEERS/peer.sh" stop' EXIT
# A block gas limit above any call gas, so that only the per-tx cap can bind.
HH_GAS=${HH_GAS:-1000000000} "$PEERS/hh3.sh" >&2
node "$PEERS/evm.js" --cases "$CASES" --call-gas "$CALL_GAS" --label hh3 | tee "$OUT/hardhat3.json"
"$PEERS/peer.sh" stop
trap - EXIT

echo "== Chorus: EvmBenchmark $JMH_ARGS" >&2
# shellcheck disable=SC2086 # JMH_ARGS is a list of options
"$ROOT/chorus" bench EvmBenchmark $JMH_ARGS -p "fn=$CASES" -rf json -rff "$OUT/jmh.json" \
  | tee "$OUT/jmh.log"

node -e '
  const fs = require("fs");
  const [hhFile, logFile, jmhFile, callGas] = process.argv.slice(1);
  const hh = JSON.parse(fs.readFileSync(hhFile));
  const gasLines = {};
  for (const m of fs.readFileSync(logFile, "utf8").matchAll(/^evm-gas fn=(\S+) txGas=(\d+)/gm)) {
    gasLines[m[1]] = Number(m[2]);
  }
  const ms = {};
  for (const r of JSON.parse(fs.readFileSync(jmhFile))) ms[r.params.fn] = r.primaryMetric.score;
  const f = (x, d) => x === undefined ? "—" : x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  console.log(`\n${hh.client} (eth_call gas ${Number(callGas).toLocaleString("en-US")}) vs Chorus in-process (call gas 1,000,000,000), same machine, ${hh.when}`);
  console.log("Mgas/s = tx gas per call / time per call, where tx gas = execution gas + 21,000 + calldata gas (a receipt\x27s gasUsed; evm.js txGasUsed).");
  console.log("Chorus: JMH average time of one in-process call; hardhat 3: median eth_call wall time over loopback JSON-RPC.\n");
  console.log("| function | tx gas per call | Chorus ms | Chorus Mgas/s | hardhat 3 ms | hardhat 3 Mgas/s | Chorus / hardhat 3 |");
  console.log("|---|--:|--:|--:|--:|--:|--:|");
  for (const c of hh.cases) {
    const key = `${c.fn}:${c.n}`;
    const gas = gasLines[key];
    const chorus = gas && ms[key] ? gas / ms[key] / 1e3 : undefined;
    const peer = c.txGasUsed && c.ms ? c.txGasUsed / c.ms / 1e3 : undefined;
    let gasCell = f(gas, 0);
    if (c.txGasUsed !== undefined && gas !== c.txGasUsed) gasCell += ` (hardhat 3: ${f(c.txGasUsed, 0)})`;
    const hhError = c.error || c.gasError;
    console.log(`| ${c.fn}(${c.n}) | ${gasCell} | ${f(ms[key], 2)} | ${f(chorus, 1)} | ${f(c.ms, 2)}${hhError ? ` (${hhError})` : ""} `
      + `| ${f(peer, 1)} | ${chorus && peer ? f(chorus / peer, 2) + "×" : "—"} |`);
  }
' "$OUT/hardhat3.json" "$OUT/jmh.log" "$OUT/jmh.json" "$CALL_GAS"
echo "raw outputs: $OUT" >&2
