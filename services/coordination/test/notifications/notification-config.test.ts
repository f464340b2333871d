import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '@catalyst/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_EVENTS, notificationConfigSchema } from '../../src/notifications';

const SLACK = 'https://hooks.slack.com/services/T0AAA/B0BBB/slacksecretpart';
const TELEGRAM = 'https://api.telegram.org/bot123456:tgsecretpart/sendMessage?chat_id=-1001';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(notificationConfigSchema, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('notification config', () => {
  it('is off with nothing set, and notifies every event type but news.catalyst by default', () => {
    const config = loadConfig(notificationConfigSchema, {});
    expect(config.NOTIFY_WEBHOOKS).toEqual([]);
    expect(config.NOTIFY_EVENTS).toEqual(DEFAULT_NOTIFY_EVENTS);
    expect(config.NOTIFY_EVENTS).not.toContain('news.catalyst');
    expect(config.NOTIFY_EVENTS).toContain('report.daily');
    expect(config).toMatchObject({
      NOTIFY_TIMEOUT_MS: 5_000,
      NOTIFY_MAX_ATTEMPTS: 4,
      NOTIFY_QUEUE_SIZE: 100,
      NOTIFY_MAX_RETRY_AFTER_MS: 60_000,
      NOTIFY_DRAIN_TIMEOUT_MS: 3_000,
    });
  });

  it('reads kind=url entries, and the parsed config shows kind and host but never the URL', () => {
    const config = loadConfig(notificationConfigSchema, {
      NOTIFY_WEBHOOKS: ` slack=${SLACK} , TELEGRAM=${TELEGRAM},generic=http://127.0.0.1:9/x?sig=a=b`,
      NOTIFY_EVENTS: 'all',
    });
    expect(config.NOTIFY_WEBHOOKS.map((t) => t.label)).toEqual([
      'slack#1@hooks.slack.com',
      'telegram#2@api.telegram.org',
      'generic#3@127.0.0.1:9',
    ]);
    expect(config.NOTIFY_WEBHOOKS[1]!.url()).toBe(TELEGRAM);
    expect(config.NOTIFY_WEBHOOKS[2]!.url()).toBe('http://127.0.0.1:9/x?sig=a=b');
    expect(config.NOTIFY_EVENTS).toContain('news.catalyst');
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 5 }), String(config.NOTIFY_WEBHOOKS)]) {
      expect(shown).not.toContain('slacksecretpart');
      expect(shown).not.toContain('tgsecretpart');
      expect(shown).toContain('hooks.slack.com');
    }
  });

  it('names each bad entry by position and kind in its own messages, never by its text', () => {
    const result = notificationConfigSchema.safeParse({
      NOTIFY_WEBHOOKS: `slack=${SLACK},pager=https://x.example/pagersecret,telegram=https://api.telegram.org/botsecretbot/getMe,discord=notaurl-discordsecret`,
      NOTIFY_EVENTS: 'trade.closed,trade.exploded',
      NOTIFY_MAX_ATTEMPTS: '0',
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual([
      'NOTIFY_WEBHOOKS: entry 2 must be kind=url with kind slack, discord, telegram, generic',
      'NOTIFY_WEBHOOKS: entry 3 (telegram) must look like https://api.telegram.org/bot<token>/sendMessage?chat_id=<id>',
      'NOTIFY_WEBHOOKS: entry 4 (discord) is not a URL',
      expect.stringMatching(/^NOTIFY_EVENTS: unknown event type trade\.exploded; use all or some of news\.catalyst, /),
      'NOTIFY_MAX_ATTEMPTS: must be a whole number from 1 to 10',
    ]);
    expect(messages.join(' ')).not.toMatch(/secret/);
  });

  // Needs load.ts to hide the value of NOTIFY_WEBHOOKS (it hides *KEY*, *SECRET*, *TOKEN*, *PASSWORD* names).
  it('stops the boot with one line that does not print the webhook URLs', () => {
    const message = configError({
      NOTIFY_WEBHOOKS: `telegram=${TELEGRAM.replace('sendMessage', 'getMe')},slack=${SLACK}`,
    });
    expect(message).toContain('NOTIFY_WEBHOOKS: entry 1 (telegram) must look like');
    expect(message).not.toContain('tgsecretpart');
    expect(message).not.toContain('123456');
    expect(message).not.toContain('slacksecretpart');
  });
});
