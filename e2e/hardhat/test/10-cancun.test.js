// The EVM is Cancun: transient storage (EIP-1153), MCOPY (EIP-5656), BLOBBASEFEE (EIP-7516), BLOBHASH
// (EIP-4844); and the block/transaction environment seen by contracts matches the node's JSON-RPC view.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, deploy, minedOk } = require("../lib/helpers");

describe("Cancun EVM and execution environment", function () {
  let user, probe, probeAddr;

  before(async function () {
    [, , , , , , user] = await accounts();
    probe = await deploy("EvmProbe", [], user);
    probeAddr = await probe.getAddress();
  });

  it("keeps transient storage for one transaction only", async function () {
    expect([...(await probe.bumpTwice.staticCall())]).to.deep.equal([1n, 2n]);
    for (let i = 0; i < 2; i++) {
      const receipt = await minedOk(probe.bumpTwice());
      const event = probe.interface.parseLog(receipt.logs.find((l) => l.address === probeAddr));
      expect([...event.args], `transaction ${i}`).to.deep.equal([1n, 2n]);
    }
    expect(await probe.readTransient()).to.equal(0n);
    // Transient storage never touches persistent storage.
    expect(await ethers.provider.getStorage(probeAddr, 0)).to.equal(ethers.ZeroHash);
  });

  it("copies memory with MCOPY", async function () {
    const data = ethers.hexlify(ethers.randomBytes(100));
    expect(await probe.mcopyEcho(data)).to.equal(data);
    expect(await probe.mcopyEcho("0x")).to.equal("0x");
  });

  it("answers BLOBBASEFEE and BLOBHASH", async function () {
    const [blobBaseFee, firstBlobHash] = await probe.blobInfo();
    expect(blobBaseFee >= 1n, `blob base fee ${blobBaseFee}`).to.equal(true);
    expect(firstBlobHash).to.equal(ethers.ZeroHash);
  });

  it("shows contracts the same block and transaction the node reports", async function () {
    const receipt = await minedOk(probe.emitEnv());
    const env = probe.interface.parseLog(receipt.logs.find((l) => l.address === probeAddr)).args;
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    const parent = await ethers.provider.getBlock(receipt.blockNumber - 1);
    const { chainId } = await ethers.provider.getNetwork();

    expect(env.number).to.equal(BigInt(block.number));
    expect(env.timestamp).to.equal(BigInt(block.timestamp));
    expect(env.basefee).to.equal(block.baseFeePerGas);
    expect(env.chainid).to.equal(chainId);
    expect(env.coinbase).to.equal(block.miner);
    expect(env.gaslimit).to.equal(block.gasLimit);
    expect(env.gasprice).to.equal(receipt.gasPrice);
    expect(env.origin).to.equal(user.address);
    expect(env.sender).to.equal(user.address);
    expect(env.blobbasefee >= 1n).to.equal(true);
    expect(env.prevBlockHash).to.equal(parent.hash);
  });
});
