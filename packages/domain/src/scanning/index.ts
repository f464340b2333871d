export * from './scan-score';
export * from './rank-candidates';
export * from './market-session';
