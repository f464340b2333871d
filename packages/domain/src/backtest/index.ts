export * from './types';
export * from './config';
export * from './fills';
export { TimeframeBook, PATTERN_WINDOW_SLACK } from './timeframe-book';
export { runBacktest, sortEvents, eventTime } from './engine';
export * from './divergence';
