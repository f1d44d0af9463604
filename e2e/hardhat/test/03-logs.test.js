// Events in receipts and eth_getLogs filters: by address, topic, block range, block hash, OR positions.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { accounts, deploy, minedOk, bloomHas } = require("../lib/helpers");

describe("events and eth_getLogs", function () {
  let s0, s1, a, b, addrA, addrB;
  let r1, r2, r3, r4, r5; // receipts, each mined in a later block than the previous one
  let from, to, PING, PONG, PLAIN;
  // Tags unique to this run, so that topic-only filters cannot match logs of earlier runs.
  const TAG_X = ethers.hexlify(ethers.randomBytes(32));
  const TAG_Y = ethers.hexlify(ethers.randomBytes(32));
  const topicOf = (n) => ethers.toBeHex(n, 32);
  const getLogs = (filter) => ethers.provider.getLogs(filter);
  const key = (l) => `${l.transactionHash}/${l.index}`;

  before(async function () {
    [s0, s1] = await accounts();
    [a, b] = await Promise.all([deploy("Emitter", [], s0), deploy("Emitter", [], s1)]);
    [addrA, addrB] = await Promise.all([a.getAddress(), b.getAddress()]);
    PING = a.interface.getEvent("Ping").topicHash;
    PONG = a.interface.getEvent("Pong").topicHash;
    PLAIN = a.interface.getEvent("Plain").topicHash;
    r1 = await minedOk(a.connect(s0).ping(1, TAG_X, "one"));
    r2 = await minedOk(b.connect(s1).ping(2, TAG_Y, "two"));
    r3 = await minedOk(a.connect(s0).pong(3, 33));
    r4 = await minedOk(a.connect(s1).burst(4, TAG_X));
    r5 = await minedOk(b.connect(s0).pong(5, 55));
    from = r1.blockNumber;
    to = r5.blockNumber;
    expect(from < r2.blockNumber && r2.blockNumber < r3.blockNumber && r3.blockNumber < r4.blockNumber).to.equal(true);
  });

  it("puts the logs in the receipts, decodable by the ABI", async function () {
    expect(r1.logs.length).to.equal(1);
    const ping = a.interface.parseLog(r1.logs[0]);
    expect(ping.name).to.equal("Ping");
    expect([...ping.args]).to.deep.equal([s0.address, 1n, TAG_X, "one"]);
    expect(r1.logs[0].address).to.equal(addrA);
    expect(r1.logs[0].topics).to.deep.equal([PING, ethers.zeroPadValue(s0.address.toLowerCase(), 32), topicOf(1), TAG_X]);

    // Four logs in one transaction, in emission order, with consecutive log indexes.
    expect(r4.logs.map((l) => l.topics[0])).to.deep.equal([PING, PONG, PLAIN, topicOf(4)]);
    r4.logs.forEach((l, i) => expect(l.index).to.equal(r4.logs[0].index + i));
    const plain = a.interface.decodeEventLog("Plain", r4.logs[2].data, r4.logs[2].topics);
    expect([...plain]).to.deep.equal([4n, TAG_X]);
    expect(r4.logs[3].topics.length).to.equal(1); // anonymous event: no signature topic
  });

  it("sets the receipt and block logs blooms", async function () {
    const block = await ethers.provider.send("eth_getBlockByHash", [r1.blockHash, false]);
    for (const value of [addrA, PING, TAG_X, topicOf(1), ethers.zeroPadValue(s0.address, 32)]) {
      expect(bloomHas(r1.logsBloom, value), `receipt bloom has ${value}`).to.equal(true);
      expect(bloomHas(block.logsBloom, value), `block bloom has ${value}`).to.equal(true);
    }
    expect(bloomHas(r1.logsBloom, ethers.hexlify(ethers.randomBytes(32)))).to.equal(false);
    expect(bloomHas(r1.logsBloom, PONG)).to.equal(false);
  });

  it("filters by one address and returns logs identical to the receipts' in chain order", async function () {
    const logs = await getLogs({ address: addrA, fromBlock: from, toBlock: to });
    const expected = [...r1.logs, ...r3.logs, ...r4.logs];
    expect(logs.map(key)).to.deep.equal(expected.map(key));
    logs.forEach((l, i) => {
      const { removed, ...fields } = l.toJSON();
      const { removed: _, ...expectedFields } = expected[i].toJSON();
      expect(fields).to.deep.equal(expectedFields);
      expect(removed).to.equal(false);
    });
  });

  it("filters by several addresses", async function () {
    const logs = await getLogs({ address: [addrA, addrB], fromBlock: from, toBlock: to });
    expect(logs.map(key)).to.deep.equal([...r1.logs, ...r2.logs, ...r3.logs, ...r4.logs, ...r5.logs].map(key));
  });

  it("filters by event signature (topic 0)", async function () {
    const logs = await getLogs({ address: [addrA, addrB], topics: [PING], fromBlock: from, toBlock: to });
    expect(logs.map(key)).to.deep.equal([r1.logs[0], r2.logs[0], r4.logs[0]].map(key));
  });

  it("filters by an indexed argument, with wildcards before it", async function () {
    const bySender = await getLogs({
      address: [addrA, addrB],
      topics: [PING, ethers.zeroPadValue(s1.address, 32)],
      fromBlock: from,
      toBlock: to,
    });
    expect(bySender.map(key)).to.deep.equal([r2.logs[0], r4.logs[0]].map(key));

    // Only topic 3 given: no address, so this relies on the run-unique tag.
    const byTag = await getLogs({ topics: [null, null, null, TAG_X], fromBlock: from, toBlock: to });
    expect(byTag.map(key)).to.deep.equal([r1.logs[0], r4.logs[0]].map(key));
  });

  it("filters with OR alternatives in a topic position", async function () {
    const pingOrPong = await getLogs({ address: addrA, topics: [[PING, PONG]], fromBlock: from, toBlock: to });
    expect(pingOrPong.map(key)).to.deep.equal([r1.logs[0], r3.logs[0], r4.logs[0], r4.logs[1]].map(key));

    const ids = await getLogs({ address: [addrA, addrB], topics: [PING, null, [topicOf(2), topicOf(4)]], fromBlock: from, toBlock: to });
    expect(ids.map(key)).to.deep.equal([r2.logs[0], r4.logs[0]].map(key));

    const combined = await getLogs({
      address: [addrA, addrB],
      topics: [[PONG, PING], [topicOf(3), topicOf(5), ethers.zeroPadValue(s0.address, 32)]],
      fromBlock: from,
      toBlock: to,
    });
    expect(combined.map(key)).to.deep.equal([r1.logs[0], r3.logs[0], r5.logs[0]].map(key));

    // The anonymous event's first topic is its indexed argument.
    const anon = await getLogs({ address: addrA, topics: [[topicOf(4), topicOf(5)]], fromBlock: from, toBlock: to });
    expect(anon.map(key)).to.deep.equal([r4.logs[3]].map(key));
  });

  it("filters by block range", async function () {
    const one = await getLogs({ address: [addrA, addrB], fromBlock: r3.blockNumber, toBlock: r3.blockNumber });
    expect(one.map(key)).to.deep.equal(r3.logs.map(key));

    const tail = await getLogs({ address: [addrA, addrB], fromBlock: r4.blockNumber, toBlock: "latest" });
    expect(tail.map(key)).to.deep.equal([...r4.logs, ...r5.logs].map(key));

    const head = await getLogs({ address: [addrA, addrB], fromBlock: from, toBlock: r2.blockNumber });
    expect(head.map(key)).to.deep.equal([...r1.logs, ...r2.logs].map(key));

    const before = await getLogs({ address: [addrA, addrB], fromBlock: Math.max(0, from - 100), toBlock: from - 1 });
    expect(before).to.deep.equal([]);

    const none = await getLogs({ address: addrA, topics: [PLAIN], fromBlock: from, toBlock: r3.blockNumber });
    expect(none).to.deep.equal([]);
  });

  it("filters by block hash (EIP-234)", async function () {
    const logs = await getLogs({ blockHash: r4.blockHash, address: addrA });
    expect(logs.map(key)).to.deep.equal(r4.logs.map(key));
    const pongs = await getLogs({ blockHash: r4.blockHash, address: addrA, topics: [PONG] });
    expect(pongs.map(key)).to.deep.equal([r4.logs[1]].map(key));
  });

  it("serves typed event queries through the contract API", async function () {
    const events = await a.queryFilter(a.filters.Ping(null, null, TAG_X), from, to);
    expect(events.map((e) => [e.eventName, e.args.id, e.args.note])).to.deep.equal([
      ["Ping", 1n, "one"],
      ["Ping", 4n, "burst"],
    ]);
    const pongs = await b.queryFilter(b.filters.Pong(5), from, "latest");
    expect(pongs.map((e) => e.args.value)).to.deep.equal([55n]);
  });
});
