// Search: a product code (GS1 Digital Link, sgtin/lgtin URN) opens its product page; anything
// else the node resolves (chorus_search: blocks, transactions, addresses, contract names,
// service ids); one match opens it, several are listed.
import { h, add, note, table } from '../dom.js';
import { t } from '../i18n.js';
import { call, settle, missing } from '../rpc.js';
import { digitalLinkPath } from '../gs1.js';
import { isHash, isAddress, isBlockNumber, quantity } from '../format.js';

export const name = 'search';

export async function render(view, query) {
  const product = digitalLinkPath(query);
  if (product) {
    location.replace('#/product/' + product);
    return;
  }
  add(view, h('h1', null, t('search.title', query)));
  let matches;
  try {
    matches = await call('chorus_search', [query]);
  } catch (e) {
    if (!missing(e)) throw e;
    matches = await locally(query);
  }
  const links = matches.map(m => [link(m), m]).filter(([href]) => href);
  if (links.length === 1) {
    location.replace('#' + links[0][0]);
    return;
  }
  add(view, links.length === 0 ? note(t('search.none', query)) : table(
    [t('search.kind'), t('search.match')], links.map(([href, m]) =>
      [t('search.kind.' + m.kind), h('a', { href: '#' + href }, m.label || href)]),
    { id: 'search-results' }));
}

// The console page a match opens.
function link(m) {
  switch (m.kind) {
    case 'block': return '/block/' + (m.hash || BigInt(m.number));
    case 'transaction': return '/tx/' + m.hash;
    case 'address': case 'contract': return '/address/' + m.address;
    case 'notary-record': return '/notary?id=' + encodeURIComponent(m.id);
    case 'notary-batch': return '/tx/' + m.transactionHash;
    case 'proposal': return '/governance/' + m.id;
    case 'receivable-piece': return '/receivable/' + m.id;
    default: return m.address ? '/address/' + m.address : null;
  }
}

// Without chorus_search (an older node): numbers, hashes and addresses only.
async function locally(query) {
  if (isBlockNumber(query)) return [{ kind: 'block', number: BigInt(query).toString(),
    label: '#' + BigInt(query) }];
  if (isAddress(query)) return [{ kind: 'address', address: query, label: query }];
  if (!isHash(query)) return [];
  const [tx, block] = await settle([['eth_getTransactionByHash', [query]],
    ['eth_getBlockByHash', [query, false]]]);
  const out = [];
  if (tx && !(tx instanceof Error)) out.push({ kind: 'transaction', hash: query, label: query });
  if (block && !(block instanceof Error)) out.push({ kind: 'block', hash: query,
    label: '#' + BigInt(block.number) });
  return out;
}
