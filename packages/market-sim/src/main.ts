import {
  ConfigError,
  createLogger,
  installCrashHandlers,
  isMainModule,
  lifecycle,
  MARKET_SIM_PORT,
} from '@catalyst/shared';
import { marketSimOptionsFromEnv, startMarketSim, type RunningMarketSim } from './start-market-sim';

/**
 * The simulator as a process of its own (the compose `sim` profile, or a fleet started by hand):
 * `SIM_SEED`, `SIM_SPEED`, `SIM_START` as `pnpm start` reads them, plus `HOST` and `PORT`.
 */
export async function startFromEnv(env: Record<string, string | undefined> = process.env): Promise<RunningMarketSim> {
  const port = env.PORT ? Number(env.PORT) : MARKET_SIM_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`Invalid configuration: PORT: must be an integer 0..65535 (got "${env.PORT}")`);
  }
  const log = createLogger({ service: 'market-sim', level: env.LOG_LEVEL ?? 'info' });
  return startMarketSim({ ...marketSimOptionsFromEnv(env), port, host: env.HOST || '127.0.0.1', log });
}

if (isMainModule(import.meta.url)) {
  const log = createLogger({ service: 'market-sim', level: process.env.LOG_LEVEL ?? 'info' });
  installCrashHandlers(log);
  startFromEnv().then(
    (running) => {
      lifecycle(log, [() => running.stop()]);
    },
    (err: unknown) => {
      if (err instanceof ConfigError) console.error(err.message);
      else log.fatal({ err }, 'market simulator failed to start');
      process.exit(1);
    },
  );
}
