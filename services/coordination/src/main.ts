import {
  bootService,
  isMainModule,
  runMain,
  type Env,
  type RunningService,
  type ServiceOverrides,
  type Subscription,
} from '@catalyst/shared';
import { createApp, type CoordinationOptions } from './app';
import { coordinationConfig } from './config';
import { startNotifier } from './notifications';
import { startFastPath } from './use-cases/fast-path.use-case';
import { startScheduler, type Scheduler } from './use-cases/schedule-cycles.use-case';

/** Composition root: read config, build dependencies, start; `stop()` drains and closes. */
export function start(
  env?: Env,
  overrides?: ServiceOverrides,
  options: CoordinationOptions = {},
): Promise<RunningService> {
  return bootService({
    service: 'coordination',
    schema: coordinationConfig,
    upstreams: ['news', 'scanner', 'patterns', 'technical', 'trading'],
    ...(env ? { env } : {}),
    ...(overrides ? { overrides } : {}),
    register: async (deps) => {
      const { config, log, bus } = deps;
      const { runner, cycles, settings, metrics, now } = createApp(deps, options);
      // Webhooks for trades, halts, failed cycles …: off (nothing sent) while NOTIFY_WEBHOOKS is unset.
      const notifier = await startNotifier({ bus, config, log, registry: deps.api.registry });
      // A cycle a crashed process left running is closed as soon as its lock has expired.
      await runner.recoverAbandoned();

      let scheduler: Scheduler | null = null;
      if (config.COORDINATION_SCHEDULER) {
        scheduler = startScheduler({ runner, cycles, settings, log, now, tickMs: config.COORDINATION_TICK_MS });
      }
      let fastPath: Subscription | null = null;
      if (config.COORDINATION_FAST_PATH) {
        fastPath = await startFastPath({
          bus,
          runner,
          cycles,
          settings,
          metrics,
          log,
          now,
          cooldownSeconds: config.COORDINATION_FAST_PATH_COOLDOWN_SECONDS,
        });
      }
      return async () => {
        await scheduler?.stop();
        await fastPath?.close();
        await runner.stop();
        await notifier.stop();
      };
    },
  });
}

if (isMainModule(import.meta.url)) runMain('coordination', () => start());
