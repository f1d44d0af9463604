// Notarization (存证): drop a file and the browser hashes it here (it never leaves the
// machine), then asks the node whether and when that hash was notarized; look a record up by
// id; check a proof bundle in the browser against a genesis file (or this node's genesis).
import { h, add, fill, card, facts, note } from '../dom.js';
import { t } from '../i18n.js';
import { call, rest, RestError } from '../rpc.js';
import { blockLink, addressLink, dateTime, txLink } from '../format.js';
import { hashBlob, toHex } from '../crypto/hash.js';
import { verifyNotaryProof, trustRootFromGenesis, trustRootFromJson } from '../crypto/proof.js';

export const name = 'notary';
const ALGORITHMS = ['sm3', 'sha256'];

export async function render(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const fileResult = h('div', { id: 'file-result' });
  const result = h('div', { id: 'notary-result' });
  const bundleResult = h('div', { id: 'bundle-result' });
  const idInput = h('input', { id: 'record-id', size: 48, value: params.get('id') || '',
    placeholder: t('notary.idPlaceholder') });
  const fileInput = h('input', { type: 'file', id: 'file-input',
    onchange: () => fileInput.files[0] && checkFile(fileInput.files[0], fileResult) });
  const drop = h('label', { class: 'drop', id: 'file-drop', for: 'file-input' },
    t('notary.drop'), fileInput);
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) checkFile(e.dataTransfer.files[0], fileResult);
  });
  let digests = null; // the last dropped file's, to tell whether a bundle proves that file
  fileResult.addEventListener('hashed', e => { digests = e.detail; });

  const bundleInput = h('input', { type: 'file', id: 'bundle-input', accept: '.json' });
  const genesisInput = h('input', { type: 'file', id: 'genesis-input', accept: '.json' });
  const verify = h('button', { type: 'button', id: 'bundle-verify', onclick: () =>
    checkBundle(bundleInput.files[0], genesisInput.files[0], digests, bundleResult) },
  t('notary.verify'));

  add(view, h('h1', null, t('notary.title')),
    card(t('notary.checkFile'), h('p', { class: 'muted' }, t('notary.localOnly')), drop,
      fileResult),
    card(t('notary.lookUp'), h('form', { onsubmit: event => {
      event.preventDefault();
      show(result, () => rest('/api/v1/notary/records/' + encodeURIComponent(
        idInput.value.trim())));
    } }, idInput, ' ', h('button', { type: 'submit', id: 'record-lookup' }, t('notary.find'))),
    result),
    card(t('notary.checkBundle'), h('p', { class: 'muted' }, t('notary.bundleExplain')),
      facts([[t('notary.bundle'), bundleInput], [t('notary.genesis'), genesisInput]]), verify,
      bundleResult));
  if (params.get('id')) {
    await show(result, () => rest('/api/v1/notary/records/' + encodeURIComponent(
      params.get('id'))));
  }
}

async function checkFile(file, out) {
  const progress = h('progress', { max: file.size || 1, value: 0 });
  fill(out, h('p', null, t('notary.hashing', file.name), ' ', progress));
  const digests = await hashBlob(file, ALGORITHMS, done => { progress.value = done; });
  const hex = Object.fromEntries(ALGORITHMS.map(a => [a, toHex(digests[a])]));
  out.dispatchEvent(new CustomEvent('hashed', { detail: hex }));
  const shown = facts(ALGORITHMS.map(a => [a.toUpperCase(), h('span', { class: 'mono',
    id: 'digest-' + a }, hex[a])]));
  for (const a of ALGORITHMS) {
    try {
      fill(out, shown, recordCard(await rest('/api/v1/notary/records/by-hash/' + hex[a])));
      return;
    } catch (e) {
      if (!(e instanceof RestError && e.status === 404)) {
        fill(out, shown, note(e.message, 'error'));
        return;
      }
    }
  }
  fill(out, shown, note(t('notary.notFound'), 'warn'));
}

async function show(result, lookUp) {
  fill(result, note(t('loading')));
  try {
    fill(result, recordCard(await lookUp()));
  } catch (e) {
    const missing = e instanceof RestError && e.status === 404;
    fill(result, note(missing ? t('notary.notFound') : e.message, missing ? 'warn' : 'error'));
  }
}

async function checkBundle(bundleFile, genesisFile, digests, out) {
  if (!bundleFile) {
    fill(out, note(t('notary.chooseBundle'), 'error'));
    return;
  }
  try {
    const bundle = JSON.parse(await bundleFile.text());
    const root = genesisFile ? trustRootFromGenesis(JSON.parse(await genesisFile.text()))
      : trustRootFromJson(await call('chorus_trustRoot'));
    const verdict = verifyNotaryProof(bundle, root);
    // Bound to the dropped file when one of its digests is the one the bundle proves.
    const matches = verdict.proven && digests
      ? Object.values(digests).includes(verdict.digest) : null;
    const against = genesisFile ? t('notary.againstFile', genesisFile.name)
      : t('notary.againstNode');
    fill(out, verdict.proven
      ? card(t('notary.proven'), h('p', { class: 'badge ok', id: 'bundle-verdict' },
        t('notary.provenBadge')), facts([
        [t('notary.trust'), against],
        [t('notary.id'), verdict.id ?? null],
        [t('notary.version'), verdict.version ?? null],
        [t('notary.hash'), h('span', { class: 'mono' }, verdict.digest)],
        [t('notary.fileMatches'), matches === null ? null : h('span', { id: 'file-matches',
          class: 'badge ' + (matches ? 'ok' : 'bad') }, matches ? t('notary.matches')
          : t('notary.differs'))],
        [t('notary.depositor'), verdict.depositor ? addressLink(verdict.depositor,
          verdict.depositor) : null],
        [t('notary.when'), verdict.proof?.timestamp ? dateTime(verdict.proof.timestamp) : null],
        [t('tx.block'), verdict.proof?.blockNumber !== undefined
          ? blockLink(verdict.proof.blockNumber) : null],
        [t('notary.signers'), verdict.proof?.signers ? verdict.proof.signers.length : null],
      ]))
      : card(t('notary.notProven'), h('p', { class: 'badge bad', id: 'bundle-verdict' },
        t('notary.notProvenBadge')), facts([[t('notary.trust'), against],
        [t('notary.failedStep'), verdict.step], [t('notary.reason'), verdict.reason]])));
  } catch (e) {
    fill(out, note(e.message, 'error'));
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
    h('a', { href: r.links.proof, download: `${r.id}.proof.json`, id: 'proof-link' },
      t('notary.proof')),
    ' · ', h('a', { href: r.links.certificate }, t('notary.pdf'))));
}
