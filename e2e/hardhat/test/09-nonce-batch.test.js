// Nonces ('pending' vs 'latest'), transactions the node must refuse, and a batch of parallel transactions
// from several accounts that must all be mined.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, deploy, mined, minedOk, expectRejected, feeFields } = require("../lib/helpers");

describe("nonces and parallel transactions", function () {
  let signers, counter, counterAddr;

  before(async function () {
    signers = await accounts();
    counter = await deploy("Counter", [], signers[0]);
    counterAddr = await counter.getAddress();
  });

  it("counts a sent transaction in the 'pending' nonce at once and in 'latest' once mined", async function () {
    const s = signers[4];
    const start = await ethers.provider.getTransactionCount(s.address, "latest");
    expect(await ethers.provider.getTransactionCount(s.address, "pending")).to.equal(start);

    const first = await s.sendTransaction({ to: signers[5].address, value: 1n });
    expect(first.nonce).to.equal(start);
    // Whether or not it is mined yet, the pending count includes it.
    expect(await ethers.provider.getTransactionCount(s.address, "pending")).to.equal(start + 1);
    const latestNow = await ethers.provider.getTransactionCount(s.address, "latest");
    expect(latestNow === start || latestNow === start + 1, `latest nonce ${latestNow}`).to.equal(true);

    // A second transaction sent before the first is known to be mined takes the next nonce.
    const second = await s.sendTransaction({ to: signers[5].address, value: 2n });
    expect(second.nonce).to.equal(start + 1);
    const [r1, r2] = await Promise.all([minedOk(first), minedOk(second)]);
    expect(r2.blockNumber > r1.blockNumber || (r2.blockNumber === r1.blockNumber && r2.index > r1.index)).to.equal(true);
    expect(await ethers.provider.getTransactionCount(s.address, "latest")).to.equal(start + 2);
    expect(await ethers.provider.getTransactionCount(s.address, "pending")).to.equal(start + 2);
    expect(await ethers.provider.getTransactionCount(s.address, r1.blockNumber - 1)).to.equal(start);
  });

  it("refuses a transaction with a used nonce", async function () {
    const s = signers[4];
    const nonce = await ethers.provider.getTransactionCount(s.address, "latest");
    await expectRejected(s.sendTransaction({ to: signers[5].address, value: 1n, nonce: nonce - 1, gasLimit: 21_000 }), "a nonce-too-low transaction");
    expect(await ethers.provider.getTransactionCount(s.address, "pending")).to.equal(nonce);
  });

  it("refuses a transaction whose sender cannot pay for it", async function () {
    const pauper = ethers.Wallet.createRandom().connect(ethers.provider);
    const { chainId } = await ethers.provider.getNetwork();
    const signed = await pauper.signTransaction({ to: signers[5].address, value: 1n, nonce: 0, gasLimit: 21_000, chainId, type: 2, ...(await feeFields()) });
    await expectRejected(ethers.provider.broadcastTransaction(signed), "a transaction from an unfunded account");
    expect(await ethers.provider.getTransactionCount(pauper.address, "pending")).to.equal(0);
  });

  it("mines every transaction of a parallel batch from several accounts", async function () {
    const senders = signers.slice(1, 7); // 6 accounts
    const PER_SENDER = 4; // alternately a counter increment and a value transfer
    const sink = ethers.Wallet.createRandom().address;
    const fees = await feeFields();

    const starts = await Promise.all(senders.map((s) => ethers.provider.getTransactionCount(s.address, "pending")));
    const t0 = Date.now();
    // Accounts send in parallel; each account sends its transactions in nonce order without waiting for mining.
    const sent = await Promise.all(
      senders.map(async (s, i) => {
        const txs = [];
        for (let k = 0; k < PER_SENDER; k++) {
          const common = { nonce: starts[i] + k, gasLimit: 150_000, type: 2, ...fees };
          txs.push(
            k % 2 === 0
              ? await counter.connect(s).inc(common)
              : await s.sendTransaction({ to: sink, value: BigInt(1 + i), ...common }),
          );
        }
        return txs;
      }),
    );
    const pending = await Promise.all(senders.map((s) => ethers.provider.getTransactionCount(s.address, "pending")));
    pending.forEach((p, i) => expect(p, `pending nonce of sender ${i}`).to.equal(starts[i] + PER_SENDER));

    const receipts = await Promise.all(sent.flat().map((tx) => mined(tx)));
    receipts.forEach((r) => expect(r.status, `status of ${r.hash}`).to.equal(1));
    const blocks = new Set(receipts.map((r) => r.blockNumber));
    if (process.env.E2E_VERBOSE) console.log(`      ${receipts.length} txs in ${blocks.size} block(s), ${Date.now() - t0} ms`);

    // Each transaction is in the block its receipt names, at the index it names.
    for (const n of blocks) {
      const block = await ethers.provider.getBlock(n);
      for (const r of receipts.filter((x) => x.blockNumber === n)) {
        expect(block.transactions[r.index]).to.equal(r.hash);
        expect(r.blockHash).to.equal(block.hash);
      }
    }
    // Per sender, nonce order is chain order.
    sent.forEach((txs, i) => {
      const rs = txs.map((tx) => receipts.find((r) => r.hash === tx.hash));
      for (let k = 1; k < rs.length; k++) {
        const later = rs[k].blockNumber > rs[k - 1].blockNumber || (rs[k].blockNumber === rs[k - 1].blockNumber && rs[k].index > rs[k - 1].index);
        expect(later, `sender ${i} tx ${k} after tx ${k - 1}`).to.equal(true);
      }
    });

    const incs = senders.length * Math.ceil(PER_SENDER / 2);
    expect(await counter.total()).to.equal(BigInt(incs));
    for (const s of senders) expect(await counter.bySender(s.address)).to.equal(BigInt(Math.ceil(PER_SENDER / 2)));
    const expectedSink = senders.reduce((sum, _s, i) => sum + BigInt(1 + i) * BigInt(Math.floor(PER_SENDER / 2)), 0n);
    expect(await ethers.provider.getBalance(sink)).to.equal(expectedSink);
    const latest = await Promise.all(senders.map((s) => ethers.provider.getTransactionCount(s.address, "latest")));
    latest.forEach((n, i) => expect(n).to.equal(starts[i] + PER_SENDER));

    const incLogs = await ethers.provider.getLogs({ address: counterAddr, topics: [counter.interface.getEvent("Incremented").topicHash], fromBlock: Math.min(...blocks), toBlock: Math.max(...blocks) });
    expect(incLogs.length).to.equal(incs);
  });
});
