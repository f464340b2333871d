export * from './common';
export * from './load';
export * from './services';
