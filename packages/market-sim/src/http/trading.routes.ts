import express, { type Request, type Response, type Router } from 'express';
import { AlpacaError, invalidInput, notFound } from '../broker/alpaca-error';
import { accountView, activityView, assetView, orderView, positionView } from '../broker/alpaca-views';
import type { OrderRecord } from '../broker/broker';
import * as D from '../broker/decimal';
import {
  checkSubPenny,
  decimalField,
  parseOrderRequest,
  TIME_IN_FORCE,
  type TimeInForce,
} from '../broker/order-request';
import {
  DAY_MS,
  civilFromDays,
  formatDay,
  formatNewYorkTimestamp,
  isTradingDay,
  nextClose,
  nextOpen,
  parseDay,
  phaseAt,
  sessionOf,
  settlementDay,
  toNewYork,
} from '../model/calendar';
import { MARKET_EPOCH_DAY } from '../model/market-model';
import type { MarketSim } from '../market-sim';
import { parseBoolParam, parseTimeParam, queryParam } from './request-params';

/** Alpaca Trading API v2: account, clock, calendar, assets, orders, positions, activities. */
export function tradingRoutes(sim: MarketSim): Router {
  const router = express.Router();
  const { broker, market } = sim;
  const now = () => {
    const t = sim.now();
    broker.sync(t);
    return t;
  };

  router.get('/v2/account', (_req, res) => {
    res.json(accountView(broker, now()));
  });

  router.get('/v2/clock', (_req, res) => {
    const t = sim.now();
    const isOpen = phaseAt(t) === 'regular';
    res.json({
      timestamp: formatNewYorkTimestamp(t, (t % 1000) * 1000 + 123),
      is_open: isOpen,
      next_open: formatNewYorkTimestamp(nextOpen(t)),
      next_close: formatNewYorkTimestamp(nextClose(t)),
    });
  });

  // The newer clock (the SDK's `clock()`): one entry per market; the simulator has one, NYSE.
  router.get('/v3/clock', (req, res) => {
    const markets = queryParam(req, 'markets');
    if (
      markets !== undefined &&
      !markets.split(',').every((m) => ['NYSE', 'XNYS', 'NASDAQ', 'XNAS'].includes(m.trim()))
    )
      throw new AlpacaError(400, 40010001, `unsupported market: ${markets}`);
    const timeText = queryParam(req, 'time');
    const t = timeText === undefined ? sim.now() : parseTimeParam(timeText);
    if (t === null) throw new AlpacaError(400, 40010001, 'invalid time');
    const phase = phaseAt(t);
    const ny = toNewYork(t);
    const marketDay = isTradingDay(ny.day);
    let until: number;
    if (phase === 'closed')
      until = marketDay && t < sessionOf(ny.day).preOpen ? sessionOf(ny.day).preOpen : nextPreOpenAfter(t);
    else {
      const s = sessionOf(ny.day);
      until = phase === 'pre' ? s.open : phase === 'regular' ? s.close : s.postClose;
    }
    res.json({
      clocks: [
        {
          market: { acronym: 'NYSE', mic: 'XNYS', name: 'New York Stock Exchange', timezone: 'America/New_York' },
          timestamp: formatNewYorkTimestamp(t, (t % 1000) * 1000 + 123),
          is_market_day: marketDay,
          next_market_open: formatNewYorkTimestamp(nextOpen(t)),
          next_market_close: formatNewYorkTimestamp(nextClose(t)),
          phase: phase === 'regular' ? 'core' : phase,
          phase_until: formatNewYorkTimestamp(until),
        },
      ],
    });
  });

  router.get('/v2/calendar', (req, res) => {
    const today = toNewYork(sim.now()).day;
    const startDay = calendarDay(queryParam(req, 'start'), 'start') ?? MARKET_EPOCH_DAY;
    const endDay = calendarDay(queryParam(req, 'end'), 'end') ?? daysToEndOfNextYear(today);
    const dateType = queryParam(req, 'date_type') ?? 'TRADING';
    if (dateType !== 'TRADING' && dateType !== 'SETTLEMENT') throw new AlpacaError(400, 40010001, 'invalid date_type');
    if (endDay - startDay > 366 * 30) throw new AlpacaError(400, 40010001, 'the requested range is too large');
    const out: Array<Record<string, string>> = [];
    for (let day = startDay - (dateType === 'SETTLEMENT' ? 5 : 0); day <= endDay; day++) {
      if (!isTradingDay(day)) continue;
      const settle = settlementDay(day);
      const key = dateType === 'SETTLEMENT' ? settle : day;
      if (key < startDay || key > endDay) continue;
      const s = sessionOf(day);
      out.push({
        date: formatDay(day),
        open: '09:30',
        close: s.earlyClose ? '13:00' : '16:00',
        session_open: '0400',
        session_close: s.earlyClose ? '1700' : '2000',
        settlement_date: formatDay(settle),
      });
    }
    res.json(out);
  });

  router.get('/v2/assets', (req, res) => {
    const status = queryParam(req, 'status');
    const assetClass = queryParam(req, 'asset_class');
    const exchange = queryParam(req, 'exchange');
    let assets = market.stocks.map(assetView);
    if (status && status !== 'active') assets = [];
    if (assetClass && assetClass !== 'us_equity') assets = [];
    if (exchange) assets = assets.filter((a) => a.exchange === exchange);
    res.json(assets);
  });

  router.get('/v2/assets/:symbolOrId', (req, res) => {
    const key = String(req.params.symbolOrId);
    const stock = market.stocks.find((s) => s.symbol === key.toUpperCase() || s.assetId === key);
    if (!stock) throw notFound('asset not found');
    res.json(assetView(stock));
  });

  router.post('/v2/orders', (req, res) => {
    const request = parseOrderRequest(req.body);
    const t = sim.now();
    const order = broker.submit(request, t);
    res.status(200).json(orderView(broker, order, true));
  });

  router.get('/v2/orders', (req, res) => {
    now();
    const status = queryParam(req, 'status') ?? 'open';
    if (!['open', 'closed', 'all'].includes(status)) throw invalidInput('invalid status');
    const limitText = queryParam(req, 'limit');
    let limit = 50;
    if (limitText !== undefined) {
      const n = Number(limitText);
      if (!/^\d+$/.test(limitText) || n < 1 || n > 10_000)
        throw invalidInput('invalid limit, limit must be between 1 and 10000');
      limit = Math.min(n, 500);
    }
    const direction = queryParam(req, 'direction') ?? 'desc';
    if (direction !== 'asc' && direction !== 'desc') throw invalidInput('invalid direction');
    const nested = parseBoolParam(queryParam(req, 'nested'));
    if (nested === null) throw invalidInput('invalid nested');
    const after = timeFilter(queryParam(req, 'after'), 'after');
    const until = timeFilter(queryParam(req, 'until'), 'until');
    const symbols = queryParam(req, 'symbols')
      ?.split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const side = queryParam(req, 'side');
    if (side !== undefined && side !== 'buy' && side !== 'sell') throw invalidInput('invalid side');
    const matches = (o: OrderRecord) =>
      (status === 'all' || (status === 'open') === broker.isOpen(o)) &&
      (after === null || o.submittedAt > after) &&
      (until === null || o.submittedAt < until) &&
      (!symbols || symbols.includes(o.symbol)) &&
      (!side || o.side === side);
    let list = [...broker.orders.values()].filter(matches);
    if (nested) {
      const shown = new Set(list.map((o) => o.id));
      list = list.filter((o) => o.parentId === null || !shown.has(o.parentId));
    }
    list.sort((a, b) =>
      direction === 'asc'
        ? a.submittedAt - b.submittedAt || a.seq - b.seq
        : b.submittedAt - a.submittedAt || b.seq - a.seq,
    );
    res.json(list.slice(0, limit).map((o) => orderView(broker, o, nested === true)));
  });

  router.delete('/v2/orders', (_req, res) => {
    const canceled = broker.cancelAll(sim.now());
    res.status(207).json(canceled.map((o) => ({ id: o.id, status: 200, body: orderView(broker, o, false) })));
  });

  router.get(/^\/v2\/orders:by_client_order_id$/, (req, res) => {
    now();
    const clientOrderId = queryParam(req, 'client_order_id');
    if (!clientOrderId) throw invalidInput('client_order_id is required');
    res.json(orderView(broker, broker.findByClientId(clientOrderId), true));
  });

  router.get('/v2/orders/:id', (req, res) => {
    now();
    const nested = parseBoolParam(queryParam(req, 'nested'));
    if (nested === null) throw invalidInput('invalid nested');
    res.json(orderView(broker, broker.findOrder(String(req.params.id)), nested !== false));
  });

  router.patch('/v2/orders/:id', (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new AlpacaError(400, 40010000, 'request body format is invalid');
    const b = body as Record<string, unknown>;
    const qty = decimalField(b, 'qty');
    const limitPrice = decimalField(b, 'limit_price');
    const stopPrice = decimalField(b, 'stop_price');
    const trail = decimalField(b, 'trail');
    checkSubPenny(b, 'limit_price', 'limit_price', limitPrice);
    checkSubPenny(b, 'stop_price', 'stop_price', stopPrice);
    for (const [field, value] of [
      ['qty', qty],
      ['limit_price', limitPrice],
      ['stop_price', stopPrice],
      ['trail', trail],
    ] as const) {
      if (value !== null && value <= 0n) throw invalidInput(`${field} must be > 0`);
    }
    let timeInForce: TimeInForce | null = null;
    if (b.time_in_force !== undefined && b.time_in_force !== null) {
      if (typeof b.time_in_force !== 'string' || !(TIME_IN_FORCE as readonly string[]).includes(b.time_in_force))
        throw invalidInput('invalid time_in_force');
      timeInForce = b.time_in_force as TimeInForce;
    }
    let clientOrderId: string | null = null;
    if (b.client_order_id !== undefined && b.client_order_id !== null && b.client_order_id !== '') {
      if (typeof b.client_order_id !== 'string') throw invalidInput('invalid client_order_id');
      if (b.client_order_id.length > 128) throw invalidInput('client_order_id must be no more than 128 characters');
      clientOrderId = b.client_order_id;
    }
    if (
      qty === null &&
      limitPrice === null &&
      stopPrice === null &&
      trail === null &&
      timeInForce === null &&
      clientOrderId === null
    ) {
      throw invalidInput(
        'at least one of qty, limit_price, stop_price, trail, time_in_force or client_order_id is required',
      );
    }
    const order = broker.replace(
      String(req.params.id),
      { qty, limitPrice, stopPrice, trail, timeInForce, clientOrderId },
      sim.now(),
    );
    res.json(orderView(broker, order, true));
  });

  router.delete('/v2/orders/:id', (req, res) => {
    broker.cancel(String(req.params.id), sim.now());
    res.status(204).end();
  });

  router.get('/v2/positions', (_req, res) => {
    const t = now();
    const list = [...broker.positions.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
    res.json(list.map((p) => positionView(broker, market, p, t)));
  });

  router.get('/v2/positions/:symbolOrId', (req, res) => {
    const t = now();
    const position = findPosition(sim, String(req.params.symbolOrId));
    res.json(positionView(broker, market, position, t));
  });

  router.delete('/v2/positions', (req, res) => {
    const t = now();
    const cancelOrders = parseBoolParam(queryParam(req, 'cancel_orders'));
    if (cancelOrders === null) throw invalidInput('invalid cancel_orders');
    if (cancelOrders) broker.cancelAll(t);
    const results = [...broker.positions.values()]
      .sort((a, b) => a.symbol.localeCompare(b.symbol))
      .map((p) => {
        try {
          return {
            symbol: p.symbol,
            status: 200,
            body: orderView(broker, broker.closePosition(p.symbol, { qty: null, percentage: null }, t), false),
          };
        } catch (err) {
          if (!(err instanceof AlpacaError)) throw err;
          return { symbol: p.symbol, status: err.status, body: err.body() };
        }
      });
    res.status(207).json(results);
  });

  router.delete('/v2/positions/:symbolOrId', (req, res) => {
    const t = now();
    const position = findPosition(sim, String(req.params.symbolOrId));
    const qty = numberParam(queryParam(req, 'qty'), 'qty');
    const percentage = numberParam(queryParam(req, 'percentage'), 'percentage');
    if (qty !== null && percentage !== null) throw invalidInput('only one of qty or percentage may be specified');
    const order = broker.closePosition(position.symbol, { qty, percentage }, t);
    res.json(orderView(broker, order, false));
  });

  const activities = (req: Request, res: Response, types: string[] | null) => {
    now();
    const direction = queryParam(req, 'direction') ?? 'desc';
    if (direction !== 'asc' && direction !== 'desc') throw invalidInput('invalid direction');
    const pageSizeText = queryParam(req, 'page_size');
    let pageSize = 100;
    if (pageSizeText !== undefined) {
      pageSize = Number(pageSizeText);
      if (!/^\d+$/.test(pageSizeText) || pageSize < 1 || pageSize > 100)
        throw invalidInput('invalid page_size, must be between 1 and 100');
    }
    const category = queryParam(req, 'category');
    if (category !== undefined && category !== 'trade_activity' && category !== 'non_trade_activity')
      throw invalidInput('invalid category');
    const after = timeFilter(queryParam(req, 'after'), 'after');
    const until = timeFilter(queryParam(req, 'until'), 'until');
    const dateText = queryParam(req, 'date');
    const date = dateText === undefined ? null : parseTimeParam(dateText);
    if (dateText !== undefined && date === null) throw invalidInput('invalid date');
    const pageToken = queryParam(req, 'page_token');
    const wantFills = (types === null || types.includes('FILL')) && category !== 'non_trade_activity';
    let list = wantFills ? [...broker.activities] : [];
    list = list.filter(
      (a) =>
        (after === null || a.at > after) &&
        (until === null || a.at < until) &&
        (date === null || (a.at >= date && a.at < date + DAY_MS)),
    );
    list.sort(
      (a, b) =>
        (direction === 'asc' ? a.at - b.at : b.at - a.at) || (a.id < b.id ? -1 : 1) * (direction === 'asc' ? 1 : -1),
    );
    if (pageToken) {
      const i = list.findIndex((a) => a.id === pageToken);
      list = i >= 0 ? list.slice(i + 1) : [];
    }
    res.json(list.slice(0, pageSize).map(activityView));
  };

  router.get('/v2/account/activities', (req, res) => {
    const typesText = queryParam(req, 'activity_types') ?? queryParam(req, 'activity_type');
    const types = typesText ? typesText.split(',').map((t) => t.trim().toUpperCase()) : null;
    activities(req, res, types);
  });

  router.get('/v2/account/activities/:type', (req, res) => {
    const type = String(req.params.type).toUpperCase();
    if (!/^[A-Z]{2,8}$/.test(type)) throw invalidInput('invalid activity type');
    activities(req, res, [type]);
  });

  return router;
}

function findPosition(sim: MarketSim, key: string) {
  for (const p of sim.broker.positions.values()) if (p.symbol === key.toUpperCase() || p.assetId === key) return p;
  throw notFound('position does not exist');
}

function numberParam(text: string | undefined, name: string): D.Dec | null {
  if (text === undefined || text === '') return null;
  const value = D.parseDec(text);
  if (value === null) throw invalidInput(`invalid ${name}`);
  return value;
}

function timeFilter(text: string | undefined, name: string): number | null {
  if (text === undefined || text === '') return null;
  const value = parseTimeParam(text);
  if (value === null) throw invalidInput(`invalid ${name}`);
  return value;
}

function calendarDay(text: string | undefined, name: string): number | null {
  if (text === undefined || text === '') return null;
  const day = parseDay(text.slice(0, 10));
  if (day === null || (text.length > 10 && parseTimeParam(text) === null))
    throw new AlpacaError(400, 40010001, `invalid ${name}`);
  return day;
}

function nextPreOpenAfter(t: number): number {
  let day = toNewYork(t).day + 1;
  while (!isTradingDay(day)) day++;
  return sessionOf(day).preOpen;
}

function daysToEndOfNextYear(today: number): number {
  const { y } = civilFromDays(today);
  return parseDay(`${y + 1}-12-31`) ?? today;
}
