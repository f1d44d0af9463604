// Governance: proposals with their state, each member's vote linked to its transaction,
// progress toward the threshold; a logged-in committee member proposes and votes here.
import { h, add, fill, card, table, facts, note } from '../dom.js';
import { t } from '../i18n.js';
import { call, rest, RestError } from '../rpc.js';
import { blockLink, txLink, addressLink } from '../format.js';
import * as login from './login.js';

export const name = 'governance';

export async function render(view, id) {
  return id ? detail(view, Number(id)) : list(view);
}

async function list(view) {
  const proposals = await call('chorus_govProposals', []);
  add(view, h('h1', null, t('gov.title')),
    card(t('gov.proposals'), proposals.length === 0 ? note(t('gov.none')) : table(
      [t('gov.id'), t('gov.kind'), t('gov.fields'), t('gov.status'), t('gov.yes'), t('gov.no'),
        t('gov.proposer'), t('gov.expires')],
      proposals.map(p => [h('a', { href: '#/governance/' + p.id }, '#' + p.id),
        t('gov.kind.' + p.kind), p.fields.join(', '), statusTag(p.status), p.yesWeight,
        p.noWeight, addressLink(p.proposer), blockLink(p.expiresAt)]),
      { id: 'proposals' })));
  if (login.current()) add(view, await proposeForm());
  else add(view, note(t('gov.loginToPropose')));
}

async function detail(view, id) {
  let p;
  try {
    p = await rest('/api/v1/governance/proposals/' + id);
  } catch (e) {
    if (e instanceof RestError && e.status === 404) {
      add(view, note(t('gov.missing', id), 'error'));
      return;
    }
    throw e;
  }
  const required = BigInt(p.requiredWeight);
  const yes = BigInt(p.yesWeight);
  const percent = required > 0n ? Math.min(100, Number((yes * 100n) / required)) : 100;
  add(view, h('h1', null, t('gov.proposal', id)), card(null, facts([
    [t('gov.kind'), t('gov.kind.' + p.kind)],
    [t('gov.fields'), h('code', null, p.fields.join(', '))],
    [t('gov.status'), statusTag(p.status), 'proposal-status'],
    [t('gov.proposer'), addressLink(p.proposer, p.proposer)],
    [t('gov.created'), [blockLink(p.createdAt), p.proposed ? [' ', txLink(p.proposed.txHash)]
      : null]],
    [t('gov.expires'), blockLink(p.expiresAt)],
    [t('gov.progress'), h('div', { class: 'progress', id: 'progress' },
      h('div', { class: 'fill', style: { width: percent + '%' } }),
      h('span', null, t('gov.progressOf', p.yesWeight, p.requiredWeight, p.totalWeight)))],
    [t('gov.failure'), p.failure || null],
  ])));
  const me = login.current()?.account?.toLowerCase();
  const canVote = p.status === 'active' && me
    && p.committee.some(m => m.account.toLowerCase() === me && !m.vote);
  const message = h('div', { id: 'vote-message' });
  add(view, card(t('gov.committee'), table([t('gov.member'), t('gov.weight'), t('gov.vote'),
    t('gov.voteTx')], p.committee.map(m => [addressLink(m.account, m.account), m.weight,
    m.vote ? h('span', { class: 'badge ' + (m.vote === 'yes' ? 'ok' : 'bad') },
      t('gov.vote.' + m.vote)) : '—',
    m.txHash ? txLink(m.txHash) : '—']),
  { id: 'committee' }), canVote ? h('div', { class: 'actions' },
    h('button', { type: 'button', id: 'vote-yes', onclick: () => vote(id, true, message) },
      t('gov.voteYes')), ' ',
    h('button', { type: 'button', id: 'vote-no', onclick: () => vote(id, false, message) },
      t('gov.voteNo'))) : null, message));
}

async function vote(id, approve, message) {
  fill(message, note(t('gov.sending')));
  try {
    await rest(`/api/v1/governance/proposals/${id}/votes`, { method: 'POST',
      body: { approve, wait: true } });
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (e) {
    fill(message, note(e.message, 'error'));
  }
}

async function proposeForm() {
  const { kinds } = await rest('/api/v1/governance/kinds');
  const select = h('select', { id: 'propose-kind' }, kinds.map(k =>
    h('option', { value: k.kind }, t('gov.kind.' + k.kind))));
  const fields = h('input', { id: 'propose-fields', size: 60 });
  const hint = h('span', { class: 'muted' });
  const message = h('div', { id: 'propose-message' });
  const describe = () => {
    const kind = kinds.find(k => k.kind === select.value);
    hint.textContent = kind ? `${kind.describes} (${kind.types.join(', ')})` : '';
  };
  select.addEventListener('change', describe);
  describe();
  return card(t('gov.propose'), h('form', { class: 'propose', onsubmit: async event => {
    event.preventDefault();
    fill(message, note(t('gov.sending')));
    try {
      const answer = await rest('/api/v1/governance/proposals', { method: 'POST',
        body: { kind: select.value, fields: splitFields(fields.value), wait: true } });
      location.hash = '#/governance/' + answer.proposalId;
    } catch (e) {
      fill(message, note(e.message, 'error'));
    }
  } }, h('label', null, t('gov.kind'), ' ', select), ' ',
  h('label', null, t('gov.fields'), ' ', fields), ' ', hint, ' ',
  h('button', { type: 'submit', id: 'propose-submit' }, t('gov.submit'))), message);
}

// Fields are separated by commas outside brackets: "[0xa,0xb], 2" is two fields.
function splitFields(text) {
  const out = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function statusTag(status) {
  return h('span', { class: 'badge status-' + status }, t('gov.status.' + status));
}
