#!/usr/bin/env bash
# Two chains connected on this machine, as docs/cross-chain.md's worked example runs it:
#   e2e/xchain.sh [DIR]        (DIR: a new or empty directory; default a fresh temporary one)
# starts an sm network A and an ethereum network B of four validators each ('chorus up', free
# ports), creates on each a light client of the other by a vote of its committee, deploys the
# token transfer application and an ERC-20 on both and binds the applications to each other,
# runs 'chorus relay', sends a token each way and prints the balances on both chains.
# KEEP=1 leaves both networks and the relayer running (stop them with the commands printed).
set -euo pipefail
chorus="$(cd "$(dirname "$0")/.." && pwd)/chorus"
dir="${1:-$(mktemp -d)}"
mkdir -p "$dir"
[[ -z "$(ls -A "$dir")" ]] || { echo "e2e xchain: $dir is not empty: name a new directory" >&2; exit 2; }
dir="$(cd "$dir" && pwd)"
fail() { echo "e2e xchain: $*" >&2; exit 1; }
step() { echo; echo "== $*"; }

relayer=
stop() {
  [[ -n "$relayer" ]] && kill "$relayer" 2>/dev/null
  "$chorus" down --dir "$dir/a" >/dev/null 2>&1 || true
  "$chorus" down --dir "$dir/b" >/dev/null 2>&1 || true
}
[[ "${KEEP:-0}" == 1 ]] || trap stop EXIT

step "two networks: A (sm, chain 1101) and B (ethereum, chain 1102), 4 validators each"
"$chorus" init --dir "$dir/a" --network --validators 4 --suite sm --chain-id 1101 \
  --block-interval-ms 500 | sed -n 1p
"$chorus" init --dir "$dir/b" --network --validators 4 --suite ethereum --chain-id 1102 \
  --block-interval-ms 500 | sed -n 1p
up() { "$chorus" up --dir "$1" --rpc-port 0 --p2p-port 0 | awk '/JSON-RPC/ && !url {url = $2} END {print url}'; }
A="$(up "$dir/a")"
B="$(up "$dir/b")"
[[ -n "$A" && -n "$B" ]] || fail "a network did not start (logs: $dir/*/node*/node.log)"
echo "A: $A   B: $B"

# Each chain's committee is its validators' accounts; node0's is the operator here, node3's
# pays the relayer's transactions.
pass() { # CHAIN_DIR URL KIND FIELDS...: node0 proposes, the others vote until it passes
  local d="$1" url="$2" out id m
  shift 2
  out="$("$chorus" gov propose "$@" --key-file "$d/node0/node.key" --url "$url")"
  echo "$out"
  id="$(sed -n 's/^proposal #\([0-9]*\) made by.*/\1/p' <<<"$out")"
  [[ -n "$id" ]] || fail "no proposal number in: $out"
  for m in 1 2 3; do
    out="$("$chorus" gov vote "$id" yes --key-file "$d/node$m/node.key" --url "$url")"
    echo "$out"
    [[ "$out" == *"now passed"* || "$out" == *"now executed"* ]] && return 0
  done
  fail "proposal #$id did not pass"
}

step "light clients: on A, chorus-client-0 of B; on B, chorus-client-1 of A (committee votes)"
pass "$dir/a" "$A" crosschain-client chorus-client-0 \
  $("$chorus" xchain trusted-header --url "$B") chorus-client-1
pass "$dir/b" "$B" crosschain-client chorus-client-1 \
  $("$chorus" xchain trusted-header --url "$A") chorus-client-0
relay=(relay --a "$A" --b "$B" --a-key-file "$dir/a/node3/node.key"
  --b-key-file "$dir/b/node3/node.key" --a-client chorus-client-0)
