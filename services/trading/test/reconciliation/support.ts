import { createPrivateDatabase, testDatabaseKind, type PrivateDatabase } from '@catalyst/shared/testing';
import { startMarketSim } from '@catalyst/market-sim';
import { createAlpacaBroker } from '../../src/broker/alpaca-broker';
import type { Broker, BrokerOrderRequest, BrokerOrderView } from '../../src/broker/broker';

/**
 * A database of its own, migrated: reconciliation compares every position and open order with the
 * broker's, so rows written by other test files in the shared run database would be differences.
 */
export function createIsolatedDb(): Promise<PrivateDatabase> {
  return createPrivateDatabase('reconciliation');
}

export const onRealPostgres = () => testDatabaseKind() === 'postgres';

/** A Wednesday 10:00 New York time: the regular session, so market orders fill. */
export const SESSION_START = '2025-03-12T14:00:00Z';

export async function startSimBroker() {
  const sim = await startMarketSim({ port: 0, seed: 7, speed: 0, startTime: SESSION_START });
  const broker = createAlpacaBroker({
    baseUrl: sim.url,
    keyId: 'demo',
    secret: 'demo',
    timeoutMs: 3_000,
    retryBaseMs: 20,
  });
  const headers = { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' };
  return {
    sim,
    broker,
    async lastPrice(symbol: string): Promise<number> {
      const res = await fetch(`${sim.url}/v2/stocks/${symbol}/trades/latest`, { headers });
      const body = (await res.json()) as { trade: { p: number } };
      return body.trade.p;
    },
    /** Steps the stopped clock a minute at a time until `done` holds (bars fill resting orders). */
    async stepUntil(done: () => Promise<boolean>, maxMinutes = 240): Promise<void> {
      for (let i = 0; i < maxMinutes; i++) {
        if (await done()) return;
        sim.sim.clock.advance(60_000);
      }
      throw new Error(`condition not met within ${maxMinutes} simulated minutes`);
    },
  };
}

export async function submitUntilFilled(
  env: Awaited<ReturnType<typeof startSimBroker>>,
  req: BrokerOrderRequest,
): Promise<BrokerOrderView> {
  const placed = await env.broker.submitOrder(req);
  let last = placed;
  await env.stepUntil(async () => {
    last = (await env.broker.getOrder(placed.id))!;
    return last.status === 'filled';
  });
  return last;
}

export type { Broker };
