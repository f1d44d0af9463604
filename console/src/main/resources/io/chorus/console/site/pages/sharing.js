// Government data sharing (政务数据共享): the catalogue by providing department (#/sharing), a
// data set with its versions (#/sharing/dataset/N), a department's applications with their
// deadlines in working days and its grants in force (#/sharing/requests?department=…), and the
// audit trail of a data set or a department (#/sharing/audit?dataset=N or ?department=…), and
// an application with the steps its parties may take on it (#/sharing/request/N). Everything
// is read from the node's REST API under /api/v1/sharing, at its head; the writes
// (sharing-act.js) go to it too.
import { h, add, fill, card, facts, note, table, pager } from '../dom.js';
import { t, pagerLabels } from '../i18n.js';
import { settle, rest } from '../rpc.js';
import { addressLink, dateTime, short } from '../format.js';
import { keccak256, toHex, utf8 } from '../crypto/hash.js';
import { SHARING_CONTRACT, deadlineDay, deadlineStatus, decodeString, maskFields }
  from '../sharing.js';
import * as login from './login.js';
import { actCard, applyForm, decisionForms, fetchCommand, publishForm, purgeForm, recordsForm,
  versionForm } from './sharing-act.js';

export const name = 'sharing';
const API = '/api/v1/sharing';
const PERMISSIONS = '0x0000000000000000000000000000000000001001';
const ROLE_AUTHORITY = 16n; // Permissions.ROLE_SHARING_AUTHORITY
const PAGE_DEFAULT = 20;

export async function render(view, section, id) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  if (section === 'dataset') return datasetPage(view, id);
  if (section === 'requests') return requestsPage(view, params);
  if (section === 'request') return requestPage(view, id);
  if (section === 'audit') return auditPage(view, params);
  return cataloguePage(view, params);
}

function tabs(active) {
  return h('p', { class: 'sharing-tabs' }, [['', 'share.catalogue'],
    ['/requests', 'share.requests'], ['/audit', 'share.audit']].map(([path, key]) =>
    h('a', { href: '#/sharing' + path, class: path === active ? 'active' : null }, t(key))));
}

// ---- the catalogue ----------------------------------------------------------------------------

async function cataloguePage(view, params) {
  const department = params.get('department');
  add(view, h('h1', null, t('share.catalogue')), tabs(''));
  if (department) add(view, note(t('share.ofDepartment', department)));
  const out = h('div', { id: 'catalogue' });
  add(view, out);
  const query = department ? `department=${encodeURIComponent(department)}&` : '';
  paged(out, `${API}/datasets?${query}`, 100, page => {
    if (page.items.length === 0) return card(null, note(t('share.noDatasets')));
    // One card per providing department, in the order their first data set appears.
    const byProvider = new Map();
    for (const d of page.items) {
      if (!byProvider.has(d.provider)) byProvider.set(d.provider, []);
      byProvider.get(d.provider).push(d);
    }
    return [...byProvider].map(([provider, sets]) => h('section', { class: 'card' },
      h('h2', null, h('a', { href: '#/sharing?department=' + encodeURIComponent(provider) },
        provider)),
      table([t('share.id'), t('share.code'), t('share.titleCol'), t('share.class'),
        t('share.fields'), t('share.cycle'), t('share.version')], sets.map(d => [
        h('a', { href: '#/sharing/dataset/' + d.id, class: 'mono' }, '#' + d.id), d.code,
        d.latest.title, classBadge(d.latest.sharingClass), d.latest.fields.join(', '),
        t('share.cycle.' + d.latest.updateCycle), 'v' + d.latest.version]),
      { class: 'list catalogue', dataset: { provider } })));
  });
  // A department publishes here; the contract makes it the provider of what it publishes.
  const me = login.current()?.account;
  if (!me) {
    add(view, card(t('share.publishTitle'), note(t('share.loginToPublish'))));
    return;
  }
  const mine = await departmentOf(me);
  add(view, mine
    ? actCard(t('share.publishAs', mine), message => [publishForm(message)])
    : card(t('share.publishTitle'), note(t('share.noDepartmentToAct'))));
}

