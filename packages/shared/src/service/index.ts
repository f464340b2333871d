export * from './boot';
export * from './run-main';
