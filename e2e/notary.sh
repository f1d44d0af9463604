#!/usr/bin/env bash
# The notarization service end to end, as a user runs it against a live network:
#   e2e/notary.sh RPC_URL GENESIS_FILE
# stamps a file as a record and two as a batch, checks each proof offline, refuses a changed
# file and a tampered proof, renders a certificate and checks the proof it embeds.
set -euo pipefail
url="$1" genesis="$2"
chorus="$(cd "$(dirname "$0")/.." && pwd)/chorus"
key=0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6 # account #9: the hardhat suite uses the first ones
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "e2e notary: $*" >&2; exit 1; }

printf '采购合同 %s\n' "$RANDOM$RANDOM" > "$work/contract.txt"
printf 'invoice %s\n' "$RANDOM$RANDOM" > "$work/invoice.txt"
printf 'delivery note %s\n' "$RANDOM$RANDOM" > "$work/delivery.txt"

"$chorus" notary stamp --url "$url" --key "$key" --type contract --title 采购合同 "$work/contract.txt" >/dev/null
"$chorus" notary stamp --url "$url" --key "$key" "$work/invoice.txt" "$work/delivery.txt" >/dev/null
for f in contract invoice delivery; do
  out="$("$chorus" notary verify "$work/$f.txt" --genesis "$genesis")" || fail "$f.txt did not verify"
  [[ "$out" == PROVEN:* ]] || fail "$f.txt: $out"
done
echo changed >> "$work/invoice.txt"
if "$chorus" notary verify "$work/invoice.txt" --genesis "$genesis" 2>/dev/null; then
  fail "a changed file verified"
fi
sed -i 's/"index" : 1/"index" : 0/' "$work/delivery.txt.proof.json"
if "$chorus" notary verify "$work/delivery.txt" --genesis "$genesis" 2>/dev/null; then
  fail "a tampered batch path verified"
fi
"$chorus" notary certificate "$work/contract.txt" --genesis "$genesis" --verify-url "$url" >/dev/null
out="$("$chorus" notary verify "$work/contract.txt" --certificate "$work/contract.txt.certificate.pdf" \
  --genesis "$genesis")" || fail "the certificate's embedded proof did not verify"
echo "e2e notary: a record and a batch of 2 stamped, proven offline from the genesis file; a changed file and a tampered proof refused; certificate PDF $(stat -c %s "$work/contract.txt.certificate.pdf") bytes, its embedded proof verified"
