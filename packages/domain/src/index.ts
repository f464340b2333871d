export * from './errors';
export * from './series';
