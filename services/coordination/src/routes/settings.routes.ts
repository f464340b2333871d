import { validateSettingsPatch } from '@catalyst/domain';
import { coordinationContract, InvalidInput, type ServiceApp } from '@catalyst/shared';
import type { SettingsRepository } from '../data-access/cycles.repository';
import { actorOf } from './actor';

/** GET /settings, PUT /settings. */
export function registerSettingsRoutes(api: ServiceApp, deps: { settings: SettingsRepository }): void {
  api.route(coordinationContract.listSettings, async () => ({ items: await deps.settings.all() }));
  api.route(coordinationContract.updateSettings, async ({ body, headers }, ctx) => {
    const result = await deps.settings.update((current) => validateSettingsPatch(current, body), {
      actor: actorOf(headers),
      requestId: ctx.requestId,
    });
    if (!result.ok) {
      throw new InvalidInput(
        `${result.problems.length === 1 ? 'a setting is' : 'settings are'} not valid: nothing was changed`,
        result.problems.map((p) => ({ path: p.path ? `body.${p.path}` : 'body', message: p.message })),
      );
    }
    return { items: await deps.settings.all(), changed: result.changed };
  });
}
