import { Counter, type Registry } from 'prom-client';

export type DeliveryOutcome =
  /** The webhook answered 2xx. */
  | 'sent'
  /** Every attempt failed with a retryable failure (5xx, 429, timeout, connection). */
  | 'failed'
  /** The webhook refused it (a 4xx other than 429): not retried, the payload or URL is wrong. */
  | 'rejected'
  /** The notifier stopped before delivery finished. */
  | 'abandoned';

export interface NotificationMetrics {
  sent: Counter<'kind' | 'event' | 'outcome'>;
  dropped: Counter<'kind'>;
  invalid: Counter<'event'>;
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  // Two notifiers on one registry (tests, the single-process demo) share the counters.
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function createNotificationMetrics(registry: Registry): NotificationMetrics {
  return {
    sent: counter(
      registry,
      'notifications_sent_total',
      'Notifications finished per webhook kind and event type, by outcome (sent, failed, rejected, abandoned)',
      ['kind', 'event', 'outcome'],
    ),
    dropped: counter(
      registry,
      'notifications_dropped_total',
      'Notifications dropped unsent because a webhook queue was full (the oldest goes) or the notifier stopped',
      ['kind'],
    ),
    invalid: counter(
      registry,
      'notifications_invalid_events_total',
      'Events that did not match their contract and were not notified',
      ['event'],
    ),
  };
}