const classBadge = c => h('span', { class: 'badge share-' + c }, t('share.class.' + c));

// ---- a data set -------------------------------------------------------------------------------

async function datasetPage(view, id) {
  const d = await rest(`${API}/datasets/${id}`);
  const v = d.latest;
  add(view, h('h1', null, t('share.dataset', d.id), ' ', classBadge(v.sharingClass)),
    tabs(null), card(null, facts([
      [t('share.titleCol'), v.title, 'dataset-title'],
      [t('share.code'), d.code, 'dataset-code'],
      [t('share.provider'), h('a', { href: '#/sharing?department='
        + encodeURIComponent(d.provider) }, d.provider), 'dataset-provider'],
      [t('share.class'), t('share.class.' + v.sharingClass), 'dataset-class'],
      [t('share.cycle'), t('share.cycle.' + v.updateCycle), 'dataset-cycle'],
      [t('share.fields'), v.fields.join(', '), 'dataset-fields'],
      [t('share.version'), t('share.versionOf', v.version, d.versions), 'dataset-version'],
      [t('share.schemaHash'), h('span', { class: 'mono' }, v.schemaHash)],
      [t('share.publishedAt'), dateTime(d.createdAt)],
      [t('share.audit'), h('a', { href: '#/sharing/audit?dataset=' + d.id, id: 'dataset-audit' },
        t('share.auditOfDataset'))],
    ])));
  // Every version, newest first: the latest is in hand, the others are read one by one.
  const older = [];
  for (let n = d.versions - 1; n >= 1; n--) older.push(rest(`${API}/datasets/${id}/versions/${n}`));
  const versions = [v, ...await Promise.all(older)];
  add(view, card(t('share.versions'), table([t('share.version'), t('share.titleCol'),
    t('share.class'), t('share.cycle'), t('share.fields'), t('share.schemaHash'),
    t('share.publishedAt')], versions.map(x => ['v' + x.version, x.title,
    classBadge(x.sharingClass), t('share.cycle.' + x.updateCycle), x.fields.join(', '),
    h('span', { class: 'mono', title: x.schemaHash }, short(x.schemaHash)),
    dateTime(x.publishedAt)]), { id: 'versions' })));
  const me = login.current()?.account;
  if (!me) {
    add(view, card(t('share.actOnDataset'), note(t('share.loginToAct'))));
    return;
  }
  const [department, roles] = await Promise.all([departmentOf(me), chainRoles(me)]);
  // The provider changes its data set and the records its node serves; another department
  // applies for it (not for a data set not shared) and fetches with its own key.
  if (department === d.provider) {
    add(view, actCard(t('share.actProvider'), message => [versionForm(d, message),
      recordsForm(d, message)]));
  } else if (department && v.sharingClass !== 'not-shared') {
    add(view, actCard(t('share.actRequester', department), message => [applyForm(d, message)]),
      card(t('share.fetch'), fetchCommand(d.id)));
  }
  // Its applications, to its provider and the data authority only (the node says 403 to others,
  // so they are not asked).
  if (department !== d.provider && !(roles & ROLE_AUTHORITY)) return;
  const out = h('div', { id: 'dataset-requests' });
  add(view, card(t('share.applications'), out));
  paged(out, `${API}/datasets/${id}/requests?`, PAGE_DEFAULT, page => requestsTable(page.items,
    new Map([[d.id, d]]), 'dataset-requests-list'));
}

// ---- a department's applications and grants ---------------------------------------------------

