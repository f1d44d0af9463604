// block.timestamp moves forward between any two blocks, as Ethereum requires (each block's timestamp is above
// its parent's), even when a node makes several blocks a second: transactions sent one after the other land
// in back-to-back blocks, and the contract sees time elapse between each two.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, deploy, minedOk } = require("../lib/helpers");

const CALLS = 4; // sent within a second or two on a fast node: some blocks share a wall-clock second

describe("Block timestamps", function () {
  let user, recorder;

  before(async function () {
    [, , , , , user] = await accounts();
    recorder = await deploy("TimeRecorder", [], user);
  });

  it("advance between back-to-back blocks, as the contract sees them", async function () {
    const receipts = [];
    for (let i = 0; i < CALLS; i++) {
      // Each call is sent as soon as the one before is mined.
      receipts.push(await minedOk(recorder.record()));
    }
    const count = await recorder.count();
    for (let i = 1; i < CALLS; i++) {
      const [prev, cur] = [receipts[i - 1], receipts[i]];
      expect(cur.blockNumber, `call ${i}'s block follows call ${i - 1}'s`).to.equal(prev.blockNumber + 1);
      const before = await recorder.seen(count - BigInt(CALLS - i + 1));
      const after = await recorder.seen(count - BigInt(CALLS - i));
      expect(after > before, `block ${cur.blockNumber}: block.timestamp ${after}, its parent's ${before}`).to.equal(true);
      const event = recorder.interface.parseLog(cur.logs[0]).args;
      expect(event.elapsed, `time elapsed before call ${i}`).to.equal(after - before);
      // The contract saw the timestamp the node reports for the block.
      expect(BigInt((await ethers.provider.getBlock(cur.blockNumber)).timestamp)).to.equal(after);
    }
  });
});
