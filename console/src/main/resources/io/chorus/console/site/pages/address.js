// Address: balance, code, creator, and the transactions it sent or received, a page at a time
// from the node's account index (ots_searchTransactionsBefore), all of them exported as CSV.
import { h, add, fill, card, table, facts, note, pager } from '../dom.js';
import { t, pagerLabels } from '../i18n.js';
import { call, settle, rest } from '../rpc.js';
import * as login from './login.js';
import { num, units, grouped, blockLink, txLink, addressLink } from '../format.js';
import { statusBadge } from './block.js';

export const name = 'address';
const PAGE = 25;

export async function render(view, address) {
  const [balance, nonce, code, creator, registered] = await settle([
    ['eth_getBalance', [address, 'latest']], ['eth_getTransactionCount', [address, 'latest']],
    ['eth_getCode', [address, 'latest']], ['ots_getContractCreator', [address]]])
    .then(async answers => [...answers,
      // The registry names contracts only: an account is not asked about (no 404 to log).
      answers[2] === '0x' ? null : await rest('/api/v1/contracts/' + address).catch(e => e)]);
  for (const answer of [balance, nonce, code]) {
    if (answer instanceof Error) throw answer;
  }
  const contract = code !== '0x';
  const knownCreator = creator && !(creator instanceof Error) ? creator : null;
  const entry = registered instanceof Error ? null : registered;
  add(view, h('h1', null, contract ? t('address.contract') : t('address.account')),
    card(null, facts([
      [t('address.address'), h('span', { class: 'mono', id: 'address' }, address)],
      [t('address.name'), entry ? [h('span', { id: 'contract-name' }, entry.name), ' ',
        h('span', { class: 'tag' }, t('address.source.' + entry.source))] : null],
      [t('address.balance'), units(balance), 'balance'],
      [t('tx.nonce'), String(num(nonce))],
      [t('address.code'), contract ? t('address.codeBytes', grouped((code.length - 2) / 2))
        : null],
      [t('address.creator'), knownCreator ? [addressLink(knownCreator.creator,
        knownCreator.creator), ' ', t('address.inTx'), ' ', txLink(knownCreator.hash)] : null],
    ])), contract ? h('details', { class: 'card' }, h('summary', null, t('address.code')),
      h('pre', { class: 'data' }, code)) : null,
    contract && entry?.source !== 'system' ? abiForm(address, entry) : null);

  const historyCard = h('div', { id: 'history' });
  const csv = h('button', { type: 'button', id: 'csv',
    onclick: () => exportCsv(address).catch(e => alert(e.message)) }, t('address.csv'));
  add(view, card(t('address.historyTitle'), csv, historyCard));
  // Pages newest first from the node's account index; each page's cursor is the block below
  // its oldest transaction, and the cursors of the pages seen so far lead back.
  const cursors = [0];
  async function showPage(page) {
    const found = await call('ots_searchTransactionsBefore', [address, cursors[page], PAGE]);
    const rows = found.txs.map((tx, i) => ({ tx, receipt: found.receipts[i] }));
    if (!found.lastPage && rows.length) cursors[page + 1] = num(rows.at(-1).tx.blockNumber);
    fill(historyCard, rows.length === 0 ? note(t('address.noHistory')) : [
      table([t('tx.hash'), t('block.number'), t('address.direction'), t('address.counterparty'),
        t('tx.value'), t('tx.status')], rows.map(({ tx, receipt }) => {
        const out = tx.from.toLowerCase() === address.toLowerCase();
        const other = out ? (tx.to || receipt?.contractAddress) : tx.from;
        return [txLink(tx.hash), blockLink(tx.blockNumber),
          h('span', { class: 'tag ' + (out ? 'out' : 'in') }, out ? t('address.out')
            : t('address.in')), addressLink(other), units(tx.value),
          receipt ? statusBadge(receipt.status) : '—'];
      })),
      page > 0 || !found.lastPage ? pager(page, !found.lastPage, showPage, pagerLabels())
        : null]);
  }
  await showPage(0);
}

// Names the contract and uploads its ABI, so its calls and logs are decoded for everyone.
function abiForm(address, entry) {
  if (!login.current()) return note(t('address.loginToUpload'));
  const name = h('input', { id: 'abi-name', size: 32, value: entry?.name || '' });
  const abi = h('textarea', { id: 'abi-json', rows: 6, cols: 80,
    placeholder: '[{"type":"function","name":"…","inputs":[…]}]' });
  const message = h('div', { id: 'abi-message' });
  return card(t('address.uploadAbi'), h('form', { onsubmit: async event => {
    event.preventDefault();
    let parsed;
    try {
      parsed = JSON.parse(abi.value);
    } catch (e) {
      fill(message, note(t('address.abiNotJson', e.message), 'error'));
      return;
    }
    try {
      await rest('/api/v1/contracts/' + address, { method: 'PUT',
        body: { name: name.value.trim(), abi: parsed } });
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      const fields = e.problem?.errors?.map(x => `${x.field}: ${x.detail}`) || [];
      fill(message, note([e.message, ...fields].join('\n'), 'error'));
    }
  } }, h('label', null, t('address.name'), ' ', name), h('br'), abi, h('br'),
  h('button', { type: 'submit', id: 'abi-submit' }, t('address.upload'))), message);
}

// Every transaction of the account, newest first, page by page from the index.
async function exportCsv(address) {
  const lines = [['block', 'index', 'hash', 'from', 'to', 'contractCreated', 'value_wei',
    'status', 'gasUsed'].join(',')];
  let before = 0;
  for (;;) {
    const found = await call('ots_searchTransactionsBefore', [address, before, 100]);
    found.txs.forEach((tx, i) => {
      const receipt = found.receipts[i];
      lines.push([num(tx.blockNumber), num(tx.transactionIndex), tx.hash, tx.from, tx.to || '',
        receipt?.contractAddress || '', BigInt(tx.value).toString(),
        receipt.status === '0x1' ? 'success' : 'failed', num(receipt.gasUsed)].join(','));
    });
    if (found.lastPage || found.txs.length === 0) break;
    before = num(found.txs.at(-1).blockNumber);
  }
  const link = h('a', { href: URL.createObjectURL(new Blob([lines.join('\n') + '\n'],
    { type: 'text/csv' })), download: `chorus-${address}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}
