import { Broker, type BrokerOptions, type BrokerState } from './broker/broker';
import { SimClock } from './clock/sim-clock';
import { FaultInjector } from './http/faults';
import { MarketModel } from './model/market-model';
import { defaultUniverse, type Stock } from './model/universe';

/**
 * One simulated market: its clock, the deterministic price and news model, the paper broker
 * and the fault injector. State that changes (the clock and the broker) can be saved with
 * `snapshot()` and put back with `restore()`; the market itself is a pure function of the seed.
 */

export interface MarketSimOptions {
  /** Market seed: the same seed gives the same bars and headlines (default 42). */
  seed?: number;
  /** Clock speed: 1 real time, 60 an hour a minute, 0 stands still until stepped (default 1). */
  speed?: number;
  /** Simulated start instant (default: the real current time). */
  startTime?: number | string | Date;
  /** Number of listed companies in the default universe (default 100, at most 400). */
  symbols?: number;
  /** A custom universe instead of the default one. */
  stocks?: readonly Stock[];
  /** Mean catalysts per trading day across the universe (default 10). */
  eventsPerDay?: number;
  broker?: BrokerOptions;
  /** Requests per minute per API key before 429 (default: not enforced). */
  rateLimitPerMinute?: number;
  /**
   * Alpha Vantage time-series requests per API key and simulated day before the HTTP-200
   * `Information` rate-limit answer (the free plan's 25; default: not enforced).
   */
  alphaVantageRequestsPerDay?: number;
  /**
   * Trading days of daily bars to compute for every symbol in the background once the simulator
   * starts (default 0: on demand only). A data vendor has its history stored; without this, the
   * first request for a symbol's year of daily bars makes the simulator generate a year of minute
   * paths first, which in a one-process demo delays everything else running beside it.
   */
  prewarmDays?: number;
}

export interface MarketSimSnapshot {
  version: 1;
  seed: number;
  clock: { now: number; speed: number };
  broker: BrokerState;
}

function toMs(time: number | string | Date): number {
  const ms = typeof time === 'number' ? time : new Date(time).getTime();
  if (!Number.isFinite(ms)) throw new Error(`invalid start time: ${String(time)}`);
  return ms;
}

export class MarketSim {
  readonly seed: number;
  readonly clock: SimClock;
  readonly market: MarketModel;
  readonly broker: Broker;
  readonly faults: FaultInjector;
  readonly rateLimitPerMinute: number | null;
  readonly alphaVantageRequestsPerDay: number | null;

  constructor(options: MarketSimOptions = {}) {
    this.seed = options.seed ?? 42;
    if (!Number.isSafeInteger(this.seed)) throw new Error('seed must be an integer');
    const start = options.startTime === undefined ? Date.now() : toMs(options.startTime);
    this.clock = new SimClock({ startTime: start, speed: options.speed ?? 1 });
    const stocks = options.stocks ?? defaultUniverse(options.symbols ?? 100);
    this.market = MarketModel.shared({ seed: this.seed, stocks, eventsPerDay: options.eventsPerDay ?? 10 });
    this.broker = new Broker(this.market, this.seed, start, options.broker);
    this.faults = new FaultInjector(this.seed);
    this.rateLimitPerMinute = options.rateLimitPerMinute ?? null;
    this.alphaVantageRequestsPerDay = options.alphaVantageRequestsPerDay ?? null;
  }

  now(): number {
    return this.clock.now();
  }

  snapshot(): MarketSimSnapshot {
    this.broker.sync(this.now());
    return { version: 1, seed: this.seed, clock: this.clock.state(), broker: this.broker.state() };
  }

  restore(snapshot: MarketSimSnapshot): void {
    if (snapshot.version !== 1) throw new Error('unsupported snapshot version');
    if (snapshot.seed !== this.seed)
      throw new Error(`snapshot is of seed ${snapshot.seed}, this simulator runs seed ${this.seed}`);
    this.clock.setTime(snapshot.clock.now);
    this.clock.setSpeed(snapshot.clock.speed);
    this.broker.restore(snapshot.broker);
  }
}
