// Builds DOM nodes; text always goes in as text nodes, so chain data can never inject markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    // Through the CSSOM: the console's CSP refuses inline style attributes.
    else if (key === 'style') Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

// Appends children as h() takes them: arrays flattened, null, undefined and false left out.
export function add(el, ...children) {
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Replaces an element's content; children as h() takes them (arrays, nulls left out).
export function fill(el, ...children) {
  append(clear(el), children);
  return el;
}

// A two-column table of label → value rows; a null value leaves its row out.
export function facts(rows) {
  return h('table', { class: 'facts' },
    h('tbody', null, rows.filter(r => r && r[1] !== null && r[1] !== undefined)
      .map(([label, value, id]) => h('tr', null, h('th', null, label),
        h('td', id ? { id } : null, value)))));
}

// A table with a header row; rows are arrays of cells.
export function table(headers, rows, attrs) {
  return h('table', Object.assign({ class: 'list' }, attrs),
    h('thead', null, h('tr', null, headers.map(x => h('th', null, x)))),
    h('tbody', null, rows.map(cells => h('tr', null, cells.map(c => h('td', null, c))))));
}

export function card(title, ...body) {
  return h('section', { class: 'card' }, title ? h('h2', null, title) : null, body);
}

// A message in place of content: loading, empty, or an error the user can act on.
export function note(text, kind) {
  return h('p', { class: 'note' + (kind ? ' ' + kind : '') }, text);
}

// Prev / next buttons for a page of a list; page is 0-based.
export function pager(page, hasNext, onPage, labels) {
  return h('div', { class: 'pager' },
    h('button', { type: 'button', disabled: page === 0, onclick: () => onPage(page - 1),
      class: 'prev' }, labels.prev),
    h('span', null, labels.page(page + 1)),
    h('button', { type: 'button', disabled: !hasNext, onclick: () => onPage(page + 1),
      class: 'next' }, labels.next));
}
