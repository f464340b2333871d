import { describe, expect, it } from 'vitest';
import { createLogger, currentContext, redactText, runWithContext, type Logger } from '../../src/logger';

function capture(): { log: Logger; raw: string[]; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const log = createLogger({
    service: 'trading',
    level: 'debug',
    destination: { write: (s: string) => void raw.push(s) },
  });
  return { log, raw, lines: () => raw.map((s) => JSON.parse(s) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON line with level label, ISO time, service and message', () => {
    const { log, lines } = capture();
    log.info({ orderId: 'o-1' }, 'order submitted');
    expect(lines()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'trading',
        orderId: 'o-1',
        msg: 'order submitted',
      },
    ]);
  });

  it('keeps dates and other non-plain values as pino would print them', () => {
    const { log, lines } = capture();
    log.info({ at: new Date(Date.UTC(2024, 0, 2, 15, 30)), qty: 5, ok: true, none: null }, 'values');
    expect(lines()[0]).toMatchObject({ at: '2024-01-02T15:30:00.000Z', qty: 5, ok: true, none: null });
  });

  it('survives circular objects', () => {
    const { log, lines } = capture();
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    log.info({ a }, 'circular');
    expect(lines()[0]?.a).toEqual({ name: 'a', self: '[Circular]' });
  });
});

describe('redaction', () => {
  it('hides authorization headers and cookies at any depth and in any case', () => {
    const { log, raw, lines } = capture();
    log.info(
      {
        req: { headers: { authorization: 'Bearer tok-111', cookie: 'sid=tok-222', accept: 'application/json' } },
        headers: { Authorization: 'Bearer tok-333' },
        upstream: {
          request: {
            headers: {
              authorization: 'Bearer tok-444',
              'APCA-API-SECRET-KEY': 'tok-555',
              'apca-api-key-id': 'tok-666',
            },
          },
        },
      },
      'outgoing call',
    );
    const line = lines()[0] as {
      req: { headers: Record<string, string> };
      headers: Record<string, string>;
      upstream: { request: { headers: Record<string, string> } };
    };
    expect(line.req.headers).toEqual({ authorization: '[Redacted]', cookie: '[Redacted]', accept: 'application/json' });
    expect(line.headers).toEqual({ Authorization: '[Redacted]' });
    expect(line.upstream.request.headers).toEqual({
      authorization: '[Redacted]',
      'APCA-API-SECRET-KEY': '[Redacted]',
      'apca-api-key-id': '[Redacted]',
    });
    expect(raw.join('')).not.toMatch(/tok-\d/);
  });

  it('hides keys, secrets, tokens and passwords, in configs and anywhere else', () => {
    const { log, raw, lines } = capture();
    log.info(
      {
        config: {
          ALPACA_API_KEY: 'k-1',
          ALPACA_SECRET_KEY: 'k-2',
          NEWSAPI_KEY: 'k-3',
          CATALYST_API_TOKEN: 'k-4',
          DASHBOARD_PASSWORD: 'k-5',
          PORT: 5005,
        },
        ALPHAVANTAGE_KEY: 'k-6',
        apiKey: 'k-7',
        provider: { apikey: 'k-8', api_key: 'k-9', token: 'k-10', password: 'k-11', secret: 'k-12' },
        SESSION_SECRET: 'k-13',
      },
      'config loaded',
    );
    const line = lines()[0] as Record<string, Record<string, unknown>>;
    expect(line.config).toEqual({
      ALPACA_API_KEY: '[Redacted]',
      ALPACA_SECRET_KEY: '[Redacted]',
      NEWSAPI_KEY: '[Redacted]',
      CATALYST_API_TOKEN: '[Redacted]',
      DASHBOARD_PASSWORD: '[Redacted]',
      PORT: 5005,
    });
    expect(line.provider).toEqual({
      apikey: '[Redacted]',
      api_key: '[Redacted]',
      token: '[Redacted]',
      password: '[Redacted]',
      secret: '[Redacted]',
    });
    expect(line.ALPHAVANTAGE_KEY).toBe('[Redacted]');
    expect(line.apiKey).toBe('[Redacted]');
    expect(raw.join('')).not.toMatch(/k-\d/);
  });

  it('does not hide ordinary fields that merely look alike', () => {
    const { log, lines } = capture();
    log.info({ keyLevel: 3, tokens: ['AAPL', 'MSFT'], idempotency_key: 'idem-1', monkey: 'ok' }, 'plain');
    expect(lines()[0]).toMatchObject({
      keyLevel: 3,
      tokens: ['AAPL', 'MSFT'],
      idempotency_key: 'idem-1',
      monkey: 'ok',
    });
  });

  it('removes the password inside a postgres URL in any field, array or message', () => {
    const { log, raw, lines } = capture();
    log.info(
      {
        url: 'postgres://catalyst:pw-1@db.internal:5432/catalyst?sslmode=require',
        nested: { dsns: ['postgresql://u:pw-2@h/d'] },
      },
      'connecting to postgres://catalyst:pw-3@db/catalyst',
    );
    log.info('retrying %s after %d ms', 'redis://:pw-4@cache:6379/0', 250);
    const [first, second] = lines();
    expect(first).toMatchObject({
      url: 'postgres://catalyst:[Redacted]@db.internal:5432/catalyst?sslmode=require',
      nested: { dsns: ['postgresql://u:[Redacted]@h/d'] },
      msg: 'connecting to postgres://catalyst:[Redacted]@db/catalyst',
    });
    expect(second?.msg).toBe('retrying redis://:[Redacted]@cache:6379/0 after 250 ms');
    expect(raw.join('')).not.toMatch(/pw-\d/);
  });

  it('removes passwords from errors: message, stack and the line message taken from the error', () => {
    const { log, raw, lines } = capture();
    const err = new Error('password authentication failed for postgres://app:pw-5@db/catalyst', {
      cause: new Error('at postgres://app:pw-6@db/x'),
    });
    log.error(err);
    log.error({ err }, 'database down');
    log.warn({ err });
    const [bare, withMsg, objOnly] = lines() as Array<{ msg: string; err: { message: string; stack: string } }>;
    expect(bare?.msg).toBe('password authentication failed for postgres://app:[Redacted]@db/catalyst');
    expect(bare?.err.message).toBe(
      'password authentication failed for postgres://app:[Redacted]@db/catalyst: at postgres://app:[Redacted]@db/x',
    );
    expect(bare?.err.stack).toContain(
      'Error: password authentication failed for postgres://app:[Redacted]@db/catalyst',
    );
    expect(withMsg?.msg).toBe('database down');
    expect(objOnly?.msg).toBe('password authentication failed for postgres://app:[Redacted]@db/catalyst');
    expect(raw.join('')).not.toMatch(/pw-\d/);
  });

  it('removes API keys from query strings', () => {
    expect(redactText('GET https://www.alphavantage.co/query?function=NEWS_SENTIMENT&apikey=AV123&tickers=AAPL')).toBe(
      'GET https://www.alphavantage.co/query?function=NEWS_SENTIMENT&apikey=[Redacted]&tickers=AAPL',
    );
    expect(redactText('https://newsapi.org/v2/everything?q=x&apiKey=NA456')).toBe(
      'https://newsapi.org/v2/everything?q=x&apiKey=[Redacted]',
    );
    expect(redactText('http://127.0.0.1:5090/x?token=t1&API_KEY=t2')).toBe(
      'http://127.0.0.1:5090/x?token=[Redacted]&API_KEY=[Redacted]',
    );
    expect(redactText('https://example.com/path?page=2')).toBe('https://example.com/path?page=2');
  });
});

