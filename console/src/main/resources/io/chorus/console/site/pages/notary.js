// Notarization (存证): drop a file and the browser hashes it here (it never leaves the
// machine), then asks the node whether and when that hash was notarized; look a record up by
// id; check a proof bundle.
import { h, add, fill, card, facts, note } from '../dom.js';
import { t } from '../i18n.js';
import { rest, RestError } from '../rpc.js';
import { blockLink, addressLink, dateTime, txLink } from '../format.js';

export const name = 'notary';

export async function render(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const result = h('div', { id: 'notary-result' });
  const idInput = h('input', { id: 'record-id', size: 48, value: params.get('id') || '',
    placeholder: t('notary.idPlaceholder') });
  add(view, h('h1', null, t('notary.title')),
    card(t('notary.lookUp'), h('form', { onsubmit: event => {
      event.preventDefault();
      show(result, () => byId(idInput.value.trim()));
    } }, idInput, ' ', h('button', { type: 'submit', id: 'record-lookup' }, t('notary.find')))),
    result);
  if (params.get('id')) await show(result, () => byId(params.get('id')));
}

async function byId(id) {
  return rest('/api/v1/notary/records/' + encodeURIComponent(id));
}

export async function byHash(hash) {
  return rest('/api/v1/notary/records/by-hash/' + hash);
}

async function show(result, lookUp) {
  fill(result, note(t('loading')));
  try {
    fill(result, recordCard(await lookUp()));
  } catch (e) {
    fill(result, note(e instanceof RestError && e.status === 404
      ? t('notary.notFound') : e.message, e instanceof RestError && e.status === 404
      ? 'warn' : 'error'));
  }
}

export function recordCard(r) {
  return card(t('notary.found'), facts([
    [t('notary.id'), h('span', { class: 'mono', id: 'record-found-id' }, r.id)],
    [t('notary.version'), String(r.version)],
    [t('notary.hash'), h('span', { class: 'mono' }, `${r.algorithm}:${r.hash}`)],
    [t('notary.type'), r.type],
    [t('notary.depositor'), addressLink(r.depositor, r.depositor)],
    [t('notary.when'), dateTime(r.timestamp), 'record-time'],
    [t('tx.block'), blockLink(r.blockNumber)],
    [t('tx.title'), txLink(r.txHash)],
    [t('notary.metadata'), r.metadata ? h('pre', { class: 'data' },
      JSON.stringify(r.metadata, null, 2)) : null],
  ]), h('p', { class: 'actions' },
    h('a', { href: r.links.proof, download: `${r.id}.proof.json` }, t('notary.proof')),
    ' · ', h('a', { href: r.links.certificate }, t('notary.pdf'))));
}
