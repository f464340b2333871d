/**
 * The proof under faults: many signals sent to the real trading service (its own process, killed
 * with SIGKILL and restarted at random points) while the simulated broker answers 5xx, 429, times
 * out or drops the connection after accepting. Afterwards the broker's orders and the database are
 * compared: no duplicate broker orders, no signal without its one order or one recorded refusal, and
 * PostgreSQL's positions equal to the broker's.
 *
 * Used by scripts/trading-faults.ts (the full run) and by fault-run.test.ts (a small one).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { connectDb, createLogger, migrate, repoRoot, type Db } from '@catalyst/shared';
import { defaultUniverse, startMarketSim, type FaultRule } from '@catalyst/market-sim';

export interface FaultRunOptions {
  signals: number;
  /** SIGKILLs of the trading process, spread over the run at random points. */
  kills: number;
  seed?: number;
  /** Signals in flight at once (the coordination service sends a cycle's signals together). */
  concurrency?: number;
  /** PostgreSQL server to create the run's fresh database on. */
  adminDatabaseUrl?: string;
  /** Scale of the injected faults' probabilities (1 = the rates below). */
  faultRate?: number;
  /** How long to wait, after the last signal, for reconciliation to settle everything. */
  settleTimeoutMs?: number;
  /** Where the trading process's output goes (default: discarded). */
  serviceLogFile?: string;
  /** Progress lines (the script prints them; the test passes nothing). */
  progress?: (line: string) => void;
  /** Keep the database afterwards (its name is in the result). */
  keepDatabase?: boolean;
}

export interface FaultRunFigures {
  signals: number;
  /** Broker orders placed for signals (top-level; bracket legs not counted). */
  brokerOrders: number;
  /** Signals that ended as a recorded refusal (risk, or a submission failed for good). */
  refusals: number;
  riskRefusals: number;
  failedSubmissions: number;
  /** Broker orders beyond the first for one signal. */
  duplicates: number;
  /**
   * Signals with neither a broker order nor a recorded refusal, that were not refused before the
   * risk check either (the "lost").
   */
  lost: number;
  /**
   * Signals answered with a final 4xx before the risk check (invalid levels against the market
   * that moved, …): they never passed risk, and the database holds no decision for them.
   */
  refusedBeforeRisk: number;
  /** Signals with both a broker order and a refusal. */
  contradictory: number;
  /** Broker orders (legs included) with no row in PostgreSQL. */
  ordersMissingInDb: number;
  /** Orders whose status in PostgreSQL differs from the broker's. */
  statusMismatches: number;
  /** Symbols whose open position (side, qty) differs between PostgreSQL and the broker. */
  positionMismatches: number;
  positionsAtBroker: number;
  trades: number;
  kills: number;
  restarts: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  /** The driver's HTTP attempts, and how many got no final answer (retried). */
  requests: number;
  retriedRequests: number;
  /** The driver's final answers by kind (order, risk_rejected, other codes). */
  answers: Record<string, number>;
  durationMs: number;
  settleMs: number;
  database: string;
  problems: string[];
}

const TOKEN = 'fault-run-token-0123456789abcdef';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh database, migrated; named like test databases so a killed run's leftovers get dropped. */
async function freshDatabase(adminUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const log = createLogger({ service: 'trading-faults', level: 'silent' });
  const name = `catalyst_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = await connectDb(adminUrl, log, { max: 1 });
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = await connectDb(u.toString(), log, { max: 1 });
  try {
    await migrate(db, log);
  } finally {
    await db.end();
  }
  return {
    url: u.toString(),
    name,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The trading service as its own process: started, SIGKILLed and restarted by the run. */
class TradingProcess {
  private child: ChildProcess | null = null;
  restarts = 0;
  kills = 0;
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly url: string,
    private readonly out: WriteStream | null,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/trading/src/main.ts'], {
      cwd: repoRoot(),
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (this.out) {
      child.stdout?.pipe(this.out, { end: false });
      child.stderr?.pipe(this.out, { end: false });
    } else {
      child.stdout?.resume();
      child.stderr?.resume();
    }
    this.child = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the trading service exited with ${child.exitCode} while starting`);
      try {
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error('the trading service did not answer /health within 60 s');
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
    this.restarts++;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
  }
}

