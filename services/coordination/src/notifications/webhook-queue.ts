import { httpRequest, UpstreamBadResponse, upstreamDetails, type Logger, type RetryLogger } from '@catalyst/shared';
import { telegramChatId, type WebhookTarget } from './notification-config';
import type { NotificationEvent } from './notification-message';
import type { DeliveryOutcome, NotificationMetrics } from './notification-metrics';
import { webhookPayload } from './webhook-payload';

const DROP_LOG_INTERVAL_MS = 60_000;

export interface DeliveryOptions {
  timeoutMs: number;
  maxAttempts: number;
  maxRetryAfterMs: number;
}

/**
 * One webhook's bounded queue and its single sender. `push` never waits: it appends (dropping the
 * oldest when full) and wakes the sender, which delivers one notification at a time so a webhook
 * that rate-limits us (429 + Retry-After) is slowed down as a whole, in order.
 */
export class WebhookQueue {
  private readonly items: NotificationEvent[] = [];
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly chatId: string | undefined;
  private readonly log: Logger;
  private idleWaiters: (() => void)[] = [];
  private lastDropLogAt = Number.NEGATIVE_INFINITY;
  private droppedUnlogged = 0;

  constructor(
    private readonly target: WebhookTarget,
    private readonly capacity: number,
    private readonly delivery: DeliveryOptions,
    private readonly metrics: NotificationMetrics,
    log: Logger,
  ) {
    this.chatId = target.kind === 'telegram' ? telegramChatId(target) : undefined;
    this.log = log.child({ webhook: target.label });
  }

  get length(): number {
    return this.items.length;
  }

  push(event: NotificationEvent): void {
    if (this.abort.signal.aborted) {
      this.metrics.dropped.inc({ kind: this.target.kind });
      return;
    }
    if (this.items.length >= this.capacity) {
      const dropped = this.items.shift()!;
      this.metrics.dropped.inc({ kind: this.target.kind });
      this.droppedUnlogged += 1;
      // A flood would otherwise write one line per event; the counter has the exact figure.
      const now = Date.now();
      if (now - this.lastDropLogAt >= DROP_LOG_INTERVAL_MS) {
        this.log.warn(
          { event: dropped.type, capacity: this.capacity, dropped: this.droppedUnlogged },
          'notification queue full; oldest dropped',
        );
        this.lastDropLogAt = now;
        this.droppedUnlogged = 0;
      }
    }
    this.items.push(event);
    // The sender starts on a later turn so nothing of a delivery runs on the caller's stack.
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  /** Resolves when the queue is empty and nothing is in flight. */
  idle(): Promise<void> {
    if (!this.running && this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Abandons what is queued and cancels the delivery in flight; resolves when the sender has stopped. */
  async close(): Promise<void> {
    this.abort.abort(new Error('notifier stopped'));
    const left = this.items.splice(0);
    if (left.length > 0) {
      this.metrics.dropped.inc({ kind: this.target.kind }, left.length);
      this.log.warn({ dropped: left.length }, 'notifier stopped with notifications queued; dropped');
    }
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (let event = this.items.shift(); event; event = this.items.shift()) {
        const outcome = await this.deliver(event);
        this.metrics.sent.inc({ kind: this.target.kind, event: event.type, outcome });
        if (this.abort.signal.aborted) break;
      }
    } finally {
      this.running = undefined;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async deliver(event: NotificationEvent): Promise<DeliveryOutcome> {
    const fields = { event: event.type, ...(event.id === undefined ? {} : { eventId: event.id }) };
    // httpRequest's own retry log carries the URL; this one carries the webhook's label only.
    const retryLog = {
      warn: (obj: Record<string, unknown>) => {
        this.log.warn(
          {
            ...fields,
            attempt: obj.attempt,
            maxAttempts: obj.maxAttempts,
            delayMs: obj.delayMs,
            reason: obj.reason,
            ...(obj.status === undefined ? {} : { status: obj.status }),
          },
          'notification delivery failed; retrying',
        );
      },
    } as unknown as RetryLogger;
    try {
      await httpRequest({
        method: 'POST',
        url: this.target.url(),
        json: webhookPayload(this.target.kind, event, this.chatId),
        timeoutMs: this.delivery.timeoutMs,
        // A webhook post is not idempotent, but a duplicate notification is better than none.
        idempotent: true,
        retries: this.delivery.maxAttempts - 1,
        maxRetryAfterMs: this.delivery.maxRetryAfterMs,
        signal: this.abort.signal,
        service: `${this.target.kind} webhook`,
        log: retryLog,
      });
      this.log.debug(fields, 'notification sent');
      return 'sent';
    } catch (err) {
      if (this.abort.signal.aborted) {
        this.log.warn(fields, 'notifier stopped during delivery; notification abandoned');
        return 'abandoned';
      }
      // The error's message and details hold the URL: log only what they say about the failure.
      const details = upstreamDetails(err);
      const failure = {
        ...fields,
        reason: details?.reason ?? 'error',
        attempts: details?.attempts ?? 1,
        ...(details?.status === undefined ? {} : { status: details.status }),
        ...(details?.upstream?.message === undefined ? {} : { upstreamMessage: details.upstream.message }),
      };
      if (err instanceof UpstreamBadResponse) {
        this.log.error(failure, 'webhook refused the notification; not retried');
        return 'rejected';
      }
      this.log.error(failure, 'notification not delivered after every attempt');
      return 'failed';
    }
  }
}
