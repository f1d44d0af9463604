// Supply-chain finance (供应链金融) for an account: the pieces it holds by maturity with totals
// per obligor and currency, a bank's financed book and an obligor's overdue pieces, each a
// page of the node's index at a time. The logged-in account's by default; ?account=0x… for
// another, which the node shows only to an account with the chain role receivables.regulator.
import { h, add, fill, card, facts, note, table, pager } from '../dom.js';
import { t, pagerLabels } from '../i18n.js';
import { settle, rest } from '../rpc.js';
import { addressLink, isAddress } from '../format.js';
import { keccak256, toHex, utf8 } from '../crypto/hash.js';
import { money } from '../receivables.js';
import { amount, maturity, stateBadges } from './receivable.js';
import * as login from './login.js';

export const name = 'receivables';
const API = '/api/v1/receivables';
const PAGE_DEFAULT = 25;
const PERMISSIONS = '0x0000000000000000000000000000000000001001';
// The permissions contract's role bits (Permissions.ROLE_RECEIVABLES_*).
const ROLE_OBLIGOR = 4n;
const ROLE_BANK = 8n;
const ROLE_REGULATOR = 32n;

export async function render(view) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const limit = Math.min(1000, Math.max(1, Number(params.get('limit')) || PAGE_DEFAULT));
  add(view, h('h1', null, t('scf.title')), openCard());
  const me = login.current()?.account;
  const asked = params.get('account');
  if (asked && !isAddress(asked)) {
    add(view, note(t('scf.badAccount', 'account', asked), 'error'));
    return;
  }
  const account = asked || me;
  if (!account) {
    add(view, note(t('scf.loginToList')));
    return;
  }
  const roles = await chainRoles(account);
  add(view, card(null, facts([
    [t('scf.account'), addressLink(account, account), 'scf-account'],
    [t('scf.roles'), roles & (ROLE_OBLIGOR | ROLE_BANK | ROLE_REGULATOR)
      ? h('span', { class: 'badges' },
        roles & ROLE_OBLIGOR ? h('span', { class: 'badge' }, t('scf.role.obligor')) : null,
        roles & ROLE_BANK ? h('span', { class: 'badge' }, t('scf.role.bank')) : null,
        roles & ROLE_REGULATOR ? h('span', { class: 'badge' }, t('scf.role.regulator')) : null)
      : t('scf.role.none'), 'scf-roles'],
  ])));
  const holdings = h('div', { id: 'holdings' });
  add(view, card(t('scf.holdings'), holdings));
  paged(holdings, `${API}/accounts/${account}/pieces`, limit, holdingsPage);
  // A bank's book, an obligor's overdue pieces: shown to the accounts holding those roles.
  if (roles & ROLE_BANK) {
    const book = h('div', { id: 'book' });
    add(view, card(t('scf.book'), book));
    paged(book, `${API}/banks/${account}/book`, limit, bookPage);
  }
  if (roles & ROLE_OBLIGOR) {
    const overdue = h('div', { id: 'overdue' });
    add(view, card(t('scf.overdueList'), overdue));
    paged(overdue, `${API}/obligors/${account}/overdue`, limit, overduePage);
  }
}

