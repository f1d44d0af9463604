// The data sharing pages' writes, for a logged-in department or the data authority: publish a
// data set, a new version, the records this node serves, apply, the authority's check, the
// provider's extension, approval or refusal, a revocation and the purge of a delivery. Each
// goes to the node's REST API under /api/v1/sharing as the token's account; a form is offered
// only where its step applies, but the contract is what decides, and a refusal is shown with
// its reason code and rule. A fetch is not offered: its envelope opens only with the
// requester's private key, which stays with the requester, so the page shows the command.
import { h, fill, card, note } from '../dom.js';
import { t } from '../i18n.js';
import { rest } from '../rpc.js';
import { txLink } from '../format.js';
import { refusal } from './receivable.js';

const API = '/api/v1/sharing';
const CLASSES = ['unconditional', 'conditional', 'not-shared'];
const CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'];
const PERIOD_MAX_DAYS = 1095; // the contract's three years

// What a person typed that the node would refuse before the contract sees it.
class BadInput extends Error {}

// The card every write of a page goes in, with its one message area (ids act-message, and
// act-refused for a refusal, as on the receivables pages); `build(message)` gives the forms,
// and when there are none the card says `nothing`.
export function actCard(title, build, nothing) {
  const message = h('div', { id: 'act-message' });
  const forms = build(message);
  if (forms.length === 0) {
    return card(title, h('p', { class: 'note', id: 'act-nothing' }, nothing));
  }
  return card(title, forms, message, h('p', { class: 'legend' }, t('share.enforced')));
}

// A form: its controls ([label, element]), and `request` turning them into {path, method, body}
// (or throwing BadInput); `done` gets the node's answer once the block is in.
function form(action, label, controls, message, request, done) {
  return h('form', { class: 'act share-act', id: action + '-form', onsubmit: async event => {
    event.preventDefault();
    let sent;
    try {
      sent = request();
    } catch (e) {
      if (!(e instanceof BadInput)) throw e;
      fill(message, note(e.message, 'error'));
      return;
    }
    fill(message, note(t('scf.sending')));
    try {
      const answer = await rest(API + sent.path, { method: sent.method || 'POST',
        body: sent.body });
      // A write that asked to wait answers pending only when its block is late.
      if (sent.body?.wait && answer?.status === 'pending') {
        fill(message, note(t('share.pending'), 'warn'), ' ', txLink(answer.txHash, true));
        return;
      }
      await done(answer);
    } catch (e) {
      fill(message, refusal(e));
    }
  } }, h('strong', null, label), controls.map(([text, input]) => h('label', null, text, ' ',
    input)), h('button', { type: 'submit', id: action + '-submit' }, label));
}

const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));

const input = (id, attrs) => h('input', Object.assign({ id, autocomplete: 'off' }, attrs));

function select(id, options, chosen, key) {
  return h('select', { id }, options.map(o => h('option', { value: o, selected: o === chosen },
    t(key + o))));
}

// One checkbox per field name, all ticked unless `ticked` says otherwise.
function fieldBoxes(id, names, ticked = () => true) {
  return h('span', { class: 'field-boxes', id }, names.map(name => h('label', null,
    h('input', { type: 'checkbox', value: name, checked: ticked(name) }), ' ', name)));
}

const checkedFields = boxes => [...boxes.querySelectorAll('input:checked')].map(b => b.value);

// A list of field names as typed: commas (ASCII or full-width), 、 or spaces between them.
function fieldList(text) {
  const names = text.split(/[\s,，、]+/).filter(Boolean);
  if (names.length === 0) throw new BadInput(t('share.needFields'));
  return names;
}

function required(element, label) {
  const value = element.value.trim();
  if (!value) throw new BadInput(t('share.needText', label));
  return value;
}

// ---- the catalogue and a data set (the provider) ----------------------------------------------

