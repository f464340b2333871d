import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketSim, type RunningMarketSim } from '../src/index';
import { Prng } from '../src/model/prng';

const AUTH = { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' };

describe("malformed requests get Alpaca's error and never crash the simulator", () => {
  let running: RunningMarketSim;
  let symbol: string;
  const send = async (method: string, path: string, body?: string) => {
    const res = await fetch(running.url + path, {
      method,
      headers: { ...AUTH, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  };
  const order = (fields: Record<string, unknown>) =>
    send(
      'POST',
      '/v2/orders',
      JSON.stringify({ symbol, qty: '1', side: 'buy', type: 'market', time_in_force: 'day', ...fields }),
    );

  beforeAll(async () => {
    running = await startMarketSim({ seed: 9, speed: 0, startTime: '2025-03-14T15:00:00Z' });
    symbol =
      running.sim.market.stocks.find((s) => s.fractionable && !s.shortable)?.symbol ??
      running.sim.market.stocks[0]!.symbol;
  });
  afterAll(async () => {
    await running?.stop();
  });

  it.each([
    [
      'a body that is not JSON',
      () => send('POST', '/v2/orders', '{"symbol":'),
      400,
      { code: 40010000, message: 'request body format is invalid' },
    ],
    [
      'a JSON array',
      () => send('POST', '/v2/orders', '[1,2]'),
      400,
      { code: 40010000, message: 'request body format is invalid' },
    ],
    ['no type', () => order({ type: undefined }), 422, { code: 40010001, message: 'order type is required' }],
    ['an unknown type', () => order({ type: 'moon' }), 422, { code: 40010001, message: 'invalid order type' }],
    [
      'an unknown time in force',
      () => order({ time_in_force: 'forever' }),
      422,
      { code: 40010001, message: 'invalid time_in_force' },
    ],
    ['no symbol', () => order({ symbol: '' }), 422, { code: 40010001, message: 'symbol is required' }],
    [
      'an unknown symbol',
      () => order({ symbol: 'ZZZZZ' }),
      422,
      { code: 40010001, message: 'asset "ZZZZZ" not found' },
    ],
    ['a bad side', () => order({ side: 'hold' }), 422, { code: 40010001, message: 'invalid side' }],
    [
      'qty and notional',
      () => order({ notional: '100' }),
      400,
      { code: 40010001, message: 'qty and notional cannot both be specified' },
    ],
    [
      'neither qty nor notional',
      () => order({ qty: undefined }),
      422,
      { code: 40010001, message: 'qty or notional is required' },
    ],
    ['a negative qty', () => order({ qty: '-5' }), 422, { code: 40010001, message: 'qty must be > 0' }],
    ['a qty that is not a number', () => order({ qty: 'ten' }), 422, { code: 40010001, message: 'invalid qty' }],
    ['a qty as an object', () => order({ qty: { n: 1 } }), 422, { code: 40010001, message: 'invalid qty' }],
    [
      'a limit order without a price',
      () => order({ type: 'limit' }),
      422,
      { code: 40010001, message: 'limit_price is required' },
    ],
    [
      'a stop order without a stop',
      () => order({ type: 'stop' }),
      422,
      { code: 40010001, message: 'stop_price is required' },
    ],
    [
      'a sub-penny limit',
      () => order({ type: 'limit', limit_price: '290.123' }),
      422,
      {
        code: 42210000,
        message: 'invalid limit_price 290.123. sub-penny increment does not fulfill minimum pricing criteria',
      },
    ],
    [
      'a sub-penny stop',
      () => order({ type: 'stop', stop_price: '5.001' }),
      422,
      {
        code: 42210000,
        message: 'invalid stop_price 5.001. sub-penny increment does not fulfill minimum pricing criteria',
      },
    ],
    [
      'a market order in extended hours',
      () => order({ extended_hours: true }),
      422,
      { code: 40010001, message: 'extended hours order must be DAY or GTC limit orders' },
    ],
    [
      'a client_order_id over 128 characters',
      () => order({ client_order_id: 'x'.repeat(129) }),
      422,
      { code: 40010001, message: 'client_order_id must be no more than 128 characters' },
    ],
    [
      'a bracket without its take-profit',
      () => order({ order_class: 'bracket', stop_loss: { stop_price: '1' } }),
      422,
      { code: 42210000, message: 'bracket orders require take_profit.limit_price' },
    ],
    [
      'a bracket good for ioc',
      () =>
        order({
          order_class: 'bracket',
          time_in_force: 'ioc',
          take_profit: { limit_price: '1000' },
          stop_loss: { stop_price: '1' },
        }),
      422,
      { code: 42210000, message: 'invalid time_in_force for bracket order: must be day or gtc' },
    ],
    [
      'an oco that is not a limit order',
      () => order({ order_class: 'oco', take_profit: { limit_price: '1000' }, stop_loss: { stop_price: '1' } }),
      422,
      { code: 42210000, message: 'oco orders must be limit orders' },
    ],
    [
      'a fractional limit order',
      () => order({ qty: '1.5', type: 'limit', limit_price: '1' }),
      422,
      { code: 42210000, message: 'fractional orders must be market orders with day time in force' },
    ],
    [
      'an order id that does not exist',
      () => send('GET', '/v2/orders/not-an-order'),
      404,
      { code: 40410000, message: 'order not found' },
    ],
    [
      'a client order id that does not exist',
      () => send('GET', '/v2/orders:by_client_order_id?client_order_id=nope'),
      404,
      { code: 40410000, message: 'order not found' },
    ],
    [
      'a lookup without client_order_id',
      () => send('GET', '/v2/orders:by_client_order_id'),
      422,
      { code: 40010001, message: 'client_order_id is required' },
    ],
    [
      'an order list limit of zero',
      () => send('GET', '/v2/orders?limit=0'),
      422,
      { code: 40010001, message: 'invalid limit, limit must be between 1 and 10000' },
    ],
    [
      'an order list status of maybe',
      () => send('GET', '/v2/orders?status=maybe'),
      422,
      { code: 40010001, message: 'invalid status' },
    ],
    [
      'a position that does not exist',
      () => send('GET', '/v2/positions/ZZZZ'),
      404,
      { code: 40410000, message: 'position does not exist' },
    ],
    [
      'a replace with nothing to change',
      () => send('PATCH', '/v2/orders/abc', '{}'),
      422,
      {
        code: 40010001,
        message: 'at least one of qty, limit_price, stop_price, trail, time_in_force or client_order_id is required',
      },
    ],
    [
      'a replace of an unknown order',
      () => send('PATCH', '/v2/orders/abc', '{"qty":"2"}'),
      404,
      { code: 40410000, message: 'order not found' },
    ],
    [
      'a cancel of an unknown order',
      () => send('DELETE', '/v2/orders/abc'),
      404,
      { code: 40410000, message: 'order not found' },
    ],
    [
      'a calendar with a bad date',
      () => send('GET', '/v2/calendar?start=yesterday'),
      400,
      { code: 40010001, message: 'invalid start' },
    ],
    ['an unknown trading path', () => send('GET', '/v2/moon'), 404, { code: 40410000, message: 'endpoint not found' }],
  ])('%s', async (_name, call, status, body) => {
    const res = await call();
    expect(res).toEqual({ status, body });
  });

  it('survives a storm of random garbage and still trades afterwards', async () => {
    const prng = new Prng(2024);
    const methods = ['GET', 'POST', 'PATCH', 'DELETE'];
    const paths = [
      '/v2/orders',
      '/v2/orders/x',
      '/v2/positions',
      '/v2/positions/x',
      '/v2/stocks/bars',
      '/v2/stocks/x/bars',
      '/v1beta1/news',
      '/v2/account/activities',
      '/v2/calendar',
      '/v2/assets/x',
      '/rss/x.xml',
      '/v2/everything',
      '/query',
      '/v2/stocks/snapshots',
    ];
    const junk = () => {
      const pieces = [
        '',
        '{',
        '}',
        '[',
        'null',
        '"',
        '1e999',
        '-1',
        'NaN',
        '%',
        '&',
        '=',
        'qty',
        'limit',
        'symbols',
        'timeframe',
        '\u0000',
        '\u{1F600}',
        'true',
        ',',
        ':',
      ];
      let s = '';
      for (let i = prng.int(0, 12); i > 0; i--) s += prng.pick(pieces);
      return s;
    };
    for (let i = 0; i < 300; i++) {
      const method = prng.pick(methods);
      const query = `?${encodeURIComponent(junk())}=${encodeURIComponent(junk())}&limit=${encodeURIComponent(junk())}&timeframe=${encodeURIComponent(junk())}&symbols=${encodeURIComponent(junk())}`;
      const body =
        method === 'GET' || method === 'DELETE'
          ? undefined
          : prng.chance(0.5)
            ? junk()
            : JSON.stringify({
                symbol: junk(),
                qty: junk(),
                side: junk(),
                type: prng.pick(['market', 'limit', junk()]),
                time_in_force: 'day',
                limit_price: junk(),
              });
      const res = await send(method, prng.pick(paths) + query, body);
      expect(res.status).toBeLessThan(500);
    }
    const ok = await order({});
    expect(ok.status).toBe(200);
  });
});
