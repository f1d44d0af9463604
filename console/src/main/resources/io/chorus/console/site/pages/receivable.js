// A receivable's piece (供应链金融): its state, its receivable's terms, the offer or financing on
// it, court orders, its steps (each proof checked in this browser against the node's genesis)
// and its receivable's lineage as an indented tree. A logged-in party acts on it here: the
// holder splits, transfers or offers it, the bank offered accepts or declines, the obligor pays.
import { h, add, fill, card, facts, note, table } from '../dom.js';
import { t } from '../i18n.js';
import { call, settle, rest, token, RestError } from '../rpc.js';
import { addressLink, blockLink, dateTime, txLink, isAddress, quantity } from '../format.js';
import { verifyBundle, trustRootFromJson } from '../crypto/proof.js';
import { dueIn, hundredths, money, provesStep, treeRows } from '../receivables.js';
import * as login from './login.js';

export const name = 'receivable';
const API = '/api/v1/receivables/pieces/';

export async function render(view, id) {
  let piece;
  try {
    piece = await rest(API + id);
  } catch (e) {
    if (!(e instanceof RestError) || e.status >= 500) throw e;
    add(view, h('h1', null, t('scf.pieceTitle', id)), note(e.message, 'error'));
    return;
  }
  const terms = piece.terms;
  add(view, h('h1', null, t('scf.pieceTitle', id), stateBadges(piece, 'piece-state')),
    pieceCard(piece), piece.confidential ? openingCard(piece) : null,
    termsCard(terms, piece), financingCard(piece, terms.currency),
    piece.courtOrders.length ? card(t('scf.courtOrders'), table([t('scf.orderKind'),
      t('scf.orderReference')], piece.courtOrders.map(o => [o.kind, o.reference]),
    { id: 'court-orders' })) : null,
    actCard(piece),
    stepsCard(piece),
    treeCard(piece));
}

// A piece's state and flags as badges: financed, frozen, overdue.
export function stateBadges(piece, id) {
  return h('span', { class: 'badges', id },
    h('span', { class: 'badge scf-' + piece.state }, t('scf.state.' + piece.state)),
    piece.frozen ? h('span', { class: 'badge bad' }, t('scf.frozen')) : null,
    piece.overdue ? h('span', { class: 'badge bad' }, t('scf.overdue')) : null);
}

// An amount, or for a confidential piece (null: only its parties read it) a badge saying so.
export const amount = (value, currency) => value == null
  ? h('span', { class: 'amount badge confidential', title: t('scf.confidentialHint') },
    t('scf.confidential'))
  : h('span', { class: 'amount' }, money(value) + ' ' + currency);

// Maturity as a date with the days left or overdue (by the browser's clock), unless paid.
export function maturity(seconds, piece) {
  const due = dueIn(seconds, Date.now() / 1000);
  const when = piece?.state === 'paid' ? null : due.overdue
    ? h('span', { class: 'badge bad' }, due.days === 0 ? t('scf.overdueToday')
      : t('scf.overdueDays', due.days))
    : h('span', { class: 'muted' }, due.days === 1 ? t('scf.dueInADay')
      : t('scf.dueInDays', due.days));
  return [dateTime(seconds), ' ', when];
}

const pieceLink = id => h('a', { href: '#/receivable/' + id, class: 'mono' }, '#' + id);

function pieceCard(p) {
  return card(t('scf.piece'), facts([
    [t('scf.value'), amount(p.value, p.terms.currency), 'piece-value'],
    [t('scf.holder'), addressLink(p.holder, p.holder), 'piece-holder'],
    [t('scf.lienHolder'), p.lienHolder ? addressLink(p.lienHolder, p.lienHolder) : null],
    [t('scf.root'), p.root === p.id ? t('scf.isRoot') : pieceLink(p.root)],
    [t('scf.parent'), p.parent ? pieceLink(p.parent) : null],
    [t('scf.children'), p.children.length ? p.children.map((c, i) =>
      [i ? ', ' : '', pieceLink(c)]) : null],
    [t('scf.paymentRef'), p.paymentRef ? p.paymentRef.text ?? p.paymentRef.hex : null],
    [t('scf.slot'), h('span', { class: 'mono' }, p.slot)],
    [t('scf.commitment'), p.confidential ? h('span', { class: 'mono' }, p.commitment) : null,
      'piece-commitment'],
  ]));
}

// A confidential piece's amounts as the logged-in account opens them (its node opens the
// sealed openings with the account's key and checks them against the commitment).
function openingCard(p) {
  const out = h('div', { id: 'opening' });
  const currency = p.terms.currency;
  if (!token()) {
    fill(out, note(t('scf.openingLogin')));
  } else {
    rest(API + p.id + '/opening').then(o => fill(out, facts([
      [t('scf.value'), amount(o.value, currency), 'opening-value'],
      [t('scf.price'), o.price == null ? null : amount(o.price, currency), 'opening-price'],
    ])), e => fill(out, note(e.status === 403 ? t('scf.notAParty') : e.message,
      e.status === 403 ? null : 'error')));
  }
  return card(t('scf.opening'), out);
}

