import { createMemoryBus } from '../../src/bus';
import { describeCacheBus } from './cache-bus.suite';

describeCacheBus('memory bus', () => createMemoryBus({ sweepIntervalMs: 50 }));
