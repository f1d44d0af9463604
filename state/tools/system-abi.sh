#!/usr/bin/env bash
# Regenerates the system contracts' JSON ABIs (system/NAME.abi.json in this module's resources)
# from their Solidity interfaces beside them, with solc-js from npm (needs node and npx). The
# node's contract registry ships them, and SystemAbiTest holds them to the Java dispatch.
# The output is deterministic: running this again must leave `git status` clean.
set -euo pipefail
SOLC_VERSION=0.8.30

here=$(cd "$(dirname "$0")/../src/main/resources/system" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$here"
sources=(*.sol)

node - "${sources[@]}" > "$scratch/input.json" <<'JS'
const fs = require('fs');
const sources = {};
for (const f of process.argv.slice(2)) sources[f] = { content: fs.readFileSync(f, 'utf8') };
process.stdout.write(JSON.stringify({
  language: 'Solidity',
  sources,
  settings: { outputSelection: { '*': { '*': ['abi'] } } },
}));
JS

(cd "$scratch" && npx --yes "solc@$SOLC_VERSION" --standard-json < input.json > output.json)

node - "$scratch/output.json" "$here" <<'JS'
const fs = require('fs');
const [output, out] = process.argv.slice(2);
// solcjs prints a note about SMT solvers before the JSON on stdout.
const text = fs.readFileSync(output, 'utf8');
const result = JSON.parse(text.slice(text.indexOf('{')));
for (const e of result.errors || []) console.error(e.formattedMessage);
if ((result.errors || []).some(e => e.severity === 'error')) process.exit(1);
for (const [file, contracts] of Object.entries(result.contracts)) {
  for (const [, c] of Object.entries(contracts)) {
    const name = file.replace(/\.sol$/, '');
    fs.writeFileSync(`${out}/${name}.abi.json`, JSON.stringify(c.abi, null, 1) + '\n');
    console.log(`${file} -> ${name}.abi.json`);
  }
}
JS
