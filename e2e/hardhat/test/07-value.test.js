// Ether transfers between accounts and to contracts, with exact balance accounting:
// sender pays value + gasUsed × effectiveGasPrice, the recipient gets value. Values go back and forth, so
// that repeated runs against one node only spend gas.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, deploy, minedOk, balanceDelta, feeFields, expectRevert } = require("../lib/helpers");

describe("value transfers and fee accounting", function () {
  let signers, alice, bob;

  before(async function () {
    signers = await accounts();
    alice = signers[7];
    bob = signers[8];
  });

  // The fee goes to the block's coinbase; if that were one of the accounts involved, the deltas would not be exact.
  async function checkNotCoinbase(receipt, ...addresses) {
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    for (const a of addresses) expect(block.miner, "the block's fee recipient must not be a test account used here").to.not.equal(a);
    return block;
  }

  it("moves value in an EIP-1559 transaction and charges gasUsed × effectiveGasPrice", async function () {
    const value = ethers.parseEther("0.125");
    const fees = await feeFields();
    const tx = await alice.sendTransaction({ to: bob.address, value, type: 2, ...fees });
    const receipt = await minedOk(tx);
    const block = await checkNotCoinbase(receipt, alice.address, bob.address);

    expect(receipt.gasUsed).to.equal(21_000n);
    expect(receipt.type).to.equal(2);
    const expectedPrice = block.baseFeePerGas + fees.maxPriorityFeePerGas < fees.maxFeePerGas
      ? block.baseFeePerGas + fees.maxPriorityFeePerGas
      : fees.maxFeePerGas;
    expect(receipt.gasPrice, "effectiveGasPrice = min(maxFeePerGas, baseFee + maxPriorityFeePerGas)").to.equal(expectedPrice);

    expect(await balanceDelta(alice.address, receipt.blockNumber)).to.equal(-(value + receipt.gasUsed * receipt.gasPrice));
    expect(await balanceDelta(bob.address, receipt.blockNumber)).to.equal(value);
  });

  it("moves value in a legacy (type 0) transaction at its gas price", async function () {
    const value = ethers.parseEther("0.125");
    const { maxFeePerGas } = await feeFields();
    const receipt = await minedOk(bob.sendTransaction({ to: alice.address, value, type: 0, gasPrice: maxFeePerGas }));
    await checkNotCoinbase(receipt, alice.address, bob.address);
    expect(receipt.type).to.equal(0);
    expect(receipt.gasPrice).to.equal(maxFeePerGas);
    expect(await balanceDelta(bob.address, receipt.blockNumber)).to.equal(-(value + 21_000n * maxFeePerGas));
    expect(await balanceDelta(alice.address, receipt.blockNumber)).to.equal(value);
  });

  it("funds a brand-new address", async function () {
    const fresh = ethers.Wallet.createRandom().address;
    expect(await ethers.provider.getBalance(fresh)).to.equal(0n);
    const receipt = await minedOk(alice.sendTransaction({ to: fresh, value: 5n }));
    expect(await ethers.provider.getBalance(fresh)).to.equal(5n);
    expect(await ethers.provider.getBalance(fresh, receipt.blockNumber - 1)).to.equal(0n);
    expect(await ethers.provider.getTransactionCount(fresh)).to.equal(0);
    expect(await ethers.provider.getCode(fresh)).to.equal("0x");
  });

  it("pays into a contract and back out of it, accounting for every wei", async function () {
    const store = await deploy("Store", [1, "bank"], signers[0]);
    const storeAddr = await store.getAddress();
    const deposit = ethers.parseEther("0.02");

    // Plain transfer to the contract runs its receive() (and so costs more than 21000 gas).
    const r1 = await minedOk(alice.sendTransaction({ to: storeAddr, value: deposit }));
    await checkNotCoinbase(r1, alice.address);
    expect(r1.gasUsed > 21_000n).to.equal(true);
    expect(await store.deposits(alice.address)).to.equal(deposit);
    expect(await balanceDelta(storeAddr, r1.blockNumber)).to.equal(deposit);
    expect(await balanceDelta(alice.address, r1.blockNumber)).to.equal(-(deposit + r1.gasUsed * r1.gasPrice));

    await minedOk(store.connect(alice).deposit({ value: 3n }));
    expect(await store.deposits(alice.address)).to.equal(deposit + 3n);

    const back = deposit + 3n; // everything
    const r3 = await minedOk(store.connect(alice).withdraw(back));
    await checkNotCoinbase(r3, alice.address);
    expect(await balanceDelta(storeAddr, r3.blockNumber)).to.equal(-back);
    expect(await balanceDelta(alice.address, r3.blockNumber)).to.equal(back - r3.gasUsed * r3.gasPrice);
    expect(await ethers.provider.getBalance(storeAddr)).to.equal(0n);
    expect(await store.deposits(alice.address)).to.equal(0n);

    const { decoded } = await expectRevert(store.connect(bob).withdraw.staticCall(1n), store.interface);
    expect(decoded.reason).to.equal("Store: insufficient deposit");
  });
});
