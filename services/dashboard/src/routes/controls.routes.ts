import type { Order } from '@catalyst/shared';
import { Signal, type CacheBus, type Logger, type ServiceApp } from '@catalyst/shared';
import type { z } from 'zod';
import type { SessionGuard } from '../auth/session-guard';
import type { ApprovalsRepository } from '../data-access/approvals.repository';
import { passThrough, type Upstreams } from '../data-access/upstreams.client';
import { dashboardContract as c } from '../dashboard.contract';

/**
 * The operator's changes. Each is forwarded with the operator's name in X-Actor, so the service
 * that makes the change writes the audit entry; the approval decision, which no service owns,
 * is audited here.
 */
export function registerControlRoutes(
  api: ServiceApp,
  deps: { guard: SessionGuard; up: Upstreams; approvals: ApprovalsRepository; bus: CacheBus; log: Logger },
): void {
  const { guard, up, approvals } = deps;

  api.route(c.halt, async ({ body }, { req }) => {
    const { session } = await guard.require(req);
    const { confirm: _confirm, ...rest } = body;
    return (await up.forward('trading', { method: 'POST', path: '/halt', body: rest, actor: session.user })) as never;
  });

  api.route(c.resume, async (_input, { req }) => {
    const { session } = await guard.require(req);
    return (await up.forward('trading', { method: 'POST', path: '/resume', actor: session.user })) as never;
  });

  api.route(c.startCycle, async ({ body }, { req }) => {
    const { session } = await guard.require(req);
    return (await up.forward('coordination', {
      method: 'POST',
      path: '/cycles',
      body,
      actor: session.user,
    })) as never;
  });

  api.route(c.closePosition, async ({ params }, { req }) => {
    const { session } = await guard.require(req);
    return (await up.forward('trading', {
      method: 'DELETE',
      path: `/positions/${encodeURIComponent(params.symbol)}`,
      actor: session.user,
    })) as never;
  });

  api.route(c.updateSettings, async ({ body }, { req }) => {
    const { session } = await guard.require(req);
    return (await up.forward('coordination', { method: 'PUT', path: '/settings', body, actor: session.user })) as never;
  });

  const publishDecision = (signalId: string, decision: string, actor: string) =>
    deps.bus
      .publish('signals', 'approval.decided', { signalId, decision, actor })
      .catch((err: unknown) => deps.log.warn({ err, signalId }, 'publishing approval.decided failed'));

  api.route(c.approve, async ({ params }, { req, requestId }) => {
    const { session } = await guard.require(req);
    const signal = await up.technical.getSignal({ params }).catch(passThrough);
    await approvals.decide(signal.id, 'approved', session.user, null, requestId);
    void publishDecision(signal.id, 'approved', session.user);
    // The key is the signal's: a double click or a retry finds the same order instead of a second one.
    const order = (await up.forward('trading', {
      method: 'POST',
      path: '/orders',
      actor: session.user,
      idempotencyKey: `approval-${signal.id}`,
      body: {
        symbol: signal.symbol,
        side: signal.action === 'sell' ? 'sell' : 'buy',
        type: 'market',
        signalId: signal.id,
        ...(signal.stopPrice ? { stopLoss: signal.stopPrice } : {}),
        ...(signal.targetPrice && signal.stopPrice ? { takeProfit: signal.targetPrice } : {}),
      },
    })) as z.infer<typeof Order>;
    const after = await up.technical.getSignal({ params }).catch(() => ({ ...signal, status: 'approved' as const }));
    return { signal: Signal.parse(after), order };
  });

  api.route(c.reject, async ({ params, body }, { req, requestId }) => {
    const { session } = await guard.require(req);
    await approvals.decide(params.id, 'rejected', session.user, body.reason ?? null, requestId);
    void publishDecision(params.id, 'rejected', session.user);
    const after = await up.technical.getSignal({ params }).catch(passThrough);
    return { signal: Signal.parse(after) };
  });
}
