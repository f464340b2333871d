import { testDatabaseKind, testDatabaseUrl } from '@catalyst/shared/testing';
import { describe, expect, it } from 'vitest';
import { runFaultScenario } from './fault-harness';

// The full run (1,000 signals) is `pnpm exec tsx scripts/trading-faults.ts --signals 1000`.
describe.skipIf(testDatabaseKind() !== 'postgres')('trading under broker faults and SIGKILLs (small run)', () => {
  it('when the broker fails at random and the service is killed twice, then every signal ends as exactly one broker order or one recorded refusal, and positions match', async () => {
    const admin = new URL(testDatabaseUrl());
    admin.pathname = '/postgres';
    const figures = await runFaultScenario({
      signals: 60,
      kills: 2,
      seed: 7,
      concurrency: 6,
      adminDatabaseUrl: admin.toString(),
      settleTimeoutMs: 90_000,
    });
    expect(figures.problems).toEqual([]);
    expect(figures.duplicates).toBe(0);
    expect(figures.lost).toBe(0);
    expect(figures.contradictory).toBe(0);
    expect(figures.positionMismatches).toBe(0);
    expect(figures.ordersMissingInDb).toBe(0);
    expect(figures.kills).toBe(2);
    // The run must have exercised the faults and placed real orders, or it proves nothing.
    expect(figures.faultsInjected).toBeGreaterThan(0);
    expect(figures.brokerOrders).toBeGreaterThan(10);
    expect(figures.brokerOrders + figures.refusals + figures.refusedBeforeRisk).toBe(60);
  }, 240_000);
});
