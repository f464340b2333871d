import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startBrowserFleet, USER, type BrowserFleet } from './fleet';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const VIEWPORTS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
const PAGES = ['/', '/news', '/signals', '/orders', '/performance', '/cycles', '/settings', '/chart'];

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `dashboard browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

/**
 * The operator's pages in a real headless Chromium against the real fleet: log in, watch a
 * catalyst become a signal, an order and a position live, halt and resume, a refused setting,
 * and a screenshot of every page at desktop and phone width. Any console error fails the test.
 */
// A real browser against the whole fleet: on a loaded CI machine a step can take tens of seconds.
describe.skipIf(!hasChromium)('dashboard in a real browser', { timeout: 120_000 }, () => {
  let fleet: BrowserFleet;
  /** The position the live test opened, for the tests that close it and read its story. */
  let traded: { symbol: string } | undefined;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let consoleErrors: string[] = [];
  let refused: string[] = [];
  /** The refusals a test provokes on purpose (status and path), in any order. */
  let expectedRefusals: string[] = [];

  async function open(viewport: keyof typeof VIEWPORTS = 'desktop'): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport], baseURL: fleet.dashboard.url });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (msg) => {
      // Chromium logs every answer of 400 or more as "Failed to load resource"; those are checked
      // below against what the test provoked, so a refusal the test asked for is not an error.
      if (
        msg.type() === 'error' &&
        !msg.text().startsWith('Failed to load resource: the server responded with a status of')
      )
        consoleErrors.push(`${page.url()}: ${msg.text()}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) refused.push(`${res.status()} ${new URL(res.url()).pathname}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
    return page;
  }

  async function logIn(page: Page) {
    await page.goto('/login');
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.locator('#stat-equity .stat-value').textContent()).toMatch(/\$/);
  }

  /** Plays the simulated market forward five minutes at a time until `done`. */
  async function playMarketUntil(done: () => Promise<boolean>, what: string) {
    for (let step = 0; step < 12; step++) {
      if (await done()) return;
      fleet.sim.sim.clock.advance(5 * 60_000);
      // The trading service syncs with the broker each second: give it two to see the fills.
      const until = Date.now() + 2_000;
      while (Date.now() < until) {
        if (await done()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`${what}: not yet after an hour of simulated market`);
  }

  /** A simulated catalyst whose symbol the (lenient) rules enter long now, asked of the technical service. */
  async function findBuy(exclude: string[]) {
    const { rows } = await fleet.pdb.db.query<{
      id: string;
      news_item_id: string;
      story_id: string;
      symbol: string;
      type: string;
      direction: string;
      received_at: Date;
      title: string;
    }>(
      `SELECT DISTINCT ON (c.symbol) c.id, c.news_item_id, n.story_id, c.symbol, c.type, c.direction, n.received_at, n.title
         FROM catalysts c JOIN news_items n ON n.id = c.news_item_id
        WHERE n.story_id IS NOT NULL AND NOT (c.symbol = ANY($1::text[]))
        ORDER BY c.symbol, c.score DESC`,
      [exclude],
    );
    for (const r of rows) {
      const probe = await fleet.technical.call('/signals', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ symbol: r.symbol }),
      });
      if (probe.body?.action === 'BUY') return r;
    }
    return undefined;
  }

  const setting = async (key: string) => {
    const res = await fleet.coordination.call('/settings');
    return (res.body.items as Array<{ key: string; value: unknown; updatedBy: string }>).find((s) => s.key === key);
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [fleet, browser] = await Promise.all([
      startBrowserFleet(),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
    ]);
    // The simulator's headlines may be days old by its afternoon: the news-age limit is a
    // setting, edited the way an operator would.
    const edit = await fleet.coordination.call('/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-actor': 'setup' },
      body: JSON.stringify({ max_news_age_minutes: 10_080 }),
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const collected = await fleet.news.call('/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(collected.status, JSON.stringify(collected.body)).toBe(200);
  }, 60_000);

  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    const errors = consoleErrors;
    const answers = refused.sort();
    const expected = expectedRefusals.sort();
    consoleErrors = [];
    refused = [];
    expectedRefusals = [];
    expect(errors, 'errors in the browser console').toEqual([]);
    expect(answers, 'requests the server refused').toEqual(expected);
  });

  afterAll(async () => {
    await browser?.close();
    await fleet?.close();
  });

  it('refuses wrong credentials with a message on the page, then logs in', async () => {
    expectedRefusals = ['401 /api/session', '401 /api/login'];
    const page = await open();
    await page.goto('/');
    // Not logged in: the app sends the operator to the login page.
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Password').fill('wrong password <b>bold</b>');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('#login-message').textContent()).toMatch(/wrong user name or password/i);
    await expect(page.locator('#login-message b').count()).resolves.toBe(0);
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.locator('#stat-equity .stat-value').textContent()).toMatch(/^\$[\d,]+\.\d\d$/);
    await expect.poll(() => page.locator('#trading-state').textContent()).toBe('Trading on');
    await expect.poll(() => page.locator('#live-state').textContent()).toBe('live');
  });

  it('shows a simulated catalyst becoming a signal, an order and a position without a reload', async () => {
    // A symbol the (lenient) rules enter long at this frozen moment, asked of the technical service.
    const buy = await findBuy([]);
    expect(buy, 'no simulated catalyst whose symbol the rules buy').toBeDefined();
    const symbol = buy!.symbol;

    const page = await open();
    await logIn(page);
    await expect.poll(() => page.locator('#live-state').textContent()).toBe('live');
    // A mark that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await expect(page.locator(`#positions tr[data-symbol="${symbol}"]`).count()).resolves.toBe(0);

    // The news service's event for a strong catalyst: the fast path trades the symbol at once.
    await fleet.bus.publish('news', 'news.catalyst', {
      catalystId: buy!.id,
      newsItemId: buy!.news_item_id,
      storyId: buy!.story_id,
      symbol,
      type: buy!.type,
      direction: buy!.direction,
      score: 0.95,
      headline: buy!.title,
      receivedAt: buy!.received_at.toISOString(),
    });

    const activity = page.locator('#activity');
    await expect.poll(() => page.locator('#live-news').textContent(), { timeout: 5_000 }).toContain(buy!.title);
    await expect
      .poll(() => activity.textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`Catalyst .* on ${symbol}`));
    await expect.poll(() => activity.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`Signal BUY ${symbol}`));
    await expect.poll(() => activity.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`Order BUY ${symbol}`));
    // The simulator's clock stands still; a market order fills on the next minute's bar.
    fleet.sim.sim.clock.advance(2 * 60_000);
    await expect.poll(() => activity.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`Fill BUY \\d+ ${symbol}`));
    await expect
      .poll(() => page.locator(`#positions tr[data-symbol="${symbol}"]`).count(), { timeout: 20_000 })
      .toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-catalyst-to-position.png'), fullPage: true });
    traded = { symbol };
  }, 45_000);

  it('closes a position after a confirmation, and its exit marker on the chart opens the trade’s whole story', async () => {
    expect(traded, 'the live test above opened no position').toBeDefined();
    const { symbol } = traded!;
    const page = await open();
    // The entry fills in full first (the simulator fills by each minute's volume), so that the
    // close leaves nothing behind.
    await playMarketUntil(async () => {
      const orders = (await fleet.trading.call(`/orders?symbol=${symbol}`)).body.items as Array<{
        side: string;
        leg: string | null;
        status: string;
      }>;
      return orders.some((o) => o.side === 'buy' && o.leg === null && o.status === 'filled');
    }, `the ${symbol} entry filled`);
    await logIn(page);
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.locator('body[data-ready="/orders"]').waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: `Close position ${symbol}` }).click();
    await expect
      .poll(() => page.locator('#flash').textContent())
      .toMatch(new RegExp(`Closing order sent for ${symbol}`));
    await playMarketUntil(
      async () =>
        !(await fleet.trading.call('/positions')).body.items.some((p: { symbol: string }) => p.symbol === symbol),
      `the ${symbol} position closed`,
    );
    await expect
      .poll(() => page.locator(`#positions tr[data-symbol="${symbol}"]`).count(), { timeout: 20_000 })
      .toBe(0);

    await page
      .getByRole('link', { name: `Chart of ${symbol}` })
      .first()
      .click();
    await page.locator('body[data-ready^="/chart"]').waitFor();
    const storyButtons = page.locator('#chart-trades').getByRole('button', { name: /Open the story of the exit/ });
    await expect.poll(() => storyButtons.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await storyButtons.first().click();
    const story = page.getByRole('dialog');
    await expect.poll(() => story.textContent()).toContain(`${symbol}:`);
    // The news behind it (items of the catalyst's story), the catalyst and its terms, the
    // patterns, the indicator values the signal saw and the risk decision.
    expect(await story.locator('ul.news-links li a').count()).toBeGreaterThan(0);
    const text = (await story.textContent()) ?? '';
    expect(text).toMatch(/terms: /);
    for (const part of ['Patterns', 'Signal', 'Indicator values', 'Risk decision', 'approved'])
      expect(text).toContain(part);
    await page.screenshot({ path: path.join(ARTIFACTS, 'trade-story.png'), fullPage: true });
    await page.getByRole('button', { name: 'Close the trade story' }).click();
  }, 45_000);

  it('starts a cycle from the overview and shows its steps on a timeline as they finish', async () => {
    // One cycle at a time: the fast path's cycle from the test above must be over.
    await expect
      .poll(async () => (await fleet.coordination.call('/status')).body.runningCycleId, { timeout: 30_000 })
      .toBeNull();
    const page = await open();
    await logIn(page);
    await page.getByRole('button', { name: 'Start a cycle' }).click();
    await expect.poll(() => page.locator('#flash').textContent()).toMatch(/Cycle started/);
    const lastCycles = page.locator('#last-cycles tbody tr', { hasText: 'manual' });
    await expect.poll(() => lastCycles.first().textContent(), { timeout: 40_000 }).toMatch(/completed|failed/);

    await page.getByRole('link', { name: 'Cycles' }).click();
    await page.locator('body[data-ready="/cycles"]').waitFor();
    await expect.poll(() => page.locator('#cycle-detail').textContent()).toMatch(/manual/);
    // One bar per step that ran: news, scan, patterns, technical, trading.
    expect(await page.locator('#cycle-detail svg.timeline rect').count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: path.join(ARTIFACTS, 'cycle-timeline.png'), fullPage: true });
  }, 60_000);

  it('with approval mode on, a signal waits in the queue with its reasons until the operator rejects it', async () => {
    await expect
      .poll(async () => (await fleet.coordination.call('/status')).body.runningCycleId, { timeout: 30_000 })
      .toBeNull();
    const held = (await fleet.trading.call('/positions')).body.items.map((p: { symbol: string }) => p.symbol);
    const buy = await findBuy([...held, traded?.symbol ?? '']);
    expect(buy, 'no other symbol the rules buy').toBeDefined();
    const page = await open();
    await logIn(page);
    try {
      await page.goto('/settings');
      await page.locator('body[data-ready="/settings"]').waitFor();
      await page.getByLabel('Approval mode').check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => page.locator('#settings-message').textContent()).toMatch(/Saved: Approval mode/);
      expect((await setting('approval_mode'))!.value).toBe(true);

      await page.getByRole('link', { name: 'Overview' }).click();
      await page.locator('body[data-ready="/"]').waitFor();
      const before = (
        await fleet.pdb.db.query<{ id: string }>('SELECT id FROM signals WHERE symbol = $1', [buy!.symbol])
      ).rows.map((r) => r.id);
      await page.getByLabel('Symbol for the cycle (optional)').fill(buy!.symbol);
      await page.getByRole('button', { name: 'Start a cycle' }).click();
      await expect.poll(() => page.locator('#flash').textContent()).toMatch(/Cycle started/);
      await page.getByRole('link', { name: 'Signals' }).click();
      await page.locator('body[data-ready="/signals"]').waitFor();

      // The queue fills live when the cycle's signal is created (the probe above left one too).
      const queued = () =>
        page
          .locator('#approval-queue article.signal')
          .evaluateAll(
            (cards, sym) =>
              cards.filter((c) => c.textContent?.includes(sym)).map((c) => c.getAttribute('data-id') ?? ''),
            buy!.symbol,
          );
      const fresh = async () => (await queued()).filter((id) => !before.includes(id));
      await expect.poll(async () => (await fresh()).length, { timeout: 30_000 }).toBe(1);
      const [signalId] = await fresh();
      const card = page.locator(`#approval-queue article.signal[data-id="${signalId}"]`);
      expect(await card.locator('.reasons li').count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(ARTIFACTS, 'approval-queue.png'), fullPage: true });
      await card.getByRole('button', { name: `Reject buy ${buy!.symbol}` }).click();
      await expect.poll(() => card.count()).toBe(0);
      const stored = await fleet.technical.call(`/signals/${signalId}`);
      expect(stored.body.status).toBe('rejected');
      // Nothing was sent to the broker for it.
      const orders = await fleet.pdb.db.query('SELECT id FROM orders WHERE signal_id = $1', [signalId]);
      expect(orders.rows).toEqual([]);
    } finally {
      await fleet.coordination.call('/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ approval_mode: false }),
      });
    }
  }, 60_000);

  it('halts trading after a confirmation and resumes it, from any page', async () => {
    const page = await open();
    await logIn(page);
    await page.getByRole('link', { name: 'News' }).click();
    await page.waitForURL((u) => u.pathname === '/news');

    const halt = page.locator('#halt-button');
    await halt.click();
    // Cancelling the confirmation changes nothing.
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await fleet.trading.call('/halt')).body.halted).toBe(false);

    await halt.click();
    await page.getByLabel('Reason (optional)').fill('browser test <script>alert(1)</script>');
    await page.getByRole('button', { name: 'Halt now' }).click();
    await expect.poll(() => page.locator('#trading-state').textContent()).toBe('Trading halted');
    await expect.poll(async () => (await fleet.trading.call('/halt')).body.halted).toBe(true);
    await expect.poll(() => halt.textContent()).toBe('Resume trading');
    await page.screenshot({ path: path.join(ARTIFACTS, 'halted.png') });

    await halt.click();
    await expect.poll(() => page.locator('#trading-state').textContent()).toBe('Trading on');
    await expect.poll(async () => (await fleet.trading.call('/halt')).body.halted).toBe(false);
  });

  it('refuses an invalid setting with a message beside it and changes nothing; a valid one is saved and audited', async () => {
    expectedRefusals = ['400 /api/settings'];
    const before = await setting('max_positions');
    expect(before, 'the max_positions setting').toBeDefined();
    const page = await open();
    await logIn(page);
    await page.goto('/settings');
    const field = page.getByLabel('Max positions', { exact: true });
    await field.fill('-3');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('#settings-message').textContent()).toMatch(/not valid.*nothing was changed/i);
    await expect.poll(() => page.locator('#err-max_positions').isVisible()).toBe(true);
    expect((await setting('max_positions'))!.value).toEqual(before!.value);

    await field.fill('not a number');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('#err-max_positions').textContent()).toBe('must be a number');
    expect((await setting('max_positions'))!.value).toEqual(before!.value);
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-refused.png'), fullPage: true });

    const next = Number(before!.value) + 1;
    await field.fill(String(next));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('#settings-message').textContent()).toMatch(/Saved: Max positions/);
    const after = await setting('max_positions');
    expect(after).toMatchObject({ value: next, updatedBy: USER });
  });

  it('an expired session sends the operator to the login page with a message', async () => {
    // The orders page asks for positions and orders at once: both are refused.
    expectedRefusals = ['401 /api/orders', '401 /api/positions'];
    const page = await open();
    await logIn(page);
    await page.context().clearCookies();
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await expect.poll(() => page.locator('#login-message').textContent()).toMatch(/session has ended/i);
  });

  for (const viewport of Object.keys(VIEWPORTS) as Array<keyof typeof VIEWPORTS>) {
    it(`renders every page at ${VIEWPORTS[viewport].width} px, readable and without console errors`, async () => {
      const page = await open(viewport);
      await page.goto('/login');
      await page.screenshot({ path: path.join(ARTIFACTS, `${viewport}-login.png`) });
      await logIn(page);
      for (const p of PAGES) {
        await page.goto(p);
        await page.locator(`body[data-ready="${p}"]`).waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${p} is wider than the ${viewport} screen`).toBeLessThanOrEqual(1);
        const name = p === '/' ? 'overview' : p.slice(1);
        await page.screenshot({ path: path.join(ARTIFACTS, `${viewport}-${name}.png`), fullPage: true });
        // Every visible control has an accessible name.
        const unnamed = await page.evaluate(() =>
          [...document.querySelectorAll('button, a[href], input, select, textarea')]
            .filter((el) => {
              const e = el as HTMLInputElement;
              if (e.getClientRects().length === 0) return false;
              const named = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.textContent?.trim();
              return !named && !(e.labels && e.labels.length);
            })
            .map((el) => el.outerHTML.slice(0, 100)),
        );
        expect(unnamed, `controls without a name on ${p}`).toEqual([]);
      }
      // On a phone the pages sit behind the menu button, which closes again once a page is chosen.
      const news = page.getByRole('link', { name: 'News', exact: true });
      if (viewport === 'phone') {
        expect(await news.isVisible()).toBe(false);
        await page.getByRole('button', { name: 'Menu' }).click();
      }
      await news.click();
      await page.locator('body[data-ready="/news"]').waitFor();
      expect(await page.locator('#nav a[href="/news"]').getAttribute('aria-current')).toBe('page');
      expect(await page.locator('#nav a[href="/news"]').isVisible()).toBe(viewport === 'desktop');
    }, 30_000);
  }
});
