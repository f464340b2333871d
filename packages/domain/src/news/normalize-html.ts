/**
 * Plain text from the HTML fragments feeds put in titles, summaries and bodies.
 */

/** The named entities news feeds actually use; anything else is left as written. */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwj: '',
  zwnj: '',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201a',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bdquo: '\u201e',
  laquo: '\u00ab',
  raquo: '\u00bb',
  lsaquo: '\u2039',
  rsaquo: '\u203a',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  bull: '\u2022',
  middot: '\u00b7',
  prime: '\u2032',
  Prime: '\u2033',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  deg: '\u00b0',
  plusmn: '\u00b1',
  times: '\u00d7',
  divide: '\u00f7',
  minus: '\u2212',
  frac12: '\u00bd',
  frac14: '\u00bc',
  frac34: '\u00be',
  sup1: '\u00b9',
  sup2: '\u00b2',
  sup3: '\u00b3',
  permil: '\u2030',
  micro: '\u00b5',
  para: '\u00b6',
  sect: '\u00a7',
  cent: '\u00a2',
  pound: '\u00a3',
  yen: '\u00a5',
  euro: '\u20ac',
  curren: '\u00a4',
  iexcl: '\u00a1',
  iquest: '\u00bf',
  dagger: '\u2020',
  Dagger: '\u2021',
  larr: '\u2190',
  rarr: '\u2192',
  uarr: '\u2191',
  darr: '\u2193',
  agrave: '\u00e0',
  aacute: '\u00e1',
  acirc: '\u00e2',
  atilde: '\u00e3',
  auml: '\u00e4',
  aring: '\u00e5',
  aelig: '\u00e6',
  ccedil: '\u00e7',
  egrave: '\u00e8',
  eacute: '\u00e9',
  ecirc: '\u00ea',
  euml: '\u00eb',
  igrave: '\u00ec',
  iacute: '\u00ed',
  icirc: '\u00ee',
  iuml: '\u00ef',
  ntilde: '\u00f1',
  ograve: '\u00f2',
  oacute: '\u00f3',
  ocirc: '\u00f4',
  otilde: '\u00f5',
  ouml: '\u00f6',
  oslash: '\u00f8',
  ugrave: '\u00f9',
  uacute: '\u00fa',
  ucirc: '\u00fb',
  uuml: '\u00fc',
  yacute: '\u00fd',
  yuml: '\u00ff',
  szlig: '\u00df',
  Agrave: '\u00c0',
  Aacute: '\u00c1',
  Acirc: '\u00c2',
  Atilde: '\u00c3',
  Auml: '\u00c4',
  Aring: '\u00c5',
  AElig: '\u00c6',
  Ccedil: '\u00c7',
  Egrave: '\u00c8',
  Eacute: '\u00c9',
  Ecirc: '\u00ca',
  Euml: '\u00cb',
  Igrave: '\u00cc',
  Iacute: '\u00cd',
  Icirc: '\u00ce',
  Iuml: '\u00cf',
  Ntilde: '\u00d1',
  Ograve: '\u00d2',
  Oacute: '\u00d3',
  Ocirc: '\u00d4',
  Otilde: '\u00d5',
  Ouml: '\u00d6',
  Oslash: '\u00d8',
  Ugrave: '\u00d9',
  Uacute: '\u00da',
  Ucirc: '\u00db',
  Uuml: '\u00dc',
  Yacute: '\u00dd',
};

/** Elements whose content is never text a reader sees. */
const HIDDEN_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'head']);
/** Elements that separate words; every other tag (b, a, span, em …) joins its neighbours. */
const BLOCK_ELEMENTS = new Set(
  (
    'p div br hr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr td th table thead tbody tfoot section article header ' +
    'footer aside nav blockquote pre figure figcaption img main address option caption title'
  ).split(' '),
);
const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9A-Fa-f]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const WHITESPACE = /\s+/g;

