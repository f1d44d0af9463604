// Deploying a contract and reading its state: calls, code, raw storage, and state at an earlier block.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, deployWithReceipt, minedOk, bytecodeOf } = require("../lib/helpers");

describe("deployment and state", function () {
  let deployer, other, store, receipt;
  const LONG_LABEL = "a label that is longer than thirty-one bytes, so it spans several storage slots";

  before(async function () {
    [deployer, other] = await accounts();
    [store, receipt] = await deployWithReceipt("Store", [42, "hello"], deployer, { value: 12345n });
  });

  it("puts the contract at the CREATE address of the deployer's nonce", async function () {
    const tx = await ethers.provider.getTransaction(receipt.hash);
    expect(tx.to).to.equal(null);
    expect(receipt.to).to.equal(null);
    expect(receipt.contractAddress).to.equal(ethers.getCreateAddress({ from: deployer.address, nonce: tx.nonce }));
  });

  it("stores exactly the runtime bytecode, which did not exist before the deployment block", async function () {
    const address = await store.getAddress();
    expect(await ethers.provider.getCode(address)).to.equal(await bytecodeOf("Store"));
    expect(await ethers.provider.getCode(address, receipt.blockNumber - 1)).to.equal("0x");
  });

  it("reads the constructor's state through eth_call", async function () {
    expect(await store.value()).to.equal(42n);
    expect(await store.label()).to.equal("hello");
    expect(await store.owner()).to.equal(deployer.address);
    const [value, label, owner, balance] = await store.snapshot();
    expect([value, label, owner, balance]).to.deep.equal([42n, "hello", deployer.address, 12345n]);
    expect(await ethers.provider.getBalance(await store.getAddress())).to.equal(12345n);
  });

  it("exposes raw storage through eth_getStorageAt", async function () {
    const address = await store.getAddress();
    expect(await ethers.provider.getStorage(address, 0)).to.equal(ethers.toBeHex(42, 32));
    expect(await ethers.provider.getStorage(address, 2)).to.equal(ethers.zeroPadValue(deployer.address.toLowerCase(), 32));
    expect(await ethers.provider.getStorage(address, 99)).to.equal(ethers.ZeroHash);
  });

  it("changes state with transactions and keeps the earlier state readable by block number", async function () {
    const r1 = await minedOk(store.connect(other).set(7));
    expect(await store.value()).to.equal(7n);
    const r2 = await minedOk(store.setLabel(LONG_LABEL));
    expect(await store.label()).to.equal(LONG_LABEL);
    expect(r2.blockNumber > r1.blockNumber).to.equal(true);

    expect(await store.value({ blockTag: receipt.blockNumber })).to.equal(42n);
    expect(await store.value({ blockTag: r1.blockNumber })).to.equal(7n);
    expect(await store.label({ blockTag: r1.blockNumber })).to.equal("hello");
    expect(await store.label({ blockTag: r2.blockNumber })).to.equal(LONG_LABEL);
  });
});
