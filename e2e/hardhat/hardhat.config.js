// Hardhat 2 project for the Chorus end-to-end suite.
//
// `--network chorus` talks to any Ethereum JSON-RPC node at $CHORUS_RPC_URL (default http://127.0.0.1:8545).
// The chain id is taken from the node (eth_chainId); transactions are signed locally by hardhat with the
// first 10 accounts of the standard test mnemonic, which the node under test is expected to fund.
//
// Compilation never downloads anything: solc comes from the npm `solc` package (solc-js, pinned in
// package.json) and the GET_SOLC_BUILD subtask is overridden to hand its soljson.js to hardhat.
const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");
require("@nomicfoundation/hardhat-ethers");

const SOLC_VERSION = require("solc/package.json").version;
const MNEMONIC = "test test test test test test test test test test test junk";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async ({ solcVersion }) => {
  if (solcVersion !== SOLC_VERSION) {
    throw new Error(`only solc ${SOLC_VERSION} (npm package solc) is available offline, but ${solcVersion} was requested`);
  }
  const soljson = require.resolve("solc/soljson.js");
  // Loading soljson takes a second, so only do it when something must actually be compiled.
  const solc = require("solc");
  const longVersion = solc.version().replace(/\.Emscripten\.clang$/, "");
  return { version: solcVersion, longVersion, compilerPath: soljson, isSolcJs: true };
});

// Only for proving the suite locally with `npx hardhat node`: E2E_HH_INTERVAL_MS=1000 turns automine off
// and mines on an interval instead, like a node that batches transactions into timed blocks.
const hhInterval = Number(process.env.E2E_HH_INTERVAL_MS || 0);

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  networks: {
    chorus: {
      url: process.env.CHORUS_RPC_URL || "http://127.0.0.1:8545",
      accounts: { mnemonic: MNEMONIC, path: "m/44'/60'/0'/0", initialIndex: 0, count: 10 },
      timeout: 30_000,
    },
    hardhat: {
      // Same mnemonic as hardhat's default; only used by `npx hardhat node`.
      accounts: { mnemonic: MNEMONIC, count: 10 },
      hardfork: "cancun",
      // A standard node accepts a transaction that will revert and reports the failure in its receipt;
      // hardhat's default would instead fail eth_sendRawTransaction under automine.
      throwOnTransactionFailures: false,
      mining: hhInterval > 0 ? { auto: false, interval: hhInterval } : { auto: true, interval: 0 },
    },
  },
  mocha: {
    timeout: 60_000,
  },
};
