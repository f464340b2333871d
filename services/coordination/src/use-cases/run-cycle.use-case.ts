import { coordinationSettings, scheduleAt, type ScheduleMode } from '@catalyst/domain';
import {
  AppError,
  EVENT_CATALOGUE,
  readAhead,
  runWithContext,
  type CatalogueEventPayload,
  type CacheBus,
  type Lock,
  type Logger,
  type newsContract,
  type patternsContract,
  type scannerContract,
  type ServiceClient,
  type technicalContract,
  type tradingContract,
  type UpstreamErrorDetails,
} from '@catalyst/shared';
import type { CoordinationMetrics, CycleTrigger } from '../coordination-metrics';
import { FencedOut, type CyclesRepository } from '../data-access/cycles.repository';

/** The one lock every replica takes before it starts a cycle. */
export const CYCLE_LOCK_KEY = 'coordination:cycle';

export const STEP_NAMES = ['news', 'scan', 'patterns', 'technical', 'trading'] as const;

export interface CycleClients {
  news: ServiceClient<typeof newsContract>;
  scanner: ServiceClient<typeof scannerContract>;
  patterns: ServiceClient<typeof patternsContract>;
  technical: ServiceClient<typeof technicalContract>;
  trading: ServiceClient<typeof tradingContract>;
}

export interface CycleRunnerDeps {
  cycles: CyclesRepository;
  settings: { values(): Promise<Record<string, unknown>> };
  bus: Pick<CacheBus, 'acquireLock' | 'publish'>;
  clients: CycleClients;
  metrics: CoordinationMetrics;
  log: Logger;
  /** The schedule's clock (epoch ms): which session and mode a cycle runs in. */
  now: () => number;
  lockTtlMs: number;
  collectNews: boolean;
}

export interface CycleRequest {
  trigger: CycleTrigger;
  /** A one-symbol cycle (fast path, or a manual request naming a symbol): no scan. */
  symbol?: string;
  requestedBy?: string;
  /** The catalyst that started a fast-path cycle and when its news item arrived. */
  catalyst?: { id: string; newsItemId: string; receivedAt: string; score: number; type: string };
  /** The settings the caller has just read to decide on this cycle (the fast path): not read again. */
  settings?: Record<string, unknown>;
}

export interface CycleOutcome {
  id: string;
  status: 'completed' | 'failed';
  error: string | null;
}

export type StartResult = { started: true; id: string; done: Promise<CycleOutcome> } | { started: false };

/** How many candidates a scheduled cycle carries through, by the schedule's mode. */
const SCAN_SIZE: Record<ScheduleMode, { limit: number; consider: number }> = {
  aggressive: { limit: 5, consider: 200 },
  normal: { limit: 3, consider: 100 },
  light: { limit: 2, consider: 50 },
  // A manual cycle while the schedule is off runs at the normal size.
  off: { limit: 3, consider: 100 },
};

class StepFailed extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`${step}: ${message}`);
    this.name = 'StepFailed';
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function upstreamOf(err: unknown): UpstreamErrorDetails | undefined {
  if (!(err instanceof AppError) || !err.code.startsWith('UPSTREAM.')) return undefined;
  return err.details as UpstreamErrorDetails | undefined;
}

/**
 * An answer about this one request (a 4xx: unknown symbol, risk refused, halted) rather than a
 * service that cannot do its work. Those are outcomes recorded in the step; the rest fail it.
 * The trading service's 503 entries_blocked (reconciliation holds entries) is such an answer too.
 */
function refusalOf(err: unknown): { status: number; code: string; message: string } | undefined {
  const details = upstreamOf(err);
  const status = details?.status;
  if (details?.reason !== 'status' || status === undefined) return undefined;
  const code = details.upstream?.code ?? String(status);
  if ((status >= 400 && status < 500 && status !== 429) || code === 'entries_blocked') {
    return { status, code, message: details.upstream?.message ?? messageOf(err) };
  }
  return undefined;
}

interface Candidate {
  symbol: string;
  candidateId: string | null;
  catalystId: string | null;
}

interface SignalOutcome {
  symbol: string;
  signalId: string;
  action: 'BUY' | 'SELL' | 'HOLD';
  confidence: number;
  entry: number | null;
  stop: number | null;
  target: number | null;
  catalystId: string | null;
  detectionIds: string[];
}