// Publish a data set: its catalogue code, title, fields, sharing class and update cycle.
export function publishForm(message) {
  const code = input('publish-code', { placeholder: '330100-GA-0003', size: 18 });
  const title = input('publish-title', { placeholder: t('share.titleExample'), size: 24 });
  const fields = input('publish-fields', { placeholder: 'name, id_number, address', size: 36 });
  const sharingClass = select('publish-class', CLASSES, 'conditional', 'share.class.');
  const cycle = select('publish-cycle', CYCLES, 'irregular', 'share.cycle.');
  return form('publish', t('share.publish'), [[t('share.code'), code],
    [t('share.titleCol'), title], [t('share.fieldsTyped'), fields],
    [t('share.class'), sharingClass], [t('share.cycle'), cycle]], message, () => ({
    path: '/datasets', body: { code: required(code, t('share.code')),
      title: required(title, t('share.titleCol')), fields: fieldList(fields.value),
      sharingClass: sharingClass.value, updateCycle: cycle.value, wait: true } }),
  answer => { location.hash = '#/sharing/dataset/' + answer.id; });
}

// A new version of data set `d`, its latest version's values filled in to change.
export function versionForm(d, message) {
  const v = d.latest;
  const title = input('version-title', { value: v.title, size: 24 });
  const fields = input('version-fields', { value: v.fields.join(', '), size: 36 });
  const sharingClass = select('version-class', CLASSES, v.sharingClass, 'share.class.');
  const cycle = select('version-cycle', CYCLES, v.updateCycle, 'share.cycle.');
  return form('version', t('share.newVersion'), [[t('share.titleCol'), title],
    [t('share.fieldsTyped'), fields], [t('share.class'), sharingClass],
    [t('share.cycle'), cycle]], message, () => ({ path: `/datasets/${d.id}/versions`,
    body: { title: required(title, t('share.titleCol')), fields: fieldList(fields.value),
      sharingClass: sharingClass.value, updateCycle: cycle.value, wait: true } }), reload);
}

// The records this node serves of data set `d`: a JSON array keyed by the latest fields.
export function recordsForm(d, message) {
  const example = JSON.stringify([Object.fromEntries(d.latest.fields.map(f => [f, '…']))]);
  const records = h('textarea', { id: 'records-json', rows: 5, placeholder: example,
    spellcheck: 'false' });
  return form('records', t('share.putRecords'), [[t('share.recordsJson'), records]], message,
    () => {
      let parsed;
      try {
        parsed = JSON.parse(records.value);
      } catch (e) {
        throw new BadInput(t('share.badJson', e.message));
      }
      if (!Array.isArray(parsed)) throw new BadInput(t('share.notArray'));
      return { method: 'PUT', path: `/datasets/${d.id}/data`, body: { records: parsed } };
    }, answer => fill(message, note(t('share.served', answer.records, d.id), 'ok')));
}

// ---- applying (another department) ------------------------------------------------------------

export function applyForm(d, message) {
  const purpose = input('apply-purpose', { placeholder: t('share.purposeExample'), size: 28 });
  const scenario = input('apply-scenario', { placeholder: t('share.scenarioExample'),
    size: 28 });
  const fields = fieldBoxes('apply-fields', d.latest.fields, () => false);
  const days = input('apply-days', { type: 'number', min: 1, max: PERIOD_MAX_DAYS, value: 90,
    size: 6 });
  return form('apply', t('share.apply'), [[t('share.purposeOnly'), purpose],
    [t('share.scenario'), scenario], [t('share.fields'), fields],
    [t('share.periodDays'), days]], message, () => {
    const asked = checkedFields(fields);
    if (asked.length === 0) throw new BadInput(t('share.needFields'));
    const n = Number(days.value);
    if (!Number.isInteger(n) || n < 1 || n > PERIOD_MAX_DAYS) {
      throw new BadInput(t('share.badDays', days.value, PERIOD_MAX_DAYS));
    }
    return { path: '/requests', body: { dataset: d.id,
      purpose: required(purpose, t('share.purposeOnly')),
      scenario: required(scenario, t('share.scenario')), fields: asked,
      expiresAt: Math.floor(Date.now() / 1000) + n * 86400, wait: true } };
  }, answer => { location.hash = '#/sharing/request/' + answer.id; });
}

