export * from './types';
export * from './rules';
export * from './summarize';
export * from './decide';
export * from './analyze';
