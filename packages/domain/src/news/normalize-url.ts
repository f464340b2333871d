/**
 * Canonical article URLs, so the same page reached through a newsletter, a share button or a feed
 * is one item.
 */

/** Query parameters that only say how a reader arrived; none of them changes the page. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'ref',
  'ref_src',
  'ref_url',
  'referrer',
  'cmpid',
  'cmp',
  'ncid',
  'sr_share',
  'ocid',
  'icid',
  'soc_src',
  'soc_trk',
  'mkt_tok',
  '_hsenc',
  '_hsmi',
  's_cid',
  'smid',
  'spm',
  'guccounter',
  'guce_referrer',
  'guce_referrer_sig',
]);

function isTrackingParam(name: string): boolean {
  const key = name.toLowerCase();
  return key.startsWith('utm_') || TRACKING_PARAMS.has(key);
}

/**
 * The canonical form of an http(s) URL: lowercase host, no credentials, no fragment, no default
 * port, no tracking parameters, the remaining parameters sorted (by name, then value), and no
 * trailing slash on a path other than the root. `null` when the value is not an absolute http(s) URL.
 * Idempotent: canonicalUrl(canonicalUrl(u)) === canonicalUrl(u).
 */
export function canonicalUrl(url: string): string | null {
  if (typeof url !== 'string') return null;
  const trimmed = url.trim();
  if (trimmed === '' || trimmed.length > 8192) return null;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.hostname === '') return null;

  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';

  const kept: Array<[string, string]> = [];
  for (const [name, value] of parsed.searchParams) {
    if (!isTrackingParam(name)) kept.push([name, value]);
  }
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  parsed.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString();

  let path = parsed.pathname;
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  if (end !== path.length) {
    path = path.slice(0, end);
    parsed.pathname = path;
  }
  return parsed.href;
}