// ---- decisions on an application --------------------------------------------------------------

// The steps `who` ({department, authority}) may take on application `r` of data set `d` now.
export function decisionForms(r, d, who, message) {
  const provider = who.department === d.provider;
  const forms = [];
  if (who.authority && r.state === 'applied') {
    const verdict = select('check-verdict', ['pass', 'refuse'], 'pass', 'share.verdict.');
    const reason = input('check-reason', { placeholder: t('share.reasonExample'), size: 28 });
    forms.push(form('check', t('share.check'), [[t('share.verdictLabel'), verdict],
      [t('share.reasonOrNote'), reason]], message, () => {
      const pass = verdict.value === 'pass';
      if (!pass && !reason.value.trim()) throw new BadInput(t('share.needReason'));
      return { path: `/requests/${r.id}/check`, body: { pass, reason: reason.value.trim(),
        wait: true } };
    }, reload));
  }
  if (provider && r.state === 'checked') {
    const fields = fieldBoxes('approve-fields', r.requestedFields);
    forms.push(form('approve', t('share.approve'), [[t('share.fieldsToGrant'), fields]],
      message, () => {
        const granted = checkedFields(fields);
        if (granted.length === 0) throw new BadInput(t('share.needFields'));
        return { path: `/requests/${r.id}/approve`, body: { fields: granted, wait: true } };
      }, reload));
    forms.push(reasonForm('refuse', t('share.refuse'), r, message));
    if (!r.extended) forms.push(reasonForm('extend', t('share.extend'), r, message));
  }
  if ((provider || who.authority) && r.state === 'granted') {
    forms.push(reasonForm('revoke', t('share.revoke'), r, message));
  }
  return forms;
}

function reasonForm(action, label, r, message) {
  const reason = input(action + '-reason', { size: 28 });
  return form(action, label, [[t('share.reasonOnly'), reason]], message, () => ({
    path: `/requests/${r.id}/${action}`, body: { reason: required(reason,
      t('share.reasonOnly')), wait: true } }), reload);
}

// ---- the provider's purge of a delivery -------------------------------------------------------

// Erase this node's copy of a delivered envelope (one of `entries`, delivered and not purged)
// and record the purge; the page is drawn again once the chain shows it.
export function purgeForm(entries, message) {
  const entry = h('select', { id: 'purge-entry' }, entries.map(e => h('option',
    { value: e.id }, '#' + e.id)));
  const reason = input('purge-reason', { placeholder: t('share.purgeExample'), size: 24 });
  return form('purge', t('share.purge'), [[t('share.entry'), entry],
    [t('share.reasonOnly'), reason]], message, () => ({ method: 'DELETE',
    path: `/audit/${entry.value}/payload?reason=` + encodeURIComponent(required(reason,
      t('share.reasonOnly'))) }), async answer => {
    // A purge is pooled, not awaited: the trail shows it once its block is in.
    fill(message, note(t('share.purgeSent', answer.entry)), ' ', txLink(answer.txHash, true));
    for (let tries = 0; tries < 60; tries++) {
      await new Promise(resolve => setTimeout(resolve, 500));
      if ((await rest(`${API}/audit/${answer.entry}`)).purgedAt) return reload();
    }
  });
}

// ---- fetching (the requester) -----------------------------------------------------------------

// The command that fetches data set `dataset` (under `grant`, when named) from this node: the
// delivery is sealed for the requester's key, which the browser does not hold.
export function fetchCommand(dataset, grant) {
  // One option a line, so that a phone breaks none of them.
  const command = [`./chorus share fetch ${dataset}${grant ? ' --grant ' + grant : ''}`,
    '  --key-file YOUR.key', '  --token-file YOUR.token', `  --url ${location.origin}`]
    .join(' \\\n');
  return [h('p', null, t('share.fetchExplain')), h('pre', { class: 'data command',
    id: 'fetch-command' }, command)];
}
