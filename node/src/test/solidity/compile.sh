#!/usr/bin/env bash
# Regenerates the test contracts' ABI and bytecode in ../resources/solidity/ from the sources
# beside this script (creation code in NAME.bin, the code it deploys in NAME.bin-runtime),
# with solc-js from npm (needs node and npx; nothing else is installed).
# The output is deterministic: running this again must leave `git status` clean.
# Check without recompiling: (cd node/src/test/solidity && sha256sum -c ../resources/solidity/SOURCES.sha256)
set -euo pipefail
SOLC_VERSION=0.8.30
EVM_VERSION=cancun
OPTIMIZER_RUNS=200

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/solidity"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out"
cd "$here"
sources=(*.sol)

# Standard JSON input: the evm version is not a solcjs command-line option.
node - "$EVM_VERSION" "$OPTIMIZER_RUNS" "${sources[@]}" > "$scratch/input.json" <<'JS'
const fs = require('fs');
const [evmVersion, runs, ...files] = process.argv.slice(2);
const sources = {};
for (const f of files) sources[f] = { content: fs.readFileSync(f, 'utf8') };
process.stdout.write(JSON.stringify({
  language: 'Solidity',
  sources,
  settings: {
    evmVersion,
    optimizer: { enabled: true, runs: Number(runs) },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
}));
JS

(cd "$scratch" && npx --yes "solc@$SOLC_VERSION" --standard-json < input.json > output.json)
version=$(cd "$scratch" && npx --yes "solc@$SOLC_VERSION" --version)

node - "$scratch/output.json" "$out" <<'JS'
const fs = require('fs');
const [output, out] = process.argv.slice(2);
// solcjs prints a note about SMT solvers before the JSON on stdout.
const text = fs.readFileSync(output, 'utf8');
const result = JSON.parse(text.slice(text.indexOf('{')));
const errors = (result.errors || []).filter(e => e.severity === 'error');
for (const e of result.errors || []) console.error(e.formattedMessage);
if (errors.length) process.exit(1);
for (const [file, contracts] of Object.entries(result.contracts)) {
  for (const [name, c] of Object.entries(contracts)) {
    fs.writeFileSync(`${out}/${name}.abi`, JSON.stringify(c.abi, null, 1) + '\n');
    fs.writeFileSync(`${out}/${name}.bin`, c.evm.bytecode.object + '\n');
    fs.writeFileSync(`${out}/${name}.bin-runtime`, c.evm.deployedBytecode.object + '\n');
    console.log(`${file}:${name} -> ${name}.abi, ${name}.bin, ${name}.bin-runtime`);
  }
}
JS

sha256sum "${sources[@]}" > "$out/SOURCES.sha256"
cat > "$out/COMPILER.txt" <<TXT
compiler: solc-js $version (npm package solc@$SOLC_VERSION)
settings: evmVersion=$EVM_VERSION, optimizer enabled, runs=$OPTIMIZER_RUNS, standard JSON
sources: node/src/test/solidity/ (SHA-256 in SOURCES.sha256)
regenerate: bash node/src/test/solidity/compile.sh
TXT
echo "wrote $out"
