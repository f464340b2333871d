import type { BacktestConfig, BacktestEvent } from '@catalyst/domain';

/** What a source hands the engine: the events in replay order, and what warms the replay up. */
export interface BacktestData {
  /** For the report's header: where the data came from. */
  description: string;
  /** Called once per run; yields events in `sortEvents` order. */
  events: () => Iterable<BacktestEvent>;
  warmup?: BacktestConfig['warmup'];
  assets?: BacktestConfig['assets'];
  sourceQuality?: BacktestConfig['sourceQuality'];
  /** Events expected, for the progress bar's percentage and ETA (undefined: counted first). */
  estimatedEvents?: number | undefined;
}
