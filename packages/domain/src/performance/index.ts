export type { CatalystRecord, EquityPoint, NewsItemRecord, OpenPositionRecord, TradeRecord } from './types';
export {
  equitySeries,
  maxDrawdown,
  type EquitySeriesOptions,
  type EquitySeriesPoint,
  type MaxDrawdown,
} from './equity';
export {
  summarizePerformance,
  sharpeRatio,
  sortinoRatio,
  unrealizedPnlOf,
  type PerformanceSummary,
  type SummaryInput,
} from './summary';
export { attribute, ATTRIBUTION_KEYS, UNKNOWN_GROUP, type AttributionGroup, type AttributionKey } from './attribution';
export { sourceScoreboard, type SourceScore, type SourceScoreboard } from './source-scoreboard';
export { dailyReport, type DailyReport, type DailyReportInput } from './daily-report';
export { toCsv, type CsvCell } from './csv';