function openCard() {
  const input = h('input', { id: 'piece-id', size: 12, inputmode: 'numeric',
    placeholder: t('scf.pieceId') });
  return card(t('scf.open'), h('form', { onsubmit: event => {
    event.preventDefault();
    const id = input.value.trim().replace(/^#/, '');
    if (/^\d{1,19}$/.test(id)) location.hash = '#/receivable/' + id;
  } }, input, ' ', h('button', { type: 'submit', id: 'piece-open' }, t('scf.openPiece'))));
}

// The account's roles in the permissions contract (roles(address)); 0 when it cannot be read.
async function chainRoles(account) {
  const selector = toHex(keccak256(utf8('roles(address)'))).slice(0, 10);
  const data = selector + account.slice(2).toLowerCase().padStart(64, '0');
  const [answer] = await settle([['eth_call', [{ to: PERMISSIONS, data }, 'latest']]]);
  return typeof answer === 'string' && answer.length > 2 ? BigInt(answer) : 0n;
}

// A list the node pages with ?after=ID&limit=N: its first page, then the next ones on demand;
// the ids each page started after are kept so that Previous goes back.
function paged(out, path, limit, draw) {
  const starts = [0];
  const show = async page => {
    fill(out, note(t('loading')));
    try {
      const answer = await rest(`${path}?after=${starts[page]}&limit=${limit}`);
      const next = answer.next ? new URLSearchParams(answer.next.split('?')[1]).get('after')
        : null;
      if (next) starts[page + 1] = next;
      fill(out, draw(answer), starts.length > 1 || next
        ? pager(page, !!next, show, pagerLabels()) : null);
    } catch (e) {
      fill(out, note(e.message, 'error'));
    }
  };
  show(0);
}

const pieceLink = id => h('a', { href: '#/receivable/' + id, class: 'mono' }, '#' + id);
const byMaturity = pieces => [...pieces].sort((a, b) => a.maturity - b.maturity || a.id - b.id);

function holdingsPage(answer) {
  if (answer.pieces.length === 0) return note(t('scf.noHoldings'));
  // Unpaid value per obligor and currency, over the pieces of this page.
  const totals = new Map();
  for (const p of answer.pieces) {
    // Paid, or confidential and not opened by this account (no value): not counted.
    if (p.state === 'paid' || p.value == null) continue;
    const key = p.obligor + ' ' + p.currency;
    const sum = totals.get(key) || { obligor: p.obligor, currency: p.currency, count: 0,
      value: 0n };
    sum.count++;
    sum.value += BigInt(p.value);
    totals.set(key, sum);
  }
  return [table([t('scf.pieceCol'), t('scf.obligor'), t('scf.value'), t('scf.maturity'),
    t('scf.state')], byMaturity(answer.pieces).map(p => [pieceLink(p.id), addressLink(p.obligor),
    amount(p.value, p.currency), maturity(p.maturity, p), stateBadges(p)]),
  { id: 'holdings-list' }),
  h('h3', null, t('scf.totals')),
  table([t('scf.obligor'), t('scf.currency'), t('scf.pieces'), t('scf.outstanding')],
    [...totals.values()].map(s => [addressLink(s.obligor), s.currency, String(s.count),
      amount(s.value, s.currency)]), { id: 'holdings-totals' }),
  h('p', { class: 'legend', id: 'outstanding' }, t('scf.outstandingAll',
    Object.entries(answer.outstanding).map(([c, v]) => money(v) + ' ' + c).join(' · ') || '—'))];
}

function bookPage(answer) {
  if (answer.pieces.length === 0) return note(t('scf.noBook'));
  return [table([t('scf.pieceCol'), t('scf.holder'), t('scf.value'), t('scf.price'),
    t('scf.discount'), t('scf.maturity'), t('scf.state')], byMaturity(answer.pieces).map(p =>
    [pieceLink(p.id), addressLink(p.holder), amount(p.value, p.currency),
      amount(p.price, p.currency), amount(p.discount, p.currency), maturity(p.maturity, p),
      stateBadges(p)]), { id: 'book-list' }),
  h('h3', null, t('scf.totals')),
  table([t('scf.currency'), t('scf.paidOut'), t('scf.value'), t('scf.outstanding')],
    Object.entries(answer.totals).map(([c, s]) => [c, amount(s.paidOut, c), amount(s.value, c),
      amount(s.outstanding, c)]), { id: 'book-totals' })];
}

function overduePage(answer) {
  if (answer.pieces.length === 0) return note(t('scf.noOverdue'));
  return table([t('scf.pieceCol'), t('scf.value'), t('scf.holder'), t('scf.payee'),
    t('scf.maturity'), t('scf.state')], byMaturity(answer.pieces).map(p => [pieceLink(p.id),
    amount(p.value, p.currency), addressLink(p.holder), addressLink(p.payee),
    maturity(p.maturity, p), stateBadges(p)]), { id: 'overdue-list' });
}
