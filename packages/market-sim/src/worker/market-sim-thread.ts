import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@catalyst/shared';
import { startMarketSim } from '../start-market-sim';
import type { SimThreadMessage, SimThreadData } from './start-market-sim-thread';

/**
 * The simulator's worker thread: starts it, reports where it listens and when its daily history
 * is ready, and stops it when told. Nothing else crosses the thread boundary.
 */
const port = parentPort;
if (!port) throw new Error('market-sim-thread runs as a worker thread');
const data = workerData as SimThreadData;
const send = (message: SimThreadMessage) => port.postMessage(message);
const log = createLogger({ service: 'market-sim', level: data.logLevel });

startMarketSim({ ...data.options, log }).then(
  (running) => {
    send({ type: 'listening', url: running.url, port: running.port });
    void running.warmed.then((warm) => send({ type: 'warmed', ...warm }));
    port.on('message', (message: { type: string }) => {
      if (message.type !== 'stop') return;
      void running.stop().then(() => {
        send({ type: 'stopped' });
        // Ends this thread only, once the message is on its way.
        setImmediate(() => process.exit(0));
      });
    });
  },
  (err: unknown) => {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    setImmediate(() => process.exit(1));
  },
);
