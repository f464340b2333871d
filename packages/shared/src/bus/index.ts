export type * from './types';
export { createRedisBus, type RedisBusOptions } from './redis-bus';
export { createMemoryBus, type MemoryBusOptions } from './memory-bus';
export { connectBus, type ConnectBusOptions } from './connect-bus';
export { compareStreamIds, parseStreamId, formatStreamId, type StreamId } from './stream-id';
