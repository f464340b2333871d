export * from './common';
export * from './bars';
export * from './records';
export * from './services.contract';
export * from './events';
