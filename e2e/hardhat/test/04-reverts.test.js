// Failures as the client sees them: require reasons, custom errors with arguments, panics, bare reverts,
// through eth_call, eth_estimateGas and mined transactions (receipt status 0).
const { expect } = require("chai");
const { ethers, network } = require("hardhat");
const { accounts, deploy, mined, minedOk, expectRevert, revertDataOf, isHex } = require("../lib/helpers");

describe("reverts and errors", function () {
  let owner, stranger, guard, caller, guardAddr;
  const ERROR_SELECTOR = "0x08c379a0"; // Error(string)

  before(async function () {
    [owner, stranger] = await accounts();
    guard = await deploy("Guard", [], owner);
    guardAddr = await guard.getAddress();
    caller = await deploy("GuardCaller", [guardAddr], owner);
  });

  it("returns the require reason of a failed eth_call as revert data in the JSON-RPC error", async function () {
    const data = guard.interface.encodeFunctionData("checkPositive", [0]);
    const response = await fetch(network.config.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: guardAddr, data }, "latest"] }),
    });
    const body = await response.json();
    expect(body.result, "a reverted eth_call must not return a result").to.equal(undefined);
    expect(body.error, "JSON-RPC error object").to.be.an("object");
    expect(body.error.code).to.be.a("number");
    expect(body.error.message).to.be.a("string");
    const revertData = revertDataOf(body.error);
    expect(isHex(revertData), `revert data in error.data: ${JSON.stringify(body.error)}`).to.equal(true);
    expect(revertData.slice(0, 10)).to.equal(ERROR_SELECTOR);
    const [reason] = ethers.AbiCoder.defaultAbiCoder().decode(["string"], "0x" + revertData.slice(10));
    expect(reason).to.equal("Guard: x must be positive");
  });

  it("decodes require reasons from eth_call and eth_estimateGas", async function () {
    expect(await guard.checkPositive(5)).to.equal(5n);
    const attempts = [() => guard.checkPositive(0), () => guard.checkPositive.estimateGas(0), () => guard.bumpThenRequire.estimateGas(false)];
    for (const attempt of attempts) {
      const { decoded } = await expectRevert(attempt(), guard.interface);
      expect(decoded.revert.name).to.equal("Error");
      expect(decoded.reason).to.match(/^Guard: (x must be positive|bump refused)$/);
    }
  });

  it("decodes custom errors with arguments", async function () {
    const tooLow = (await expectRevert(guard.setMinimum.staticCall(3), guard.interface)).decoded;
    expect(tooLow.revert.name).to.equal("TooLow");
    expect([...tooLow.revert.args]).to.deep.equal([3n, 10n]);

    const unauthorized = (await expectRevert(guard.connect(stranger).setMinimum.estimateGas(50), guard.interface)).decoded;
    expect(unauthorized.revert.name).to.equal("Unauthorized");
    expect([...unauthorized.revert.args]).to.deep.equal([stranger.address, owner.address]);

    const nope = (await expectRevert(guard.nope(), guard.interface)).decoded;
    expect(nope.revert.name).to.equal("Nope");
    expect(nope.revert.args.length).to.equal(0);

    // The error parsed directly from the revert data, too.
    const { data } = await expectRevert(guard.setMinimum.staticCall(4), guard.interface);
    const parsed = guard.interface.parseError(data);
    expect(parsed.name).to.equal("TooLow");
    expect(parsed.args.given).to.equal(4n);
    expect(parsed.args.minimum).to.equal(10n);
  });

  it("decodes panics and reports a bare revert without a reason", async function () {
    const panic = (await expectRevert(guard.divide(1, 0), guard.interface)).decoded;
    expect(panic.revert.name).to.equal("Panic");
    expect(Number(panic.revert.args[0])).to.equal(0x12);

    const bare = await expectRevert(guard.bare(), guard.interface);
    expect(bare.data === undefined || bare.data === "0x", `bare revert data ${bare.data}`).to.equal(true);
    if (bare.decoded !== undefined) expect(bare.decoded.revert).to.equal(null);
  });

  it("lets a custom error bubble up from a called contract", async function () {
    // The caller contract is not the guard's owner.
    const bubbled = (await expectRevert(caller.viaCall.staticCall(20), guard.interface)).decoded;
    expect(bubbled.revert.name).to.equal("Unauthorized");
    expect([...bubbled.revert.args]).to.deep.equal([await caller.getAddress(), owner.address]);
  });

  it("mines a failing transaction with receipt status 0, reverting its state changes but charging gas", async function () {
    await minedOk(guard.bumpThenRequire(true));
    expect(await guard.counter()).to.equal(1n);

    const nonce = await ethers.provider.getTransactionCount(owner.address, "latest");
    const tx = await guard.bumpThenRequire(false, { gasLimit: 200_000 });
    const receipt = await mined(tx);
    expect(receipt.status).to.equal(0);
    expect(receipt.logs).to.deep.equal([]);
    expect(receipt.gasUsed > 21_000n && receipt.gasUsed < 200_000n).to.equal(true);
    expect(await guard.counter()).to.equal(1n);
    expect(await ethers.provider.getTransactionCount(owner.address, "latest")).to.equal(nonce + 1);

    const [before, after] = await Promise.all([
      ethers.provider.getBalance(owner.address, receipt.blockNumber - 1),
      ethers.provider.getBalance(owner.address, receipt.blockNumber),
    ]);
    expect(before - after).to.equal(receipt.gasUsed * receipt.gasPrice);

    // ethers reports the failure when waiting for the transaction.
    let waitError;
    try {
      await tx.wait();
    } catch (e) {
      waitError = e;
    }
    expect(waitError?.code).to.equal("CALL_EXCEPTION");
    expect(waitError.receipt.status).to.equal(0);

    // The reason is recovered by replaying the transaction as an eth_call on the parent block's state.
    const sent = await ethers.provider.getTransaction(receipt.hash);
    const replay = await expectRevert(
      ethers.provider.call({ from: sent.from, to: sent.to, data: sent.data, value: sent.value, gasLimit: sent.gasLimit, blockTag: receipt.blockNumber - 1 }),
      guard.interface,
    );
    expect(replay.decoded.reason).to.equal("Guard: bump refused");
  });

  it("mines a transaction failing with a custom error, whose arguments the replay decodes", async function () {
    const receipt = await mined(guard.connect(stranger).setMinimum(77, { gasLimit: 100_000 }));
    expect(receipt.status).to.equal(0);
    expect(await guard.minimum()).to.equal(10n);
    const sent = await ethers.provider.getTransaction(receipt.hash);
    const replay = await expectRevert(
      ethers.provider.call({ from: sent.from, to: sent.to, data: sent.data, blockTag: receipt.blockNumber - 1 }),
      guard.interface,
    );
    expect(replay.decoded.revert.name).to.equal("Unauthorized");
    expect([...replay.decoded.revert.args]).to.deep.equal([stranger.address, owner.address]);
  });

  it("refuses to send a transaction whose gas estimation reverts, leaving the nonce unused", async function () {
    const nonce = await ethers.provider.getTransactionCount(stranger.address, "pending");
    const { decoded } = await expectRevert(guard.connect(stranger).setMinimum(99), guard.interface);
    expect(decoded.revert.name).to.equal("Unauthorized");
    expect(await ethers.provider.getTransactionCount(stranger.address, "pending")).to.equal(nonce);
  });
});
