import { defineConfig } from 'vitest/config';

// One run over the whole workspace. Tests that need PostgreSQL or Redis get a
// fresh database and a unique Redis key prefix from the global setup.
export default defineConfig({
  test: {
    include: ['packages/*/{src,test}/**/*.test.ts', 'services/*/{src,test}/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
