// Transaction: what it did (decoded input and logs, revert reason), its call tree from the
// node's tracer and the state it changed.
import { h, add, fill, card, table, facts, note } from '../dom.js';
import { t } from '../i18n.js';
import { call, settle, missing } from '../rpc.js';
import { num, big, grouped, units, dateTime, blockLink, addressLink, short } from '../format.js';
import { statusBadge } from './block.js';

export const name = 'tx';

export async function render(view, hash) {
  const [tx, receipt] = await settle([['eth_getTransactionByHash', [hash]],
    ['eth_getTransactionReceipt', [hash]]]);
  if (tx instanceof Error) throw tx;
  if (!tx) {
    add(view, note(t('tx.missing', hash), 'error'));
    return;
  }
  const mined = receipt && !(receipt instanceof Error);
  const [decoded, block] = await settle([['chorus_decodeTransaction', [hash]],
    ['eth_getBlockByNumber', [tx.blockNumber ?? 'latest', false]]]);
  const known = decoded && !(decoded instanceof Error) ? decoded : null;
  add(view, h('h1', null, t('tx.title')), card(null, facts([
    [t('tx.hash'), h('span', { class: 'mono', id: 'tx-hash' }, tx.hash)],
    [t('tx.status'), mined ? statusBadge(receipt.status) : t('tx.pending'), 'tx-status'],
    [t('tx.revert'), known?.revertReason ? h('span', { class: 'error-text', id: 'revert' },
      known.revertReason) : null],
    [t('tx.block'), tx.blockNumber ? blockLink(tx.blockNumber) : null],
    [t('block.time'), mined && block && !(block instanceof Error)
      ? dateTime(num(block.timestamp)) : null],
    [t('tx.from'), addressLink(tx.from, tx.from)],
    [t('tx.to'), tx.to ? [addressLink(tx.to, tx.to), known?.contractName
      ? h('span', { class: 'tag' }, known.contractName) : null]
      : [t('tx.creation'), ' ', mined && receipt.contractAddress
        ? addressLink(receipt.contractAddress, receipt.contractAddress) : null]],
    [t('tx.value'), units(tx.value)],
    [t('tx.nonce'), String(num(tx.nonce))],
    [t('tx.gasUsed'), mined ? `${grouped(receipt.gasUsed)} / ${grouped(tx.gas)}` : null],
    [t('tx.fee'), mined ? units(big(receipt.gasUsed) * big(receipt.effectiveGasPrice)) : null],
    [t('tx.type'), String(num(tx.type ?? '0x0'))],
  ])));

  const tabs = [['input', t('tx.tabInput')], ['logs', t('tx.tabLogs', mined
    ? receipt.logs.length : 0)], ['calls', t('tx.tabCalls')], ['state', t('tx.tabState')]];
  const body = h('div', { class: 'tab-body' });
  const bar = h('div', { class: 'tabs', role: 'tablist' }, tabs.map(([id, label]) =>
    h('button', { type: 'button', role: 'tab', id: 'tab-' + id, onclick: () => show(id) },
      label)));
  add(view, bar, body);

  async function show(id) {
    for (const b of bar.children) b.classList.toggle('active', b.id === 'tab-' + id);
    fill(body, note(t('loading')));
    let content;
    try {
      content = id === 'input' ? input(tx, decoded)
        : id === 'logs' ? logs(mined ? receipt.logs : [], known)
          : id === 'calls' ? await calls(hash, mined)
            : await stateChanges(hash, mined);
    } catch (e) {
      content = note(e.message, 'error');
    }
    fill(body, content);
  }
  await show('input');
}

function input(tx, decoded) {
  const raw = h('pre', { class: 'data', id: 'raw-input' }, tx.input);
  if (missing(decoded) || !decoded) return card(t('tx.input'), raw);
  if (decoded instanceof Error) return card(t('tx.input'), note(decoded.message, 'error'), raw);
  const fn = decoded.function;
  if (!fn) return card(t('tx.input'), note(decoded.creation ? t('tx.creationInput')
    : t('tx.undecoded')), raw);
  return card(t('tx.input'), h('div', { class: 'signature', id: 'function' },
    h('code', null, fn.signature), ' ', h('span', { class: 'tag' }, t('tx.source.' + fn.source))),
  args(decoded.arguments), h('details', null, h('summary', null, t('tx.raw')), raw));
}

