import { startMarketSim } from '@catalyst/market-sim';
import { startTestService, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';
import { ownDatabase, SIM_START } from './harness';

describe('the trading service as main.ts composes it', () => {
  let sim: Awaited<ReturnType<typeof startMarketSim>>;
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let svc: TestService;

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 42, speed: 0, startTime: SIM_START });
    database = await ownDatabase();
    svc = await startTestService(start, {
      DATABASE_URL: database.url,
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      TRADING_RECONCILE_INTERVAL_SECONDS: '5',
    });
  });
  afterAll(async () => {
    await svc?.stop();
    await sim?.stop();
    await database?.drop();
  });

  it('holds entries until reconciliation has read the broker, then opens the gate', async () => {
    let risk = await svc.call('/risk');
    const deadline = Date.now() + 15_000;
    while (!risk.body.entryGate?.open && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      risk = await svc.call('/risk');
    }
    expect(risk.status).toBe(200);
    expect(risk.body.entryGate).toEqual({ open: true, reason: null });
    const metrics = await svc.call('/metrics', { auth: false });
    expect(metrics.body).toMatch(/^entry_gate_open\{[^}]*\} 1$/m);
    expect(metrics.body).toMatch(/^trading_halted\{[^}]*\} 0$/m);
  });
});
