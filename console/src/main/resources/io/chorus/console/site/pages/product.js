// A product's page (产品溯源与防伪): what a consumer sees after scanning its GS1 Digital Link
// (the node's resolver at /01/... sends the phone here with ?scan=1): the product, whether its
// code was scanned implausibly, its history with each event's proof checked in this browser,
// and its lineage both ways. Without a code: a box to paste one into.
import { h, add, fill, card, facts, note } from '../dom.js';
import { t, KEYS } from '../i18n.js';
import { call, rest, RestError } from '../rpc.js';
import { addressLink, dateTime } from '../format.js';
import { verifyBundle, trustRootFromJson } from '../crypto/proof.js';
import { anchorsEvent, digitalLinkPath } from '../gs1.js';
import { drawLineage } from '../lineage-graph.js';

export const name = 'product';

export async function render(view, path) {
  if (!path) {
    entry(view);
    return;
  }
  // The raw hash: a serial may hold %-escapes that the router's decoding would undo.
  const [codePath, query] = location.hash.replace(/^#\/?product\//, '').split('?');
  const scan = new URLSearchParams(query || '').get('scan') === '1';
  let product;
  try {
    // A scan is counted by the node where it comes from (its network): the page sends no
    // place, since asking a shopper for their location is not worth a coarse scan check.
    product = await rest('/' + codePath + (scan ? '?scan=1' : ''));
  } catch (e) {
    if (!(e instanceof RestError) || e.status >= 500) throw e;
    add(view, h('h1', null, t('product.entryTitle')), note(e.status === 404
      ? t('product.unknown', decodeURIComponent(codePath)) : e.message, 'error'));
    return;
  }
  if (scan) history.replaceState(null, '', '#/product/' + codePath); // a reload is no new scan
  const qualifier = product.serial ?? product.lot ?? product.variant ?? '';
  const titled = product.name ?? product.gtin; // master data's name when it gives one
  add(view, h('h1', null, t('product.title', qualifier ? titled + ' · ' + qualifier
    : titled)),
  verdictCard(product.scans),
  card(t('product.identity'), facts([
    [t('product.digitalLink'), h('span', { class: 'mono', id: 'product-id' },
      product.identifier)],
    [t('product.name'), product.name ?? null],
    [t('product.gtin'), h('span', { class: 'mono' }, product.gtin)],
    [t('product.serial'), product.serial ?? null],
    [t('product.lot'), product.lot ?? null],
    [t('product.variant'), product.variant ?? null],
    [t('product.kind'), t('product.kind.' + product.kind)],
  ])),
  timelineCard(product),
  lineageCard(product.identifier));
}

function entry(view) {
  const input = h('input', { id: 'product-code', size: 56,
    placeholder: t('product.codePlaceholder') });
  const out = h('div');
  add(view, h('h1', null, t('product.entryTitle')), card(null,
    h('p', { class: 'muted' }, t('product.entryExplain')),
    h('form', { onsubmit: event => {
      event.preventDefault();
      const path = digitalLinkPath(input.value);
      if (path) location.hash = '#/product/' + path;
      else fill(out, note(t('product.badCode', input.value.trim()), 'error'));
    } }, input, ' ', h('button', { type: 'submit', id: 'product-open' }, t('product.open'))),
    out));
}

const seconds = iso => Date.parse(iso) / 1000;

function verdictCard(scans) {
  const badge = {
    genuine: h('p', { class: 'badge ok verdict', id: 'scan-verdict' }, t('product.genuine')),
    flagged: h('p', { class: 'badge bad verdict', id: 'scan-verdict' }, t('product.flagged')),
    'not-checked': h('p', { class: 'badge verdict', id: 'scan-verdict' },
      t('product.notChecked')),
  }[scans.verdict];
  return card(t('product.scans'), badge,
    scans.flags.length ? h('ul', { id: 'scan-flags' }, scans.flags.map(f => h('li', null,
      t('product.flag.' + f.rule, f.observed, duration(f.window), f.limit), ' ',
      h('span', { class: 'muted' }, t('product.flagSince', dateTime(seconds(f.since))))))) : null,
    facts([[t('product.scanCount'), h('span', { id: 'scan-count' }, String(scans.count))],
      [t('product.firstScan'), scans.first ? dateTime(seconds(scans.first)) : null],
      [t('product.lastScan'), scans.last ? dateTime(seconds(scans.last)) : null]]));
}

// An ISO-8601 duration as the node writes it (PT1H, PT10M, PT30S) in words.
function duration(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso || '');
  if (!m) return iso;
  return [[m[1], 'product.hours'], [m[2], 'product.minutes'], [m[3], 'product.seconds']]
    .filter(([n]) => n).map(([n, key]) => t(key, n)).join(' ');
}

