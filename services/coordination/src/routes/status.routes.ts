import { coordinationSettings, nextCycleAt, scheduleAt } from '@catalyst/domain';
import { coordinationContract, type ServiceApp } from '@catalyst/shared';
import type { CyclesRepository, SettingsRepository } from '../data-access/cycles.repository';
import { probeServices } from '../service-health';

/** GET /status: what the dashboard's header shows. */
export function registerStatusRoutes(
  api: ServiceApp,
  deps: {
    cycles: CyclesRepository;
    settings: SettingsRepository;
    urls: Record<string, unknown>;
    now: () => number;
  },
): void {
  api.route(coordinationContract.getStatus, async () => {
    const [values, recent, services, runningCycleId, lastScheduled] = await Promise.all([
      deps.settings.values(),
      deps.cycles.list({ limit: 5 }),
      probeServices(deps.urls),
      deps.cycles.runningId(),
      deps.cycles.lastScheduledStart(),
    ]);
    const { settings } = coordinationSettings(values);
    const now = deps.now();
    const slot = scheduleAt(settings.sessionSchedule, now);
    const next = nextCycleAt(settings.sessionSchedule, lastScheduled, now);
    return {
      session: slot.session,
      schedule: {
        mode: slot.mode,
        intervalSeconds: slot.intervalSeconds,
        nextCycleAt: next === null ? null : new Date(next).toISOString(),
      },
      halted: settings.tradingHalted,
      approvalMode: settings.approvalMode,
      runningCycleId,
      lastCycles: recent.items,
      services,
    };
  });
}