async function requestsPage(view, params) {
  add(view, h('h1', null, t('share.requests')), tabs('/requests'));
  const me = login.current()?.account;
  if (!me) {
    add(view, note(t('share.loginToList')));
    return;
  }
  const [mine, roles] = await Promise.all([departmentOf(me), chainRoles(me)]);
  const authority = (roles & ROLE_AUTHORITY) !== 0n;
  const department = params.get('department') || mine;
  add(view, card(null, facts([
    [t('share.you'), addressLink(me, me)],
    [t('share.yourDepartment'), mine || t('share.noDepartment'), 'my-department'],
    authority ? [t('share.role'), h('span', { class: 'badge' }, t('share.authority')),
      'my-role'] : null,
  ]), departmentForm('#/sharing/requests', department)));
  if (authority) {
    const out = h('div', { id: 'overdue' });
    add(view, card(t('share.overdue'), out));
    rest(`${API}/overdue`).then(answer => fill(out, answer.items.length === 0
      ? note(t('share.noOverdue')) : requestsTable(answer.items, new Map(), 'overdue-list')))
      .catch(e => fill(out, note(e.message, 'error')));
  }
  if (!department) return;
  if (department !== mine && !authority) {
    add(view, note(t('share.notYours', department), 'error'));
    return;
  }
  const list = h('div', { id: 'requests' });
  const grants = h('div', { id: 'grants' });
  add(view, card(t('share.applicationsOf', department), list),
    card(t('share.grantsInForce'), grants));
  paged(list, `${API}/departments/${encodeURIComponent(department)}/requests?`, PAGE_DEFAULT,
    async page => {
      const datasets = await datasetsOf(page.items.map(r => r.dataset));
      const inForce = page.items.filter(r => r.state === 'granted');
      fill(grants, inForce.length === 0 ? note(t('share.noGrants')) : table([t('share.grant'),
        t('share.datasetCol'), t('share.grantedFields'), t('share.expires'),
        t('share.purpose')], inForce.map(r => [requestLink(r.id), datasetLink(r.dataset, datasets),
        r.grantedFields.join(', '), expiry(r.expiresAt), r.purpose]), { id: 'grants-list' }));
      return page.items.length === 0 ? note(t('share.noRequests'))
        : requestsTable(page.items, datasets);
    });
}

function departmentForm(route, department) {
  const input = h('input', { id: 'department', value: department || '', size: 20,
    placeholder: t('share.departmentName') });
  return h('form', { class: 'act', onsubmit: event => {
    event.preventDefault();
    const name = input.value.trim();
    if (name) location.hash = route + '?department=' + encodeURIComponent(name);
  } }, h('label', null, t('share.department'), input),
  h('button', { type: 'submit', id: 'department-open' }, t('share.show')));
}

function requestsTable(items, datasets, id = 'requests-list') {
  const now = Date.now() / 1000;
  return table([t('share.application'), t('share.datasetCol'), t('share.requester'),
    t('share.state'), t('share.deadline'), t('share.purpose'), t('share.askedFields'),
    t('share.grantedFields'), t('share.reason')], items.map(r => [
    requestLink(r.id), datasetLink(r.dataset, datasets), r.requester,
    h('span', { class: 'badge share-' + r.state }, t('share.state.' + r.state)),
    deadline(r.deadline, now),
    [r.purpose, h('br'), h('span', { class: 'muted' }, r.scenario)],
    r.requestedFields.join(', '), r.grantedFields.join(', ') || '—',
    r.reason ? h('span', { class: r.state === 'refused' || r.state === 'revoked'
      ? 'refusal' : 'muted' }, r.reason) : '—',
  ]), { class: 'list requests', id });
}

// The step awaited's deadline: its date and the working days left, or overdue.
function deadline(seconds, now) {
  if (!seconds) return '—';
  const status = deadlineStatus(seconds, now);
  return h('span', { class: status.overdue ? 'deadline overdue' : 'deadline' },
    t('share.dueBy', deadlineDay(seconds)), h('br'), status.overdue
      ? h('span', { class: 'badge bad' }, t('share.overdueBadge'))
      : h('span', { class: 'muted' }, t('share.workingDaysLeft', status.workingDays)));
}

function expiry(seconds) {
  const days = Math.ceil((seconds - Date.now() / 1000) / 86400);
  return [dateTime(seconds), ' ', h('span', { class: 'muted' }, t('share.daysLeft', days))];
}

const requestLink = id => h('a', { href: '#/sharing/request/' + id, class: 'mono' }, '#' + id);

const datasetLink = (id, datasets) => h('a', { href: '#/sharing/dataset/' + id },
  '#' + id + (datasets.get(id) ? ' ' + datasets.get(id).latest.title : ''));