/**
 * Runs trading cycles: news → scan → patterns → technical → trading, each step stored with its
 * timing, input and output (the ids it produced) and error. One cycle at a time across replicas:
 * the cycle lock is taken before the row exists, extended while the cycle works, and its fencing
 * token guards every write, so a holder that stalled past its expiry cannot overwrite the cycle
 * of the replica that took over. A step that fails ends the cycle as failed with the reason.
 */
export function createCycleRunner(deps: CycleRunnerDeps) {
  const { cycles, clients, metrics, log } = deps;
  let current: { id: string; abort: AbortController; done: Promise<CycleOutcome> } | null = null;
  let stopping = false;

  async function start(req: CycleRequest): Promise<StartResult> {
    if (stopping) return { started: false };
    const lock = await deps.bus.acquireLock(CYCLE_LOCK_KEY, deps.lockTtlMs);
    if (!lock) {
      metrics.startRefused(req.trigger);
      return { started: false };
    }
    let id: string;
    let cycle: Awaited<ReturnType<typeof prepare>>;
    try {
      cycle = await prepare(req, lock);
      id = cycle.id;
    } catch (err) {
      await lock.release().catch(() => false);
      throw err;
    }
    const abort = new AbortController();
    const done = runWithContext({ cycleId: id }, () => run(req, lock, cycle, abort));
    current = { id, abort, done };
    void done.finally(() => {
      if (current?.id === id) current = null;
    });
    return { started: true, id, done };
  }

  async function prepare(req: CycleRequest, lock: Lock) {
    // Holding the lock, nothing else can be running: a row still marked running was left by a
    // process that died (its lock expired), and is closed before this cycle opens.
    const [abandoned, values] = await Promise.all([
      cycles.failAbandoned('abandoned: the process running it stopped and its lock expired'),
      req.settings ?? deps.settings.values(),
    ]);
    if (abandoned.length > 0) log.warn({ cycleIds: abandoned }, 'marked abandoned cycles as failed');
    const { settings, problems } = coordinationSettings(values);
    if (problems.length > 0) log.warn({ problems }, 'unreadable settings: safe values used');
    const at = deps.now();
    const slot = scheduleAt(settings.sessionSchedule, at);
    const created = await cycles.create({
      trigger: req.trigger,
      symbol: req.symbol ?? null,
      catalystId: req.catalyst?.id ?? null,
      session: slot.session,
      requestedBy: req.requestedBy ?? null,
      fencingToken: lock.fencingToken,
      summary: {
        mode: slot.mode,
        // The schedule's clock at the start (the simulator's in demo mode, which may differ from
        // started_at): the scheduler counts the interval from it.
        scheduledAt: new Date(at).toISOString(),
        ...(req.catalyst
          ? {
              catalyst: {
                id: req.catalyst.id,
                newsItemId: req.catalyst.newsItemId,
                receivedAt: req.catalyst.receivedAt,
                score: req.catalyst.score,
                type: req.catalyst.type,
              },
            }
          : {}),
      },
    });
    return {
      id: created.id,
      startedAt: created.startedAt,
      mode: slot.mode,
      settings,
      fencingToken: lock.fencingToken,
    };
  }

  async function run(
    req: CycleRequest,
    lock: Lock,
    cycle: Awaited<ReturnType<typeof prepare>>,
    abort: AbortController,
  ): Promise<CycleOutcome> {
    const started = performance.now();
    const write = cycles.writer(cycle);
    const cycleLog = log.child({ cycleId: cycle.id, trigger: req.trigger });
    let lockLost = false;
    const heartbeat = setInterval(
      () => {
        lock.extend(deps.lockTtlMs).then(
          (held) => {
            if (!held && !lockLost) {
              lockLost = true;
              cycleLog.error('the cycle lock was lost: stopping this cycle');
              abort.abort(new Error('the cycle lock expired and was taken by another replica'));
            }
          },
          (err: unknown) => cycleLog.warn({ err }, 'extending the cycle lock failed'),
        );
      },
      Math.max(100, Math.floor(deps.lockTtlMs / 3)),
    );
    heartbeat.unref();

    const signal = abort.signal;
    const summary: Record<string, unknown> = {};
    let seq = 0;

    // The dashboard's live timeline: never awaited, a failure only logged.
    const announce = (type: 'cycle.step' | 'cycle.finished', data: Record<string, unknown>) =>
      void deps.bus
        .publish('coordination', type, { cycleId: cycle.id, ...data })
        .catch((err: unknown) => cycleLog.warn({ err }, `publishing ${type} failed`));

    async function step<T>(
      name: (typeof STEP_NAMES)[number],
      input: unknown,
      body: () => Promise<{ output: T; status?: 'completed' | 'skipped' }>,
    ): Promise<T> {
      if (signal.aborted) throw new StepFailed(name, messageOf(signal.reason));
      const n = seq++;
      await write.startStep(n, name, input);
      const t0 = performance.now();
      try {
        const { output, status = 'completed' } = await body();
        const ms = performance.now() - t0;
        await write.finishStep(n, { status, durationMs: ms, output, error: null });
        announce('cycle.step', { step: name, seq: n, status, durationMs: Math.round(ms), error: null });
        metrics.step(name, status, ms / 1000);
        return output;
      } catch (err) {
        if (err instanceof FencedOut) throw err;
        const ms = performance.now() - t0;
        const reason = signal.aborted ? messageOf(signal.reason) : messageOf(err);
        await write.finishStep(n, { status: 'failed', durationMs: ms, output: null, error: reason });
        announce('cycle.step', { step: name, seq: n, status: 'failed', durationMs: Math.round(ms), error: reason });
        metrics.step(name, 'failed', ms / 1000);
        throw new StepFailed(name, reason);
      }
    }
    const skip = async (name: (typeof STEP_NAMES)[number], reason: string, output: Record<string, unknown> = {}) => {
      // Not observed in the step histogram: a skip takes no time and would only drag its quantiles down.
      // Written with the cycle's next write (the next step's start, or the cycle's end).
      await Promise.resolve();
      write.skipStep(seq++, name, reason, output);
    };
    const callOpts = { signal };

    let outcome: CycleOutcome;
    let failedStep: string | null = null;
    try {
      // 1. News.
      if (req.catalyst) await skip('news', 'fast path: the news item that started this cycle was just collected');
      else if (!deps.collectNews)
        await skip('news', 'COORDINATION_COLLECT_NEWS is off: the news service polls on its own');
      else {
        const collected = await step('news', { source: 'all' }, async () => {
          const res = await clients.news.collect({ body: {}, ...callOpts });
          return {
            output: {
              inserted: res.results.reduce((n, r) => n + r.inserted, 0),
              sources: res.results.map((r) => ({ source: r.source, outcome: r.outcome, inserted: r.inserted })),
            },
          };
        });
        summary.newsInserted = collected.inserted;
      }

      // 2. Scan.
      let candidates: Candidate[];
      if (req.symbol) {
        candidates = [{ symbol: req.symbol, candidateId: null, catalystId: req.catalyst?.id ?? null }];
        await skip('scan', `one-symbol cycle for ${req.symbol}`, { symbols: [req.symbol] });
      } else {
        const size = SCAN_SIZE[cycle.mode];
        candidates = await step('scan', { ...size, mode: cycle.mode }, async () => {
          const scan = await clients.scanner.runScan({ body: { ...size, cycleId: cycle.id }, ...callOpts });
          const ids = await cycles.candidateIds(scan.id);
          const found = scan.candidates.map((c) => ({
            symbol: c.symbol,
            candidateId: ids.get(c.symbol) ?? null,
            catalystId: c.catalystId,
            rank: c.rank,
            score: c.score,
          }));
          return { output: { scanId: scan.id, candidates: found } };
        }).then((o) => o.candidates);
      }
      summary.candidates = candidates.length;

      let signals: SignalOutcome[] = [];
      if (candidates.length === 0) {
        await skip('patterns', 'the scan found no candidates');
        await skip('technical', 'the scan found no candidates');
        await skip('trading', 'the scan found no candidates');
      } else {
        // 3. Patterns: detections stored per symbol. The technical service asks the patterns
        // service itself for the signal (with this cycle's id); on the fast path that is the only
        // analysis, since running it twice in a row would double the time to the order.
        if (req.catalyst) {
          await skip('patterns', 'fast path: the technical step has the patterns service analyse the symbol', {
            symbols: candidates.map((c) => c.symbol),
          });
        } else
          await step('patterns', { symbols: candidates.map((c) => c.symbol) }, async () => {
            const results = await Promise.all(
              candidates.map(async (c) => {
                try {
                  const a = await clients.patterns.analyze({
                    body: { symbol: c.symbol, cycleId: cycle.id },
                    ...callOpts,
                  });
                  return {
                    symbol: c.symbol,
                    detectionIds: a.detections.map((d) => d.id),
                    catalystId: a.catalyst?.id ?? null,
                    newsContext: a.newsContext,
                  };
                } catch (err) {
                  const refusal = refusalOf(err);
                  if (!refusal) throw err;
                  return { symbol: c.symbol, error: refusal };
                }
              }),
            );
            return { output: { analyses: results } };
          });

        // 4. Technical: one stored signal per symbol. The settings the trading step checks
        // (halt, approval mode) are read meanwhile; the trading service checks both again itself.
        const settingsRead = readAhead(deps.settings.values());
        signals = await step('technical', { symbols: candidates.map((c) => c.symbol) }, async () => {
          const made = await Promise.all(
            candidates.map(async (c) => {
              try {
                const s = await clients.technical.createSignal({
                  body: {
                    symbol: c.symbol,
                    cycleId: cycle.id,
                    ...(c.candidateId ? { candidateId: c.candidateId } : {}),
                  },
                  ...callOpts,
                });
                const out: SignalOutcome = {
                  symbol: s.symbol,
                  signalId: s.id,
                  action: s.action,
                  confidence: s.confidence,
                  entry: s.entry,
                  stop: s.stop,
                  target: s.target,
                  catalystId: s.catalystId,
                  detectionIds: s.detectionIds,
                };
                return out;
              } catch (err) {
                const refusal = refusalOf(err);
                if (!refusal) throw err;
                return { symbol: c.symbol, error: refusal };
              }
            }),
          );
          return { output: { signals: made } };
        }).then((o) => o.signals.filter((s): s is SignalOutcome => 'signalId' in s));
        summary.signals = signals.length;

        // 5. Trading.
        const actionable = signals.filter((s) => s.action !== 'HOLD' && s.entry !== null);
        const listed = signals.map((s) => ({ signalId: s.signalId, symbol: s.symbol, action: s.action }));
        if (actionable.length === 0) {
          await skip('trading', 'no BUY or SELL signal', { signals: listed });
        } else {
          const now = coordinationSettings(await settingsRead).settings;
          if (now.tradingHalted) {
            await skip('trading', 'trading is halted', { signals: listed });
          } else if (now.approvalMode) {
            // The signals stay pending in the approval queue; an operator's approval sends them.
            await skip('trading', 'approval_mode is on: the signals wait for an operator', {
              pending: actionable.map((s) => s.signalId),
            });
            summary.pendingApproval = actionable.length;
          } else {
            const orders = await step('trading', { signalIds: actionable.map((s) => s.signalId) }, async () => {
              const placed = [];
              for (const s of actionable) placed.push(await placeOrder(req, cycle.id, s, callOpts));
              return { output: { orders: placed } };
            });
            summary.orders = orders.orders.filter((o) => o.outcome === 'submitted').length;
            summary.refused = orders.orders.filter((o) => o.outcome === 'refused').length;
          }
        }
      }
      outcome = { id: cycle.id, status: 'completed', error: null };
    } catch (err) {
      if (err instanceof FencedOut) {
        cycleLog.error({ err }, 'cycle fenced out');
        clearInterval(heartbeat);
        return { id: cycle.id, status: 'failed', error: err.message };
      }
      const reason = err instanceof StepFailed ? err.message : `cycle error: ${messageOf(err)}`;
      failedStep = err instanceof StepFailed ? err.step : null;
      if (!(err instanceof StepFailed)) cycleLog.error({ err }, 'cycle failed unexpectedly');
      outcome = { id: cycle.id, status: 'failed', error: reason };
    }

    clearInterval(heartbeat);
    try {
      await write.finish(outcome.status, outcome.error, summary);
      metrics.cycleFinished(req.trigger, outcome.status, (performance.now() - started) / 1000);
      cycleLog.info({ status: outcome.status, error: outcome.error, summary }, 'cycle finished');
      announce('cycle.finished', {
        status: outcome.status,
        error: outcome.error,
        durationMs: Math.round(performance.now() - started),
      });
      if (outcome.status === 'failed')
        await announceFailure(req, cycle, failedStep, outcome.error ?? 'failed', cycleLog);
    } catch (err) {
      cycleLog.error({ err }, 'recording the end of the cycle failed');
    } finally {
      await lock.release().catch((err: unknown) => cycleLog.warn({ err }, 'releasing the cycle lock failed'));
    }
    return outcome;
  }

  /** `cycle.failed` on the bus: the notifier (any replica) and the dashboard take it from there. */
  async function announceFailure(
    req: CycleRequest,
    cycle: { id: string; startedAt: Date },
    step: string | null,
    error: string,
    cycleLog: Logger,
  ): Promise<void> {
    const event: CatalogueEventPayload<'cycle.failed'> = {
      cycleId: cycle.id,
      trigger: req.trigger,
      symbol: req.symbol ?? null,
      step,
      error,
      startedAt: cycle.startedAt.toISOString(),
      failedAt: new Date().toISOString(),
    };
    await deps.bus
      .publish(EVENT_CATALOGUE['cycle.failed'].topic, 'cycle.failed', event)
      .catch((err: unknown) => cycleLog.warn({ err }, 'publishing cycle.failed failed'));
  }

  /** One entry order for one signal; the trading service sizes it, checks risk and brackets it. */
  async function placeOrder(req: CycleRequest, cycleId: string, s: SignalOutcome, callOpts: { signal: AbortSignal }) {
    const news = req.catalyst
      ? { newsItemId: req.catalyst.newsItemId, receivedAt: new Date(req.catalyst.receivedAt) }
      : s.catalystId
        ? await cycles.newsReceivedAt(s.catalystId)
        : null;
    try {
      const order = await clients.trading.submitOrder({
        body: {
          symbol: s.symbol,
          side: s.action === 'BUY' ? 'buy' : 'sell',
          type: 'limit',
          limitPrice: String(s.entry),
          signalId: s.signalId,
        },
        // One order per signal whatever retries: the trading service also keys its client order id on the signal.
        headers: { 'idempotency-key': `cycle:${cycleId}:signal:${s.signalId}` },
        ...callOpts,
      });
      // The broker's acknowledgement: when the trading service had the broker's answer (its
      // `acknowledgedAt`, before it records the order's legs), else when its own answer arrived
      // here. Either is on the host's clock, the one that stamped received_at, not the broker's,
      // which may be simulated.
      const reported = order.acknowledgedAt === null ? Number.NaN : Date.parse(order.acknowledgedAt);
      const ackAt = Number.isFinite(reported) ? reported : Date.now();
      const newsToOrderMs =
        news && order.brokerOrderId !== null ? Math.max(0, ackAt - news.receivedAt.getTime()) : null;
      if (newsToOrderMs !== null) metrics.newsToOrder(req.trigger, newsToOrderMs / 1000);
      return {
        signalId: s.signalId,
        symbol: s.symbol,
        outcome: 'submitted' as const,
        orderId: order.id,
        brokerOrderId: order.brokerOrderId,
        status: order.status,
        qty: order.qty,
        submittedAt: order.submittedAt,
        acknowledgedAt: new Date(ackAt).toISOString(),
        newsItemId: news?.newsItemId ?? null,
        newsReceivedAt: news ? news.receivedAt.toISOString() : null,
        newsToOrderMs,
      };
    } catch (err) {
      const refusal = refusalOf(err);
      if (!refusal) throw err;
      return {
        signalId: s.signalId,
        symbol: s.symbol,
        outcome: 'refused' as const,
        code: refusal.code,
        message: refusal.message,
      };
    }
  }

  return {
    start,
    /** The id of the cycle this process is running, if any. */
    runningId: () => current?.id ?? null,
    /**
     * At boot: a cycle left running by a crashed process is failed once its lock has expired
     * (taking the lock proves it has). Returns the ids it failed.
     */
    async recoverAbandoned(): Promise<string[]> {
      const lock = await deps.bus.acquireLock(CYCLE_LOCK_KEY, deps.lockTtlMs);
      if (!lock) return [];
      try {
        const ids = await cycles.failAbandoned('abandoned: the process running it stopped and its lock expired');
        if (ids.length > 0) log.warn({ cycleIds: ids }, 'marked abandoned cycles as failed');
        return ids;
      } finally {
        await lock.release().catch(() => false);
      }
    },
    /** Refuses new cycles and ends the running one as failed ("coordination stopped"). */
    async stop(): Promise<void> {
      stopping = true;
      const running = current;
      if (!running) return;
      running.abort.abort(new Error('the coordination service stopped'));
      await running.done.catch(() => undefined);
    },
  };
}

export type CycleRunner = ReturnType<typeof createCycleRunner>;
