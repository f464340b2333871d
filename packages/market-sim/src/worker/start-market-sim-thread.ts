import { Worker } from 'node:worker_threads';
import type { StartMarketSimOptions } from '../start-market-sim';

/** What can be sent to the thread: plain data (no custom universe, logger or broker hooks). */
export type SimThreadOptions = Pick<
  StartMarketSimOptions,
  | 'seed'
  | 'speed'
  | 'startTime'
  | 'symbols'
  | 'eventsPerDay'
  | 'broker'
  | 'rateLimitPerMinute'
  | 'alphaVantageRequestsPerDay'
  | 'prewarmDays'
  | 'port'
  | 'host'
>;

export interface SimThreadData {
  options: SimThreadOptions;
  logLevel: string;
}

export type SimThreadMessage =
  | { type: 'listening'; url: string; port: number }
  | { type: 'warmed'; bars: number; ms: number }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

export interface MarketSimThread {
  url: string;
  port: number;
  /** Settles once the daily history (`prewarmDays`) is computed; never rejects. */
  warmed: Promise<{ bars: number; ms: number }>;
  stop(): Promise<void>;
}

/**
 * The simulator on a worker thread of this process: the market it stands for is somebody else's
 * computer, and generating minute paths and serving bars on the services' own event loop would
 * make every service wait for it. Resolves once it listens; rejects with its start error.
 */
export function startMarketSimThread(
  options: SimThreadOptions,
  { logLevel = 'info' }: { logLevel?: string } = {},
): Promise<MarketSimThread> {
  const here = new URL('./market-sim-thread', import.meta.url).href;
  const workerData = { options, logLevel } satisfies SimThreadData;
  // From TypeScript source (pnpm start, tests) the thread needs the TypeScript loader too, and on
  // Node 20 a worker does not inherit it: the thread registers it before loading its entry.
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
          `.then(({ register }) => { register(); return import(${JSON.stringify(`${here}.ts`)}); })`,
        { eval: true, workerData },
      )
    : new Worker(new URL(`${here}.js`), { workerData });
  let resolveWarm: (w: { bars: number; ms: number }) => void = () => undefined;
  const warmed = new Promise<{ bars: number; ms: number }>((resolve) => (resolveWarm = resolve));
  let stopped: Promise<void> | undefined;

  return new Promise<MarketSimThread>((resolve, reject) => {
    const onExit = (code: number) => {
      resolveWarm({ bars: 0, ms: 0 });
      reject(new Error(`the market simulator thread exited (code ${code}) before it listened`));
    };
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', (message: SimThreadMessage) => {
      if (message.type === 'warmed') resolveWarm({ bars: message.bars, ms: message.ms });
      else if (message.type === 'failed') reject(new Error(message.message));
      else if (message.type === 'listening') {
        worker.off('exit', onExit);
        worker.once('exit', () => resolveWarm({ bars: 0, ms: 0 }));
        resolve({
          url: message.url,
          port: message.port,
          warmed,
          stop: () => {
            stopped ??= new Promise<void>((done) => {
              const timer = setTimeout(() => void worker.terminate().then(() => done()), 5_000);
              worker.once('exit', () => {
                clearTimeout(timer);
                done();
              });
              worker.postMessage({ type: 'stop' });
            });
            return stopped;
          },
        });
      }
    });
  });
}
