// An OpenZeppelin Contracts v5 ERC-20: deploy, transfer, approve/transferFrom, events, balances, errors.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, deployWithReceipt, minedOk, expectRevert } = require("../lib/helpers");

describe("ERC-20 (OpenZeppelin v5)", function () {
  const SUPPLY = ethers.parseUnits("1000000", 18);
  let owner, alice, bob, token, tokenAddr, deployReceipt, TRANSFER;

  const transfers = (receipt) =>
    receipt.logs
      .filter((l) => l.address === tokenAddr && l.topics[0] === TRANSFER)
      .map((l) => {
        const { from, to, value } = token.interface.parseLog(l).args;
        return [from, to, value];
      });

  before(async function () {
    [owner, , , alice, bob] = await accounts();
    [token, deployReceipt] = await deployWithReceipt("ChorusToken", [SUPPLY], owner);
    tokenAddr = await token.getAddress();
    TRANSFER = token.interface.getEvent("Transfer").topicHash;
  });

  it("has its metadata and mints the supply to the deployer with a Transfer from zero", async function () {
    expect(await token.name()).to.equal("Chorus Token");
    expect(await token.symbol()).to.equal("CHT");
    expect(await token.decimals()).to.equal(18n);
    expect(await token.totalSupply()).to.equal(SUPPLY);
    expect(await token.balanceOf(owner.address)).to.equal(SUPPLY);
    expect(transfers(deployReceipt)).to.deep.equal([[ethers.ZeroAddress, owner.address, SUPPLY]]);
  });

  it("transfers, emitting Transfer and moving balances", async function () {
    const amount = ethers.parseUnits("1500", 18);
    const receipt = await minedOk(token.transfer(alice.address, amount));
    expect(transfers(receipt)).to.deep.equal([[owner.address, alice.address, amount]]);
    expect(await token.balanceOf(alice.address)).to.equal(amount);
    expect(await token.balanceOf(owner.address)).to.equal(SUPPLY - amount);
    expect(await token.totalSupply()).to.equal(SUPPLY);
  });

  it("approves and lets the spender transferFrom, consuming the allowance", async function () {
    const allowance = ethers.parseUnits("300", 18);
    const spent = ethers.parseUnits("120", 18);
    const approval = await minedOk(token.connect(alice).approve(bob.address, allowance));
    const approvalLog = token.interface.parseLog(approval.logs[0]);
    expect(approvalLog.name).to.equal("Approval");
    expect([...approvalLog.args]).to.deep.equal([alice.address, bob.address, allowance]);
    expect(await token.allowance(alice.address, bob.address)).to.equal(allowance);

    const aliceBefore = await token.balanceOf(alice.address);
    const receipt = await minedOk(token.connect(bob).transferFrom(alice.address, owner.address, spent));
    expect(transfers(receipt)).to.deep.equal([[alice.address, owner.address, spent]]);
    expect(await token.allowance(alice.address, bob.address)).to.equal(allowance - spent);
    expect(await token.balanceOf(alice.address)).to.equal(aliceBefore - spent);
    expect(await token.balanceOf(bob.address)).to.equal(0n);
  });

  it("rejects overdrafts with OpenZeppelin's custom errors", async function () {
    const aliceBalance = await token.balanceOf(alice.address);
    const tooMuch = (await expectRevert(token.connect(alice).transfer.staticCall(bob.address, aliceBalance + 1n), token.interface)).decoded;
    expect(tooMuch.revert.name).to.equal("ERC20InsufficientBalance");
    expect([...tooMuch.revert.args]).to.deep.equal([alice.address, aliceBalance, aliceBalance + 1n]);

    const left = await token.allowance(alice.address, bob.address);
    const overAllowance = (await expectRevert(token.connect(bob).transferFrom.estimateGas(alice.address, bob.address, left + 1n), token.interface)).decoded;
    expect(overAllowance.revert.name).to.equal("ERC20InsufficientAllowance");
    expect([...overAllowance.revert.args]).to.deep.equal([bob.address, left, left + 1n]);

    const toZero = (await expectRevert(token.transfer.staticCall(ethers.ZeroAddress, 1n), token.interface)).decoded;
    expect(toZero.revert.name).to.equal("ERC20InvalidReceiver");
  });

  it("finds the token's Transfer events with eth_getLogs filtered by sender and recipient topics", async function () {
    const fromBlock = deployReceipt.blockNumber;
    const toAlice = await token.queryFilter(token.filters.Transfer(null, alice.address), fromBlock, "latest");
    expect(toAlice.map((e) => e.args.value)).to.deep.equal([ethers.parseUnits("1500", 18)]);
    const fromAlice = await token.queryFilter(token.filters.Transfer(alice.address), fromBlock, "latest");
    expect(fromAlice.map((e) => [e.args.to, e.args.value])).to.deep.equal([[owner.address, ethers.parseUnits("120", 18)]]);
    const all = await ethers.provider.getLogs({ address: tokenAddr, topics: [TRANSFER], fromBlock, toBlock: "latest" });
    expect(all.length).to.equal(3);
    // Balances add up to the supply.
    const holders = [owner, alice, bob].map((s) => s.address);
    const sum = (await Promise.all(holders.map((h) => token.balanceOf(h)))).reduce((x, y) => x + y, 0n);
    expect(sum).to.equal(SUPPLY);
  });
});
