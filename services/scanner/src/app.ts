import type { MarketDataProvider } from '@catalyst/market-data';
import { NotFound, scannerContract, type ServiceDeps } from '@catalyst/shared';
import { scanSettings, type ScannerConfig } from './config';
import { createCatalystSource, type CatalystSource } from './data-access/catalysts.client';
import { createScansRepository } from './data-access/scans.repository';
import { createScannerMetrics } from './scanner-metrics';
import { createRunScan } from './use-cases/run-scan.use-case';

export interface ScannerDeps extends ServiceDeps<ScannerConfig> {
  marketData: MarketDataProvider;
  /** Default: the news service at NEWS_URL. */
  catalysts?: CatalystSource;
  clock?: { now(): number };
}

/** The scanner's routes, wired to its dependencies. */
export function createApp(deps: ScannerDeps) {
  const { api, db, config, log } = deps;
  const scans = createScansRepository(db);
  const runScan = createRunScan({
    marketData: deps.marketData,
    catalysts:
      deps.catalysts ?? createCatalystSource({ baseUrl: config.NEWS_URL, token: config.CATALYST_API_TOKEN, log }),
    scans,
    settings: scanSettings(config),
    metrics: createScannerMetrics(api.registry),
    clock: deps.clock ?? { now: () => Date.now() },
    log,
  });

  api.route(scannerContract.runScan, async ({ body }) => {
    const scan = await runScan.run(body);
    // The dashboard's live feed: never awaited, a failure only logged.
    const symbols = scan.candidates.map((c) => c.symbol);
    void deps.bus
      .publish('scanner', 'scan.completed', {
        scanId: scan.id,
        cycleId: scan.cycleId,
        candidates: symbols.length,
        symbols,
      })
      .catch((err: unknown) => log.warn({ err, scanId: scan.id }, 'publishing scan.completed failed'));
    return scan;
  });
  api.route(scannerContract.latestScan, async () => {
    const scan = await scans.latest();
    if (!scan) throw new NotFound('No scan has run yet', undefined, 'SCANNER.NO_SCAN_YET');
    return scan;
  });
  api.route(scannerContract.getScan, async ({ params }) => {
    const scan = await scans.get(params.id);
    if (!scan) throw new NotFound(`Scan ${params.id} not found`, undefined, 'SCANNER.SCAN_NOT_FOUND');
    return scan;
  });

  return api.app;
}
