// Shared helpers for the end-to-end suite. Everything here goes through standard eth_* JSON-RPC only:
// no automine, no evm_mine, no hardhat_* methods, no assumption about when blocks are produced.
const { expect } = require("chai");
const { ethers, artifacts } = require("hardhat");

const MNEMONIC = "test test test test test test test test test test test junk";
const POLL_MS = 100;
const RECEIPT_TIMEOUT_MS = Number(process.env.E2E_RECEIPT_TIMEOUT_MS || 30_000);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rpc = (method, params = []) => ethers.provider.send(method, params);

/** The 10 test accounts (mnemonic indexes 0..9), as hardhat-ethers signers that sign locally. */
async function accounts() {
  const signers = await ethers.getSigners();
  expect(signers.length, "configured accounts").to.equal(10);
  return signers;
}

/**
 * Waits for the receipt of a transaction (a response, a promise of one, or a hash) by polling
 * eth_getTransactionReceipt. Returns the receipt whatever its status.
 */
async function mined(txOrHash, timeoutMs = RECEIPT_TIMEOUT_MS) {
  const tx = await txOrHash;
  const hash = typeof tx === "string" ? tx : tx.hash;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await ethers.provider.getTransactionReceipt(hash);
    if (receipt !== null) return receipt;
    if (Date.now() > deadline) throw new Error(`transaction ${hash} was not mined within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

/** Like mined(), and the transaction must have succeeded. */
async function minedOk(txOrHash) {
  const receipt = await mined(txOrHash);
  expect(receipt.status, `status of ${receipt.hash}`).to.equal(1);
  return receipt;
}

/** Deploys a compiled contract and waits for it; returns [contract, receipt]. */
async function deployWithReceipt(name, args = [], signer = undefined, overrides = {}) {
  const factory = await ethers.getContractFactory(name, signer);
  const contract = await factory.deploy(...args, overrides);
  const receipt = await minedOk(contract.deploymentTransaction());
  expect(receipt.contractAddress, `${name} address`).to.equal(await contract.getAddress());
  return [contract, receipt];
}

async function deploy(name, args = [], signer = undefined, overrides = {}) {
  return (await deployWithReceipt(name, args, signer, overrides))[0];
}

/**
 * The revert data carried by a failed eth_call / eth_estimateGas. Nodes put it in the JSON-RPC error's
 * `data` either as a hex string (geth, Besu, Nethermind, ...) or as an object holding `data`
 * (hardhat, ganache); hardhat's provider wraps the error once more.
 */
function revertDataOf(err) {
  const seen = new Set();
  const todo = [err];
  while (todo.length > 0) {
    const e = todo.shift();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    if (typeof e.data === "string" && /^0x([0-9a-fA-F]{2})*$/.test(e.data)) return e.data;
    for (const key of ["data", "error", "info", "parent", "cause"]) todo.push(e[key]);
  }
  return undefined;
}

/**
 * Expects `promise` (an eth_call, eth_estimateGas or send) to fail with a revert, and returns the failure
 * decoded by ethers against `iface`: `{ error, data, decoded }` where decoded is ethers' CallExceptionError
 * (decoded.reason for Error(string), decoded.revert = { name, args } for Error, Panic and custom errors).
 */
async function expectRevert(promise, iface) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, "expected the call to revert").to.not.equal(undefined);
  const data = revertDataOf(error);
  const decoded = data === undefined ? undefined : iface.makeError(data, { data: "0x00000000" });
  return { error, data, decoded };
}

/** Expects a promise to be rejected (e.g. a transaction the node must refuse); returns the error. */
async function expectRejected(promise, what) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  expect.fail(`expected ${what} to be rejected`);
}

/** Whether a 2048-bit logs bloom has the bits of `value` (an address or a 32-byte topic) set. */
function bloomHas(bloom, value) {
  const bits = ethers.getBytes(bloom);
  expect(bits.length, "logsBloom length").to.equal(256);
  const h = ethers.getBytes(ethers.keccak256(value));
  for (const i of [0, 2, 4]) {
    const bit = ((h[i] << 8) | h[i + 1]) & 2047;
    if ((bits[255 - (bit >> 3)] & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

/** Balance change of `address` caused by block `blockNumber` (state after it minus state after its parent). */
async function balanceDelta(address, blockNumber) {
  const [before, after] = await Promise.all([
    ethers.provider.getBalance(address, blockNumber - 1),
    ethers.provider.getBalance(address, blockNumber),
  ]);
  return after - before;
}

/** EIP-1559 fee fields comfortably above the current base fee, for transactions that set them explicitly. */
async function feeFields() {
  const latest = await ethers.provider.getBlock("latest");
  expect(latest.baseFeePerGas, "latest block baseFeePerGas (EIP-1559)").to.not.equal(null);
  const maxPriorityFeePerGas = 1_000_000_000n;
  return { maxFeePerGas: latest.baseFeePerGas * 2n + maxPriorityFeePerGas, maxPriorityFeePerGas };
}

const isHex = (v) => typeof v === "string" && /^0x[0-9a-f]*$/i.test(v);
const isQuantity = (v) => typeof v === "string" && /^0x(0|[1-9a-f][0-9a-f]*)$/i.test(v);
const isHash = (v) => typeof v === "string" && /^0x[0-9a-f]{64}$/i.test(v);
const isAddress = (v) => typeof v === "string" && /^0x[0-9a-f]{40}$/i.test(v);

async function bytecodeOf(name, kind = "deployedBytecode") {
  return (await artifacts.readArtifact(name))[kind];
}

module.exports = {
  MNEMONIC,
  sleep,
  rpc,
  accounts,
  mined,
  minedOk,
  deploy,
  deployWithReceipt,
  revertDataOf,
  expectRevert,
  expectRejected,
  bloomHas,
  balanceDelta,
  feeFields,
  isHex,
  isQuantity,
  isHash,
  isAddress,
  bytecodeOf,
};
