// Validators and network: each member online, lagging or down, with its recent seals as a
// strip (history from the chain's commit certificates), refreshed on every new block.
import { h, add, fill, card, table, note } from '../dom.js';
import { t } from '../i18n.js';
import { call, settle, missing, subscribeHeads } from '../rpc.js';
import { num, blockLink, addressLink } from '../format.js';

export const name = 'validators';
const WINDOW = 64;

export async function render(view) {
  const summary = h('div', { id: 'network-summary' });
  const list = h('div', { id: 'validators' });
  add(view, h('h1', null, t('validators.title')), summary, card(null, list));

  async function refresh() {
    const [health, status] = await settle([['chorus_validatorHealth', [WINDOW]],
      ['chorus_nodeStatus']]);
    if (status instanceof Error) throw status;
    const network = status.network;
    fill(summary, h('div', { class: 'stats' },
      stat(t('home.head'), blockLink(status.head.number)),
      stat(t('validators.peers'), network ? String(network.peers) : '—'),
      stat(t('validators.round'), network ? String(network.round) : '—'),
      stat(t('validators.thisNode'), network ? (network.consensusHalted
        ? t('validators.halted') : t('validators.running')) : t('home.finalityDev'))));
    if (health instanceof Error && !missing(health)) throw health;
    if (missing(health)) {
      fill(list, table([t('validators.address')],
        status.validators.map(v => [addressLink(v, v)])));
      return;
    }
    fill(list, table([t('validators.state'), t('validators.address'),
      t('validators.height'), t('validators.lastProposed'), t('validators.lastSigned'),
      t('validators.missed'), t('validators.certificate'), t('validators.history', WINDOW)],
    health.validators.map(v => [
      h('span', { class: 'light ' + v.status, title: v.statusReason },
        t('validators.status.' + v.status)),
      [addressLink(v.address, v.address), v.self ? h('span', { class: 'tag' },
        t('validators.self')) : null, v.name ? h('div', { class: 'muted' },
        [v.name, v.organisation].filter(Boolean).join(' · ')) : null],
      v.peerHead !== null && v.peerHead !== undefined ? String(num(v.peerHead)) : '—',
      v.lastProposed !== null && v.lastProposed !== undefined ? blockLink(v.lastProposed) : '—',
      v.lastSigned !== null && v.lastSigned !== undefined ? blockLink(v.lastSigned) : '—',
      String(num(v.missedRounds ?? 0)),
      v.certificateDaysToExpiry !== null && v.certificateDaysToExpiry !== undefined
        ? t('validators.days', v.certificateDaysToExpiry) : '—',
      strip(v.signed || '')]), { id: 'validator-table' }));
    list.querySelectorAll('tbody tr').forEach((row, i) => {
      row.dataset.address = health.validators[i].address.toLowerCase();
      row.dataset.status = health.validators[i].status;
    });
  }

  await refresh();
  let busy = false;
  const tick = () => {
    if (busy || document.hidden) return;
    busy = true;
    refresh().catch(e => fill(list, note(e.message, 'error')))
      .finally(() => { busy = false; });
  };
  // On every block; and when blocks stop (a stopped validator can halt them), every 3 s.
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      tick();
      arm();
    }, 3000);
  };
  const stop = subscribeHeads(() => {
    tick();
    arm();
  });
  arm();
  return () => {
    clearTimeout(timer);
    stop();
  };
}

function strip(bits) {
  return h('span', { class: 'strip', title: bits }, Array.from(bits, b =>
    h('i', { class: b === '1' ? 'on' : b === '0' ? 'off' : 'none' })));
}

function stat(label, value) {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label),
    h('div', { class: 'value' }, value));
}
