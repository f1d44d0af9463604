#!/usr/bin/env bash
# Traceability end to end, as three organisations run it on a live network:
#   e2e/trace.sh NETWORK_DIR      (a network 'chorus up' started, with its API token files)
# The farm, the packer and the retailer of docs/examples/farm-to-shelf each capture their
# document at their own node with their own token; a fourth member answers the queries; an
# event's proof is checked offline, and a changed event, a bad document and a repeat refused;
# the lot's recall lineage is followed, and an event sealed for two organisations read by them only.
set -euo pipefail
net="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
chorus="$root/chorus"
example="$root/docs/examples/farm-to-shelf"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "e2e trace: $*" >&2; exit 1; }
mapfile -t urls < <("$chorus" up --dir "$net" | awk '/JSON-RPC/ {print $2}')
[[ ${#urls[@]} -ge 4 ]] || fail "expected 4 running members in $net, found ${#urls[@]}"
genesis="$net/node0/genesis.json"

i=0
for document in "$example"/1-farm.json "$example"/2-packer.json "$example"/3-retailer.json; do
  "$chorus" trace capture --url "${urls[$i]}" --token-file "$net/node$i/api-token" "$document" \
    > "$work/capture.txt" || fail "$(basename "$document") was not captured: $(cat "$work/capture.txt")"
  i=$((i + 1))
done
case1=urn:epc:id:sgtin:6905678.112345.C001
events="$("$chorus" trace events --url "${urls[3]}" --epc "$case1")"
[[ $(grep -c . <<< "$events") -eq 4 ]] || fail "node3 should answer 4 events of $case1: $events"
grep -q retail_selling <<< "$events" || fail "the sale of $case1 is missing: $events"
sold="urn:uuid:0b7c4a52-3c1e-4d7e-9a0e-6f1d2a000009"
"$chorus" trace proof --url "${urls[3]}" "$sold" -o "$work/sold.proof.json" > /dev/null
out="$("$chorus" verify "$work/sold.proof.json" --genesis "$genesis")" || fail "the proof did not verify"
[[ "$out" == "PROVEN: EPCIS event"* ]] || fail "unexpected verification: $out"
sed 's/retail_sold/damaged/' "$work/sold.proof.json" > "$work/changed.proof.json"
if "$chorus" verify "$work/changed.proof.json" --genesis "$genesis" 2> /dev/null; then
  fail "a changed event verified"
fi
sed 's/"2026-05-03T17:45:00+08:00"/"2026-05-03T17:45:00"/' "$example/3-retailer.json" > "$work/bad.json"
if "$chorus" trace capture --url "${urls[2]}" --token-file "$net/node2/api-token" "$work/bad.json" \
    2> "$work/bad.txt"; then
  fail "a time without a zone was captured"
fi
grep -q '/epcisBody/eventList/2/eventTime' "$work/bad.txt" || fail "the refusal names no field: $(cat "$work/bad.txt")"
if "$chorus" trace capture --url "${urls[2]}" --token-file "$net/node2/api-token" \
    "$example/3-retailer.json" 2> "$work/again.txt"; then
  fail "a document captured twice was accepted"
fi
grep -q '409' "$work/again.txt" || fail "a repeat was not refused as a duplicate: $(cat "$work/again.txt")"
lot=urn:epc:class:lgtin:6901234.012345.A260501
recall="$("$chorus" trace lineage --url "${urls[3]}" "$lot")" || fail "no lineage of $lot"
[[ $(grep -c transformedInto <<< "$recall") -eq 4 ]] || fail "the lot should make 4 cases: $recall"
grep -q 'packedInto  https://id.gs1.org/00/' <<< "$recall" || fail "the cases' pallet is missing: $recall"
# The packer's inspection (a price, an inspector) is for the packer and the retailer only.
inspection="$example/4-packer-inspection.json"
"$chorus" trace capture --url "${urls[1]}" --token-file "$net/node1/api-token" --visible-to org2 \
  "$inspection" > /dev/null || fail "the sealed inspection was not captured"
seen() { "$chorus" trace events --url "$1" "${@:2}" --biz-step inspecting; }
grep -q 6f1d2a000010 <<< "$(seen "${urls[2]}" --token-file "$net/node2/api-token")" \
  || fail "the retailer cannot read the inspection sealed for it"
out="$(seen "${urls[3]}" --token-file "$net/node3/api-token")"
[[ "$out" == "no events match"*"1 event(s) on the chain are sealed"* ]] \
  || fail "org3 should see nothing of the inspection but its count: $out"
grep -q "no events match" <<< "$(seen "${urls[1]}")" || fail "an anonymous caller read a sealed event"
# The binding as a plain EPCIS client sees it: OPTIONS discovery and the top-level resources.
options="$(curl -s -i -X OPTIONS "${urls[0]}/epcis/capture")"
grep -qi '^GS1-EPCIS-Capture-Limit: 10000' <<< "$options" || fail "OPTIONS /epcis/capture: $options"
sold_case="$(curl -s "${urls[0]}/epcis/epcs/$case1/events")"
grep -q 6f1d2a000009 <<< "$sold_case" || fail "/epcis/epcs/$case1/events lacks the sale: $sold_case"
echo "e2e trace: 9 events captured by 3 organisations at their own nodes, 4 of $case1 answered by a 4th member, a sale proven offline; a changed event, a time without a zone and a repeat refused; the lot's recall lineage (4 cases, their pallet); an inspection sealed for 2 organisations read by them only"
