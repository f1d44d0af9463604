// Blocks by number and by hash, transactions by hash and their receipts: every field present, well formed,
// and consistent across the methods.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { rpc, accounts, deploy, minedOk, feeFields, isHex, isQuantity, isHash, isAddress } = require("../lib/helpers");

describe("blocks, transactions and receipts", function () {
  let sender, recipient, fees, tx, receipt, emitter, callReceipt;
  const hex = (n) => ethers.toQuantity(n);

  before(async function () {
    const signers = await accounts();
    sender = signers[2];
    recipient = signers[3];
    emitter = await deploy("Emitter", [], sender);
    fees = await feeFields();
    tx = await sender.sendTransaction({ to: recipient.address, value: 1234n, type: 2, gasLimit: 21_000, data: "0x", ...fees });
    receipt = await minedOk(tx);
    callReceipt = await minedOk(emitter.connect(sender).pong(1, 2));
  });

  it("returns a signed EIP-1559 transaction by hash with all its fields", async function () {
    const raw = await rpc("eth_getTransactionByHash", [tx.hash]);
    expect(raw.hash).to.equal(tx.hash);
    expect(raw.type).to.equal("0x2");
    expect(raw.from.toLowerCase()).to.equal(sender.address.toLowerCase());
    expect(raw.to.toLowerCase()).to.equal(recipient.address.toLowerCase());
    expect(raw.nonce).to.equal(hex(tx.nonce));
    expect(raw.value).to.equal(hex(1234n));
    expect(raw.gas).to.equal(hex(21_000));
    expect(raw.input).to.equal("0x");
    expect(raw.maxFeePerGas).to.equal(hex(fees.maxFeePerGas));
    expect(raw.maxPriorityFeePerGas).to.equal(hex(fees.maxPriorityFeePerGas));
    expect(BigInt(raw.chainId)).to.equal((await ethers.provider.getNetwork()).chainId);
    expect(raw.accessList).to.deep.equal([]);
    expect(raw.blockHash).to.equal(receipt.blockHash);
    expect(raw.blockNumber).to.equal(hex(receipt.blockNumber));
    expect(raw.transactionIndex).to.equal(hex(receipt.index));
    for (const f of ["r", "s", "v"]) expect(isQuantity(raw[f]) || isHash(raw[f]), `${f}: ${raw[f]}`).to.equal(true);
    if (raw.yParity !== undefined) expect(BigInt(raw.yParity)).to.equal(BigInt(raw.v));

    // Re-serializing the fields reproduces the hash and recovers the sender: the node kept the exact signed tx.
    const rebuilt = ethers.Transaction.from({
      type: 2,
      chainId: BigInt(raw.chainId),
      nonce: Number(raw.nonce),
      to: raw.to,
      value: BigInt(raw.value),
      gasLimit: BigInt(raw.gas),
      data: raw.input,
      maxFeePerGas: BigInt(raw.maxFeePerGas),
      maxPriorityFeePerGas: BigInt(raw.maxPriorityFeePerGas),
      accessList: [],
      signature: { r: ethers.toBeHex(BigInt(raw.r), 32), s: ethers.toBeHex(BigInt(raw.s), 32), yParity: Number(BigInt(raw.v)) },
    });
    expect(rebuilt.hash).to.equal(tx.hash);
    expect(rebuilt.from).to.equal(sender.address);
  });

  it("returns a receipt with all its fields", async function () {
    const raw = await rpc("eth_getTransactionReceipt", [tx.hash]);
    expect(raw.transactionHash).to.equal(tx.hash);
    expect(raw.status).to.equal("0x1");
    expect(raw.type).to.equal("0x2");
    expect(raw.from.toLowerCase()).to.equal(sender.address.toLowerCase());
    expect(raw.to.toLowerCase()).to.equal(recipient.address.toLowerCase());
    expect(raw.contractAddress ?? null).to.equal(null);
    expect(raw.gasUsed).to.equal(hex(21_000));
    expect(BigInt(raw.cumulativeGasUsed) >= 21_000n).to.equal(true);
    expect(isQuantity(raw.effectiveGasPrice)).to.equal(true);
    expect(raw.logs).to.deep.equal([]);
    expect(raw.logsBloom).to.equal("0x" + "00".repeat(256));
    expect(isHash(raw.blockHash)).to.equal(true);
    expect(isQuantity(raw.blockNumber) && isQuantity(raw.transactionIndex)).to.equal(true);

    const call = await rpc("eth_getTransactionReceipt", [callReceipt.hash]);
    expect(call.logs.length).to.equal(1);
    const [log] = call.logs;
    expect(log.address.toLowerCase()).to.equal((await emitter.getAddress()).toLowerCase());
    for (const f of ["blockHash", "transactionHash"]) expect(isHash(log[f]), f).to.equal(true);
    for (const f of ["blockNumber", "transactionIndex", "logIndex"]) expect(isQuantity(log[f]), f).to.equal(true);
    expect(log.transactionHash).to.equal(callReceipt.hash);
    expect(log.blockHash).to.equal(call.blockHash);
    expect(isHex(log.data)).to.equal(true);
  });

  it("returns the same block by number and by hash, with and without full transactions", async function () {
    const byNumber = await rpc("eth_getBlockByNumber", [hex(receipt.blockNumber), false]);
    const byHash = await rpc("eth_getBlockByHash", [receipt.blockHash, false]);
    expect(byHash).to.deep.equal(byNumber);
    expect(byNumber.hash).to.equal(receipt.blockHash);
    expect(byNumber.number).to.equal(hex(receipt.blockNumber));
    expect(byNumber.transactions[receipt.index]).to.equal(tx.hash);
    for (const f of ["hash", "parentHash", "stateRoot", "transactionsRoot", "receiptsRoot"]) expect(isHash(byNumber[f]), f).to.equal(true);
    for (const f of ["number", "timestamp", "gasLimit", "gasUsed", "baseFeePerGas"]) expect(isQuantity(byNumber[f]), f).to.equal(true);
    expect(isAddress(byNumber.miner)).to.equal(true);
    expect(byNumber.logsBloom.length).to.equal(2 + 512);

    const fullByNumber = await rpc("eth_getBlockByNumber", [hex(receipt.blockNumber), true]);
    const fullByHash = await rpc("eth_getBlockByHash", [receipt.blockHash, true]);
    expect(fullByHash).to.deep.equal(fullByNumber);
    expect(fullByNumber.transactions.map((t) => t.hash)).to.deep.equal(byNumber.transactions);
    const { transactions: _a, ...headerFull } = fullByNumber;
    const { transactions: _b, ...header } = byNumber;
    expect(headerFull).to.deep.equal(header);
    expect(fullByNumber.transactions[receipt.index]).to.deep.equal(await rpc("eth_getTransactionByHash", [tx.hash]));
  });

  it("accounts the block's gas as the sum of its receipts'", async function () {
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    const receipts = await Promise.all(block.transactions.map((h) => ethers.provider.getTransactionReceipt(h)));
    let cumulative = 0n;
    receipts.forEach((r, i) => {
      expect(r.index).to.equal(i);
      expect(r.blockHash).to.equal(block.hash);
      cumulative += r.gasUsed;
      expect(r.cumulativeGasUsed).to.equal(cumulative);
    });
    expect(block.gasUsed).to.equal(cumulative);
    expect(block.gasUsed <= block.gasLimit).to.equal(true);
  });

  it("links each block to its parent", async function () {
    const n = callReceipt.blockNumber;
    const blocks = await Promise.all([n - 2, n - 1, n].filter((x) => x >= 0).map((x) => ethers.provider.getBlock(x)));
    for (let i = 1; i < blocks.length; i++) {
      expect(blocks[i].number).to.equal(blocks[i - 1].number + 1);
      expect(blocks[i].parentHash).to.equal(blocks[i - 1].hash);
      expect(blocks[i].timestamp >= blocks[i - 1].timestamp).to.equal(true);
    }
    const genesis = await ethers.provider.getBlock("earliest");
    expect(genesis.number).to.equal(0);
    expect(genesis.parentHash).to.equal(ethers.ZeroHash);
    expect((await ethers.provider.getBlock(0)).hash).to.equal(genesis.hash);
    const latest = await ethers.provider.getBlock("latest");
    expect(latest.number >= n).to.equal(true);
  });

  it("returns null for unknown blocks and transactions", async function () {
    const latest = await ethers.provider.getBlockNumber();
    const unknown = ethers.hexlify(ethers.randomBytes(32));
    expect(await rpc("eth_getBlockByNumber", [hex(latest + 100_000), false])).to.equal(null);
    expect(await rpc("eth_getBlockByHash", [unknown, false])).to.equal(null);
    expect(await rpc("eth_getTransactionByHash", [unknown])).to.equal(null);
    expect(await rpc("eth_getTransactionReceipt", [unknown])).to.equal(null);
  });
});
