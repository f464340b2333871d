import { setTimeout as delay } from 'node:timers/promises';
import {
  EVENT_CATALOGUE,
  isCatalogueEventType,
  type BusEvent,
  type CacheBus,
  type CatalogueEvent,
  type CatalogueEventType,
  type Logger,
  type Subscription,
} from '@catalyst/shared';
import type { Registry } from 'prom-client';
import type { NotificationConfig } from './notification-config';
import type { NotificationEvent } from './notification-message';
import { createNotificationMetrics } from './notification-metrics';
import { WebhookQueue } from './webhook-queue';

/** The consumer group every coordination replica joins: each event is notified by one of them. */
export const NOTIFICATION_GROUP = 'notifications';

export interface NotifierDeps {
  bus: CacheBus;
  config: NotificationConfig;
  log: Logger;
  registry: Registry;
}

/** An event handed in directly by code in this process (a cycle that failed here, for one). */
export type DirectNotification = CatalogueEvent & { at?: string };

export interface Notifier {
  /** Queues the event for every webhook and returns at once; an invalid event is logged and counted, never thrown. */
  notify(event: DirectNotification): void;
  /** Leaves the bus, gives queued notifications NOTIFY_DRAIN_TIMEOUT_MS to go out, then abandons the rest. */
  stop(): Promise<void>;
}

/**
 * Sends trades, halts, failed cycles, reconciliation discrepancies and daily reports to the
 * operator's webhooks. Events arrive from the bus (consumer group `notifications`, so one replica
 * sends each) or from `notify()`. An event is acknowledged on the bus once it is queued: delivery
 * runs apart, so a slow webhook never holds up the bus, a cycle or another webhook.
 */
export async function startNotifier(deps: NotifierDeps): Promise<Notifier> {
  const { bus, config, registry } = deps;
  const log = deps.log.child({ component: 'notifier' });
  const metrics = createNotificationMetrics(registry);
  const selected = new Set<CatalogueEventType>(config.NOTIFY_EVENTS);
  const delivery = {
    timeoutMs: config.NOTIFY_TIMEOUT_MS,
    maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
    maxRetryAfterMs: config.NOTIFY_MAX_RETRY_AFTER_MS,
  };
  const queues = config.NOTIFY_WEBHOOKS.map(
    (target) => new WebhookQueue(target, config.NOTIFY_QUEUE_SIZE, delivery, metrics, log),
  );
  let stopped = false;

  function enqueue(event: NotificationEvent): void {
    for (const queue of queues) queue.push(event);
  }

  /** The payload checked against its contract; undefined (logged, counted) when it does not match. */
  function accept(type: CatalogueEventType, data: unknown, where: Record<string, unknown>): unknown {
    const parsed = EVENT_CATALOGUE[type].schema.safeParse(data);
    if (parsed.success) return parsed.data;
    metrics.invalid.inc({ event: type });
    log.warn(
      {
        ...where,
        event: type,
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      },
      'event does not match its contract; not notified',
    );
    return undefined;
  }

  function onBusEvent(event: BusEvent): void {
    // No `stopped` check here: an event handed over while stop() closes the subscriptions is
    // acknowledged all the same, so it is queued and drained rather than lost.
    if (!isCatalogueEventType(event.type) || !selected.has(event.type)) return;
    if (EVENT_CATALOGUE[event.type].topic !== event.topic) return;
    const data = accept(event.type, event.data, { topic: event.topic, eventId: event.id });
    if (data === undefined) return;
    enqueue({ type: event.type, data, at: event.at, id: event.id, topic: event.topic } as NotificationEvent);
  }

  const subscriptions: Subscription[] = [];
  const topics = [...new Set([...selected].map((type) => EVENT_CATALOGUE[type].topic))];
  if (queues.length === 0) {
    log.info('notifications off (NOTIFY_WEBHOOKS is not set)');
  } else {
    try {
      for (const topic of topics) {
        subscriptions.push(await bus.subscribe(topic, onBusEvent, { group: NOTIFICATION_GROUP }));
      }
    } catch (err) {
      await Promise.all(subscriptions.map((s) => s.close()));
      throw err;
    }
    log.info(
      { webhooks: config.NOTIFY_WEBHOOKS.map((t) => t.label), events: [...selected], topics },
      'notifications on',
    );
  }

  return {
    notify(event) {
      if (stopped || queues.length === 0) return;
      if (!isCatalogueEventType(event.type)) {
        log.warn({ event: String(event.type) }, 'unknown event type; not notified');
        return;
      }
      if (!selected.has(event.type)) return;
      const data = accept(event.type, event.data, { source: 'direct' });
      if (data === undefined) return;
      const at = event.at ?? new Date().toISOString();
      enqueue({ type: event.type, data, at, topic: EVENT_CATALOGUE[event.type].topic } as NotificationEvent);
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(subscriptions.map((s) => s.close()));
      const drainMs = config.NOTIFY_DRAIN_TIMEOUT_MS;
      const timer = new AbortController();
      await Promise.race([
        Promise.all(queues.map((q) => q.idle())),
        delay(drainMs, undefined, { signal: timer.signal }).catch(() => undefined),
      ]);
      timer.abort();
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
