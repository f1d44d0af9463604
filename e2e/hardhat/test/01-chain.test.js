// The node answers the basic chain queries, uses EIP-1559 blocks, and funds the 10 test accounts.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { MNEMONIC, rpc, accounts, isQuantity } = require("../lib/helpers");

describe("chain and accounts", function () {
  it("reports a chain id, consistent between eth_chainId and the provider", async function () {
    const raw = await rpc("eth_chainId");
    expect(isQuantity(raw), `eth_chainId ${raw}`).to.equal(true);
    const { chainId } = await ethers.provider.getNetwork();
    expect(chainId).to.equal(BigInt(raw));
    expect(chainId > 0n).to.equal(true);
  });

  it("reports the block number, and 'latest' is at least that far", async function () {
    const raw = await rpc("eth_blockNumber");
    expect(isQuantity(raw), `eth_blockNumber ${raw}`).to.equal(true);
    const latest = await ethers.provider.getBlock("latest");
    expect(latest.number >= Number(raw)).to.equal(true);
  });

  it("uses the first 10 accounts of the test mnemonic, each funded with at least 1 ether", async function () {
    const signers = await accounts();
    for (let i = 0; i < 10; i++) {
      const wallet = ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);
      expect(signers[i].address, `account ${i}`).to.equal(wallet.address);
    }
    expect(signers[0].address).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    const balances = await Promise.all(signers.map((s) => ethers.provider.getBalance(s.address)));
    balances.forEach((b, i) => expect(b >= ethers.parseEther("1"), `balance of account ${i}: ${b}`).to.equal(true));
  });

  it("produces EIP-1559 blocks and answers fee queries", async function () {
    const latest = await rpc("eth_getBlockByNumber", ["latest", false]);
    expect(isQuantity(latest.baseFeePerGas), `baseFeePerGas ${latest.baseFeePerGas}`).to.equal(true);
    const gasPrice = await rpc("eth_gasPrice");
    expect(isQuantity(gasPrice)).to.equal(true);
    expect(BigInt(gasPrice) > 0n).to.equal(true);

    const history = await rpc("eth_feeHistory", ["0x2", "latest", [50]]);
    expect(isQuantity(history.oldestBlock)).to.equal(true);
    const blocks = history.gasUsedRatio.length;
    expect(blocks >= 1 && blocks <= 2, `feeHistory covers ${blocks} blocks`).to.equal(true);
    // One base fee per block covered, plus the next block's.
    expect(history.baseFeePerGas.length).to.equal(blocks + 1);
    history.baseFeePerGas.forEach((f) => expect(isQuantity(f)).to.equal(true));
    expect(history.reward.length).to.equal(blocks);
    history.reward.forEach((r) => expect(r.length).to.equal(1));
  });
});
