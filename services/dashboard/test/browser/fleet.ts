import { startFleet, type Fleet } from '../component/fleet';

export { PASSWORD, USER } from '../component/fleet';

/** A Friday, 14:00 in New York: the simulator's afternoon, which gives BUY signals to trade. */
export const SIM_START = '2025-03-14T18:00:00Z';

export type BrowserFleet = Fleet;

/**
 * The component tests' fleet (every service the pages show, real and in process, on one bus) in
 * the simulator's afternoon. The technical service runs lenient rules (a low entry threshold, no
 * catalyst required, no conflict veto) so that the afternoon gives a BUY to watch become an order
 * and a position; the rules themselves are the technical service's tests' business.
 */
export function startBrowserFleet(): Promise<BrowserFleet> {
  return startFleet({
    simStart: SIM_START,
    purpose: 'dashboard_browser',
    env: {
      technical: {
        SIGNAL_ENTRY_THRESHOLD: '0.05',
        SIGNAL_RULES: JSON.stringify({ catalyst: { requireForEntry: false }, conflictThreshold: 1 }),
      },
      // Fills reach the page within a second or two of the simulator's minute.
      trading: { TRADING_SYNC_INTERVAL_SECONDS: '1' },
      coordination: { COORDINATION_LOCK_TTL_MS: '5000' },
    },
    // The suite logs in once per test; the limit itself is the session tests' business.
    dashboardEnv: { DASHBOARD_LOGIN_ATTEMPTS: '100' },
    // The schedule's clock follows the simulator's, which stands still at SIM_START.
    coordinationOnSimClock: true,
  });
}
