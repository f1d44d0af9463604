// Log in with an API token (issued by 'chorus token issue'): kept in this tab's session
// storage only, checked against the node, and sent on the console's writes.
import { h, add, card, note, clear } from '../dom.js';
import { t } from '../i18n.js';
import { rest, token, setToken, RestError } from '../rpc.js';
import { short } from '../format.js';

export const name = 'login';
let caller = null; // {account, roles, credential} once the node accepted the token

export function current() {
  return token() ? caller : null;
}

export async function refresh() {
  if (!token()) {
    caller = null;
    return null;
  }
  try {
    caller = await rest('/api/v1/chain/caller');
  } catch (e) {
    if (e instanceof RestError && e.status === 401) {
      setToken(null);
      caller = null;
    } else {
      throw e;
    }
  }
  return caller;
}

export function renderAccount(el) {
  clear(el);
  if (token() && caller) {
    add(el, h('span', { class: 'mono', id: 'logged-in', title: caller.account },
      short(caller.account, 4)), ' ', h('button', { type: 'button', class: 'link',
      onclick: () => { setToken(null); caller = null; location.hash = '#/'; } }, t('login.out')));
  } else {
    add(el, h('a', { href: '#/login', id: 'login-link' }, t('login.title')));
  }
}

export async function render(view) {
  const input = h('input', { type: 'password', id: 'token', autocomplete: 'off',
    placeholder: 'chorus_…', size: 56 });
  const message = h('div');
  const form = h('form', { class: 'login', onsubmit: async event => {
    event.preventDefault();
    setToken(input.value.trim());
    clear(message);
    try {
      const who = await refresh();
      if (!who) {
        add(message, note(t('login.refused'), 'error'));
        return;
      }
      history.length > 1 ? history.back() : (location.hash = '#/');
    } catch (e) {
      setToken(null);
      add(message, note(e.message, 'error'));
    }
  } }, input, ' ', h('button', { type: 'submit', id: 'login-submit' }, t('login.submit')));
  add(view, h('h1', null, t('login.title')), card(null, h('p', null, t('login.explain')),
    h('pre', { class: 'data' }, './chorus token issue --dir DIR --account 0x… --role chain.sender'
      + ' --role governance.member --expires 1d'), form, message));
}
