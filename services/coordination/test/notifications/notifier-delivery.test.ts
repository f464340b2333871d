import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  aCycleFailure,
  aDailyReport,
  AT,
  aTradeClosed,
  capturedLogger,
  eventually,
  startTestNotifier,
} from './notification-builders';
import { startWebhookFixture, type WebhookFixture } from './webhook-fixture';

let hook: WebhookFixture;
beforeEach(async () => {
  hook = await startWebhookFixture();
});
afterEach(() => hook.close());

const failure = { type: 'cycle.failed' as const, data: aCycleFailure(), at: AT };

describe('delivery', () => {
  it('when the webhook answers 500 once, then the notification is sent on the next attempt', async () => {
    hook.answer((i) => ({ status: i === 0 ? 500 : 200 }));
    const t = await startTestNotifier({ NOTIFY_WEBHOOKS: `generic=${hook.base}/h`, NOTIFY_MAX_ATTEMPTS: '3' });
    t.notifier.notify(failure);
    await eventually(async () => (await t.count('notifications_sent_total', { outcome: 'sent' })) === 1, 'sent');
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]!.body).toEqual(hook.requests[0]!.body);
    expect(await t.count('notifications_sent_total', { kind: 'generic', event: 'cycle.failed', outcome: 'sent' })).toBe(
      1,
    );
    await t.notifier.stop();
  });

  it('when the webhook answers 429 with Retry-After, then the next attempt waits that long', async () => {
    hook.answer((i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const t = await startTestNotifier({ NOTIFY_WEBHOOKS: `slack=${hook.base}/s`, NOTIFY_MAX_ATTEMPTS: '2' });
    t.notifier.notify(failure);
    await eventually(async () => (await t.count('notifications_sent_total', { outcome: 'sent' })) === 1, 'sent');
    expect(hook.requests).toHaveLength(2);
    // Without Retry-After the first backoff is under 100 ms.
    expect(hook.requests[1]!.at - hook.requests[0]!.at).toBeGreaterThanOrEqual(950);
    await t.notifier.stop();
  });

  it('when the webhook answers 400, then it is not retried and counts as rejected', async () => {
    hook.answer(() => ({ status: 400, body: 'invalid_payload' }));
    const t = await startTestNotifier({ NOTIFY_WEBHOOKS: `discord=${hook.base}/d`, NOTIFY_MAX_ATTEMPTS: '5' });
    t.notifier.notify(failure);
    await eventually(
      async () => (await t.count('notifications_sent_total', { outcome: 'rejected' })) === 1,
      'rejected',
    );
    // The outcome is counted when the delivery has finished, so a retry would already be here.
    expect(hook.requests).toHaveLength(1);
    await t.notifier.stop();
  });

  it('when every attempt fails or times out, then it gives up after NOTIFY_MAX_ATTEMPTS', async () => {
    hook.answer((i) => (i === 1 ? 'hang' : { status: 503 }));
    const t = await startTestNotifier({
      NOTIFY_WEBHOOKS: `telegram=${hook.base}/botX/sendMessage?chat_id=7`,
      NOTIFY_MAX_ATTEMPTS: '3',
      NOTIFY_TIMEOUT_MS: '200',
    });
    t.notifier.notify(failure);
    await eventually(async () => (await t.count('notifications_sent_total', { outcome: 'failed' })) === 1, 'failed');
    expect(hook.requests).toHaveLength(3);
    expect(await t.count('notifications_sent_total', { outcome: 'sent' })).toBe(0);
    await t.notifier.stop();
  });

  it('when a webhook hangs, then notify() returns at once, the others still deliver, and the full queue drops its oldest', async () => {
    const healthy = await startWebhookFixture();
    try {
      hook.answer(() => 'hang');
      const t = await startTestNotifier({
        NOTIFY_WEBHOOKS: `discord=${hook.base}/hang,generic=${healthy.base}/ok`,
        NOTIFY_QUEUE_SIZE: '2',
        NOTIFY_TIMEOUT_MS: '60000',
        NOTIFY_DRAIN_TIMEOUT_MS: '100',
      });
      for (let i = 0; i < 5; i++) t.notifier.notify({ ...failure, data: aCycleFailure({ error: `failure ${i}` }) });
      // Nothing of a delivery runs on the caller's stack.
      expect(hook.requests).toHaveLength(0);
      expect(healthy.requests).toHaveLength(0);

      await hook.waitForRequests(1);
      // The queue held two when it was full: events 0, 1 and 2 were dropped before the sender woke.
      expect(hook.requests[0]!.body).toMatchObject({ embeds: [{ description: 'failure 3' }] });
      expect(await t.count('notifications_dropped_total', { kind: 'discord' })).toBe(3);

      // While that request hangs, notify() still returns and the healthy webhook gets everything it can hold.
      t.notifier.notify({ type: 'report.daily', data: aDailyReport(), at: AT });
      await healthy.waitForRequests(3);
      expect(healthy.requests.map((r) => (r.body as { type: string }).type)).toEqual([
        'cycle.failed',
        'cycle.failed',
        'report.daily',
      ]);
      expect(hook.requests).toHaveLength(1);

      await t.notifier.stop();
      expect(
        await t.count('notifications_sent_total', { kind: 'discord', event: 'cycle.failed', outcome: 'abandoned' }),
      ).toBe(1);
      // Two left in the hanging webhook's queue (event 4 and the report) when the drain time ran out.
      expect(await t.count('notifications_dropped_total', { kind: 'discord' })).toBe(5);
      expect(await t.count('notifications_dropped_total', { kind: 'generic' })).toBe(3);
    } finally {
      await healthy.close();
    }
  });

  it('sends only the configured event types, and refuses a payload that breaks its contract without throwing', async () => {
    const t = await startTestNotifier({ NOTIFY_WEBHOOKS: `generic=${hook.base}/g`, NOTIFY_EVENTS: 'trade.closed' });
    t.notifier.notify(failure);
    t.notifier.notify({
      type: 'trade.closed',
      data: { ...aTradeClosed(), realizedPnl: 12.5 as unknown as string },
      at: AT,
    });
    t.notifier.notify({ type: 'trade.closed', data: aTradeClosed(), at: AT });
    await hook.waitForRequests(1);
    await t.notifier.stop();
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.body).toMatchObject({ type: 'trade.closed', data: { realizedPnl: '123.455' } });
    expect(await t.count('notifications_invalid_events_total', { event: 'trade.closed' })).toBe(1);
  });

  it('after stop(), notify() is a no-op', async () => {
    const t = await startTestNotifier({ NOTIFY_WEBHOOKS: `generic=${hook.base}/g` });
    await t.notifier.stop();
    t.notifier.notify(failure);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hook.requests).toHaveLength(0);
  });
});