// The data sets of these ids, each read once.
async function datasetsOf(ids) {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map(id => rest(`${API}/datasets/${id}`)));
  return new Map(found.map(d => [d.id, d]));
}

// ---- an application and the steps on it ------------------------------------------------------

async function requestPage(view, id) {
  add(view, h('h1', null, t('share.applicationN', id)), tabs(null));
  const me = login.current()?.account;
  if (!me) {
    add(view, note(t('share.loginToList')));
    return;
  }
  // The node answers 404 to who is none of its parties: the page says so.
  let r;
  try {
    r = await rest(`${API}/requests/${id}`);
  } catch (e) {
    add(view, note(e.message, 'error'));
    return;
  }
  const [d, department, roles] = await Promise.all([rest(`${API}/datasets/${r.dataset}`),
    departmentOf(me), chainRoles(me)]);
  const who = { department, authority: (roles & ROLE_AUTHORITY) !== 0n };
  add(view, card(null, facts([
    [t('share.state'), h('span', { class: 'badge share-' + r.state },
      t('share.state.' + r.state)), 'request-state'],
    [t('share.datasetCol'), [datasetLink(r.dataset, new Map([[d.id, d]])), ' ',
      t('share.versionN', r.version), ' · ', t('share.providedBy', d.provider)],
    'request-dataset'],
    [t('share.requester'), r.requester, 'request-requester'],
    [t('share.applicant'), addressLink(r.applicant, r.applicant)],
    [t('share.purposeOnly'), r.purpose, 'request-purpose'],
    [t('share.scenario'), r.scenario],
    [t('share.askedFields'), r.requestedFields.join(', '), 'request-asked'],
    [t('share.grantedFields'), r.grantedFields.length ? r.grantedFields.join(', ') : null,
      'request-granted'],
    [t('share.periodEnd'), expiry(r.expiresAt)],
    [t('share.appliedAt'), dateTime(r.appliedAt)],
    [t('share.deadline'), r.deadline ? [deadline(r.deadline, Date.now() / 1000),
      r.extended ? [' ', h('span', { class: 'badge' }, t('share.extended'))] : null] : null,
    'request-deadline'],
    [t('share.decidedAt'), r.decidedAt ? dateTime(r.decidedAt) : null],
    [t('share.decidedBy'), r.decidedBy ? addressLink(r.decidedBy, r.decidedBy) : null],
    [t('share.reason'), r.reason ? h('span', { class: r.state === 'refused'
      || r.state === 'revoked' ? 'refusal' : null }, r.reason) : null, 'request-reason'],
  ])));
  const requester = department === r.requester;
  add(view, actCard(t('share.act'), message => decisionForms(r, d, who, message),
    t(requester || who.authority || department === d.provider ? 'share.nothingToDo'
      : 'share.notAParty')));
  if (requester && r.state === 'granted') {
    add(view, card(t('share.fetch'), fetchCommand(r.dataset, r.id)));
  }
}

// ---- the audit trail --------------------------------------------------------------------------