function codePointText(cp: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(cp);
}

/** Decodes numeric (`&#39;`, `&#x27;`) and the common named entities (`&amp;`, `&nbsp;`, `&rsquo;` …). */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined) return codePointText(Number.parseInt(dec, 10));
    if (hex !== undefined) return codePointText(Number.parseInt(hex, 16));
    const named = NAMED_ENTITIES[name as string] ?? NAMED_ENTITIES[(name as string).toLowerCase()];
    return named ?? whole;
  });
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNameChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 45 || c === 58;
}

/** Index just past the `>` ending the tag that starts at `from`, quotes respected; -1 if none. */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return j + 1;
  }
  // An unbalanced quote: the tag ends at the next ">" after all.
  const plain = text.indexOf('>', from);
  return plain === -1 ? -1 : plain + 1;
}

/**
 * Removes markup in one pass (linear in the input, whatever it holds): tags go (block elements
 * leave a space), comments go, CDATA keeps its text, hidden elements go with their content, a tag
 * cut off at the end goes. A "<" that starts no tag ("1 < 2") stays.
 */
function removeMarkup(text: string): string {
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  const parts: string[] = [];
  let afterLt = false;
  // Keeps a literal "<" from meeting a letter that followed removed markup ("<<b>i>" must not
  // become "<i>").
  const emit = (piece: string) => {
    if (piece === '') return;
    if (afterLt && /^[A-Za-z/!?]/.test(piece)) parts.push(' ');
    parts.push(piece);
    afterLt = piece.endsWith('<');
  };
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) {
      emit(text.slice(i));
      break;
    }
    if (lt > i) emit(text.slice(i, lt));
    const c = text.charCodeAt(lt + 1);
    const closing = c === 47; /* / */
    const nameAt = closing ? lt + 2 : lt + 1;
    if (isLetter(text.charCodeAt(nameAt))) {
      let nameEnd = nameAt + 1;
      while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
      const name = lower.slice(nameAt, nameEnd);
      const end = tagEnd(text, nameEnd);
      if (end === -1) break; // cut off by truncation: "… <a href="
      if (!closing && HIDDEN_ELEMENTS.has(name)) {
        const close = sameLength ? lower.indexOf(`</${name}`, end) : -1;
        const closeEnd = close === -1 ? -1 : tagEnd(text, close + 2 + name.length);
        if (closeEnd === -1) break;
        emit(' ');
        i = closeEnd;
        continue;
      }
      if (BLOCK_ELEMENTS.has(name)) emit(' ');
      i = end;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end === -1) break;
      emit(' ');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      emit(removeMarkup(text.slice(lt + 9, end === -1 ? text.length : end)));
      if (end === -1) break;
      i = end + 3;
      continue;
    }
    if (c === 33 /* ! */ || c === 63 /* ? */) {
      const end = text.indexOf('>', lt);
      if (end === -1) break;
      i = end + 1;
      continue;
    }
    emit('<');
    i = lt + 1;
  }
  return parts.join('');
}

/**
 * Plain text from an HTML fragment: script/style (and other invisible) content dropped, comments
 * dropped, tags removed (block elements leave a space, inline ones join), entities decoded,
 * whitespace collapsed to single spaces and trimmed. The result never contains a `<tag>`, even
 * when the input escaped one (`&lt;b&gt;`). Plain text passes through with only whitespace
 * collapsed. Linear in the length of the input.
 */
export function stripHtml(text: string): string {
  if (typeof text !== 'string' || text === '') return '';
  let s = text.indexOf('<') === -1 ? text : removeMarkup(text);
  s = decodeEntities(s);
  // Decoded entities can spell markup (`&lt;b&gt;`); it goes too. Entities are not decoded twice.
  if (s.indexOf('<') !== -1) s = removeMarkup(s);
  return s.replace(INVISIBLE, '').replace(WHITESPACE, ' ').trim();
}
