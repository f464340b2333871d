import { coordinationSettings, nextCycleAt } from '@catalyst/domain';
import type { Logger } from '@catalyst/shared';
import type { CycleRunner } from './run-cycle.use-case';

export interface SchedulerDeps {
  runner: Pick<CycleRunner, 'start'>;
  cycles: { lastScheduledStart(): Promise<number | null> };
  settings: { values(): Promise<Record<string, unknown>> };
  log: Logger;
  now: () => number;
  tickMs: number;
}

export interface Scheduler {
  /** One look at the schedule: starts a cycle when one is due. Exposed for tests. */
  tick(): Promise<'started' | 'busy' | 'not_due' | 'off'>;
  stop(): Promise<void>;
}

/**
 * Starts scheduled cycles. Every tick re-reads the settings, so an edit of the schedule applies
 * at the next tick without a restart; `nextCycleAt` counts from the last scheduled start in the
 * table, so every replica reaches the same answer and the cycle lock lets only one of them run it.
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const { log } = deps;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  let lastProblems = '';

  async function tick(): Promise<'started' | 'busy' | 'not_due' | 'off'> {
    const { settings, problems } = coordinationSettings(await deps.settings.values());
    const said = JSON.stringify(problems);
    if (said !== lastProblems) {
      lastProblems = said;
      if (problems.length > 0) log.warn({ problems }, 'unreadable settings: the scheduler uses safe values');
    }
    const now = deps.now();
    const due = nextCycleAt(settings.sessionSchedule, await deps.cycles.lastScheduledStart(), now);
    if (due === null) return 'off';
    if (due > now) return 'not_due';
    const result = await deps.runner.start({ trigger: 'schedule' });
    if (!result.started) return 'busy';
    log.info({ cycleId: result.id }, 'scheduled cycle started');
    return 'started';
  }

  function loop(): void {
    if (stopped) return;
    inFlight = tick()
      .catch((err: unknown) => log.error({ err }, 'scheduler tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, deps.tickMs);
      });
  }
  timer = setTimeout(loop, 0);

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
