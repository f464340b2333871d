import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEvent, type NotificationEvent } from '../../src/notifications';
import { roundDecimal } from '../../src/notifications/notification-message';
import { aCycleFailure, aDailyReport, aHalt, AT, aTradeClosed, startTestNotifier } from './notification-builders';
import { startWebhookFixture, type WebhookFixture } from './webhook-fixture';

const SLACK_PATH = '/services/T0001/B0002/slacksecret123';
const DISCORD_PATH = '/api/webhooks/42/discordsecret456';
const TELEGRAM_PATH = '/bot123456:telegramsecret789/sendMessage?chat_id=-100123';
const GENERIC_PATH = '/hooks/catalyst?sig=genericsecret000';

let fixture: WebhookFixture;
beforeAll(async () => {
  fixture = await startWebhookFixture();
});
afterAll(() => fixture.close());

function bodyAt(path: string): unknown {
  const hit = fixture.requests.filter((r) => r.path === path);
  expect(hit, `requests to ${path}`).toHaveLength(1);
  expect(hit[0]!.method).toBe('POST');
  expect(hit[0]!.contentType).toBe('application/json');
  return hit[0]!.body;
}

describe('the body each kind of webhook receives', () => {
  it('sends a closed trade to Slack, Discord, Telegram and a generic URL in each one’s exact shape', async () => {
    fixture.requests.length = 0;
    const t = await startTestNotifier({
      NOTIFY_WEBHOOKS: [
        `slack=${fixture.base}${SLACK_PATH}`,
        `discord=${fixture.base}${DISCORD_PATH}`,
        `telegram=${fixture.base}${TELEGRAM_PATH}`,
        `generic=${fixture.base}${GENERIC_PATH}`,
      ].join(','),
    });
    t.notifier.notify({ type: 'trade.closed', data: aTradeClosed(), at: AT });
    await fixture.waitForRequests(4);
    await t.notifier.stop();

    const title = 'Closed long AAPL: +123.46 (+12.35%)';
    expect(bodyAt(SLACK_PATH)).toEqual({
      text: `✅ ${title}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: `✅ ${title}`, emoji: true } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Qty*\n10' },
            { type: 'mrkdwn', text: '*Entry → exit*\n100.00 → 112.3455' },
            { type: 'mrkdwn', text: '*Exit reason*\ntarget' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `trade.closed · ${AT}` }] },
      ],
    });
    expect(bodyAt(DISCORD_PATH)).toEqual({
      content: `✅ ${title}`,
      embeds: [
        {
          title,
          color: 0x16a34a,
          timestamp: AT,
          footer: { text: 'trade.closed' },
          fields: [
            { name: 'Qty', value: '10', inline: true },
            { name: 'Entry → exit', value: '100.00 → 112.3455', inline: true },
            { name: 'Exit reason', value: 'target', inline: true },
          ],
        },
      ],
      allowed_mentions: { parse: [] },
    });
    expect(bodyAt(TELEGRAM_PATH)).toEqual({
      chat_id: '-100123',
      text: [
        `<b>✅ ${title}</b>`,
        '<b>Qty:</b> 10',
        '<b>Entry → exit:</b> 100.00 → 112.3455',
        '<b>Exit reason:</b> target',
        `<i>trade.closed · ${AT}</i>`,
      ].join('\n'),
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    });
    expect(bodyAt(GENERIC_PATH)).toEqual({
      id: null,
      topic: 'trading',
      type: 'trade.closed',
      at: AT,
      data: aTradeClosed(),
    });
    expect(
      await t.count('notifications_sent_total', { kind: 'telegram', event: 'trade.closed', outcome: 'sent' }),
    ).toBe(1);
  });

  it('escapes what each markup would read as markup, and never lets Discord ping a whole server', async () => {
    fixture.requests.length = 0;
    const t = await startTestNotifier({
      NOTIFY_WEBHOOKS: [
        `slack=${fixture.base}${SLACK_PATH}`,
        `discord=${fixture.base}${DISCORD_PATH}`,
        `telegram=${fixture.base}${TELEGRAM_PATH}`,
      ].join(','),
    });
    t.notifier.notify({ type: 'trading.halted', data: aHalt({ actor: 'risk_engine' }), at: AT });
    await fixture.waitForRequests(3);
    await t.notifier.stop();

    const lines = [
      'Reason: broker &lt;outage&gt; &amp; @everyone',
      'Cancelled 2 entry orders',
      'Closing positions: AAPL, MSFT',
    ];
    expect(bodyAt(SLACK_PATH)).toEqual({
      text: ['🛑 Trading halted by risk_engine', ...lines].join('\n'),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '🛑 Trading halted by risk_engine', emoji: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Reason: broker &lt;outage&gt; &amp; @everyone\nCancelled 2 entry orders\nClosing positions: AAPL, MSFT',
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `trading.halted · ${AT}` }] },
      ],
    });
    expect(bodyAt(DISCORD_PATH)).toEqual({
      content: '🛑 Trading halted by risk\\_engine',
      embeds: [
        {
          title: 'Trading halted by risk_engine',
          color: 0xdc2626,
          timestamp: AT,
          footer: { text: 'trading.halted' },
          description: 'Reason: broker <outage\\> & @everyone\nCancelled 2 entry orders\nClosing positions: AAPL, MSFT',
        },
      ],
      allowed_mentions: { parse: [] },
    });
    expect(bodyAt(TELEGRAM_PATH)).toEqual({
      chat_id: '-100123',
      text: [
        '<b>🛑 Trading halted by risk_engine</b>',
        'Reason: broker &lt;outage&gt; &amp; @everyone',
        'Cancelled 2 entry orders',
        'Closing positions: AAPL, MSFT',
        `<i>trading.halted · ${AT}</i>`,
      ].join('\n'),
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    });
  });
});

describe('what each event says', () => {
  const at = AT;
  const cases: [NotificationEvent, string, string][] = [
    [
      {
        type: 'trade.opened',
        topic: 'trading',
        at,
        data: {
          orderId: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          positionId: null,
          signalId: null,
          symbol: 'NVDA',
          side: 'long',
          qty: '25',
          entryPrice: '120.5',
          stopPrice: '117',
          targetPrice: null,
          catalystType: 'earnings_beat',
          openedAt: at,
        },
      },
      'Opened long 25 NVDA @ 120.5',
      'info',
    ],
    [
      { type: 'trade.closed', topic: 'trading', at, data: aTradeClosed({ realizedPnl: '-50.005', returnPct: '-0.5' }) },
      'Closed long AAPL: −50.01 (−0.50%)',
      'warning',
    ],
    [{ type: 'trading.halted', topic: 'trading', at, data: aHalt() }, 'Trading halted by ops', 'critical'],
    [
      { type: 'trading.resumed', topic: 'trading', at, data: { actor: 'ops', reason: null, resumedAt: at } },
      'Trading resumed by ops',
      'info',
    ],
    [
      {
        type: 'reconciliation.discrepancy',
        topic: 'trading',
        at,
        data: {
          source: 'reconciliation',
          discrepancies: [
            {
              kind: 'position_qty',
              entityType: 'position',
              entityId: 'p1',
              symbol: 'AAPL',
              summary: 'qty 10 → 8 (broker)',
            },
            { kind: 'unknown_order', entityType: 'order', entityId: 'o9', symbol: null, summary: 'adopted' },
          ],
          detectedAt: at,
        },
      },
      'Reconciliation corrected 2 discrepancies (reconciliation)',
      'warning',
    ],
    [{ type: 'cycle.failed', topic: 'coordination', at, data: aCycleFailure() }, 'Cycle failed at scan', 'critical'],
    [
      { type: 'report.daily', topic: 'reporting', at, data: aDailyReport() },
      'Daily report 2026-03-02: +380.13 realized',
      'good',
    ],
    [
      {
        type: 'news.catalyst',
        topic: 'news',
        at,
        data: {
          catalystId: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5e',
          newsItemId: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5f',
          storyId: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c60',
          symbol: 'MRNA',
          type: 'fda_approval',
          direction: 'bullish',
          score: 0.914,
          headline: 'FDA approves vaccine',
          receivedAt: at,
        },
      },
      'MRNA: fda_approval (bullish, score 0.91)',
      'info',
    ],
  ];
  it.each(cases)('%#: %s', (event, title, severity) => {
    const m = describeEvent(event);
    expect(m.title).toBe(title);
    expect(m.severity).toBe(severity);
  });

  it('lists the discrepancies and the daily figures a person checks', () => {
    expect(describeEvent(cases[4]![0]).lines).toEqual([
      'position_qty (position AAPL): qty 10 → 8 (broker)',
      'unknown_order (order o9): adopted',
    ]);
    const report = describeEvent(cases[6]![0]);
    expect(report.fields).toEqual([
      { name: 'Trades', value: '3 (2 won, 1 lost)' },
      { name: 'Win rate', value: '66.7%' },
      { name: 'Unrealized', value: '+32.38' },
      { name: 'Fees', value: '1.20' },
      { name: 'Equity', value: '100000.00 → 100412.50' },
      { name: 'Max drawdown', value: '0.42%' },
    ]);
    expect(report.link).toBe('http://dashboard.local/reports/2026-03-02');
  });

  it('rounds money half-up in decimal, never through a float', () => {
    expect(roundDecimal('1.005')).toBe('1.01'); // a float would give 1.00
    expect(roundDecimal('-0.004')).toBe('0.00');
    expect(roundDecimal('-2.675')).toBe('-2.68');
    expect(roundDecimal('7')).toBe('7.00');
    expect(roundDecimal('123456789012345678.995')).toBe('123456789012345679.00');
    expect(roundDecimal('n/a')).toBe('n/a');
  });
});
