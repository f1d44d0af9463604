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

  // Newest first, each as ots_getBlockDetails gives it: the header with its transaction count,
  // not the block's hashes (thousands in a loaded block, which this page does not need).
  let blocks = [];
  let status = null;
  let stale = false; // a block arrived while the tab was hidden

  async function reload() {
    stale = false;
    const head = num(await call('eth_blockNumber'));
    const numbers = [];
    for (let n = head; n >= Math.max(0, head - WINDOW); n--) numbers.push(n);
    const answers = await batch([['chorus_nodeStatus'],
      ...numbers.map(n => ['ots_getBlockDetails', [n]])]);
    status = answers[0];
    blocks = answers.slice(1).filter(Boolean).map(d => d.block);
    await draw();
  }

  async function onHead(header) {
    // A hidden tab costs the node nothing: it reads again when it is shown.
    if (document.hidden) {
      stale = true;
      return;
    }
    if (blocks.length && num(header.number) <= num(blocks[0].number)) return;
    const [details, nodeStatus] = await batch([['ots_getBlockDetailsByHash', [header.hash]],
      ['chorus_nodeStatus']]);
    if (!details) return;
    status = nodeStatus;
    blocks.unshift(details.block);
    blocks.length = Math.min(blocks.length, WINDOW + 1);
    await draw();
  }

  async function draw() {
    const head = blocks[0];
    const oldest = blocks[blocks.length - 1];
    const span = num(head.timestamp) - num(oldest.timestamp);
    const txCount = blocks.slice(0, -1).reduce((s, b) => s + b.transactionCount, 0);
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
      card(t('home.txChart', ordered.length), bars(ordered.map(b => b.transactionCount),
        ordered.map(b => t('home.txBar', num(b.number), b.transactionCount)),
        { label: t('home.txChart', ordered.length) })),
      card(t('home.timeChart', gaps.length), bars(gaps,
        gaps.map((g, i) => t('home.timeBar', num(ordered[i + 1].number), g)),
        { label: t('home.timeChart', gaps.length) })));

    fill(blocksCard, table([t('block.number'), t('block.age'), t('block.txs'),
      t('block.proposer')], blocks.slice(0, LATEST).map(b => [blockLink(b.number),
      ago(num(b.timestamp)), String(b.transactionCount), addressLink(b.miner)]),
    { id: 'latest-blocks' }));

    // The newest transactions, read by position from the newest blocks that have any.
    const positions = [];
    for (const b of blocks) {
      for (let i = b.transactionCount - 1; i >= 0 && positions.length < LATEST; i--) {
        positions.push([b.number, quantity(i)]);
      }
    }
    const txs = await batch(positions.map(p => ['eth_getTransactionByBlockNumberAndIndex', p]));
    fill(txsCard, positions.length === 0 ? note(t('home.noTxs')) : table(
      [t('tx.hash'), t('tx.from'), t('tx.to'), t('block.number')],
      txs.filter(Boolean).map(x => [txLink(x.hash), addressLink(x.from),
        x.to ? addressLink(x.to) : t('tx.creation'), blockLink(x.blockNumber)]),
      { id: 'latest-txs' }));
  }

  await reload();
  const shown = () => {
    if (!document.hidden && stale) reload().catch(console.error);
  };
  document.addEventListener('visibilitychange', shown);
  const live = h('span', { class: 'live', id: 'live' });
  view.querySelector('h1').append(live);
  let first = true;
  const stop = subscribeHeads(header => onHead(header).catch(console.error), connected => {
    live.textContent = connected ? t('home.live') : t('home.offline');
    live.className = 'live ' + (connected ? 'on' : 'off');
    // After a reconnect (e.g. the node restarted) blocks may have been missed: read again.
    if (connected && !first) reload().catch(console.error);
    first = false;
  });
  return () => {
    stop();
    document.removeEventListener('visibilitychange', shown);
  };
}

function stat(label, value, id) {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label),
    h('div', { class: 'value', id }, value));
}