describe('request context', () => {
  it('adds requestId and cycleId from the context, across awaits', async () => {
    const { log, lines } = capture();
    await runWithContext({ requestId: 'req-1', cycleId: 'cyc-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      log.info('inside');
      expect(currentContext()).toEqual({ requestId: 'req-1', cycleId: 'cyc-1' });
    });
    log.info('outside');
    const [inside, outside] = lines();
    expect(inside).toMatchObject({ requestId: 'req-1', cycleId: 'cyc-1', msg: 'inside' });
    expect(outside).not.toHaveProperty('requestId');
    expect(outside).not.toHaveProperty('cycleId');
  });

  it('lets an inner context add to the outer one', () => {
    const { log, lines } = capture();
    runWithContext({ cycleId: 'cyc-2' }, () => runWithContext({ requestId: 'req-2' }, () => log.info('nested')));
    expect(lines()[0]).toMatchObject({ requestId: 'req-2', cycleId: 'cyc-2' });
  });

  it('does not repeat a key a child logger is already bound to', () => {
    const { log, raw } = capture();
    runWithContext({ requestId: 'req-3', cycleId: 'cyc-3' }, () => log.child({ requestId: 'req-3' }).info('bound'));
    expect(raw[0]?.match(/"requestId"/g)).toHaveLength(1);
    expect(JSON.parse(raw[0] ?? '{}')).toMatchObject({ requestId: 'req-3', cycleId: 'cyc-3' });
  });
});
