import express, { type Response, type Router } from 'express';
import { phaseAt, toNewYork } from '../model/calendar';
import type { MarketSim, MarketSimSnapshot } from '../market-sim';
import { faultRuleProblem, type FaultRule } from './faults';
import { parseTimeParam, queryParam } from './request-params';

/**
 * Control of the simulator itself, for tests and demos (not part of any provider's API): the
 * clock, fault rules, snapshots, the universe and the ground truth about events.
 */
export function adminRoutes(sim: MarketSim): Router {
  const router = express.Router();
  const fail = (res: Response, status: number, code: string, message: string): void => {
    res.status(status).json({ error: { code, message } });
  };
  const state = () => {
    const now = sim.now();
    return { seed: sim.seed, now, time: new Date(now).toISOString(), speed: sim.clock.speed, phase: phaseAt(now) };
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/_sim/state', (_req, res) => {
    res.json(state());
  });

  router.post('/_sim/clock', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) {
      fail(res, 400, 'invalid_input', 'body must be a JSON object');
      return;
    }
    const { advanceMs, time, speed } = body;
    if (advanceMs !== undefined && !(typeof advanceMs === 'number' && Number.isFinite(advanceMs) && advanceMs >= 0)) {
      fail(res, 400, 'invalid_input', 'advanceMs must be a number >= 0');
      return;
    }
    if (speed !== undefined && !(typeof speed === 'number' && Number.isFinite(speed) && speed >= 0)) {
      fail(res, 400, 'invalid_input', 'speed must be a number >= 0');
      return;
    }
    let target: number | null = null;
    if (time !== undefined) {
      target = typeof time === 'number' ? time : typeof time === 'string' ? parseTimeParam(time) : null;
      if (target === null || !Number.isFinite(target)) {
        fail(res, 400, 'invalid_input', 'time must be epoch milliseconds or an RFC-3339 timestamp');
        return;
      }
    }
    if (target !== null) sim.clock.setTime(target);
    if (typeof advanceMs === 'number') sim.clock.advance(advanceMs);
    if (typeof speed === 'number') sim.clock.setSpeed(speed);
    sim.broker.sync(sim.now());
    res.json(state());
  });

  router.get('/_sim/faults', (_req, res) => {
    res.json(sim.faults.list());
  });

  router.post('/_sim/faults', (req, res) => {
    const problem = faultRuleProblem(req.body);
    if (problem) {
      fail(res, 400, 'invalid_input', problem);
      return;
    }
    const id = sim.faults.add(req.body as FaultRule);
    res.status(201).json({ id });
  });

  router.delete('/_sim/faults', (_req, res) => {
    sim.faults.clear();
    res.status(204).end();
  });

  router.delete('/_sim/faults/:id', (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || !sim.faults.remove(id)) {
      fail(res, 404, 'not_found', 'no such fault rule');
      return;
    }
    res.status(204).end();
  });

  router.get('/_sim/snapshot', (_req, res) => {
    res.json(sim.snapshot());
  });

  router.post('/_sim/restore', (req, res) => {
    const body = req.body as Partial<MarketSimSnapshot> | undefined;
    if (!body || body.version !== 1 || typeof body.clock !== 'object' || typeof body.broker !== 'object') {
      fail(res, 400, 'invalid_input', 'body must be a snapshot from GET /_sim/snapshot');
      return;
    }
    try {
      sim.restore(body as MarketSimSnapshot);
    } catch (err) {
      {
        fail(res, 400, 'invalid_input', err instanceof Error ? err.message : 'invalid snapshot');
        return;
      }
    }
    res.json(state());
  });

  router.get('/_sim/universe', (_req, res) => {
    res.json(sim.market.stocks);
  });

  // The truth behind the headlines (which were fakes, how big each move was), for evaluating
  // what the trading system made of them. Only events that already happened.
  router.get('/_sim/events', (req, res) => {
    const now = sim.now();
    const fromText = queryParam(req, 'from');
    const from = fromText ? parseTimeParam(fromText) : now - 86_400_000;
    if (from === null) {
      fail(res, 400, 'invalid_input', 'from must be an RFC-3339 timestamp');
      return;
    }
    const out: unknown[] = [];
    for (let day = toNewYork(from).day; day <= toNewYork(now).day; day++) {
      const index = sim.market.dayIndex(day);
      if (index === undefined) continue;
      for (const e of sim.market.eventsOfDay(index)) {
        if (e.utcMs < from || e.utcMs > now) continue;
        out.push({
          key: e.key,
          time: new Date(e.utcMs).toISOString(),
          symbol: sim.market.stocks[e.symbolIndex]!.symbol,
          type: e.type,
          magnitude: e.magnitude,
          fake: e.fake,
          linkedTo: e.linkedTo,
        });
      }
    }
    res.json(out);
  });

  return router;
}