async function auditPage(view, params) {
  add(view, h('h1', null, t('share.audit')), tabs('/audit'));
  const me = login.current()?.account;
  if (!me) {
    add(view, note(t('share.loginToList')));
    return;
  }
  const dataset = params.get('dataset');
  let department = params.get('department');
  if (!dataset && !department) department = await departmentOf(me);
  add(view, card(null, departmentForm('#/sharing/audit', department)));
  if (dataset && !/^\d{1,19}$/.test(dataset)) {
    add(view, note(t('share.badDataset', dataset), 'error'));
    return;
  }
  if (!dataset && !department) {
    add(view, note(t('share.nameScope')));
    return;
  }
  // Only the department, the data set's provider and the data authority may read a trail (the
  // node says 403 to others, so they are not asked).
  const [mine, roles] = await Promise.all([departmentOf(me), chainRoles(me)]);
  const scope = dataset ? (await rest(`${API}/datasets/${dataset}`)).provider : department;
  if (scope !== mine && !(roles & ROLE_AUTHORITY)) {
    add(view, note(t('share.auditNotYours', scope), 'error'));
    return;
  }
  const path = dataset ? `${API}/datasets/${dataset}/audit?`
    : `${API}/departments/${encodeURIComponent(department)}/audit?`;
  const out = h('div', { id: 'audit' });
  add(view, card(dataset ? t('share.auditOfDatasetN', dataset)
    : t('share.auditOfDepartment', department), out));
  const limit = Math.min(1000, Math.max(1, Number(params.get('count')) || PAGE_DEFAULT));
  paged(out, path, limit, async page => {
    if (page.items.length === 0) return note(t('share.noEntries'));
    const datasets = await datasetsOf(page.items.map(e => e.dataset));
    return [h('p', { class: 'legend', id: 'audit-total' }, t('share.entries', page.total)),
      table([t('share.entry'), t('share.time'), t('share.datasetCol'), t('share.who'),
        t('share.grant'), t('share.outcome'), t('share.verdict'), t('share.askedFields'),
        t('share.payload'), t('share.purged')], page.items.map(e => [
        h('span', { class: 'mono' }, '#' + e.id), dateTime(e.time),
        datasetLink(e.dataset, datasets),
        [e.department, h('br'), h('span', { class: 'mono muted', title: e.requester },
          short(e.requester))],
        e.grant ? '#' + e.grant : '—', outcome(e.outcome, e.outcomeRule),
        e.verdict === e.outcome ? h('span', { class: 'muted' }, t('share.agrees'))
          : outcome(e.verdict, e.verdictRule),
        maskFields(e.fieldMask, datasets.get(e.dataset).latest.fields).join(', '),
        e.payloadHash ? h('span', { class: 'mono', title: e.payloadHash },
          short(e.payloadHash)) : '—',
        e.purgedAt ? h('span', { class: 'badge' }, t('share.purgedAt', dateTime(e.purgedAt)))
          : '—']), { class: 'list audit', id: 'audit-list' }),
    // The provider erases its node's copy of a delivery on this page and records the purge.
    dataset && scope === mine ? actCard(t('share.purgeTitle'), message => {
      const purgeable = page.items.filter(e => e.outcome === '0x51' && !e.purgedAt);
      return purgeable.length ? [purgeForm(purgeable, message)] : [];
    }, t('share.nothingToPurge')) : null];
  });
}

// An outcome code with its rule and what it means.
function outcome(code, rule) {
  return h('span', { class: 'outcome', title: t('share.outcome.' + rule) },
    h('span', { class: 'badge ' + (code === '0x51' ? 'ok' : 'bad') }, code + ' ' + rule),
    h('br'), h('span', { class: 'muted' }, t('share.outcome.' + rule)));
}

// ---- shared ----------------------------------------------------------------------------------

// A list the node pages with ?offset=N&count=M, with Previous and Next.
function paged(out, path, count, draw) {
  const show = async page => {
    fill(out, note(t('loading')));
    try {
      const answer = await rest(`${path}offset=${page * count}&count=${count}`);
      const more = (page + 1) * count < answer.total;
      fill(out, await draw(answer), page > 0 || more
        ? pager(page, more, show, pagerLabels()) : null);
    } catch (e) {
      fill(out, note(e.message, 'error'));
    }
  };
  show(0);
}

// The department an account acts for (departmentOf on the DataSharing contract), '' for none.
async function departmentOf(account) {
  const [answer] = await settle([['eth_call', [{ to: SHARING_CONTRACT,
    data: selector('departmentOf(address)') + word(account) }, 'latest']]]);
  return typeof answer === 'string' ? decodeString(answer) : '';
}

// The account's roles in the permissions contract (roles(address)); 0 when it cannot be read.
async function chainRoles(account) {
  const [answer] = await settle([['eth_call', [{ to: PERMISSIONS,
    data: selector('roles(address)') + word(account) }, 'latest']]]);
  return typeof answer === 'string' && answer.length > 2 ? BigInt(answer) : 0n;
}

const selector = signature => toHex(keccak256(utf8(signature))).slice(0, 10);
const word = account => account.slice(2).toLowerCase().padStart(64, '0');