function args(list) {
  return !list || list.length === 0 ? null : table([t('tx.argName'), t('tx.argType'),
    t('tx.argValue')], list.map(a => [a.name || '—', h('code', null, a.type),
    h('span', { class: 'mono' }, typeof a.value === 'object' ? JSON.stringify(a.value)
      : String(a.value))]), { class: 'list args' });
}

function logs(list, decoded) {
  if (list.length === 0) return note(t('tx.noLogs'));
  return h('div', { id: 'logs' }, list.map((log, i) => {
    const d = decoded?.logs?.[i];
    return card(null, facts([
      [t('tx.logIndex'), String(num(log.logIndex))],
      [t('tx.logAddress'), [addressLink(log.address, log.address), d?.contractName
        ? h('span', { class: 'tag' }, d.contractName) : null]],
      [t('tx.event'), d?.event ? h('code', null, d.event.signature) : null],
      [t('tx.topics'), h('pre', { class: 'data' }, log.topics.join('\n'))],
      [t('tx.data'), log.data !== '0x' ? h('pre', { class: 'data' }, log.data) : null],
    ]), d?.arguments ? args(d.arguments) : null);
  }));
}

async function calls(hash, mined) {
  if (!mined) return note(t('tx.notMined'));
  const root = await call('debug_traceTransaction', [hash, { tracer: 'callTracer' }]);
  const frame = (f, depth) => h('li', null,
    h('div', { class: 'frame' + (f.error ? ' failed' : '') },
      h('span', { class: 'tag' }, f.type), ' ', addressLink(f.from), ' → ',
      addressLink(f.to), f.value && big(f.value) > 0n ? ' ' + units(f.value) : null,
      ' ', h('code', null, (f.input || '0x').slice(0, 10)),
      h('span', { class: 'muted' }, ' gas ' + grouped(f.gasUsed || '0x0')),
      f.error ? h('span', { class: 'error-text' }, ' ' + f.error
        + (f.revertReason ? ': ' + f.revertReason : '')) : null),
    f.calls ? h('ul', null, f.calls.map(c => frame(c, depth + 1))) : null);
  return h('ul', { class: 'call-tree', id: 'call-tree' }, frame(root, 0));
}

async function stateChanges(hash, mined) {
  if (!mined) return note(t('tx.notMined'));
  let replay;
  try {
    replay = await call('trace_replayTransaction', [hash, ['stateDiff']]);
  } catch (e) {
    if (missing(e)) return note(t('tx.noStateDiff'));
    throw e;
  }
  const rows = [];
  const change = d => d === '=' ? null : d['+'] !== undefined ? ['', d['+']]
    : d['-'] !== undefined ? [d['-'], ''] : [d['*'].from, d['*'].to];
  for (const [address, diff] of Object.entries(replay.stateDiff || {})) {
    for (const field of ['balance', 'nonce', 'code']) {
      const c = diff[field] && change(diff[field]);
      if (c) rows.push([addressLink(address), t('tx.field.' + field), show(field, c[0]),
        show(field, c[1])]);
    }
    for (const [slot, d] of Object.entries(diff.storage || {})) {
      const c = change(d);
      if (c) rows.push([addressLink(address), h('span', { class: 'mono', title: slot },
        t('tx.field.storage') + ' ' + slot.slice(0, 10) + '…'), word(c[0]), word(c[1])]);
    }
  }
  return rows.length === 0 ? note(t('tx.noChanges')) : table([t('tx.logAddress'),
    t('tx.field'), t('tx.before'), t('tx.after')], rows.map(r => r.map(c =>
    typeof c === 'string' ? h('span', { class: 'mono' }, c) : c)), { id: 'state-changes' });
}

// A storage word without its leading zeros, long ones cut (the whole word in its title).
function word(value) {
  if (!value) return '—';
  const trimmed = '0x' + (value.slice(2).replace(/^0+/, '') || '0');
  return h('span', { class: 'mono', title: value }, short(trimmed, 12));
}

function show(field, value) {
  if (value === '' || value === undefined) return '—';
  if (field === 'balance') return units(value);
  if (field === 'nonce') return String(num(value));
  return value.length > 42 ? value.slice(0, 42) + '…' : value;
}