/** The broker's faults: the kinds the issue names, on order submission and (less often) on reads. */
function faultRules(rate: number): FaultRule[] {
  const p = (x: number) => Math.min(1, x * rate);
  return [
    { path: '/v2/orders', method: 'POST', kind: 'drop', afterHandler: true, probability: p(0.06) },
    { path: '/v2/orders', method: 'POST', kind: 'timeout', afterHandler: true, ms: 1_500, probability: p(0.03) },
    { path: '/v2/orders', method: 'POST', kind: 'timeout', ms: 1_500, probability: p(0.03) },
    { path: '/v2/orders', method: 'POST', kind: 'drop', probability: p(0.03) },
    { path: '/v2/orders', method: 'POST', kind: 'status', status: 500, probability: p(0.04) },
    { path: '/v2/orders', method: 'POST', kind: 'status', status: 503, probability: p(0.03) },
    { path: '/v2/orders', method: 'POST', kind: 'status', status: 429, retryAfterSeconds: 1, probability: p(0.05) },
    { path: '/v2/orders:by_client_order_id', method: 'GET', kind: 'status', status: 502, probability: p(0.05) },
    { path: '/v2/positions', method: 'GET', kind: 'status', status: 503, probability: p(0.03) },
    { path: '/v2/orders', method: 'GET', kind: 'status', status: 429, retryAfterSeconds: 1, probability: p(0.02) },
    { path: '/v2/account', method: 'GET', kind: 'drop', probability: p(0.02) },
  ];
}

interface SignalRow {
  id: string;
  symbol: string;
}

/**
 * One signal as the technical service would write it, at the simulator's present: a buy at the last
 * price with a tight bracket (stop 1% below, target 1% above, so positions close during the run),
 * behind a fresh news item from a healthy source.
 */
