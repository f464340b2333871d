import type {} from 'vitest';

// What vitest.global-setup.ts hands every test file through vitest's provide/inject.
declare module 'vitest' {
  interface ProvidedContext {
    /** A fresh, migrated database for this test run. */
    databaseUrl: string;
    /** 'postgres' for a real server, 'pglite' when the run fell back to embedded PostgreSQL. */
    databaseKind: 'postgres' | 'pglite';
    /** Redis for this run, or '' when none answered. */
    redisUrl: string;
    /** Every Redis key a test writes starts with this; the keys are deleted after the run. */
    redisPrefix: string;
  }
}

export {};
