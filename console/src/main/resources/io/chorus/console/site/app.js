// The console's shell: navigation, language, search, and a page per route (#/block/12, ...).
import { h, add, clear, note } from './dom.js';
import { t, lang, setLang } from './i18n.js';
import { RpcError } from './rpc.js';
import * as home from './pages/home.js';
import * as block from './pages/block.js';
import * as tx from './pages/tx.js';
import * as address from './pages/address.js';
import * as validators from './pages/validators.js';
import * as governance from './pages/governance.js';
import * as notary from './pages/notary.js';
import * as search from './pages/search.js';
import * as login from './pages/login.js';
import * as product from './pages/product.js';
import * as receivable from './pages/receivable.js';
import * as receivables from './pages/receivables.js';
import * as sharing from './pages/sharing.js';

const ROUTES = [
  [/^$/, home],
  [/^block\/([^/]+)$/, block],
  [/^tx\/(0x[0-9a-fA-F]{64})$/, tx],
  [/^address\/(0x[0-9a-fA-F]{40})$/, address],
  [/^validators$/, validators],
  [/^governance(?:\/(\d+))?$/, governance],
  [/^notary(?:\?.*)?$/, notary],
  [/^search\/(.+)$/, search],
  [/^product(?:\/(.+))?$/, product],
  [/^receivable\/(\d{1,19})$/, receivable],
  [/^receivables(?:\?.*)?$/, receivables],
  [/^sharing(?:\/(dataset|requests|request|audit))?(?:\/(\d{1,19}))?(?:\?.*)?$/, sharing],
  [/^login$/, login],
];
const NAV = [['', 'nav.home'], ['validators', 'nav.validators'],
  ['governance', 'nav.governance'], ['notary', 'nav.notary'], ['product', 'nav.product'],
  ['receivables', 'nav.receivables'], ['sharing', 'nav.sharing']];

let leave = null; // the current page's cleanup (live feeds, timers)

async function render() {
  const path = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  document.title = 'Chorus · ' + t('title');
  const nav = clear(document.getElementById('nav'));
  for (const [route, key] of NAV) {
    // A receivable's page (#/receivable/12) belongs to the receivables menu entry.
    const active = route === '' ? path === '' : path.startsWith(route.replace(/s$/, ''));
    nav.append(h('a', { href: '#/' + route, class: active ? 'active' : null }, t(key)));
  }
  document.getElementById('search').placeholder = t('search.placeholder');
  document.getElementById('lang-switch').textContent = lang() === 'zh' ? 'English' : '中文';
  login.renderAccount(document.getElementById('account'));
  const footer = clear(document.getElementById('footer'));
  footer.append(t('footer'));

  if (leave) leave();
  leave = null;
  const view = clear(document.getElementById('view'));
  const match = ROUTES.map(([re, page]) => [path.match(re), page]).find(([m]) => m);
  if (!match) {
    view.dataset.page = 'missing';
    add(view, note(t('page.missing', path), 'error'));
    return;
  }
  const [m, page] = match;
  view.dataset.page = page.name;
  try {
    leave = (await page.render(view, ...m.slice(1))) || null;
  } catch (e) {
    add(view, note(describe(e), 'error'));
  }
}

// An error as the user should read it: what the node said, never a stack.
export function describe(e) {
  if (e instanceof RpcError) return t('error.rpc', e.message, e.code);
  if (e instanceof TypeError) return t('error.network', e.message);
  return e.message || String(e);
}

window.addEventListener('hashchange', render);
document.getElementById('lang-switch').addEventListener('click', () => {
  setLang(lang() === 'zh' ? 'en' : 'zh');
  // A token kept from earlier in this tab is checked once; the pages then know who is logged in.
login.refresh().catch(e => console.warn('cannot check the saved API token:', e.message))
  .finally(render);
});
document.getElementById('search-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('search');
  const query = input.value.trim();
  if (query) location.hash = '#/search/' + encodeURIComponent(query);
  input.blur();
});
// A token kept from earlier in this tab is checked once; the pages then know who is logged in.
login.refresh().catch(e => console.warn('cannot check the saved API token:', e.message))
  .finally(render);