async function createSignal(db: Db, sourceId: string, symbol: string, last: number, at: string): Promise<SignalRow> {
  const cents = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
  const news = await db.query<{ id: string }>(
    `INSERT INTO news_items (source_id, url, title, published_at, received_at)
     VALUES ($1, 'https://wire.example/' || gen_random_uuid(), $2, $3, $3) RETURNING id`,
    [sourceId, `${symbol} wins a contract`, at],
  );
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO signals (symbol, action, confidence, entry_price, stop_price, target_price, status, news_item_id,
                          created_at, updated_at, expires_at)
     VALUES ($1, 'buy', 0.8, $2, $3, $4, 'pending', $5, $6, $6, $6::timestamptz + interval '1 day') RETURNING id`,
    [symbol, cents(last), cents(last * 0.99), cents(last * 1.01), news.rows[0]!.id, at],
  );
  return { id: rows[0]!.id, symbol };
}

function tally(outcomes: Map<string, Outcome>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes.values()) {
    const key = o.kind === 'order' ? 'order' : (o.code ?? String(o.status));
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

type Outcome = { kind: 'order' | 'refusal' | 'other'; status: number; code?: string; message?: string };

/** Sends one signal's order the way the coordination service will: the same key until a final answer. */
async function sendSignal(
  url: string,
  s: SignalRow,
  deadlineMs: number,
  counters: { requests: number; retried: number },
): Promise<Outcome> {
  const until = Date.now() + deadlineMs;
  let wait = 100;
  for (;;) {
    counters.requests++;
    try {
      const res = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'idempotency-key': `signal-${s.id}`,
        },
        body: JSON.stringify({ symbol: s.symbol, side: 'buy', type: 'market', signalId: s.id }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      const code = body.error?.code;
      const message = body.error?.message;
      if (res.status === 201 || res.status === 200) return { kind: 'order', status: res.status };
      if (res.status === 422 || res.status === 409 || res.status === 400 || res.status === 404) {
        return {
          kind: code === 'risk_rejected' ? 'refusal' : 'other',
          status: res.status,
          ...(code ? { code } : {}),
          ...(message ? { message } : {}),
        };
      }
    } catch {
      // killed mid-request, or not up yet: the same key again
    }
    counters.retried++;
    if (Date.now() > until) return { kind: 'other', status: 0, code: 'gave_up' };
    await sleep(wait);
    wait = Math.min(wait * 2, 2_000);
  }
}

export async function runFaultScenario(opts: FaultRunOptions): Promise<FaultRunFigures> {
  const started = Date.now();
  const say = opts.progress ?? (() => undefined);
  const rand = prng(opts.seed ?? 1);
  const problems: string[] = [];
  const adminUrl =
    opts.adminDatabaseUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  const fresh = await freshDatabase(adminUrl);
  const log = createLogger({ service: 'trading-faults', level: 'silent' });
  const db = await connectDb(fresh.url, log, { max: 2 });
  // A Wednesday at 10:00 New York time, the regular session, running at 30× so brackets reach their
  // targets and stops while the run goes on.
  const sim = await startMarketSim({
    port: 0,
    seed: opts.seed ?? 1,
    speed: 30,
    startTime: '2025-03-12T14:00:00Z',
    symbols: 400,
  });
  const out = opts.serviceLogFile ? createWriteStream(opts.serviceLogFile, { flags: 'a' }) : null;
  const port = await freePort();
  const svc = new TradingProcess(
    {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: fresh.url,
      REDIS_URL: '',
      CATALYST_API_TOKEN: TOKEN,
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
      // Short broker deadlines and sync intervals, so a run settles in seconds rather than minutes.
      TRADING_BROKER_TIMEOUT_MS: '2000',
      TRADING_SYNC_INTERVAL_SECONDS: '1',
      TRADING_RECONCILE_INTERVAL_SECONDS: '5',
    },
    `http://127.0.0.1:${port}`,
    out,
  );

  let faultsInjected = 0;
  const faultsByKind: Record<string, number> = {};
  const counters = { requests: 0, retried: 0 };
  const outcomes = new Map<string, Outcome>();
  let settleMs = 0;
  const signals: SignalRow[] = [];
  try {
    const symbols = defaultUniverse(400)
      .filter((s) => s.basePrice >= 10 && s.basePrice <= 300 && s.avgDailyVolume >= 500_000)
      .map((s) => s.symbol);
    const lastPrice = async (symbol: string): Promise<number | null> => {
      const res = await fetch(`${sim.url}/v2/stocks/${symbol}/trades/latest`, {
        headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
      });
      if (!res.ok) return null;
      return ((await res.json()) as { trade?: { p: number } }).trade?.p ?? null;
    };
    // Room for many small positions (the operator's settings, as the dashboard would set them): the
    // run is about orders under faults, not about the limits. A signal may wait out a restart.
    for (const [key, value] of Object.entries({
      risk_per_trade_pct: 0.05,
      max_position_pct: 1,
      max_positions: 100,
      max_gross_exposure_pct: 100,
      daily_loss_limit_pct: 50,
      symbol_cooldown_minutes: 0,
      min_avg_volume: 0,
      max_signal_age_minutes: 60,
      max_news_age_minutes: 600,
    })) {
      await db.query(
        `INSERT INTO settings (key, value, updated_by) VALUES ($1, $2::jsonb, 'trading-faults')
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [key, JSON.stringify(value)],
      );
    }
    const source = await db.query<{ id: string }>(
      `INSERT INTO news_sources (name, kind, last_success_at) VALUES ('faults.wire', 'sim', now()) RETURNING id`,
    );
    const sourceId = source.rows[0]!.id;
    say(`${opts.signals} signals over ${symbols.length} symbols; database ${fresh.name}; simulator ${sim.url}`);

    await svc.start();
    for (const rule of faultRules(opts.faultRate ?? 1)) {
      const res = await fetch(`${sim.url}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      });
      if (!res.ok) throw new Error(`the simulator refused fault ${JSON.stringify(rule)}: ${res.status}`);
    }

    // Kill points: after random numbers of finished signals, each after a random delay so the kill
    // lands inside whatever requests are in flight.
    const killAt = new Set<number>();
    while (killAt.size < Math.min(opts.kills, Math.max(0, opts.signals - 2))) {
      killAt.add(1 + Math.floor(rand() * (opts.signals - 2)));
    }
    let done = 0;
    let killing: Promise<void> = Promise.resolve();
    let next = 0;
    const concurrency = opts.concurrency ?? 8;
    const worker = async () => {
      while (next < opts.signals) {
        next++;
        const symbol = symbols[Math.floor(rand() * symbols.length)]!;
        const last = await lastPrice(symbol);
        if (last === null) throw new Error(`the simulator has no price for ${symbol}`);
        const s = await createSignal(db, sourceId, symbol, last, new Date(sim.sim.clock.now()).toISOString());
        signals.push(s);
        outcomes.set(s.id, await sendSignal(svc.url, s, 180_000, counters));
        done++;
        if (killAt.has(done)) {
          const delay = Math.floor(rand() * 300);
          killing = killing.then(async () => {
            await sleep(delay);
            await svc.restart();
            say(`SIGKILL ${svc.kills} after ${done} signals; restarted`);
          });
        }
        if (done % 100 === 0) say(`${done}/${opts.signals} signals answered`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await killing;

    const faultList = (await (await fetch(`${sim.url}/_sim/faults`)).json()) as Array<FaultRule & { hits: number }>;
    for (const f of faultList) {
      faultsInjected += f.hits;
      const kind = f.kind === 'status' ? String(f.status) : `${f.kind}${f.afterHandler ? '_after_accept' : ''}`;
      faultsByKind[kind] = (faultsByKind[kind] ?? 0) + f.hits;
    }
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    // Hold the market still: with no new bars nothing fills, so the database can catch up with a
    // broker that stops moving, and the comparison reads both in the same state.
    sim.sim.clock.setSpeed(0);
    say(`all signals answered; ${faultsInjected} faults injected; waiting for reconciliation to settle`);

    // Settled: no submission left unresolved and positions equal to the broker's (checked twice,
    // a sync interval apart, so a pass in the middle of an update does not count).
    const settleStart = Date.now();
    const settleTimeout = opts.settleTimeoutMs ?? 120_000;
    let stable = 0;
    while (Date.now() - settleStart < settleTimeout) {
      const pending = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM orders WHERE status = 'pending_submit'`,
      );
      const mismatched = await positionMismatches(db, sim.url);
      const lagging = await statusLag(db, sim.sim.broker);
      stable = pending.rows[0]!.n === 0 && mismatched.length === 0 && lagging === 0 ? stable + 1 : 0;
      if (stable >= 2) break;
      await sleep(1_000);
    }
    settleMs = Date.now() - settleStart;

    return {
      ...(await check(db, sim.sim.broker, sim.url, signals, outcomes, problems)),
      kills: svc.kills,
      restarts: svc.restarts,
      faultsInjected,
      faultsByKind,
      requests: counters.requests,
      answers: tally(outcomes),
      retriedRequests: counters.retried,
      durationMs: Date.now() - started,
      settleMs,
      database: fresh.name,
      problems,
      signals: signals.length,
    };
  } finally {
    await svc.stop().catch(() => undefined);
    await sim.stop();
    out?.end();
    await db.end();
    if (!opts.keepDatabase) await fresh.drop().catch(() => undefined);
  }
}

type SimBroker = Awaited<ReturnType<typeof startMarketSim>>['sim']['broker'];

async function positionMismatches(db: Db, simUrl: string): Promise<string[]> {
  const res = await fetch(`${simUrl}/v2/positions`, {
    headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
  });
  if (!res.ok) throw new Error(`the simulator answered ${res.status} for its positions`);
  const theirs = new Map(((await res.json()) as Array<{ symbol: string; qty: string }>).map((p) => [p.symbol, p.qty]));
  const { rows } = await db.query<{ symbol: string; side: string; qty: string }>(
    `SELECT symbol, side, qty::text AS qty FROM positions WHERE closed_at IS NULL`,
  );
  const ours = new Map(rows.map((r) => [r.symbol, r.side === 'short' ? `-${r.qty}` : r.qty]));
  const out: string[] = [];
  for (const sym of new Set([...theirs.keys(), ...ours.keys()])) {
    const a = theirs.get(sym);
    const b = ours.get(sym);
    if (a === undefined || b === undefined || Number(a) !== Number(b))
      out.push(`${sym}: broker ${a ?? 'none'}, database ${b ?? 'none'}`);
  }
  return out;
}

async function statusLag(db: Db, broker: SimBroker): Promise<number> {
  const { rows } = await db.query<{ client_order_id: string; status: string }>(
    'SELECT client_order_id, status FROM orders',
  );
  const ours = new Map(rows.map((r) => [r.client_order_id, r.status]));
  let n = 0;
  for (const o of broker.orders.values()) if (ours.get(o.clientOrderId) !== o.status) n++;
  return n;
}

const SIGNAL_CID = /^cat-(?:entry|exit)-([0-9a-f-]{36})-g\d+$/;

async function check(
  db: Db,
  broker: SimBroker,
  simUrl: string,
  signals: SignalRow[],
  outcomes: Map<string, Outcome>,
  problems: string[],
) {
  const bySignal = new Map<string, string[]>();
  let ordersMissingInDb = 0;
  let statusMismatches = 0;
  const dbOrders = new Map(
    (
      await db.query<{ client_order_id: string; status: string; broker_order_id: string | null }>(
        'SELECT client_order_id, status, broker_order_id FROM orders',
      )
    ).rows.map((r) => [r.client_order_id, r]),
  );
  for (const o of broker.orders.values()) {
    const row = dbOrders.get(o.clientOrderId);
    const brokerStatus = o.status;
    if (!row) {
      ordersMissingInDb++;
      problems.push(`broker order ${o.clientOrderId} (${brokerStatus}) has no row`);
    } else if (row.status !== brokerStatus) {
      statusMismatches++;
      problems.push(`order ${o.clientOrderId}: broker ${brokerStatus}, database ${row.status}`);
    }
    if (o.parentId !== null) continue;
    const m = SIGNAL_CID.exec(o.clientOrderId);
    if (!m) continue;
    const list = bySignal.get(m[1]!) ?? [];
    list.push(o.clientOrderId);
    bySignal.set(m[1]!, list);
  }
  const refusedByRisk = new Set(
    (
      await db.query<{ signal_id: string }>('SELECT DISTINCT signal_id FROM risk_decisions WHERE NOT approved')
    ).rows.map((r) => r.signal_id),
  );
  const failed = new Set(
    (
      await db.query<{ signal_id: string }>(
        `SELECT DISTINCT signal_id FROM orders WHERE signal_id IS NOT NULL AND parent_order_id IS NULL
            AND status = 'rejected' AND broker_order_id IS NULL`,
      )
    ).rows.map((r) => r.signal_id),
  );
  let brokerOrders = 0;
  let duplicates = 0;
  let lost = 0;
  let refusedBeforeRisk = 0;
  let contradictory = 0;
  let riskRefusals = 0;
  let failedSubmissions = 0;
  for (const s of signals) {
    const placed = bySignal.get(s.id) ?? [];
    brokerOrders += Math.min(placed.length, 1);
    if (placed.length > 1) {
      duplicates += placed.length - 1;
      problems.push(`signal ${s.id}: ${placed.length} broker orders (${placed.join(', ')})`);
    }
    const refused = refusedByRisk.has(s.id) || failed.has(s.id);
    if (refusedByRisk.has(s.id)) riskRefusals++;
    else if (failed.has(s.id) && placed.length === 0) failedSubmissions++;
    const answer = outcomes.get(s.id);
    if (placed.length === 0 && !refused) {
      if (answer?.kind === 'other' && answer.status >= 400 && answer.status < 500) {
        refusedBeforeRisk++;
        problems.push(
          `signal ${s.id} (${s.symbol}): refused before risk, not recorded: ${answer.code} ${answer.message ?? ''}`,
        );
      } else {
        lost++;
        problems.push(
          `signal ${s.id} (${s.symbol}): no broker order and no recorded refusal (answer ${JSON.stringify(answer)})`,
        );
      }
    }
    if (placed.length > 0 && refusedByRisk.has(s.id)) {
      contradictory++;
      problems.push(`signal ${s.id}: a broker order and a risk refusal`);
    }
  }
  const mismatches = await positionMismatches(db, simUrl);
  problems.push(...mismatches.map((m) => `position ${m}`));
  const trades = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM trades');
  return {
    brokerOrders,
    refusals: riskRefusals + failedSubmissions,
    riskRefusals,
    failedSubmissions,
    duplicates,
    lost,
    refusedBeforeRisk,
    contradictory,
    ordersMissingInDb,
    statusMismatches,
    positionMismatches: mismatches.length,
    positionsAtBroker: [...broker.positions.values()].filter((p) => p.qty !== 0n).length,
    trades: trades.rows[0]!.n,
  };
}

export const faultRunPaths = { script: path.join('scripts', 'trading-faults.ts') };