# --trust submits the header each vote trusted, which activates the clients; a vote takes
# effect at the start of the next block, so the first try may find it not yet there.
for try in 1 2 3 4 5 6 7 8 9 10; do
  if "$chorus" "${relay[@]}" --trust --once 2>"$dir/trust.log"; then break; fi
  [[ $try == 10 ]] && { cat "$dir/trust.log" >&2; fail "the clients were not activated"; }
  sleep 1
done
grep submitTrustedHeader "$dir/trust.log" || true

step "applications: an ERC-20 and the token transfer on each chain, bound to each other"
deploy() { # URL CHAIN_DIR APP: prints the line naming the contract; sets $contract, $admin
  local out
  out="$("$chorus" xchain deploy-app "$3" --url "$1" --key-file "$2/node0/node.key" "${@:4}")"
  echo "$out" | sed 's/^/  /'
  contract="$(sed -n 's/^contract //p' <<<"$out")"
  admin="$(sed -n 's/.* deployed by \(0x[0-9a-fA-F]*\) .*/\1/p' <<<"$out")"
}
deploy "$A" "$dir/a" erc20 --supply 1000000; tokenA="$contract" aliceA="$admin"
deploy "$A" "$dir/a" token; appA="$contract"
deploy "$B" "$dir/b" erc20 --supply 1000000; tokenB="$contract" bobB="$admin"
deploy "$B" "$dir/b" token; appB="$contract"
"$chorus" xchain bind --url "$A" --key-file "$dir/a/node0/node.key" --app "$appA" \
  --client chorus-client-0 --peer "$appB"
"$chorus" xchain bind --url "$B" --key-file "$dir/b/node0/node.key" --app "$appB" \
  --client chorus-client-1 --peer "$appA"

step "the relayer (log: $dir/relayer.log)"
"$chorus" "${relay[@]}" --interval 200 2>"$dir/relayer.log" &
relayer=$!

balances() {
  echo "A: $aliceA holds $("$chorus" xchain balance --url "$A" --denom "$tokenA" --holder "$aliceA") of A's token $tokenA"
  echo "A: $aliceA holds $("$chorus" xchain balance --url "$A" --app "$appA" --denom "$tokenB" --via chorus-client-0 --holder "$aliceA")"
  echo "B: $bobB holds $("$chorus" xchain balance --url "$B" --denom "$tokenB" --holder "$bobB") of B's token $tokenB"
  echo "B: $bobB holds $("$chorus" xchain balance --url "$B" --app "$appB" --denom "$tokenA" --via chorus-client-1 --holder "$bobB")"
}
await_voucher() { # URL APP DENOM CLIENT HOLDER AMOUNT
  local i
  for i in $(seq 1 120); do
    [[ "$("$chorus" xchain balance --url "$1" --app "$2" --denom "$3" --via "$4" --holder "$5")" == "$6 "* ]] && return 0
    sleep 1
  done
  tail -20 "$dir/relayer.log" >&2
  fail "no voucher of $6 on $1 after 120 s"
}

step "1,234 of A's token from $aliceA on A to $bobB on B"
"$chorus" xchain transfer --url "$A" --key-file "$dir/a/node0/node.key" --app "$appA" \
  --client chorus-client-0 --denom "$tokenA" --amount 1234 --receiver "$bobB"
await_voucher "$B" "$appB" "$tokenA" chorus-client-1 "$bobB" 1234

step "500 of B's token from $bobB on B to $aliceA on A"
"$chorus" xchain transfer --url "$B" --key-file "$dir/b/node0/node.key" --app "$appB" \
  --client chorus-client-1 --denom "$tokenB" --amount 500 --receiver "$aliceA"
await_voucher "$A" "$appA" "$tokenB" chorus-client-0 "$aliceA" 500

step "balances"
balances
step "what the relayer did"
grep -E "received|acknowledged|updated" "$dir/relayer.log" | sed 's/^chorus relay: /  /'

if [[ "${KEEP:-0}" == 1 ]]; then
  echo
  echo "left running: kill $relayer; $chorus down --dir $dir/a; $chorus down --dir $dir/b"
fi
