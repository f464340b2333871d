export * from './types';
export * from './limits';
export * from './evaluate-entry';
