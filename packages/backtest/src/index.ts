export { runCli, parseArgs, USAGE, type CliIo, type CliOptions } from './cli';
export { createProgress } from './progress';
export { buildReport, formatReport, formatDivergence, renderHtml, equitySvg, type BacktestReport } from './report';
export type { BacktestData } from './sources/types';
export { simSource, type SimSourceOptions } from './sources/sim.source';
export { csvSource, jsonSource, parseCsv, parseTime, InputFileError } from './sources/file.source';
export { storedNews, liveSignals, withDatabase, withStoredNews, type Queryable } from './sources/db.source';
