import type { TestProject } from 'vitest/node';
import { setupTestServices } from './packages/shared/src/testing/global-setup';

// Runs once per `pnpm test`: a fresh PostgreSQL database (or embedded PGlite when no server
// answers and CATALYST_REQUIRE_SERVICES is not 1) and a Redis key prefix, provided to every test
// through vitest's inject (see packages/shared/src/testing). The returned function tears them down.
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setupTestServices(project);
}
