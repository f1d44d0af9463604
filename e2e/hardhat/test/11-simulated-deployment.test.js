// A deployment tried before it is sent: eth_call and eth_estimateGas without `to` run the creation and answer
// the runtime code it would deploy (or its revert), at the address the sender's nonce gives in the state called on.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, minedOk, expectRevert, rpc, bytecodeOf } = require("../lib/helpers");

describe("simulated deployment", function () {
  let deployer, from, stamped;

  before(async function () {
    [deployer] = await accounts();
    from = deployer.address;
    stamped = await (await ethers.getContractFactory("Stamped", deployer)).getDeployTransaction();
  });

  /** Whether runtime code holds `address` (an immutable the constructor wrote). */
  const holds = (code, address) => code.toLowerCase().includes(address.slice(2).toLowerCase());

  it("answers eth_call of a deploy transaction with the runtime code the deployment stores", async function () {
    const factory = await ethers.getContractFactory("Store", deployer);
    const tx = await factory.getDeployTransaction(42, "hello", { value: 12345n });
    const simulated = await ethers.provider.call({ ...tx, from });
    expect(simulated).to.equal(await bytecodeOf("Store"));

    const store = await factory.deploy(42, "hello", { value: 12345n });
    await minedOk(store.deploymentTransaction());
    expect(await ethers.provider.getCode(await store.getAddress())).to.equal(simulated);
  });

  it("creates at the address of the sender's nonce in the block called on", async function () {
    const before = await ethers.provider.getBlockNumber();
    const nonce = await ethers.provider.getTransactionCount(from, before);
    const simulated = await ethers.provider.call({ ...stamped, from, blockTag: before });
    expect(holds(simulated, ethers.getCreateAddress({ from, nonce })), "own address for nonce " + nonce).to.equal(true);
    expect(holds(simulated, from), "deployer").to.equal(true);

    const receipt = await minedOk(deployer.sendTransaction(stamped));
    const deployed = await ethers.provider.getCode(receipt.contractAddress);
    // Nothing else of this account's was sent in between: the simulation ran at the deployment's address.
    expect(deployed).to.equal(simulated);
    // The block before the deployment still has the old nonce; the latest has the next one.
    expect(await ethers.provider.call({ ...stamped, from, blockTag: receipt.blockNumber - 1 })).to.equal(deployed);
    const latest = await ethers.provider.call({ ...stamped, from, blockTag: receipt.blockNumber });
    const next = ethers.getCreateAddress({ from, nonce: (await ethers.provider.getTransaction(receipt.hash)).nonce + 1 });
    expect(holds(latest, next), "own address for the next nonce").to.equal(true);
  });

  it("applies state overrides to the creation", async function () {
    const code = await rpc("eth_call", [{ from, data: stamped.data }, "latest", { [from]: { nonce: "0x3e8" } }]);
    expect(holds(code, ethers.getCreateAddress({ from, nonce: 1000 })), "own address for nonce 1000").to.equal(true);
  });

  it("reports a reverting constructor's reason from eth_call and eth_estimateGas", async function () {
    const factory = await ethers.getContractFactory("Child", deployer);
    const tx = await factory.getDeployTransaction(0);
    for (const attempt of [() => ethers.provider.call({ ...tx, from }), () => ethers.provider.estimateGas({ ...tx, from })]) {
      const { data, decoded } = await expectRevert(attempt(), factory.interface);
      expect(data, "revert data").to.not.equal(undefined);
      expect(decoded.reason).to.equal("Child: zero value");
    }
  });

  it("estimates enough gas for the creation and its code deposit", async function () {
    const factory = await ethers.getContractFactory("Store", deployer);
    const tx = await factory.getDeployTransaction(7, "estimated", { value: 1n });
    const [estimate, runtime] = await Promise.all([
      ethers.provider.estimateGas({ ...tx, from }),
      ethers.provider.call({ ...tx, from }),
    ]);
    // 21000 + 32000 for a creation, and 200 per byte of code deposited, before any execution.
    const floor = 53_000n + 200n * BigInt(ethers.dataLength(runtime));
    expect(estimate > floor, `estimate ${estimate} above ${floor}`).to.equal(true);

    const receipt = await minedOk(deployer.sendTransaction({ ...tx, gasLimit: estimate }));
    expect(receipt.gasUsed <= estimate).to.equal(true);
    expect(await ethers.provider.getCode(receipt.contractAddress)).to.equal(runtime);
  });
});