function termsCard(terms, piece) {
  const documents = h('ul', { class: 'documents', id: 'documents' }, terms.documents.map(d =>
    h('li', { dataset: { digest: d } }, h('span', { class: 'mono' }, d))));
  linkNotarized(documents);
  return card(t('scf.terms'), facts([
    [t('scf.obligor'), addressLink(terms.obligor, terms.obligor), 'terms-obligor'],
    [t('scf.supplier'), addressLink(terms.supplier, terms.supplier)],
    [t('scf.faceValue'), amount(terms.faceValue, terms.currency), 'terms-face'],
    [t('scf.maturity'), maturity(terms.maturity, piece), 'terms-maturity'],
    [t('scf.issuedAt'), dateTime(terms.issuedAt)],
    [t('scf.termsDigest'), h('span', { class: 'mono' }, terms.termsDigest)],
    [t('scf.documents'), documents],
  ]));
}

// A document hash that is a notarization's content digest links to that record's page.
async function linkNotarized(list) {
  const items = [...list.children];
  const answers = await settle(items.map(li => ['chorus_search', [li.dataset.digest]]));
  answers.forEach((matches, i) => {
    const record = Array.isArray(matches) && matches.find(m => m.kind === 'notary-record');
    if (record) {
      fill(items[i], h('a', { href: '#/notary?id=' + encodeURIComponent(record.id),
        class: 'notarized mono' }, items[i].dataset.digest), ' ',
      h('span', { class: 'badge ok' }, t('scf.notarized', record.id)));
    }
  });
}

function financingCard(p, currency) {
  if (p.financing) {
    return card(t('scf.financing'), facts([
      [t('scf.bank'), addressLink(p.financing.bank, p.financing.bank), 'financing-bank'],
      [t('scf.price'), amount(p.financing.price, currency), 'financing-price'],
      [t('scf.discount'), amount(p.financing.discount, currency), 'financing-discount'],
      [t('scf.financedAt'), dateTime(p.financing.financedAt)],
    ]));
  }
  if (p.offer) {
    return card(t('scf.offer'), facts([
      [t('scf.bank'), addressLink(p.offer.bank, p.offer.bank), 'offer-bank'],
      [t('scf.price'), amount(p.offer.price, currency), 'offer-price'],
    ]));
  }
  return null;
}

let trustRoot = null; // this node's genesis, fetched once per page load

function stepsCard(p) {
  const rows = p.steps.map(s => {
    const result = h('span', { class: 'proof-result' });
    const other = s.kind === 'split-from' ? s.from : s.kind === 'split-to' ? s.to : null;
    return [h('span', { class: 'step-kind' }, t('scf.step.' + s.kind)),
      other ? pieceLink(other) : '—', blockLink(s.blockNumber), txLink(s.txHash),
      h('span', null, h('button', { type: 'button', class: 'link verify-proof',
        onclick: () => verifyStep(p.id, s, result) }, t('scf.verify')), ' ', result)];
  });
  return card(t('scf.steps'), rows.length ? table([t('scf.step'), t('scf.otherPiece'),
    t('tx.block'), t('tx.title'), t('scf.proof')], rows, { id: 'steps' })
    : note(t('scf.noSteps')));
}

async function verifyStep(id, step, out) {
  fill(out, t('scf.verifying'));
  try {
    trustRoot = trustRoot || trustRootFromJson(await call('chorus_trustRoot'));
    const bundle = await call('chorus_getLogProof', [step.txHash, quantity(step.logIndex)]);
    const verdict = provesStep(verifyBundle(bundle, trustRoot), step, id);
    fill(out, verdict.proven
      ? h('span', { class: 'badge ok proof-verdict' }, t('scf.proven', verdict.blockNumber,
        verdict.signers))
      : h('span', { class: 'badge bad proof-verdict' }, t('scf.notProven', verdict.reason)));
  } catch (e) {
    fill(out, h('span', { class: 'badge bad proof-verdict' }, t('scf.notProven', e.message)));
  }
}

function treeCard(p) {
  const out = h('div', { id: 'lineage' }, note(t('loading')));
  drawTree(p.id, out);
  return card(t('scf.lineage'), out);
}

