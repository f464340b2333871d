export {
  startMarketSim,
  marketSimOptionsFromEnv,
  type RunningMarketSim,
  type StartMarketSimOptions,
} from './start-market-sim';
export { startMarketSimThread, type MarketSimThread, type SimThreadOptions } from './worker/start-market-sim-thread';
export { MarketSim, type MarketSimOptions, type MarketSimSnapshot } from './market-sim';
export { createMarketSimApp } from './http/app';
export type { FaultRule, FaultKind, ActiveFault } from './http/faults';
export { SimClock } from './clock/sim-clock';
export { MarketModel, MARKET_EPOCH_DAY, type Bar, type Quote, type Trade } from './model/market-model';
export { defaultUniverse, type Stock, type Sector } from './model/universe';
export { CATALYST_TYPES, type CatalystType, type MarketEvent } from './model/news-events';
export { NEWS_SOURCES, type NewsSource, type NewsStory } from './model/headlines';
export type { BrokerOptions } from './broker/broker';
export * as marketCalendar from './model/calendar';
