// Block: header facts, who proposed it and who signed its commit certificate, gas and fees,
// its transactions a page at a time.
import { h, add, fill, card, table, facts, note, pager } from '../dom.js';
import { t, pagerLabels } from '../i18n.js';
import { call, batch, settle, missing } from '../rpc.js';
import { num, big, grouped, units, dateTime, ago, blockLink, txLink, addressLink, isHash,
  quantity } from '../format.js';

export const name = 'block';
const PAGE = 25;

export async function render(view, id) {
  const block = isHash(id) ? await call('eth_getBlockByHash', [id, false])
    : /^(0x[0-9a-fA-F]+|\d+)$/.test(id) ? await call('eth_getBlockByNumber', [quantity(id), false])
      : null;
  if (!block) {
    add(view, note(t('block.missing', id), 'error'));
    return;
  }
  const number = num(block.number);
  const [receipts, consensus] = await settle([['eth_getBlockReceipts', [block.number]],
    ['chorus_getBlockConsensus', [block.number]]]);
  let fees = 0n;
  if (Array.isArray(receipts)) {
    for (const r of receipts) fees += big(r.gasUsed) * big(r.effectiveGasPrice);
  }
  const burned = block.baseFeePerGas ? big(block.baseFeePerGas) * big(block.gasUsed) : 0n;
  add(view, h('h1', null, t('block.title', number)),
    h('div', { class: 'crumbs' }, number > 0 ? h('a', { href: '#/block/' + (number - 1) },
      '← ' + t('block.previous')) : null, ' ', h('a', { href: '#/block/' + (number + 1),
      id: 'next-block' }, t('block.next') + ' →')),
    card(null, facts([
      [t('block.hash'), h('span', { class: 'mono' }, block.hash)],
      [t('block.parent'), h('a', { href: '#/block/' + block.parentHash, class: 'mono' },
        block.parentHash)],
      [t('block.time'), `${dateTime(num(block.timestamp))} (${ago(num(block.timestamp))})`],
      [t('block.txs'), grouped(block.transactions.length)],
      [t('block.gas'), `${grouped(block.gasUsed)} / ${grouped(block.gasLimit)} (${
        (100 * num(block.gasUsed) / Math.max(1, num(block.gasLimit))).toFixed(1)} %)`],
      [t('block.baseFee'), block.baseFeePerGas ? grouped(block.baseFeePerGas) + ' wei' : null],
      [t('block.fees'), Array.isArray(receipts) ? units(fees) : null],
      [t('block.burned'), burned > 0n ? units(burned) : null],
      [t('block.stateRoot'), h('span', { class: 'mono' }, block.stateRoot)],
      [t('block.size'), block.size ? grouped(block.size) + ' B' : null],
    ])),
    consensusCard(block, consensus));

  const txCard = h('div', { id: 'block-txs' });
  add(view, card(t('block.txsTitle', block.transactions.length), txCard));
  async function showPage(page) {
    const hashes = block.transactions.slice(page * PAGE, (page + 1) * PAGE);
    const txs = await batch(hashes.map(hash => ['eth_getTransactionByHash', [hash]]));
    const byHash = new Map((Array.isArray(receipts) ? receipts : [])
      .map(r => [r.transactionHash, r]));
    fill(txCard, hashes.length === 0 ? note(t('block.noTxs')) : [
      table(['#', t('tx.hash'), t('tx.from'), t('tx.to'), t('tx.value'), t('tx.status')],
        txs.map(x => {
          const r = byHash.get(x.hash);
          return [String(num(x.transactionIndex)), txLink(x.hash), addressLink(x.from),
            x.to ? addressLink(x.to) : t('tx.creation'), units(x.value),
            r ? statusBadge(r.status) : '—'];
        })),
      block.transactions.length > PAGE ? pager(page,
        (page + 1) * PAGE < block.transactions.length, p => showPage(p), pagerLabels()) : null]);
  }
  await showPage(0);
}

function consensusCard(block, consensus) {
  if (consensus === null || consensus === undefined || missing(consensus)) {
    return card(t('block.consensus'), note(t('block.consensusNone')));
  }
  if (consensus instanceof Error) return card(t('block.consensus'), note(consensus.message,
    'error'));
  if (!consensus.certified) {
    return card(t('block.consensus'), facts([[t('block.proposer'),
      addressLink(consensus.proposer || block.miner, consensus.proposer || block.miner)],
    [t('block.round'), t('block.dev')]]));
  }
  const signed = new Set(consensus.signers.map(a => a.toLowerCase()));
  return card(t('block.consensus'), facts([
    [t('block.proposer'), addressLink(consensus.proposer, consensus.proposer)],
    [t('block.round'), String(num(consensus.round))],
    [t('block.quorum'), t('block.quorumOf', consensus.signers.length,
      consensus.validators.length, num(consensus.quorum))],
  ]), h('ul', { class: 'signers', id: 'signers' }, consensus.validators.map(v =>
    h('li', { class: signed.has(v.toLowerCase()) ? 'signed' : 'unsigned' },
      addressLink(v, v), ' ', signed.has(v.toLowerCase()) ? t('block.signed')
        : t('block.notSigned')))), h('p', { class: 'muted' }, t('block.quorumNote')));
}

export function statusBadge(status) {
  const ok = status === '0x1';
  return h('span', { class: 'badge ' + (ok ? 'ok' : 'bad') }, ok ? t('tx.success')
    : t('tx.failed'));
}