describe('the webhook URL stays secret', () => {
  it('appears in no log line: start, retries, refusals and failures name the kind and host only', async () => {
    const secrets = ['T0SECRET', 'B0SECRET', 'slackpathtoken', '987654:tgbottoken', 'disc0rdtoken'];
    let slackCalls = 0;
    hook.answer((_i, req) => {
      if (req.path.startsWith('/services')) return { status: slackCalls++ === 0 ? 500 : 200 };
      if (req.path.startsWith('/bot')) return { status: 400, body: '{"ok":false}' };
      return { status: 503, headers: { 'retry-after': '0' } };
    });
    const { log, lines } = capturedLogger();
    const t = await startTestNotifier(
      {
        NOTIFY_WEBHOOKS: [
          `slack=${hook.base}/services/T0SECRET/B0SECRET/slackpathtoken`,
          `telegram=${hook.base}/bot987654:tgbottoken/sendMessage?chat_id=5`,
          `discord=${hook.base}/api/webhooks/1/disc0rdtoken`,
        ].join(','),
        NOTIFY_MAX_ATTEMPTS: '2',
      },
      { log },
    );
    t.notifier.notify(failure);
    await eventually(async () => (await t.count('notifications_sent_total', {})) >= 3, 'three outcomes');
    await t.notifier.stop();

    const text = lines.join('');
    for (const secret of secrets) expect(text).not.toContain(secret);
    const host = new URL(hook.base).host;
    expect(text).toContain(`slack#1@${host}`);
    expect(text).toContain('notification delivery failed; retrying');
    expect(text).toContain('webhook refused the notification; not retried');
    expect(text).toContain('notification not delivered after every attempt');
  });
});
