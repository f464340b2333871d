/**
 * The app shell: session check, navigation between pages without a reload, the halt control on
 * every page, flash messages and the live connection state.
 */
import { describeError, get, loadSession, post, toLogin } from './api.js';
import { connectLive, onLive, onLiveState } from './live.js';

const routes = [
  { path: /^\/$/, load: () => import('./pages/overview.js') },
  { path: /^\/news$/, load: () => import('./pages/news.js') },
  { path: /^\/signals$/, load: () => import('./pages/signals.js') },
  { path: /^\/orders$/, load: () => import('./pages/orders.js') },
  { path: /^\/chart(?:\/([A-Za-z0-9.\-]{1,12}))?$/, load: () => import('./pages/chart.js') },
  { path: /^\/performance$/, load: () => import('./pages/performance.js') },
  { path: /^\/cycles$/, load: () => import('./pages/cycles.js') },
  { path: /^\/settings$/, load: () => import('./pages/settings.js') },
];

const main = document.getElementById('main');
const flashEl = document.getElementById('flash');
const haltButton = document.getElementById('halt-button');
const tradingState = document.getElementById('trading-state');
const liveState = document.getElementById('live-state');
const dialog = document.getElementById('halt-dialog');
const nav = document.getElementById('nav');
const navToggle = document.getElementById('nav-toggle');

let cleanup = [];
let halted = null;
let flashTimer = null;

/** A message at the top of the page; errors stay until the next one, notices fade. */
export function flash(text, kind = 'error') {
  flashEl.textContent = text;
  flashEl.className = `flash ${kind}`;
  flashEl.hidden = false;
  clearTimeout(flashTimer);
  if (kind !== 'error') flashTimer = setTimeout(() => (flashEl.hidden = true), 6000);
}

export function clearFlash() {
  flashEl.hidden = true;
}

function setHalted(value) {
  halted = value;
  haltButton.disabled = false;
  haltButton.textContent = value ? 'Resume trading' : 'Halt trading';
  haltButton.className = value ? 'primary' : 'danger';
  tradingState.textContent = value ? 'Trading halted' : 'Trading on';
  tradingState.className = `pill ${value ? 'bad' : 'good'}`;
  document.body.classList.toggle('is-halted', value);
  window.dispatchEvent(new CustomEvent('catalyst:halted', { detail: value }));
}

export function isHalted() {
  return halted;
}

async function refreshHalt() {
  try {
    const o = await get('/api/overview');
    setHalted(o.halted);
  } catch (err) {
    if (err.status !== 401) flash(`Could not read the trading state: ${describeError(err)}`);
  }
}

haltButton.addEventListener('click', async () => {
  if (halted) {
    haltButton.disabled = true;
    try {
      const state = await post('/api/resume', {});
      setHalted(state.halted);
      flash('Trading resumed.', 'info');
    } catch (err) {
      flash(`Resume failed: ${describeError(err)}`);
    } finally {
      haltButton.disabled = false;
    }
    return;
  }
  document.getElementById('halt-reason').value = '';
  document.getElementById('halt-flatten').checked = false;
  dialog.showModal();
});

document.getElementById('halt-cancel').addEventListener('click', () => dialog.close('cancel'));
document.getElementById('halt-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  dialog.close('halt');
  haltButton.disabled = true;
  const reason = document.getElementById('halt-reason').value.trim();
  const flatten = document.getElementById('halt-flatten').checked;
  try {
    const result = await post('/api/halt', {
      confirm: true,
      ...(reason ? { reason } : {}),
      ...(flatten ? { flatten: true } : {}),
    });
    setHalted(result.halted);
    const extra = result.failures && result.failures.length ? ` ${result.failures.length} action(s) failed.` : '';
    flash(
      `Trading halted. ${result.canceledOrders.length} order(s) cancelled, ${result.closedPositions.length} position(s) closed.${extra}`,
      'info',
    );
  } catch (err) {
    flash(`Halt failed: ${describeError(err)}`);
  } finally {
    haltButton.disabled = false;
  }
});

document.getElementById('logout-button').addEventListener('click', async () => {
  try {
    await post('/api/logout', {});
  } catch {
    // The session may already be gone: the login page is the right place either way.
  }
  location.assign('/login?reason=logout');
});

navToggle.addEventListener('click', () => {
  const open = navToggle.getAttribute('aria-expanded') !== 'true';
  navToggle.setAttribute('aria-expanded', String(open));
  nav.classList.toggle('open', open);
});

/** A page's subscription to live events, dropped when the page is left. */
function pageLive(fn) {
  cleanup.push(onLive(fn));
}

async function render() {
  for (const fn of cleanup.splice(0)) {
    try {
      fn();
    } catch {
      // A page's teardown failing must not stop the next page.
    }
  }
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const route = routes.find((r) => r.path.test(path));
  for (const a of nav.querySelectorAll('a')) {
    const href = a.getAttribute('href');
    const current = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  nav.classList.remove('open');
  navToggle.setAttribute('aria-expanded', 'false');
  main.replaceChildren();
  delete document.body.dataset.ready;
  if (!route) {
    const p = document.createElement('p');
    p.textContent = 'There is no such page.';
    main.append(p);
    document.title = 'Not found · Catalyst';
    return;
  }
  const match = route.path.exec(path);
  const page = (await route.load()).default;
  document.title = `${page.title} · Catalyst`;
  try {
    const done = await page.render(main, {
      params: match.slice(1),
      query: new URLSearchParams(location.search),
      live: pageLive,
      flash,
      navigate,
      onCleanup: (fn) => cleanup.push(fn),
    });
    if (typeof done === 'function') cleanup.push(done);
  } finally {
    // Tests and scripts wait for this rather than for the network (the event stream never idles).
    document.body.dataset.ready = path;
  }
}

export function navigate(href) {
  history.pushState(null, '', href);
  clearFlash();
  render().catch(showPageError);
}

function showPageError(err) {
  if (err && err.status === 401) return;
  flash(`This page could not be shown: ${describeError(err)}`);
}

document.addEventListener('click', (ev) => {
  const a = ev.target instanceof Element ? ev.target.closest('a') : null;
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || a.target) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname === '/login') return;
  ev.preventDefault();
  navigate(`${url.pathname}${url.search}`);
});
window.addEventListener('popstate', () => render().catch(showPageError));

onLiveState((s) => {
  liveState.textContent = s === 'live' ? 'live' : s;
  liveState.className = `pill ${s === 'live' ? 'good' : 'muted'}`;
});
onLive((type) => {
  if (type === 'trading.halted') setHalted(true);
  if (type === 'trading.resumed') setHalted(false);
});

async function boot() {
  let session;
  try {
    session = await loadSession();
  } catch (err) {
    flash(`The dashboard could not be reached: ${describeError(err)}`);
    return;
  }
  if (!session) {
    toLogin();
    return;
  }
  document.getElementById('logout-button').title = `Logged in as ${session.user}`;
  connectLive();
  await refreshHalt();
  await render().catch(showPageError);
}

boot();
