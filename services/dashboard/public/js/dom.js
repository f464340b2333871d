/**
 * Building the DOM from data. Text always goes in through textContent (never innerHTML), so
 * nothing a user or a news outlet typed can ever become markup.
 */

/**
 * h('tag.class1.class2', { attr: value, onclick: fn }, ...children)
 * Children: strings and numbers become text nodes; null, undefined and false are skipped.
 */
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = `${el.className} ${v}`.trim();
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = Boolean(v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element; attributes only (CSP forbids style attributes, so colours come from CSS classes). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') el.setAttribute('class', v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A table from rows: columns [{ label, cell(row) → node|string, class? }]. */
export function table(columns, rows, { empty = 'Nothing yet.', caption, rowAttrs } = {}) {
  if (!rows.length) return h('p.empty', empty);
  return h(
    'div.table-wrap',
    h(
      'table',
      caption ? h('caption', caption) : null,
      h(
        'thead',
        h(
          'tr',
          columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)),
        ),
      ),
      h(
        'tbody',
        rows.map((r) =>
          h(
            'tr',
            rowAttrs ? rowAttrs(r) : null,
            columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.cell(r))),
          ),
        ),
      ),
    ),
  );
}
