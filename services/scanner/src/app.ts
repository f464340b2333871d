import { NotFound, scannerContract, type ServiceDeps } from '@catalyst/shared';
import type { ScannerConfig } from './config';
import { createScansRepository } from './data-access/scans.repository';

/** The scanner's routes, wired to its dependencies. */
export function createApp(deps: ServiceDeps<ScannerConfig>) {
  const { api, db } = deps;
  const scans = createScansRepository(db);

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
