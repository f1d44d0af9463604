// Contracts creating contracts: CREATE at the factory's nonce, CREATE2 at the predicted address.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, deploy, minedOk, expectRevert, bytecodeOf } = require("../lib/helpers");

describe("contract creation from contracts (CREATE, CREATE2)", function () {
  let deployer, factory, factoryAddr, childIface;

  const createdChild = (receipt) => {
    const logs = receipt.logs.filter((l) => l.address === factoryAddr);
    expect(logs.length).to.equal(1);
    return factory.interface.parseLog(logs[0]).args;
  };

  before(async function () {
    [deployer] = await accounts();
    factory = await deploy("Factory", [], deployer);
    factoryAddr = await factory.getAddress();
    childIface = (await ethers.getContractFactory("Child")).interface;
  });

  it("starts a new contract's nonce at 1 (EIP-161)", async function () {
    expect(await ethers.provider.getTransactionCount(factoryAddr)).to.equal(1);
  });

  it("creates with CREATE at the address given by the factory's nonce", async function () {
    const nonce = await ethers.provider.getTransactionCount(factoryAddr);
    const expected = ethers.getCreateAddress({ from: factoryAddr, nonce });
    expect(await factory.create.staticCall(7)).to.equal(expected); // eth_call sees the address, changes nothing
    expect(await ethers.provider.getCode(expected)).to.equal("0x");

    const receipt = await minedOk(factory.create(7, { value: 1000n }));
    expect(receipt.contractAddress).to.equal(null);
    const event = createdChild(receipt);
    expect(event.child).to.equal(expected);
    expect([event.value, event.create2, event.salt]).to.deep.equal([7n, false, ethers.ZeroHash]);
    expect(await ethers.provider.getTransactionCount(factoryAddr)).to.equal(nonce + 1);

    const child = await ethers.getContractAt("Child", expected);
    expect(await child.value()).to.equal(7n);
    expect(await child.creator()).to.equal(factoryAddr);
    expect(await ethers.provider.getCode(expected)).to.equal(await bytecodeOf("Child"));
    expect(await ethers.provider.getBalance(expected)).to.equal(1000n);

    const second = createdChild(await minedOk(factory.create(8)));
    expect(second.child).to.equal(ethers.getCreateAddress({ from: factoryAddr, nonce: nonce + 1 }));
    expect(await factory.childCount()).to.equal(2n);
  });

  it("creates with CREATE2 at the address predicted off chain and on chain", async function () {
    const salt = ethers.hexlify(ethers.randomBytes(32));
    const initCode = ethers.concat([await bytecodeOf("Child", "bytecode"), ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [9])]);
    const predicted = ethers.getCreate2Address(factoryAddr, salt, ethers.keccak256(initCode));
    expect(await factory.predict(salt, 9)).to.equal(predicted);
    expect(await factory.create2.staticCall(salt, 9)).to.equal(predicted);
    expect(await ethers.provider.getCode(predicted)).to.equal("0x");

    const nonce = await ethers.provider.getTransactionCount(factoryAddr);
    const receipt = await minedOk(factory.create2(salt, 9));
    const event = createdChild(receipt);
    expect([event.child, event.value, event.create2, event.salt]).to.deep.equal([predicted, 9n, true, salt]);
    expect(await ethers.provider.getCode(predicted)).to.equal(await bytecodeOf("Child"));
    expect(await (await ethers.getContractAt("Child", predicted)).value()).to.equal(9n);
    // CREATE2 also increments the creator's nonce.
    expect(await ethers.provider.getTransactionCount(factoryAddr)).to.equal(nonce + 1);

    // Same salt and init code again: the address is taken, so creation fails.
    await expectRevert(factory.create2.staticCall(salt, 9), factory.interface);
    // Same salt, other constructor argument: another address.
    const other = await factory.create2.staticCall(salt, 10);
    expect(other).to.equal(await factory.predict(salt, 10));
    expect(other).to.not.equal(predicted);
  });

  it("bubbles a constructor's require reason up through the factory", async function () {
    const { decoded } = await expectRevert(factory.create.staticCall(0), childIface);
    expect(decoded.reason).to.equal("Child: zero value");
    const viaCreate2 = await expectRevert(factory.create2.estimateGas(ethers.ZeroHash, 0), childIface);
    expect(viaCreate2.decoded.reason).to.equal("Child: zero value");
  });
});
