#!/usr/bin/env bash
# Recompiles the cross-chain applications (src/main/resources/xapps/*.sol: the token transfer,
# the notary bridge, a plain ERC-20 to send) with solc-js from npm (needs node and npx), against the
# router's and the notary's interfaces in src/main/resources/system. Writes NAME.bin (creation
# bytecode, hex) and NAME.abi.json beside each contract, which ship in the jar: `chorus xchain
# deploy-app` and the tests deploy them.
# No metadata is appended (appendCBOR off): a comment changed in an interface leaves the
# bytecode as it was, and running this again must leave `git status` clean.
set -euo pipefail
SOLC_VERSION=0.8.30

module=$(cd "$(dirname "$0")/.." && pwd)
apps=$module/src/main/resources/xapps
system=$module/src/main/resources/system
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

node - "$apps" "$system" > "$scratch/input.json" <<'JS'
const fs = require('fs');
const path = require('path');
const [apps, system] = process.argv.slice(2);
const sources = {};
for (const dir of [apps, system]) {
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
    sources[f] = { content: fs.readFileSync(path.join(dir, f), 'utf8') };
  }
}
process.stdout.write(JSON.stringify({
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    viaIR: true, // TokenTransfer.send's calldata strings are too many for the legacy pipeline's stack
    evmVersion: 'cancun',
    metadata: { appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
}));
JS

(cd "$scratch" && npx --yes "solc@$SOLC_VERSION" --standard-json < input.json > output.json)

node - "$scratch/output.json" "$apps" <<'JS'
const fs = require('fs');
const path = require('path');
const [output, apps] = process.argv.slice(2);
// solcjs prints a note about SMT solvers before the JSON on stdout.
const text = fs.readFileSync(output, 'utf8');
const result = JSON.parse(text.slice(text.indexOf('{')));
for (const e of result.errors || []) console.error(e.formattedMessage);
if ((result.errors || []).some((e) => e.severity === 'error')) process.exit(1);
for (const [file, contracts] of Object.entries(result.contracts)) {
  if (!fs.existsSync(path.join(apps, file))) continue; // the system interfaces have their own
  for (const [name, c] of Object.entries(contracts)) {
    // An interface has no bytecode; a library of internal functions (PortIds) no ABI: it is
    // inlined into the contracts that use it.
    if (!c.evm.bytecode.object || c.abi.length === 0) continue;
    fs.writeFileSync(path.join(apps, `${name}.bin`), c.evm.bytecode.object + '\n');
    fs.writeFileSync(path.join(apps, `${name}.abi.json`), JSON.stringify(c.abi, null, 1) + '\n');
    console.log(`${file}: ${name} -> ${name}.bin, ${name}.abi.json`);
  }
}
JS