async function drawTree(id, out) {
  try {
    const tree = await rest(API + id + '/tree');
    const currency = tree.terms.currency;
    fill(out, h('ul', { class: 'piece-tree' }, treeRows(tree.pieces).map(({ piece, depth }) =>
      h('li', { class: 'depth' + Math.min(depth, 12) + (piece.id === id ? ' current' : ''),
        style: { paddingLeft: 4 + depth * 18 + 'px' },
        dataset: { id: piece.id, depth, value: piece.value, holder: piece.holder,
          state: piece.state } },
      depth ? h('span', { class: 'branch' }, '└ ') : null, pieceLink(piece.id), ' ',
      amount(piece.value, currency), ' ', addressLink(piece.holder), ' ',
      stateBadges(piece)))),
    h('p', { class: 'legend', id: 'tree-sum' }, tree.sum == null
      ? t('scf.treeSumConfidential', tree.count)
      : t('scf.treeSum', tree.count, money(tree.sum) + ' ' + currency)));
  } catch (e) {
    fill(out, note(e.message, 'error'));
  }
}

// ---- a logged-in party's writes ------------------------------------------------------------

function actCard(p) {
  const me = login.current()?.account?.toLowerCase();
  if (!me) return card(t('scf.act'), note(t('scf.loginToAct')));
  const message = h('div', { id: 'act-message' });
  const forms = [];
  const holder = p.holder.toLowerCase() === me;
  const usable = !p.frozen && p.state === 'active';
  if (holder && usable) {
    forms.push(form('split', t('scf.split'), [['to', t('scf.to'), '0x…'],
      ['value', t('scf.amount', p.terms.currency), '100000.00']], message, p.id));
    forms.push(form('transfer', t('scf.transfer'), [['to', t('scf.to'), '0x…']], message,
      p.id));
    forms.push(form('offer', t('scf.offerTo'), [['bank', t('scf.bank'), '0x…'],
      ['price', t('scf.price'), '95000.00']], message, p.id));
  }
  if (p.state === 'offered' && (holder || p.offer?.bank.toLowerCase() === me)) {
    if (!holder) forms.push(form('accept', t('scf.accept'), [], message, p.id));
    forms.push(form('cancel-offer', holder ? t('scf.withdraw') : t('scf.decline'), [],
      message, p.id));
  }
  if (p.terms.obligor.toLowerCase() === me && p.state !== 'paid' && p.value !== '0') {
    forms.push(form('pay', t('scf.pay'), [['paymentRef', t('scf.paymentRef'), 'CNAPS-0001']],
      message, p.id));
  }
  return card(t('scf.act'), forms.length ? forms : note(t('scf.nothingToDo')), message);
}

// One write: its inputs (name, label, placeholder) and a button; amounts typed as currency.
function form(action, label, inputs, message, id) {
  const fields = inputs.map(([field, text, placeholder]) => [field, text,
    h('input', { id: `${action}-${field}`, placeholder, size: field === 'paymentRef' ? 24
      : isAmount(field) ? 16 : 44, autocomplete: 'off' })]);
  return h('form', { class: 'act', id: action + '-form', onsubmit: async event => {
    event.preventDefault();
    const body = { wait: true };
    for (const [field, text, input] of fields) {
      const value = input.value.trim();
      const parsed = isAmount(field) ? hundredths(value) : value;
      if (!parsed || (field === 'to' || field === 'bank') && !isAddress(value)) {
        fill(message, note(t(isAmount(field) ? 'scf.badAmount' : 'scf.badAccount', text,
          value), 'error'));
        return;
      }
      body[field] = parsed;
    }
    fill(message, note(t('scf.sending')));
    try {
      const answer = await rest(`${API}${id}/${action}`, { method: 'POST', body });
      // A split answers the new piece: show it; otherwise this piece, as it now is.
      const shown = action === 'split' && answer.id ? answer.id : id;
      if (String(shown) === String(id)) window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = '#/receivable/' + shown;
    } catch (e) {
      fill(message, refusal(e));
    }
  } }, h('strong', null, label), fields.map(([, text, input]) =>
    h('label', null, text, ' ', input)), h('button', { type: 'submit', id: action + '-submit' },
    label));
}

const isAmount = field => field === 'value' || field === 'price';

// The contract's refusal with its reason code and rule, or what else went wrong (a bad
// request with each field the node named). The data sharing forms show theirs the same way.
export function refusal(e) {
  const problem = e instanceof RestError ? e.problem : null;
  if (problem?.code) {
    return h('p', { class: 'note error', id: 'act-refused' }, t('scf.refused', problem.code,
      problem.rule, problem.detail));
  }
  const fields = Array.isArray(problem?.errors) ? problem.errors : [];
  return h('div', { class: 'note error', id: 'act-failed' }, e.message, fields.length
    ? h('ul', null, fields.map(f => h('li', null, h('span', { class: 'mono' }, f.field), ': ',
      f.detail))) : null);
}
