// Home: the head, finality, throughput and block times, the latest blocks and transactions,
// kept live by the node's newHeads feed (and re-read whole after a reconnect).
import { h, add, fill, card, table, note } from '../dom.js';
import { t } from '../i18n.js';
import { call, batch, subscribeHeads } from '../rpc.js';
import { num, grouped, ago, blockLink, txLink, addressLink, quantity } from '../format.js';
import { bars } from '../chart.js';

export const name = 'home';
const WINDOW = 60; // blocks in the charts and rates
const LATEST = 10;

export async function render(view) {
  const stats = h('div', { class: 'stats' });
  const charts = h('div', { class: 'charts' });
  const blocksCard = h('div');
  const txsCard = h('div');
  add(view, h('h1', null, t('home.title')), stats, charts,
    h('div', { class: 'columns' }, card(t('home.latestBlocks'), blocksCard),
      card(t('home.latestTxs'), txsCard)));

  let blocks = []; // newest first, each eth_getBlockByNumber(…, false)
  let status = null;

  async function reload() {
    const head = num(await call('eth_blockNumber'));
    const numbers = [];
    for (let n = head; n >= Math.max(0, head - WINDOW); n--) numbers.push(n);
    const answers = await batch([['chorus_nodeStatus'],
      ...numbers.map(n => ['eth_getBlockByNumber', [quantity(n), false]])]);
    status = answers[0];
    blocks = answers.slice(1).filter(Boolean);
    await draw();
  }

  async function onHead(header) {
    if (blocks.length && num(header.number) <= num(blocks[0].number)) return;
    const [block, nodeStatus] = await batch([['eth_getBlockByHash', [header.hash, false]],
      ['chorus_nodeStatus']]);
    if (!block) return;
    status = nodeStatus;
    blocks.unshift(block);
    blocks.length = Math.min(blocks.length, WINDOW + 1);
    await draw();
  }

  async function draw() {
    const head = blocks[0];
    const oldest = blocks[blocks.length - 1];
    const span = num(head.timestamp) - num(oldest.timestamp);
    const txCount = blocks.slice(0, -1).reduce((s, b) => s + b.transactions.length, 0);
    const rate = span > 0 ? txCount / span : 0;
    const interval = blocks.length > 1 ? span / (blocks.length - 1) : 0;
    const bft = status?.network !== null && status?.network !== undefined;
    fill(stats, 
      stat(t('home.head'), blockLink(head.number), 'head-number'),
      stat(t('home.finality'), bft ? t('home.finalityBft') : t('home.finalityDev'), 'finality'),
      stat(t('home.txRate'), rate.toFixed(rate < 10 ? 2 : 0), 'tx-rate'),
      stat(t('home.blockTime'), interval.toFixed(2) + ' s', 'block-time'),
      stat(t('home.pending'), grouped(status?.pendingTransactions ?? 0), 'pending'),
      stat(t('home.validators'), h('a', { href: '#/validators' },
        String(status?.validators?.length ?? 0)), 'validator-count'));

    const ordered = blocks.slice().reverse();
    const gaps = ordered.slice(1).map((b, i) => num(b.timestamp) - num(ordered[i].timestamp));
    fill(charts, 
      card(t('home.txChart', ordered.length), bars(ordered.map(b => b.transactions.length),
        ordered.map(b => t('home.txBar', num(b.number), b.transactions.length)),
        { label: t('home.txChart', ordered.length) })),
      card(t('home.timeChart', gaps.length), bars(gaps,
        gaps.map((g, i) => t('home.timeBar', num(ordered[i + 1].number), g)),
        { label: t('home.timeChart', gaps.length) })));

    fill(blocksCard, table([t('block.number'), t('block.age'), t('block.txs'),
      t('block.proposer')], blocks.slice(0, LATEST).map(b => [blockLink(b.number),
      ago(num(b.timestamp)), String(b.transactions.length), addressLink(b.miner)]),
    { id: 'latest-blocks' }));

    const hashes = [];
    for (const b of blocks) {
      for (const hash of b.transactions) {
        if (hashes.length < LATEST) hashes.push([hash, b]);
      }
    }
    const txs = await batch(hashes.map(([hash]) => ['eth_getTransactionByHash', [hash]]));
    fill(txsCard, hashes.length === 0 ? note(t('home.noTxs')) : table(
      [t('tx.hash'), t('tx.from'), t('tx.to'), t('block.number')],
      txs.filter(Boolean).map(x => [txLink(x.hash), addressLink(x.from),
        x.to ? addressLink(x.to) : t('tx.creation'), blockLink(x.blockNumber)]),
      { id: 'latest-txs' }));
  }

  await reload();
  const live = h('span', { class: 'live', id: 'live' });
  view.querySelector('h1').append(live);
  let first = true;
  return subscribeHeads(header => onHead(header).catch(console.error), connected => {
    live.textContent = connected ? t('home.live') : t('home.offline');
    live.className = 'live ' + (connected ? 'on' : 'off');
    // After a reconnect (e.g. the node restarted) blocks may have been missed: read again.
    if (connected && !first) reload().catch(console.error);
    first = false;
  });
}

function stat(label, value, id) {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label),
    h('div', { class: 'value', id }, value));
}
