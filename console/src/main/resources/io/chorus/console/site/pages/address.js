// Address: balance, code, creator, and the transactions it sent or received, a page at a time
// from the node's account index, with a CSV export of what is listed.
import { h, add, fill, card, table, facts, note, pager } from '../dom.js';
import { t, pagerLabels } from '../i18n.js';
import { batch, settle, rest } from '../rpc.js';
import * as login from './login.js';
import { num, units, grouped, blockLink, txLink, addressLink } from '../format.js';
import { statusBadge } from './block.js';

export const name = 'address';
const PAGE = 25;
const HISTORY_MAX = 1000; // what the node's chorus_accountHistory answers at most

export async function render(view, address) {
  const [balance, nonce, code, creator, history, registered] = await settle([
    ['eth_getBalance', [address, 'latest']], ['eth_getTransactionCount', [address, 'latest']],
    ['eth_getCode', [address, 'latest']], ['ots_getContractCreator', [address]],
    ['chorus_accountHistory', [address, HISTORY_MAX]]]).then(async answers => [...answers,
    await rest('/api/v1/contracts/' + address).catch(e => e)]);
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

  const list = Array.isArray(history) ? history : [];
  const historyCard = h('div', { id: 'history' });
  const csv = h('button', { type: 'button', id: 'csv', disabled: list.length === 0,
    onclick: () => exportCsv(address, list).catch(e => alert(e.message)) }, t('address.csv'));
  add(view, card(t('address.history', list.length >= HISTORY_MAX
    ? HISTORY_MAX + '+' : list.length), csv, historyCard));
  if (history instanceof Error) {
    add(historyCard, note(history.message, 'error'));
    return;
  }
  async function showPage(page) {
    const rows = await details(list.slice(page * PAGE, (page + 1) * PAGE));
    fill(historyCard, list.length === 0 ? note(t('address.noHistory')) : [
      table([t('tx.hash'), t('block.number'), t('address.direction'), t('address.counterparty'),
        t('tx.value'), t('tx.status')], rows.map(({ tx, receipt }) => {
        const out = tx.from.toLowerCase() === address.toLowerCase();
        const other = out ? (tx.to || receipt?.contractAddress) : tx.from;
        return [txLink(tx.hash), blockLink(tx.blockNumber),
          h('span', { class: 'tag ' + (out ? 'out' : 'in') }, out ? t('address.out')
            : t('address.in')), addressLink(other), units(tx.value),
          receipt ? statusBadge(receipt.status) : '—'];
      })),
      list.length > PAGE ? pager(page, (page + 1) * PAGE < list.length, showPage,
        pagerLabels()) : null]);
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

async function details(entries) {
  const answers = await batch(entries.flatMap(e => [['eth_getTransactionByHash',
    [e.transactionHash]], ['eth_getTransactionReceipt', [e.transactionHash]]]));
  const out = [];
  for (let i = 0; i < answers.length; i += 2) out.push({ tx: answers[i], receipt: answers[i + 1] });
  return out;
}

async function exportCsv(address, list) {
  const lines = [['block', 'index', 'hash', 'from', 'to', 'contractCreated', 'value_wei',
    'status', 'gasUsed'].join(',')];
  for (let i = 0; i < list.length; i += 100) {
    for (const { tx, receipt } of await details(list.slice(i, i + 100))) {
      lines.push([num(tx.blockNumber), num(tx.transactionIndex), tx.hash, tx.from, tx.to || '',
        receipt?.contractAddress || '', BigInt(tx.value).toString(),
        receipt ? (receipt.status === '0x1' ? 'success' : 'failed') : 'pending',
        receipt ? num(receipt.gasUsed) : ''].join(','));
    }
  }
  const link = h('a', { href: URL.createObjectURL(new Blob([lines.join('\n') + '\n'],
    { type: 'text/csv' })), download: `chorus-${address}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}
