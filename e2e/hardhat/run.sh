#!/usr/bin/env bash
# Runs the end-to-end Solidity suite against an Ethereum JSON-RPC node.
#
#   e2e/hardhat/run.sh [hardhat test options]        # node at $CHORUS_RPC_URL (default http://127.0.0.1:8545)
#   e2e/hardhat/run.sh --hardhat-node [options]      # self-check: starts `hardhat node` on 127.0.0.1:$E2E_HH_PORT
#                                                    # (default 8599), runs the suite against it, stops it
# Options after these go to `hardhat test`, e.g. --grep ERC-20. Environment:
#   CHORUS_RPC_URL       node under test (needs the 10 first accounts of the test mnemonic funded)
#   E2E_NODE_WAIT_S      how long to wait for the node to answer eth_chainId first (default 30)
#   E2E_HH_INTERVAL_MS   with --hardhat-node: mine every N ms instead of automining (e.g. 1000)
# Needs Node >= 18 and, only when node_modules is missing, the npm registry. Exit status: 0 iff all tests pass.
set -euo pipefail
cd "$(dirname "$0")"
export HARDHAT_DISABLE_TELEMETRY_PROMPT=true

self_check=false
if [[ ${1:-} == --hardhat-node ]]; then
  self_check=true
  shift
fi

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --no-progress --loglevel=error >/dev/null
fi
npx hardhat compile --quiet

hh_pid=
log=$(mktemp)
cleanup() {
  if [[ -n $hh_pid ]]; then kill "$hh_pid" 2>/dev/null || true; wait "$hh_pid" 2>/dev/null || true; fi
  rm -f "$log" "$log.node"
}
trap cleanup EXIT

if $self_check; then
  port=${E2E_HH_PORT:-8599}
  node node_modules/.bin/hardhat node --hostname 127.0.0.1 --port "$port" >"$log.node" 2>&1 &
  hh_pid=$!
  export CHORUS_RPC_URL="http://127.0.0.1:$port"
fi
url=${CHORUS_RPC_URL:-http://127.0.0.1:8545}

# Wait for the node to answer (it may still be starting), so a dead node fails fast and clearly.
if ! E2E_URL=$url node -e '
  const url = process.env.E2E_URL, deadline = Date.now() + 1000 * Number(process.env.E2E_NODE_WAIT_S || 30);
  (async () => {
    for (;;) {
      try {
        const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
        const j = await r.json();
        if (j.result) { console.log(`node at ${url}: chain id ${BigInt(j.result)}`); return; }
      } catch {}
      if (Date.now() > deadline) { console.error(`no JSON-RPC node answering eth_chainId at ${url}`); process.exit(1); }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();'; then
  [[ -n $hh_pid ]] && cat "$log.node" >&2
  exit 1
fi

set +e
npx hardhat test --no-compile --network chorus "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# A plain closing line for CI: "e2e: N passed, N failed[, N skipped]".
plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
count() { grep -Eo "^ *[0-9]+ $1" <<<"$plain" | tail -1 | grep -Eo '[0-9]+' || echo 0; }
passed=$(count passing)
failed=$(count failing)
skipped=$(count pending)
if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi # the run broke before mocha could count
line="e2e: $passed passed, $failed failed"
[[ $skipped -ne 0 ]] && line+=", $skipped skipped"
echo "$line"
exit "$rc"
