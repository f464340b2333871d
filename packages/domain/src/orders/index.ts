export * as Decimal from './decimal';
export type { Fixed, RoundingMode } from './decimal';
export * from './price-ticks';
export * from './client-order-id';
export * from './order-state';