// A CBV business step in words where the console has them, else its own word.
export function stepName(uri) {
  if (!uri) return '—';
  const word = uri.replace(/^https:\/\/ref\.gs1\.org\/cbv\/BizStep-/, '');
  return KEYS.includes('bizstep.' + word) ? t('bizstep.' + word) : word;
}

// A place by its master data name, the URI beside it; the bare URI when it has no name.
function place(names, uri) {
  const name = names?.[uri];
  return name ? h('span', { class: 'place', title: uri }, name, ' ',
    h('span', { class: 'mono' }, uri)) : h('span', { class: 'mono' }, uri);
}

let trustRoot = null; // this node's genesis, fetched once per page

function timelineCard(product) {
  const items = product.events.map(e => {
    const result = h('span', { class: 'proof-result' });
    return h('li', { class: 'event', dataset: { eventId: e.eventID } },
      h('div', { class: 'when' }, dateTime(seconds(e.eventTime))),
      h('div', { class: 'step' }, stepName(e.bizStep)),
      e.bizLocation || e.readPoint ? h('div', { class: 'where' }, t('product.where'), ': ',
        place(product.names, e.bizLocation || e.readPoint)) : null,
      h('div', { class: 'who' }, t('product.who'), ': ', addressLink(e.capturer)),
      h('div', null, h('button', { type: 'button', class: 'link verify-proof',
        onclick: () => verifyEvent(e, result) }, t('product.verify')), ' ', result));
  });
  return card(t('product.timeline'), items.length
    ? h('ol', { class: 'timeline', id: 'timeline' }, items) : note(t('product.noEvents')),
  product.eventsTruncated ? note(t('product.more', product.events.length)) : null);
}

async function verifyEvent(event, out) {
  fill(out, t('product.verifying'));
  try {
    trustRoot = trustRoot || trustRootFromJson(await call('chorus_trustRoot'));
    const answer = await rest(event.proof);
    const verdict = anchorsEvent(verifyBundle(answer.bundle, trustRoot), event.hashId);
    fill(out, verdict.proven
      ? h('span', { class: 'badge ok proof-verdict' }, t('product.proven', verdict.blockNumber,
        verdict.signers))
      : h('span', { class: 'badge bad proof-verdict' }, t('product.notProven', verdict.reason)));
  } catch (e) {
    fill(out, h('span', { class: 'badge bad proof-verdict' }, t('product.notProven',
      e.message)));
  }
}

function lineageCard(identifier) {
  const up = h('div', { class: 'graph', id: 'lineage-up' }, note(t('loading')));
  const down = h('div', { class: 'graph', id: 'lineage-down' }, note(t('loading')));
  drawInto(up, identifier, 'upstream');
  drawInto(down, identifier, 'downstream');
  return card(t('product.lineage'), h('h3', null, t('product.upstream')), up,
    h('h3', null, t('product.downstream')), down,
    h('p', { class: 'legend' }, t('product.legend')));
}

async function drawInto(out, identifier, direction) {
  try {
    const graph = await rest('/epcis/lineage?epc=' + encodeURIComponent(identifier)
      + '&direction=' + direction);
    if (graph.edges.length === 0) {
      fill(out, note(t('product.noLineage')));
      return;
    }
    fill(out, drawLineage(graph,
      e => `${e.from} → ${t('product.relation.' + e.relation)} → ${e.to}\n${stepName(e.bizStep)}`
        + ` · ${dateTime(seconds(e.eventTime))}\n${e.eventID}`,
      n => t('product.nodeSeen', n.id, dateTime(seconds(n.firstSeen)),
        dateTime(seconds(n.lastSeen)))),
    graph.truncated ? note(t('product.truncated'), 'warn') : null);
    // Upstream, the start stands at the right end: show it first on a narrow screen.
    if (direction === 'upstream') out.scrollLeft = out.scrollWidth;
  } catch (e) {
    fill(out, note(e.message, 'error'));
  }
}
